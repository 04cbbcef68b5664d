"""Which sheet is read, and headers that are not one plain row: a hidden sheet is never read, two visible
data sheets are refused naming them, a two-level header ("Ngày" over "kết nạp", merged or saved as CSV)
loads the right dates, and a header that cannot be read safely is refused naming its cells."""

from __future__ import annotations

import io

import openpyxl
import pyarrow.compute as pc
import pytest

from analytics.ingest import pipeline, templates
from analytics.ingest.schema import KINDS
from tests.ingest.conftest import REGISTER_HEADER, csv_bytes, prepare_one, register_row, with_sheet_xml

DATES = ("05/01/2022", "20/02/2022", "30/09/2022", "")


def people(count: int, start: int = 0) -> list[list[object]]:
    return [register_row(f"DV-{i:04d}", *DATES[:1], "TP. Thủ Dầu Một", "CD0001", *DATES[1:])
            for i in range(start, start + count)]


def workbook(*sheets: tuple[str, str, list[list[object]]]) -> bytes:
    """An XLSX of (name, state: "visible"/"hidden"/"veryHidden", rows) sheets, in that order."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, state, rows in sheets:
        sheet = book.create_sheet(name)
        sheet.sheet_state = state
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def codes(plan, severity: str | None = None) -> list[str]:
    return [p.code for p in plan.files[0].problems if severity is None or p.severity == severity]


def test_a_hidden_first_sheet_is_not_read(sample_plan_inputs):
    data = workbook(("Cũ", "hidden", [REGISTER_HEADER, *people(10)]), ("Số liệu", "visible",
                                                                          [REGISTER_HEADER, *people(40)]))
    plan = prepare_one(sample_plan_inputs, "register.xlsx", data)
    assert plan.files[0].status == pipeline.LOADED and plan.files[0].rows == 40
    assert plan.tables["candidates"].num_rows == 40
    (warning,) = plan.files[0].problems
    assert warning.code == "hidden_sheet_ignored" and "“Cũ”" in warning.text(1) and "“Số liệu”" in warning.text(1)


def test_rows_hidden_in_excel_are_read_with_a_warning_naming_them(sample_plan_inputs):
    """A register filtered down in Excel still holds the rows the filter hides: they load, and the warning says
    which (a user who filtered expects only what they saw)."""
    book = openpyxl.load_workbook(io.BytesIO(workbook(("Số liệu", "visible", [REGISTER_HEADER, *people(14)]))))
    for row in (3, 5, *range(6, 16)):  # the data's rows 2, 4 and 5 to 14
        book.active.row_dimensions[row].hidden = True
    out = io.BytesIO()
    book.save(out)
    plan = prepare_one(sample_plan_inputs, "register.xlsx", out.getvalue())
    assert plan.files[0].status == pipeline.LOADED and plan.files[0].rows == 14
    (warning,) = plan.files[0].problems
    assert warning.code == "hidden_rows" and warning.severity == "warning"
    assert warning.text(1) == ("12 data rows hidden in Excel (hidden or filtered out) are read like the others "
                               "(rows 3, 5, 6, 7, 8, 9, 10, 11, 12, 13 …).")
    shown = prepare_one(sample_plan_inputs, "register.xlsx", workbook(("Số liệu", "visible",
                                                                       [REGISTER_HEADER, *people(14)])))
    assert not shown.files[0].problems


def test_a_column_hidden_in_excel_that_holds_data_is_read_with_a_warning_naming_it(sample_plan_inputs):
    """Column I (admission dates) hidden, and D (sector, empty here) and L (beyond the header) hidden too: the
    dates load, and only I is named."""
    book = openpyxl.load_workbook(io.BytesIO(workbook(("Số liệu", "visible", [REGISTER_HEADER, *people(4)]))))
    for letter in ("D", "I", "L"):
        book.active.column_dimensions[letter].hidden = True
    out = io.BytesIO()
    book.save(out)
    plan = prepare_one(sample_plan_inputs, "register.xlsx", out.getvalue())
    assert plan.files[0].status == pipeline.LOADED and plan.files[0].rows == 4
    (warning,) = plan.files[0].problems
    assert (warning.code, warning.severity, warning.column) == ("hidden_column", "warning", "I · Ngày kết nạp")
    assert warning.text(1) == ("Column I · Ngày kết nạp is hidden in Excel but holds data: it is read like the other "
                               "columns.")
    admitted = plan.tables["candidates"].filter(pc.field("batch_id") == plan.files[0].batch_id)["admitted_on"]
    assert admitted.null_count == 0  # the hidden column's dates are in


def test_hidden_rows_and_columns_are_found_whatever_the_order_of_their_attributes(sample_plan_inputs):
    """Writers other than openpyxl may put hidden="1" before r= or min=: found all the same (column J, hidden
    too, holds no date in these rows, so it is not named)."""
    data = workbook(("Số liệu", "visible", [REGISTER_HEADER, *people(3)]))
    data = with_sheet_xml(data, lambda xml: xml.replace(b'<row r="3"', b'<row hidden="1" r="3"').replace(
        b"<sheetData>", b'<cols><col hidden="true" min="9" max="10" width="0"/></cols><sheetData>'))
    problems = prepare_one(sample_plan_inputs, "register.xlsx", data).files[0].problems
    assert [(p.code, p.column) for p in problems] == [("hidden_rows", ""), ("hidden_column", "I · Ngày kết nạp")]
    assert "(rows 3)" in problems[0].text(1)


def test_two_visible_data_sheets_are_refused_naming_them(sample_plan_inputs):
    data = workbook(("Quý 1", "visible", [REGISTER_HEADER, *people(5)]),
                    ("Quý 2", "visible", [REGISTER_HEADER, *people(5, 100)]))
    plan = prepare_one(sample_plan_inputs, "register.xlsx", data)
    assert plan.files[0].status == pipeline.REFUSED and codes(plan) == ["sheets_ambiguous"]
    text = plan.files[0].problems[0].text(0)
    assert "“Quý 1”" in text and "“Quý 2”" in text and "Danh sách đoàn viên" in text


def test_only_a_hidden_sheet_with_a_header_is_refused_naming_the_sheets(sample_plan_inputs):
    data = workbook(("Ghi chú", "visible", [["Báo cáo quý 1"]]), ("Data", "veryHidden", [REGISTER_HEADER, *people(3)]))
    plan = prepare_one(sample_plan_inputs, "register.xlsx", data)
    assert codes(plan) == ["only_hidden_header"]
    assert "“Data”" in plan.files[0].problems[0].text(1) and "“Ghi chú”" in plan.files[0].problems[0].text(1)


def test_no_visible_sheet_with_a_header_names_the_sheets_looked_at(sample_plan_inputs):
    data = workbook(("A", "visible", [["x", "y"], [1, 2]]), ("B", "visible", [["z"]]))
    plan = prepare_one(sample_plan_inputs, "register.xlsx", data)
    assert codes(plan) == ["no_header_in_sheets"] and "“A”, “B”" in plan.files[0].problems[0].text(1)
    assert "in its first 15 rows" in plan.files[0].problems[0].text(1)  # a header lower down is not looked for


def test_the_template_with_its_guide_sheet_loads(sample_plan_inputs):
    book = openpyxl.load_workbook(io.BytesIO(templates.template_xlsx(KINDS["register"])))
    for row in people(3):
        book.worksheets[0].append(row)
    out = io.BytesIO()
    book.save(out)
    plan = prepare_one(sample_plan_inputs, "register.xlsx", out.getvalue())
    assert plan.files[0].status == pipeline.LOADED and plan.files[0].rows == 3 and not codes(plan)


TWO_LEVEL_TOP = [*REGISTER_HEADER[:6], "Ngày", "", "", ""]
TWO_LEVEL_BELOW = ["", "", "", "", "", "", "giới thiệu", "học lớp cảm tình Đảng", "kết nạp", "công nhận chính thức"]


def merged_register(top: list[object], below: list[object], rows: list[list[object]]) -> bytes:
    """A register whose row 1 has "Ngày" merged over G1:J1 and the other headers merged down over row 2."""
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (top, below, *rows):
        sheet.append(row)
    for letter in "ABCDEF":
        sheet.merge_cells(f"{letter}1:{letter}2")
    sheet.merge_cells("G1:J1")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def loaded_dates(plan) -> list[tuple]:
    return sorted((c["referred_on"], c["trained_on"], c["admitted_on"], c["official_on"])
                  for c in plan.tables["candidates"].to_pylist())


def test_a_two_level_merged_header_loads_every_date(sample_plan_inputs):
    plan = prepare_one(sample_plan_inputs, "merged.xlsx", merged_register(TWO_LEVEL_TOP, TWO_LEVEL_BELOW, people(4)))
    assert plan.files[0].status == pipeline.LOADED and not codes(plan), plan.report().to_string()
    reference = prepare_one(sample_plan_inputs, "plain.csv", csv_bytes([REGISTER_HEADER, *people(4)]))
    assert loaded_dates(plan) == loaded_dates(reference) and all(d[2] is not None for d in loaded_dates(plan))


def test_a_two_level_header_saved_as_csv_loads_every_date(sample_plan_inputs):
    data = csv_bytes([TWO_LEVEL_TOP, TWO_LEVEL_BELOW, *people(4)])
    plan = prepare_one(sample_plan_inputs, "two-level.csv", data)
    reference = prepare_one(sample_plan_inputs, "plain.csv", csv_bytes([REGISTER_HEADER, *people(4)]))
    assert plan.files[0].status == pipeline.LOADED and loaded_dates(plan) == loaded_dates(reference)


def test_a_merged_header_that_cannot_be_read_is_refused_naming_its_cells(sample_plan_inputs):
    top = [*REGISTER_HEADER[:7], "Ngày", "", ""]  # "Ngày giới thiệu" alone, then "Ngày" over H1:J1
    below = ["", "", "", "", "", "", "", "lần 1", "lần 2", "lần 3"]
    plan = prepare_one(sample_plan_inputs, "merged.xlsx", _merged_over(top, below, "H1:J1", people(3)))
    assert plan.files[0].status == pipeline.REFUSED
    merged = [p for p in plan.files[0].problems if p.code == "merged_header"]
    assert [(p.row, p.params["cells"]) for p in merged] == [(1, "H1:J1")]
    assert "H1:J1" in merged[0].text(0) and "H1:J1" in merged[0].text(1)


def _merged_over(top: list[object], below: list[object], cells: str, rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (top, below, *rows):
        sheet.append(row)
    sheet.merge_cells(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_dates_under_an_empty_or_unknown_header_are_refused_naming_the_cells(sample_plan_inputs):
    header = [*REGISTER_HEADER[:7], "Ngày", "", ""]  # the class, admission and official dates lost their names
    plan = prepare_one(sample_plan_inputs, "register.csv", csv_bytes([header, *people(6)]))
    assert plan.files[0].status == pipeline.REFUSED
    (problem,) = [p for p in plan.files[0].problems if p.code == "unlabelled_data"]
    assert problem.row == 1 and problem.params["cells"] == "H1:I1"  # J (official) is empty in every row
    assert "Ngày học lớp cảm tình Đảng" in problem.text(0) and "Date admitted" in problem.text(1)


def test_notes_under_an_unknown_header_are_only_a_warning(sample_plan_inputs):
    header = [*REGISTER_HEADER[:3], *REGISTER_HEADER[6:8], "Ghi chú"]  # no sector, gender, birth year, later dates
    rows = [[*row[:3], *row[6:8], "đã học lớp"] for row in people(4)]
    plan = prepare_one(sample_plan_inputs, "register.csv", csv_bytes([header, *rows]))
    assert plan.files[0].status == pipeline.LOADED and codes(plan) == ["ignored_column"]


def test_a_table_starting_at_c3_keeps_excel_rows_and_columns(sample_plan_inputs):
    rows = [["", "", *REGISTER_HEADER], ["", "", *people(1)[0]], ["", "", *register_row("DV-9", "31/02/2022")]]
    data = workbook(("Sheet", "visible", [[], [], *rows]))
    plan = prepare_one(sample_plan_inputs, "offset.xlsx", data)
    (problem,) = plan.files[0].problems
    assert (problem.code, problem.row, problem.column) == ("bad_date", 5, "I · Ngày giới thiệu")


def test_other_wordings_of_the_stage_date_headers_are_read(sample_plan_inputs):
    header = [*REGISTER_HEADER[:7], "Ngày học lớp nhận thức về Đảng", "Ngày kết nạp Đảng", "Ngày chuyển chính thức"]
    row = register_row("DV001", "05/01/2022", "TP. Thủ Dầu Một", "CD0001", "20/02/2022", "30/09/2022")
    plan = prepare_one(sample_plan_inputs, "register.csv", csv_bytes([header, row]))
    assert plan.ok and plan.files[0].rows == 1
    assert not [p for p in plan.files[0].problems if p.code in ("unknown_column", "unlabelled_data")]


def test_a_date_merged_down_the_data_rows_is_refused_naming_the_range(sample_plan_inputs):
    """One ceremony date merged over ten people: only the first cell holds it, nine admissions would be lost."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(REGISTER_HEADER)
    for n in range(10):
        sheet.append(register_row(f"DV{n:03d}"))
    sheet.merge_cells("I2:I11")
    sheet.merge_cells("K2:L2")  # outside the template's columns: nothing is lost
    out = io.BytesIO()
    workbook.save(out)
    problems = prepare_one(sample_plan_inputs, "merged.xlsx", out.getvalue()).files[0].problems
    assert [(p.code, p.row, p.params["cells"]) for p in problems if p.severity == "error"] == [
        ("merged_data", 2, "I2:I11")]


