"""The PowerPoint deck: the overview's slides as native charts carrying the CLI's numbers, titled by their
sentences, with notes, in the chosen language, as the user may see them."""

from __future__ import annotations

import io
import json
import re

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

from analytics import access, overview
from analytics.__main__ import main
from analytics.config import ROLES_ENV, SAMPLE_SNAPSHOT_DIR
from analytics.deck import build_deck
from analytics.filters import Filter, Month

PERIOD = Filter(Month(2022, 1), Month(2022, 9))
SAMPLE = ["--data", str(SAMPLE_SNAPSHOT_DIR)]


def slides(data: bytes):
    return list(Presentation(io.BytesIO(data)).slides)


def texts(slide) -> str:
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def boxes(slide) -> list[str]:
    """The text of each text box that is not the title (the headline slide's labels and numbers)."""
    return [shape.text_frame.text for shape in slide.shapes
            if shape.has_text_frame and shape != slide.shapes.title]


def notes(slide) -> str:
    return slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""


def chart(slide):
    (frame,) = [shape for shape in slide.shapes if shape.has_chart]
    return frame.chart


def series(slide) -> dict[str, list]:
    return {s.name: list(s.values) for s in chart(slide).plots[0].series}


def cli_json(capsys, *args) -> object:
    assert main(list(args)) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def sample_deck(sample_con):
    """The sample's deck for 01/2022–09/2022 in Vietnamese, and the overview it was built from."""
    return (slides(build_deck(sample_con, access.OPERATOR, PERIOD, "vi")),
            overview.load(sample_con, access.OPERATOR, PERIOD, "vi"))


def test_deck_has_a_title_slide_then_a_slide_per_overview_slide(fixture_con):
    deck = slides(build_deck(fixture_con, access.OPERATOR, PERIOD, "vi"))
    assert len(deck) == 6  # title, headline, funnel, districts, pace of the year's targets, trend
    assert "01/2022–09/2022" in texts(deck[0])
    headline = boxes(deck[1])
    for label, value in (("Giới thiệu", "5"), ("Học lớp cảm tình Đảng", "3"), ("Kết nạp", "2")):
        assert headline[headline.index(label) + 1] == value  # the label's box, then the number's
    for slide in deck[2:]:
        assert chart(slide)  # one native chart each
    assert not [s for slide in deck for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]


def test_slide_titles_are_the_sentences(sample_deck):
    deck, view = sample_deck
    assert [slide.shapes.title.text_frame.text for slide in deck[1:]] == [s.sentence for s in view.slides()]
    headline = deck[1].shapes.title.text_frame.text
    assert all(number in headline for number in ("2.339", "1.220", "659", "251"))
    assert [s.key for s in view.slides()] == ["headline", "funnel", "districts", "pace", "trend"]


def test_the_headline_numbers_are_the_cards(sample_deck):
    deck, _ = sample_deck
    shown = boxes(deck[1])
    for label, value in (("Giới thiệu", "2.339"), ("Học lớp cảm tình Đảng", "1.220"), ("Kết nạp", "251"),
                         ("Chính thức", "216")):
        assert shown[shown.index(label) + 1] == value


