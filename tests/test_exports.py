"""Downloads for people and for machines: the Excel workbook has the CLI's numbers (as numbers, formatted) under
what it shows; the CSV is UTF-8 with a BOM, English keys, rounded rates; and text a spreadsheet would run as a
formula (a union named ``=HYPERLINK(...)``) is inert in every export: CSV, XLSX, the text table, the pages'
downloads, the ingest's problems report, the deck's chart data and the report's tables."""

from __future__ import annotations

import csv
import io
import json
import shlex
from pathlib import Path

import openpyxl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest

from analytics import db, formulas, output
from analytics.__main__ import main
from analytics.ingest.pseudonymise import KEY_ENV
from tests.fixtures import write_fixture
from tests.ingest.conftest import KEY, REGISTER_HEADER, csv_bytes, register_row

HOSTILE = '=HYPERLINK("http://x","y")'
JAN_SEP = ["--from", "2022-01", "--to", "2022-09"]


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory) -> Path:
    """The hand-checked fixture with union U2 and district 718 (its Vietnamese name) named by an attacker."""
    folder = write_fixture(tmp_path_factory.mktemp("hostile"), union_names={"U2": HOSTILE, "U3": "-5"})
    districts = pq.read_table(folder / "districts.parquet")
    names = [HOSTILE if code == "718" else name
             for code, name in zip(districts["district_code"].to_pylist(), districts["name_vi"].to_pylist())]
    pq.write_table(districts.set_column(districts.schema.get_field_index("name_vi"), "name_vi", pa.array(names)),
                   folder / "districts.parquet")
    return folder


