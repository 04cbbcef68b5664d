"""Reading a report file into rows of cells, each with the row number the sender sees in Excel.

CSV: UTF-8 (with or without BOM), UTF-16 (with BOM, or without one when the NUL bytes give it away),
else Windows-1258; the delimiter is sniffed among , ; and tab. XLSX: the first worksheet, via openpyxl.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from dataclasses import dataclass

from analytics.ingest.problems import Problem

_XLSX_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls


@dataclass(frozen=True)
class Rows:
    """Cells as read (text, numbers, dates or None) with their Excel row numbers (1-based)."""

    rows: list[tuple[int, list[object]]]
    encoding: str


def decode(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding used."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                          (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding), encoding
    head = data[:4096]
    if head.count(0) > len(head) // 4:  # UTF-16 without a BOM: every other byte of ASCII text is NUL
        encoding = "utf-16-le" if head[1::2].count(0) > head[0::2].count(0) else "utf-16-be"
        return data.decode(encoding), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1258", errors="replace"), "cp1258"


def _csv_rows(text: str) -> list[tuple[int, list[object]]]:
    sample = text[:8192]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return [(number, list(cells)) for number, cells in enumerate(csv.reader(io.StringIO(text), dialect), start=1)]


def _xlsx_rows(data: bytes) -> list[tuple[int, list[object]]]:
    import openpyxl  # only XLSX needs it

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [(number, list(cells)) for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1)]
    finally:
        workbook.close()


def read_rows(data: bytes, name: str) -> tuple[Rows | None, list[Problem]]:
    """The rows of a CSV or XLSX file, or None and the problem that stopped the reading."""
    if data.startswith(_OLE_MAGIC) or name.lower().endswith(".xls"):
        return None, [Problem("unreadable", params={"detail": ".xls (Excel 97-2003)"})]
    if data.startswith(_XLSX_MAGIC):
        try:
            return Rows(_xlsx_rows(data), "xlsx"), []
        except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
            return None, [Problem("unreadable", params={"detail": f"XLSX: {type(error).__name__}"})]
    text, encoding = decode(data)
    try:
        return Rows(_csv_rows(text), encoding), []
    except csv.Error as error:
        return None, [Problem("unreadable", params={"detail": f"CSV: {error}"})]
