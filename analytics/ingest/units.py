"""Reading a unit's name as of a date: "Dĩ An" in 2024 is the district, in 2026 the ward.

A sender writes a unit by code ("724", "BD02"), by name with or without its kind ("TP. Dĩ An", "Phường Dĩ
An", "P. Di An", "Dĩ An"), without diacritics or with either tone placement. The kind, when written, says
the level (district-level "TP.", "TX.", "Huyện"; "Phường", "Xã"), not the exact kind: a town that became a
city is still found under "TX.". A name is read as the unit valid on the date (or during the year) the row
is about. Every former district's name lives on as a new unit's, so a bare name that another unit carried
near that date is read with a warning saying how; a name that cannot be valid then ("TP. Dĩ An" in 2026)
is refused with the units that were valid.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from analytics.geography import AREA_LEVELS, Geography, Unit
from analytics.ingest.normalise import fold

#: Words in front of a unit's name, folded, and the level they say (a town written "TX." that has become a
#: city is still the same district-level unit; "Huyện Dầu Tiếng" is never the commune).
PREFIXES = {
    "thanh pho": "district", "thi xa": "district", "huyen": "district", "quan": "district", "tp": "district",
    "tx": "district", "h": "district", "q": "district",
    "phuong": "commune", "xa": "commune", "dac khu": "commune", "p": "commune", "x": "commune",
}
#: A bare name is read with a warning when another unit of that name existed within this many days of the
#: row's date (a 2024 "Dĩ An" is the district, but the ward was a year away).
NEAR_DAYS = 730


@dataclass(frozen=True)
class Reading:
    """What a cell naming a unit was read as: the unit (valid on the day), or a problem code and its
    parameters; ``note`` carries the parameters of a warning when the name also meant other units."""

    unit: Unit | None = None
    problem: str | None = None
    params: dict = field(default_factory=dict)
    note: dict | None = None


def _split_kind(folded: str) -> tuple[str | None, str]:
    """("commune", "di an") from "phuong di an"; (None, "di an") without a kind in front."""
    for prefix in sorted(PREFIXES, key=len, reverse=True):
        if folded.startswith(prefix + " "):
            return PREFIXES[prefix], folded[len(prefix) + 1:]
    return None, folded


def _labels(units: list[Unit]) -> dict[str, str]:
    return {lang: ", ".join(dict.fromkeys(u.label(lang) for u in units)) for lang in ("vi", "en")}


class UnitNames:
    """An index of the units events can happen in, by code and by folded name (Vietnamese and English)."""

    def __init__(self, geography: Geography, levels: tuple[str, ...] = AREA_LEVELS):
        self.geography = geography
        self.units = [u for u in geography.units if u.level in levels]
        self.by_code: dict[str, list[Unit]] = defaultdict(list)
        self.by_name: dict[str, list[Unit]] = defaultdict(list)
        self._rows: dict[str, list[Unit]] = defaultdict(list)  # code → its rows over time
        for unit in geography.units:
            self._rows[unit.code].append(unit)
        self._read: dict[tuple[str, date, date | None], Reading] = {}  # a register names a few units many times
        for unit in self.units:
            self.by_code[fold(unit.code)].append(unit)
            for name in {fold(unit.name_vi), fold(unit.name_en)}:
                self.by_name[name].append(unit)

    def _valid(self, units: list[Unit], first: date, last: date) -> list[Unit]:
        """Of ``units``' codes, those valid at some time from ``first`` to ``last``, as their row valid then
        (the latest such row): a unit found under an older kind is still that unit."""
        found = {}
        for code in dict.fromkeys(u.code for u in units):
            rows = [r for r in self._rows[code] if r.valid_from <= last and r.valid_to >= first]
            if rows:
                found[code] = max(rows, key=lambda r: r.valid_from)
        return list(found.values())

    def read(self, text: str, first: date, last: date | None = None) -> Reading:
        """The unit ``text`` means from ``first`` to ``last`` (one day if ``last`` is None); two units valid
        then (the district until June and the ward from July of a year) resolve to the later one."""
        reading = self._read.get((text, first, last))
        if reading is None:
            reading = self._read[text, first, last] = self._reading(text, first, last or first)
        return reading

    def _reading(self, text: str, first: date, last: date) -> Reading:
        folded = fold(text)
        by_code = folded in self.by_code
        kind, bare = (None, folded) if by_code else _split_kind(folded)
        named = self.by_code[folded] if by_code else self.by_name.get(bare, [])
        matching = [u for u in named if kind is None or u.level == kind]
        if not named:
            return Reading(problem="unknown_district", params=self._examples(first, last))
        valid = self._valid(matching, first, last)
        if not valid:
            then = self._valid(named, first, last) or [u for u in self.units if u.valid_to >= first
                                                       and u.valid_from <= last][:6]
            labels = _labels(then)
            return Reading(problem="unit_not_valid", params={"on": _when(first, last), "valid_vi": labels["vi"],
                                                             "valid_en": labels["en"]})
        chosen = [u for u in valid if u.valid_on(last)] or valid
        if len(chosen) > 1:
            labels = _labels(chosen)
            return Reading(problem="ambiguous_unit", params={"units_vi": labels["vi"], "units_en": labels["en"]})
        unit = chosen[0]
        others = [u for u in named if u.code != unit.code and _near(u, first, last)] if not by_code and kind is None \
            else []
        note = None
        if others:
            labels = _labels(others)
            note = {"read_vi": unit.label("vi"), "read_en": unit.label("en"), "on": _when(first, last),
                    "others_vi": labels["vi"], "others_en": labels["en"]}
        return Reading(unit=unit, note=note)

    def _examples(self, first: date, last: date) -> dict[str, str]:
        valid = [u for u in self.units if u.valid_from <= last and u.valid_to >= first]
        return {"examples": ", ".join(dict.fromkeys(u.label("vi") for u in valid[:4]))}


def _near(unit: Unit, first: date, last: date) -> bool:
    """Whether ``unit`` was valid within :data:`NEAR_DAYS` of the period from ``first`` to ``last``."""
    gap = max((unit.valid_from - last).days, (first - unit.valid_to).days, 0)
    return gap <= NEAR_DAYS


def _when(first: date, last: date) -> str:
    return first.isoformat() if first == last else f"{first.year}"
