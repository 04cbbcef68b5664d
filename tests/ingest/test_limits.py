"""The limits that keep a load's time and memory bounded whatever the upload holds, on generated files of a
few MB at most: rows per file, problems listed per file (the rest counted), the size of an XLSX sheet's
block of cells (checked before the sheet is loaded), unpacked sizes and checksums."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from collections import Counter

import openpyxl
import pytest

from analytics.ingest import pipeline, problems, read, schema
from analytics.ingest.problems import ERROR, WARNING
from analytics.ingest.read import read_tables
from tests.ingest.conftest import REGISTER_HEADER, csv_bytes, prepare_one, register_row, with_sheet_xml, xlsx_bytes


def junk_rows(count: int) -> bytes:
    """A register header and ``count`` short rows (about 12 bytes each)."""
    return csv_bytes([REGISTER_HEADER, *[["x"] + [""] * 9] * count])


def test_more_rows_than_the_limit_are_refused_before_any_check(sample_plan_inputs):
    started = time.perf_counter()
    plan = prepare_one(sample_plan_inputs, "big.csv", junk_rows(schema.MAX_ROWS + 1))
    result = plan.files[0]
    assert result.status == pipeline.REFUSED
    assert [(p.code, p.params["limit"]) for p in result.problems] == [("too_many_rows", "200.000")]
    assert "200.000" in result.problems[0].text(1)
    assert time.perf_counter() - started < 30  # reading 2.4 MB, no 200.000 rows of problems


def test_the_limit_itself_is_read():
    tables, _ = read.read_tables(junk_rows(schema.MAX_ROWS), "big.csv")
    sheet, found = schema.to_sheet(tables)
    assert sheet is not None and len(sheet.data) == schema.MAX_ROWS and not found


def junk_register(count: int) -> bytes:
    """``count`` rows, each with errors in six cells."""
    return csv_bytes([REGISTER_HEADER, *[[f"DV-{i}", "??", "Quận Ba", "x", "x", "x", "x", "", "", ""]
                                         for i in range(count)]])


def test_problems_beyond_the_first_thousand_are_counted_not_listed(sample_plan_inputs, monkeypatch):
    data = junk_register(700)
    plan = prepare_one(sample_plan_inputs, "junk.csv", data)
    result = plan.files[0]
    assert len(result.problems) == problems.MAX_PROBLEMS == 1000 and result.rejected_rows == 700
    monkeypatch.setattr(problems, "MAX_PROBLEMS", 10**9)  # every problem listed, to count them by kind
    everything = prepare_one(sample_plan_inputs, "junk.csv", data).files[0].problems
    assert len(everything) == 3500 and result.problems == everything[:1000]
    summary = result.problems.summary()
    assert summary[0].code == "more_problems" and summary[0].params["more"] == problems.number(len(everything) - 1000)
    truth = Counter(p.code for p in everything)
    assert {p.params["message_en"]: p.params["count"] for p in summary[1:]} == {
        next(p for p in everything if p.code == code).text(1): problems.number(count) for code, count in truth.items()}
    report = plan.report()
    assert len(report) == 1000 + 1 + len(truth)
    assert report.iloc[1000]["Problem"].startswith("Only the file's first 1.000 problems are listed")


def test_an_error_after_a_thousand_listed_warnings_still_refuses(sample_plan_inputs):
    rows = [register_row(f"00{i:05d}") for i in range(1, 1201)]  # a leading-zeros warning each
    rows.append(register_row("DV-LAST", "31/02/2022"))
    result = prepare_one(sample_plan_inputs, "warnings.csv", csv_bytes([REGISTER_HEADER, *rows])).files[0]
    assert {p.severity for p in result.problems} == {WARNING} and len(result.problems) == 1000
    assert result.status == pipeline.REFUSED and result.rejected_rows == 1
    assert result.problems.summary()[0].severity == ERROR


def sheet_with_cell_at(reference: str, last_row: int | None = None) -> bytes:
    """A register with one data row, a stray value at ``reference``, and another row at ``last_row``."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(REGISTER_HEADER)
    sheet.append(register_row("DV-1"))
    sheet[reference] = "x"
    for column, value in enumerate(register_row("DV-2"), start=1):
        if last_row:
            sheet.cell(row=last_row, column=column, value=value)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize(("reference", "cells"), [("XFD1048576", "17.179.869.184"), ("Z200000", "5.200.000")])
def test_a_sheet_with_a_far_stray_cell_is_refused_before_it_is_loaded(sample_plan_inputs, reference, cells):
    """Calamine would allocate the block from A1 to that cell (17 G cells for XFD1048576: the process died)."""
    started = time.perf_counter()
    result = prepare_one(sample_plan_inputs, "stray.xlsx", sheet_with_cell_at(reference)).files[0]
    (problem,) = result.problems
    assert (problem.code, problem.params["last"], problem.params["cells"]) == ("sheet_too_large", reference, cells)
    assert "“Sheet”" in problem.text(0) and time.perf_counter() - started < 10


