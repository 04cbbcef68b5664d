"""The PowerPoint deck: the overview's figures, in slides, in the chosen language."""

from __future__ import annotations

import io

from pptx import Presentation

from analytics import access
from analytics.__main__ import main
from analytics.config import ROLES_ENV
from analytics.deck import build_deck
from analytics.filters import Filter, Month

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def slides(data: bytes):
    return list(Presentation(io.BytesIO(data)).slides)


def texts(slide) -> str:
    return " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)


def test_deck_has_title_headline_and_a_slide_per_chart(fixture_con):
    deck = slides(build_deck(fixture_con, access.OPERATOR, Filter(Month(2022, 1), Month(2022, 9)), "vi"))
    assert len(deck) == 6  # title, headline, funnel, districts, pace of the year's targets, trend
    assert "01/2022–09/2022" in texts(deck[0])
    headline = texts(deck[1])
    for label, value in (("Giới thiệu", "5"), ("Học lớp cảm tình Đảng", "3"), ("Kết nạp", "2")):
        assert f"{label}\n{value}\n" in headline
    for slide in deck[2:]:
        (picture,) = [shape for shape in slide.shapes if shape.shape_type == 13]
        assert picture.image.blob.startswith(PNG_SIGNATURE)


def test_cli_writes_an_english_deck(tmp_path, fixture_dir, capsys):
    out = tmp_path / "deck.pptx"
    code = main(["deck", "--from", "2022-01", "--to", "2022-09", "--district", "724", "--lang", "en",
                 "--data", str(fixture_dir), "--out", str(out)])
    assert code == 0
    deck = slides(out.read_bytes())
    assert "Di An" in texts(deck[0]) and "Jan 2022–Sep 2022" in texts(deck[0])
    assert "Referred\n4\n" in texts(deck[1])


def test_a_district_officers_deck_shows_only_their_district(fixture_con):
    officer = access.Principal(user="test", role="district", district="718")
    deck = slides(build_deck(fixture_con, officer, Filter(Month(2022, 1), Month(2022, 9), districts=("724",)), "en"))
    assert "Thu Dau Mot" in texts(deck[0]) and "Di An" not in texts(deck[0])
    headline = texts(deck[1])
    for label, value in (("Referred", "1"), ("Trained", "2"), ("Admitted", "2")):
        assert f"{label}\n{value}\n" in headline


def test_a_presenters_deck_hides_small_counts(fixture_con):
    presenter = access.Principal(user="test", role="presenter")
    headline = texts(slides(build_deck(fixture_con, presenter, Filter(Month(2022, 1), Month(2022, 9)), "en"))[1])
    assert "Referred\n5\n" in headline and "Admitted\n<5" in headline


def test_cli_deck_as_a_district_officer(tmp_path, fixture_dir, monkeypatch):
    roles = tmp_path / "roles.toml"
    roles.write_text('[users."officer718@example.vn"]\nrole = "district"\ndistrict = "718"\n', encoding="utf-8")
    monkeypatch.setenv(ROLES_ENV, str(roles))
    out = tmp_path / "deck.pptx"
    code = main(["deck", "--from", "2022-01", "--to", "2022-09", "--district", "724", "--lang", "en",
                 "--data", str(fixture_dir), "--out", str(out), "--as-user", "officer718@example.vn"])
    assert code == 0
    assert "Thu Dau Mot" in texts(slides(out.read_bytes())[0])
