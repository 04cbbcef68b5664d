"""What the benchmark replays: the queries a page runs for one refresh, and seeded dashboard interactions."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date

from analytics import comparison, model, overview, pace, ranking
from analytics.filters import Filter, Month

INTERACTIONS = ("period", "district", "unit", "sector", "mode", "breakdown", "download")


@dataclass(frozen=True)
class Call:
    """One query a page makes through ``ui.data.funnel``; ``role`` names it in the report."""

    role: str
    flt: Filter
    by: str | None
    limit: int | None = None


def overview_calls(flt: Filter, first: Month | None = None, as_of: date | None = None) -> list[Call]:
    """The distinct queries of one overview refresh (analytics/overview.py; one that repeats another, such as a
    year's previous period, which is its last year, is fetched once): totals, last year, the previous
    period, districts, trend and, without a sector filter, the non-state totals of the headline sentence and (in
    period mode, given the data's ``first`` month and last day ``as_of``) the pace of the year's targets."""
    calls = [
        Call("totals", flt, None),
        Call("same_period_last_year", comparison.baseline(flt, as_of or flt.last_day, "last_year"), None),
        Call("previous_period", comparison.baseline(flt, as_of or flt.last_day, "previous"), None),
        Call("by_district", flt, "district"),
        Call("monthly_trend", flt.trend(), "month"),
    ]
    calls += [Call("non_state", overview.non_state(flt), None)] if not flt.sectors else []
    if flt.mode == "period" and not flt.sectors and first is not None:  # the pace of the year's targets
        pace_as_of = min(flt.last_day, as_of or flt.last_day)
        roles = ("pace_so_far", "pace_profile")
        calls += [Call(role, f, by) for role, (f, by) in zip(roles, pace.queries(flt, flt.end.year, pace_as_of,
                                                                                  None, first))]
    distinct = {(call.flt, call.by): call for call in reversed(calls)}  # the page fetches each once: the first
    return [call for call in calls if distinct[(call.flt, call.by)] is call]


def explore_calls(flt: Filter, by: str) -> list[Call]:
    """The explore page's funnel queries (views/explore.py): the table of the groups with most referrals and, for
    the funnel plot of districts, units and unions, the whole selection's rates (its centre line)."""
    table = Call(f"explore_by_{by}", flt, by, model.table_limit(by))
    return [table, Call("explore_total", flt, None)] if by in ranking.FUNNEL_PLOT else [table]


def download_calls(flt: Filter) -> list[Call]:
    """The explore page's CSV download of every grassroots union (made on click, not on a refresh)."""
    return [Call("download_by_union", flt, "union")]


def random_period(rng: random.Random, first: Month, last: Month) -> tuple[Month, Month]:
    """A sidebar preset (month, quarter, 6 or 9 months, year) in a random year with data."""
    year = rng.randrange(first.year + 1, last.year + 1)
    preset = rng.choice(["month", "quarter", "half", "nine_months", "year"])
    if preset == "month":
        month = Month(year, rng.randrange(1, 13))
        start = end = month
    elif preset == "quarter":
        quarter = rng.randrange(4)
        start, end = Month(year, 3 * quarter + 1), Month(year, 3 * quarter + 3)
    else:
        start, end = Month(year, 1), Month(year, {"half": 6, "nine_months": 9, "year": 12}[preset])
    return min(start, last), min(end, last)  # a quarter that has not begun yet becomes the last month


def refreshes(kind: str, count: int, seed: int, districts: list[str], first: Month, last: Month,
              units: list[str] = ()) -> list[list[Call]]:
    """``count`` page refreshes after an interaction of ``kind``, each a list of calls (``units``: the
    wards and communes a "unit" interaction chooses from)."""
    rng = random.Random(f"{kind}-{seed}")
    base = Filter(Month(last.year, 1), last)
    pages = []
    for _ in range(count):
        if kind == "period":
            start, end = random_period(rng, first, last)
            flt = replace(base, start=start, end=end)
        elif kind == "district":
            flt = replace(base, districts=tuple(rng.sample(districts, rng.choice([1, 1, 2, 3]))))
        elif kind == "unit":
            flt = replace(base, units=tuple(rng.sample(list(units), rng.choice([1, 1, 2, 3]))))
        elif kind == "sector":
            flt = replace(base, sectors=tuple(rng.sample(model.sector_keys(), rng.choice([1, 2]))))
        elif kind == "mode":
            start, end = random_period(rng, first, last)
            flt = Filter(start, end, mode="cohort", window_days=rng.choice([None, None, 90, 180, 365]))
        elif kind == "download":
            start, end = random_period(rng, first, last)
            pages.append(download_calls(Filter(start, end, mode=rng.choice(["period", "cohort"]))))
            continue
        else:
            by = rng.choice([d for d in model.DIMENSIONS if d != "district"])
            pages.append(explore_calls(base, by))
            continue
        pages.append(overview_calls(flt, first, last.last_day))
    return pages
