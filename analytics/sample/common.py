"""What every part of the sample shares: its span, the calibration targets, the districts' weights and
small helpers for day numbers and Arrow columns."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pyarrow as pa

from analytics import model

SECTORS = ("state", "domestic", "fdi")
STAGES = model.stage_keys()  # the simulation draws these four stages, in this order
YEARS = tuple(range(2019, 2027))

FIRST_DAY = np.datetime64("2019-01-01")
#: The last day of the sample: stage dates after it are not reached yet.
HORIZON = np.datetime64("2026-10-31")
WINDOW = (np.datetime64("2022-01-01"), np.datetime64("2022-09-30"))
WINDOW_REFERRED = 2339
WINDOW_TRAINED = {"state": 561, "non_state": 659}
WINDOW_ADMITTED = 251
NEVER = np.iinfo(np.int64).max // 4  # "not reached" while dates are day numbers


class District(NamedTuple):
    """Relative weights of one former district-level unit (shares are renormalised)."""

    referrals: float  # share of the province's referrals
    workers: float  # share of the province's workers
    unions: float  # share of the province's grassroots unions
    state_referrals: float  # share of the district's referrals from state units
    state_workers: float  # share of the district's workers in state units
    fdi_of_non_state: float  # FDI share of the non-state workers and unions
    in_zone: float  # share of non-state unions inside an industrial zone
    class_rate: float  # multiplier on the probability of attending the class


DISTRICTS = {
    "718": District(0.17, 0.13, 0.150, 0.46, 0.08, 0.50, 0.25, 1.05),
    "719": District(0.06, 0.06, 0.065, 0.25, 0.03, 0.62, 0.55, 0.95),
    "720": District(0.03, 0.02, 0.030, 0.53, 0.20, 0.30, 0.00, 1.10),
    "721": District(0.13, 0.14, 0.135, 0.25, 0.03, 0.63, 0.45, 0.92),
    "722": District(0.03, 0.02, 0.030, 0.51, 0.18, 0.30, 0.00, 1.08),
    "723": District(0.13, 0.13, 0.130, 0.25, 0.03, 0.58, 0.35, 0.97),
    "724": District(0.19, 0.22, 0.200, 0.25, 0.03, 0.62, 0.35, 1.00),
    "725": District(0.22, 0.24, 0.220, 0.24, 0.02, 0.65, 0.30, 0.94),
    "726": District(0.04, 0.04, 0.040, 0.33, 0.05, 0.50, 0.25, 1.02),
}


def day(value: np.datetime64) -> int:
    """Day number (days since 1970-01-01) of a date."""
    return int(value.astype("datetime64[D]").astype(np.int64))


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder, ties by index)."""
    quota = total * np.asarray(weights, dtype=float) / np.sum(weights)
    counts = np.floor(quota).astype(np.int64)
    order = np.argsort(-(quota - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def dictionary(values: np.ndarray | list[str], levels: tuple[str, ...] | list[str]) -> pa.Array:
    """A dictionary-encoded string column with a fixed, ordered dictionary."""
    index = {level: i for i, level in enumerate(levels)}
    codes = [index[v] for v in values]
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(levels, pa.string()))


def date_column(days: np.ndarray) -> pa.Array:
    """A date32 column from day numbers, ``NEVER`` becoming null."""
    never = days >= NEVER
    return pa.array(np.where(never, 0, days).astype(np.int32), pa.date32(), mask=never)
