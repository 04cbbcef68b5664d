"""Candidates: referrals month by month, the later stages with believable delays, and the calibration
that makes January–September 2022 exactly the published figures.

The referrals up to the day before the reform (1 July 2025) come from the streams the sample has always
used, so those rows are the same as before the sample was extended; the months after it have a stream of
their own, and their people are referred in the new wards and communes of their unions.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from analytics import model
from analytics.geography import Geography
from analytics.sample.common import (
    DISTRICTS,
    FIRST_DAY,
    HORIZON,
    NEVER,
    SECTORS,
    WINDOW,
    WINDOW_ADMITTED,
    WINDOW_REFERRED,
    WINDOW_TRAINED,
    date_column,
    day,
    dictionary,
)

# Pseudonymisation key for the SAMPLE only (public on purpose); real ingest uses a secret key.
SAMPLE_KEY = b"party-funnel-sample-key-v1"
GENDERS = ("female", "male")
AGE_BANDS = ("18-24", "25-29", "30-34", "35-39", "40+")

# Referrals: expected yearly level (2022 follows from the exact Jan–Sep allocation), seasonality
# by month, the Tết month, and COVID factors by (year, month).
_LEVEL = {2019: 3050, 2020: 2950, 2021: 2950, 2023: 3150, 2024: 3220, 2025: 3260, 2026: 3300}
_SEASON = (0.85, 0.85, 0.95, 1.0, 1.1, 1.2, 1.25, 1.2, 1.1, 1.05, 1.0, 1.0)
_TET_MONTH = {2019: 2, 2020: 1, 2021: 2, 2022: 2, 2023: 1, 2024: 2, 2025: 1, 2026: 2}
_TET_FACTOR = 0.55
# fmt: off
_COVID = {
    (2020, 4): 0.45, (2020, 5): 0.8,
    (2021, 5): 0.9, (2021, 6): 0.8, (2021, 7): 0.35, (2021, 8): 0.25, (2021, 9): 0.35, (2021, 10): 0.7, (2021, 11): 0.9,
}
# fmt: on
# No classes or admission ceremonies in these periods: events are postponed to after them.
_CLOSED = (
    (np.datetime64("2020-04-01"), np.datetime64("2020-04-22")),
    (np.datetime64("2021-07-01"), np.datetime64("2021-09-30")),
)

# Conversion probabilities by sector (state, domestic, fdi) and year factors (by referral year).
_CLASS_RATE = (0.915, 0.49, 0.42)
_ADMIT_RATE = (0.345, 0.24, 0.21)
_OFFICIAL_RATE = 0.97
_YEAR_RATE = {2019: 1.0, 2020: 0.93, 2021: 0.88, 2022: 1.0, 2023: 1.03, 2024: 1.05, 2025: 1.05, 2026: 1.06}
_FEMALE = (0.46, 0.57, 0.63)
_AGE = (0.08, 0.26, 0.30, 0.22, 0.14)

def _month_weight(year: int, month: int) -> float:
    """Relative referral intensity of a month: seasonality, the Tết month and COVID."""
    season = _TET_FACTOR if _TET_MONTH[year] == month else _SEASON[month - 1]
    return season * _COVID.get((year, month), 1.0)


def _months(first: np.datetime64, last: np.datetime64) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The months from ``first`` to ``last`` (inclusive), their years and their weights."""
    months = np.arange(first.astype("datetime64[M]"), last.astype("datetime64[M]") + 1)
    years = months.astype("datetime64[Y]").astype(int) + 1970
    month_no = months.astype(int) % 12 + 1
    return months, years, np.array([_month_weight(y, m) for y, m in zip(years, month_no, strict=True)])


