"""The report kinds, their columns (Vietnamese header, English header, aliases), and finding them in a file.

* The sheet: the visible one holding a template's header row (a hidden sheet is never read; two visible
  ones with a template header are refused, naming them).
* The header row: in the first rows, any column order; a two-level header ("Ngày" over "kết nạp", merged
  or not) is read as "Ngày kết nạp" when every combined name is a template column; then the optional
  English second header row.
* The data rows: cleaned cells, fully empty rows dropped, at most :data:`MAX_ROWS` of them.
* Refused, naming the cells: merged header cells that could not be read over columns holding data, data
  under empty or unknown headers that looks like a template column the header lacks (a column the template
  knows is never dropped silently), control characters, and text typed in a legacy font (judged on all
  the file's text cells together, which also names the font).
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache

from analytics import model
from analytics.ingest import aliases
from analytics.ingest.dates import DateError, parse_date
from analytics.ingest.normalise import LegacyText, clean, fold, has_latin1_letters
from analytics.ingest.numbers import NumberError, parse_count, parse_year
from analytics.ingest.problems import WARNING, Problem, Problems, number
from analytics.ingest.read import ReadError, Table, column_letter


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    required: bool = True
    aliases: tuple[str, ...] = ()

    @cached_property
    def names(self) -> frozenset[str]:
        """The column's names as compared (folded)."""
        return frozenset(fold(n) for n in (self.key, self.vi, self.en, *self.aliases))


_DISTRICT = Column("district", "Địa bàn (huyện; từ 1/7/2025: phường, xã)",
                   "Area (district; from 1 Jul 2025: ward or commune)",
                   aliases=("Huyện, thị xã, thành phố", "District", "Huyện", "Huyện/thị xã/thành phố", "Huyện/TX/TP",
                            "Địa bàn", "Đơn vị", "Đơn vị hành chính", "Mã huyện", "Phường, xã", "Phường/xã",
                            "Xã, phường", "Area", "Unit", "district_code", "unit_code"))
_VALID_FROM = Column("valid_from", "Hiệu lực từ ngày", "Valid from", required=False,
                     aliases=("Từ ngày", "Ngày hiệu lực", "valid_from"))
_SECTOR = Column("sector", "Khu vực doanh nghiệp", "Enterprise sector", aliases=("Khu vực", "Loại hình doanh nghiệp",
                                                                                  "Loại hình", "Sector"))
_YEAR = Column("year", "Năm", "Year")


def _stage_date_columns() -> tuple[Column, ...]:
    return tuple(
        Column(s.date_column, s.date_header["vi"], s.date_header["en"], required=s.order == 1,
               aliases=(s.short["vi"], s.short["en"], *s.date_aliases))
        for s in model.stages()
    )


def _stage_target_columns() -> tuple[Column, ...]:
    return tuple(
        Column(s.key, f"Chỉ tiêu {s.short['vi'].lower()}", f"Target {s.short['en'].lower()}", required=False,
               aliases=(s.short["vi"], s.short["en"], s.name["vi"]))
        for s in model.stages()
    )


@dataclass(frozen=True)
class Kind:
    key: str
    title: dict[str, str]
    columns: tuple[Column, ...]

    def required(self) -> list[Column]:
        return [c for c in self.columns if c.required]