@pytest.mark.parametrize("delimiter", [";", "\t"])
@pytest.mark.parametrize("before", [["BÁO CÁO PHÁT TRIỂN ĐẢNG VIÊN", "Quý 3/2022"], ["sep={d}"]])
def test_a_semicolon_or_tab_csv_with_title_rows_or_a_sep_line_is_read(sample_plan_inputs, delimiter, before):
    """csv.Sniffer gave up on the title rows and fell back to commas: "no header row" was the message."""
    rows = [REGISTER_HEADER] + [register_row(f"DV{n:03d}", "05/01/2022", "TP. Thủ Dầu Một", "CD0001", "20/02/2022")
                                for n in range(5)]
    lines = [line.format(d=delimiter) for line in before] + [delimiter.join(row) for row in rows]
    plan = prepare_one(sample_plan_inputs, "register.csv", ("\r\n".join(lines) + "\r\n").encode("utf-8-sig"))
    assert plan.ok and plan.files[0].rows == 5


def test_a_row_number_column_is_not_taken_for_a_missing_target(sample_plan_inputs):
    """"STT" (số thứ tự) numbers the rows; beside a single target column it was refused as unlabelled data."""
    rows = [["STT", "Năm", "Huyện, thị xã, thành phố", "Chỉ tiêu kết nạp"], ["1", "2024", "Bến Cát", "12"],
            ["2", "2024", "Dĩ An", "15"]]
    plan = prepare_one(sample_plan_inputs, "targets.csv", csv_bytes(rows))
    codes = {p.code for p in plan.files[0].problems}
    assert plan.files[0].rows == 2 and not codes & {"unlabelled_data", "ignored_column"}
