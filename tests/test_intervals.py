"""Intervals and control limits against values worked out by hand or published (Newcombe 1998)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analytics import access, intervals, model
from analytics.filters import Filter, Month

Z = 1.96


def close(pair, expected, places=4):
    assert [round(float(x), places) for x in pair] == list(expected)


def test_the_normal_quantiles():
    assert round(intervals.Z95, 4) == 1.96 and round(intervals.Z998, 4) == 3.0902


@pytest.mark.parametrize(("k", "n", "expected"), [
    (81, 263, (0.2553, 0.3662)),  # Newcombe 1998, "Two-sided confidence intervals for the single proportion"
    (0, 10, (0.0, 0.2775)),  # centre (0 + 1.9208) / 13.8416 = 0.1388 = half-width: 0 to twice that
    (10, 10, (0.7225, 1.0)),
    (15, 148, (0.0624, 0.1605)),
])
def test_wilson(k, n, expected):
    close(intervals.wilson(k, n, Z), expected)


def test_wilson_by_hand():
    # 8 of 20, z = 2: centre (8 + 2) / (20 + 4) = 5/12; half 2/24 · sqrt(8·12/20 + 1) = sqrt(5.8)/12
    low, high = intervals.wilson(8, 20, 2.0)
    assert math.isclose(low, 5 / 12 - math.sqrt(5.8) / 12) and math.isclose(high, 5 / 12 + math.sqrt(5.8) / 12)


def test_nothing_to_rate_has_no_interval():
    assert all(np.isnan(intervals.wilson(0, 0))) and all(np.isnan(intervals.poisson(3, 0)))


def test_poisson_score_interval_by_hand():
    # k = 10, z = 1.96: 10 + 1.9208 ± 1.96·sqrt(10.9604) = 11.9208 ± 6.4888, per size 4
    close(intervals.poisson(10, 4, Z), (5.4320 / 4, 18.4096 / 4))
    close(intervals.poisson(0, 1, Z), (0.0, 3.8416))  # none seen: up to z²
    low, high = intervals.poisson(9, 1, 2.0)  # 9 + 2 ± 2·sqrt(10)
    assert math.isclose(low, 11 - 2 * math.sqrt(10)) and math.isclose(high, 11 + 2 * math.sqrt(10))


@pytest.mark.parametrize(("counts", "expected"), [  # Newcombe 1998, "Interval estimation for the difference
    ((56, 70, 48, 80), (0.0524, 0.3339)),           # between independent proportions", Table II, method 10
    ((9, 10, 3, 10), (0.1705, 0.8090)),
    ((0, 10, 0, 20), (-0.1611, 0.2775)),
    ((0, 10, 0, 10), (-0.2775, 0.2775)),
    ((10, 10, 0, 20), (0.6791, 1.0)),
    ((10, 10, 0, 10), (0.6075, 1.0)),
])
def test_newcombe_method_10(counts, expected):
    close(intervals.newcombe(*counts, Z), expected)


def test_difference_squares_and_adds_the_distances_to_each_rate_s_bounds():
    # 0.5 in [0.4, 0.7] minus 0.2 in [0.1, 0.22]: 0.3 − sqrt(0.1² + 0.02²) to 0.3 + sqrt(0.2² + 0.1²)
    low, high = intervals.difference(0.5, (0.4, 0.7), 0.2, (0.1, 0.22))
    assert math.isclose(low, 0.3 - math.sqrt(0.0104)) and math.isclose(high, 0.3 + math.sqrt(0.05))


@pytest.mark.parametrize(("now", "before", "changed"), [
    (30, 10, True),  # 30 of 40: Wilson 0.598 to 0.858, above 1/2
    (10, 30, True),
    (12, 10, False),  # 12 of 22: 0.347 to 0.731
    (0, 0, False), (float("nan"), 10, False), (251, 251, False),
])
def test_a_count_changed_only_beyond_chance(now, before, changed):
    assert bool(intervals.count_changed(now, before)) is changed


def test_control_limits_by_hand():
    close(intervals.control_limits("binomial", 0.2, 100, Z), (0.1216, 0.2784))  # 0.2 ± 1.96 · 0.04
    close(intervals.control_limits("poisson", 0.5, 50, 3.0902), (0.1910, 0.8090))  # 0.5 ± 3.0902 · 0.1
    close(intervals.control_limits("binomial", 0.9, 4, Z), (0.606, 1.0))  # kept within 0..1
    close(intervals.control_limits("poisson", 0.1, 4, Z), (0.0, 0.4099))  # kept at or above 0


def test_kinds_follow_the_counting_mode():
    step = model.ratio("trained", "referred")
    assert intervals.kind(step, "cohort") == "binomial" and intervals.kind(step, "period") == "poisson"
    assert intervals.kind(model.measures()["referred_per_1000_members"], "cohort") == "poisson"
    assert intervals.kind(model.measures()["referred_target_progress"], "period") is None
    assert intervals.kind(model.measures()["referred"], "period") is None


def test_with_intervals_leaves_a_missing_rate_without_one():
    frame = pd.DataFrame({"referred": [40.0, np.nan, 0.0], "trained": [10.0, 5.0, 0.0],
                          "trained_step_rate": [0.25, np.nan, np.nan], "union_members": [8000.0, 1000.0, 1000.0],
                          "referred_per_1000_members": [5.0, np.nan, 0.0]})
    out = intervals.with_intervals(frame, "cohort")
    close((out["trained_step_rate_low"][0], out["trained_step_rate_high"][0]), intervals_of(10, 40))
    assert out[["trained_step_rate_low", "trained_step_rate_high"]].iloc[1:].isna().all().all()
    # 40 referrals per 8 thousand members: the Poisson interval of 40, divided by 8
    close((out["referred_per_1000_members_low"][0], out["referred_per_1000_members_high"][0]),
          [round(float(b) / 8, 4) for b in intervals.poisson(40, 1)])
    assert out["referred_per_1000_members_low"].isna().tolist() == [False, True, False]
    assert "referred_target_progress_low" not in out


def intervals_of(k, n):
    return [round(float(b), 4) for b in intervals.wilson(k, n)]


def test_a_baseline_carries_the_same_counts_and_no_intervals(sample_con):
    """A baseline is compared by its counts (the cards): the door leaves out its members, targets and intervals."""
    flt = Filter(Month(2022, 1), Month(2022, 9))
    full = access.funnel(sample_con, access.DEMO, flt, None, "vi")
    counts = access.funnel(sample_con, access.DEMO, flt, None, "vi", denominators=False)
    stages = list(model.stage_keys())
    pd.testing.assert_frame_equal(counts[stages], full[stages])
    assert [c for c in full if c.endswith("_low")]
    assert not [c for c in counts if c.endswith(("_low", "_high"))]
