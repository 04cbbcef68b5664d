"""From a located sheet to a typed batch table plus problems, one pure function per report kind.

Every cell is checked (types, required cells, known districts, sectors, stages, unions, stage dates in
order and not in the future, duplicates within the file); a row with an error is left out of the batch,
and a batch with any error is never loaded. Duplicates against curated data are checked in :mod:`merge`.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta

import pyarrow as pa

from analytics import model
from analytics.geography import Geography, Unit
from analytics.ingest import aliases
from analytics.ingest.dates import DAY_FIRST, DateError, parse_date
from analytics.ingest.normalise import fold
from analytics.ingest.numbers import NumberError, parse_count, parse_year
from analytics.ingest.problems import WARNING, Problem, Problems
from analytics.ingest.pseudonymise import candidate_key, ignores_leading_zeros, shortened_by_excel
from analytics.ingest.schema import HIDDEN, Sheet
from analytics.ingest.units import UnitNames

EARLIEST = date(1990, 1, 1)
AGE_LIMITS = (16, 65)
STAGE_COLUMNS = tuple(s.date_column for s in model.stages())
#: A checked register row (kept as a tuple: a load holds up to 200.000 of them).
REGISTER_COLUMNS = (("row", pa.int32()), *[(name, pa.string()) for name in (
    "candidate_key", "union_id", "district_code", "unit_code", "sector", "gender", "age_band")],
    *[(name, pa.date32()) for name in STAGE_COLUMNS])


@dataclass(frozen=True)
class Reference:
    """What rows are checked against: the units and crosswalk, the unions and where they were when, the
    alias tables, and today."""

    today: date
    geography: Geography
    units: UnitNames
    unions: dict[str, str]
    union_home: dict[str, tuple[str, str]]  # union id → (former district code, sector)
    union_units: dict[str, list[tuple[str, date, date]]]  # union id → (unit code, from, to)
    sectors: dict[str, str] = field(default_factory=aliases.sector_aliases)
    genders: dict[str, str] = field(default_factory=aliases.gender_aliases)

    def label(self, code: str) -> str:
        """A unit's name with its kind, as of its latest row ("Phường Dĩ An", "TP. Dĩ An")."""
        rows = self.geography.rows(code)
        return max(rows, key=lambda u: u.valid_to).label("vi") if rows else code

    def union_unit(self, union: str, day: date) -> str | None:
        """The unit ``union`` belonged to on ``day`` by the union list, if it says."""
        for unit, first, last in self.union_units.get(union, ()):  # a plain loop: once per register row
            if first <= day <= last:
                return unit
        return None


def reference(tables: dict[str, pa.Table], today: date) -> Reference:
    """The reference for a load, from the current curated tables (units, crosswalk, unions, union units)."""
    geography = Geography(tables["units"], tables["crosswalk"])
    plain = tables["unions"].select(["union_id", "union_name", "district_code", "sector"]).to_pylist()
    moves: dict[str, list[tuple[str, date, date]]] = {}
    for row in tables["union_units"].to_pylist():
        moves.setdefault(row["union_id"], []).append((row["unit_code"], row["valid_from"], row["valid_to"]))
    return Reference(
        today=today,
        geography=geography,
        units=UnitNames(geography),
        unions=aliases.union_aliases([u["union_id"] for u in plain], [u["union_name"] for u in plain]),
        union_home={u["union_id"]: (u["district_code"], u["sector"]) for u in plain},
        union_units=moves,
    )


