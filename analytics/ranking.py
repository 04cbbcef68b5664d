"""Which groups a rate may be charted or ranked for: a rate of too few people is listed, never ranked."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analytics import intervals, model


def rateable(frame: pd.DataFrame, measure: model.Measure) -> pd.Series:
    """Whether each row's ``measure`` rests on enough people to chart or rank: a measure declared with
    ``small_groups = false`` needs at least :data:`model.MIN_GROUP` in its (stage count) denominator."""
    if measure.small_groups or measure.denominator not in frame:
        return pd.Series(True, index=frame.index)
    return frame[measure.denominator].fillna(0) >= model.MIN_GROUP


def ranked_areas(frame: pd.DataFrame) -> tuple[model.Measure | None, pd.DataFrame]:
    """Areas in the order a fair comparison puts them, first to last, and the measure it ranks by: the first
    stage's rate per 1,000 union members where at least two areas have one (large and small areas compared
    fairly), else (``None``) the first stage's count."""
    first = model.stages()[0].key
    measure = next((m for m in model.shown_in("card", first) if m.kind == "per_1000"), None)
    rated = frame.dropna(subset=[measure.key]) if measure and measure.key in frame else frame[:0]
    if len(rated) >= 2:
        return measure, rated.sort_values(measure.key, ascending=False)
    return None, frame.sort_values(first, ascending=False)


#: Breakdowns whose groups Explore compares on a funnel plot (many groups of very different sizes).
FUNNEL_PLOT = ("district", "unit", "union")
#: Where a group's rate falls against the funnel plot's limits at its size, from high to low.
LIMIT_STATUS = ("above_998", "above_95", "within", "below_95", "below_998")


def provincial_rate(totals: pd.Series, measure: model.Measure) -> float | None:
    """The whole slice's rate (the funnel plot's centre line): from the total counts, never an average of the
    groups' rates; None when it is hidden or has no denominator."""
    value = totals.get(measure.key)
    return None if value is None or pd.isna(value) else float(value)


def limit_status(rate: pd.Series, size: pd.Series, kind: str, p0: float) -> pd.Series:
    """Each group's place against the 95 % and 99.8 % control limits around ``p0`` at its own size."""
    low95, high95 = intervals.control_limits(kind, p0, size, intervals.Z95)
    low998, high998 = intervals.control_limits(kind, p0, size, intervals.Z998)
    status = np.select([rate > high998, rate > high95, rate < low998, rate < low95],
                       ["above_998", "above_95", "below_998", "below_95"], "within")
    return pd.Series(status, index=rate.index)


def leaderboard(frame: pd.DataFrame, measure: model.Measure, mode: str, p0: float | None) -> pd.DataFrame:
    """Every group of ``frame`` with its ``measure``, interval, numerator, size (the measure's denominator) and,
    when ``p0`` is known, its place against the funnel plot's limits at its size: first the groups large
    enough to rank (:func:`rateable`) by rate, highest first, numbered; then the others, listed unranked,
    largest first (a hidden or undefined rate has no place either)."""
    low, high = intervals.columns(measure.key)
    board = frame[["key", "label", measure.numerator, measure.denominator, measure.key, low, high]].rename(
        columns={measure.numerator: "numerator", measure.denominator: "size", measure.key: "rate",
                 low: "low", high: "high"})
    rated = board["rate"].notna()
    board["status"] = (limit_status(board["rate"], board["size"], intervals.kind(measure, mode), p0)
                       .where(rated, None) if p0 is not None else None)
    ranked = rateable(frame, measure) & rated
    top = board[ranked].sort_values(["rate", "size"], ascending=[False, False])
    rest = board[~ranked].sort_values("size", ascending=False)
    top = top.assign(rank=range(1, len(top) + 1))
    return pd.concat([top, rest.assign(rank=None)], ignore_index=True).astype({"rank": "Int64"})
