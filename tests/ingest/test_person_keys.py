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


@pytest.mark.parametrize(("written", "same_as"), [
    ("001 234 567 890", "001234567890"), ("001.234.567.890", "001234567890"), ("001-234-567-890", "001234567890"),
    ("12345.0", "12345"), ("０１２３４５", "012345"), ("012345\u200b", "012345"), ("\ufeff012345", "012345"),
    ("Nguyễn Văn An\u200b", "Nguyễn Văn An"), ("Ngu\u00adyễn Văn An", "Nguyễn Văn An"),
    ("Ðinh Văn Bình", "Đinh Văn Bình"),  # U+00D0 for U+0110
])
def test_an_id_or_name_written_a_little_differently_is_one_person(written, same_as):
    assert person_form(written) == person_form(same_as)


def test_different_ids_stay_different():
    assert len({person_form(p) for p in ("12345", "123450", "12345.5", "1234 5A", "12.345.0")}) == 5


@pytest.mark.parametrize("shortened", ["1.23457E+11", "1,23457E+11", "1E+11", "9.87654e11"])
def test_an_id_excel_wrote_in_scientific_notation_is_refused(tmp_path, shortened):
    """Two people whose 12-digit ids both became 1.23457E+11 must not be one; one such id matches nobody."""
    store = make_store(tmp_path)
    report = csv_bytes([REGISTER_HEADER, register_row(shortened), register_row("Trần Văn Hòa")])
    plan, snapshot = pipeline.load([("718.csv", report)], store, KEY, "test", today=TODAY)
    assert snapshot is None
    assert [(p.code, p.row, p.value) for p in plan.files[0].problems] == [("id_scientific", 2, HIDDEN)]
    assert plan.files[0].problems[0].column.endswith(REGISTER_HEADER[0])
    assert "Text" in plan.files[0].problems[0].text(3)


def test_a_true_or_false_cell_is_no_id(tmp_path):
    """An Excel TRUE cell loaded as the person "True"."""
    store = make_store(tmp_path)
    report = xlsx_bytes([REGISTER_HEADER, register_row("DV-1"), [True, *register_row("DV-2")[1:]]])
    plan, snapshot = pipeline.load([("718.xlsx", report)], store, KEY, "test", today=TODAY)
    assert snapshot is None
    assert [(p.code, p.row, p.value) for p in plan.files[0].problems] == [("id_true_false", 3, HIDDEN)]


def test_two_districts_writing_one_id_in_two_ways_is_a_duplicate(tmp_path):
    store = make_store(tmp_path)
    pipeline.load([("718.csv", csv_bytes([REGISTER_HEADER, register_row("001234567890")]))], store, KEY, "test",
                  today=TODAY)
    other = csv_bytes([REGISTER_HEADER, register_row("001 234 567 890", area="Dĩ An", union="CD2229")])
    plan, snapshot = pipeline.load([("724.csv", other)], store, KEY, "test", today=TODAY)
    assert snapshot is None and ("duplicate_in_curated", 2) in [(p.code, p.row) for p in plan.files[0].problems]
    duplicate = next(p for p in plan.files[0].problems if p.code == "duplicate_in_curated")
    assert duplicate.column.endswith(REGISTER_HEADER[0])  # the column too, not only the row
