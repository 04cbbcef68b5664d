"""Which groups a rate may be charted or ranked for: a rate of too few people is listed, never ranked."""

from __future__ import annotations

import pandas as pd

from analytics import model


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
