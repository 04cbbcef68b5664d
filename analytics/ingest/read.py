"""Reading a report file into tables of cells, each row with the number the sender sees in Excel.

CSV: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when every other byte is NUL), else
Windows-1258, or Latin-1 when the bytes are text typed in a legacy font (so the font check can name it); the
delimiter is chosen among , ; and tab (or by an Excel "sep=" first line). A byte that does not decode is a
problem naming its position.

XLSX: every worksheet, visible or not, through python-calamine (about ten times faster than openpyxl).
Calamine holds a whole sheet in memory as a dense block from A1 to the last cell with data, so each sheet's
XML is first streamed through a cheap scan for that block's size: a sheet larger than :data:`MAX_CELLS`
(or a stray cell at XFD1048576) is refused before it is loaded. Every part of the archive is unpacked once on
the way (a declared size that lies fails its checksum), so memory stays bounded whatever the 20 MB upload holds.

Rows come out lazily (:meth:`Table.rows`): the caller decides how many to keep.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import posixpath
import re
import unicodedata
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree

from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

from analytics.ingest.normalise import legacy_counts
from analytics.ingest.problems import Problem, number

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls
#: Cells of the block calamine allocates for a sheet (32 bytes each plus the text): 200.000 rows of 25 columns.
MAX_CELLS = 5_000_000
#: Unpacked bytes of one part of an XLSX archive; about 4 times what a 200.000-row sheet needs.
MAX_PART_BYTES = 512 << 20
#: Cells of a CSV row: Excel's own limit (column XFD); a wider row is not a report (20 MB of commas).
MAX_COLUMNS = 16_384
_CHUNK = 1 << 20

Row = tuple[int, list[object]]
Merged = tuple[int, int, int, int]


def column_letter(index: int) -> str:
    """Excel's letter for a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class ReadError(Exception):
    """Reading stopped; ``problem`` says why (raised while rows are iterated, so the caller's loop ends)."""

    def __init__(self, problem: Problem):
        super().__init__(problem.code)
        self.problem = problem


class Table:
    """One worksheet (or the CSV): its name ("" for a CSV), whether it is visible, its merged ranges as
    (first row, first column, last row, last column) with 1-based rows and 0-based columns, and its rows,
    read only when first asked for (``open`` gives the rows and the merged ranges)."""

    def __init__(self, name: str, visible: bool, encoding: str,
                 open_rows: Callable[[], tuple[Iterator[Row], list[Merged]]]):
        self.name, self.visible, self.encoding = name, visible, encoding
        self.merged: list[Merged] = []
        self.hidden_rows: frozenset[int] = frozenset()  # rows Excel hides (hidden, or filtered out): still read
        self.hidden_columns: frozenset[int] = frozenset()  # columns Excel hides (0-based): still read
        self._open: Callable[[], tuple[Iterator[Row], list[Merged]]] | None = open_rows
        self._rows: Iterator[Row] | None = None
        self._head: list[Row] = []

    def head(self, count: int) -> list[Row]:
        """The first ``count`` rows (:meth:`rows` gives them again); may raise :class:`ReadError`."""
        if self._rows is None:
            self._rows, self.merged = self._open()
        self._head += itertools.islice(self._rows, max(0, count - len(self._head)))
        return self._head[:count]

    def rows(self) -> Iterator[Row]:
        """Every row, from the first; may raise :class:`ReadError`."""
        self.head(0)
        head, self._head = self._head, []
        return itertools.chain(head, self._rows)

    def close(self) -> None:
        """Let go of the rows and of what reads them (a loaded sheet, the workbook, the file's bytes)."""
        self._rows, self._head, self._open = iter(()), [], None


# --- CSV -------------------------------------------------------------------------------------------------------

def _utf16_without_bom(head: bytes) -> str | None:
    """"utf-16-le" or "utf-16-be" when the NUL bytes of ``head`` sit on one side of the byte pairs, as in
    UTF-16 text that is mostly ASCII; a run of NUL bytes on both sides is not text at all."""
    low, high = head[0::2].count(0), head[1::2].count(0)
    pairs = len(head) // 2 or 1
    if high >= pairs // 4 and low * 10 <= high:
        return "utf-16-le"
    if low >= pairs // 4 and high * 10 <= low:
        return "utf-16-be"
    return None


