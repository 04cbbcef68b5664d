"""Pre-aggregated tables, built once per curated snapshot; which queries they can answer exactly.

Filters select whole months (``from``/``to`` are YYYY-MM), so the grain is the month:

* ``agg_period``: stage events per month × stage × district × sector (period activity, by district,
  sector, month, quarter, year); ``agg_period_<dimension>`` adds one more breakdown column.
* ``agg_cohort``: candidates per referral month × district × sector, how many reached each stage,
  and the latest referral date (for the maturity flag): cohorts without a window.
* ``agg_cohort_late``: per window (a multiple of 30 days, the sidebar's steps, or 365 or 730) × referral month ×
  district × sector, how many reached each later stage only *after* the window. A cohort with such a
  window is ``agg_cohort`` minus one window's rows: a lookup, not a sum over lags. Only groups with a
  late candidate have rows, so windows longer than every lag in the data have none (nothing is late).
* ``agg_cohort_lag``: by stage × lag bucket (``ceil(days from referral / 5)``): cohorts with any other
  window of whole buckets (45, 395 days); the source of ``agg_cohort_late``.
* ``agg_period_union``, ``agg_cohort_union``: the period and cohort tables with the grassroots union
  (the breakdown with about 100,000 groups nationally), sorted by month so a period reads few row groups.
* ``data_span``: the first and last event dates; ``area_span``: the last event date per district × unit (how
  far the data goes for a user who sees only some areas).

Everything else (cohorts by gender, a 47-day window, a union cohort with a window) falls back to the
raw ``events``/``candidates`` views, with identical results (``tests/test_aggregates.py``).

``python -m analytics aggregate --data DIR`` persists them as ``DIR/aggregates/*.parquet`` with a
fingerprint of the candidate and union files; :func:`load_or_build` uses them only while that
fingerprint matches, and otherwise builds them in memory (cheap for a province).
"""

from __future__ import annotations

import hashlib
import json
import os

import duckdb
import pyarrow.parquet as pq

from analytics import config, model, storage

FOLDER = "aggregates"
FINGERPRINT = "fingerprint.json"
#: 5 days divides the usual windows (30, 60, 90, 180, 365, 730 days) and the sidebar's 30-day steps.
LAG_BUCKET_DAYS = 5
#: The windows ``agg_cohort_late`` answers: multiples of the sidebar's step, and a year or two (all multiples of
#: the bucket).
WINDOW_STEP_DAYS = 30
YEAR_WINDOWS = (365, 730)
#: Small row groups, so a query for a few months skips most of a persisted aggregate (sorted by month).
ROW_GROUP_ROWS = 65_536

#: Breakdowns with their own period aggregate (district, sector and time are in ``agg_period``).
DETAIL_DIMENSIONS = ("gender", "age_band", "reporting_unit", "industrial_zone", "union")
#: Breakdowns with their own cohort aggregate (without a window).
COHORT_DETAIL_DIMENSIONS = ("union",)
_BASE_DIMENSIONS = ("district", "unit", "sector")

#: Persisted aggregates the overview reads, held in memory; the others stay views over their Parquet.
IN_MEMORY = ("agg_period", "agg_cohort", "agg_cohort_late", "data_span", "area_span")
#: Narrow types for the in-memory copies (about a quarter of the memory of strings and BIGINTs).
_COMPACT_TYPES = {"district_code": "district_t", "unit_code": "unit_t", "sector": "sector_t", "stage": "stage_t",
                  "lag_bucket": "SMALLINT", "window_days": "SMALLINT", "n": "INTEGER",
                  **{key: "INTEGER" for key in model.stage_keys()}}

_MONTH = "CAST(date_trunc('month', {col}) AS DATE) AS month"
#: The columns every aggregate keeps, so that the sidebar's filters (districts, units, sectors) apply to all.
FILTER_COLUMNS = "district_code, unit_code, sector"


def _period_sql(extra: str | None) -> str:
    columns = f"stage, {FILTER_COLUMNS}" + (f", {extra}" if extra else "")
    return f"""
        SELECT {_MONTH.format(col="event_on")}, {columns}, count(*) AS n
        FROM events GROUP BY ALL ORDER BY ALL"""