def _days_in(rng: np.random.Generator, months: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """``counts[i]`` random days in each month ``months[i]``, sorted."""
    starts = months.astype("datetime64[D]").astype(np.int64)
    ends = (months + 1).astype("datetime64[D]").astype(np.int64)
    return np.sort(np.concatenate([rng.integers(s, e, size=n) for s, e, n in zip(starts, ends, counts, strict=True)]))


def referral_days(rng: np.random.Generator, last: np.datetime64) -> np.ndarray:
    """Sorted referral day numbers from 2019-01 to ``last``'s month, exactly ``WINDOW_REFERRED`` in Jan–Sep 2022."""
    months, years, weights = _months(FIRST_DAY, last)
    in_window = (months >= WINDOW[0].astype("datetime64[M]")) & (months <= WINDOW[1].astype("datetime64[M]"))
    per_unit = WINDOW_REFERRED / weights[in_window].sum()  # the 2022 level per unit of weight
    expected = np.array([per_unit if y == 2022 else _LEVEL[y] / 12 for y in years]) * weights
    counts = rng.poisson(expected)
    counts[in_window] = rng.multinomial(WINDOW_REFERRED, weights[in_window] / weights[in_window].sum())
    return _days_in(rng, months, counts)


def later_referral_days(rng: np.random.Generator, first: np.datetime64, last: np.datetime64) -> np.ndarray:
    """Sorted referral day numbers for the months from ``first`` to ``last`` (no calibration there)."""
    months, years, weights = _months(first, last)
    counts = rng.poisson(np.array([_LEVEL[y] / 12 for y in years]) * weights)
    return _days_in(rng, months, counts)


def _pick_unions(rng: np.random.Generator, unions: dict[str, list], codes: list[str], n: int) -> np.ndarray:
    """Union index of each of ``n`` referrals: district by share, sector by district mix, union by size."""
    district_p = np.array([DISTRICTS[c].referrals for c in codes])
    district = rng.choice(len(codes), size=n, p=district_p / district_p.sum())
    u = rng.random(n)
    union_district = np.array(unions["district_code"])
    union_sector = np.array(unions["sector"])
    size = np.array(unions["size"])
    picked = np.empty(n, dtype=np.int64)
    for i, code in enumerate(codes):
        d = DISTRICTS[code]
        state = d.state_referrals
        fdi = (1 - state) * d.fdi_of_non_state * 0.85
        cut = np.searchsorted(np.cumsum([state, 1 - state - fdi]), u[district == i], side="right")
        rows = np.flatnonzero(district == i)
        for s, sector in enumerate(SECTORS):
            pool = np.flatnonzero((union_district == code) & (union_sector == sector))
            chosen = rows[cut == s]
            picked[chosen] = rng.choice(pool, size=len(chosen), p=size[pool] / size[pool].sum())
    return picked


def _postpone(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """Move events that fall in a closed period (COVID) to the weeks after it."""
    days = days.copy()
    for start, end in _CLOSED:
        inside = (days >= day(start)) & (days <= day(end))
        days[inside] = day(end) + 1 + rng.integers(0, 45, size=int(inside.sum()))
    return days


def _cut_at_horizon(*stages: np.ndarray) -> None:
    """Null (``NEVER``) every stage after the horizon and every stage after a null one, in place."""
    reached = np.ones(len(stages[0]), dtype=bool)
    for days in stages:
        reached &= days <= day(HORIZON)
        days[~reached] = NEVER


def simulate_stages(
    rng: np.random.Generator, referred: np.ndarray, sector: np.ndarray, district: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Natural class, admission and official dates (``NEVER`` = not reached) for each referral."""
    n = len(referred)
    year = (referred.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970).astype(int)
    year_rate = np.array([_YEAR_RATE[y] for y in year])
    class_p = np.array(_CLASS_RATE)[sector] * np.array([DISTRICTS[c].class_rate for c in district]) * year_rate
    admit_p = np.array(_ADMIT_RATE)[sector] * year_rate
    trained = _postpone(rng, referred + 10 + np.round(rng.gamma(2.0, 30.0, n)).astype(np.int64))
    admitted = _postpone(rng, trained + 45 + np.round(rng.gamma(2.5, 55.0, n)).astype(np.int64))
    official = admitted + 365 + rng.integers(7, 36, size=n)
    trained[rng.random(n) >= np.minimum(class_p, 0.97)] = NEVER
    admitted[rng.random(n) >= admit_p] = NEVER
    official[rng.random(n) >= _OFFICIAL_RATE] = NEVER
    _cut_at_horizon(trained, admitted, official)
    return trained, admitted, official


def _in_window(days: np.ndarray) -> np.ndarray:
    """Whether each day number falls in the calibration window (Jan–Sep 2022)."""
    return (days >= day(WINDOW[0])) & (days <= day(WINDOW[1]))


def _window_counts(sector: np.ndarray, trained: np.ndarray, admitted: np.ndarray) -> dict[str, int]:
    """Jan–Sep 2022 period activity used by the calibration."""
    state = sector == SECTORS.index("state")
    return {
        "trained_state": int((_in_window(trained) & state).sum()),
        "trained_non_state": int((_in_window(trained) & ~state).sum()),
        "admitted": int(_in_window(admitted).sum()),
    }


def _ordered_choice(rng: np.random.Generator, rows: np.ndarray, k: int, first: np.ndarray) -> np.ndarray:
    """``k`` of ``rows`` at random, taking rows where ``first`` is true before the others."""
    rows = rng.permutation(rows)
    return rows[np.argsort(~first[rows], kind="stable")][:k]


def _calibrate(
    rng: np.random.Generator,
    referred: np.ndarray,
    sector: np.ndarray,
    trained: np.ndarray,
    admitted: np.ndarray,
    official: np.ndarray,
) -> int:
    """Add or remove the few class and admission events that make Jan–Sep 2022 exact, in place.

    Removing a class removes the later stages (rows without an admission go first); an added class
    falls in the window at least 7 days after a referral of the previous half-year or the window;
    an added admission falls in the window at least 30 days after a class of the previous year or
    the window, with the official date 365 + 7…35 days later. Returns the number of rows touched.
    """
    start, end = day(WINDOW[0]), day(WINDOW[1])
    touched = np.zeros(len(referred), dtype=bool)
    state = sector == SECTORS.index("state")
    for group, target in WINDOW_TRAINED.items():
        member = state if group == "state" else ~state
        gap = target - int((_in_window(trained) & member).sum())
        if gap < 0:
            rows = _ordered_choice(rng, np.flatnonzero(_in_window(trained) & member), -gap, admitted >= NEVER)
            trained[rows] = admitted[rows] = official[rows] = NEVER
        else:
            pool = np.flatnonzero(member & (trained >= NEVER) & (referred >= start - 183) & (referred <= end - 7))
            rows = rng.choice(pool, size=gap, replace=False)
            trained[rows] = rng.integers(np.maximum(referred[rows] + 7, start), end + 1)
        touched[rows] = True
    gap = WINDOW_ADMITTED - int(_in_window(admitted).sum())
    if gap < 0:
        rows = _ordered_choice(rng, np.flatnonzero(_in_window(admitted)), -gap, official >= NEVER)
        admitted[rows] = official[rows] = NEVER
    else:
        pool = np.flatnonzero((admitted >= NEVER) & (trained >= start - 365) & (trained <= end - 30))
        rows = rng.choice(pool, size=gap, replace=False)
        admitted[rows] = rng.integers(np.maximum(trained[rows] + 30, start), end + 1)
        official[rows] = admitted[rows] + 365 + rng.integers(7, 36, size=gap)
    touched[rows] = True
    return int(touched.sum())


def candidate_key(person_id: str, key: bytes = SAMPLE_KEY) -> str:
    """Pseudonymous candidate key: the first 16 hex chars of HMAC-SHA256(key, person id)."""
    return hmac.new(key, person_id.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


@dataclass
class _Cohort:
    """Referrals drawn together, as parallel arrays (day numbers; union, sector and stage indexes)."""

    referred: np.ndarray
    union: np.ndarray
    district: np.ndarray
    unit: np.ndarray
    sector: np.ndarray
    stages: tuple[np.ndarray, np.ndarray, np.ndarray]
    gender: np.ndarray
    age: np.ndarray


def _before_reform(rng: np.random.Generator, unions: dict[str, list], codes: list[str], reform: date) -> tuple:
    """The referrals before the reform, calibrated; their unit is their district. Returns the cohort and the
    calibration's record."""
    part = rng.spawn(3)
    referred = referral_days(part[0], np.datetime64(reform) - 1)
    n = len(referred)
    union = _pick_unions(part[1], unions, codes, n)
    district = np.array(unions["district_code"])[union]
    sector = np.array([SECTORS.index(s) for s in unions["sector"]])[union]
    trained, admitted, official = simulate_stages(part[2], referred, sector, district)
    natural = _window_counts(sector, trained, admitted)
    touched = _calibrate(part[2], referred, sector, trained, admitted, official)
    gender = (part[2].random(n) >= np.array(_FEMALE)[sector]).astype(int)
    age = part[2].choice(len(AGE_BANDS), size=n, p=_AGE)
    cohort = _Cohort(referred, union, district, district, sector, (trained, admitted, official), gender, age)
    return cohort, {"natural": natural, "rows_adjusted": touched}


def _after_reform(rng: np.random.Generator, unions: dict[str, list], codes: list[str], units_after: list[str],
                  geography: Geography) -> _Cohort:
    """The referrals from the reform to the horizon, in their unions' new units (a stream of their own)."""
    referred = later_referral_days(rng, np.datetime64(geography.reform_date()), HORIZON)
    n = len(referred)
    union = _pick_unions(rng, unions, codes, n)
    unit = np.array(units_after)[union]
    district = np.array([geography.district_of(u) for u in unit])
    sector = np.array([SECTORS.index(s) for s in unions["sector"]])[union]
    home = np.array(unions["district_code"])[union]  # the union's own ways: its former district's class rate
    stages = simulate_stages(rng, referred, sector, home)
    gender = (rng.random(n) >= np.array(_FEMALE)[sector]).astype(int)
    age = rng.choice(len(AGE_BANDS), size=n, p=_AGE)
    return _Cohort(referred, union, district, unit, sector, stages, gender, age)


def build_candidates(rng: np.random.Generator, unions: dict[str, list], codes: list[str], units_after: list[str],
                     geography: Geography) -> pa.Table:
    """The calibrated candidates table, sorted by referred_on then candidate_key: ``district_code`` is the
    former district (through the crosswalk after the reform), ``unit_code`` the unit at referral."""
    before, calibration = _before_reform(rng, unions, codes, geography.reform_date())
    after = _after_reform(rng.spawn(1)[0], unions, codes, units_after, geography)
    both = {name: np.concatenate([getattr(before, name), getattr(after, name)])
            for name in ("referred", "union", "district", "unit", "sector", "gender", "age")}
    stages = [np.concatenate(pair) for pair in zip(before.stages, after.stages, strict=True)]
    n = len(both["referred"])
    keys = np.array([candidate_key(f"sample-person-{i:06d}") for i in range(n)])
    if len(set(keys)) != n:
        raise ValueError("candidate_key collision")
    order = np.lexsort((keys, both["referred"]))
    area_codes = list(dict.fromkeys(u.code for u in geography.areas()))
    table = pa.table(
        {
            "candidate_key": pa.array(keys[order], pa.string()),
            "union_id": dictionary(np.array(unions["union_id"])[both["union"]][order], unions["union_id"]),
            "district_code": dictionary(both["district"][order], codes),
            "unit_code": dictionary(both["unit"][order], area_codes),
            "sector": dictionary([SECTORS[s] for s in both["sector"][order]], SECTORS),
            "gender": dictionary([GENDERS[g] for g in both["gender"][order]], GENDERS),
            "age_band": dictionary([AGE_BANDS[a] for a in both["age"][order]], AGE_BANDS),
            **{column: date_column(days[order]) for column, days in
               zip(model.date_columns(), (both["referred"], *stages), strict=True)},
        }
    )
    return table.replace_schema_metadata({"sample_calibration": json.dumps(calibration)})
