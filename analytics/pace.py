"""Targets and pace: is the year's target on track, given how the year usually goes?

Where an area should be by a month's end is the target times the share of a year's events that past years
had by then (the seasonal profile: Tết in January or February, the busy middle of the year), not a
straight line. The year-end projection scales what has happened so far by that share; its 95 % interval
combines how much the share varied between past years with the Poisson variation of the months still to
come. Status:

* ``on_track``: at or ahead of where the profile says the area should be;
* ``at_risk``: behind that, but the target is still inside the projection's interval;
* ``behind``: even the interval's upper end falls short of the target;
* ``no_target``: no target was set;
* ``hidden``: the count so far is hidden from the audience (:mod:`analytics.disclosure`), so is its pace.

Every number comes through :func:`analytics.access.funnel` (period activity, the year's months up to the
as-of month), like the pages.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from analytics import access, model
from analytics.filters import Filter, Month

#: Complete past years the seasonal profile is taken from.
PROFILE_YEARS = 3
Z95 = 1.959964
#: The statuses of a stage with a target and a count to measure against it.
TRACKED = ("on_track", "at_risk", "behind")
STATUSES = (*TRACKED, "no_target", "hidden")


@dataclass(frozen=True)
class Profile:
    """The share of a year's events that happened by the end of a month, and how it varied between years."""

    share: float
    spread: float  # standard deviation of the share between the years (0 with one year)
    years: tuple[int, ...]  # the years it comes from; empty: no past year, a straight line was used


def profile(monthly: dict[int, list[float]], month: int) -> Profile:
    """The seasonal profile at ``month`` (1–12) from ``{year: twelve monthly counts}`` of complete years; a
    straight line (``month / 12``) when no year has any events."""
    shares = {year: sum(counts[:month]) / sum(counts) for year, counts in monthly.items() if sum(counts) > 0}
    if not shares:
        return Profile(month / 12, 0.0, ())
    values = list(shares.values())
    return Profile(statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0,
                   tuple(sorted(shares)))


def projection(actual: float, seasonal: Profile) -> tuple[float | None, float | None, float | None]:
    """The year-end count projected from ``actual`` so far, and its 95 % interval (never below ``actual``); none
    when the past years had no event by now (a share of 0: the count so far says nothing about the year)."""
    if seasonal.share >= 1:
        return actual, actual, actual
    if seasonal.share <= 0:
        return None, None, None
    central = actual / seasonal.share
    remaining = central - actual
    from_share = actual * seasonal.spread / seasonal.share**2  # delta method: d(actual / share) / d(share)
    half = Z95 * math.sqrt(remaining + from_share**2)
    return central, max(actual, central - half), central + half


def status(actual: float, expected: float, high: float, target: float | None) -> str:
    """One of :data:`STATUSES` (see the module's description)."""
    if target is None or not target > 0:
        return "no_target"
    if pd.isna(actual):
        return "hidden"
    if actual >= expected:
        return "on_track"
    return "at_risk" if high >= target else "behind"


def queries(flt: Filter, year: int, as_of: date, by: str | None, first: Month) -> list[tuple[Filter, str | None]]:
    """The funnel queries behind :func:`pace`: the year so far (January to ``as_of``'s month) by ``by``, and
    the complete past years month by month for the profile (at most :data:`PROFILE_YEARS`, none before the
    data's ``first`` month), for the whole of what ``flt`` selects."""
    month = as_of.month if as_of.year == year else 12
    so_far = replace(flt, start=Month(year, 1), end=Month(year, month), mode="period", window_days=None)
    years = [y for y in range(year - PROFILE_YEARS, year) if y > first.year or (y == first.year and first.month == 1)]
    past = replace(so_far, start=Month(years[0], 1), end=Month(years[-1], 12)) if years else None
    return [(so_far, by)] + ([(past, "month")] if past else [])


def _monthly_profiles(by_month: pd.DataFrame) -> dict[str, dict[int, list[float]]]:
    """{stage: {year: twelve monthly counts}} from a funnel by month over whole years."""
    years = sorted({int(key[:4]) for key in by_month["key"]})
    months = [[f"{y}-{m:02d}" for m in range(1, 13)] for y in years]
    profiles = {}
    for stage in model.stage_keys():
        count = dict(zip(by_month["key"], by_month[stage].astype(float), strict=True))  # one column at a time
        profiles[stage] = {y: [count[key] for key in keys] for y, keys in zip(years, months, strict=True)}
    return profiles


def pace(con, principal: access.Principal, flt: Filter, year: int, as_of: date, by: str | None,
         lang: str, first: Month, funnel: Callable[[Filter, str | None], pd.DataFrame] | None = None) -> pd.DataFrame:
    """Per area (``by`` ``district`` or ``unit``, or None for the whole selection) and stage: the year's
    target, the count so far (January to ``as_of``'s month), where the profile says it should be, the gap in
    people, the status and the year-end projection with its interval. ``first`` is the data's first month;
    ``funnel(filter, by)`` fetches :func:`access.funnel` for them, if the caller keeps what it fetched."""
    funnel = funnel or (lambda f, grouped: access.funnel(con, principal, f, grouped, lang))
    month = as_of.month if as_of.year == year else 12
    (so_far, _), *past = queries(flt, year, as_of, by, first)
    actual = funnel(so_far, by)
    profiles = _monthly_profiles(funnel(past[0][0], "month")) if past else {}
    rows = []
    for stage in model.stage_keys():
        seasonal = profile(profiles.get(stage, {}), month)
        target_column = next((t.key for t in model.target_inputs() if t.stage == stage), None)
        for _, group in actual.iterrows():
            target = group.get(target_column)
            target = None if target is None or pd.isna(target) else float(target)
            count = group[stage]
            expected = target * seasonal.share if target is not None else None
            central, low, high = projection(count, seasonal) if not pd.isna(count) else (None, None, None)
            rows.append({
                "key": group["key"], "label": group["label"], "stage": stage, "target": target, "actual": count,
                "expected": _tenth(expected), "gap": None if expected is None or pd.isna(count)
                else _tenth(count - expected), "status": status(count, expected or 0, high or 0, target),
                "projection": _tenth(central), "projection_low": _tenth(low), "projection_high": _tenth(high),
                "share_expected": round(seasonal.share, 4), "profile_years": ",".join(map(str, seasonal.years)),
            })
    return pd.DataFrame(rows)


def _tenth(value: float | None) -> float | None:
    """People to one decimal (an expected count is a share of a target)."""
    return None if value is None or pd.isna(value) else round(float(value), 1)
