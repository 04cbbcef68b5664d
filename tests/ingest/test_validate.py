"""Every validator, each with the bad input it exists for: the right code, row (as Excel shows it) and column."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics import db
from analytics.config import SAMPLE_SNAPSHOT_DIR
from analytics.ingest import merge, pipeline, validate
from analytics.ingest.problems import ERROR, WARNING, Problems
from analytics.ingest.read import read_tables
from analytics.ingest.schema import to_sheet
from analytics.ingest.validate import reference
from tests.ingest.conftest import KEY, REGISTER_HEADER, TODAY, csv_bytes

MEMBERSHIP_HEADER = ["Năm", "Huyện, thị xã, thành phố", "Khu vực doanh nghiệp", "Số đoàn viên công đoàn",
                     "Số công nhân lao động"]
TARGETS_HEADER = ["Năm", "Huyện, thị xã, thành phố", "Chỉ tiêu giới thiệu", "Chỉ tiêu kết nạp"]
GOOD = ["DV-1", "CD0001", "TP. Thủ Dầu Một", "Nhà nước", "Nữ", "1990", "05/01/2022", "20/02/2022", "", ""]


@pytest.fixture(scope="module")
def sample():
    tables = {name: pq.read_table(SAMPLE_SNAPSHOT_DIR / f"{name}.parquet") for name in db.CURATED_TABLES}
    return tables, {"source": "sample"}


def check(sample, rows, header=REGISTER_HEADER, data: bytes | None = None, name="report.csv"):
    tables, manifest = sample
    plan = pipeline.prepare([(name, data if data is not None else csv_bytes([header, *rows]))], tables, manifest,
                            KEY, TODAY)
    return plan.files[0]


def codes(result, severity=ERROR):
    return [(p.code, p.row, p.column.split(" · ")[-1]) for p in result.problems if p.severity == severity]


def with_cell(column: str, value: str, base=GOOD) -> list[str]:
    row = list(base)
    row[REGISTER_HEADER.index(column)] = value
    return row


def test_a_good_row_passes(sample):
    result = check(sample, [GOOD])
    assert result.status == pipeline.LOADED and result.rows == 1 and not result.problems


def test_missing_required_column(sample):
    header = [h for h in REGISTER_HEADER if h != "Công đoàn cơ sở"]
    result = check(sample, [[c for h, c in zip(REGISTER_HEADER, GOOD) if h != "Công đoàn cơ sở"]], header)
    assert ("missing_column", 1, "") in codes(result)
    assert result.status == pipeline.REFUSED


def test_duplicate_column(sample):
    result = check(sample, [[*GOOD, "1991"]], [*REGISTER_HEADER, "Năm sinh"])
    assert ("duplicate_column", 1, "Năm sinh") in codes(result)


def test_unknown_column_is_only_a_warning(sample):
    result = check(sample, [[*GOOD, "x"]], [*REGISTER_HEADER, "Ghi chú"])
    assert codes(result, WARNING) == [("ignored_column", 1, "Ghi chú")] and result.status == pipeline.LOADED


@pytest.mark.parametrize(("column", "value", "code"), [
    ("Mã hoặc họ tên đoàn viên", "", "required"),
    ("Công đoàn cơ sở", "", "required"),
    ("Ngày giới thiệu", "", "required"),
    ("Ngày giới thiệu", "01/13/2022", "bad_date"),
    ("Ngày giới thiệu", "2022", "bad_date"),
    ("Ngày học lớp cảm tình Đảng", "20/02/2099", "future_date"),
    ("Ngày giới thiệu", "05/01/1985", "old_date"),
    ("Ngày học lớp cảm tình Đảng", "04/01/2022", "date_order"),
    ("Ngày kết nạp", "01/06/2022", None),  # in order: fine
    ("Năm sinh", "199x", "bad_year"),
    ("Năm sinh", "2015", "implausible_age"),
    ("Huyện, thị xã, thành phố", "Quận 1", "unknown_district"),
    ("Khu vực doanh nghiệp", "Hợp tác xã", "unknown_sector"),
    ("Khu vực doanh nghiệp", "FDI", "union_sector"),
    ("Giới tính", "X", "unknown_gender"),
    ("Giới tính", "Nữ giới", None),
    ("Giới tính", "Nam giới", None),
    ("Công đoàn cơ sở", "CĐCS Công ty không có", "unknown_union"),
    ("Công đoàn cơ sở", "CD2229", "union_district"),  # a Dĩ An union
])
def test_cell_validators(sample, column, value, code):
    result = check(sample, [GOOD, with_cell(column, value, with_cell("Mã hoặc họ tên đoàn viên", "DV-2"))])
    expected = [] if code is None else [(code, 3, column)]
    assert codes(result) == expected
    assert result.status == (pipeline.LOADED if code is None else pipeline.REFUSED)


def test_a_later_stage_without_the_earlier_one(sample):
    result = check(sample, [with_cell("Ngày học lớp cảm tình Đảng", "", with_cell("Ngày kết nạp", "01/06/2022"))])
    assert codes(result) == [("stage_gap", 2, "Ngày kết nạp")]


def test_district_that_no_longer_exists_on_the_date(sample):
    row = with_cell("Ngày giới thiệu", "02/07/2025", with_cell("Ngày học lớp cảm tình Đảng", ""))
    result = check(sample, [row])
    assert codes(result) == [("unit_not_valid", 2, "Huyện, thị xã, thành phố")]
    assert "Phường Thủ Dầu Một" in result.problems[0].text(0)  # the unit of that name valid then


def test_ambiguous_union_name(sample):
    tables, manifest = sample
    unions = tables["unions"].to_pylist()
    twin = {**unions[0], "union_id": "CD9999", "union_name": unions[0]["union_name"].replace("Lâm", "lam")}
    with_twin = {**tables, "unions": pa.Table.from_pylist([*unions, twin])}
    row = with_cell("Công đoàn cơ sở", unions[0]["union_name"])
    assert codes(check((with_twin, manifest), [row])) == [("ambiguous_union", 2, "Công đoàn cơ sở")]


def test_union_by_name_without_accents_or_prefix(sample):
    assert not check(sample, [with_cell("Công đoàn cơ sở", "cong ty tnhh mtv lam nghiep tien binh")]).problems


def test_duplicates_within_the_file_name_the_first_row(sample):
    result = check(sample, [GOOD, with_cell("Mã hoặc họ tên đoàn viên", " dv-1 ")])
    problem = next(p for p in result.problems if p.code == "duplicate_in_file")
    assert (problem.row, problem.params["other"]) == (3, 2)


def test_person_values_never_appear_in_problems(sample):
    result = check(sample, [with_cell("Mã hoặc họ tên đoàn viên", "Nguyễn Văn Bí Mật", with_cell("Ngày giới thiệu",
                                                                                                   "x"))] * 2)
    assert result.problems and all("Bí Mật" not in p.value for p in result.problems)


def test_membership_validators(sample):
    rows = [["2023", "Dĩ An", "FDI", "12.345", "20.100"],
            ["2023", "Dĩ An", "Có vốn đầu tư nước ngoài", "1", "2"],
            ["23", "Dĩ An", "Nhà nước", "1", "2"],
            ["2023", "Dĩ An", "Nhà nước", "1,5", "-2"]]
    result = check(sample, rows, MEMBERSHIP_HEADER)
    assert codes(result) == [("bad_year", 4, "Năm"), ("bad_number", 5, "Số đoàn viên công đoàn"),
                             ("bad_number", 5, "Số công nhân lao động"),
                             ("duplicate_in_file", 3, "Huyện, thị xã, thành phố")]


def test_a_count_past_any_workforce_is_refused_and_members_over_workers_warned(sample):
    """3.000.000.000 crashed the load (a 32-bit column); 1e20 in an XLSX cell too."""
    rows = [["2023", "Dĩ An", "FDI", "3.000.000.000", "20.100"], ["2023", "Bến Cát", "FDI", 1e20, "20.100"],
            ["2023", "Thuận An", "FDI", "20.100", "12"]]
    result = check(sample, rows, MEMBERSHIP_HEADER)
    assert codes(result) == [("bad_number", 2, "Số đoàn viên công đoàn"), ("bad_number", 3, "Số đoàn viên công đoàn")]
    assert ("members_over_workers", 4, "Số đoàn viên công đoàn") in codes(result, WARNING)
    targets = check(sample, [["2024", "Bến Cát", "2.147.483.648", ""]], TARGETS_HEADER)
    assert [c for c, *_ in codes(targets)] == ["bad_number"]


def test_dates_that_read_both_ways_are_refused_in_a_column_written_month_first(sample):
    """01/13/2022 can only be month first: then 02/01/2022 (2 January or 1 February) is refused too, not loaded as the
    wrong day; 02/02/2022 reads the same either way."""
    rows = [with_cell("Ngày giới thiệu", day, with_cell("Mã hoặc họ tên đoàn viên", f"DV-{n}"))
            for n, day in enumerate(["01/13/2022", "02/01/2022", "02/02/2022", "1/2/2022", "01/14/2022"])]
    result = check(sample, rows)
    assert [(code, row) for code, row, _ in codes(result)] == [("bad_date", 2), ("bad_date", 6), ("month_first", 3),
                                                               ("month_first", 5)]
    assert codes(check(sample, rows[1:])) == [("bad_date", 5, "Ngày giới thiệu")]  # one typo: day first as always


def test_targets_validators(sample):
    result = check(sample, [["2024", "Bến Cát", "1.200", ""], ["2024", "Ben Cat", "", "abc"]], TARGETS_HEADER)
    assert codes(result) == [("bad_number", 3, "Chỉ tiêu kết nạp")]


def test_file_level_problems(sample):
    assert codes(check(sample, [], data=b"\xd0\xcf\x11\xe0" + b"\0" * 100, name="old.xls")) == [
        ("unreadable", None, "")]
    assert codes(check(sample, [], data=csv_bytes([["a", "b"], ["1", "2"]]))) == [("no_header", None, "")]
    assert codes(check(sample, [])) == [("no_rows", None, "")]
    tcvn3 = with_cell("Huyện, thị xã, thành phố", "Thñ DÇu Mét")
    problems = check(sample, [GOOD, tcvn3]).problems
    assert [(p.code, p.row, p.params["font"]) for p in problems if p.code == "legacy_font"] == [
        ("legacy_font", 3, "TCVN3")]


def test_unions_validators(sample):
    header = ["Mã CĐCS", "Tên công đoàn cơ sở", "Huyện", "Khu vực doanh nghiệp", "Khu công nghiệp"]
    rows = [["U1", "CĐCS Công ty Hòa Bình", "Dĩ An", "FDI", ""],
            ["u1", "CĐCS Công ty Khác", "Dĩ An", "FDI", ""],
            ["U2", "CĐCS CÔNG TY HOÀ BÌNH", "Dĩ An", "FDI", ""],
            ["U3", "", "Dĩ An", "Hợp tác xã", ""]]
    assert codes(check(sample, rows, header)) == [
        ("required", 5, "Tên công đoàn cơ sở"), ("unknown_sector", 5, "Khu vực doanh nghiệp"),
        ("duplicate_in_file", 3, "Mã CĐCS"), ("duplicate_in_file", 4, "Tên công đoàn cơ sở")]


def test_a_short_probation_is_only_a_warning(sample):
    row = with_cell("Ngày kết nạp", "01/06/2022", with_cell("Ngày công nhận chính thức", "01/12/2022"))
    result = check(sample, [row])
    assert codes(result, WARNING) == [("too_soon", 2, "Ngày công nhận chính thức")]
    assert result.status == pipeline.LOADED


def test_union_names_with_abbreviations(sample):
    tables, _ = sample
    name = next(u for u in tables["unions"].to_pylist() if u["union_name"].startswith("CĐCS Công ty Cổ phần")
                and u["district_code"] == "718")
    written = name["union_name"].replace("CĐCS Công ty Cổ phần", "Cty CP")
    row = with_cell("Khu vực doanh nghiệp", "", with_cell("Công đoàn cơ sở", written))
    result = check(sample, [row])
    assert result.status == pipeline.LOADED, codes(result)
    assert check(sample, [with_cell("Công đoàn cơ sở", written + " X")]).status == pipeline.REFUSED


def test_the_quick_path_accepts_exactly_the_rows_without_a_problem(sample):
    """The quick path for good register rows must agree with the cell-by-cell checks: same values, and None
    for every row the checks find anything wrong with (errors and warnings)."""
    choices = [["DV-1", "0012", "", "Lê Thị Hòa"],
               ["CD0001", "CD2229", "??", "cong ty tnhh mtv lam nghiep tien binh", ""],
               ["TP. Thủ Dầu Một", "Thủ Dầu Một", "718", "Quận 1", "", "Dĩ An"], ["", "Nhà nước", "FDI", "x"],
               ["", "Nữ", "x"], ["", "1990", "2015", "199x"],
               ["05/01/2022", "", "01/13/2022", "05/01/1985", "01/01/2099", "02/07/2025"],
               ["", "20/02/2022", "04/01/2022", "x"], ["", "01/06/2022", "01/01/2022"],
               ["", "01/12/2022", "01/12/2023"]]
    rng = random.Random(3)
    rows = [[values[0] if rng.random() < 0.6 else rng.choice(values) for values in choices] for _ in range(600)]
    tables, manifest = sample
    sheet, _ = to_sheet(read_tables(csv_bytes([REGISTER_HEADER, *rows]), "r.csv")[0])
    ref = reference(merge.start_from(tables, manifest["source"]), TODAY)
    steps, sectors = validate._steps(), validate._sector_names()
    quick = validate._CleanRegisterRow(ref, KEY, steps, {}, sheet.keys)
    accepted = 0
    for (number, cells), (_, values) in zip(sheet.rows, sheet.data, strict=True):
        problems = Problems()
        slow = validate._register_row(validate.Row(number, cells, sheet, problems, {}), ref, KEY, steps, sectors)
        fast = quick(number, values)
        assert fast == (slow if not problems else None), (cells, list(problems))
        accepted += fast is not None
    assert 10 < accepted < 590
