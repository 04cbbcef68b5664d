"""The DuckDB connection: curated Parquet in, typed views and aggregates out, then locked down.

The small curated tables (unions, membership, targets, districts) are read into memory with ENUM
dimensions. Candidates stay in Parquet: ``candidates`` (joined with its union) and ``events`` (one
row per candidate and reached stage) are views over the file, read only by the few queries the
aggregates cannot answer (:mod:`analytics.aggregates`). After that the connection can read only the
curated location and cannot change its settings.

The connection reads one snapshot: a local location is resolved (``data/curated`` is a link the ingest
step swaps atomically) before anything is read. Lockdown: once set up, queries may read only the
curated location (``allowed_directories``, ``enable_external_access = false``) and no setting can be
changed back (``lock_configuration``). Queries are written by this package only; values are bound.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import duckdb
import pyarrow as pa

from analytics import aggregates, config, model, storage

SMALL_TABLES = ("unions", "membership", "targets", "districts")
CURATED_TABLES = ("candidates", *SMALL_TABLES)

#: Describes the curated data: ``{"source": "sample" | "ingest" | "bench", ...}``.
MANIFEST = "manifest.json"


def curated_path(location: str, name: str) -> str:
    """A file under ``location`` (a folder or an object-store URL); a bare table name means its Parquet."""
    return storage.join(location, name if "." in name else f"{name}.parquet")


def resolve(location: str) -> str:
    """A local ``location`` with symlinks resolved: the one snapshot folder a connection reads.

    ``data/curated`` is a link that the ingest step swaps atomically; resolving it once means every table
    comes from the same snapshot even if a load switches the link meanwhile. The result also names the
    snapshot, so caches keyed by it notice a new one.
    """
    return location if "://" in location else os.path.realpath(location)


def _load_manifest(con: duckdb.DuckDBPyConnection, location: str) -> None:
    try:
        con.read_json(curated_path(location, MANIFEST)).create("manifest")
    except duckdb.IOException:
        con.execute("CREATE TABLE manifest (source VARCHAR)")


def _reference_tables() -> dict[str, pa.Table]:
    stages = model.stages()
    return {
        "ref_stages": pa.table(
            {
                "stage": [s.key for s in stages],
                "stage_order": [s.order for s in stages],
                "date_column": [s.date_column for s in stages],
            }
        ),
        "ref_sectors": pa.table({"sector": list(model.sector_keys())}),
    }


_TYPED_SQL = """
CREATE TYPE district_t AS ENUM (SELECT DISTINCT district_code FROM raw_districts ORDER BY 1);
CREATE TYPE sector_t AS ENUM (SELECT sector FROM ref_sectors);
CREATE TYPE stage_t AS ENUM (SELECT stage FROM ref_stages ORDER BY stage_order);

CREATE TABLE districts AS
    SELECT * REPLACE (district_code::district_t AS district_code) FROM raw_districts;
CREATE TABLE unions AS
    SELECT * REPLACE (district_code::district_t AS district_code, sector::sector_t AS sector)
    FROM raw_unions ORDER BY union_id;
CREATE TABLE membership AS
    SELECT * REPLACE (district_code::district_t AS district_code, sector::sector_t AS sector)
    FROM raw_membership;
CREATE TABLE targets AS
    SELECT * REPLACE (district_code::district_t AS district_code, stage::stage_t AS stage)
    FROM raw_targets;
"""

_VIEWS_SQL = """
CREATE VIEW candidates AS
    SELECT c.candidate_key, c.union_id,
           c.district_code::district_t AS district_code, c.sector::sector_t AS sector,
           c.gender, c.age_band, u.reporting_unit, u.industrial_zone, {dated}
    FROM read_parquet({path}) c LEFT JOIN unions u USING (union_id);

CREATE VIEW events AS
    SELECT e.* EXCLUDE (date_column), s.stage::stage_t AS stage
    FROM (UNPIVOT candidates ON {dates} INTO NAME date_column VALUE event_on) e
    JOIN ref_stages s USING (date_column);
"""


def connect(location: str | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB over the curated data at ``location`` (default from config): views, aggregates, locked."""
    location = resolve(location or config.curated_location())
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    storage.register(con, location)
    for name, table in _reference_tables().items():
        con.from_arrow(table).create(name)
    for table in SMALL_TABLES:
        con.read_parquet(curated_path(location, table)).create(f"raw_{table}")
    _load_manifest(con, location)
    con.execute(_TYPED_SQL)
    for table in SMALL_TABLES:
        con.execute(f"DROP TABLE raw_{table}")  # names come from SMALL_TABLES, not from input
    con.execute(_VIEWS_SQL.format(path=storage.sql_string(curated_path(location, "candidates")),
                                  dated=", ".join(f"c.{s.date_column}" for s in model.stages()),
                                  dates=", ".join(model.date_columns())))
    aggregate_folders = aggregates.load_or_build(con, location, inputs(location))
    lock_down(con, [location, *aggregate_folders])
    return con


def inputs(location: str) -> list[str]:
    """The raw files the aggregates are computed from (their fingerprint decides if persisted ones are current)."""
    return [curated_path(location, "candidates"), curated_path(location, "unions")]


def build_aggregates(location: str) -> dict[str, int]:
    """Compute the aggregates of a local curated folder and persist them next to the data."""
    shutil.rmtree(os.path.join(location, aggregates.FOLDER), ignore_errors=True)
    con = connect(location)
    return aggregates.persist(con, os.path.join(location, aggregates.FOLDER), inputs(location))


def write_manifest(folder: Path, manifest: dict) -> None:
    """Write ``manifest.json`` into a local curated folder atomically (temp file, then rename)."""
    temporary = folder / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def lock_down(con: duckdb.DuckDBPyConnection, locations: list[str]) -> None:
    """From now on queries may read only the curated locations, and no setting can be changed back."""
    allowed = [folder for location in locations for folder in storage.directories(location)]
    con.execute("SET allowed_directories = $dirs", {"dirs": allowed})
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