class Row:
    """Parses the cells of one row, collecting problems with the row number and column header. ``parsed``
    is shared by the rows of a sheet: a cell value already parsed in a column is not parsed again."""

    def __init__(self, number: int, cells: dict[str, object], sheet: Sheet, problems: list[Problem],
                 parsed: dict[tuple[str, type, object], object]):
        self.number, self.cells, self.sheet, self.problems, self.parsed = number, cells, sheet, problems, parsed
        self.ok = True

    def problem(self, code: str, key: str = "", **params: object) -> None:
        value = self.cells.get(key, "")
        shown = HIDDEN if key == "person" else str(value)
        self.problems.append(Problem(code, row=self.number, column=self.sheet.headers.get(key, key), value=shown,
                                     params=params))
        self.ok = False

    def get(self, key: str, parse: Callable[[object], object], code: str, required: bool = True, **params):
        value = self.cells.get(key, "")
        if value == "" or value is None:
            if required and key in self.sheet.headers:
                self.problem("required", key)
            elif required:
                self.ok = False  # the missing column is already reported once
            return None
        try:
            result = self.parsed[key, type(value), value]  # the type too: 1 == 1.0 == True
        except KeyError:
            try:
                result = parse(value)
            except (DateError, NumberError, ValueError):
                result = None
            self.parsed[key, type(value), value] = result
        if result is None:
            self.problem(code, key, **params)
        return result

    def lookup(self, key: str, table: dict[str, str], code: str, required: bool = True, **params) -> str | None:
        return self.get(key, lambda v: table.get(fold(str(v))), code, required, **params)


def typed_table(good: list, schema: pa.Schema) -> pa.Table:
    """The accepted rows (each its Excel row number, then one value per field of ``schema``) as a table with a
    ``row`` column first."""
    columns = {"row": pa.array([r[0] for r in good], pa.int32())}
    columns |= {f.name: pa.array([r[i] for r in good], f.type) for i, f in enumerate(schema, start=1)}
    return pa.table(columns)


def rows(sheet: Sheet, problems: list[Problem]) -> Iterator[Row]:
    """A :class:`Row` for each data row of ``sheet`` (one parse per column and distinct cell text)."""
    parsed: dict[tuple[str, type, object], object] = {}
    for number, cells in sheet.rows:
        yield Row(number, cells, sheet, problems, parsed)


def _sector_names() -> str:
    return ", ".join(f"{s.name['vi']} ({s.key})" for s in model.sectors())


def text(value: object) -> str:
    """A cell as text; a whole number typed in Excel (an id such as 123456) without a trailing ".0"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _person(value: object) -> str:
    """A person's id or name; an Excel TRUE/FALSE cell is neither (it would load as the person "True")."""
    if isinstance(value, bool):
        raise ValueError(value)
    return text(value)


def unit(row: Row, ref: Reference, first: date, last: date | None = None) -> Unit | None:
    """The unit the row's area cell names as of ``first`` (to ``last``), and the former district it counts in
    known; a name read one way of several is a warning, a unit that was not valid then an error."""
    value = row.cells.get("district", "")
    if value == "" or value is None:
        row.get("district", str, "required")
        return None
    reading = ref.units.read(text(value), first, last)
    if reading.problem:
        row.problem(reading.problem, "district", **reading.params)
        return None
    if reading.note:
        row.problems.append(Problem("unit_read_as", WARNING, row=row.number, column=row.sheet.headers["district"],
                                    value=str(value), params=reading.note))
    if ref.geography.district_of(reading.unit.code) is None:
        row.problem("unit_unmapped", "district", unit=reading.unit.label("vi"))
        return None
    return reading.unit


def _stage_date(row: Row, column: str, ref: Reference) -> date | None:
    day = row.get(column, parse_date, "bad_date", required=column == STAGE_COLUMNS[0])
    if day is not None and day > ref.today:
        row.problem("future_date", column, today=ref.today.isoformat())
        return None
    if day is not None and day < EARLIEST:
        row.problem("old_date", column, earliest=EARLIEST.isoformat())
        return None
    return day


@dataclass(frozen=True)
class _Step:
    """Two consecutive stages: their date columns, the names messages use, the least days between them."""

    previous: str
    stage: str
    names: dict[str, str]
    minimum: timedelta
    previous_required: bool  # the referral: its absence is a "required" problem, not a gap


def _steps() -> list[_Step]:
    stages = model.stages()
    return [_Step(previous.date_column, stage.date_column,
                  {"stage_vi": stage.short["vi"], "stage_en": stage.short["en"], "previous_vi": previous.short["vi"],
                   "previous_en": previous.short["en"]}, timedelta(days=stage.min_days_after_previous),
                  previous.order == 1)
            for previous, stage in zip(stages, stages[1:])]


