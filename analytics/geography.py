"""Reporting units that change over time, and the crosswalk across a reorganisation.

Units of every level (province or city, district, ward or commune, the industrial-zone union) are data
(the curated ``units`` table): a code, names, a kind, a level, a parent and the dates the row is valid
(a unit whose kind changed, a town becoming a city, has one row per kind). The ``crosswalk`` maps each
unit created by a reorganisation to the former district(s) it covers, with a share and exactly one
``main`` district: counts follow the main district, so after the change a former district's figures are
the sum of the units mapped to it. Nothing here knows a date or a name: on 1 July 2025 Viet Nam abolished
district-level government, and :meth:`Geography.reform_date` reads that day off the data.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

import pyarrow as pa

from analytics import model
from analytics.config import REFERENCE_DIR
from analytics.reference import read_csv

LEVELS = ("province", "district", "commune", "zone_union")
#: Levels of the units an event happens in (a register row names one of these).
AREA_LEVELS = ("district", "commune")
#: ``valid_to`` of a unit that is still valid.
OPEN_END = date(9999, 12, 31)

UNITS_SCHEMA = pa.schema([
    ("unit_code", pa.string()), ("name_vi", pa.string()), ("name_en", pa.string()), ("unit_type", pa.string()),
    ("level", pa.string()), ("parent_code", pa.string()), ("valid_from", pa.date32()), ("valid_to", pa.date32()),
    ("lat", pa.float64()), ("lon", pa.float64()), ("provisional", pa.bool_()),
])
CROSSWALK_SCHEMA = pa.schema([
    ("unit_code", pa.string()), ("former_code", pa.string()), ("share", pa.float64()), ("main", pa.bool_()),
    ("confidence", pa.string()),
])


def reference_tables(folder: Path = REFERENCE_DIR) -> dict[str, pa.Table]:
    """The shipped units and crosswalk (``data/reference/units.csv``, ``crosswalk.csv``), typed; a
    federation's own files replace them through the ingest step."""
    return {"units": read_csv(folder / "units.csv", UNITS_SCHEMA, OPEN_END),
            "crosswalk": read_csv(folder / "crosswalk.csv", CROSSWALK_SCHEMA)}


def unit_label(unit_type: str, name: str, lang: str) -> str:
    """A unit's name with its kind, as people write it: "Phường Dĩ An", "TP. Dĩ An", "Di An Ward"."""
    pattern = model.UNIT_TYPES.get(unit_type, {}).get(lang, "{name}")
    return pattern.format(name=name)


@dataclass(frozen=True)
class Unit:
    """One row of the units table: a unit as it was between ``valid_from`` and ``valid_to``."""

    code: str
    name_vi: str
    name_en: str
    unit_type: str
    level: str
    parent: str | None
    valid_from: date
    valid_to: date

    def label(self, lang: str) -> str:
        return unit_label(self.unit_type, self.name_vi if lang == "vi" else self.name_en, lang)

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day <= self.valid_to


class Geography:
    """The units and crosswalk of one snapshot: what was valid when, and which former district a unit
    counts in. Used by the ingest step (reading a unit's name as of a date) and the sample."""

    def __init__(self, units: pa.Table, crosswalk: pa.Table):
        self.units = [Unit(r["unit_code"], r["name_vi"], r["name_en"] or r["name_vi"], r["unit_type"], r["level"],
                           r["parent_code"], r["valid_from"], r["valid_to"] or OPEN_END)
                      for r in units.to_pylist()]
        self.crosswalk = crosswalk.to_pylist()

    def rows(self, code: str) -> list[Unit]:
        return [u for u in self.units if u.code == code]

    def valid_on(self, code: str, day: date) -> Unit | None:
        """The row of ``code`` valid on ``day`` (None if the unit did not exist then)."""
        return next((u for u in self.units if u.code == code and u.valid_on(day)), None)

    def span(self, code: str) -> tuple[date, date]:
        """The first and last day ``code`` is valid, over all its rows."""
        rows = self.rows(code)
        return min(u.valid_from for u in rows), max(u.valid_to for u in rows)

    def areas(self, levels: Iterable[str] = AREA_LEVELS) -> list[Unit]:
        return [u for u in self.units if u.level in tuple(levels)]

    @cached_property
    def main_district(self) -> dict[str, str]:
        """Unit code → the former district it counts in: a district itself, a new unit its main district."""
        mapped = {row["unit_code"]: row["former_code"] for row in self.crosswalk if row["main"]}
        return {**mapped, **{u.code: u.code for u in self.units if u.level == "district"}}

    def district_of(self, code: str) -> str | None:
        return self.main_district.get(code)

    def mapped_to(self, district: str) -> list[str]:
        """The new units whose main former district is ``district``, in code order."""
        return sorted({row["unit_code"] for row in self.crosswalk if row["main"] and row["former_code"] == district})

    def reform_date(self) -> date | None:
        """The first day a ward or commune is valid (1 July 2025 in Viet Nam), or None for data without them."""
        starts = [u.valid_from for u in self.units if u.level == "commune"]
        return min(starts) if starts else None
