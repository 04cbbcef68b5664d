"""A shared link read part by part (analytics.links): every usable part kept, each other one named, in the
reader's language, with what is shown instead."""

from __future__ import annotations

import re

import pytest

from analytics import model
from analytics.filters import Filter, Month
from analytics.links import read_link
from analytics.sentences import period_phrase

DEFAULT = Filter(Month(2026, 1), Month(2026, 10))
MONTHS = (Month(2019, 1), Month(2026, 10))  # the data's first and last months
DISTRICTS = {"718": "Thủ Dầu Một", "720": "Dầu Tiếng", "724": "Dĩ An"}
JAN_SEP = {"from": "2022-01", "to": "2022-09"}


def read(lang: str = "vi", **params: str) -> tuple[Filter, list[str]]:
    return read_link(params, DEFAULT, DISTRICTS, {}, MONTHS, lang)


def test_a_good_link_is_read_whole_and_says_nothing():
    flt, problems = read(district="718,724", sector="fdi", mode="cohort", window="90", **JAN_SEP)
    assert flt == Filter(Month(2022, 1), Month(2022, 9), ("718", "724"), ("fdi",), "cohort", 90)
    assert problems == []


def test_a_bad_district_keeps_the_period_and_the_good_districts():
    flt, problems = read(district="999,718", **JAN_SEP)
    assert (flt.start, flt.end, flt.districts) == (Month(2022, 1), Month(2022, 9), ("718",))
    assert len(problems) == 1 and "999" in problems[0]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_period_without_data_says_what_is_shown_instead(lang):
    flt, problems = read(lang, **{"from": "2030-01", "to": "2030-12"})
    assert (flt.start, flt.end) == (DEFAULT.start, DEFAULT.end)
    assert len(problems) == 1
    assert "2030" in problems[0] and period_phrase(DEFAULT, MONTHS[1], lang) in problems[0]


def test_a_bad_month_keeps_the_other_one():
    flt, problems = read(**{"from": "2022-13", "to": "2022-09"})
    assert (flt.start, flt.end) == (Month(2022, 1), Month(2022, 9))
    assert len(problems) == 1 and "from=2022-13" in problems[0]


def test_months_the_wrong_way_round_are_swapped():
    flt, problems = read(**{"from": "2022-09", "to": "2022-01"})
    assert (flt.start, flt.end) == (Month(2022, 1), Month(2022, 9))
    assert len(problems) == 1


def test_a_custom_range_is_cut_to_the_data_but_a_whole_year_is_kept():
    flt, problems = read(**{"from": "2018-06", "to": "2019-05"})
    assert (flt.start, flt.end, len(problems)) == (Month(2019, 1), Month(2019, 5), 1)
    flt, problems = read(**{"from": "2026-01", "to": "2026-12"})  # the year's months to come are part of it
    assert (flt.start, flt.end, problems) == (Month(2026, 1), Month(2026, 12), [])


def test_each_bad_part_is_named_and_the_good_ones_kept():
    flt, problems = read(sector="fdi,zz", mode="x", window="a", district="720", **JAN_SEP)
    assert (flt.sectors, flt.mode, flt.window_days, flt.districts) == (("fdi",), "period", None, ("720",))
    assert len(problems) == 3


def test_a_window_in_other_digits_is_read_and_one_past_ten_years_is_named():
    """Full-width digits are digits; "²" passes ``str.isdigit`` but is no number (it raised in ``int``)."""
    assert read(mode="cohort", window="３６５", **JAN_SEP)[0].window_days == 365
    for window in ("²", "3651", "-1"):
        flt, problems = read(mode="cohort", window=window, **JAN_SEP)
        assert flt.window_days is None and len(problems) == 1 and "3650" in problems[0]


BAD_LINKS = [{"from": "2030-01", "to": "2030-12"}, {"from": "2022-13"}, {"from": "2022-09", "to": "2022-01"},
             {"from": "2018-06", "to": "2019-05"}, {"district": "999"}, {"sector": "zz"}, {"mode": "x"},
             {"window": "a"}, {"window": "²"}, {"window": "3651"}]


@pytest.mark.parametrize("params", BAD_LINKS)
def test_vietnamese_messages_have_no_english_in_them(params):
    vietnamese, english = read("vi", **params)[1], read("en", **params)[1]
    assert len(vietnamese) == len(english) == 1
    codes = str(params).lower() + " ".join(model.sector_keys())  # what the link and the URL contract spell
    words = {w for w in re.findall(r"[a-z]{4,}", english[0].lower()) if w not in codes}
    assert words and not words & set(re.findall(r"[a-z]{4,}", vietnamese[0].lower()))
