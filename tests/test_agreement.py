"""The shipped sample: the published figures, and the query layer agreeing with an independent count.

The independent count reads ``data/curated/*.parquet`` with pandas, not through :mod:`analytics`.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pandas as pd
import pytest

from analytics import queries
from analytics.config import SAMPLE_SNAPSHOT_DIR
from analytics.filters import Filter, Month

STAGES = ("referred", "trained", "admitted", "official")
PUBLISHED = Filter(Month(2022, 1), Month(2022, 9))


@pytest.fixture(scope="module")
def candidates() -> pd.DataFrame:
    frame = pd.read_parquet(SAMPLE_SNAPSHOT_DIR / "candidates.parquet")
    for stage in STAGES:
        frame[f"{stage}_on"] = pd.to_datetime(frame[f"{stage}_on"])
    for column in ("union_id", "district_code", "unit_code", "sector"):
        frame[column] = frame[column].astype(str)
    stays = pd.read_parquet(SAMPLE_SNAPSHOT_DIR / "union_units.parquet")
    stays["valid_from"] = pd.to_datetime(stays["valid_from"])
    stays["valid_to"] = pd.to_datetime(stays["valid_to"].clip(upper=pd.Timestamp("2200-01-01").date()))
    frame.attrs["union_units"] = stays
    return frame


def _unit_on(rows: pd.DataFrame, dates: pd.Series, stays: pd.DataFrame) -> pd.Series:
    """The README's rule: an event happens in the unit its union belongs to on the event's date."""
    located = rows[["union_id"]].assign(day=dates.to_numpy(), row=range(len(rows))).merge(stays, on="union_id")
    located = located[(located["day"] >= located["valid_from"]) & (located["day"] <= located["valid_to"])]
    units = pd.Series(None, index=range(len(rows)), dtype=object)
    units[located["row"].to_numpy()] = located["unit_code"].to_numpy()
    return pd.Series(units.to_numpy(), index=rows.index)


def independent_counts(candidates: pd.DataFrame, flt: Filter) -> dict[str, int]:
    first, last = pd.Timestamp(flt.first_day), pd.Timestamp(flt.last_day)
    rows = candidates
    if flt.districts:  # no union of the sample crosses a former district's boundary: the referral's district
        rows = rows[rows["district_code"].isin(flt.districts)]
    if flt.sectors:
        rows = rows[rows["sector"].isin(flt.sectors)]
    if flt.mode == "period":
        counts = {}
        for s in STAGES:
            hit = rows[rows[f"{s}_on"].between(first, last)]
            if flt.units:
                hit = hit[_unit_on(hit, hit[f"{s}_on"], candidates.attrs["union_units"]).isin(flt.units)]
            counts[s] = len(hit)
        return counts
    cohort = rows[rows["referred_on"].between(first, last)]
    if flt.units:
        cohort = cohort[cohort["unit_code"].isin(flt.units)]
    result = {}
    for stage in STAGES:
        reached = cohort[f"{stage}_on"].notna()
        if flt.window_days is not None:
            reached &= (cohort[f"{stage}_on"] - cohort["referred_on"]).dt.days <= flt.window_days
        result[stage] = int(reached.sum())
    return result


def layer_counts(con, flt: Filter) -> dict[str, int]:
    row = queries.funnel(con, flt).iloc[0]
    return {s: int(row[s]) for s in STAGES}


def test_published_figures_jan_sep_2022(sample_con):
    figures = layer_counts(sample_con, PUBLISHED)
    assert (figures["referred"], figures["trained"], figures["admitted"]) == (2339, 1220, 251)


def test_published_non_state_trained(sample_con):
    assert layer_counts(sample_con, replace(PUBLISHED, sectors=("domestic", "fdi")))["trained"] == 659


def test_admission_rate_of_the_published_period_is_10_7_percent(sample_con):
    row = queries.funnel(sample_con, PUBLISHED).iloc[0]
    assert round(row["admitted_overall_rate"] * 100, 1) == 10.7


MONTHS = Month(2026, 10).minus(Month(2019, 1)) + 1  # the sample's span


def _random_filter(rng: random.Random) -> Filter:
    start = Month(2019, 1).shift(rng.randrange(MONTHS))
    end = start.shift(rng.randrange(min(24, MONTHS - Month(2019, 1).minus(start))))
    districts = tuple(rng.sample([str(c) for c in range(718, 727)], rng.choice([0, 0, 1, 2, 3])))
    units = tuple(rng.sample([f"BD{n:02d}" for n in range(1, 37)], rng.choice([0, 0, 0, 1, 3])))
    sectors = tuple(rng.sample(["state", "domestic", "fdi"], rng.choice([0, 0, 1, 2])))
    mode = rng.choice(["period", "cohort"])
    window = rng.choice([None, None, 30, 90, 365]) if mode == "cohort" else None
    return Filter(start, end, districts, sectors, mode, window, units)


@pytest.mark.parametrize("seed", range(60))
def test_layer_agrees_with_an_independent_count(sample_con, candidates, seed):
    flt = _random_filter(random.Random(seed))
    assert layer_counts(sample_con, flt) == independent_counts(candidates, flt), flt


@pytest.mark.parametrize("by", ["district", "unit", "sector", "month", "year", "union", "gender"])
def test_breakdowns_add_up_to_the_total(sample_con, by):
    flt = Filter(Month(2024, 4), Month(2026, 3))  # across the reorganisation
    total = layer_counts(sample_con, flt)
    parts = queries.funnel(sample_con, flt, by=by)
    assert {s: int(parts[s].sum()) for s in STAGES} == total
