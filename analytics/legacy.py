"""Snapshots written before units had validity and a crosswalk (a ``districts`` table, no unit codes) read
as the tables of today, so an older version stays usable and can be rolled back to. Pure: tables in,
tables out; nothing on disk changes."""

from __future__ import annotations

from datetime import date

import pyarrow as pa

from analytics.events import EVENTS_SCHEMA
from analytics.geography import CROSSWALK_SCHEMA, OPEN_END, UNITS_SCHEMA

EARLIEST = date(1900, 1, 1)



def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    return column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column


def _units(districts: pa.Table) -> pa.Table:
    """An old districts table as district-level units (their province as the parent)."""
    n = districts.num_rows
    parent = districts["province_code"] if "province_code" in districts.column_names else pa.nulls(n, pa.string())
    return pa.table({
        "unit_code": _plain(districts["district_code"]), "name_vi": districts["name_vi"],
        "name_en": districts["name_en"], "unit_type": districts["unit_type"],
        "level": pa.array(["district"] * n), "parent_code": _plain(parent).cast(pa.string()),
        "valid_from": districts["valid_from"], "valid_to": districts["valid_to"],
        "lat": districts["lat"], "lon": districts["lon"], "provisional": pa.array([False] * n),
    }, schema=UNITS_SCHEMA)


def _union_units(unions: pa.Table) -> pa.Table:
    """Each union in its district for all time (older snapshots knew no moves)."""
    n = unions.num_rows
    return pa.table({
        "union_id": _plain(unions["union_id"]), "unit_code": _plain(unions["district_code"]),
        "valid_from": pa.array([EARLIEST] * n, pa.date32()),
        "valid_to": pa.array([OPEN_END] * n, pa.date32()),
    })


def _with_unit_code(table: pa.Table) -> pa.Table:
    """Candidates, membership or targets without a unit: each row's unit is its district."""
    if "unit_code" in table.column_names:
        return table
    position = table.column_names.index("district_code") + 1
    return table.add_column(position, "unit_code", _plain(table["district_code"]))


def upgrade(tables: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """``tables`` of a snapshot (any age) with units, crosswalk, union units and unit codes."""
    tables = dict(tables)
    if "units" not in tables:
        tables["units"] = _units(tables.pop("districts"))
    tables.setdefault("crosswalk", CROSSWALK_SCHEMA.empty_table())
    tables.setdefault("union_units", _union_units(tables["unions"]))
    tables.setdefault("calendar", EVENTS_SCHEMA.empty_table())
    for name in ("candidates", "membership", "targets"):
        if name in tables:
            tables[name] = _with_unit_code(tables[name])
    tables.pop("districts", None)
    return tables