def test_a_sheet_just_within_the_block_limit_is_read(sample_plan_inputs):
    data = sheet_with_cell_at("Y2", last_row=200_000)  # 25 columns × 200.000 rows
    result = prepare_one(sample_plan_inputs, "near.xlsx", data).files[0]
    assert result.status == pipeline.LOADED and result.rows == 2, result.problems


def test_cells_without_a_reference_are_refused(sample_plan_inputs):
    data = with_sheet_xml(xlsx_bytes([REGISTER_HEADER, register_row("DV-1")]), lambda xml: xml.replace(b' r="B2"', b""))
    result = prepare_one(sample_plan_inputs, "no-refs.xlsx", data).files[0]
    assert [p.code for p in result.problems] == ["unreferenced_cells"]


def test_a_part_larger_than_its_declared_size_is_refused(sample_plan_inputs):
    """A zip entry may claim a small size and unpack to far more: its checksum then fails."""
    data = bytearray(xlsx_bytes([REGISTER_HEADER, register_row("DV-1")]))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    central = data.find(b"PK\x01\x02")
    while True:  # the central directory record of the sheet
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + name_length] == b"xl/worksheets/sheet1.xml":
            break
        central = data.find(b"PK\x01\x02", central + 4)
    for offset in (central + 24, info.header_offset + 22):  # uncompressed size, in both headers
        struct.pack_into("<I", data, offset, 100)
    result = prepare_one(sample_plan_inputs, "liar.xlsx", bytes(data)).files[0]
    assert [p.code for p in result.problems] == ["unreadable"] and "BadZipFile" in result.problems[0].text(1)


def test_a_part_too_large_unpacked_is_refused(sample_plan_inputs, monkeypatch):
    monkeypatch.setattr(read, "MAX_PART_BYTES", 1_000)
    result = prepare_one(sample_plan_inputs, "r.xlsx", xlsx_bytes([REGISTER_HEADER, register_row("DV-1")])).files[0]
    assert [p.code for p in result.problems] == ["unreadable"] and " MB" in result.problems[0].text(1)


def test_a_workbook_unpacking_to_more_than_the_limit_in_all_is_refused(sample_plan_inputs, monkeypatch):
    """Each part under its own limit, all of them over the workbook's (a 20 MB file unpacked to 19 GB)."""
    data = xlsx_bytes([REGISTER_HEADER, register_row("DV-1")])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        total = sum(info.file_size for info in archive.infolist())
    monkeypatch.setattr(read, "MAX_ARCHIVE_BYTES", total - 1)
    result = prepare_one(sample_plan_inputs, "r.xlsx", data).files[0]
    assert [p.code for p in result.problems] == ["unreadable"] and "unpacked" in result.problems[0].text(1)
    monkeypatch.setattr(read, "MAX_ARCHIVE_BYTES", total)
    assert prepare_one(sample_plan_inputs, "r.xlsx", data).files[0].problems == []


def test_a_wide_sheet_compares_each_distinct_text_once_per_row_and_kind(monkeypatch):
    """15 rows of 16.384 cells holding 9 texts: the header search compared every cell with every kind's
    columns (1,7 M comparisons, 27 s for a 480 KB file)."""
    compared, match = Counter(), schema._match
    monkeypatch.setattr(schema, "_match", lambda cell, kind: compared.update([cell]) or match(cell, kind))
    rows = [(n, [str(j % 9) for j in range(read.MAX_COLUMNS)]) for n in range(1, 16)]
    assert schema._find_header(rows) is None
    assert len(compared) == 9 and max(compared.values()) == 15 * len(schema.KINDS)


def test_a_csv_row_wider_than_excel_allows_is_refused_naming_it(sample_plan_inputs):
    data = csv_bytes([REGISTER_HEADER, register_row("DV-1")]) + b"," * read.MAX_COLUMNS + b"\r\n"
    result = prepare_one(sample_plan_inputs, "wide.csv", data).files[0]
    assert [(p.code, p.row, p.params["count"]) for p in result.problems] == [("too_many_columns", 3, "16.385")]


def _sheet_xml(cells: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
            f'spreadsheetml/2006/main"><sheetData>{cells}</sheetData></worksheet>').encode()