KINDS: dict[str, Kind] = {
    k.key: k
    for k in (
        Kind("register", {"vi": "Danh sách đoàn viên ưu tú được giới thiệu", "en": "Register of referred members"}, (
            Column("person", "Mã hoặc họ tên đoàn viên", "Member id or name",
                   aliases=("Họ và tên", "Họ tên", "Mã đoàn viên", "Mã số", "Số CCCD", "Name", "Member id",
                            "person_id")),
            Column("union", "Công đoàn cơ sở", "Grassroots union",
                   aliases=("CĐCS", "Mã CĐCS", "Tên CĐCS", "Công đoàn cơ sở (mã hoặc tên)", "union_id", "Union")),
            _DISTRICT,
            Column("sector", _SECTOR.vi, _SECTOR.en, required=False, aliases=_SECTOR.aliases),
            Column("gender", "Giới tính", "Gender", required=False, aliases=("Nam/Nữ",)),
            Column("birth_year", "Năm sinh", "Birth year", required=False, aliases=("Ngày sinh", "Date of birth")),
            *_stage_date_columns(),
        )),
        Kind("membership", {"vi": "Số đoàn viên và công nhân lao động theo năm",
                            "en": "Union members and workers per year"}, (
            _YEAR, _DISTRICT, _SECTOR,
            Column("union_members", "Số đoàn viên công đoàn", "Union members", aliases=("Đoàn viên", "Số đoàn viên")),
            Column("workers", "Số công nhân lao động", "Workers", aliases=("CNLĐ", "Số CNLĐ", "Người lao động",
                                                                          "Số lao động")),
        )),
        Kind("targets", {"vi": "Chỉ tiêu năm", "en": "Yearly targets"}, (
            _YEAR, _DISTRICT, *_stage_target_columns(),
        )),
        Kind("unions", {"vi": "Danh sách công đoàn cơ sở", "en": "Grassroots unions"}, (
            Column("union_id", "Mã CĐCS", "Union id", aliases=("Mã công đoàn cơ sở", "Mã")),
            Column("union_name", "Tên công đoàn cơ sở", "Union name", aliases=("Tên CĐCS", "Tên")),
            _DISTRICT, _SECTOR,
            Column("industrial_zone", "Khu công nghiệp", "Industrial zone", required=False, aliases=("KCN",)),
            _VALID_FROM,
        )),
        Kind("units", {"vi": "Danh sách đơn vị hành chính", "en": "Administrative units"}, (
            Column("unit_code", "Mã đơn vị", "Unit code", aliases=("Mã ĐVHC", "unit_code")),
            Column("name_vi", "Tên đơn vị", "Unit name", aliases=("Tên tiếng Việt", "name_vi")),
            Column("name_en", "Tên tiếng Anh", "English name", required=False, aliases=("name_en",)),
            Column("unit_type", "Loại đơn vị", "Kind of unit", aliases=("Loại", "unit_type")),
            Column("level", "Cấp", "Level", aliases=("Cấp đơn vị", "level")),
            Column("parent_code", "Mã đơn vị cấp trên", "Parent unit code", required=False,
                   aliases=("Cấp trên", "parent_code")),
            Column("valid_from", "Hiệu lực từ ngày", "Valid from", aliases=("Từ ngày", "valid_from")),
            Column("valid_to", "Hiệu lực đến ngày", "Valid to", required=False, aliases=("Đến ngày", "valid_to")),
            Column("lat", "Vĩ độ", "Latitude", required=False, aliases=("lat",)),
            Column("lon", "Kinh độ", "Longitude", required=False, aliases=("lon",)),
            Column("provisional", "Mã tạm", "Provisional code", required=False, aliases=("provisional",)),
        )),
        Kind("events", {"vi": "Sự kiện", "en": "Events"}, (
            Column("start", "Ngày", "Date", aliases=("Ngày bắt đầu", "Từ ngày", "Start", "Start date", "start")),
            Column("end", "Đến ngày", "End date", required=False, aliases=("Ngày kết thúc", "End", "end")),
            Column("event", "Tên sự kiện", "Event", aliases=("Sự kiện", "name_vi")),
            Column("event_en", "Tên tiếng Anh", "English name", required=False, aliases=("name_en",)),
            Column("event_kind", "Loại sự kiện", "Kind of event", required=False, aliases=("Loại", "kind")),
        )),
        Kind("crosswalk", {"vi": "Bảng chuyển đổi đơn vị mới – huyện cũ",
                           "en": "Crosswalk from new units to former districts"}, (
            Column("unit_code", "Mã đơn vị mới", "New unit code", aliases=("Mã phường, xã", "unit_code")),
            Column("former_code", "Mã huyện cũ", "Former district code", aliases=("Huyện cũ", "former_code")),
            Column("share", "Tỷ lệ", "Share", required=False, aliases=("Tỷ lệ diện tích", "share")),
            Column("main", "Huyện chính", "Main district", required=False, aliases=("Chính", "main")),
            Column("confidence", "Độ tin cậy", "Confidence", required=False, aliases=("confidence",)),
        )),
    )
}

