"""Union members, workers and yearly targets: province totals apportioned over district × sector, and from
the reform year on over the new wards and communes (by where each district's unions went)."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pyarrow as pa

from analytics import model
from analytics.geography import Geography
from analytics.sample.common import DISTRICTS, SECTORS, STAGES, YEARS, apportion, dictionary

_YEARLY_GROWTH = {"719": 0.03, "721": 0.03, "723": 0.03, "724": -0.01, "725": -0.01, "726": 0.04}
# Province totals per year (about 1.2 M workers in 2022, 1.3 M and 822,000 union members in 2023); union
# membership rate by sector before scaling.
_WORKERS = dict(zip(YEARS, (1_104_820, 1_118_350, 1_086_930, 1_206_340, 1_302_570, 1_318_210, 1_327_460,
                            1_335_900), strict=True))
_MEMBERS = dict(zip(YEARS, (716_240, 731_480, 702_160, 781_590, 822_146, 829_370, 833_020, 838_410),
                    strict=True))
_MEMBER_RATE = (0.88, 0.52, 0.68)


class Areas:
    """Where a district's figures go in a year: the district itself before the reform year, its new units
    from then on, in proportion to the district's unions of that sector (of any sector if it has none)."""

    def __init__(self, unions: dict[str, list], units_after: list[str], geography: Geography):
        self.reform_year = geography.reform_date().year
        self.geography = geography
        self.unions = Counter(zip(unions["district_code"], unions["sector"], units_after, strict=True))

    def split(self, year: int, district: str, sector: str | None, total: int) -> list[tuple[str, int]]:
        """``total`` of ``district`` (one sector, or all) as (unit, amount) for ``year``."""
        if year < self.reform_year:
            return [(district, total)]
        weights = Counter({unit: n for (d, s, unit), n in self.unions.items()
                           if d == district and sector in (None, s)})
        if not weights:
            weights = Counter({unit: n for (d, _, unit), n in self.unions.items() if d == district})
        units = sorted(weights)
        return list(zip(units, apportion(total, np.array([weights[u] for u in units], dtype=float)).tolist(),
                        strict=True))

    def district_of(self, unit: str) -> str:
        return self.geography.district_of(unit)


def _district_cells(rng: np.random.Generator, year: int, codes: list[str]) -> list[tuple[str, int, int, int]]:
    """(district, sector index, union members, workers) of a year, summing to the province totals."""
    cells = [(c, s) for c in codes for s in range(len(SECTORS))]
    workers_w, members_w = [], []
    for code, s in cells:
        d = DISTRICTS[code]
        share = d.workers * (1 + _YEARLY_GROWTH.get(code, 0.0)) ** (year - YEARS[0])
        mix = (d.state_workers, (1 - d.state_workers) * (1 - d.fdi_of_non_state),
               (1 - d.state_workers) * d.fdi_of_non_state)[s]
        w = share * mix * rng.normal(1.0, 0.02)
        workers_w.append(w)
        members_w.append(w * _MEMBER_RATE[s] * rng.normal(1.0, 0.02))
    workers = apportion(_WORKERS[year], np.array(workers_w))
    members = apportion(_MEMBERS[year], np.array(members_w))
    if (members > workers).any():
        raise ValueError(f"{year}: more union members than workers in a cell")
    return [(code, s, int(m), int(w)) for (code, s), m, w in zip(cells, members, workers, strict=True)]


def build_membership(rng: np.random.Generator, codes: list[str], areas: Areas, unit_codes: list[str]) -> pa.Table:
    """Workers and union members per year × unit × sector (with the unit's former district)."""
    cells: dict[tuple[int, str, str], list[int]] = {}  # a unit may take parts of two districts' figures
    for year in YEARS:
        for code, s, members, workers in _district_cells(rng, year, codes):
            member_parts = dict(areas.split(year, code, SECTORS[s], members))
            for unit, worker_part in areas.split(year, code, SECTORS[s], workers):
                cell = cells.setdefault((year, unit, SECTORS[s]), [0, 0])
                cell[0] += min(member_parts.get(unit, 0), worker_part)
                cell[1] += worker_part
    rows = [(year, areas.district_of(unit), unit, sector, m, w) for (year, unit, sector), (m, w) in cells.items()]
    year, district, unit, sector, members, workers = zip(*rows)
    return pa.table({
        "year": pa.array(year, pa.int16()),
        "district_code": dictionary(district, codes),
        "unit_code": dictionary(unit, unit_codes),
        "sector": dictionary(sector, SECTORS),
        "union_members": pa.array(members, pa.int32()),
        "workers": pa.array(workers, pa.int32()),
    })


def _achieved(candidates: pa.Table, codes: list[str]) -> np.ndarray:
    """Period activity per year × district × stage (array indexed like YEARS, codes, STAGES)."""
    district = np.array(candidates["district_code"].to_pylist())
    counts = np.zeros((len(YEARS), len(codes), len(STAGES)), dtype=np.int64)
    for k, stage in enumerate(model.stages()):
        days = candidates[stage.date_column].to_numpy(zero_copy_only=False)
        year = days.astype("datetime64[Y]")
        for i, y in enumerate(YEARS):
            for j, code in enumerate(codes):
                counts[i, j, k] = int(((year == np.datetime64(str(y), "Y")) & (district == code)).sum())
    return counts


def _round_target(value: float) -> int:
    """A target as a planner writes it: to the nearest 10 from 100 up, else to 5 (at least 5)."""
    step = 10 if value >= 100 else 5
    return max(5, int(round(value / step)) * step)


def build_targets(rng: np.random.Generator, candidates: pa.Table, codes: list[str], areas: Areas,
                  unit_codes: list[str]) -> pa.Table:
    """Full-year targets a little above achievement: the year's period activity × 0.97…1.15, per unit.

    The last year is only partly observed, so its full-year target builds on the year before.
    """
    basis = _achieved(candidates, codes).astype(float)
    basis[-1] = basis[-2]
    uplift = rng.uniform(0.97, 1.15, size=basis.shape)
    cells: dict[tuple[int, str, str], float] = {}  # a unit may take parts of two districts' targets
    for i, y in enumerate(YEARS):
        for j, code in enumerate(codes):
            for k, stage in enumerate(STAGES):
                target = _round_target(basis[i, j, k] * uplift[i, j, k])
                for unit, part in areas.split(y, code, None, target):
                    cells[(y, unit, stage)] = cells.get((y, unit, stage), 0) + part
    rows = [(y, areas.district_of(unit), unit, stage, _round_target(target))
            for (y, unit, stage), target in cells.items()]
    year, district, unit, stage, target = zip(*rows)
    return pa.table({
        "year": pa.array(year, pa.int16()),
        "district_code": dictionary(district, codes),
        "unit_code": dictionary(unit, unit_codes),
        "stage": dictionary(stage, STAGES),
        "target": pa.array(target, pa.int32()),
    })