def _stage_order(row: Row, days: dict[str, date | None], steps: list[_Step]) -> None:
    for step in steps:
        later, earlier = days[step.stage], days[step.previous]
        missing = row.cells.get(step.previous, "") == "" and not step.previous_required
        if later is not None and earlier is None and missing:
            row.problem("stage_gap", step.stage, **step.names)
        elif later is not None and earlier is not None and later < earlier:
            row.problem("date_order", step.stage, **step.names)


def _too_soon(row: Row, days: dict[str, date | None], steps: list[_Step]) -> None:
    """Warn (the row still loads) when a stage comes sooner after the previous one than the model's minimum
    (a confirmation less than 12 months after admission)."""
    for step in steps:
        earlier, later = days[step.previous], days[step.stage]
        if earlier and later and earlier <= later < earlier + step.minimum:
            row.problems.append(Problem("too_soon", WARNING, row=row.number, column=row.sheet.headers[step.stage],
                                        value=str(row.cells[step.stage]),
                                        params={**step.names, "days": step.minimum.days}))


def age_band(age: int) -> str:
    """The age band of the curated data for an age at referral."""
    for upper, band in ((24, "18-24"), (29, "25-29"), (34, "30-34"), (39, "35-39")):
        if age <= upper:
            return band
    return "40+"


def _birth_year(value: object) -> int:
    try:
        return parse_year(value)
    except NumberError:
        return parse_date(value).year


def _union(row: Row, ref: Reference, area: Unit | None, day: date | None,
           sector: str | None) -> tuple[str | None, str | None]:
    """The union named, checked against the row's unit: the union list's unit on the day, or (if the list
    does not say) its former district; and its sector."""
    found = row.get("union", lambda v: aliases.union_id(text(v), ref.unions), "unknown_union")
    if found == aliases.AMBIGUOUS:
        row.problem("ambiguous_union", "union")
        return None, sector
    if found is None:
        return None, sector
    home_district, home_sector = ref.union_home[found]
    listed = ref.union_unit(found, day) if day else None
    if area is not None and listed is not None and listed != area.code:
        row.problem("union_district", "union", expected=ref.label(listed))
    elif area is not None and listed is None and home_district != ref.geography.district_of(area.code):
        row.problem("union_district", "union", expected=ref.label(home_district))
    if sector is not None and home_sector != sector:
        row.problem("union_sector", "sector", expected=home_sector)
    return found, home_sector


def _duplicates(rows: list[tuple[int, tuple]], sheet: Sheet, column: str, problems: list[Problem]) -> set[int]:
    """Row numbers whose key repeats an earlier row of the file (each reported once)."""
    first: dict[tuple, int] = {}
    repeated = set()
    for number, key in rows:
        if key in first:
            problems.append(Problem("duplicate_in_file", row=number, column=sheet.headers.get(column, ""),
                                    params={"other": first[key]}))
            repeated.add(number)
        else:
            first[key] = number
    return repeated


def _register_row(row: Row, ref: Reference, key: bytes, steps: list[_Step], sectors: str) -> tuple | None:
    """A register row checked cell by cell: its values in :data:`REGISTER_COLUMNS`' order, or None (its
    problems are in ``row``)."""
    number = row.number
    person = row.get("person", _person, "id_true_false")
    if person is not None and shortened_by_excel(person):
        row.problems.append(Problem("id_scientific", row=number, column=row.sheet.headers["person"], value=HIDDEN))
        return None
    if person is not None and ignores_leading_zeros(person):
        row.problems.append(Problem("leading_zeros", WARNING, row=number, column=row.sheet.headers["person"],
                                    value=HIDDEN))
    days = {column: _stage_date(row, column, ref) for column in STAGE_COLUMNS}
    referred = days[STAGE_COLUMNS[0]]
    area = unit(row, ref, referred) if referred is not None else None  # the unit valid on that day
    sector = row.lookup("sector", ref.sectors, "unknown_sector", required=False, examples=sectors)
    union, sector = _union(row, ref, area, referred, sector)
    gender = row.lookup("gender", ref.genders, "unknown_gender", required=False)
    birth = row.get("birth_year", _birth_year, "bad_year", required=False)
    _stage_order(row, days, steps)
    _too_soon(row, days, steps)
    band = None
    if birth is not None and referred is not None:
        age = referred.year - birth
        if not AGE_LIMITS[0] <= age <= AGE_LIMITS[1]:
            row.problem("implausible_age", "birth_year", age=age)
        band = age_band(age)
    if not row.ok:
        return None
    return (number, candidate_key(person, key), union, ref.geography.district_of(area.code), area.code, sector,
            gender, band, *days.values())


