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

from analytics import aggregates, config, legacy, model, storage

SMALL_TABLES = ("unions", "union_units", "membership", "targets", "units", "crosswalk", "calendar")
CURATED_TABLES = ("candidates", *SMALL_TABLES)
#: What a snapshot written before units had validity holds instead (see :mod:`analytics.legacy`).
LEGACY_TABLES = ("districts",)

#: Describes the curated data: ``{"source": "sample" | "ingest" | "bench", ...}``.
MANIFEST = "manifest.json"


def curated_path(location: str, name: str) -> str:
    """A file under ``location`` (a folder or an object-store URL); a bare table name means its Parquet."""
    return storage.join(location, name if "." in name else f"{name}.parquet")


def resolve(location: str) -> str:
    """The one snapshot a connection reads: a local ``location`` with symlinks resolved, a published object
    store's ``prefix/snapshots/<id>`` as its pointer names it (:func:`analytics.storage.published`).

    ``data/curated`` is a link that the ingest step swaps atomically, ``CURRENT`` an object the publisher
    writes last; resolving once means every table comes from the same snapshot even if a load or a publish
    switches meanwhile. The result also names the snapshot, so caches keyed by it notice a new one.
    """
    if storage.is_remote(location):
        return storage.published(location)
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
CREATE TYPE district_t AS ENUM (SELECT DISTINCT unit_code FROM raw_units WHERE level = 'district' ORDER BY 1);
CREATE TYPE unit_t AS ENUM (SELECT DISTINCT unit_code FROM raw_units WHERE level IN ('district', 'commune') ORDER BY 1);
CREATE TYPE sector_t AS ENUM (SELECT sector FROM ref_sectors);
CREATE TYPE stage_t AS ENUM (SELECT stage FROM ref_stages ORDER BY stage_order);

CREATE TABLE units AS SELECT * FROM raw_units ORDER BY unit_code, valid_from;
CREATE TABLE calendar AS SELECT * FROM raw_calendar ORDER BY start;
CREATE TABLE districts AS
    SELECT unit_code::district_t AS district_code, name_vi, name_en, unit_type, valid_from, valid_to, lat, lon
    FROM raw_units WHERE level = 'district';
CREATE TABLE crosswalk AS
    SELECT * REPLACE (unit_code::unit_t AS unit_code, former_code::district_t AS former_code) FROM raw_crosswalk;
-- The former district each unit counts in: a district itself, a new unit its main former district.
CREATE TABLE unit_district AS
    SELECT unit_code::unit_t AS unit_code, unit_code::district_t AS district_code
    FROM (SELECT DISTINCT unit_code FROM raw_units WHERE level = 'district')
    UNION ALL SELECT unit_code, former_code FROM crosswalk WHERE main;
CREATE TABLE unit_span AS
    SELECT unit_code::unit_t AS unit_code, min(valid_from) AS first_on, max(valid_to) AS last_on
    FROM raw_units WHERE level IN ('district', 'commune') GROUP BY ALL;
CREATE TABLE unions AS
    SELECT * REPLACE (district_code::district_t AS district_code, sector::sector_t AS sector)
    FROM raw_unions ORDER BY union_id;
CREATE TABLE union_units AS
    SELECT * REPLACE (unit_code::unit_t AS unit_code) FROM raw_union_units ORDER BY union_id, valid_from;
CREATE TABLE membership AS
    SELECT * REPLACE (district_code::district_t AS district_code, unit_code::unit_t AS unit_code,
                      sector::sector_t AS sector)
    FROM raw_membership;
CREATE TABLE targets AS
    SELECT * REPLACE (district_code::district_t AS district_code, unit_code::unit_t AS unit_code,
                      stage::stage_t AS stage)
    FROM raw_targets;
"""

# An event happens in the unit its union belongs to on the event's date (unions move to new units through
# the union list); if the union has no unit that day, in the candidate's unit of referral while that unit
# exists; and it counts in that unit's former district (the crosswalk's main one after a reorganisation),
# or the candidate's district of referral when no unit is known.
_VIEWS_SQL = """
CREATE VIEW candidates AS
    SELECT c.candidate_key, c.union_id,
           c.district_code::district_t AS district_code, {unit}::unit_t AS unit_code, c.sector::sector_t AS sector,
           c.gender, c.age_band, u.reporting_unit, u.industrial_zone, {dated}
    FROM read_parquet({path}) c LEFT JOIN unions u USING (union_id);

CREATE VIEW events AS
    WITH stage_events AS (
        SELECT e.* EXCLUDE (date_column), s.stage::stage_t AS stage
        FROM (UNPIVOT candidates ON {dates} INTO NAME date_column VALUE event_on) e
        JOIN ref_stages s USING (date_column)),
    located AS (
        SELECT e.* EXCLUDE (unit_code, district_code), e.district_code AS referral_district,
               coalesce(uu.unit_code, CASE WHEN e.event_on BETWEEN sp.first_on AND sp.last_on THEN e.unit_code END)
                   AS unit_code
        FROM stage_events e
        LEFT JOIN union_units uu ON uu.union_id = e.union_id AND e.event_on BETWEEN uu.valid_from AND uu.valid_to
        LEFT JOIN unit_span sp ON sp.unit_code = e.unit_code)
    SELECT l.* EXCLUDE (referral_district), coalesce(ud.district_code, l.referral_district) AS district_code
    FROM located l LEFT JOIN unit_district ud ON ud.unit_code = l.unit_code;
