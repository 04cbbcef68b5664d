"""Like-for-like comparisons: a period against the same months of last year or the previous equal period.

Both sides cover only the months of the period that have data (a period running past the data's end is
compared on its months with data), and a referral cohort still maturing is never compared beyond its first
stage (referrals are complete; the later stages will still grow).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pandas as pd

from analytics import access, model
from analytics.filters import Filter, Month

#: The baselines a period is compared with: the same months of last year, the previous equal period.
BASELINES = ("last_year", "previous")
#: The CLI's and URL's names of the baselines.
CLI_NAMES = {"last-year": "last_year", "previous": "previous"}


def comparable(flt: Filter, as_of: date) -> Filter:
    """``flt`` without the months after the data's end (at least its first month): what is compared."""
    return replace(flt, end=max(flt.start, min(flt.end, Month.of(as_of))))


def compared_months(flt: Filter, as_of: date) -> int | None:
    """How many months a comparison covers, when fewer than the period's (None: all of them)."""
    months = comparable(flt, as_of).months
    return months if months < flt.months else None


def baseline(flt: Filter, as_of: date, which: str) -> Filter:
    """The filter ``flt``'s comparable months are compared with: ``last_year`` or ``previous``."""
    months = comparable(flt, as_of)
    if which == "last_year":
        return months.same_period_last_year()
    if which == "previous":
        return months.previous_period()
    raise ValueError(f"unknown baseline '{which}'; use one of {', '.join(BASELINES)}")


def maturing(stage: str, immature: object) -> bool:
    """Whether ``stage`` of a cohort flagged ``immature`` (either side) is still growing: not comparable."""
    return stage != model.stage_keys()[0] and bool(immature) and not pd.isna(immature)


def immature(*totals: pd.Series | None) -> bool:
    """Whether any of the cohorts compared (total rows; None: no such side) is still maturing."""
    return any(bool(row.get("immature", False)) for row in totals if row is not None)


def change(now: object, before: object) -> float | None:
    """The relative change from ``before`` to ``now``; None with nothing to compare (0, or a hidden count)."""
    if pd.isna(now) or pd.isna(before) or not before:
        return None
    return (float(now) - float(before)) / float(before)


def with_changes(frame: pd.DataFrame, before: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``<stage>_before`` (the baseline's count of the same group) and ``<stage>_change`` for
    each stage; a group missing from the baseline had none. A change is missing when the baseline is 0, a
    count is hidden, or the stage is still maturing in either cohort."""
    keep = ["key", *model.stage_keys(), *(["immature"] if "immature" in before else [])]
    previous = before[keep].rename(columns={c: f"{c}__b" for c in keep if c != "key"})
    merged = frame.merge(previous, on="key", how="left")
    out = frame.copy()
    immature = pd.Series(False, index=merged.index)
    for column in ("immature", "immature__b"):
        if column in merged:
            immature |= merged[column].fillna(False).astype(bool)
    stages = model.stage_keys()
    for stage in stages:
        # a group absent from the baseline counted 0 there; a hidden count stays hidden
        out[f"{stage}_before"] = merged[f"{stage}__b"].where(merged["key"].isin(before["key"]), 0)
        out[f"{stage}_change"] = pd.Series([None if maturing(stage, young) else change(now, then) for now, then, young
                                            in zip(frame[stage], out[f"{stage}_before"], immature)], dtype=float)
    return out


def funnel(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter, by: str | None, lang: str,
           which: str, as_of: date, limit: int | None = None) -> pd.DataFrame:
    """The funnel of ``flt`` (through :func:`access.funnel`) with each stage's count in ``which`` baseline,
    like for like, and its change (:func:`with_changes`); both sides as ``principal`` may see them."""
    flt = access.authorize(principal, flt)
    frame = access.funnel(con, principal, flt, by, lang, limit)
    before = access.funnel(con, principal, baseline(flt, as_of, which), by, lang)
    return with_changes(frame, before)
