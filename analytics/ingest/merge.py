"""Applying a checked batch to the curated tables (pure: tables in, tables and problems out).

* Register: a report covers (unit of referral, year of referral) pairs. A later report for the same pairs
  replaces every earlier row there, so a corrected report never double counts; a person already reported
  for another unit or year is a duplicate (an error).
* Membership and targets: a row replaces the row with the same (year, unit, sector or stage).
* Unions: a row replaces the union's row; where the union is from its date on goes into ``union_units``.
* Units: a row replaces the row with the same code and start; crosswalk rows replace every row of the
  units they name; an event replaces the event with the same date and name.
* Real data never mixes with the synthetic sample: on top of the sample, the first load starts from
  the sample's units, crosswalk and union list with no candidates, membership or targets."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pyarrow as pa

from analytics import model
from analytics.events import EVENTS_SCHEMA
from analytics.geography import CROSSWALK_SCHEMA, UNITS_SCHEMA
from analytics.ingest.problems import WARNING, Problem, Problems
from analytics.ingest.validate import STAGE_COLUMNS

SCHEMAS = {
    "candidates": pa.schema(
        [(name, pa.string()) for name in ("candidate_key", "union_id", "district_code", "unit_code", "sector", "gender",
                                          "age_band")]
        + [(name, pa.date32()) for name in STAGE_COLUMNS]
        + [("batch_id", pa.string())]
    ),
    "membership": pa.schema([("year", pa.int16()), ("district_code", pa.string()), ("unit_code", pa.string()),
                             ("sector", pa.string()), ("union_members", pa.int32()), ("workers", pa.int32())]),
    "targets": pa.schema([("year", pa.int16()), ("district_code", pa.string()), ("unit_code", pa.string()),
                          ("stage", pa.string()), ("target", pa.int32())]),
    "unions": pa.schema([(name, pa.string()) for name in ("union_id", "union_name", "district_code",
                                                           "reporting_unit", "sector", "industrial_zone")]),
    "union_units": pa.schema([("union_id", pa.string()), ("unit_code", pa.string()), ("valid_from", pa.date32()),
                              ("valid_to", pa.date32())]),
    "units": UNITS_SCHEMA,
    "crosswalk": CROSSWALK_SCHEMA,
    "calendar": EVENTS_SCHEMA,
}
#: Tables that real data starts empty on top of the sample (the units, crosswalk and union list are kept).
FROM_SCRATCH = ("candidates", "membership", "targets")
NATURAL_KEYS = {"membership": ["year", "unit_code", "sector"], "targets": ["year", "unit_code", "stage"],
                "unions": ["union_id"], "units": ["unit_code", "valid_from"], "crosswalk": ["unit_code"],
                "calendar": ["start", "name_vi"]}
TARGET_TABLE = {"register": "candidates", "membership": "membership", "targets": "targets", "unions": "unions",
                "units": "units", "crosswalk": "crosswalk", "events": "calendar"}


def plain(table: pa.Table) -> pa.Table:
    """``table`` with dictionary columns decoded to their value type."""
    return pa.table([c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns],
                    names=table.column_names)


def start_from(tables: dict[str, pa.Table], source: str) -> dict[str, pa.Table]:
    """The tables a load builds on: the current ones, or, on top of the sample, only its reference tables."""
    tables = dict(tables)
    for name, schema in SCHEMAS.items():
        fresh = source == "sample" and name in FROM_SCRATCH
        tables[name] = schema.empty_table() if fresh else _complete(plain(tables[name]), schema).cast(schema)
    return tables


def _complete(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """``table`` with the columns of ``schema`` it lacks as nulls (a register's batch id in data that was
    not loaded through the ingest step)."""
    for field in schema:
        if field.name not in table.column_names:
            table = table.append_column(field.name, pa.nulls(table.num_rows, field.type))
    return table.select(schema.names)


def _frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get, date_as_object=True)


def _table(frame: pd.DataFrame, name: str, sort: list[str]) -> pa.Table:
    """``frame`` as the table ``name``, sorted stably by ``sort`` (in Arrow: no sorted copy of the frame)."""
    table = pa.Table.from_pandas(frame[SCHEMAS[name].names], schema=SCHEMAS[name], preserve_index=False)
    return table.sort_by([(column, "ascending") for column in sort])


def _scope(frame: pd.DataFrame) -> pd.Series:
    """What a register covers: (unit of referral, year of referral) as "unit/year"."""
    return frame["unit_code"].astype(str) + "/" + pd.Series([d.year for d in frame["referred_on"]],
                                                                 index=frame.index).astype(str)


def merge_register(candidates: pa.Table, batch: pa.Table, batch_id: str, names: dict[str, str],
                   absent: tuple[model.Stage, ...] = (), person_column: str = ""
                   ) -> tuple[pa.Table, list[Problem], list[str]]:
    """Candidates with ``batch`` applied, the problems (duplicates: errors; replacements: warnings), and the
    batch's scope as "unit/year" strings. ``names`` gives unit names for messages. A report without the column
    of a stage (``absent``) may not replace rows that have its dates: they would be erased."""
    current = _frame(candidates)
    new = _frame(batch.select(["row", "candidate_key", "unit_code", "referred_on"]))  # what the checks need
    scope = sorted(set(_scope(new)))
    in_scope = _scope(current).isin(scope) if len(current) else pd.Series([], dtype=bool)
    kept = current[~in_scope]
    problems = Problems()
    for part, rows in current[in_scope].groupby(_scope(current[in_scope])):
        unit, year = part.split("/")
        problems.append(Problem("replaces", WARNING, params={"rows": len(rows),
                                                             "scope": f"{names.get(unit, unit)} {year}"}))
        for stage in absent:
            if dated := int(rows[stage.date_column].notna().sum()):
                problems.append(Problem("stage_column_absent", params={
                    "rows": dated, "scope": f"{names.get(unit, unit)} {year}", "column_vi": stage.date_header["vi"],
                    "column_en": stage.date_header["en"]}))
    clash = new.merge(kept[["candidate_key", "unit_code", "referred_on"]], on="candidate_key",
                      suffixes=("", "_curated"))
    for _, row in clash.iterrows():
        district = names.get(row["unit_code_curated"], row["unit_code_curated"])
        problems.append(Problem("duplicate_in_curated", row=int(row["row"]), column=person_column,
                                params={"district": district, "year": row["referred_on_curated"].year}))
    schema = SCHEMAS["candidates"]
    added = batch.append_column("batch_id", pa.array([batch_id] * batch.num_rows, pa.string()))
    merged = pa.concat_tables([pa.Table.from_pandas(kept[schema.names], schema=schema, preserve_index=False),
                               added.select(schema.names).cast(schema)])  # the batch never goes through pandas
    return merged.sort_by([("referred_on", "ascending"), ("candidate_key", "ascending")]), problems, scope


def merge_keyed(current: pa.Table, batch: pa.Table, name: str) -> pa.Table:
    """A table with the batch's rows replacing those with the same natural key (for the crosswalk: every row
    of a unit the batch names, so a corrected mapping replaces the whole of it)."""
    keys = NATURAL_KEYS[name]
    old, new = _frame(current), _frame(batch)[SCHEMAS[name].names]
    if len(old):
        replaced = old.set_index(keys).index.isin(new.set_index(keys).index)
        old = old[~replaced]
    return _table(pd.concat([old, new], ignore_index=True), name, keys)


def merge_unions(unions: pa.Table, union_units: pa.Table, batch: pa.Table, spans: dict[str, tuple]
                 ) -> tuple[pa.Table, pa.Table]:
    """The union list and each union's units over time with a union list applied: a union's row replaces
    its earlier one (the latest by date); a union in a unit from a day on is no longer in another unit from
    that day (an earlier stay ends the day before), until the unit ends (``spans``: unit → its last day)."""
    frame = _frame(batch).sort_values(["union_id", "valid_from"], kind="stable")
    latest = frame.groupby("union_id", sort=False).tail(1)
    merged_unions = merge_keyed(unions, pa.Table.from_pandas(latest, preserve_index=False), "unions")
    stays = _frame(union_units)
    for union_id, rows in frame.groupby("union_id", sort=False):
        starts = list(rows["valid_from"])
        ends = [min(spans[unit], next_start - timedelta(days=1)) if next_start else spans[unit]
                for unit, next_start in zip(rows["unit_code"], [*starts[1:], None], strict=True)]
        mine = stays["union_id"] == union_id
        before = stays[mine & (stays["valid_from"] < starts[0])].copy()
        before["valid_to"] = [min(end, starts[0] - timedelta(days=1)) for end in before["valid_to"]]
        added = pd.DataFrame({"union_id": union_id, "unit_code": list(rows["unit_code"]), "valid_from": starts,
                              "valid_to": ends})
        stays = pd.concat([stays[~mine], before, added], ignore_index=True)
    return merged_unions, _table(stays, "union_units", ["union_id", "valid_from"])
