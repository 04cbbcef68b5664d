"""The Word report: the slides' sentences as one paragraph, then the tables behind them, with the CLI's
numbers, in the chosen language, as the user may see them."""

from __future__ import annotations

import io
import json

import pytest
from docx import Document

from analytics import access, fmt, overview
from analytics.__main__ import main
from analytics.config import SAMPLE_SNAPSHOT_DIR
from analytics.filters import Filter, Month
from analytics.i18n import t
from analytics.report import build_report
from tests.test_deck import SMALL_COUNT

PERIOD = Filter(Month(2022, 1), Month(2022, 9))
SAMPLE = ["--data", str(SAMPLE_SNAPSHOT_DIR)]
STAGES = ("referred", "trained", "admitted", "official")


def document(data: bytes):
    return Document(io.BytesIO(data))


def cells(table) -> list[list[str]]:
    return [[cell.text for cell in row.cells] for row in table.rows]


def cli_json(capsys, *args) -> object:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def sample_report(sample_con):
    return (document(build_report(sample_con, access.OPERATOR, PERIOD, "vi")),
            overview.load(sample_con, access.OPERATOR, PERIOD, "vi"))


def test_the_report_says_the_slides_sentences_in_order(sample_report):
    report, view = sample_report
    texts = [p.text for p in report.paragraphs]
    assert texts[0] == t("app_title", "vi") and "01/2022–09/2022" in texts[1]
    said = " ".join(slide.sentence for slide in view.slides())
    assert said in texts
    assert said.startswith(view.slides()[0].sentence)
    assert all(number in said for number in ("2.339", "1.220", "659", "251"))
    footer = [p.text for p in report.sections[0].footer.paragraphs]
    assert footer == [view.footer(), t("sample_banner", "vi")]


def test_the_totals_table_has_the_cli_numbers(sample_report, capsys):
    report, _ = sample_report
    now = cli_json(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--format", "json", *SAMPLE)
    before = cli_json(capsys, "funnel", "--from", "2021-01", "--to", "2021-09", "--format", "json", *SAMPLE)
    rows = cells(report.tables[0])[1:]
    assert [row[1] for row in rows] == [fmt.count(now[s], "vi") for s in STAGES]
    assert [row[2] for row in rows] == [fmt.count(before[s], "vi") for s in STAGES]
    assert rows[0] == ["Giới thiệu", "2.339", "1.597", "+46,5%"]


def test_the_districts_table_has_every_district_of_the_cli(sample_report, capsys):
    report, _ = sample_report
    districts = cli_json(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--by", "district", "--rates",
                         "--format", "json", *SAMPLE)
    expected = [[d["label"], *(fmt.count(d[s], "vi") for s in STAGES),
                 fmt.number(d["referred_per_1000_members"], "vi", 2)]
                for d in sorted(districts, key=lambda d: -d["referred"])]
    table = cells(report.tables[1])
    assert table[0][-1] == "Giới thiệu / 1.000 đoàn viên"
    assert table[1:] == expected


def test_the_pace_table_has_the_cli_targets(sample_report, capsys):
    report, _ = sample_report
    rows = cli_json(capsys, "targets", "--year", "2022", "--as-of", "2022-09-30", "--by", "total", "--format",
                    "json", *SAMPLE)
    table = cells(report.tables[2])
    assert table[1][1:] == [fmt.count(row["target"], "vi") for row in rows]
    assert table[2][1:] == [fmt.count(row["actual"], "vi") for row in rows]
    assert table[3][1:] == [fmt.percent(row["actual"] / row["target"], "vi") for row in rows]
    assert table[5][1:] == [t(f"status_{row['status']}", "vi") for row in rows]


def test_cli_writes_an_english_report(tmp_path, fixture_dir):
    out = tmp_path / "report.docx"
    code = main(["report", "--from", "2022-01", "--to", "2022-09", "--district", "724", "--lang", "en",
                 "--data", str(fixture_dir), "--out", str(out)])
    assert code == 0
    report = document(out.read_bytes())
    assert report.paragraphs[0].text == t("app_title", "en")
    assert "Di An" in report.paragraphs[1].text and "Jan 2022–Sep 2022" in report.paragraphs[1].text
    assert cells(report.tables[0])[1] == ["Referred", "4", "0", "–"]


def test_a_public_report_shows_no_count_under_ten(sample_con):
    public = access.Principal(user="test", role="presenter", audience="public")
    report = document(build_report(sample_con, public, PERIOD, "en"))
    totals = cells(report.tables[0])
    assert totals[1][1] == "2,339" and totals[3][1] == "251"
    districts = {row[0]: row for row in cells(report.tables[1])}
    assert districts["Dau Tieng"][3] == "x"  # 16, hidden so that no smaller one can be worked out
    words = [p.text for p in report.paragraphs] + [c for table in report.tables for row in cells(table) for c in row]
    assert not SMALL_COUNT.findall(" ".join(words).replace("1,000", ""))