_REGISTER_CELLS = ("person", "union", "district", "sector", "gender", "birth_year", *STAGE_COLUMNS)


class _CleanRegisterRow:
    """The quick way through a register row without any problem (nearly every row of a good file): the checks
    of :func:`_register_row` on the row's tuple of cells, with values parsed once per distinct cell (shared
    with it), without a :class:`Row`. A row it is not sure of gives None and takes the long way, which says
    what is wrong; a test holds the two ways to the same rows."""

    def __init__(self, ref: Reference, key: bytes, steps: list[_Step], parsed: dict, keys: tuple[str, ...]):
        self.ref, self.key, self.parsed = ref, key, parsed
        self.parsers: dict[str, Callable[[object], object]] = {
            **dict.fromkeys(STAGE_COLUMNS, parse_date), "birth_year": _birth_year,
            "union": lambda v: aliases.union_id(text(v), ref.unions),
            "sector": lambda v: ref.sectors.get(fold(str(v))), "gender": lambda v: ref.genders.get(fold(str(v)))}
        at = {key: i for i, key in enumerate(keys)}  # a column the sheet lacks reads the "" put after its cells
        self.cells = operator.itemgetter(*(at.get(name, len(keys)) for name in _REGISTER_CELLS))
        self.steps_at = [(STAGE_COLUMNS.index(s.previous), STAGE_COLUMNS.index(s.stage), s.minimum) for s in steps]

    def _value(self, column: str, value: object) -> object:
        """The parsed cell, or None if it does not parse (memoised as :meth:`Row.get` does)."""
        try:
            return self.parsed[column, type(value), value]
        except KeyError:
            try:
                result = self.parsers[column](value)
            except (DateError, NumberError, ValueError):
                result = None
            self.parsed[column, type(value), value] = result
            return result

    def _days(self, cells: tuple[object, ...]) -> tuple[date | None, ...] | None:
        days = []
        for column, value in zip(STAGE_COLUMNS, cells):
            day = self._value(column, value) if value != "" else None
            if (value != "" or not days) and (day is None or not EARLIEST <= day <= self.ref.today):
                return None  # a date that is wrong, or no referral date
            days.append(day)
        for previous, stage, minimum in self.steps_at:
            if days[stage] is not None and (days[previous] is None or days[stage] < days[previous] + minimum):
                return None  # a gap, the wrong order, or too soon (a warning)
        return tuple(days)

    def __call__(self, number: int, values: tuple[object, ...]) -> tuple | None:
        ref = self.ref
        person, union, area, sector, gender, birth, *dates = self.cells((*values, ""))
        days = self._days(dates) if "" not in (person, area, union) else None
        if (days is None or isinstance(person, bool) or ignores_leading_zeros(person := text(person))
                or shortened_by_excel(person)):
            return None  # the slow path says why
        reading = ref.units.read(text(area), days[0])
        if reading.unit is None or reading.note or (district := ref.geography.district_of(reading.unit.code)) is None:
            return None
        found = self._value("union", union)
        if found is None or found == aliases.AMBIGUOUS:
            return None
        home_district, home_sector = ref.union_home[found]
        listed = ref.union_unit(found, days[0])
        if listed != reading.unit.code if listed is not None else home_district != district:
            return None
        sector = self._value("sector", sector) if sector != "" else home_sector
        gender = self._value("gender", gender) if gender != "" else ""
        birth = self._value("birth_year", birth) if birth != "" else ""
        if sector != home_sector or gender is None or birth is None:
            return None
        band = None
        if birth != "":
            if not AGE_LIMITS[0] <= days[0].year - birth <= AGE_LIMITS[1]:
                return None
            band = age_band(days[0].year - birth)
        return (number, candidate_key(person, self.key), found, district, reading.unit.code, home_sector,
                gender or None, band, *days)