#: Data rows a file may hold; a larger one is refused before it is checked.
MAX_ROWS = 200_000
_HEADER_SEARCH_ROWS = 15
#: Data rows looked at to tell whether a column without a known header holds a template column's data.
_SAMPLE_ROWS = 200
DATE_KEYS = (*model.date_columns(), "valid_from", "valid_to", "start", "end")
HIDDEN = "(ẩn / hidden)"


@dataclass(frozen=True)
class Sheet:
    """The data rows of a report of one kind, as (Excel row, the cleaned cells of ``keys`` in that order)."""

    kind: Kind
    headers: dict[str, str]  # column key → the header as written, with its Excel column letter
    keys: tuple[str, ...]
    data: list[tuple[int, tuple[object, ...]]]
    name: str = ""  # the sheet read ("" for a CSV)

    @property
    def rows(self) -> Iterator[tuple[int, dict[str, object]]]:
        """(Excel row, {column key: cleaned cell}) for each data row, made as they are asked for."""
        return ((row, dict(zip(self.keys, values))) for row, values in self.data)


def _candidates(header: str) -> frozenset[str]:
    """What a header cell may name, folded: all of it, or its part before "/", "(" or a line break. A short
    text's are kept (a wide sheet repeats a few texts in thousands of cells, each compared with every kind's
    columns); a long one's are not (15 rows of long texts would fill memory)."""
    return _kept_candidates(header) if len(header) <= _KEPT_HEADER_LENGTH else _folded_parts(header)


_KEPT_HEADER_LENGTH = 200


def _folded_parts(header: str) -> frozenset[str]:
    return frozenset(fold(part) for part in (header, header.split("/")[0], header.split("(")[0],
                                             header.split("\n")[0]))


_kept_candidates = lru_cache(maxsize=4096)(_folded_parts)


def _match(header: object, kind: Kind) -> Column | None:
    if not isinstance(header, str) or not header.strip():
        return None
    candidates = _candidates(header)
    return next((c for c in kind.columns if c.names & candidates), None)


def _matched(cells: list[object], kind: Kind) -> set[str]:
    texts = {cell for cell in cells if isinstance(cell, str)}  # each once: a row may hold 16.384 cells
    return {m.key for cell in texts if (m := _match(cell, kind)) is not None}


@dataclass(frozen=True)
class _Header:
    """Where a table's header row is and how well it matches ``kind``."""

    kind: Kind
    position: int  # index in the table's first rows
    score: tuple[int, int]  # (required columns matched, columns matched)


