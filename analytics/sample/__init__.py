"""Synthetic, deterministic sample data for the funnel: Bình Dương, 2019-01-01 … 2026-10-31, across the
reorganisation of 1 July 2025 (district level abolished; the province became part of Hồ Chí Minh City and
its 91 communes became 36 wards and communes).

Model (every draw comes from ``numpy.random.default_rng(seed)``, split into one child stream per part):

* Geography: the units and crosswalk of ``data/reference`` (:mod:`analytics.geography`): the nine former
  districts until 2025-06-30, the 36 new units from 2025-07-01 (provisional codes BD01…BD36), each mapped
  to its main former district.
* Unions (:mod:`.unions`): about 4,100 grassroots unions (CĐCS) spread over the districts with the weights
  in ``common.DISTRICTS``; the industrial cities hold most of them, and many non-state unions sit in a real
  industrial zone and report to "Công đoàn các KCN". From the reform each union belongs to one of the new
  units covering its district (``union_units`` holds each union's unit over time), so a union referring
  people in 2024 and 2026 is one union.
* Referrals (:mod:`.candidates`): monthly count = yearly level × seasonality (Tết month low, mid-year
  high) × COVID factor (April 2020 distancing, the Jul–Sep 2021 lockdown), Poisson. Each referral gets a
  district (fixed shares), a sector (district mix: state unions refer far more per member), then a union
  of that district and sector (weighted by a lognormal size); after the reform it is referred in the
  union's new unit, and its former district is that unit's main district.
* Stages: class with a probability by sector × district × year, 10 days to a few months after
  referral; admission with a probability by sector × year, typically 2–9 months after the class; official
  365 + 7…35 days after admission. Classes and admissions that would fall in the 2021 lockdown are
  postponed. A date after 2026-10-31 is null (not reached yet), and so are the stages after it.
* Membership and targets (:mod:`.denominators`): province totals per year (about 1.2 M workers in 2022,
  1.3 M and 822,000 union members in 2023) apportioned over district × sector, from 2025 over the new
  units; targets a little above the achieved period activity, rounded to 5 or 10.

Calibration: Jan–Sep 2022 period activity for the province is exactly 2,339 referred, 1,220 trained
(561 state + 659 non-state) and 251 admitted. The 2,339 referrals are allocated over those nine
months by construction; the rates above are tuned so that the natural figures land close
(default seed: 2,339 / 1,231 trained = 552 state + 679 non-state / 250 admitted), then the calibration
adds or removes the few missing or surplus events (default seed: 30 candidate rows touched: +9 state
classes, -20 non-state classes, +1 admission). The natural figures and the number of rows touched are kept
in the candidates table's schema metadata (``sample_calibration``). The referrals before the reform use the
same streams as the sample did before it was extended, so those rows did not change; the months after it
have a stream of their own.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analytics import events
from analytics.geography import Geography, reference_tables
from analytics.sample.candidates import build_candidates
from analytics.sample.common import DISTRICTS
from analytics.sample.denominators import Areas, build_membership, build_targets
from analytics.sample.unions import build_unions, new_units, union_units_table, unions_table

SEED = 20221021


def _district_codes(geography: Geography) -> list[str]:
    """The sorted former district codes of the reference units, checked against the sample's weights."""
    codes = sorted({u.code for u in geography.areas(["district"])})
    if codes != sorted(DISTRICTS):
        raise ValueError(f"the reference districts {codes} do not match the sample weights")
    return codes


def build_sample(seed: int = SEED) -> dict[str, pa.Table]:
    """All curated sample tables: candidates, unions, union_units, membership, targets, units, crosswalk and
    the calendar of events."""
    unions_rng, candidates_rng, membership_rng, targets_rng, reform_rng = np.random.default_rng(seed).spawn(5)
    reference = reference_tables()
    geography = Geography(reference["units"], reference["crosswalk"])
    codes = _district_codes(geography)
    unit_codes = list(dict.fromkeys(u.code for u in geography.areas()))
    unions = build_unions(unions_rng, codes)
    units_after = new_units(reform_rng, unions, geography)
    areas = Areas(unions, units_after, geography)
    candidates = build_candidates(candidates_rng, unions, codes, units_after, geography)
    return {
        "candidates": candidates,
        "unions": unions_table(unions, codes),
        "union_units": union_units_table(unions, units_after, geography),
        "membership": build_membership(membership_rng, codes, areas, unit_codes),
        "targets": build_targets(targets_rng, candidates, codes, areas, unit_codes),
        **reference,
        "calendar": events.reference_table(),
    }


def write_sample(out_dir: Path, seed: int = SEED) -> dict[str, int]:
    """Write ``<name>.parquet`` for every sample table atomically (temp file + rename); row counts."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name, table in build_sample(seed).items():
        final = out_dir / f"{name}.parquet"
        tmp = out_dir / f".{name}.parquet.{os.getpid()}.tmp"
        try:
            pq.write_table(table, tmp, compression="zstd")
            os.replace(tmp, final)
        finally:
            tmp.unlink(missing_ok=True)
        counts[name] = table.num_rows
    return counts
