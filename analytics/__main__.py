"""Command line: the dashboard's queries without a browser.

    python -m analytics funnel --from 2022-01 --to 2022-09 [--district 718,724] [--unit BD02] [--sector fdi]
                               [--mode period|cohort] [--window-days N] [--by district] [--compare last-year|previous]
                               [--rates] [--format json|csv|table|xlsx] [--output FILE]
    python -m analytics time-to-convert --from 2022-01 --to 2022-12 [--district …] [--by district] [--histogram]
                                       [--format json]
    python -m analytics targets --year 2022 [--as-of 2022-09-30] [--by district|unit|total] [--format json]
    python -m analytics deck --from 2022-01 --to 2022-09 [filters as above] [--lang vi|en] --out deck.pptx
    python -m analytics report --from 2022-01 --to 2022-09 [filters as above] [--lang vi|en] --out report.docx
    python -m analytics pictures --from 2022-01 --to 2022-09 [filters as above] [--lang vi|en] --out charts.zip
    python -m analytics sample [--out DIR] [--seed N]
    python -m analytics ingest FILE... [--dry-run] [--report problems.csv]
    python -m analytics snapshots
    python -m analytics rollback SNAPSHOT_ID
    python -m analytics publish --to s3://bucket/prefix [--snapshot SNAPSHOT_ID]
    python -m analytics prune [--keep N] [--dry-run] [--remote s3://bucket/prefix]
    python -m analytics templates [--out DIR]
    python -m analytics aggregate [--data DIR]
    python -m analytics bench [--rows N] [--refreshes N] [--no-pandas] [--no-browser] [--audience]
    python -m analytics loadtest [--sessions N] [--seconds S] [--data DIR] [--replicas 2 --kill-replica-at S]

The command line is an operator tool with full access; ``--as-user EMAIL`` (funnel, targets, deck, report,
pictures) answers as that user would see it on screen (their role and district from the roles file, or the one
``--roles FILE`` names), through
the same access check as the pages, and ``--audience committee|public`` as a restricted audience may see it.
Bad arguments print one line starting with ``error:`` and exit with code 2; ``ingest`` exits 1 when a file
is refused (the problems report says why) and prints the report either way.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

import duckdb

from analytics import access, comparison, config, conversion, db, model, output, pace, queries, storage
from analytics.filters import Filter, FilterError, Month

EXIT_USAGE = 2
MAX_LIMIT = 10_000_000  # more groups than any breakdown has (about 100.000 grassroots unions nationally)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a usage error on one line (not usage + error) and exits 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise FilterError(message)


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (text or "").split(",") if part.strip())


def _filter_from_args(args: argparse.Namespace, known_districts: list[str], known_units: list[str]) -> Filter:
    flt = Filter(
        start=Month.parse(args.start),
        end=Month.parse(args.end),
        districts=_split(args.district),
        units=_split(args.unit),
        sectors=_split(args.sector),
        mode=args.mode,
        window_days=args.window_days,
    )
    return flt.check_districts(known_districts, known_units)


def _connect_and_filter(args: argparse.Namespace) -> tuple[duckdb.DuckDBPyConnection, Filter]:
    con = db.connect(args.data)
    known = queries.district_names(con, Month.parse(args.end).last_day)["district_code"].tolist()
    units = queries.unit_names(con)["unit_code"].tolist()
    return con, _filter_from_args(args, known, units)


def _principal(args: argparse.Namespace) -> access.Principal:
    """The operator (full access), or with ``--as-user`` that user as the roles file sees them; with
    ``--audience`` the numbers as that audience may see them (never laxer than the user's own)."""
    if args.as_user is None:
        return access.OPERATOR.for_audience(args.audience)
    if not args.as_user.strip():  # an empty "$EMAIL" in a script must not answer with full access
        raise FilterError("--as-user is empty: give the user's e-mail, or leave it out to answer with full access")
    roles_file = Path(args.roles) if args.roles else config.roles_location()
    principal = access.principal_for(access.load_roles(roles_file), args.as_user)
    try:
        access.check(principal)
    except access.AccessDenied:
        raise FilterError(f"{args.as_user} is not in the roles file ({roles_file})") from None
    return principal.for_audience(args.audience)


def _run_funnel(args: argparse.Namespace) -> int:
    principal = _principal(args)
    if args.limit is not None and not model.limitable(args.by):
        raise FilterError("--limit needs --by with a breakdown by group (district, sector, union …), not by time")
    if args.limit is not None and not 1 <= args.limit <= MAX_LIMIT:
        raise FilterError(f"--limit must be from 1 to {MAX_LIMIT:,}, not {args.limit}")
    if args.format == "xlsx" and not args.output:
        raise FilterError("--format xlsx needs --output FILE (a workbook is not text)")
    if args.compare and args.by and model.DIMENSIONS[args.by].time_unit:
        raise FilterError("--compare needs --by with a breakdown by group (district, sector, union …), not by time")
    con, flt = _connect_and_filter(args)
    try:
        frame = (comparison.funnel(con, principal, flt, args.by, args.lang, comparison.CLI_NAMES[args.compare],
                                   access.data_end(con, principal), args.limit) if args.compare
                 else access.funnel(con, principal, flt, args.by, args.lang, args.limit))
    except access.AccessDenied as denied:
        raise FilterError(str(denied)) from None
    shown = frame if args.rates else output.counts_only(frame)
    if args.format == "xlsx":
        _write(args.output, _workbook(con, principal, access.authorize(principal, flt), shown, args))
    elif args.output:
        text = output.render(shown, args.by, args.format, args.lang)
        _write(args.output, text.encode(output.CSV_ENCODING if args.format == "csv" else "utf-8"))
    else:
        sys.stdout.write(output.render(shown, args.by, args.format, args.lang))
    return 0


def _workbook(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter, frame, args) -> bytes:
    """The funnel as the pages' Excel download, headed by what it shows and the command that makes it."""
    from analytics import narrative, xlsx  # openpyxl only for this format

    command = output.command(flt, args.by, "xlsx", args.limit, principal.audience, args.lang, args.output,
                             rates=args.rates, compare=args.compare)
    lines = xlsx.heading(flt, narrative.places(con, flt, args.lang), args.lang, access.data_end(con, principal),
                         queries.is_sample(con), principal.threshold, command)
    return xlsx.funnel_workbook(frame, args.by, args.lang, flt.mode, lines)


def _write(path: str, content: bytes) -> None:
    try:
        Path(path).write_bytes(content)
    except OSError as error:
        raise FilterError(f"cannot write {path}: {error.strerror or error}; give a file in a folder that exists "
                          "and that you may write to") from None
    print(f"wrote {path}")


def _run_time_to_convert(args: argparse.Namespace) -> int:
    principal = _principal(args)
    if args.histogram and args.by:
        raise FilterError("--histogram is of the whole selection; leave out --by")
    con, flt = _connect_and_filter(args)
    try:
        frame = (conversion.histogram(con, principal, flt) if args.histogram else
                 conversion.export_frame(conversion.summary(con, principal, flt, args.by, args.lang), args.by))
    except access.AccessDenied as denied:
        raise FilterError(str(denied)) from None
    sys.stdout.write(output.render_rows(frame, args.format, args.lang))
    return 0


def _run_targets(args: argparse.Namespace) -> int:
    if not 1900 <= args.year <= 2100:
        raise FilterError(f"--year {args.year} is not a year of reports; give one such as 2022")
    principal = _principal(args)
    con = db.connect(args.data)
    first, _ = queries.data_months(con)
    last = min(access.data_end(con, principal), date(args.year, 12, 31))  # of the data the user may see
    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else last
    except ValueError:
        raise FilterError(f"--as-of {args.as_of} is not a day; write it YYYY-MM-DD, e.g. {args.year}-09-30") from None
    if as_of.year != args.year:
        raise FilterError(f"--as-of {as_of} is not in {args.year}; give a day of that year")
    known = queries.district_names(con, as_of)["district_code"].tolist()
    flt = Filter(Month(args.year, 1), Month(args.year, 12), _split(args.district), units=_split(args.unit))
    flt = access.authorize(principal, flt.check_districts(known, queries.unit_names(con)["unit_code"].tolist()))
    by = None if args.by == "total" else args.by
    rows = pace.pace(con, principal, flt, args.year, as_of, by, args.lang, first)
    sys.stdout.write(output.render_rows(rows, args.format, args.lang))
    return 0


def _write_overview(args: argparse.Namespace, build) -> int:
    """Write what ``build(con, principal, filter, lang)`` makes of the overview (deck, report, pictures)."""
    principal = _principal(args)
    con, flt = _connect_and_filter(args)
    flt = access.authorize(principal, flt)  # once here; the overview's queries go through access.funnel
    _write(args.out, build(con, principal, flt, args.lang))
    return 0


def _run_deck(args: argparse.Namespace) -> int:
    from analytics.deck import build_deck  # python-pptx only for this command

    return _write_overview(args, build_deck)


def _run_report(args: argparse.Namespace) -> int:
    from analytics.report import build_report  # python-docx only for this command

    return _write_overview(args, build_report)


def _run_pictures(args: argparse.Namespace) -> int:
    from analytics.pictures import build_pictures  # kaleido (and Chromium) only for this command

    return _write_overview(args, build_pictures)


def _run_sample(args: argparse.Namespace) -> int:
    from analytics import sample  # only this command needs the generator

    seed = sample.SEED if args.seed is None else args.seed
    counts = sample.write_sample(Path(args.out), seed)
    db.write_manifest(Path(args.out), {"source": "sample", "seed": seed, "built_by": "python -m analytics sample"})
    for table, rows in counts.items():
        print(f"{table}: {rows} rows")
    current = db.resolve(str(config.DEFAULT_CURATED_DIR))
    if Path(args.out).resolve() == config.SAMPLE_SNAPSHOT_DIR.resolve() != Path(current):
        print(f"note: data/curated shows {Path(current).name}; `python -m analytics rollback sample` shows the sample")
    return 0


def _run_ingest(args: argparse.Namespace) -> int:
    from analytics.ingest import cli  # only the ingest commands need it

    return cli.ingest(args.files, args.dry_run, args.report, args.store)


def _run_snapshots(args: argparse.Namespace) -> int:
    from analytics.ingest import cli

    return cli.snapshots(args.store)


def _run_rollback(args: argparse.Namespace) -> int:
    from analytics.ingest import cli

    return cli.rollback(args.snapshot, args.store)


def _run_publish(args: argparse.Namespace) -> int:
    from analytics.ingest import cli

    return cli.publish(args.to, args.snapshot, args.store)


def _run_prune(args: argparse.Namespace) -> int:
    from analytics.ingest import cli

    return cli.prune(args.keep, args.dry_run, args.remote, args.store)


def _run_templates(args: argparse.Namespace) -> int:
    from analytics.ingest import templates

    for path in templates.write_templates(Path(args.out)):
        print(path)
    return 0


def _add_filter_arguments(parser: argparse.ArgumentParser, counting: bool = True) -> None:
    """The filter's arguments; without ``counting`` no counting mode or window (the period and slice only)."""
    parser.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
    parser.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM (inclusive)")
    parser.add_argument("--district", help="former district codes, comma-separated (e.g. 718,724); after the "
                        "2025 reorganisation, the units the crosswalk maps to them")
    parser.add_argument("--unit", help="unit codes valid on the events' dates, comma-separated (e.g. BD02,BD35)")
    parser.add_argument("--sector", help=f"sectors, comma-separated ({', '.join(model.sector_keys())})")
    if counting:
        parser.add_argument("--mode", choices=list(model.MODES), default="period")
        parser.add_argument("--window-days", type=int, help="cohort mode: count a stage only within N days")
    else:
        parser.set_defaults(mode="period", window_days=None)
    parser.add_argument("--lang", choices=model.LANGUAGES, default="vi", help="labels and formatted numbers")
    parser.add_argument("--data", help=f"curated data (default: ${config.CURATED_ENV} or data/curated)")
    _add_audience_arguments(parser)


def _add_audience_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--as-user", metavar="EMAIL", help="answer as this user may see it (roles file)")
    parser.add_argument("--roles", metavar="FILE",
                        help=f"with --as-user: the roles file (default: ${config.ROLES_ENV} or config/roles.toml)")
    parser.add_argument("--audience", choices=list(model.AUDIENCES),
                        help="only the numbers this audience may see (small counts, and what would reveal "
                             "them, read x): " + "; ".join(f"{key}: counts under {audience.threshold} hidden"
                                                           for key, audience in model.AUDIENCES.items()))


def _run_aggregate(args: argparse.Namespace) -> int:
    if storage.is_remote(args.data):
        raise FilterError(f"'{args.data}' is remote: aggregate the local snapshot folder, then upload it")
    if not Path(args.data).is_dir():
        raise FilterError(f"there is no folder {args.data}: give --data a curated snapshot's folder")
    for table, rows in db.build_aggregates(args.data).items():
        print(f"{table}: {rows} rows")
    return 0


def _run_bench(args: argparse.Namespace) -> int:
    from analytics.bench import run  # only this command needs the benchmark

    if args.audience:
        from analytics.bench import audience

        return audience.main(args.refreshes, args.seed, args.out)
    return run.main(args.rows, args.seed, args.refreshes, args.regenerate, args.pandas, args.browser, args.out)


def _run_loadtest(args: argparse.Namespace) -> int:
    from analytics.bench import loadtest

    if args.logs:
        Path(args.logs).mkdir(parents=True, exist_ok=True)
    return loadtest.main(args.data, args.sessions, args.browsers, args.seconds, args.max_changes, args.ramp,
                         args.think, args.out, args.replicas, args.kill_replica_at,
                         logs=Path(args.logs) if args.logs else None)


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
    bench.add_argument("--audience", action="store_true",
                       help="instead: numbers for an audience on the sample (release build, refresh vs operator)")
    bench.add_argument("--out", help="JSON file (default: bench-results/bench-<rows>.json)")
    bench.set_defaults(run=_run_bench)

    load = commands.add_parser("loadtest", help="many browser sessions changing filters at random")
    load.add_argument("--data", default=config.curated_location())
    load.add_argument("--sessions", type=int, default=30)
    load.add_argument("--browsers", type=int,
                      help="how many sessions are browser pages (default: all); the others open links")
    load.add_argument("--seconds", type=float, default=120)
    load.add_argument("--ramp", type=float, default=1.0, help="seconds between two sessions' arrival")
    load.add_argument("--think", type=float, default=5.0,
                      help="seconds a user looks at the charts before the next change, on average (0: at once)")
    load.add_argument("--max-changes", type=int, default=2000, help="stop after this many filter changes in all")
    load.add_argument("--out", help="JSON file (default: bench-results/loadtest-<sessions>.json)")
    load.add_argument("--replicas", type=int, choices=(1, 2), default=1,
                      help="2: two servers behind HAProxy (deploy/haproxy.cfg)")
    load.add_argument("--kill-replica-at", type=float, metavar="S",
                      help="with --replicas 2: kill the first page's replica S seconds into the timed part")
    load.add_argument("--logs", metavar="DIR", help="the servers' output and each browser page's log (its websocket, "
                      "console warnings and errors, the harness's errors with a screenshot each) in this folder")
    load.set_defaults(run=_run_loadtest)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m analytics", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    funnel = commands.add_parser("funnel", help="stage counts and rates for a period and slice")
    _add_filter_arguments(funnel)
    funnel.add_argument("--by", choices=list(model.DIMENSIONS), help="one row per group of this dimension")
    funnel.add_argument("--compare", choices=list(comparison.CLI_NAMES),
                        help="add each stage's count in the same months of last year or of the previous equal period "
                             "(like for like: the months with data) and its change")
    funnel.add_argument("--limit", type=int, help="only the LIMIT groups with most referrals (as the pages show)")
    funnel.add_argument("--format", choices=[*output.FORMATS, "xlsx"], default="table",
                        help="xlsx: the pages' Excel download (needs --output)")
    funnel.add_argument("--output", metavar="FILE", help="write to FILE instead of printing (CSV with a BOM)")
    funnel.add_argument("--rates", action="store_true",
                        help="also conversion rates, per 1,000 members, target progress and their denominators")
    funnel.set_defaults(run=_run_funnel)

    convert = commands.add_parser(
        "time-to-convert", help="days per funnel step (referral → class → admission → official): median, 90th "
        "percentile, histogram", description=conversion.CLI_DESCRIPTION)
    _add_filter_arguments(convert, counting=False)
    convert.add_argument("--by", choices=list(model.DIMENSIONS),
                         help="one row per group of this dimension (by month, quarter, year: of referral)")
    convert.add_argument("--histogram", action="store_true",
                         help=f"instead: how many people took how many days, in bins of {conversion.BIN_DAYS} days")
    convert.add_argument("--format", choices=output.FORMATS, default="table")
    convert.set_defaults(run=_run_time_to_convert)

    targets = commands.add_parser("targets", help="progress to the yearly targets, the pace and the projection")
    targets.add_argument("--year", type=int, required=True)
    targets.add_argument("--as-of", help="the day to measure at, YYYY-MM-DD (default: the data's last day)")
    targets.add_argument("--by", choices=["district", "unit", "total"], default="district")
    targets.add_argument("--district", help="former district codes, comma-separated")
    targets.add_argument("--unit", help="unit codes, comma-separated")
    targets.add_argument("--format", choices=output.FORMATS, default="table")
    targets.add_argument("--lang", choices=model.LANGUAGES, default="vi")
    targets.add_argument("--data", help=f"curated data (default: ${config.CURATED_ENV} or data/curated)")
    _add_audience_arguments(targets)
    targets.set_defaults(run=_run_targets)

    for name, run, what, suffix in (
        ("deck", _run_deck, "the overview as a PowerPoint deck for a conference (native charts)", ".pptx file"),
        ("report", _run_report, "the overview's sentences and tables as a Word report", ".docx file"),
        ("pictures", _run_pictures, "every slide's chart as a 1920x1080 PNG, zipped", ".zip file"),
    ):
        command = commands.add_parser(name, help=what)
        _add_filter_arguments(command)
        command.add_argument("--out", required=True, help=f"the {suffix} to write")
        command.set_defaults(run=run)

    sample = commands.add_parser("sample", help="build the synthetic sample (the snapshot data/snapshots/sample)")
    sample.add_argument("--out", default=str(config.SAMPLE_SNAPSHOT_DIR),
                        help="folder (default: the sample snapshot, data/snapshots/sample)")
    sample.add_argument("--seed", type=int, help="random seed (default: the shipped sample's)")
    sample.set_defaults(run=_run_sample)

    store_help = f"data folder with snapshots/ and the curated link (default: ${config.STORE_ENV} or data/)"
    ingest = commands.add_parser("ingest", help="check report files and load them as a new snapshot")
    ingest.add_argument("files", nargs="+", metavar="FILE",
                        help="CSV or XLSX reports (register, membership, targets, unions)")
    ingest.add_argument("--dry-run", action="store_true", help="only check and print the problems report")
    ingest.add_argument("--report", metavar="CSV", help="also write the problems report to this CSV file")
    ingest.add_argument("--store", help=store_help)
    ingest.set_defaults(run=_run_ingest)

    snapshots = commands.add_parser("snapshots", help="list the curated snapshots (* = current)")
    snapshots.add_argument("--store", help=store_help)
    snapshots.set_defaults(run=_run_snapshots)

    rollback = commands.add_parser("rollback", help="make an earlier snapshot current again")
    rollback.add_argument("snapshot", help="a snapshot id from `snapshots`")
    rollback.add_argument("--store", help=store_help)
    rollback.set_defaults(run=_run_rollback)

    publish = commands.add_parser("publish", help="upload a snapshot to object storage, then point CURRENT at it")
    publish.add_argument("--to", required=True, metavar="URL", help="the published store, s3://bucket/prefix")
    publish.add_argument("--snapshot", help="a snapshot id from `snapshots` (default: the current one)")
    publish.add_argument("--store", help=store_help)
    publish.set_defaults(run=_run_publish)

    prune = commands.add_parser("prune", help="remove old snapshots (keeps the current, the latest, rollback "
                                "targets and the sample)")
    prune.add_argument("--keep", type=int, help=f"how many of the latest to keep (default: ${config.KEEP_ENV} or "
                       f"{config.DEFAULT_KEEP_SNAPSHOTS})")
    prune.add_argument("--dry-run", action="store_true", help="only list what would be removed")
    prune.add_argument("--remote", metavar="URL", help="prune this published store (s3://bucket/prefix) instead")
    prune.add_argument("--store", help=store_help)
    prune.set_defaults(run=_run_prune)

    templates = commands.add_parser("templates", help="write the blank report templates (XLSX and CSV)")
    templates.add_argument("--out", default=str(config.TEMPLATES_DIR))
    templates.set_defaults(run=_run_templates)
    _add_tools(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    try:
        args = _parser().parse_args(argv)
        return args.run(args)
    except (FilterError, db.DataError) as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
