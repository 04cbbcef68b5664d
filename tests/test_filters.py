"""The filter object, its URL form (round trip) and the reporting-period presets."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from analytics.filters import Filter, FilterError, Month
from analytics.periods import PRESETS, PeriodChoice, infer_choice, preset_range

DEFAULT = Filter(Month(2025, 1), Month(2025, 6))
LATEST = Month(2025, 6)


def test_the_documented_link_reads_as_expected():
    params = {"from": "2022-01", "to": "2022-09", "district": "718,724", "sector": "fdi", "mode": "period"}
    flt = Filter.from_query(params, DEFAULT)
    assert flt == Filter(Month(2022, 1), Month(2022, 9), ("718", "724"), ("fdi",), "period")


def test_missing_parameters_come_from_the_default():
    assert Filter.from_query({"to": "2025-03"}, DEFAULT) == Filter(Month(2025, 1), Month(2025, 3))


months = st.builds(Month, st.integers(2015, 2030), st.integers(1, 12))


@given(
    a=months, b=months,
    districts=st.lists(st.sampled_from(["718", "719", "724", "726"]), unique=True, max_size=3),
    sectors=st.lists(st.sampled_from(["state", "domestic", "fdi"]), unique=True),
    mode=st.sampled_from(["period", "cohort"]),
    window=st.none() | st.integers(0, 3000),
)
def test_url_round_trip(a, b, districts, sectors, mode, window):
    flt = Filter(min(a, b), max(a, b), tuple(districts), tuple(sectors), mode, window)
    assert Filter.from_query(flt.to_query(), DEFAULT) == flt


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"from": "2022-13"}, "not a month"),
        ({"from": "22-01"}, "not a month"),
        ({"from": "2022-10", "to": "2022-09"}, "after"),
        ({"mode": "funnel"}, "unknown mode"),
        ({"sector": "private"}, "unknown sector"),
        ({"window": "-5"}, "whole number"),
    ],
)
def test_bad_parameters_say_what_to_change(params, message):
    with pytest.raises(FilterError, match=message):
        Filter.from_query(params, DEFAULT)


def test_unknown_district_is_refused():
    with pytest.raises(FilterError, match="unknown district '999'"):
        Filter(Month(2022, 1), Month(2022, 9), districts=("999",)).check_districts(["718", "724"])


def test_comparison_periods():
    flt = Filter(Month(2022, 1), Month(2022, 9))
    assert flt.same_period_last_year() == Filter(Month(2021, 1), Month(2021, 9))
    assert flt.previous_period() == Filter(Month(2021, 4), Month(2021, 12))
    assert flt.last_day.isoformat() == "2022-09-30"


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        (PeriodChoice("month", 2022, 2), ("2022-02", "2022-02")),
        (PeriodChoice("quarter", 2022, 3), ("2022-07", "2022-09")),
        (PeriodChoice("half", 2022), ("2022-01", "2022-06")),
        (PeriodChoice("nine_months", 2022), ("2022-01", "2022-09")),
        (PeriodChoice("year", 2022), ("2022-01", "2022-12")),
        (PeriodChoice("ytd", 2025), ("2025-01", "2025-06")),
        (PeriodChoice("ytd", 2024), ("2024-01", "2024-12")),
    ],
)
def test_presets(choice, expected):
    start, end = preset_range(choice, LATEST)
    assert (str(start), str(end)) == expected


@given(preset=st.sampled_from([p for p in PRESETS if p not in ("custom", "ytd")]), year=st.integers(2019, 2025),
       index=st.integers(1, 4))
def test_a_preset_is_read_back_from_its_months(preset, year, index):
    choice = PeriodChoice(preset, year, index if preset in ("month", "quarter") else 1)
    assert infer_choice(*preset_range(choice, LATEST), LATEST) == choice


def test_other_ranges_are_custom():
    assert infer_choice(Month(2021, 11), Month(2022, 2), LATEST).preset == "custom"