"""


def _small_tables(con: duckdb.DuckDBPyConnection, location: str) -> dict[str, pa.Table]:
    """The small curated tables of ``location`` as Arrow, an older snapshot's upgraded to today's shape."""
    tables = {}
    for name in (*SMALL_TABLES, *LEGACY_TABLES):
        try:
            tables[name] = con.read_parquet(curated_path(location, name)).to_arrow_table()
        except duckdb.IOException:
            continue  # a table an older snapshot does not have, or the legacy one a new snapshot does not
    return legacy.upgrade(tables)


def _candidates_unit(con: duckdb.DuckDBPyConnection, location: str) -> str:
    """The candidates' unit of referral: their ``unit_code``, or in an older snapshot their district."""
    columns = con.read_parquet(curated_path(location, "candidates")).columns
    return "c.unit_code" if "unit_code" in columns else "c.district_code"


class DataError(RuntimeError):
    """The curated data cannot be opened: a snapshot with a table missing or damaged, a folder that is none."""


def connect(location: str | None = None, threads: int | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB over the curated data at ``location`` (default from config): views, aggregates, locked; its
    queries run on ``threads`` threads (default: one per CPU) once the aggregates are built. Raises
    :class:`DataError` when the data cannot be opened."""
    location = location or config.curated_location()
    try:
        location = resolve(location)
        return _connect(location, threads)
    except (duckdb.Error, OSError, KeyError, ValueError, pa.ArrowException) as error:
        raise DataError(f"cannot open the curated data at {location}: {type(error).__name__}: "
                        f"{str(error).splitlines()[0] if str(error) else ''}") from error


def check_snapshot(location: str) -> None:
    """Raise :class:`DataError` unless the snapshot at ``location`` opens: its manifest, its small tables (an
    older snapshot's upgraded) and its candidates; cheap (no aggregates), before it is made current or published."""
    con = duckdb.connect(":memory:")
    try:
        storage.register(con, location)
        if not json.loads(con.sql("SELECT content FROM read_text($path)", params={
                "path": curated_path(location, MANIFEST)}).fetchall()[0][0]).get("source"):
            raise ValueError(f"{MANIFEST} names no source")
        _small_tables(con, location)
        con.read_parquet(curated_path(location, "candidates")).limit(1).fetchall()
    except (duckdb.Error, OSError, KeyError, ValueError, IndexError, pa.ArrowException) as error:
        raise DataError(f"the snapshot at {location} cannot be opened: {type(error).__name__}: "
                        f"{str(error).splitlines()[0] if str(error) else ''}") from error
    finally:
        con.close()


def _connect(location: str, threads: int | None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute("SET enable_progress_bar = false")
    storage.register(con, location)
    for name, table in _reference_tables().items():
        con.from_arrow(table).create(name)
    for name, table in _small_tables(con, location).items():
        con.from_arrow(table).create(f"raw_{name}")  # names come from SMALL_TABLES, not from input
    _load_manifest(con, location)
    con.execute(_TYPED_SQL)
    for name in SMALL_TABLES:
        con.execute(f"DROP TABLE raw_{name}")
    con.execute(_VIEWS_SQL.format(path=storage.sql_string(curated_path(location, "candidates")),
                                  unit=_candidates_unit(con, location),
                                  dated=", ".join(f"c.{s.date_column}" for s in model.stages()),
                                  dates=", ".join(model.date_columns())))
    aggregate_folders = aggregates.load_or_build(con, location, inputs(location))
    con.sql("CREATE TABLE data_version AS SELECT $fingerprint AS fingerprint",
            params={"fingerprint": aggregates.fingerprint(con, inputs(location))})
    if threads:
        con.execute("SET threads = $threads", {"threads": threads})
    lock_down(con, [location, *aggregate_folders])
    return con


def inputs(location: str) -> list[str]:
    """The raw files the aggregates are computed from (their fingerprint decides if persisted ones are current)."""
    return [curated_path(location, name) for name in ("candidates", "unions", "union_units", "units", "crosswalk")]


def build_aggregates(location: str) -> dict[str, int]:
    """Compute the aggregates of a local curated folder and persist them next to the data."""
    shutil.rmtree(os.path.join(location, aggregates.FOLDER), ignore_errors=True)
    con = connect(location)
    return aggregates.persist(con, os.path.join(location, aggregates.FOLDER), inputs(location))


def ensure_aggregates(location: str) -> bool:
    """Persist a local curated folder's aggregates unless current ones are there (every server process that
    opens the folder would otherwise build them in memory: minutes and GiBs at national scale); whether it
    built them."""
    with duckdb.connect() as probe:
        if aggregates.is_current(probe, location, inputs(location)):
            return False
    build_aggregates(location)
    return True


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