def _decode_error(data: bytes, encoding: str) -> Problem | None:
    """The first byte ``data`` cannot be decoded at in ``encoding``, as a problem with its row, or None.
    Decoded in chunks, so the whole text is never held."""
    decoder = codecs.getincrementaldecoder(encoding)()
    for start in range(0, len(data), _CHUNK):
        pending = len(getattr(decoder, "buffer", b""))  # bytes of a character cut by the previous chunk
        try:
            decoder.decode(data[start:start + _CHUNK], final=start + _CHUNK >= len(data))
        except UnicodeDecodeError as error:
            position = start - pending + error.start
            row = data[:position].decode(encoding, errors="replace").count("\n") + 1
            names = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1258": "Windows-1258"}
            return Problem("bad_encoding", row=row, params={"encoding": names.get(encoding, "UTF-16"),
                                                            "byte": number(position + 1)})
    return None


def _mostly_utf8(data: bytes) -> bool:
    """Whether ``data``, which is not valid UTF-8, still holds more well-formed UTF-8 characters than bad
    bytes: a UTF-8 file with a few broken bytes rather than an 8-bit one (where almost every accented
    letter is a bad byte)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return len(text) - len(text.encode("ascii", "ignore")) - bad > bad


# Bytes Windows-1258 uses for Vietnamese letters (Ă Đ Ơ Ư ă đ ơ ư) and tone marks: read as Latin-1 they
# would pass for legacy-font characters.
_CP1258_VIETNAMESE = bytes([0xC3, 0xD0, 0xD5, 0xDD, 0xE3, 0xF0, 0xF5, 0xFD, 0xCC, 0xD2, 0xDE, 0xEC, 0xF2])
_COMBINING = re.compile("[\u0300-\u036f]")


def _legacy_bytes(data: bytes) -> bool:
    """Whether an 8-bit file is text typed in a legacy font (TCVN3, VNI) rather than Windows-1258. Signs of
    a font: read byte for byte as Latin-1 (as the fonts' characters are), leaving out the bytes Windows-1258
    uses for Vietnamese, the legacy-font signs; read as Windows-1258, tone marks on no vowel. The file is
    legacy text when they come to more than a quarter of the letters only Vietnamese Unicode has in the
    Windows-1258 reading (a Vietnamese file has many, and a stray foreign letter is no font)."""
    _, *signs = legacy_counts(data.translate(None, _CP1258_VIETNAMESE).decode("latin-1"))
    text = unicodedata.normalize("NFC", data.decode("cp1258", errors="replace"))
    return (sum(signs) + len(_COMBINING.findall(text))) * 4 > legacy_counts(text)[0]


def _encoding(data: bytes) -> tuple[str | None, Problem | None]:
    """The encoding to read a CSV with, or None and the problem that rules every encoding out."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return (None, error) if (error := _decode_error(data, encoding)) else (encoding, None)
    if encoding := _utf16_without_bom(data[:4096]):
        return (None, error) if (error := _decode_error(data, encoding)) else (encoding, None)
    if data.startswith(b"\x00"):
        count = len(data) - len(data.lstrip(b"\x00"))
        return None, Problem("nul_bytes", row=1, params={"count": number(count)})
    error = _decode_error(data, "utf-8")
    if error is None:
        return "utf-8", None
    if _mostly_utf8(data):
        return None, error
    if _legacy_bytes(data):
        return "latin-1", None
    return (None, error) if (error := _decode_error(data, "cp1258")) else ("cp1258", None)


_SEP_LINE = re.compile(r"\ufeff?sep=([,;\t])\r?\n")  # Excel's "sep=;" first line


def _delimiter(sample: str) -> str:
    """The sample's delimiter among , ; and tab: the one whose rows of several cells most often share one
    width (the table's). Title rows have one cell whatever the delimiter; a ";" file whose names hold commas
    has its widest, most regular rows split by ";" (csv.Sniffer gave up on title rows and fell back to ",")."""
    lines = sample.splitlines()[:-1] or sample.splitlines()  # the last line may be cut
    def regularity(delimiter: str) -> tuple[int, int]:
        widths = Counter(len(cells) for cells in csv.reader(lines, delimiter=delimiter) if len(cells) > 1)
        return max(((count, width) for width, count in widths.items()), default=(0, 0))
    return max(",;\t", key=regularity)  # a tie goes to ","


def _csv_table(data: bytes, encoding: str) -> Table:
    sample = data[:16384].decode(encoding, errors="ignore")
    sep = _SEP_LINE.match(sample)
    delimiter = sep.group(1) if sep else _delimiter(sample)

    def rows() -> Iterator[Row]:
        text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
        if sep:
            text.readline()  # Excel reads the "sep=" line as the delimiter, not as a row
        reader = csv.reader(text, delimiter=delimiter)
        try:
            for row, cells in enumerate(reader, start=1):
                if len(cells) > MAX_COLUMNS:
                    raise ReadError(Problem("too_many_columns", row=row, params={
                        "count": number(len(cells)), "limit": number(MAX_COLUMNS)}))
                yield row, cells
        except csv.Error as error:  # a field too long, a quote never closed: the line where reading stopped
            raise ReadError(Problem("unreadable", row=reader.line_num,
                                    params={"detail": f"CSV: {error}"})) from error

    return Table("", True, encoding, lambda: (rows(), []))


# --- XLSX ------------------------------------------------------------------------------------------------------

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# The row and the column of a cell's reference (r="AB12"; a row's r holds digits only), found separately: two
# passes that return plain bytes are cheaper than one that returns pairs. Cheaper than parsing the XML, and
# only ever too high: an empty formatted cell counts although calamine skips it.
_REF_ROW = re.compile(rb"""r=["'][A-Z]{1,3}([0-9]{1,7})["']""")
_REF_COLUMN = re.compile(rb"""r=["']([A-Z]{1,3})[0-9]""")
# Cell tags: "<c" then white space (any: "<c\nr=..." is XML too), ">" or "/"; counted as every "<c" less those
# of other tags ("<col", "<cfRule"), plus cells with a namespace prefix ("<x:c r=...>", as .NET writes them).
_NOT_A_CELL = re.compile(rb"<c[\w.-]")
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
# A row hidden in Excel (by hand or by a filter), and its number.
_HIDDEN_ROW = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?row(?=\s)[^>]*?\shidden\s*=\s*["'](?:1|true)["'][^>]*>""")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["'](\d{1,7})["']""")
# A hidden column (a <col> tag gives the width of the columns min to max, 1-based), and its bounds.
_HIDDEN_COLUMN = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?col(?=\s)[^>]*?\shidden\s*=\s*["'](?:1|true)["'][^>]*>""")
_COLUMN_BOUND = {bound: re.compile(rb"\s" + bound + rb"""\s*=\s*["'](\d{1,5})["']""") for bound in (b"min", b"max")}
_EXCEL_COLUMNS = 16_384
# A cell holding an Excel error (#N/A, #DIV/0!): calamine reads it as empty.
_ERROR_CELL = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\st\s*=\s*["']e["']""")
# A cell's body, for the cells with a formula: one without a stored result (as openpyxl and export tools write
# them) reads as empty. Excel marks a formula whose result is text "str": its result may be "" (=IF(A2="","",…)).
_CELL_BODY = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c\s([^>]*?)(?<!/)>(.*?)</(?:[A-Za-z_][\w.-]*:)?c>", re.S)
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_RESULT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:v|t)>[^<]")
_TEXT_RESULT = re.compile(rb"""\st\s*=\s*["']str["']""")
# A cell whose value is a shared text's number (t="s"), and a shared text's start and end in sharedStrings.xml.
_SHARED_CELL = re.compile(rb"""\st\s*=\s*["']s["'][^>]*>\s*<(?:[A-Za-z_][\w.-]*:)?v\s*>\s*([0-9]{1,9})""")
_SHARED_TEXT = re.compile(rb"<(/?)(?:[A-Za-z_][\w.-]*:)?si(/?)[\s>]")
_CELL_REF = re.compile(rb"""r=["']([A-Z]{1,3}[0-9]{1,7})["']""")
#: Bytes of XML text without a tag that the scan refuses: a cell of Excel's 32.767 characters, 3 bytes each
#: in UTF-8 and escaped, is far less. A run this long always holds a whole block of a quarter of it.
MAX_TEXT_BYTES = 800_000
#: Bytes of text a sheet's cells may add up to (a shared text counts once per cell that shows it: calamine makes
#: a copy for each). A 500 KB workbook whose 100.000 cells each show one text of 100 KB asked for 10 GB.
MAX_SHEET_TEXT_BYTES = 256 << 20
#: Bytes all of a workbook's parts may unpack to: a 20 MB file of padding unpacked to 19 GB (70 s to read).
MAX_ARCHIVE_BYTES = 1024 << 20
_TAG_BYTES = 4096  # a tag cut by a chunk's end is carried to the next chunk if it is no longer than this


@dataclass
class Hidden:
    """What Excel hides in a sheet and calamine reads all the same: rows (Excel's numbers), columns (0-based)."""

    rows: set[int] = field(default_factory=set)
    columns: set[int] = field(default_factory=set)

    def add_columns(self, tag: bytes) -> None:
        """The columns a hidden ``<col>`` tag covers (Excel's 16.384 at most)."""
        bounds = [found.group(1) for pattern in _COLUMN_BOUND.values() if (found := pattern.search(tag))]
        if len(bounds) == 2:
            first, last = max(1, int(bounds[0])), min(_EXCEL_COLUMNS, int(bounds[1]))
            self.columns.update(range(first - 1, last))


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - 64
    return index


def _member(folder: str, target: str) -> str:
    """The archive member a relationship points at: absolute ("/xl/...") or relative to ``folder``."""
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id → the archive member it points at, for ``part``."""
    folder, name = posixpath.split(part)
    rels = ElementTree.fromstring(archive.read(posixpath.join(folder, "_rels", f"{name}.rels")))
    return {rel.get("Id", ""): _member(folder, rel.get("Target", ""))
            for rel in rels.iter(f"{_PACKAGE_REL}Relationship")}


def _sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name → the archive member holding its cells (from the workbook and its relationships)."""
    package = ElementTree.fromstring(archive.read("_rels/.rels"))
    workbook = next(rel.get("Target", "").lstrip("/") for rel in package.iter(f"{_PACKAGE_REL}Relationship")
                    if rel.get("Type", "").endswith("/officeDocument"))
    targets = _relationships(archive, workbook)
    return {sheet.get("name", ""): targets.get(sheet.get(f"{_REL}id", ""), "")
            for sheet in ElementTree.fromstring(archive.read(workbook)).iter(f"{_MAIN}sheet")}


class _TextTooLong(Exception):
    """A part of the workbook holds a text longer than :data:`MAX_TEXT_BYTES`."""


def _xml_pieces(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """A part's XML in pieces of about :data:`_CHUNK` bytes, each ending before a tag the chunk's end would cut;
    raises :class:`_TextTooLong` at a text without a tag of :data:`MAX_TEXT_BYTES` (a cell of 500 MB: calamine
    would hold it several times over). Linear: at most a short tag is carried from one piece to the next."""
    block = MAX_TEXT_BYTES // 4
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(_CHUNK):
            text = tail + chunk
            if any(text.find(b"<", start, start + block) == -1 for start in range(0, len(text) - block + 1, block)):
                raise _TextTooLong
            cut = text.rfind(b"<")
            if cut == -1 or len(text) - cut > _TAG_BYTES:
                cut = len(text)  # no tag is cut, or it is text: scanned now (a reference split here is lost: too few)
            yield text[:cut]
            tail = text[cut:]
        yield tail


def _cell_name(tag: bytes) -> str:
    where = _CELL_REF.search(tag)
    return where.group(1).decode() if where else "?"


def _formula_without_result(text: bytes) -> str | None:
    """The first cell of ``text`` with a formula and no stored result, if any ("A7")."""
    for attributes, body in _CELL_BODY.findall(text):
        if _FORMULA.search(body) and not _RESULT.search(body) and not _TEXT_RESULT.search(b" " + attributes):
            return _cell_name(b" " + attributes)
    return None


def _shared_text_sizes(archive: zipfile.ZipFile, part: str | None) -> list[int]:
    """The size in bytes (of XML) of each shared text, in order; raises :class:`_TextTooLong` as
    :func:`_xml_pieces` does."""
    sizes: list[int] = []
    if part is None:
        return sizes
    offset, opened = 0, None  # offset: of the piece in the part; opened: where the open text's XML began
    for text in _xml_pieces(archive, part):
        for tag in _SHARED_TEXT.finditer(text):
            closing, empty = tag.group(1), tag.group(2)
            if closing and opened is not None:  # </si>
                sizes.append(offset + tag.start() - opened)
                opened = None
            elif empty:  # <si/>
                sizes.append(0)
            elif not closing:  # <si>
                opened = offset + tag.end()
        offset += len(text)
    return sizes


def _shared_text_shown(archive: zipfile.ZipFile, part: str, shared: list[int]) -> int:
    """Bytes of the shared texts (``shared``: their sizes) that a sheet's cells show, each time one shows it."""
    return sum(shared[index] for text in _xml_pieces(archive, part)
               for index in map(int, _SHARED_CELL.findall(text)) if index < len(shared))


def _scan_sheet(archive: zipfile.ZipFile, part: str, sheet: str, shared: list[int],
                hidden: Hidden) -> Problem | None:
    """Stream a sheet's XML once: the block from A1 to its last cell (with data or formatting) must hold at
    most :data:`MAX_CELLS` cells, every cell must say where it is (calamine places a cell without a reference
    after the previous one, which this scan cannot bound), no text may be longer than :data:`MAX_TEXT_BYTES`,
    the shared texts its cells show (``shared``: their sizes) may add up to :data:`MAX_SHEET_TEXT_BYTES`, and no
    cell may hold an Excel error or a formula without its result (read as empty, it would load as a date never
    reached). Adds the rows and columns Excel hides to ``hidden``."""
    rows = columns = tags = refs = 0
    try:
        for text in _xml_pieces(archive, part):
            tags += text.count(b"<c") - len(_NOT_A_CELL.findall(text))
            if b":c" in text:  # literal tests first: a regex over every piece costs a tenth of a second a 1M cells
                tags += len(_PREFIXED_CELL.findall(text))
            if digits := _REF_ROW.findall(text):
                refs += len(digits)
                rows = max(rows, *map(int, set(digits)))
                columns = max(columns, *map(_column_index, set(_REF_COLUMN.findall(text))))
            if b"hidden" in text:
                hidden.rows.update(int(found[1]) for tag in _HIDDEN_ROW.findall(text)
                                   if (found := _ROW_NUMBER.search(tag)))
                for tag in _HIDDEN_COLUMN.findall(text):
                    hidden.add_columns(tag)
            if (b'"e"' in text or b"'e'" in text) and (error := _ERROR_CELL.search(text)):
                return Problem("error_cell", params={"sheet": sheet, "cell": _cell_name(error.group(0))})
            if (b"<f" in text or b":f" in text) and (cell := _formula_without_result(text)):
                return Problem("formula_without_value", params={"sheet": sheet, "cell": cell})
    except _TextTooLong:
        return Problem("text_too_long", params={"sheet": sheet, "limit": number(MAX_TEXT_BYTES // 1000)})
    if tags > refs:
        return Problem("unreferenced_cells", params={"sheet": sheet})
    # Every cell showing the longest shared text is a bound that holds for nearly every workbook; only above it
    # are the texts the cells show added up (a second pass: a tenth of a second per 100.000 cells).
    if shared and tags * max(shared) > MAX_SHEET_TEXT_BYTES and _shared_text_shown(archive, part, shared) > \
            MAX_SHEET_TEXT_BYTES:
        return Problem("sheet_text_too_large", params={"sheet": sheet, "limit": number(MAX_SHEET_TEXT_BYTES >> 20)})
    if rows * columns > MAX_CELLS:
        return Problem("sheet_too_large", params={"sheet": sheet, "last": f"{column_letter(columns - 1)}{rows}",
                                                  "cells": number(rows * columns), "limit": number(MAX_CELLS),
                                                  "rows": number(MAX_CELLS // 25)})
    return None


def _check_archive(data: bytes, hidden: dict[str, Hidden]) -> list[Problem]:
    """Problems that forbid loading the workbook's sheets: a part too large once unpacked, a sheet too large
    or with cells calamine would place beyond what was scanned. Unpacks every part once (checksums checked).
    Puts what Excel hides in each sheet in ``hidden``."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            if info.file_size > MAX_PART_BYTES:
                return [Problem("unreadable", params={"detail": f"XLSX: {info.filename} > "
                                                                f"{MAX_PART_BYTES >> 20} MB"})]
        if (unpacked := sum(info.file_size for info in archive.infolist())) > MAX_ARCHIVE_BYTES:
            return [Problem("unreadable", params={"detail": f"XLSX: {unpacked >> 20} MB unpacked > "
                                                            f"{MAX_ARCHIVE_BYTES >> 20} MB"})]
        texts = next((info.filename for info in archive.infolist() if "sharedstrings" in info.filename.lower()),
                     None)  # the texts the cells show by number
        try:
            shared = _shared_text_sizes(archive, texts)
        except _TextTooLong:
            return [Problem("text_too_long", params={"sheet": texts, "limit": number(MAX_TEXT_BYTES // 1000)})]
        parts = _sheet_parts(archive)
        for sheet, part in parts.items():  # a sheet whose part is missing: KeyError, the file is unreadable
            if problem := _scan_sheet(archive, part, sheet, shared, hidden.setdefault(sheet, Hidden())):
                return [problem]
        for info in archive.infolist():
            if info.filename not in (*parts.values(), texts):
                with archive.open(info) as stream:
                    while stream.read(_CHUNK):
                        pass
    return []


def _sheet_rows(workbook: CalamineWorkbook, name: str) -> tuple[Iterator[Row], list[Merged]]:
    """A sheet's rows and its merged ranges. Calamine's rows start at row 1 but its columns at the first
    column with data: put that many empty cells in front, so column letters are Excel's."""
    try:
        sheet = workbook.get_sheet_by_name(name)
    except CalamineError as error:
        raise ReadError(Problem("unreadable", params={"detail": f"XLSX: {type(error).__name__}"})) from error
    merged = [(top + 1, left, bottom + 1, right) for (top, left), (bottom, right) in sheet.merged_cell_ranges or []]
    if not (pad := [""] * (sheet.start[1] if sheet.start else 0)):  # data from column A, as usual
        return enumerate(sheet.iter_rows(), start=1), merged
    return ((row, pad + cells) for row, cells in enumerate(sheet.iter_rows(), start=1)), merged


def _xlsx_tables(data: bytes, hidden: dict[str, Hidden]) -> list[Table]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    tables = [Table(sheet.name, sheet.visible == SheetVisibleEnum.Visible, "xlsx",
                    lambda name=sheet.name: _sheet_rows(workbook, name))
              for sheet in workbook.sheets_metadata if sheet.typ == SheetTypeEnum.WorkSheet]
    for table in tables:
        if table.name in hidden:
            table.hidden_rows, table.hidden_columns = map(frozenset, (hidden[table.name].rows,
                                                                      hidden[table.name].columns))
    return tables


def _other_zip(data: bytes) -> Problem | None:
    """A zip archive that is no XLSX workbook: an OpenDocument or binary (.xlsb) spreadsheet, or anything else."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
    if "content.xml" in names:
        what = ("bảng tính OpenDocument (.ods)", "an OpenDocument spreadsheet (.ods)")
    elif "xl/workbook.bin" in names:
        what = ("sổ làm việc Excel nhị phân (.xlsb)", "an Excel binary workbook (.xlsb)")
    elif "_rels/.rels" not in names:  # what every Office Open XML package starts from
        what = ("tệp nén zip", "a zip archive")
    else:
        return None
    return Problem("not_xlsx", params={"what_vi": what[0], "what_en": what[1]})


def read_tables(data: bytes, name: str) -> tuple[list[Table], list[Problem]]:
    """The tables of a CSV (one) or an XLSX (one per worksheet), or none and the problem that stopped it."""
    if data.startswith(_OLE_MAGIC) and "EncryptedPackage".encode("utf-16-le") in data:
        return [], [Problem("encrypted")]  # a password-protected .xlsx is an OLE container, like an .xls
    if data.startswith(_OLE_MAGIC) or name.lower().endswith(".xls"):
        return [], [Problem("unreadable", params={"detail": ".xls (Excel 97-2003)"})]
    if data.startswith(_XLSX_MAGIC):
        try:
            if problem := _other_zip(data):
                return [], [problem]
            hidden: dict[str, Hidden] = {}
            problems = _check_archive(data, hidden)
            return ([], problems) if problems else (_xlsx_tables(data, hidden), [])
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError, KeyError, StopIteration,
                ValueError, OSError, ElementTree.ParseError, CalamineError) as error:  # what a damaged archive raises
            return [], [Problem("unreadable", params={"detail": f"XLSX: {type(error).__name__}"})]
    encoding, problem = _encoding(data)
    if encoding is None:
        return [], [problem]
    return [_csv_table(data, encoding)], []
