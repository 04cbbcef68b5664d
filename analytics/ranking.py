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
