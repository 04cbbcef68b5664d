"""Pre-aggregated tables, built once per curated snapshot; which queries they can answer exactly.

Filters select whole months (``from``/``to`` are YYYY-MM), so the grain is the month:

* ``agg_period``: stage events per month × stage × district × sector (period activity, by district,
  sector, month, quarter, year); ``agg_period_<dimension>`` adds one more breakdown column.
* ``agg_cohort``: candidates per referral month × district × sector × stage reached × lag bucket
  (``ceil(days from referral / 30)``), with the latest referral date for the maturity flag. It answers
  cohorts without a window or with a window in whole buckets (the sidebar steps by 30 days).
* ``data_span``: the first and last event dates.

Everything else (by grassroots union, cohorts by gender, a 45-day window) falls back to the raw
``events``/``candidates`` views, with identical results (``tests/test_aggregates.py``).

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

from analytics import model, storage

FOLDER = "aggregates"
FINGERPRINT = "fingerprint.json"
LAG_BUCKET_DAYS = 30

#: Breakdowns with their own period aggregate (district, sector and time are in ``agg_period``).
DETAIL_DIMENSIONS = ("gender", "age_band", "reporting_unit", "industrial_zone")
_BASE_DIMENSIONS = ("district", "sector")

_MONTH = "CAST(date_trunc('month', {col}) AS DATE) AS month"


def _period_sql(extra: str | None) -> str:
    columns = "stage, district_code, sector" + (f", {extra}" if extra else "")
    return f"""
        SELECT {_MONTH.format(col="event_on")}, {columns}, count(*) AS n
        FROM events GROUP BY ALL ORDER BY ALL"""


_COHORT_SQL = f"""
    SELECT {_MONTH.format(col="cohort_on")}, district_code, sector, stage,
           CAST((date_diff('day', cohort_on, event_on) + {LAG_BUCKET_DAYS - 1}) // {LAG_BUCKET_DAYS} AS INTEGER)
               AS lag_bucket,
           count(*) AS n, max(cohort_on) AS last_referred_on
    FROM (SELECT e.*, s.stage::stage_t AS stage
          FROM (UNPIVOT (SELECT district_code, sector, referred_on AS cohort_on, referred_on, trained_on,
                                admitted_on, official_on FROM candidates)
                ON referred_on, trained_on, admitted_on, official_on INTO NAME date_column VALUE event_on) e
          JOIN ref_stages s USING (date_column))
    GROUP BY ALL ORDER BY ALL"""

_SPAN_SQL = "SELECT min(event_on) AS first_on, max(event_on) AS last_on FROM events"


def definitions() -> dict[str, str]:
    """Every aggregate table and the SQL that builds it from the raw views."""
    tables = {"agg_period": _period_sql(None)}
    for key in DETAIL_DIMENSIONS:
        tables[f"agg_period_{key}"] = _period_sql(model.DIMENSIONS[key].column)
    tables["agg_cohort"] = _COHORT_SQL
    tables["data_span"] = _SPAN_SQL
    return tables


def period_table(by: str | None) -> str | None:
    """The aggregate that answers period activity broken down by ``by``, or None (use raw events)."""
    if by is None or by in _BASE_DIMENSIONS or model.DIMENSIONS[by].time_unit:
        return "agg_period"
    return f"agg_period_{by}" if by in DETAIL_DIMENSIONS else None


def cohort_table(window_days: int | None, by: str | None) -> str | None:
    """The aggregate that answers a cohort, or None when the window or breakdown needs raw rows."""
    if window_days is not None and window_days % LAG_BUCKET_DAYS:
        return None
    if by is None or by in _BASE_DIMENSIONS or model.DIMENSIONS[by].time_unit:
        return "agg_cohort"
    return None


def fingerprint(con: duckdb.DuckDBPyConnection, paths: list[str]) -> str:
    """A digest of the Parquet footers (row groups, sizes, statistics) of the raw inputs: cheap to read."""
    digest = hashlib.sha256()
    for path in paths:
        rows = con.sql(
            """SELECT row_group_id, column_id, num_values, total_compressed_size,
                      stats_min, stats_max, stats_null_count
               FROM parquet_metadata($path) ORDER BY ALL""",
            params={"path": path},
        ).fetchall()
        digest.update(repr((path.rsplit("/", 1)[-1], rows)).encode())
    return digest.hexdigest()


def _persisted_fingerprint(con: duckdb.DuckDBPyConnection, location: str) -> str | None:
    try:
        rows = con.read_json(storage.join(location, FOLDER, FINGERPRINT)).fetchall()
    except (duckdb.IOException, duckdb.InvalidInputException):
        return None
    return rows[0][0] if rows else None


_TYPED = {"district_code": "district_t", "sector": "sector_t", "stage": "stage_t"}


def load_or_build(con: duckdb.DuckDBPyConnection, location: str, inputs: list[str]) -> str:
    """Create the aggregate tables in ``con``: from ``location/aggregates`` if current, else from the views.

    Returns ``"persisted"`` or ``"built"``.
    """
    current = fingerprint(con, inputs)
    persisted = _persisted_fingerprint(con, location) == current
    for name, sql in definitions().items():
        if persisted:
            relation = con.read_parquet(storage.join(location, FOLDER, f"{name}.parquet"))
            casts = [f"{col}::{kind} AS {col}" for col, kind in _TYPED.items() if col in relation.columns]
            sql = f"SELECT * REPLACE ({', '.join(casts)}) FROM relation" if casts else "SELECT * FROM relation"
            con.sql(sql).create(name)  # names come from definitions(), not input
        else:
            con.execute(f"CREATE TABLE {name} AS {sql}")
    return "persisted" if persisted else "built"


def persist(con: duckdb.DuckDBPyConnection, folder: str, inputs: list[str]) -> dict[str, int]:
    """Write every aggregate (already in ``con``) and the inputs' fingerprint into a local ``folder``."""
    os.makedirs(folder, exist_ok=True)
    counts = {}
    for name in definitions():
        table = con.table(name).to_arrow_table()
        pq.write_table(table, os.path.join(folder, f"{name}.parquet"), compression="zstd")
        counts[name] = table.num_rows
    temporary = os.path.join(folder, f".{FINGERPRINT}.tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump({"fingerprint": fingerprint(con, inputs)}, handle)
    os.replace(temporary, os.path.join(folder, FINGERPRINT))  # written last: the files above are complete
    return counts