def _cohort_sql(extra: str | None) -> str:
    columns = FILTER_COLUMNS + (f", {extra}" if extra else "")
    reached = ", ".join(f"count({s.date_column}) AS {s.key}" for s in model.stages())
    referred_on = model.stages()[0].date_column
    return f"""
        SELECT {_MONTH.format(col=referred_on)}, {columns}, {reached},
               max({referred_on}) AS last_referred_on
        FROM candidates GROUP BY ALL ORDER BY ALL"""


def _cohort_lag_sql() -> str:
    """Each stage's events by referral month and lag bucket (days from referral, in whole buckets)."""
    dates, referred_on = ", ".join(model.date_columns()), model.stages()[0].date_column
    return f"""
    SELECT {_MONTH.format(col="cohort_on")}, {FILTER_COLUMNS}, stage,
           CAST((date_diff('day', cohort_on, event_on) + {LAG_BUCKET_DAYS - 1}) // {LAG_BUCKET_DAYS} AS INTEGER)
               AS lag_bucket,
           count(*) AS n, max(cohort_on) AS last_referred_on
    FROM (SELECT e.*, s.stage::stage_t AS stage
          FROM (UNPIVOT (SELECT {FILTER_COLUMNS}, {referred_on} AS cohort_on, {dates} FROM candidates)
                ON {dates} INTO NAME date_column VALUE event_on) e
          JOIN ref_stages s USING (date_column))
    GROUP BY ALL ORDER BY ALL"""


def _cohort_late_sql() -> str:
    """From ``agg_cohort_lag``: with ``w`` a multiple of the bucket, ``lag > w`` exactly when ``bucket × 5 > w``."""
    late = ", ".join(f"CAST(coalesce(sum(n) FILTER (WHERE stage = '{s.key}'), 0) AS BIGINT) AS {s.key}"
                     for s in model.stages()[1:])
    return f"""
        SELECT w.window_days, l.month, l.district_code, l.unit_code, l.sector, {late}
        FROM agg_cohort_lag l
        JOIN (SELECT CAST(range AS INTEGER) AS window_days
              FROM range(0, (SELECT coalesce(max(lag_bucket), 0) * {LAG_BUCKET_DAYS} FROM agg_cohort_lag),
                         {WINDOW_STEP_DAYS})
              UNION SELECT unnest({list(YEAR_WINDOWS)})) w
          ON l.lag_bucket * {LAG_BUCKET_DAYS} > w.window_days
        GROUP BY ALL ORDER BY ALL"""


_SPAN_SQL = "SELECT min(event_on) AS first_on, max(event_on) AS last_on FROM events"
_AREA_SPAN_SQL = "SELECT district_code, unit_code, max(event_on) AS last_on FROM events GROUP BY ALL ORDER BY ALL"


def definitions() -> dict[str, str]:
    """Every aggregate table and the SQL that builds it from the raw views."""
    tables = {"agg_period": _period_sql(None)}
    for key in DETAIL_DIMENSIONS:
        tables[f"agg_period_{key}"] = _period_sql(model.DIMENSIONS[key].column)
    tables["agg_cohort"] = _cohort_sql(None)
    for key in COHORT_DETAIL_DIMENSIONS:
        tables[f"agg_cohort_{key}"] = _cohort_sql(model.DIMENSIONS[key].column)
    tables["agg_cohort_lag"] = _cohort_lag_sql()
    tables["agg_cohort_late"] = _cohort_late_sql()  # after agg_cohort_lag, its source
    tables["data_span"] = _SPAN_SQL
    tables["area_span"] = _AREA_SPAN_SQL
    return tables


def period_table(by: str | None) -> str | None:
    """The aggregate that answers period activity broken down by ``by``, or None (use raw events)."""
    if by is None or by in _BASE_DIMENSIONS or model.DIMENSIONS[by].time_unit:
        return "agg_period"
    return f"agg_period_{by}" if by in DETAIL_DIMENSIONS else None


def cohort_table(window_days: int | None, by: str | None) -> str | None:
    """The aggregate that answers a cohort, or None when the window or breakdown needs raw rows."""
    if not (by is None or by in _BASE_DIMENSIONS or model.DIMENSIONS[by].time_unit):
        return f"agg_cohort_{by}" if by in COHORT_DETAIL_DIMENSIONS and window_days is None else None
    if window_days is None:
        return "agg_cohort"
    if window_days % WINDOW_STEP_DAYS == 0 or window_days in YEAR_WINDOWS:
        return "agg_cohort_late"
    return None if window_days % LAG_BUCKET_DAYS else "agg_cohort_lag"


