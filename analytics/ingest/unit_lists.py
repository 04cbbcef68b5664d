"""The units and crosswalk reports: a federation's own list of reporting units (every level, with validity
and parent) and its crosswalk from new units to former districts, replacing the shipped ones.

Rows are parsed one by one (:func:`parse_units`, :func:`parse_crosswalk`); the whole, once merged with the
current tables, is checked by :func:`check` (overlapping validity, unknown parents, a ward or commune the
crosswalk leaves unmapped or maps to two main districts), since those are properties of the set.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pyarrow as pa

from analytics import model
from analytics.geography import CROSSWALK_SCHEMA, OPEN_END, UNITS_SCHEMA
from analytics.ingest.dates import parse_date
from analytics.ingest.normalise import fold
from analytics.ingest.numbers import NumberError
from analytics.ingest.problems import Problem, Problems
from analytics.ingest.schema import Sheet
from analytics.ingest.validate import Reference, rows, text, typed_table

LEVELS = {"tinh": "province", "province": "province", "thanh pho truc thuoc trung uong": "province",
          "huyen": "district", "cap huyen": "district", "district": "district",
          "xa": "commune", "cap xa": "commune", "phuong xa": "commune", "commune": "commune",
          "kcn": "zone_union", "cong doan kcn": "zone_union", "zone union": "zone_union"}
_TRUE = {"x", "1", "true", "co", "yes", "chinh", "main"}


def _unit_type(value: object) -> str | None:
    return next((kind for kind in model.UNIT_TYPES if fold(kind) == fold(str(value))), None)


def _share(value: object) -> float:
    """A share as 0.85, 85 or "85%"."""
    number = float(str(value).replace("%", "").replace(",", ".").strip())
    share = number / 100 if number > 1 or str(value).strip().endswith("%") else number
    if not 0 < share <= 1:
        raise NumberError(f"share {value} is not between 0 and 1")
    return share


def _coordinate(value: object) -> float:
    return float(str(value).replace(",", "."))


def parse_units(sheet: Sheet, ref: Reference) -> tuple[pa.Table, list[Problem]]:
    """Typed unit rows (code, names, kind, level, parent, validity, place, provisional) and the problems."""
    problems = Problems()
    good = []
    for row in rows(sheet, problems):
        number, cells = row.number, row.cells
        code = row.get("unit_code", text, "required")
        name_vi = row.get("name_vi", text, "required")
        name_en = row.get("name_en", text, "required", required=False)
        kind = row.get("unit_type", _unit_type, "unknown_unit_type", examples=", ".join(model.UNIT_TYPES))
        level = row.lookup("level", LEVELS, "unknown_level")
        parent = row.get("parent_code", text, "required", required=False)
        first = row.get("valid_from", parse_date, "bad_date")
        last = row.get("valid_to", parse_date, "bad_date", required=False) or OPEN_END
        if first and last < first:
            row.problem("date_order", "valid_to", stage_vi="hiệu lực đến", stage_en="valid to",
                        previous_vi="hiệu lực từ", previous_en="valid from")
        lat = row.get("lat", _coordinate, "bad_number", required=False)
        lon = row.get("lon", _coordinate, "bad_number", required=False)
        provisional = fold(str(cells.get("provisional", ""))) in _TRUE
        if row.ok:
            good.append((number, code, name_vi, name_en or name_vi, kind, level, parent, first, last, lat, lon,
                         provisional))
    return typed_table(good, UNITS_SCHEMA), problems


def parse_crosswalk(sheet: Sheet, ref: Reference) -> tuple[pa.Table, list[Problem]]:
    """Typed crosswalk rows. A unit's missing shares are split equally; without a "main" mark the largest
    share is its main former district."""
    problems = Problems()
    good = []
    for row in rows(sheet, problems):
        number, cells = row.number, row.cells
        unit_code = row.get("unit_code", text, "required")
        former = row.get("former_code", text, "required")
        share = row.get("share", _share, "bad_number", required=False)
        main = fold(str(cells.get("main", ""))) in _TRUE if cells.get("main", "") != "" else None
        confidence = row.get("confidence", text, "required", required=False)
        if row.ok:
            good.append([number, unit_code, former, share, main, confidence])
    by_unit = defaultdict(list)
    for entry in good:
        by_unit[entry[1]].append(entry)
    for entries in by_unit.values():
        for entry in entries:
            entry[3] = entry[3] if entry[3] is not None else 1 / len(entries)
        if all(entry[4] is None for entry in entries):
            largest = max(entries, key=lambda entry: entry[3])
            for entry in entries:
                entry[4] = entry is largest
        for entry in entries:
            entry[4] = bool(entry[4])
    return typed_table(good, CROSSWALK_SCHEMA), problems


def check(units: pa.Table, crosswalk: pa.Table) -> list[Problem]:
    """Problems of the whole set: a code valid twice at once, a parent not in the list, a ward or commune the
    crosswalk leaves unmapped or gives other than one main district, a crosswalk naming an unknown unit or a
    former district that is not one."""
    problems = Problems()
    rows = sorted(units.to_pylist(), key=lambda u: (u["unit_code"], u["valid_from"]))
    codes = {u["unit_code"] for u in rows}
    for earlier, later in zip(rows, rows[1:]):
        if earlier["unit_code"] == later["unit_code"] and later["valid_from"] <= earlier["valid_to"]:
            problems.append(Problem("unit_overlap", params={
                "code": later["unit_code"], "first": f"{earlier['valid_from']}–{earlier['valid_to']}",
                "second": f"{later['valid_from']}–{later['valid_to']}"}))
    for unit in rows:
        if unit["parent_code"] and unit["parent_code"] not in codes:
            problems.append(Problem("unknown_parent",
                                    params={"code": unit["unit_code"], "parent": unit["parent_code"]}))
    communes = {u["unit_code"] for u in rows if u["level"] == "commune"}
    districts = {u["unit_code"] for u in rows if u["level"] == "district"}
    mapping = crosswalk.to_pylist()
    mains = Counter(row["unit_code"] for row in mapping if row["main"])
    for code in sorted(communes):
        if not any(row["unit_code"] == code for row in mapping):
            problems.append(Problem("crosswalk_unmapped", params={"code": code}))
        elif mains[code] != 1:
            problems.append(Problem("crosswalk_main", params={"code": code, "count": mains[code]}))
    for row in mapping:
        if row["unit_code"] not in communes:
            problems.append(Problem("crosswalk_unknown_unit", params={"code": row["unit_code"]}))
        if row["former_code"] not in districts:
            problems.append(Problem("crosswalk_not_district", params={"code": row["former_code"]}))
    return problems
