"""Text typed in the legacy TCVN3 or VNI fonts, judged on the whole file: generated names in each font are
refused with the font named, alone, in a file of many, mixed with Unicode text, in XLSX, UTF-8 and 8-bit
CSV; Unicode Vietnamese (in either tone placement, NFD, capitals, Windows-1258) is never taken for them."""

from __future__ import annotations

import unicodedata

import pytest

from analytics.ingest.normalise import legacy_font
from analytics.ingest.read import read_tables
from analytics.ingest.schema import KINDS, to_sheet
from tests.ingest.conftest import REGISTER_HEADER, csv_bytes, register_row, xlsx_bytes
from tests.ingest.legacy_fonts import names, to_tcvn3, to_vni
from tests.ingest.test_messy_files import _cp1258

NAMES = names(150, 5)
FONTS = [("TCVN3", to_tcvn3), ("VNI", to_vni)]


def legacy(data: bytes, name: str = "report.csv") -> list[tuple[int, str]]:
    """(row, font) of each legacy-font problem of a file."""
    tables, problems = read_tables(data, name)
    sheet, more = to_sheet(tables) if tables else (None, [])
    return [(p.row, p.params["font"]) for p in [*problems, *more] if p.code == "legacy_font"]


def test_the_converters_follow_the_published_tables():
    assert to_tcvn3("Thủ Dầu Một") == "Thñ DÇu Mét" and to_tcvn3("Công đoàn cơ sở") == "C«ng ®oµn c¬ së"
    assert to_tcvn3("Nguyễn Văn Hòa") == "NguyÔn V¨n Hßa" and to_tcvn3("Đặng Ánh") == "§Æng ¸nh"
    assert to_vni("Thủ Dầu Một") == "Thuû Daàu Moät" and to_vni("Công đoàn") == "Coâng ñoaøn"
    assert to_vni("Trường Ước Ỷ Ỉ Ánh Ổn Quý") == "Tröôøng Öôùc YÛ Æ AÙnh OÅn Quyù"
    assert to_vni("Đặng Tiến Dũng") == "Ñaëng Tieán Duõng" and to_vni("Thị Hiểu") == "Thò Hieåu"


@pytest.mark.parametrize(("font", "convert"), FONTS)
def test_a_file_of_legacy_names_is_refused_on_every_row_naming_the_font(font, convert):
    rows = [register_row(convert(name)) for name in NAMES]  # the unit and the dates stay in Unicode
    expected = [(row, font) for row, name in enumerate(NAMES, start=2) if convert(name) != name]
    assert len(expected) >= 140
    assert legacy(xlsx_bytes([REGISTER_HEADER, *rows]), "report.xlsx") == expected
    assert legacy(csv_bytes([REGISTER_HEADER, *rows])) == expected


@pytest.mark.parametrize(("font", "convert"), FONTS)
def test_each_name_alone_is_refused(font, convert):
    """Each name as the only accented text of its file. A few names read as valid Unicode on their own
    (VNI "Phan Thò Trung" is also the Unicode "Thò"); at most 2 of about 150 may pass, and at most 3 may be
    given the other font (a tie of signs)."""
    missed, wrong = [], []
    for name in NAMES:
        if convert(name) == name:
            continue
        found = legacy(csv_bytes([REGISTER_HEADER, register_row(convert(name), area="718")]))
        if not found:
            missed.append(name)
        elif found != [(2, font)]:
            wrong.append(name)
    assert len(missed) <= 2 and len(wrong) <= 3, (missed, wrong)


def test_legacy_rows_among_unicode_ones_are_refused_and_only_they():
    rows = [register_row(name) for name in NAMES[:60]]
    for row in (10, 30, 50):
        rows[row - 2][0] = to_vni(NAMES[row])
    assert legacy(xlsx_bytes([REGISTER_HEADER, *rows]), "mixed.xlsx") == [(10, "VNI"), (30, "VNI"), (50, "VNI")]


def test_unicode_vietnamese_is_never_taken_for_a_legacy_font():
    written = [NAMES, [n.upper() for n in NAMES], [unicodedata.normalize("NFD", n) for n in NAMES],
               ["Hoà Bình", "Hòa Bình", "Thuỷ", "Thủy", "Khoẻ", "Bàu Bàng", "Xuân", "Quý", "Thuở", "Giàu"]]
    rows = [register_row(name, area=area) for group in written for name in group
            for area in ("TP. Thủ Dầu Một",)]
    assert legacy(csv_bytes([REGISTER_HEADER, *rows])) == []
    assert all(legacy_font(name) is None for group in written for name in group)


FOREIGN = ["Müller Hans", "Công ty TNHH Bürkert Contromatic", "Hüls Việt Nam", "Møller Maersk", "Schöller",
           "Peñafiel", "Ðinh Văn Bình", "Ðinh Van Binh", "Zoë Nguyễn", "Björn Trần"]


def test_foreign_letters_in_a_unicode_file_are_no_legacy_font():
    """FDI companies and foreign staff: ü, ö, ø, ñ in words no Vietnamese syllable has the shape of; and Ð
    (U+00D0) typed for Đ."""
    rows = [register_row(name) for name in NAMES[:50]] + [register_row(name) for name in FOREIGN]
    assert legacy(csv_bytes([REGISTER_HEADER, *rows])) == []
    assert all(legacy_font(name) is None for name in FOREIGN)


@pytest.mark.parametrize(("font", "convert"), FONTS)
def test_an_8_bit_csv_of_legacy_text_is_refused_naming_the_font(font, convert):
    """Excel saves a sheet typed in a legacy font as "CSV (Comma delimited)" byte for byte (Latin-1). With
    the headers in the font too, no header is found and the font is the reason given."""
    rows = [register_row(convert(name), area=convert("TP. Thủ Dầu Một")) for name in NAMES[:40]]
    english = [c.en for c in KINDS["register"].columns]
    data = csv_bytes([english, *rows], encoding="latin-1")
    assert read_tables(data, "legacy.csv")[0][0].encoding == "latin-1"
    found = legacy(data)
    assert len(found) == 40 and {f for _, f in found} == {font}
    assert legacy(csv_bytes([[convert(h) for h in REGISTER_HEADER], *rows], encoding="latin-1")) == [(1, font)]


def test_windows_1258_vietnamese_is_read_as_such():
    data = _cp1258(csv_bytes([REGISTER_HEADER, *[register_row(name) for name in NAMES]], "utf-8").decode("utf-8"))
    tables, _ = read_tables(data, "vn.csv")
    sheet, problems = to_sheet(tables)
    assert tables[0].encoding == "cp1258" and not [p for p in problems if p.severity == "error"]
    assert [cells["person"] for _, cells in sheet.rows] == NAMES
