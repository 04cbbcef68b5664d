"""The report kinds, their columns (Vietnamese header, English header, aliases), and finding them
in a sheet: the header row (in the first rows, any column order), the optional English second header row,
cleaned cells, fully empty rows dropped, legacy-font text refused."""

from __future__ import annotations

from dataclasses import dataclass

from analytics import model
from analytics.ingest.normalise import clean, fold, legacy_font
from analytics.ingest.problems import WARNING, Problem
from analytics.ingest.read import Rows


@dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    required: bool = True
    aliases: tuple[str, ...] = ()

    def names(self) -> set[str]:
        return {fold(n) for n in (self.key, self.vi, self.en, *self.aliases)}


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
               aliases=(s.short["vi"], s.short["en"]))
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

_HEADER_SEARCH_ROWS = 15


@dataclass(frozen=True)
class Sheet:
    """The data rows of a report of one kind: ``rows`` holds (Excel row, {column key: cleaned cell})."""

    kind: Kind
    headers: dict[str, str]  # column key → the header as written, with its Excel column letter
    rows: list[tuple[int, dict[str, object]]]


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _match(header: object, kind: Kind) -> Column | None:
    if not isinstance(header, str) or not header.strip():
        return None
    folded = fold(header)
    candidates = {folded, fold(header.split("/")[0]), fold(header.split("(")[0]), fold(header.split("\n")[0])}
    return next((c for c in kind.columns if c.names() & candidates), None)


def _matched(cells: list[object], kind: Kind) -> set[str]:
    return {m.key for cell in cells if (m := _match(cell, kind)) is not None}


def _find_header(rows: list[tuple[int, list[object]]]) -> tuple[Kind, int] | None:
    """The kind and position of the header row: among the first rows, the one (and kind) that matches most
    required columns, then most columns; the earliest wins a tie."""
    best: tuple[tuple[int, int, int], Kind, int] | None = None
    for position, (_, cells) in enumerate(rows[:_HEADER_SEARCH_ROWS]):
        for kind in KINDS.values():
            matched = _matched(cells, kind)
            required = sum(c.key in matched for c in kind.required())
            score = (required, len(matched), -position)
            if required and (best is None or score > best[0]):
                best = (score, kind, position)
    return None if best is None else (best[1], best[2])


HIDDEN = "(ẩn / hidden)"


def _legacy_problems(number: int, cells: list[object], headers: list[str], shown: set[int]) -> list[Problem]:
    """The first legacy-font cell of a row; its value is shown only for columns in ``shown`` (never a name)."""
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and (font := legacy_font(cell)):
            column = headers[index] if index < len(headers) else column_letter(index)
            value = cell if index in shown else HIDDEN
            return [Problem("legacy_font", row=number, column=column, value=value, params={"font": font})]
    return []


def to_sheet(raw: Rows) -> tuple[Sheet | None, list[Problem]]:
    """Locate the header, map columns to keys, keep non-empty data rows; None if the file cannot be used."""
    rows = [(n, [clean(c) for c in cells]) for n, cells in raw.rows]
    found = _find_header(rows)
    if found is None:
        names = "; ".join(f"{k.title['vi']}: " + ", ".join(c.vi for c in k.required()) for k in KINDS.values())
        legacy = next((p for n, cells in rows for p in _legacy_problems(n, cells, [], set())), None)
        return None, [legacy] if legacy else [Problem("no_header", params={"columns": names})]
    kind, position = found
    header_cells = rows[position][1]
    letters = [f"{column_letter(i)} · {h}" if isinstance(h, str) and h else column_letter(i)
               for i, h in enumerate(header_cells)]
    problems: list[Problem] = []
    index: dict[str, int] = {}
    for i, cell in enumerate(header_cells):
        column = _match(cell, kind)
        if column is None:
            if isinstance(cell, str) and cell:
                problems.append(Problem("ignored_column", WARNING, row=rows[position][0], column=letters[i]))
        elif column.key in index:
            problems.append(Problem("duplicate_column", row=rows[position][0], column=letters[i],
                                    params={"column_vi": column.vi, "column_en": column.en}))
        else:
            index[column.key] = i
    for column in kind.required():
        if column.key not in index:
            problems.append(Problem("missing_column", row=rows[position][0],
                                    params={"column_vi": column.vi, "column_en": column.en}))
    body = rows[position + 1 :]
    if body and len(_matched(body[0][1], kind)) >= max(2, len(index) // 2):  # the English header row
        body = body[1:]
    data = []
    for number, cells in body:
        if all(c == "" for c in cells):
            continue
        problems += _legacy_problems(number, cells, letters, {i for key, i in index.items() if key != "person"})
        padded = cells + [""] * (len(header_cells) - len(cells))
        data.append((number, {key: padded[i] for key, i in index.items()}))
    if not data:
        problems.append(Problem("no_rows"))
    headers = {key: letters[i] for key, i in index.items()}
    return Sheet(kind, headers, data), problems
