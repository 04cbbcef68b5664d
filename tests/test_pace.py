"""Targets and pace, worked out by hand on small numbers, and the CLI agreeing with the page's numbers."""

from __future__ import annotations

import json
import math

import pytest

from analytics import pace
from analytics.__main__ import main

# Two past years, 12 months each: by the end of March the first had 10 of 100 events, the second 30 of 100.
PAST = {2020: [5, 0, 5, 10, 10, 10, 10, 10, 10, 10, 10, 10], 2021: [10, 10, 10, 10, 10, 10, 10, 10, 5, 5, 5, 5]}


def test_the_profile_is_the_mean_share_of_past_years_by_that_month():
    march = pace.profile(PAST, 3)
    assert march.share == pytest.approx((10 / 100 + 30 / 100) / 2)  # 0.20
    assert march.spread == pytest.approx(math.sqrt(((0.1 - 0.2) ** 2 + (0.3 - 0.2) ** 2) / 1))  # 0.1414
    assert march.years == (2020, 2021)


def test_without_past_years_the_pace_is_a_straight_line():
    assert pace.profile({}, 9) == pace.Profile(0.75, 0.0, ())
    assert pace.profile({2020: [0] * 12}, 6).share == 0.5


def test_projection_and_its_interval_by_hand():
    # 30 so far with a share of 0.2 and no spread: 150 expected at year end, 120 still to come (Poisson).
    central, low, high = pace.projection(30, pace.Profile(0.2, 0.0, (2020,)))
    assert central == pytest.approx(150)
    half = 1.959964 * math.sqrt(120)
    assert (low, high) == (pytest.approx(150 - half), pytest.approx(150 + half))
    # With a spread of 0.1414 the share's uncertainty adds (30 × 0.1414 / 0.2²)² = 106.07² to the variance.
    central, low, high = pace.projection(30, pace.Profile(0.2, math.sqrt(0.02), (2020, 2021)))
    half = 1.959964 * math.sqrt(120 + (30 * math.sqrt(0.02) / 0.04) ** 2)
    assert (low, high) == (pytest.approx(max(30, 150 - half)), pytest.approx(150 + half))
    assert pace.projection(80, pace.Profile(1.0, 0.0, (2020,))) == (80, 80, 80)  # the year is over


def test_no_projection_when_past_years_had_nothing_by_now():
    """A place whose past years' events all came later in the year (or one new to the data): nothing to scale
    the count so far by, so no projection (it was a division by zero that stopped the overview)."""
    january = pace.profile({2020: [0, 0, 5, 5, 0, 0, 0, 0, 0, 0, 0, 0]}, 1)
    assert january.share == 0
    assert pace.projection(3, january) == (None, None, None)
    assert pace.status(3, 0, 0, 40) == "on_track"  # where the profile says it should be: nothing yet


@pytest.mark.parametrize(("actual", "expected", "high", "target", "status"), [
    (30, 25, 160, 120, "on_track"),   # ahead of where the profile says
    (20, 25, 130, 120, "at_risk"),    # behind it, but the target is inside the interval
    (20, 25, 110, 120, "behind"),     # even the interval's top falls short
    (20, 0, 0, None, "no_target"),
])
def test_status(actual, expected, high, target, status):
    assert pace.status(actual, expected, high, target) == status


def test_the_cli_gives_target_actual_pace_status_and_projection(capsys, sample_con):
    code = main(["targets", "--year", "2022", "--as-of", "2022-09-30", "--by", "total", "--format", "json"])
    rows = {row["stage"]: row for row in json.loads(capsys.readouterr().out)}
    assert code == 0
    referred = rows["referred"]
    assert referred["actual"] == 2339 and referred["target"] == 3350  # Jan-Sep 2022, the year's target
    assert referred["expected"] == pytest.approx(3350 * referred["share_expected"], abs=0.1)
    assert referred["status"] in pace.STATUSES and referred["projection_low"] <= referred["projection"]
    assert referred["profile_years"] == "2019,2020,2021"


def test_the_cli_by_district_adds_up_to_the_total(capsys):
    main(["targets", "--year", "2022", "--as-of", "2022-09-30", "--format", "json"])
    rows = json.loads(capsys.readouterr().out)
    referred = [row for row in rows if row["stage"] == "referred"]
    assert len(referred) == 9 and sum(row["actual"] for row in referred) == 2339
    assert sum(row["target"] for row in referred) == 3350
