"""Command line: the dashboard's queries without a browser.

    python -m analytics funnel --from 2022-01 --to 2022-09 [--district 718,724] [--sector fdi]
                               [--mode period|cohort] [--window-days N] [--by district] [--format json]
                               [--as-user EMAIL]
    python -m analytics sample [--out DIR] [--seed N]

The command line is an operator tool with full access; ``--as-user`` answers as that user would see
it on screen (their role and district from the roles file), through the same access check as the
pages. Bad arguments print one line starting with ``error:`` and exit with code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics import access, config, db, model, output, queries
from analytics.filters import Filter, FilterError, Month

EXIT_USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error on one line (not usage + error) and exits 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise FilterError(message)


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _filter_from_args(args: argparse.Namespace, known_districts: list[str]) -> Filter:
    flt = Filter(
        start=Month.parse(args.start),
        end=Month.parse(args.end),
        districts=_split(args.district),
        sectors=_split(args.sector),
        mode=args.mode,
        window_days=args.window_days,
    )
    return flt.check_districts(known_districts)


def _run_funnel(args: argparse.Namespace) -> int:
    con = db.connect(args.data)
    known = queries.district_names(con, Month.parse(args.end).last_day)["district_code"].tolist()
    flt = _filter_from_args(args, known)
    principal = access.OPERATOR
    if args.as_user:
        principal = access.principal_for(access.load_roles(config.roles_location()), args.as_user)
    try:
        frame = access.funnel(con, principal, flt, args.by, args.lang)
    except access.AccessDenied:
        raise FilterError(f"{args.as_user} is not in the roles file ({config.roles_location()})") from None
    sys.stdout.write(output.render(frame, args.by, args.format, args.lang))
    return 0


def _run_sample(args: argparse.Namespace) -> int:
    from analytics import sample  # only this command needs the generator

    seed = sample.SEED if args.seed is None else args.seed
    counts = sample.write_sample(Path(args.out), seed)
    db.write_manifest(Path(args.out), {"source": "sample", "seed": seed, "built_by": "python -m analytics sample"})
    for table, rows in counts.items():
        print(f"{table}: {rows} rows")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    funnel = commands.add_parser("funnel", help="stage counts and rates for a period and slice")
    funnel.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
    funnel.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM (inclusive)")
    funnel.add_argument("--district", help="district codes, comma-separated (e.g. 718,724)")
    funnel.add_argument("--sector", help=f"sectors, comma-separated ({', '.join(model.sector_keys())})")
    funnel.add_argument("--mode", choices=list(model.MODES), default="period")
    funnel.add_argument("--window-days", type=int, help="cohort mode: count a stage only within N days")
    funnel.add_argument("--by", choices=list(model.DIMENSIONS), help="one row per group of this dimension")
    funnel.add_argument("--format", choices=output.FORMATS, default="table")
    funnel.add_argument("--lang", choices=model.LANGUAGES, default="vi", help="labels and table numbers")
    funnel.add_argument("--as-user", metavar="EMAIL", help="answer as this user may see it (roles file)")
    funnel.add_argument("--data", help=f"curated data (default: ${config.CURATED_ENV} or data/curated)")
    funnel.set_defaults(run=_run_funnel)

    sample = commands.add_parser("sample", help="build the synthetic sample into data/curated")
    sample.add_argument("--out", default=str(config.DEFAULT_CURATED_DIR))
    sample.add_argument("--seed", type=int, help="random seed (default: the shipped sample's)")
    sample.set_defaults(run=_run_sample)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except FilterError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
