"""Bytes that are not the text they claim to be: each a clean problem naming the byte and the row (never a
traceback), and a control character in a cell refused on that cell."""

from __future__ import annotations

import codecs
import random

import pytest

from analytics.ingest import pipeline
from analytics.ingest.read import read_tables
from analytics.ingest.schema import HIDDEN, to_sheet
from tests.ingest.conftest import REGISTER_HEADER, csv_bytes, prepare_one, register_row, with_sheet_xml, xlsx_bytes
from tests.ingest.test_messy_files import _cp1258

ROWS = [REGISTER_HEADER, *[register_row(f"Nguyễn Văn Hoà {i}") for i in range(8)]]


def problems(inputs, data: bytes, name: str = "report.csv") -> list[tuple]:
    result = prepare_one(inputs, name, data).files[0]
    assert result.status == pipeline.REFUSED
    return [(p.code, p.row, p.params.get("encoding"), p.params.get("byte")) for p in result.problems]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_an_odd_byte_count(sample_plan_inputs, encoding):
    data = csv_bytes(ROWS, encoding) + b"A"  # half a character at the end
    assert problems(sample_plan_inputs, data) == [("bad_encoding", 10, "UTF-16", f"{len(data):,}".replace(",", "."))]


def test_utf16_with_a_broken_character_in_a_row(sample_plan_inputs):
    data = bytearray(csv_bytes(ROWS, "utf-16-le"))
    at = data.index("Hoà 3".encode("utf-16-le"))
    data[at:at + 2] = b"\x00\xdc"  # an unpaired low surrogate
    assert problems(sample_plan_inputs, bytes(data)) == [("bad_encoding", 5, "UTF-16", f"{at + 1:,}".replace(",", "."))]


@pytest.mark.parametrize("count", [1, 3, 5000])
def test_leading_nul_bytes(sample_plan_inputs, count):
    assert problems(sample_plan_inputs, b"\x00" * count + csv_bytes(ROWS, "utf-8")) == [("nul_bytes", 1, None, None)]


def test_one_bad_byte_in_utf8_is_named_not_read_as_a_legacy_font(sample_plan_inputs):
    data = bytearray(csv_bytes(ROWS, "utf-8"))
    at = data.index("Hoà 6".encode()) + 2
    data[at] = 0xFF
    result = prepare_one(sample_plan_inputs, "report.csv", bytes(data)).files[0]
    (problem,) = result.problems
    assert (problem.code, problem.row, problem.params["encoding"]) == ("bad_encoding", 8, "UTF-8")
    assert problem.text(1) == f"Not valid UTF-8 at byte {at + 1:,}.".replace(",", ".")
    assert problem.text(0).startswith("Không phải văn bản UTF-8 hợp lệ tại byte")


def test_a_byte_windows_1258_does_not_have(sample_plan_inputs):
    text = csv_bytes([REGISTER_HEADER, register_row("Hoa 1")], "utf-8").decode()
    data = _cp1258(text).replace(b"Hoa 1", b"Hoa\x81 1")
    at = data.index(b"\x81")
    assert problems(sample_plan_inputs, data) == [("bad_encoding", 2, "Windows-1258", str(at + 1))]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_a_nul_in_an_id_refuses_that_cell(sample_plan_inputs, encoding):
    rows = [REGISTER_HEADER, register_row("DV-1"), register_row("DV\x00-2"),
            register_row("DV-3", area="TP.\x01Thủ Dầu Một")]
    result = prepare_one(sample_plan_inputs, "report.csv", csv_bytes(rows, encoding)).files[0]
    assert result.status == pipeline.REFUSED and result.rows == 0
    assert [(p.code, p.row, p.column, p.value, p.params["chars"]) for p in result.problems] == [
        ("control_character", 3, "A · Mã hoặc họ tên đoàn viên", HIDDEN, "U+0000"),
        ("control_character", 4, "C · Huyện, thị xã, thành phố", "TP.\\x01Thủ Dầu Một", "U+0001")]


def test_utf16_without_a_bom_is_still_read(sample_plan_inputs):
    for encoding in ("utf-16-le", "utf-16-be"):
        data = csv_bytes(ROWS, encoding)
        assert not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        result = prepare_one(sample_plan_inputs, "report.csv", data).files[0]
        assert result.status == pipeline.LOADED and result.rows == 8


def test_damaged_files_are_refused_cleanly():
    """Bytes changed, cut or inserted anywhere in an XLSX or CSV: a problem at worst, never an exception."""
    rng = random.Random(1)
    bases = [xlsx_bytes(ROWS), csv_bytes(ROWS), csv_bytes(ROWS, "utf-16")]
    for _ in range(600):
        data = bytearray(rng.choice(bases))
        for _ in range(rng.randint(1, 8)):
            at = rng.randrange(len(data))
            if rng.random() < 0.5:
                data[at] = rng.randrange(256)
            else:
                data[at:at + rng.randint(1, 40)] = bytes(rng.randrange(256) for _ in range(rng.randint(0, 8)))
        tables, _ = read_tables(bytes(data), "report.xlsx" if data[:2] == b"PK" else "report.csv")
        if tables:
            to_sheet(tables)


@pytest.mark.parametrize("number", [b"inf", b"-inf", b"nan", b"1e308"])
def test_numbers_excel_cannot_hold_are_bad_cells(sample_plan_inputs, number):
    data = xlsx_bytes([REGISTER_HEADER, ["DV-1", "CD0001", "TP. Thủ Dầu Một", "", "", 1.5, 2.5, 3.5, "", ""]])
    for value in (b"1.5", b"2.5", b"3.5"):
        data = with_sheet_xml(data, lambda xml, value=value: xml.replace(b">" + value + b"<", b">" + number + b"<"))
    result = prepare_one(sample_plan_inputs, "odd.xlsx", data).files[0]
    assert sorted(p.code for p in result.problems) == ["bad_date", "bad_date", "bad_year"]
