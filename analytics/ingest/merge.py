"""Applying a checked batch to the curated tables (pure: tables in, tables and problems out).

* Register: a report covers (district, referral year) pairs. A later report for the same pairs replaces
  every earlier row there, so a corrected report never double counts; a person already reported for
  another district or year is a duplicate (an error).
* Membership, targets and unions: a row replaces the row with the same (year, district, sector or stage),
  or the same union id.
* Real data never mixes with the synthetic sample: on top of the sample, the first load starts from
  the sample's reference tables (districts, unions) with no candidates, membership or targets.
"""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from analytics.ingest.problems import WARNING, Problem
from analytics.ingest.validate import STAGE_COLUMNS

SCHEMAS = {
    "candidates": pa.schema(
        [(name, pa.string()) for name in ("candidate_key", "union_id", "district_code", "sector", "gender",
                                          "age_band")]
        + [(name, pa.date32()) for name in STAGE_COLUMNS]
        + [("batch_id", pa.string())]
    ),
    "membership": pa.schema([("year", pa.int16()), ("district_code", pa.string()), ("sector", pa.string()),
                             ("union_members", pa.int32()), ("workers", pa.int32())]),
    "targets": pa.schema([("year", pa.int16()), ("district_code", pa.string()), ("stage", pa.string()),
                          ("target", pa.int32())]),
    "unions": pa.schema([(name, pa.string()) for name in ("union_id", "union_name", "district_code",
                                                           "reporting_unit", "sector", "industrial_zone")]),
}
#: Tables that real data starts empty on top of the sample (the union list is kept and extended).
FROM_SCRATCH = ("candidates", "membership", "targets")
NATURAL_KEYS = {"membership": ["year", "district_code", "sector"], "targets": ["year", "district_code", "stage"],
                "unions": ["union_id"]}
TARGET_TABLE = {"register": "candidates", "membership": "membership", "targets": "targets", "unions": "unions"}


def plain(table: pa.Table) -> pa.Table:
    """``table`` with dictionary columns decoded to their value type."""
    return pa.table([c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in table.columns],
                    names=table.column_names)


def start_from(tables: dict[str, pa.Table], source: str) -> dict[str, pa.Table]:
    """The tables a load builds on: the current ones, or, on top of the sample, only its reference tables."""
    tables = dict(tables)
    for name, schema in SCHEMAS.items():
        fresh = source == "sample" and name in FROM_SCRATCH
        tables[name] = schema.empty_table() if fresh else plain(tables[name]).cast(schema)
    return tables


def _frame(table: pa.Table) -> pd.DataFrame:
    return table.to_pandas(types_mapper={pa.string(): pd.StringDtype()}.get, date_as_object=True)


def _table(frame: pd.DataFrame, name: str, sort: list[str]) -> pa.Table:
    frame = frame.sort_values(sort, kind="stable", ignore_index=True)
    return pa.Table.from_pandas(frame[SCHEMAS[name].names], schema=SCHEMAS[name], preserve_index=False)


def _scope(frame: pd.DataFrame) -> pd.Series:
    return frame["district_code"].astype(str) + "/" + pd.Series([d.year for d in frame["referred_on"]],
                                                                 index=frame.index).astype(str)


def merge_register(candidates: pa.Table, batch: pa.Table, batch_id: str, names: dict[str, str]
                   ) -> tuple[pa.Table, list[Problem], list[str]]:
    """Candidates with ``batch`` applied, the problems (duplicates: errors; replacements: warnings), and the
    batch's scope as "district/year" strings. ``names`` gives district names for messages."""
    current, new = _frame(candidates), _frame(batch)
    scope = sorted(set(_scope(new)))
    in_scope = _scope(current).isin(scope) if len(current) else pd.Series([], dtype=bool)
    kept = current[~in_scope]
    problems = []
    for part, rows in current[in_scope].groupby(_scope(current[in_scope])):
        district, year = part.split("/")
        problems.append(Problem("replaces", WARNING, params={"rows": len(rows),
                                                             "scope": f"{names.get(district, district)} {year}"}))
    clash = new.merge(kept[["candidate_key", "district_code", "referred_on"]], on="candidate_key",
                      suffixes=("", "_curated"))
    for _, row in clash.iterrows():
        district = names.get(row["district_code_curated"], row["district_code_curated"])
        problems.append(Problem("duplicate_in_curated", row=int(row["row"]), column="",
                                params={"district": district, "year": row["referred_on_curated"].year}))
    new["batch_id"] = batch_id
    merged = pd.concat([kept, new.drop(columns="row")], ignore_index=True)
    return _table(merged, "candidates", ["referred_on", "candidate_key"]), problems, scope


def merge_keyed(current: pa.Table, batch: pa.Table, name: str) -> pa.Table:
    """Membership or targets with the batch's rows replacing those with the same natural key."""
    keys = NATURAL_KEYS[name]
    old, new = _frame(current), _frame(batch).drop(columns="row")
    if len(old):
        replaced = old.set_index(keys).index.isin(new.set_index(keys).index)
        old = old[~replaced]
    return _table(pd.concat([old, new], ignore_index=True), name, keys)