def run(capsys, *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def sheet_table(path: Path) -> tuple[list[tuple[str, str]], list[str], list[list[object]]]:
    """The workbook's heading lines (label, text), the table's header and its rows, as openpyxl reads them."""
    rows = [list(row) for row in openpyxl.load_workbook(path).worksheets[0].iter_rows(values_only=True)]
    blank = rows.index([None] * len(rows[0]))
    heading = [(row[0], row[1]) for row in rows[1:blank]]
    return heading, rows[blank + 1], rows[blank + 2:]


@pytest.mark.parametrize("text", [HOSTILE, "+1", "-5", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"])
def test_text_a_spreadsheet_would_run_gets_a_leading_quote(text):
    assert formulas.inert(text) == "'" + text


@pytest.mark.parametrize("value", ["Dĩ An", "x", "", "725", -5, 0.25, None, True])
def test_other_values_are_untouched(value):
    assert formulas.inert(value) == value


def test_the_workbook_has_the_json_numbers_formatted_under_what_it_shows(capsys, tmp_path):
    """The sample by district, Jan–Sep 2022: every count equal to the CLI's JSON, every rate equal to Excel's
    precision; Vietnamese headers; the filter, counting mode, data as of and the command above the table."""
    args = ["funnel", *JAN_SEP, "--by", "district", "--rates"]
    expected = {row["district"]: row for row in json.loads(run(capsys, *args, "--format", "json"))}
    path = tmp_path / "districts.xlsx"
    run(capsys, *args, "--format", "xlsx", "--output", str(path))
    heading, header, rows = sheet_table(path)
    keys = list(next(iter(expected.values())))
    assert header[:4] == ["Mã", "Huyện, thị xã, thành phố", "Giới thiệu", "Học lớp cảm tình Đảng"]
    assert {row[0]: dict(zip(keys, row)) for row in rows} == {
        key: {k: pytest.approx(v, rel=1e-15) if isinstance(v, float) else v for k, v in row.items()}
        for key, row in expected.items()}
    assert sum(row[keys.index("referred")] for row in rows) == 2339
    lines = dict(heading)
    assert (lines["Phạm vi"], lines["Thời gian"]) == ("Tỉnh Bình Dương", "01/2022–09/2022")
    assert lines["Cách đếm"].startswith("Hoạt động trong kỳ") and lines["Số liệu đến ngày"].startswith("31/10/2026")
    assert lines["Lệnh tạo lại tệp này"].endswith(f"--by district --lang vi --output {path}")
    sheet = openpyxl.load_workbook(path).worksheets[0]
    formats = {sheet.cell(len(heading) + 3, i + 1).value: sheet.cell(len(heading) + 4, i + 1).number_format
               for i in range(len(header))}
    assert (formats["Giới thiệu"], formats["Tỷ số học lớp / giới thiệu"]) == ("#,##0", "0.0%")


def test_the_command_in_the_workbook_makes_the_same_workbook(capsys, tmp_path):
    first = tmp_path / "first.xlsx"
    run(capsys, "funnel", *JAN_SEP, "--by", "sector", "--mode", "cohort", "--lang", "en", "--rates",
        "--format", "xlsx", "--output", str(first))
    heading, header, rows = sheet_table(first)
    second = str(tmp_path / "second.xlsx")
    command = shlex.split(dict(heading)["Command that makes this file again"].replace(str(first), second))
    assert command[:4] == ["python", "-m", "analytics", "funnel"] and "cohort" in dict(heading)["Counting"]
    run(capsys, *command[3:])
    assert sheet_table(Path(second))[1:] == (header, rows)


def test_hidden_counts_stay_x_and_the_workbook_says_what_x_means(capsys, fixture_dir, tmp_path):
    path = tmp_path / "public.xlsx"
    run(capsys, "funnel", *JAN_SEP, "--by", "district", "--audience", "public", "--data", str(fixture_dir),
        "--format", "xlsx", "--output", str(path))
    heading, header, rows = sheet_table(path)
    assert "x" in [cell for row in rows for cell in row]
    assert dict(heading)["Số liệu dành cho"].startswith("x: số được ẩn")


def test_csv_has_english_keys_rounded_rates_and_a_bom_in_a_file(capsys, tmp_path):
    args = ["funnel", *JAN_SEP, "--by", "district", "--rates", "--format", "csv"]
    printed = run(capsys, *args)
    run(capsys, *args, "--output", str(tmp_path / "d.csv"))
    content = (tmp_path / "d.csv").read_bytes()
    assert content.startswith(b"\xef\xbb\xbf") and content.decode("utf-8-sig") == printed
    rows = list(csv.DictReader(io.StringIO(printed)))
    assert list(rows[0])[:4] == ["district", "label", "referred", "trained"]
    thuan_an = next(row for row in rows if row["district"] == "725")
    assert thuan_an["trained_step_rate"] == "0.4683"  # 236 / 504 = 0.468253968...
    assert all(len(value.partition(".")[2]) <= output.RATE_DIGITS for row in rows for value in row.values())


@pytest.mark.parametrize("fmt", ["csv", "table"])
def test_a_hostile_union_name_is_inert_in_the_cli_text_exports(capsys, hostile_dir, fmt):
    out = run(capsys, "funnel", *JAN_SEP, "--by", "union", "--data", str(hostile_dir), "--format", fmt)
    cells = [c for row in csv.reader(io.StringIO(out)) for c in row] if fmt == "csv" else out.split()
    assert "'" + HOSTILE.split()[0] in cells or "'" + HOSTILE in cells
    assert "'-5" in cells and not [cell for cell in cells if cell.startswith(formulas.TRIGGERS)]


def test_a_hostile_union_name_is_inert_in_the_workbook_and_as_is_in_json(capsys, hostile_dir, tmp_path):
    args = ["funnel", *JAN_SEP, "--by", "union", "--data", str(hostile_dir)]
    assert HOSTILE in [row["label"] for row in json.loads(run(capsys, *args, "--format", "json"))]
    run(capsys, *args, "--format", "xlsx", "--output", str(tmp_path / "u.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "u.xlsx")
    cells = [cell for sheet in book for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "'" + HOSTILE in [cell.value for cell in cells] and "'-5" in [cell.value for cell in cells]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f" or str(cell.value).startswith("=")]


def _download_page():
    """Explore's and the overview's download buttons for the union breakdown of the hostile fixture."""
    import streamlit as st

    from analytics import access
    from analytics.filters import Filter, Month
    from ui import components, data
    from ui.view import View

    flt, source = Filter(Month(2022, 1), Month(2022, 9)), st.session_state["source"]
    view = View(source, access.Principal(user="t", role="analyst"), flt, "vi", data.places(source, flt, "vi"), None)
    components.download(data.funnel_later(view, "union"), "union", view, "funnel_by_union")


def test_the_pages_downloads_are_inert_and_the_csv_has_a_bom(capsys, hostile_dir, monkeypatch, tmp_path):
    """The buttons' data, made as a click makes it (the callables Streamlit would run on a thread); the CSV is
    byte for byte what the CLI writes."""
    buttons = {}
    monkeypatch.setattr(DeltaGenerator, "download_button",
                        lambda self, label, data, file_name, **_: buttons.update({file_name: (label, data)}))
    at = AppTest.from_function(_download_page, default_timeout=60)
    at.session_state["source"] = str(hostile_dir)
    at.run()
    assert not at.exception
    csv_label, csv_data = buttons["funnel_by_union_2022-01_2022-09.csv"]
    xlsx_label, xlsx_data = buttons["funnel_by_union_2022-01_2022-09.xlsx"]
    assert (csv_label, xlsx_label) == ("Tải bảng (CSV)", "Tải bảng (Excel)")
    content = csv_data()
    run(capsys, "funnel", *JAN_SEP, "--by", "union", "--rates", "--data", str(hostile_dir), "--format", "csv",
        "--output", str(tmp_path / "cli.csv"))
    assert content.startswith(b"\xef\xbb\xbf") and content == (tmp_path / "cli.csv").read_bytes()
    labels = [row["label"] for row in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))]
    assert sorted(labels) == sorted(["CĐCS Công ty Điện nước Thủ Dầu Một", "'" + HOSTILE, "'-5"])
    book = openpyxl.load_workbook(io.BytesIO(xlsx_data()))
    values = [cell for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "'" + HOSTILE in values and not [v for v in values if isinstance(v, str) and v.startswith("=")]
    assert any(isinstance(v, str) and "--by union --lang vi --output funnel_by_union" in v for v in values)


def test_the_problems_report_makes_uploaded_text_inert(capsys, tmp_path, monkeypatch):
    from tests.ingest.conftest import make_store

    monkeypatch.setenv(KEY_ENV, KEY.decode())
    store = make_store(tmp_path / "store")
    upload = tmp_path / "@SUM(1).csv"
    upload.write_bytes(csv_bytes([REGISTER_HEADER, register_row("DV-1", HOSTILE), register_row("DV-2", "-5")]))
    code = main(["ingest", str(upload), "--dry-run", "--store", str(store.root), "--report", str(tmp_path / "p.csv")])
    printed = capsys.readouterr().out
    content = (tmp_path / "p.csv").read_bytes()
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert code == 1 and content.startswith(b"\xef\xbb\xbf") and "'" + HOSTILE in printed
    assert {row[3] for row in rows[1:]} >= {"'" + HOSTILE, "'-5"} and {row[0] for row in rows[1:]} == {"'@SUM(1).csv"}
    assert not [cell for row in rows for cell in row if cell.startswith(formulas.TRIGGERS)]


def test_the_deck_chart_data_and_the_report_tables_carry_no_formula(hostile_dir):
    """District 718's hostile name is a category of the districts chart (whose data is an embedded workbook
    that PowerPoint's "Edit data" opens in Excel) and a row of the report's table (copied into spreadsheets)."""
    from docx import Document
    from pptx import Presentation

    from analytics import access
    from analytics.deck import build_deck
    from analytics.filters import Filter, Month
    from analytics.report import build_report

    con, flt = db.connect(str(hostile_dir)), Filter(Month(2022, 1), Month(2022, 9))
    deck = Presentation(io.BytesIO(build_deck(con, access.OPERATOR, flt, "vi")))
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert "'" + HOSTILE in [name for chart in charts for name in chart.plots[0].categories]
    for chart in charts:
        book = openpyxl.load_workbook(io.BytesIO(chart.part.chart_workbook.xlsx_part.blob))
        cells = [cell for row in book.active.iter_rows() for cell in row if cell.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f" or str(c.value).startswith(formulas.TRIGGERS)]
    report = Document(io.BytesIO(build_report(con, access.OPERATOR, flt, "vi")))
    texts = [cell.text for table in report.tables for row in table.rows for cell in row.cells]
    assert "'" + HOSTILE in texts and not [text for text in texts if text.startswith(formulas.TRIGGERS)]