def fingerprint(con: duckdb.DuckDBPyConnection, paths: list[str]) -> str:
    """A digest of the aggregates' definitions and of the Parquet footers (row groups, sizes, statistics)
    of the raw inputs: cheap to read, and different when either changes."""
    digest = hashlib.sha256(repr(definitions()).encode())
    for path in paths:
        try:
            rows = con.sql(
                """SELECT row_group_id, column_id, num_values, total_compressed_size,
                          stats_min, stats_max, stats_null_count
                   FROM parquet_metadata($path) ORDER BY ALL""",
                params={"path": path},
            ).fetchall()
        except duckdb.IOException:
            rows = "missing"  # a table an older snapshot does not have
        digest.update(repr((path.rsplit("/", 1)[-1], rows)).encode())
    return digest.hexdigest()


def _persisted_fingerprint(con: duckdb.DuckDBPyConnection, location: str) -> str | None:
    try:
        rows = con.read_json(storage.join(location, FOLDER, FINGERPRINT)).fetchall()
    except (duckdb.IOException, duckdb.InvalidInputException):
        return None
    return rows[0][0] if rows else None


def is_current(con: duckdb.DuckDBPyConnection, location: str, inputs: list[str]) -> bool:
    """Whether ``location/aggregates`` was built from exactly the raw files ``inputs``."""
    return _persisted_fingerprint(con, location) == fingerprint(con, inputs)


def load_or_build(con: duckdb.DuckDBPyConnection, location: str, inputs: list[str]) -> list[str]:
    """Create the aggregates in ``con`` and return the folders queries will read them from.

    Persisted and current: read from their Parquet (a remote store's are first copied into the local
    cache, once per fingerprint), the overview's in memory and the rest as views. Otherwise: tables built in memory
    from the raw views (seconds and hundreds of MiB at national scale, milliseconds for a province).
    """
    current = fingerprint(con, inputs)
    if _persisted_fingerprint(con, location) != current:
        for name, sql in definitions().items():  # names come from definitions(), not input
            con.execute(f"CREATE TABLE {name} AS {sql}")
        return []
    folder = storage.join(location, FOLDER)
    if storage.is_remote(location):
        folder = _cached_copy(con, folder, current)
    for name in definitions():
        path = storage.sql_string(os.path.join(folder, f"{name}.parquet"))
        if name in IN_MEMORY:
            columns = con.sql(f"SELECT * FROM read_parquet({path})").columns
            casts = ", ".join(f"{c}::{kind} AS {c}" for c, kind in _COMPACT_TYPES.items() if c in columns)
            replace = f" REPLACE ({casts})" if casts else ""
            con.execute(f"CREATE TABLE {name} AS SELECT *{replace} FROM read_parquet({path})")
        else:
            con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet({path})")
    return [folder]


def _cached_copy(con: duckdb.DuckDBPyConnection, remote: str, current: str) -> str:
    """A local copy of a remote aggregates folder, under the cache folder, named by its fingerprint."""
    local = os.path.join(config.cache_dir(), current)
    if not os.path.isdir(local):
        staging = f"{local}.{os.getpid()}.tmp"
        os.makedirs(staging, exist_ok=True)
        for name in definitions():
            source = storage.join(remote, f"{name}.parquet")
            pq.write_table(con.read_parquet(source).to_arrow_table(), os.path.join(staging, f"{name}.parquet"))
        os.replace(staging, local)  # complete or absent
    return local


def persist(con: duckdb.DuckDBPyConnection, folder: str, inputs: list[str]) -> dict[str, int]:
    """Write every aggregate (already in ``con``) and the inputs' fingerprint into a local ``folder``."""
    os.makedirs(folder, exist_ok=True)
    counts = {}
    for name in definitions():
        table = con.table(name).to_arrow_table()
        path = os.path.join(folder, f"{name}.parquet")
        pq.write_table(table, path, compression="zstd", row_group_size=ROW_GROUP_ROWS)
        counts[name] = table.num_rows
    temporary = os.path.join(folder, f".{FINGERPRINT}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"fingerprint": fingerprint(con, inputs)}, handle)
    os.replace(temporary, os.path.join(folder, FINGERPRINT))  # written last: the files above are complete
    return counts