def _find_header(rows: list[tuple[int, list[object]]]) -> _Header | None:
    """The kind and position of the header row: among the first rows, the one (and kind) that matches most
    required columns, then most columns; the earliest wins a tie."""
    best: tuple[tuple[int, int, int], _Header] | None = None
    for position, (_, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        for kind in KINDS.values():
            matched = _matched(cells, kind)
            required = sum(c.key in matched for c in kind.required())
            score = (required, len(matched), -position)
            if required and (best is None or score > best[0]):
                best = (score, _Header(kind, position, score[:2]))
    return None if best is None else best[1]


def _cleaned(rows: list[tuple[int, list[object]]]) -> list[tuple[int, list[object]]]:
    return [(row, [clean(c) for c in cells]) for row, cells in rows]


def _names(tables: list[Table]) -> str:
    return ", ".join(f"“{t.name}”" for t in tables)


def _no_header(tables: list[Table], heads: dict[str, list]) -> Problem:
    """Why no table has a header: legacy-font text where the header should be, or no template's columns."""
    judge = LegacyText()
    legacy = [row for table in tables for row, cells in heads[table.name]
              if any(isinstance(c, str) and judge.signs(c) for c in cells)]
    judge.add(c for table in tables for _, cells in heads[table.name] for c in cells if isinstance(c, str))
    if legacy and (font := judge.font()):
        return Problem("legacy_font", row=legacy[0], value=HIDDEN, params={"font": font})
    names = "; ".join(f"{k.title['vi']}: " + ", ".join(c.vi for c in k.required()) for k in KINDS.values())
    params = {"columns": names, "rows": _HEADER_SEARCH_ROWS}
    if len(tables) == 1 and not tables[0].name:
        return Problem("no_header", params=params)
    return Problem("no_header_in_sheets", params={**params, "sheets": _names(tables)})


def _choose(tables: list[Table], problems: Problems) -> tuple[Table, _Header, list] | None:
    """The table to read: the visible one with a template header (the best match if several match weakly,
    as a guide sheet listing the columns does); None when there is none or two match well."""
    heads, found = {}, []
    for table in tables:
        heads[table.name] = _cleaned(table.head(_HEADER_SEARCH_ROWS + 2))
        header = _find_header(heads[table.name])
        if header is None:
            table.close()
        else:
            found.append((table, header))
    visible = [(t, h) for t, h in found if t.visible]
    strong = [(t, h) for t, h in visible if h.score[1] >= 2]
    if len(strong) > 1:
        sheets = {lang: ", ".join(f"“{t.name}” ({h.kind.title[lang]})" for t, h in strong) for lang in ("vi", "en")}
        problems.append(Problem("sheets_ambiguous", params={"sheets_vi": sheets["vi"], "sheets_en": sheets["en"]}))
        return None
    if not visible:
        hidden = [t for t, _ in found]
        shown = [t for t in tables if t.visible]
        problems.append(Problem("only_hidden_header", params={"hidden": _names(hidden), "visible": _names(shown)})
                        if hidden else _no_header(shown, heads))
        return None
    table, header = max(strong or visible, key=lambda item: item[1].score)
    for other, other_header in found:
        if not other.visible and other_header.score[1] >= 2:
            problems.append(Problem("hidden_sheet_ignored", WARNING, params={"sheet": other.name, "used": table.name}))
    return table, header, heads[table.name]


def _spans(top: list[object], below: list[object], merged: list[tuple[int, int, int, int]], row: int
           ) -> list[tuple[int, int, str]]:
    """Header cells standing over several columns, as (first, last column, the merged range or "" when not
    merged): ranges merged across the header row, and a header followed by empty header cells over which the
    next row has names (a merged header saved as CSV looks like that)."""
    spans = [(left, right, f"{column_letter(left)}{top_row}:{column_letter(right)}{bottom_row}")
             for top_row, left, bottom_row, right in merged if top_row <= row <= bottom_row and right > left]
    covered = {c for left, right, _ in spans for c in range(left, right + 1)}
    column = 0
    while column < len(top):
        last = column
        while (last + 1 < len(top) and top[last + 1] == "" and last + 1 < len(below) and below[last + 1] != ""
               and last + 1 not in covered):
            last += 1
        if last > column and top[column] != "" and column < len(below) and below[column] != "" \
                and column not in covered:
            spans.append((column, last, ""))
        column = last + 1
    return spans


def _header_labels(top: list[object], below: list[object], spans: list[tuple[int, int, str]], kind: Kind
                   ) -> tuple[list[object], bool, list[tuple[int, int, str]]]:
    """The name of each column, whether the row below was part of the header, and the merged spans that could
    not be read. A span is read as two levels ("Ngày" + "kết nạp" → "Ngày kết nạp") when every combined name
    is a different template column; the row below then also names the columns whose header cell is empty."""
    width = max(len(top), len(below))
    labels = top + [""] * (width - len(top))
    below = below + [""] * (width - len(below))
    unread, two_level = [], False
    for left, right, merged in spans:
        combined = [f"{top[left]} {below[c]}" for c in range(left, right + 1)]
        keys = [m.key if (m := _match(label, kind)) else None for label in combined]
        if all(below[c] != "" for c in range(left, right + 1)) and None not in keys and len(set(keys)) == len(keys):
            labels[left:right + 1] = combined
            two_level = True
        elif merged:
            unread.append((left, right, merged))
    if two_level:
        labels = [label if label != "" else below[i] for i, label in enumerate(labels)]
    return labels, two_level, unread


def _looks_like(key: str) -> Callable[[object], bool] | None:
    """A test for whether a cell could hold the template column ``key`` (None for free text)."""
    def parses(parse: Callable[[object], object]) -> Callable[[object], bool]:
        def test(value: object) -> bool:
            try:
                parse(value)
            except (DateError, NumberError, ValueError):
                return False
            return True
        return test

    if key in DATE_KEYS:
        return parses(parse_date)
    if key in ("year", "birth_year"):
        return parses(parse_year)
    if key in ("union_members", "workers", *model.stage_keys()):
        return parses(parse_count)
    if key in ("gender", "sector"):
        table = aliases.gender_aliases() if key == "gender" else aliases.sector_aliases()
        return lambda value: fold(str(value)) in table
    return None


def _unlabelled(samples: dict[int, list[object]], missing: list[Column]) -> list[tuple[int, Column]]:
    """Columns without a known header whose sampled cells (80 % or more) look like a missing template column,
    each paired, left to right, with the first such column not yet paired (template order)."""
    found: list[tuple[int, Column]] = []
    tests = [(column, test) for column in missing if (test := _looks_like(column.key))]
    for index, values in sorted(samples.items()):
        paired = {column.key for _, column in found}
        match = next((column for column, test in tests if column.key not in paired and values
                      and sum(map(test, values)) >= 0.8 * len(values)), None)
        if match:
            found.append((index, match))
    return found


def _cells(row: int, columns: list[int]) -> str:
    """Excel references of header cells: a range when they are side by side ("H1:J1"), else a list."""
    letters = [column_letter(c) for c in sorted(columns)]
    if len(columns) > 1 and max(columns) - min(columns) == len(columns) - 1:
        return f"{letters[0]}{row}:{letters[-1]}{row}"
    return ", ".join(f"{letter}{row}" for letter in letters)


_CONTROL = {chr(c) for c in (*range(0x00, 0x09), *range(0x0e, 0x20), 0x7f)}  # left after clean() folds spaces


def _control(text: str) -> str:
    """The control characters in ``text``, as U+XXXX ("" when none)."""
    return ", ".join(f"U+{ord(c):04X}" for c in dict.fromkeys(text) if c in _CONTROL)


class _Texts(dict):
    """Raw cell text → cleaned, each distinct text cleaned once; remembers the cleaned texts that are not
    ASCII (only those can be Vietnamese or legacy-font text), those showing a legacy-font sign, and those
    holding control characters."""

    def __init__(self, legacy: LegacyText) -> None:
        super().__init__()
        self.legacy = legacy
        self.non_ascii: set[str] = set()
        self.signs: set[str] = set()
        self.control: dict[str, str] = {}

    def __missing__(self, raw: str) -> str:
        cleaned = self[raw] = clean(raw)
        if not cleaned.isascii():
            self.non_ascii.add(cleaned)
            if self.legacy.signs(cleaned):
                self.signs.add(cleaned)
        if not cleaned.isprintable() and (chars := _control(cleaned)):
            self.control[cleaned] = chars
        return cleaned


class _Reader:
    """Reads the data rows under a header once: cleaned cells of the template's columns kept as tuples, the
    columns without a known header watched (do they hold data, and what does it look like), legacy-font
    and control characters found."""

    def __init__(self, index: dict[str, int], letters: list[str], watched: set[int]):
        self.index, self.letters = index, letters
        self.columns = list(index.values())
        self.pick = operator.itemgetter(*self.columns) if len(self.columns) > 1 else \
            (lambda cells: tuple(cells[c] for c in self.columns))
        self.width = max([len(letters), *(c + 1 for c in self.columns)])
        self.watched = watched  # columns without a known header (and any beyond the header)
        self.samples: dict[int, list[object]] = {c: [] for c in watched}
        self.filled: set[int] = set()
        self.legacy = LegacyText()
        self.legacy_cells: dict[int, tuple[int, str]] = {}  # row → (column, text) of its first legacy cell
        self.control: list[Problem] = []
        self.texts = _Texts(self.legacy)
        self.data: list[tuple[int, tuple[object, ...]]] = []

    def add(self, row: int, raw: list[object]) -> bool:
        """Keep a row (False for an empty one)."""
        texts = self.texts
        cells = [texts[c] if c.__class__ is str else "" if c is None else c for c in raw]
        if cells.count("") == len(cells):
            return False
        if len(cells) < self.width:
            cells += [""] * (self.width - len(cells))
        elif len(cells) > self.width:
            self.watched.update(c for c in range(self.width, len(cells)) if cells[c] != "")
        if texts.non_ascii and not texts.non_ascii.isdisjoint(cells):
            self.legacy.add(texts.non_ascii.intersection(cells))
            if texts.signs and not texts.signs.isdisjoint(cells):
                column = min(cells.index(cell) for cell in texts.signs.intersection(cells))
                self.legacy_cells[row] = (column, cells[column])
        for column in self.watched:
            if column < len(cells) and cells[column] != "":
                self.filled.add(column)
                if len(self.data) < _SAMPLE_ROWS:
                    self.samples.setdefault(column, []).append(cells[column])
        values = self.pick(cells)
        if texts.control and not texts.control.keys().isdisjoint(values):
            self._control(row, values)
        self.data.append((row, values))
        return True

    def _control(self, row: int, values: tuple[object, ...]) -> None:
        for key, value in zip(self.index, values):
            if value in self.texts.control:
                shown = HIDDEN if key == "person" else "".join(f"\\x{ord(c):02x}" if c in _CONTROL else c
                                                                for c in value)
                self.control.append(Problem("control_character", row=row, column=self.letters[self.index[key]],
                                            value=shown, params={"chars": self.texts.control[value]}))

    def legacy_problems(self) -> list[Problem]:
        """One problem per row with legacy-font text; in a column that is mostly legacy text, every cell with a
        Latin-1 letter is too."""
        font = self.legacy.font()
        if font is None:
            return []
        cells = dict(self.legacy_cells)
        for i, column in enumerate(self.columns):
            texts = [values[i] for _, values in self.data if isinstance(values[i], str) and not values[i].isascii()]
            if self.legacy.outweighs(texts):
                for row, values in self.data:
                    if row not in cells and isinstance(values[i], str) and has_latin1_letters(values[i]):
                        cells[row] = (column, values[i])
        shown = {i for key, i in self.index.items() if key != "person"}
        return [Problem("legacy_font", row=row, column=self.letters[column] if column < len(self.letters)
                        else column_letter(column), value=text if column in shown else HIDDEN,
                        params={"font": font}) for row, (column, text) in sorted(cells.items())]


# Headers of a column numbering the rows ("STT": số thứ tự), which reports often start with: ignored, and its
# numbers never taken for a template column the header lacks.
_ROW_NUMBER_HEADERS = {fold(h) for h in ("STT", "TT", "Số TT", "Số thứ tự", "No", "No.", "Row")}


def _row_number(label: object) -> bool:
    return isinstance(label, str) and fold(label) in _ROW_NUMBER_HEADERS


def _map_columns(labels: list[object], kind: Kind, row: int, problems: Problems) -> tuple[dict[str, int], list[str]]:
    """Column key → index of the labels that name a template column, and each column's "letter · name";
    unknown names are warnings, a column named twice or a required column missing an error."""
    letters = [f"{column_letter(i)} · {h}" if isinstance(h, str) and h else column_letter(i)
               for i, h in enumerate(labels)]
    index: dict[str, int] = {}
    for i, cell in enumerate(labels):
        column = _match(cell, kind)
        if column is None:
            if isinstance(cell, str) and cell and not _row_number(cell):
                problems.append(Problem("ignored_column", WARNING, row=row, column=letters[i]))
        elif column.key in index:
            problems.append(Problem("duplicate_column", row=row, column=letters[i],
                                    params={"column_vi": column.vi, "column_en": column.en}))
        else:
            index[column.key] = i
    for column in kind.required():
        if column.key not in index:
            problems.append(Problem("missing_column", row=row, params={"column_vi": column.vi, "column_en": column.en}))
    return index, letters


def _layout_problems(reader: _Reader, unread: list[tuple[int, int, str]], kind: Kind, row: int) -> list[Problem]:
    """Refusals of a header that cannot be read safely: merged cells over columns holding data, or data
    under empty or unknown headers that looks like a template column the header lacks."""
    problems = []
    for left, right, cells in unread:
        if any(c in reader.filled for c in range(left + 1, right + 1)):
            problems.append(Problem("merged_header", row=row, params={"cells": cells}))
    missing = [c for c in kind.columns if c.key not in reader.index]
    found = _unlabelled({c: v for c, v in reader.samples.items() if c in reader.filled}, missing)
    if found:
        names = {lang: ", ".join(dict.fromkeys(f"“{getattr(c, lang)}”" for _, c in found)) for lang in ("vi", "en")}
        problems.append(Problem("unlabelled_data", row=row, params={
            "cells": _cells(row, [c for c, _ in found]), "missing_vi": names["vi"], "missing_en": names["en"]}))
    return problems


def _merged_data(merged: list[tuple[int, int, int, int]], first_row: int, columns: set[int]) -> list[Problem]:
    """Merged cells among the data rows (from ``first_row``) of the template's ``columns``: only the first cell
    holds the value, the others read as empty (one ceremony date merged over ten people gave one admission)."""
    return [Problem("merged_data", row=top, params={"cells": f"{column_letter(left)}{top}:{column_letter(right)}"
                                                             f"{bottom}"})
            for top, left, bottom, right in merged
            if bottom >= first_row and any(left <= c <= right for c in columns)]


#: How many hidden rows a warning names (the others are counted).
_NAMED_HIDDEN_ROWS = 10


def _hidden_rows(reader: _Reader, table: Table) -> list[Problem]:
    """A warning naming the data rows Excel hides (by hand or by a filter): they are read like the others, which
    is not what someone who filtered a register down to the rows they meant to send expects."""
    hidden = [row for row, _ in reader.data if row in table.hidden_rows] if table.hidden_rows else []
    if not hidden:
        return []
    named = ", ".join(str(row) for row in hidden[:_NAMED_HIDDEN_ROWS]) + (" …" if len(hidden) > _NAMED_HIDDEN_ROWS
                                                                           else "")
    return [Problem("hidden_rows", WARNING, params={"count": number(len(hidden)), "rows": named})]


def _hidden_columns(reader: _Reader, table: Table) -> list[Problem]:
    """A warning for each template column Excel hides that holds data: it is read like the others, which is not
    what someone who hid a column they did not mean to send expects."""
    return [Problem("hidden_column", WARNING, column=reader.letters[column], params={"column": reader.letters[column]})
            for position, column in enumerate(reader.columns)
            if column in table.hidden_columns and any(values[position] != "" for _, values in reader.data)]


def _read(table: Table, header: _Header, head: list, problems: Problems) -> Sheet | None:
    """The sheet under ``header``: its columns, then every data row (refusing more than :data:`MAX_ROWS`)."""
    kind, position = header.kind, header.position
    row, top = head[position]
    below = head[position + 1][1] if position + 1 < len(head) else []
    labels, two_level, unread = _header_labels(top, below, _spans(top, below, table.merged, row), kind)
    index, letters = _map_columns(labels, kind, row, problems)
    skip = position + 1 + two_level
    if not two_level and position + 1 < len(head) and len(_matched(below, kind)) >= max(2, len(index) // 2):
        skip += 1  # the English header row
    watched = {i for i, label in enumerate(labels) if _match(label, kind) is None and not _row_number(label)}
    watched |= {c for left, right, _ in unread for c in range(left + 1, right + 1)}
    reader = _Reader(index, letters, watched)
    for excel_row, cells in itertools.islice(table.rows(), skip, None):
        if reader.add(excel_row, cells) and len(reader.data) > MAX_ROWS:
            problems.append(Problem("too_many_rows", params={"limit": number(MAX_ROWS)}))
            return None
    problems += _layout_problems(reader, unread, kind, row)
    problems += _merged_data(table.merged, row + skip - position, set(index.values()))
    problems += reader.control
    problems += reader.legacy_problems()
    problems += _hidden_rows(reader, table)
    problems += _hidden_columns(reader, table)
    if not reader.data:
        problems.append(Problem("no_rows"))
    return Sheet(kind, {key: letters[i] for key, i in index.items()}, tuple(index), reader.data, table.name)


def to_sheet(tables: list[Table]) -> tuple[Sheet | None, Problems]:
    """Choose the table, locate the header, map columns to keys, keep non-empty data rows; None if the file
    cannot be used."""
    problems = Problems()
    try:
        chosen = _choose(tables, problems)
        return (_read(*chosen, problems) if chosen else None), problems
    except ReadError as error:
        problems.append(error.problem)
        return None, problems
    finally:
        for table in tables:
            table.close()