def parse_register(sheet: Sheet, ref: Reference, key: bytes) -> tuple[pa.Table, list[Problem]]:
    """Typed, pseudonymised candidate rows (with ``row``, the Excel row) and the problems found."""
    problems = Problems()
    steps, sectors, parsed = _steps(), _sector_names(), {}
    clean_row = _CleanRegisterRow(ref, key, steps, parsed, sheet.keys)
    good = []
    for number, values in sheet.data:
        found = clean_row(number, values)
        if found is None:
            row = Row(number, dict(zip(sheet.keys, values)), sheet, problems, parsed)
            found = _register_row(row, ref, key, steps, sectors)
        if found is not None:
            good.append(found)
    repeated = _duplicates([(r[0], (r[1],)) for r in good], sheet, "person", problems)
    good = [r for r in good if r[0] not in repeated]
    problems += _month_first_dates(sheet)
    return _table(good, REGISTER_COLUMNS), problems


def _month_first_dates(sheet: Sheet) -> list[Problem]:
    """In a stage-date column with dates that can only be month first ("04/13/2023": a US-locale export), every
    date that reads both ways ("03/04/2023": 3 April or 4 March) is refused: read day first, it would load as
    the wrong day without a word (the month-first ones alone were refused, and once corrected the rest loaded).
    Each distinct text is matched once and counted (a register repeats a few hundred dates over its rows);
    only a column that is refused is read again row by row, to name the rows."""
    problems = []
    for key in (k for k in STAGE_COLUMNS if k in sheet.keys):
        i = sheet.keys.index(key)
        texts = Counter(values[i] for _, values in sheet.data if isinstance(values[i], str))
        read = {text: found for text in texts if (found := DAY_FIRST.fullmatch(text.strip()))}
        month_first = sum(texts[text] for text, found in read.items() if int(found[1]) <= 12 < int(found[2]))
        day_first = sum(texts[text] for text, found in read.items() if int(found[2]) <= 12 < int(found[1]))
        if month_first >= 2 and month_first > day_first:  # not one typo among dates written day first
            written = [(number, read[values[i]]) for number, values in sheet.data
                       if isinstance(values[i], str) and values[i] in read]
            evidence = next(found[0] for _, found in written if int(found[1]) <= 12 < int(found[2]))
            problems += [Problem("month_first", row=number, column=sheet.headers[key], value=found[0],
                                 params={"example": evidence})
                         for number, found in written if int(found[1]) <= 12 and int(found[2]) <= 12
                         and found[1].lstrip("0") != found[2].lstrip("0")]
    return problems


def _year(row: Row, ref: Reference) -> int | None:
    return row.get("year", lambda v: parse_year(v, 1990, ref.today.year + 1), "bad_year")


def _year_unit(row: Row, ref: Reference, year: int | None) -> Unit | None:
    """The unit a yearly row names: one valid at some time in the year (the later one if two were)."""
    return unit(row, ref, date(year, 1, 1), date(year, 12, 31)) if year is not None else None


def _area_columns(area: Unit | None, ref: Reference) -> tuple[str | None, str | None]:
    """(former district, unit) codes of a row's unit."""
    return (ref.geography.district_of(area.code), area.code) if area else (None, None)


def _table(good: list[tuple], columns: tuple[tuple[str, pa.DataType], ...]) -> pa.Table:
    cells = list(zip(*good)) or [()] * len(columns)  # the rows' cells column by column
    return pa.table({name: pa.array(cells[i], kind) for i, (name, kind) in enumerate(columns)})


