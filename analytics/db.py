"""The DuckDB connection: curated Parquet in, typed tables out, then locked down.

At connect time the five curated tables are read once into an in-memory database, dimension
columns become ENUMs, candidates are joined with their union, and an ``events`` table (one row
per candidate and reached stage, sorted by date) is built for period-activity queries.

Lockdown: before anything is read, external access is switched off except for the data location
(``allowed_directories``, ``enable_external_access = false``), so even setup reads nothing else.
After setup the local file system is switched off too (``disabled_filesystems``; otherwise queries
could still read and write the data folder) and the settings are locked (``lock_configuration``).
"""

from __future__ import annotations

import json
import os
import posixpath
from pathlib import Path

import duckdb
import pyarrow as pa

from analytics import config, model

CURATED_TABLES = ("candidates", "unions", "membership", "targets", "districts")

#: Describes the curated data: ``{"source": "sample" | "ingest", ...}``.
MANIFEST = "manifest.json"


def curated_path(location: str, name: str) -> str:
    """A file under ``location`` (a folder or an object-store URL); a bare table name means its Parquet."""
    join = posixpath.join if "://" in location else os.path.join
    return join(location, name if "." in name else f"{name}.parquet")


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
CREATE TYPE gender_t AS ENUM (SELECT DISTINCT gender FROM raw_candidates WHERE gender IS NOT NULL ORDER BY 1);
CREATE TYPE age_band_t AS ENUM (
    SELECT DISTINCT age_band FROM raw_candidates WHERE age_band IS NOT NULL ORDER BY 1);

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

CREATE TABLE candidates AS
    SELECT c.candidate_key, c.union_id,
           c.district_code::district_t AS district_code, c.sector::sector_t AS sector,
           c.gender::gender_t AS gender, c.age_band::age_band_t AS age_band,
           u.reporting_unit, u.industrial_zone,
           c.referred_on, c.trained_on, c.admitted_on, c.official_on
    FROM raw_candidates c LEFT JOIN raw_unions u USING (union_id)
    ORDER BY c.referred_on, c.district_code;

CREATE TABLE events AS
    SELECT e.* EXCLUDE (date_column), s.stage::stage_t AS stage
    FROM (UNPIVOT candidates ON referred_on, trained_on, admitted_on, official_on
          INTO NAME date_column VALUE event_on) e
    JOIN ref_stages s USING (date_column)
    ORDER BY event_on, district_code;
"""


def connect(location: str | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB holding the curated tables at ``location`` (default from config)."""
    location = resolve(location or config.curated_location())
    con = duckdb.connect(":memory:")
    con.execute("SET allowed_directories = $dirs", {"dirs": [allowed_directory(location)]})
    con.execute("SET enable_external_access = false")
    for name, table in _reference_tables().items():
        con.from_arrow(table).create(name)
    for table in CURATED_TABLES:
        con.read_parquet(curated_path(location, table)).create(f"raw_{table}")
    _load_manifest(con, location)
    con.execute(_TYPED_SQL)
    for table in CURATED_TABLES:
        con.execute(f"DROP TABLE raw_{table}")  # names come from CURATED_TABLES, not from input
    lock_down(con)
    return con


def allowed_directory(location: str) -> str:
    """The data location as a directory prefix (absolute for local folders), for ``allowed_directories``."""
    if "://" in location:
        return location.rstrip("/") + "/"
    return os.path.join(os.path.abspath(location), "")


def write_manifest(folder: Path, manifest: dict) -> None:
    """Write ``manifest.json`` into a local curated folder atomically (temp file, then rename)."""
    temporary = folder / f".{MANIFEST}.tmp"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, folder / MANIFEST)


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """No file access from queries from now on, not even to the data folder, and no way to turn it back on."""
    con.execute("SET disabled_filesystems = 'LocalFileSystem'")
    con.execute("SET lock_configuration = true")