def test_the_funnel_chart_carries_the_cli_totals(sample_deck, capsys):
    deck, _ = sample_deck
    totals = cli_json(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--format", "json", *SAMPLE)
    (values,) = series(deck[2]).values()
    assert values == [float(totals[stage]) for stage in ("referred", "trained", "admitted", "official")]
    assert list(chart(deck[2]).plots[0].categories) == ["Giới thiệu", "Học lớp cảm tình Đảng", "Kết nạp",
                                                         "Chính thức"]


def test_the_districts_chart_carries_the_cli_districts(sample_deck, capsys):
    deck, _ = sample_deck
    rows = cli_json(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--by", "district", "--limit", "25",
                    "--format", "json", *SAMPLE)
    rows = sorted(rows, key=lambda row: -row["referred"])
    assert list(chart(deck[3]).plots[0].categories) == [row["label"] for row in rows]
    shown = series(deck[3])
    assert list(shown) == ["Giới thiệu", "Học lớp cảm tình Đảng", "Kết nạp"]  # as the screen chart: no official
    for name, stage in zip(shown, ("referred", "trained", "admitted")):
        assert shown[name] == [float(row[stage]) for row in rows]


def test_the_pace_chart_carries_the_cli_targets(sample_deck, capsys):
    deck, _ = sample_deck
    rows = cli_json(capsys, "targets", "--year", "2022", "--as-of", "2022-09-30", "--by", "total", "--format",
                    "json", *SAMPLE)
    so_far, expected, projected = series(deck[4]).values()
    assert so_far == pytest.approx([row["actual"] / row["target"] for row in rows])
    assert expected == pytest.approx([row["expected"] / row["target"] for row in rows])
    assert projected == pytest.approx([row["projection"] / row["target"] for row in rows])


def test_the_trend_chart_carries_the_cli_months(sample_deck, capsys):
    deck, view = sample_deck
    rows = cli_json(capsys, "funnel", *view.trend_filter.to_cli_args(), "--by", "month", "--format", "json", *SAMPLE)
    assert list(chart(deck[5]).plots[0].categories) == [row["label"] for row in rows]
    for name, stage in zip(series(deck[5]), ("referred", "trained", "admitted", "official")):
        assert series(deck[5])[name] == [float(row[stage]) for row in rows]


def test_every_slide_has_notes_with_the_numbers_and_definitions(sample_deck):
    deck, view = sample_deck
    assert all(notes(slide).strip() for slide in deck)
    funnel = notes(deck[2])
    assert funnel.startswith(view.slides()[1].sentence)
    assert "Giới thiệu: 2.339" in funnel and "Kết nạp: 251" in funnel
    assert "Định nghĩa:" in funnel and "có ngày giới thiệu trong kỳ" in funnel  # the count's definition
    assert "Thuận An · Giới thiệu: 504" in notes(deck[3])
    assert "09/2022 · Học lớp cảm tình Đảng: 159" in notes(deck[5])
    assert "Giới thiệu · có nguy cơ chậm · Đã đạt (so với chỉ tiêu): 2.339 / 3.350 (69,8%)" in notes(deck[4])


def test_every_slide_has_the_footer_and_the_sample_note(sample_deck):
    deck, view = sample_deck
    for slide in deck:
        assert view.footer() in texts(slide)
        assert "Dữ liệu mẫu" in texts(slide)


def test_cli_writes_an_english_deck(tmp_path, fixture_dir):
    out = tmp_path / "deck.pptx"
    code = main(["deck", "--from", "2022-01", "--to", "2022-09", "--district", "724", "--lang", "en",
                 "--data", str(fixture_dir), "--out", str(out)])
    assert code == 0
    deck = slides(out.read_bytes())
    assert "Di An" in texts(deck[0]) and "Jan 2022–Sep 2022" in texts(deck[0])
    shown = boxes(deck[1])
    assert shown[shown.index("Referred") + 1] == "4"
    assert "Definitions:" in notes(deck[2])


def test_a_district_officers_deck_shows_only_their_district(fixture_con):
    officer = access.Principal(user="test", role="district", district="718")
    deck = slides(build_deck(fixture_con, officer, Filter(Month(2022, 1), Month(2022, 9), districts=("724",)), "en"))
    assert "Thu Dau Mot" in texts(deck[0]) and "Di An" not in texts(deck[0])
    shown = boxes(deck[1])
    for label, value in (("Referred", "1"), ("Trained", "2"), ("Admitted", "2")):
        assert shown[shown.index(label) + 1] == value


#: A number standing alone (not part of a date, a larger number or a percentage).
#: A count from 1 to 9 written on its own (not part of 2,339, 12.5%, 1/9 or Q3).
SMALL_COUNT = re.compile(r"(?<![\w.,/<+-])[1-9](?![\d.,/%])")


def test_a_public_deck_shows_no_count_under_ten(sample_con):
    public = access.Principal(user="test", role="presenter", audience="public")
    deck = slides(build_deck(sample_con, public, PERIOD, "en"))
    shown = boxes(deck[1])
    assert shown[shown.index("Referred") + 1] == "2,339" and shown[shown.index("Admitted") + 1] == "251"
    hidden = 0
    for slide in deck[2:]:
        if "%" in chart(slide).value_axis.tick_labels.number_format:
            continue  # the pace chart's shares of the target
        values = [v for values in series(slide).values() for v in values]
        assert not [v for v in values if v is not None and 1 <= v <= 9]  # a hidden count is no point at all
        hidden += values.count(None)
    assert hidden and "Dau Tieng · Admitted: x" in notes(deck[3])  # 16, hidden so that no smaller one is revealed
    assert "An empty bar or point is a hidden count (x), not a zero." in texts(deck[3])  # said, not read as 0
    assert "x: hidden (under 10, or would reveal a count under 10)" in texts(deck[3])
    for slide in deck:
        words = " ".join([texts(slide), notes(slide)])
        assert not SMALL_COUNT.findall(words.replace("1,000", "")), words


def test_a_presenters_deck_of_a_few_people_shows_none_of_them(fixture_con):
    deck = slides(build_deck(fixture_con, access.Principal(user="test", role="presenter"), PERIOD, "en"))
    shown = boxes(deck[1])
    assert shown[shown.index("Referred") + 1] == "x" and shown[shown.index("Official") + 1] == "0"
    assert "Trained: x" in notes(deck[2])


def test_cli_deck_as_a_district_officer(tmp_path, fixture_dir, monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text('[users."officer718@example.vn"]\nrole = "district"\ndistrict = "718"\n', encoding="utf-8")
    monkeypatch.setenv(ROLES_ENV, str(roles))
    out = tmp_path / "deck.pptx"
    code = main(["deck", "--from", "2022-01", "--to", "2022-09", "--district", "724", "--lang", "en",
                 "--data", str(fixture_dir), "--out", str(out), "--as-user", "officer718@example.vn"])
    assert code == 0
    assert "Thu Dau Mot" in texts(slides(out.read_bytes())[0])
