"""The same person gets the same key however a report writes them: an id of digits with or without its
leading zeros (Excel turns a citizen-ID column into numbers), a name in either tone placement, any case or
spacing; so a person reported by two districts is a duplicate."""

from __future__ import annotations

import unicodedata

import pytest

from analytics.ingest import pipeline
from analytics.ingest.normalise import one_tone_placement
from analytics.ingest.pseudonymise import candidate_key, ignores_leading_zeros, person_form
from analytics.ingest.schema import HIDDEN
from tests.ingest.conftest import KEY, REGISTER_HEADER, TODAY, csv_bytes, make_store, register_row, xlsx_bytes


@pytest.mark.parametrize(("written", "placed"), [
    ("Hòa", "Hoà"), ("Hoà", "Hoà"), ("HÒA", "HOÀ"), ("hóa", "hoá"), ("Họa", "Hoạ"), ("Khỏe", "Khoẻ"), ("xõa", "xoã"),
    ("Thủy", "Thuỷ"), ("Thuỷ", "Thuỷ"), ("Thụy", "Thuỵ"), ("Thúy", "Thuý"), ("Tuỳ", "Tuỳ"),
    # unchanged: qu + y (u is part of the consonant), closed syllables, other vowel pairs, no tone
    ("Quý", "Quý"), ("Hoàng", "Hoàng"), ("Thuyền", "Thuyền"), ("Thuở", "Thuở"), ("Của", "Của"), ("Mùa", "Mùa"),
    ("Hoa", "Hoa"), ("Tuyết", "Tuyết"), ("DV-0012", "DV-0012"),
    ("Trần Văn Hòa Thủy", "Trần Văn Hoà Thuỷ"),
])
def test_one_tone_placement(written, placed):
    assert one_tone_placement(written) == placed


def test_person_forms():
    assert person_form("0012345") == person_form("12345") == person_form(" 12345 ") == "12345"
    assert person_form("000") == person_form("0") == "0"
    assert person_form("DV-0012") == "dv-0012" and person_form("0012-A") == "0012-a"  # not digits only
    same = ("Trần Văn Hòa", "Trần Văn Hoà", "TRẦN VĂN HOÀ", "  trần  văn   hòa ",
            unicodedata.normalize("NFD", "Trần Văn Hòa"))
    assert len({person_form(name) for name in same}) == 1
    assert person_form("Trần Văn Hòa") != person_form("Trần Văn Hoa")
    assert [ignores_leading_zeros(p) for p in ("0012345", "12345", "0", "0A12", " 007 ")] == [
        True, False, False, False, True]


def test_a_citizen_id_from_csv_and_from_excel_is_one_person_across_districts(tmp_path):
    store = make_store(tmp_path)
    first = csv_bytes([REGISTER_HEADER, register_row("0012345"), register_row("54321")])
    plan, snapshot = pipeline.load([("718.csv", first)], store, KEY, "test", today=TODAY)
    assert snapshot and plan.files[0].rows == 2
    assert [(p.code, p.severity, p.row, p.value) for p in plan.files[0].problems] == [
        ("leading_zeros", "warning", 2, HIDDEN)]
    second = xlsx_bytes([REGISTER_HEADER, register_row(12345, area="Dĩ An", union="CD2229")])
    plan, snapshot = pipeline.load([("724.xlsx", second)], store, KEY, "test", today=TODAY)
    assert snapshot is None and [(p.code, p.row) for p in plan.files[0].problems] == [("duplicate_in_curated", 2)]


def test_a_name_in_the_other_tone_placement_is_one_person_across_districts(tmp_path):
    store = make_store(tmp_path)
    pipeline.load([("718.csv", csv_bytes([REGISTER_HEADER, register_row("Trần Văn Hòa")]))], store, KEY, "test",
                  today=TODAY)
    other = csv_bytes([REGISTER_HEADER, register_row("Trần Văn Hoà", area="Dĩ An", union="CD2229")])
    plan, snapshot = pipeline.load([("724.csv", other)], store, KEY, "test", today=TODAY)
    assert snapshot is None and [(p.code, p.row) for p in plan.files[0].problems] == [("duplicate_in_curated", 2)]
    assert candidate_key("Trần Văn Hòa", KEY) == candidate_key("trần văn hoà", KEY)