def _with_sheet(data: bytes, sheet: bytes) -> bytes:
    """The workbook ``data`` with its first sheet's XML replaced by ``sheet``."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, sheet if info.filename == "xl/worksheets/sheet1.xml"
                            else source.read(info.filename))
    return out.getvalue()


@pytest.mark.parametrize(("cells", "code"), [
    ('<row r="1"><c\nr="XFD1048576"><v>1</v></c></row>', "sheet_too_large"),  # a newline before r= (it crashed)
    ('<row r="1"><c\tr="XFD3000"><v>1</v></c></row>', "sheet_too_large"),
    ("<row r='1'><c r='XFD1048576'><v>1</v></c></row>", "sheet_too_large"),
    ('<row r="1">' + '<x:c xmlns:x="urn:x"><x:v>1</x:v></x:c>' * 50 + "</row>", "unreferenced_cells"),
    ('<row r="1"><c r="A1" t="inlineStr"><is><t>' + "x" * 2_000_000 + "</t></is></c></row>", "text_too_long"),
    ('<row r="1"><c r="A1"/><c r="I2" t="e"><v>#N/A</v></c></row>', "error_cell"),
    ('<row r="2"><c r="I2"><f>DATE(2022,9,30)</f><v></v></c></row>', "formula_without_value"),
])
def test_a_sheet_the_scan_must_refuse_is_refused_at_once(cells, code):
    data = _with_sheet(xlsx_bytes([REGISTER_HEADER]), _sheet_xml(cells))
    started = time.perf_counter()
    tables, problems = read_tables(data, "report.xlsx")
    assert time.perf_counter() - started < 5
    assert tables == [] and [p.code for p in problems] == [code]


_SHARED_TEXTS_REL = ('<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
                     'sharedStrings" Target="sharedStrings.xml" Id="rId9"/></Relationships>')


def _with_shared_texts(sheet: bytes, texts: list[str]) -> bytes:
    """A workbook whose sheet is ``sheet`` and whose shared texts (cells t="s" show them by number) are ``texts``,
    as Excel writes them (openpyxl writes each text in its cell)."""
    shared = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
              f'2006/main" count="{len(texts)}">' + "".join(f"<si><t>{t}</t></si>" for t in texts) + "</sst>")
    source, out = zipfile.ZipFile(io.BytesIO(_with_sheet(xlsx_bytes([["x"]]), sheet))), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                content = content.replace(b"</Relationships>", _SHARED_TEXTS_REL.encode())
            target.writestr(info.filename, content)
        target.writestr("xl/sharedStrings.xml", shared.encode())
    return out.getvalue()


@pytest.mark.parametrize(("cells", "refused"), [(12, True), (8, False)])
def test_one_shared_text_shown_in_many_cells_counts_in_each(monkeypatch, cells, refused):
    """A workbook stores a text once and its cells show it by number; the reader copies it into every cell, so
    100.000 cells showing one text of 100 KB (a 500 KB file) asked for 10 GB."""
    monkeypatch.setattr(read, "MAX_SHEET_TEXT_BYTES", 1 << 20)
    rows = "".join(f'<row r="{n}"><c r="A{n}" t="s"><v>1</v></c><c r="B{n}" t="s"><v>0</v></c></row>'
                   for n in range(1, cells + 1))
    data = _with_shared_texts(_sheet_xml(rows), ["Ghi chú", "ghi chú " * 12_500])  # the second: about 100 KB
    tables, problems = read_tables(data, "report.xlsx")
    assert [p.code for p in problems] == (["sheet_text_too_large"] if refused else [])
    if refused:
        assert "1 MB" in problems[0].text(1) and tables == []
    else:
        rows_read = list(tables[0].rows())
        assert len(rows_read) == cells and rows_read[-1][1][:2] == [("ghi chú " * 12_500).strip(), "Ghi chú"]


def test_a_formula_whose_text_result_is_empty_is_read():
    """=IF(B2="","",ROW()-1): Excel stores an empty text result; that is a value, not a missing one."""
    cells = '<row r="1"><c r="A1" t="str"><f>IF(B1="","",1)</f><v></v></c><c r="B1"><v>2</v></c></row>'
    tables, problems = read_tables(_with_sheet(xlsx_bytes([["x"]]), _sheet_xml(cells)), "report.xlsx")
    assert problems == [] and len(tables) == 1


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(("data", "code", "said"), [
    (_zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}), "not_xlsx",
     ".ods"),
    (_zip({"[Content_Types].xml": b"<x/>", "xl/workbook.bin": b"\0"}), "not_xlsx", ".xlsb"),
    (_zip({"notes.txt": b"hello"}), "not_xlsx", "zip"),
    # a password-protected workbook is an OLE container whose directory names the stream "EncryptedPackage"
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(64),
     "encrypted", "password"),
])
def test_a_workbook_that_is_not_an_xlsx_says_what_it_is(data, code, said):
    tables, found = read_tables(data, "report.xlsx")
    assert tables == [] and [p.code for p in found] == [code] and said in found[0].text(1)


def test_a_csv_field_too_long_names_its_line():
    data = ("a,b\r\n1,2\r\n3,\"" + "x" * 200_000 + "\"\r\n").encode()
    tables, _ = read_tables(data, "report.csv")
    with pytest.raises(read.ReadError) as refused:
        list(tables[0].rows())
    assert (refused.value.problem.code, refused.value.problem.row) == ("unreadable", 3)
