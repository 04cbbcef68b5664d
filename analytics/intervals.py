"""How sure a rate is: 95 % intervals of rates and of their differences, funnel-plot control limits.

Two kinds of rate, chosen per measure and counting mode by :func:`kind`:

- ``binomial``: a share of the same people (cohort mode: of those referred, how many were trained), ``k``
  of ``n`` with ``k <= n``. Interval: Wilson's score interval.
- ``poisson``: events counted against a size taken as fixed (period mode: the period's trainings per
  referral of the same period, which can pass 100 %; referrals per 1,000 union members). Interval: the
  score interval of a Poisson count divided by the size.

A difference of two rates (this year against last) takes the two rates' intervals and combines them by
Newcombe's hybrid score method ("method 10"; with Wilson intervals it is exactly Newcombe 1998, and the
same square-and-add rule, Zou and Donner's MOVER, serves Poisson rates). A change of a count is judged by
the conditional test of two Poisson counts: given ``now + before`` events, ``now`` is binomial with
chance 1/2 when nothing changed. Progress to a target has no interval: a target is a chosen number, not a
sample.

Funnel plots (Spiegelhalter 2005) draw the provincial rate ``p0`` and the limits ``p0 ± z·sqrt(p0(1−p0)/n)``
(binomial) or ``p0 ± z·sqrt(p0/n)`` (Poisson) against the group's size ``n``.

Every function works on plain numbers and on numpy arrays alike; a rate with size 0 has no interval (NaN).
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from analytics import model

#: Two-sided 95 % and 99.8 % normal quantiles (1.96 and 3.09).
Z95 = NormalDist().inv_cdf(0.975)
Z998 = NormalDist().inv_cdf(0.999)

KINDS = ("binomial", "poisson")
#: The suffixes of a measure's interval columns: ``<rate>_low``, ``<rate>_high``.
BOUNDS = ("low", "high")


def _sized(n):
    """``n`` as floats with 0 (no size, no interval) as NaN."""
    n = np.asarray(n, dtype=float)
    return np.where(n > 0, n, np.nan)


def wilson(k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson's score interval of the proportion ``k / n``: the proportions a score test at ``z`` does not
    reject. Centre ``(k + z²/2) / (n + z²)``, half-width ``z / (n + z²) · sqrt(k(n − k)/n + z²/4)``."""
    k, n = np.asarray(k, dtype=float), _sized(n)
    centre = (k + z * z / 2) / (n + z * z)
    half = z / (n + z * z) * np.sqrt(np.clip(k * (n - k) / n, 0, None) + z * z / 4)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def poisson(k, size, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """The score interval of the rate ``k / size`` for a Poisson count ``k``: the means ``λ`` with
    ``(k − λ)² <= z²λ``, that is ``k + z²/2 ± z·sqrt(k + z²/4)``, divided by ``size``."""
    k, size = np.asarray(k, dtype=float), _sized(size)
    half = z * np.sqrt(k + z * z / 4)
    return np.clip(k + z * z / 2 - half, 0, None) / size, (k + z * z / 2 + half) / size


def interval(kind_: str, k, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """The interval of ``k / n`` of the given kind (``binomial`` or ``poisson``)."""
    return wilson(k, n, z) if kind_ == "binomial" else poisson(k, n, z)


def difference(rate1, bounds1, rate2, bounds2) -> tuple[np.ndarray, np.ndarray]:
    """The interval of ``rate1 − rate2`` from each rate's own interval (Newcombe's method 10, MOVER):
    ``d − sqrt((r1 − l1)² + (u2 − r2)²)`` to ``d + sqrt((u1 − r1)² + (r2 − l2)²)``."""
    (low1, high1), (low2, high2) = bounds1, bounds2
    d = np.asarray(rate1, dtype=float) - rate2
    return (d - np.sqrt((rate1 - low1) ** 2 + (high2 - rate2) ** 2),
            d + np.sqrt((high1 - rate1) ** 2 + (rate2 - low2) ** 2))


def newcombe(k1, n1, k2, n2, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Newcombe's hybrid score interval (method 10) of the difference of proportions ``k1/n1 − k2/n2``."""
    return difference(np.asarray(k1) / _sized(n1), wilson(k1, n1, z), np.asarray(k2) / _sized(n2), wilson(k2, n2, z))


def count_changed(now, before, z: float = Z95) -> np.ndarray:
    """Whether a count's change on an earlier equal period is more than chance: the Wilson interval of
    ``now / (now + before)`` leaves out 1/2 (the conditional test of two Poisson counts). False when either
    count is missing (hidden) or both are 0."""
    now, before = np.asarray(now, dtype=float), np.asarray(before, dtype=float)
    low, high = wilson(now, now + before, z)
    return (np.nan_to_num(low, nan=0) > 0.5) | (np.nan_to_num(high, nan=1) < 0.5)


def control_limits(kind_: str, p0: float, n, z: float) -> tuple[np.ndarray, np.ndarray]:
    """A funnel plot's limits at size ``n`` around the provincial rate ``p0`` (Spiegelhalter 2005, normal
    approximation): ``p0 ± z·sqrt(p0(1 − p0)/n)`` for a proportion (kept within 0..1), ``p0 ± z·sqrt(p0/n)``
    for a Poisson rate (kept at or above 0)."""
    n = _sized(n)
    spread = z * np.sqrt((p0 * (1 - p0) if kind_ == "binomial" else p0) / n)
    return np.clip(p0 - spread, 0, None), np.clip(p0 + spread, None, 1 if kind_ == "binomial" else None)


def kind(measure: model.Measure, mode: str) -> str | None:
    """How ``measure``'s uncertainty is modelled in counting ``mode``: a stage over an earlier stage is a
    proportion of the same people in a cohort (``binomial``) and a ratio of two event counts in a period
    (``poisson``); per 1,000 members is ``poisson``; counts and progress to a target have no interval."""
    stages = model.stage_keys()
    if measure.kind == "per_1000":
        return "poisson"
    if measure.kind == "ratio" and measure.denominator in stages:
        return "binomial" if mode == "cohort" else "poisson"
    return None


def columns(measure_key: str) -> tuple[str, str]:
    """The names of a measure's interval columns."""
    return tuple(f"{measure_key}_{bound}" for bound in BOUNDS)


def with_intervals(frame: pd.DataFrame, mode: str, z: float = Z95) -> pd.DataFrame:
    """``frame`` with each shown rate's interval beside it (``<rate>_low``, ``<rate>_high``), from the same
    summed counts as the rate. A rate that is missing (no denominator, or hidden from an audience) has no
    interval: nothing is computed from a count the frame does not show."""
    arrays: dict[str, np.ndarray] = {}  # each column read once, as floats

    def floats(column: str) -> np.ndarray:
        if column not in arrays:
            values = frame[column]
            if not pd.api.types.is_numeric_dtype(values.dtype):  # ~0,1 ms a column: only for text (hidden) ones
                values = pd.to_numeric(values, errors="coerce")
            arrays[column] = values.to_numpy(dtype="float64", na_value=np.nan)
        return arrays[column]

    bounds = {}
    for measure in model.measures().values():
        method = kind(measure, mode)
        if method is None or measure.key not in frame:
            continue
        size = floats(measure.denominator) / measure.scale  # per 1,000: members in thousands
        low, high = interval(method, floats(measure.numerator), size, z)
        shown = ~np.isnan(floats(measure.key))
        for name, values in zip(columns(measure.key), (low, high)):
            bounds[name] = np.where(shown, values, np.nan)
    # One new block of columns: inserting them one by one cost more than the rest of the call.
    return pd.concat([frame, pd.DataFrame(bounds, index=frame.index)], axis=1) if bounds else frame.copy()