def parse_membership(sheet: Sheet, ref: Reference) -> tuple[pa.Table, list[Problem]]:
    """Typed membership rows (year, district, unit, sector, union members, workers) and the problems found."""
    problems = Problems()
    good = []
    sectors = _sector_names()
    for row in rows(sheet, problems):
        number = row.number
        year = _year(row, ref)
        district, unit_code = _area_columns(_year_unit(row, ref, year), ref)
        sector = row.lookup("sector", ref.sectors, "unknown_sector", examples=sectors)
        members = row.get("union_members", parse_count, "bad_number")
        workers = row.get("workers", parse_count, "bad_number")
        if members is not None and workers is not None and members > workers:  # swapped columns, or a typo
            row.problems.append(Problem("members_over_workers", WARNING, row=number,
                                        column=row.sheet.headers["union_members"], value=str(members),
                                        params={"workers": workers}))
        if row.ok:
            good.append((number, year, district, unit_code, sector, members, workers))
    repeated = _duplicates([(r[0], (r[1], r[3], r[4])) for r in good], sheet, "district", problems)
    good = [r for r in good if r[0] not in repeated]
    columns = (("row", pa.int32()), ("year", pa.int16()), ("district_code", pa.string()), ("unit_code", pa.string()),
               ("sector", pa.string()), ("union_members", pa.int32()), ("workers", pa.int32()))
    return _table(good, columns), problems


def parse_targets(sheet: Sheet, ref: Reference) -> tuple[pa.Table, list[Problem]]:
    """Typed target rows in long form (year, district, unit, stage, target) from the wide sheet, and problems."""
    problems = Problems()
    good = []
    stages = [s.key for s in model.stages() if s.key in sheet.headers]
    if not stages:
        first = model.stages()[0]
        problems.append(Problem("missing_column", params={"column_vi": f"Chỉ tiêu {first.short['vi'].lower()}",
                                                          "column_en": f"Target {first.short['en'].lower()}"}))
    for row in rows(sheet, problems):
        number = row.number
        year = _year(row, ref)
        district, unit_code = _area_columns(_year_unit(row, ref, year), ref)
        targets = {s: row.get(s, parse_count, "bad_number", required=False) for s in stages}
        if row.ok:
            good += [(number, year, district, unit_code, s, t) for s, t in targets.items() if t is not None]
    repeated = _duplicates([(r[0], (r[1], r[3], r[4])) for r in good], sheet, "district", problems)
    good = [r for r in good if r[0] not in repeated]
    columns = (("row", pa.int32()), ("year", pa.int16()), ("district_code", pa.string()), ("unit_code", pa.string()),
               ("stage", pa.string()), ("target", pa.int32()))
    return _table(good, columns), problems


def parse_unions(sheet: Sheet, ref: Reference) -> tuple[pa.Table, list[Problem]]:
    """Typed union rows (id, name, former district, reporting unit, sector, zone, unit and the day the union
    is in that unit from) and the problems found. A union in an industrial zone reports to the industrial-zone
    union, the others to their district federation. Without a date the union is in the unit for as long as
    the unit is valid (a name is read among the units valid at some time up to today, today's first)."""
    problems = Problems()
    good = []
    sectors = _sector_names()
    for row in rows(sheet, problems):
        number = row.number
        union_id = row.get("union_id", text, "required")
        name = row.get("union_name", text, "required")
        since = row.get("valid_from", parse_date, "bad_date", required=False)
        area = unit(row, ref, since, since) if since else unit(row, ref, EARLIEST, ref.today)
        sector = row.lookup("sector", ref.sectors, "unknown_sector", examples=sectors)
        zone = row.get("industrial_zone", text, "required", required=False)
        if row.ok:
            reporting = "industrial_zones" if zone else "district_federation"
            district, unit_code = _area_columns(area, ref)
            since = since or ref.geography.span(unit_code)[0]
            good.append((number, union_id, name, district, reporting, sector, zone, unit_code, since))
    repeated = _duplicates([(r[0], (fold(r[1]), r[8])) for r in good], sheet, "union_id", problems)
    repeated |= _duplicates([(r[0], (fold(r[2]), r[8])) for r in good], sheet, "union_name", problems)
    good = [r for r in good if r[0] not in repeated]
    columns = (("row", pa.int32()), *[(name, pa.string()) for name in (
        "union_id", "union_name", "district_code", "reporting_unit", "sector", "industrial_zone", "unit_code")],
        ("valid_from", pa.date32()))
    return _table(good, columns), problems

