"""Command line: the dashboard's queries without a browser.

    python -m analytics funnel --from 2022-01 --to 2022-09 [--district 718,724] [--sector fdi]
                               [--mode period|cohort] [--window-days N] [--by district] [--format json]
    python -m analytics sample [--out DIR] [--seed N]
    python -m analytics aggregate [--data DIR]
    python -m analytics bench [--rows N] [--refreshes N] [--no-pandas] [--no-browser]
    python -m analytics loadtest [--sessions N] [--seconds S] [--data DIR]

Bad arguments print one line starting with ``error:`` and exit with code 2.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from analytics import config, db, model, output, queries, storage
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
    frame = queries.labelled_funnel(con, flt, args.by, args.lang)
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


def _run_aggregate(args: argparse.Namespace) -> int:
    if storage.is_remote(args.data):
        raise FilterError(f"'{args.data}' is remote: aggregate the local snapshot folder, then upload it")
    for table, rows in db.build_aggregates(args.data).items():
        print(f"{table}: {rows} rows")
    return 0


def _run_bench(args: argparse.Namespace) -> int:
    from analytics.bench import run  # only this command needs the benchmark

    return run.main(args.rows, args.seed, args.refreshes, args.regenerate, args.pandas, args.browser, args.out)


def _run_loadtest(args: argparse.Namespace) -> int:
    from analytics.bench import loadtest

    return loadtest.main(args.data, args.sessions, args.seconds, args.max_changes, args.ramp, args.out)


def _add_tools(commands) -> None:
    aggregate = commands.add_parser("aggregate", help="pre-aggregate a local curated folder (once per snapshot)")
    aggregate.add_argument("--data", default=config.curated_location())
    aggregate.set_defaults(run=_run_aggregate)

    bench = commands.add_parser("bench", help="national-scale benchmark: DuckDB vs pandas, memory, cold start")
    bench.add_argument("--rows", type=int, default=10_000_000, help="synthetic candidate rows")
    bench.add_argument("--seed", type=int, default=1)
    bench.add_argument("--refreshes", type=int, default=20, help="page refreshes timed per interaction")
    bench.add_argument("--regenerate", action="store_true", help="rebuild the synthetic data even if present")
    bench.add_argument("--no-pandas", dest="pandas", action="store_false", help="skip the pandas comparison")
    bench.add_argument("--no-browser", dest="browser", action="store_false", help="skip the cold-start run")
    bench.add_argument("--out", help="JSON file (default: bench-results/bench-<rows>.json)")
    bench.set_defaults(run=_run_bench)

    load = commands.add_parser("loadtest", help="many browser sessions changing filters at random")
    load.add_argument("--data", default=config.curated_location())
    load.add_argument("--sessions", type=int, default=30)
    load.add_argument("--seconds", type=float, default=120)
    load.add_argument("--ramp", type=float, default=1.0, help="seconds between two sessions' arrival")
    load.add_argument("--max-changes", type=int, default=2000, help="stop after this many filter changes in all")
    load.add_argument("--out", help="JSON file (default: bench-results/loadtest-<sessions>.json)")
    load.set_defaults(run=_run_loadtest)


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
    funnel.add_argument("--data", help=f"curated data (default: ${config.CURATED_ENV} or data/curated)")
    funnel.set_defaults(run=_run_funnel)

    sample = commands.add_parser("sample", help="build the synthetic sample into data/curated")
    sample.add_argument("--out", default=str(config.DEFAULT_CURATED_DIR))
    sample.add_argument("--seed", type=int, help="random seed (default: the shipped sample's)")
    sample.set_defaults(run=_run_sample)
    _add_tools(commands)
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
