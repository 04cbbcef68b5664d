"""Synthetic, deterministic sample data for the funnel: Bình Dương, 2019-01-01 … 2025-06-30.

Model (every draw comes from ``numpy.random.default_rng(seed)``, split into one child stream per part):

* Unions: about 4,100 grassroots unions (CĐCS) spread over the districts of
  ``data/reference/districts.csv`` with the weights in ``_DISTRICTS``; the industrial cities hold most
  of them, and many non-state unions sit in a real industrial zone (``_ZONES``) and report to
  "Công đoàn các KCN".
* Referrals: monthly count = yearly level × seasonality (Tết month low, mid-year high) × COVID factor
  (April 2020 distancing, the Jul–Sep 2021 lockdown), Poisson. Each referral gets a district (fixed
  shares), a sector (district mix: state unions refer far more per member), then a union of that
  district and sector (weighted by a lognormal size).
* Stages: class with a probability by sector × district × year, 10 days to a few months after
  referral; admission with a probability by sector × year, typically 2–9 months after the class; official
  365 + 7…35 days after admission. Classes and admissions that would fall in the 2021 lockdown are
  postponed. A date after 2025-06-30 is null (not reached yet), and so are the stages after it.
* Membership and targets: province totals per year (about 1.2 M workers in 2022, 1.3 M and 822,000
  union members in 2023) apportioned over district × sector; targets a little above the achieved
  period activity, rounded to 5 or 10.

Calibration: Jan–Sep 2022 period activity for the province is exactly 2,339 referred, 1,220 trained
(561 state + 659 non-state) and 251 admitted. The 2,339 referrals are allocated over those nine
months by construction; the rates above are tuned so that the natural figures land close
(default seed: 2,339 / 1,231 trained = 552 state + 679 non-state / 250 admitted), then ``_calibrate``
adds or removes the few missing or surplus events (default seed: 30 of 19,286 candidate rows touched:
+9 state classes, -20 non-state classes, +1 admission). The natural figures and the number of rows
touched are kept in the candidates table's schema metadata (``sample_calibration``).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import json
import os
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from analytics import model
from analytics.config import REFERENCE_DIR

SEED = 20221021
# Pseudonymisation key for the SAMPLE only (public on purpose); real ingest uses a secret key.
SAMPLE_KEY = b"party-funnel-sample-key-v1"

SECTORS = ("state", "domestic", "fdi")
GENDERS = ("female", "male")
AGE_BANDS = ("18-24", "25-29", "30-34", "35-39", "40+")
STAGES = model.stage_keys()  # the simulation below draws these four stages, in this order
REPORTING_UNITS = ("district_federation", "industrial_zones")
YEARS = tuple(range(2019, 2026))

FIRST_DAY = np.datetime64("2019-01-01")
HORIZON = np.datetime64("2025-06-30")
WINDOW = (np.datetime64("2022-01-01"), np.datetime64("2022-09-30"))
WINDOW_REFERRED = 2339
WINDOW_TRAINED = {"state": 561, "non_state": 659}
WINDOW_ADMITTED = 251
UNION_COUNT = 4126
NEVER = np.iinfo(np.int64).max // 4  # "not reached" while dates are day numbers


class _District(NamedTuple):
    """Relative weights of one district-level unit (shares are renormalised)."""

    referrals: float  # share of the province's referrals
    workers: float  # share of the province's workers
    unions: float  # share of the province's grassroots unions
    state_referrals: float  # share of the district's referrals from state units
    state_workers: float  # share of the district's workers in state units
    fdi_of_non_state: float  # FDI share of the non-state workers and unions
    in_zone: float  # share of non-state unions inside an industrial zone
    class_rate: float  # multiplier on the probability of attending the class


_DISTRICTS = {
    "718": _District(0.17, 0.13, 0.150, 0.46, 0.08, 0.50, 0.25, 1.05),
    "719": _District(0.06, 0.06, 0.065, 0.25, 0.03, 0.62, 0.55, 0.95),
    "720": _District(0.03, 0.02, 0.030, 0.53, 0.20, 0.30, 0.00, 1.10),
    "721": _District(0.13, 0.14, 0.135, 0.25, 0.03, 0.63, 0.45, 0.92),
    "722": _District(0.03, 0.02, 0.030, 0.51, 0.18, 0.30, 0.00, 1.08),
    "723": _District(0.13, 0.13, 0.130, 0.25, 0.03, 0.58, 0.35, 0.97),
    "724": _District(0.19, 0.22, 0.200, 0.25, 0.03, 0.62, 0.35, 1.00),
    "725": _District(0.22, 0.24, 0.220, 0.24, 0.02, 0.65, 0.30, 0.94),
    "726": _District(0.04, 0.04, 0.040, 0.33, 0.05, 0.50, 0.25, 1.02),
}
_YEARLY_GROWTH = {"719": 0.03, "721": 0.03, "723": 0.03, "724": -0.01, "725": -0.01, "726": 0.04}

# Real industrial zones (KCN) of Bình Dương: name -> (district code, relative size).
_ZONES = {
    "KCN VSIP I": ("725", 3.0),
    "KCN Đồng An": ("725", 1.5),
    "KCN Việt Hương": ("725", 1.0),
    "KCN Sóng Thần 1": ("724", 1.5),
    "KCN Sóng Thần 2": ("724", 2.0),
    "KCN Tân Đông Hiệp A": ("724", 1.0),
    "KCN Tân Đông Hiệp B": ("724", 1.5),
    "KCN Bình Đường": ("724", 0.5),
    "KCN Mỹ Phước 1": ("721", 1.5),
    "KCN Mỹ Phước 2": ("721", 2.0),
    "KCN Mỹ Phước 3": ("721", 3.0),
    "KCN Thới Hòa": ("721", 1.0),
    "KCN Rạch Bắp": ("721", 1.0),
    "KCN Việt Hương 2": ("721", 1.0),
    "KCN Bàu Bàng": ("719", 1.0),
    "KCN Nam Tân Uyên": ("723", 2.0),
    "KCN VSIP II-A": ("723", 2.0),
    "KCN Kim Huy": ("718", 1.0),
    "KCN Đại Đăng": ("718", 1.0),
    "KCN VSIP II": ("718", 2.5),
    "KCN Sóng Thần 3": ("718", 1.0),
    "KCN Đồng An 2": ("718", 1.0),
    "KCN Đất Cuốc": ("726", 1.0),
}

# Referrals: expected yearly level (2022 follows from the exact Jan–Sep allocation), seasonality
# by month, the Tết month, and COVID factors by (year, month).
_LEVEL = {2019: 3050, 2020: 2950, 2021: 2950, 2023: 3150, 2024: 3220, 2025: 3260}
_SEASON = (0.85, 0.85, 0.95, 1.0, 1.1, 1.2, 1.25, 1.2, 1.1, 1.05, 1.0, 1.0)
_TET_MONTH = {2019: 2, 2020: 1, 2021: 2, 2022: 2, 2023: 1, 2024: 2, 2025: 1}
_TET_FACTOR = 0.55
# fmt: off
_COVID = {
    (2020, 4): 0.45, (2020, 5): 0.8,
    (2021, 5): 0.9, (2021, 6): 0.8, (2021, 7): 0.35, (2021, 8): 0.25, (2021, 9): 0.35, (2021, 10): 0.7, (2021, 11): 0.9,
}
# fmt: on
# No classes or admission ceremonies in these periods: events are postponed to after them.
_CLOSED = (
    (np.datetime64("2020-04-01"), np.datetime64("2020-04-22")),
    (np.datetime64("2021-07-01"), np.datetime64("2021-09-30")),
)

# Conversion probabilities by sector (state, domestic, fdi) and year factors (by referral year).
_CLASS_RATE = (0.915, 0.49, 0.42)
_ADMIT_RATE = (0.345, 0.24, 0.21)
_OFFICIAL_RATE = 0.97
_YEAR_RATE = {2019: 1.0, 2020: 0.93, 2021: 0.88, 2022: 1.0, 2023: 1.03, 2024: 1.05, 2025: 1.05}
_FEMALE = (0.46, 0.57, 0.63)
_AGE = (0.08, 0.26, 0.30, 0.22, 0.14)

# Membership: province totals per year; union membership rate by sector before scaling.
_WORKERS = dict(zip(YEARS, (1_104_820, 1_118_350, 1_086_930, 1_206_340, 1_302_570, 1_318_210, 1_327_460), strict=True))
_MEMBERS = dict(zip(YEARS, (716_240, 731_480, 702_160, 781_590, 822_146, 829_370, 833_020), strict=True))
_MEMBER_RATE = (0.88, 0.52, 0.68)

# Union name pieces (synthetic).
# fmt: off
_VN_WORDS = (
    "An", "Bình", "Phú", "Thịnh", "Hưng", "Phát", "Thành", "Đạt", "Minh", "Tân", "Hòa", "Long", "Việt", "Nam",
    "Đại", "Kim", "Hoàng", "Gia", "Phúc", "Lộc", "Tài", "Trường", "Vĩnh", "Quang", "Thuận", "Đông", "Hải", "Sơn",
    "Thiên", "Ngọc", "Khang", "Hồng", "Nhật", "Toàn", "Thái", "Đức", "Hiệp", "Hợp", "Tiến", "Phong",
)
_DOMESTIC_TRADES = (
    "May mặc", "Giày da", "Chế biến gỗ", "Nội thất", "Điện tử", "Nhựa", "Bao bì", "Cơ khí", "Thực phẩm", "Dệt",
    "Xây dựng", "Vật liệu xây dựng", "Hóa chất", "Sơn", "Thép", "Gốm sứ", "Thương mại", "Dịch vụ", "Vận tải", "In",
    "Giấy", "Cao su", "Dược phẩm", "Bê tông", "Kim khí",
)
_FDI_TRADES = (
    "Điện tử", "May mặc", "Giày da", "Nội thất", "Nhựa", "Bao bì", "Cơ khí chính xác", "Dệt may", "Linh kiện",
    "Thực phẩm", "Hóa chất", "Gỗ",
)
_FDI_HEADS = (
    "Shin", "Dae", "Hwa", "Sung", "Jin", "Han", "Kwang", "Tai", "Yuan", "Hong", "Ming", "Chang", "Feng", "Kai",
    "Toyo", "Naka", "Yama", "Sun", "Lian", "Wei", "Hsin", "Chia", "Seo", "Young", "Kyung", "Hae", "Bo", "Chin",
    "Dong", "Eun", "Fuji", "Hyo", "Jia", "Ko", "Nan", "Pan", "Quan", "Sam", "Tae", "Wan", "Xin", "Yong", "Zhen",
    "Taka", "Hiro", "Ever", "Grand", "Tung",
)
_FDI_TAILS = (
    "wa", "sung", "yang", "tech", "jin", "hua", "tai", "da", "won", "kwang", "shin", "feng", "long", "wei", "kong",
    "yuan", "mei", "san", "woo", "lim", "rich", "win", "star", "tex", "ho", "gang", "moto", "sei", "lux", "ming",
    "chuan", "bang",
)
_STATE_TRADES = (
    "Cao su", "Xây dựng", "Công trình đô thị", "Môi trường", "Cấp nước", "Thương mại", "Phát triển hạ tầng",
    "Vận tải", "Lâm nghiệp",
)
# fmt: on
_SCHOOLS = ("Trường Mầm non", "Trường Tiểu học", "Trường THCS", "Trường THPT")


def _day(value: np.datetime64) -> int:
    """Day number (days since 1970-01-01) of a date."""
    return int(value.astype("datetime64[D]").astype(np.int64))


def _apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder, ties by index)."""
    quota = total * np.asarray(weights, dtype=float) / np.sum(weights)
    counts = np.floor(quota).astype(np.int64)
    order = np.argsort(-(quota - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def _round_target(value: float) -> int:
    """A target as a planner writes it: to the nearest 10 from 100 up, else to 5 (at least 5)."""
    step = 10 if value >= 100 else 5
    return max(5, int(round(value / step)) * step)


def _dictionary(values: np.ndarray | list[str], levels: tuple[str, ...] | list[str]) -> pa.Array:
    """A dictionary-encoded string column with a fixed, ordered dictionary."""
    index = {level: i for i, level in enumerate(levels)}
    codes = [index[v] for v in values]
    return pa.DictionaryArray.from_arrays(pa.array(codes, pa.int32()), pa.array(levels, pa.string()))


def _date_column(days: np.ndarray) -> pa.Array:
    """A date32 column from day numbers, ``NEVER`` becoming null."""
    never = days >= NEVER
    return pa.array(np.where(never, 0, days).astype(np.int32), pa.date32(), mask=never)


def read_districts() -> pa.Table:
    """The district reference table, typed (codes and province columns as strings)."""
    with open(REFERENCE_DIR / "districts.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    columns = {}
    for name in rows[0]:
        values = [row[name] for row in rows]
        if name in ("valid_from", "valid_to"):
            columns[name] = pa.array(np.array(values, dtype="datetime64[D]"), pa.date32())
        elif name in ("lat", "lon"):
            columns[name] = pa.array([float(v) for v in values], pa.float64())
        else:
            columns[name] = pa.array(values, pa.string())
    return pa.table(columns)


def _district_codes(districts: pa.Table) -> list[str]:
    """The sorted district codes of the reference table, checked against the model weights."""
    codes = sorted(set(districts["district_code"].to_pylist()))
    if codes != sorted(_DISTRICTS):
        raise ValueError(f"districts.csv codes {codes} do not match the sample weights")
    return codes


def _union_name(rng: np.random.Generator, sector: str) -> str:
    """One synthetic but believable grassroots-union name for a unit of ``sector``."""
    a, b = rng.choice(len(_VN_WORDS), size=2, replace=False)
    place = f"{_VN_WORDS[a]} {_VN_WORDS[b]}"
    pattern = int(rng.integers(3))
    if sector == "state":
        trade = _STATE_TRADES[rng.integers(len(_STATE_TRADES))]
        unit = (
            f"Công ty TNHH MTV {trade} {place}",
            f"Công ty Cổ phần {trade} {place}",
            f"{_SCHOOLS[rng.integers(len(_SCHOOLS))]} {place}",
        )[pattern]
    elif sector == "domestic":
        trade = _DOMESTIC_TRADES[rng.integers(len(_DOMESTIC_TRADES))]
        unit = (
            f"Công ty TNHH {trade} {place}",
            f"Công ty Cổ phần {trade} {place}",
            f"Công ty TNHH MTV {trade} {place}",
        )[pattern]
    else:
        brand = _FDI_HEADS[rng.integers(len(_FDI_HEADS))] + _FDI_TAILS[rng.integers(len(_FDI_TAILS))]
        trade = _FDI_TRADES[rng.integers(len(_FDI_TRADES))]
        unit = (
            f"Công ty TNHH {brand} Việt Nam",
            f"Công ty TNHH {trade} {brand} Việt Nam",
            f"Công ty TNHH {brand} Vina",
        )[pattern]
    return f"CĐCS {unit}"


def _union_sector_shares(d: _District) -> np.ndarray:
    """Share of a district's unions by sector (state units are few but refer many members)."""
    state = 0.25 * d.state_referrals
    return np.array([state, (1 - state) * (1 - d.fdi_of_non_state), (1 - state) * d.fdi_of_non_state])


def _zone_of(rng: np.random.Generator, code: str, sector: str) -> str | None:
    """The industrial zone of a new union in ``code`` (None outside a zone; state units never in one)."""
    zones = [name for name, (district, _) in _ZONES.items() if district == code]
    share = _DISTRICTS[code].in_zone * (1.4 if sector == "fdi" else 0.5)
    if sector == "state" or not zones or rng.random() >= share:
        return None
    weights = np.array([_ZONES[name][1] for name in zones])
    return zones[rng.choice(len(zones), p=weights / weights.sum())]


def build_unions(rng: np.random.Generator, codes: list[str]) -> dict[str, list]:
    """About 4,100 unions: id, unique name, district, sector, zone, reporting unit and size weight."""
    per_district = _apportion(UNION_COUNT, np.array([_DISTRICTS[c].unions for c in codes]))
    unions: dict[str, list] = {
        k: []
        for k in ("union_id", "union_name", "district_code", "sector", "industrial_zone", "reporting_unit", "size")
    }
    used: set[str] = set()
    for code, count in zip(codes, per_district, strict=True):
        per_sector = np.maximum(_apportion(int(count), _union_sector_shares(_DISTRICTS[code])), 3)
        for sector, n in zip(SECTORS, per_sector, strict=True):
            for _ in range(int(n)):
                name = _union_name(rng, sector)
                while name in used:
                    name = _union_name(rng, sector)
                used.add(name)
                zone = _zone_of(rng, code, sector)
                unions["union_id"].append(f"CD{len(unions['union_id']) + 1:04d}")
                unions["union_name"].append(name)
                unions["district_code"].append(code)
                unions["sector"].append(sector)
                unions["industrial_zone"].append(zone)
                unions["reporting_unit"].append(REPORTING_UNITS[zone is not None])
                unions["size"].append(float(rng.lognormal(0.0, 1.0)))
    return unions


def _month_weight(year: int, month: int) -> float:
    """Relative referral intensity of a month: seasonality, the Tết month and COVID."""
    season = _TET_FACTOR if _TET_MONTH[year] == month else _SEASON[month - 1]
    return season * _COVID.get((year, month), 1.0)


def referral_days(rng: np.random.Generator) -> np.ndarray:
    """Sorted referral day numbers, 2019-01 … 2025-06, exactly ``WINDOW_REFERRED`` in Jan–Sep 2022."""
    months = np.arange(FIRST_DAY.astype("datetime64[M]"), HORIZON.astype("datetime64[M]") + 1)
    years = months.astype("datetime64[Y]").astype(int) + 1970
    month_no = months.astype(int) % 12 + 1
    weights = np.array([_month_weight(y, m) for y, m in zip(years, month_no, strict=True)])
    in_window = (months >= WINDOW[0].astype("datetime64[M]")) & (months <= WINDOW[1].astype("datetime64[M]"))
    per_unit = WINDOW_REFERRED / weights[in_window].sum()  # the 2022 level per unit of weight
    expected = np.array([per_unit if y == 2022 else _LEVEL[y] / 12 for y in years]) * weights
    counts = rng.poisson(expected)
    counts[in_window] = rng.multinomial(WINDOW_REFERRED, weights[in_window] / weights[in_window].sum())
    starts = months.astype("datetime64[D]").astype(np.int64)
    ends = (months + 1).astype("datetime64[D]").astype(np.int64)
    days = np.concatenate([rng.integers(s, e, size=n) for s, e, n in zip(starts, ends, counts, strict=True)])
    return np.sort(days)


def _pick_unions(rng: np.random.Generator, unions: dict[str, list], codes: list[str], n: int) -> np.ndarray:
    """Union index of each of ``n`` referrals: district by share, sector by district mix, union by size."""
    district_p = np.array([_DISTRICTS[c].referrals for c in codes])
    district = rng.choice(len(codes), size=n, p=district_p / district_p.sum())
    u = rng.random(n)
    union_district = np.array(unions["district_code"])
    union_sector = np.array(unions["sector"])
    size = np.array(unions["size"])
    picked = np.empty(n, dtype=np.int64)
    for i, code in enumerate(codes):
        d = _DISTRICTS[code]
        state = d.state_referrals
        fdi = (1 - state) * d.fdi_of_non_state * 0.85
        cut = np.searchsorted(np.cumsum([state, 1 - state - fdi]), u[district == i], side="right")
        rows = np.flatnonzero(district == i)
        for s, sector in enumerate(SECTORS):
            pool = np.flatnonzero((union_district == code) & (union_sector == sector))
            chosen = rows[cut == s]
            picked[chosen] = rng.choice(pool, size=len(chosen), p=size[pool] / size[pool].sum())
    return picked


def _postpone(rng: np.random.Generator, days: np.ndarray) -> np.ndarray:
    """Move events that fall in a closed period (COVID) to the weeks after it."""
    days = days.copy()
    for start, end in _CLOSED:
        inside = (days >= _day(start)) & (days <= _day(end))
        days[inside] = _day(end) + 1 + rng.integers(0, 45, size=int(inside.sum()))
    return days


def _cut_at_horizon(*stages: np.ndarray) -> None:
    """Null (``NEVER``) every stage after the horizon and every stage after a null one, in place."""
    reached = np.ones(len(stages[0]), dtype=bool)
    for days in stages:
        reached &= days <= _day(HORIZON)
        days[~reached] = NEVER


def simulate_stages(
    rng: np.random.Generator, referred: np.ndarray, sector: np.ndarray, district: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Natural class, admission and official dates (``NEVER`` = not reached) for each referral."""
    n = len(referred)
    year = (referred.astype("datetime64[D]").astype("datetime64[Y]").astype(int) + 1970).astype(int)
    year_rate = np.array([_YEAR_RATE[y] for y in year])
    class_p = np.array(_CLASS_RATE)[sector] * np.array([_DISTRICTS[c].class_rate for c in district]) * year_rate
    admit_p = np.array(_ADMIT_RATE)[sector] * year_rate
    trained = _postpone(rng, referred + 10 + np.round(rng.gamma(2.0, 30.0, n)).astype(np.int64))
    admitted = _postpone(rng, trained + 45 + np.round(rng.gamma(2.5, 55.0, n)).astype(np.int64))
    official = admitted + 365 + rng.integers(7, 36, size=n)
    trained[rng.random(n) >= np.minimum(class_p, 0.97)] = NEVER
    admitted[rng.random(n) >= admit_p] = NEVER
    official[rng.random(n) >= _OFFICIAL_RATE] = NEVER
    _cut_at_horizon(trained, admitted, official)
    return trained, admitted, official


def _in_window(days: np.ndarray) -> np.ndarray:
    """Whether each day number falls in the calibration window (Jan–Sep 2022)."""
    return (days >= _day(WINDOW[0])) & (days <= _day(WINDOW[1]))


def _window_counts(sector: np.ndarray, trained: np.ndarray, admitted: np.ndarray) -> dict[str, int]:
    """Jan–Sep 2022 period activity used by the calibration."""
    state = sector == SECTORS.index("state")
    return {
        "trained_state": int((_in_window(trained) & state).sum()),
        "trained_non_state": int((_in_window(trained) & ~state).sum()),
        "admitted": int(_in_window(admitted).sum()),
    }


def _ordered_choice(rng: np.random.Generator, rows: np.ndarray, k: int, first: np.ndarray) -> np.ndarray:
    """``k`` of ``rows`` at random, taking rows where ``first`` is true before the others."""
    rows = rng.permutation(rows)
    return rows[np.argsort(~first[rows], kind="stable")][:k]


def _calibrate(
    rng: np.random.Generator,
    referred: np.ndarray,
    sector: np.ndarray,
    trained: np.ndarray,
    admitted: np.ndarray,
    official: np.ndarray,
) -> int:
    """Add or remove the few class and admission events that make Jan–Sep 2022 exact, in place.

    Removing a class removes the later stages (rows without an admission go first); an added class
    falls in the window at least 7 days after a referral of the previous half-year or the window;
    an added admission falls in the window at least 30 days after a class of the previous year or
    the window, with the official date 365 + 7…35 days later. Returns the number of rows touched.
    """
    start, end = _day(WINDOW[0]), _day(WINDOW[1])
    touched = np.zeros(len(referred), dtype=bool)
    state = sector == SECTORS.index("state")
    for group, target in WINDOW_TRAINED.items():
        member = state if group == "state" else ~state
        gap = target - int((_in_window(trained) & member).sum())
        if gap < 0:
            rows = _ordered_choice(rng, np.flatnonzero(_in_window(trained) & member), -gap, admitted >= NEVER)
            trained[rows] = admitted[rows] = official[rows] = NEVER
        else:
            pool = np.flatnonzero(member & (trained >= NEVER) & (referred >= start - 183) & (referred <= end - 7))
            rows = rng.choice(pool, size=gap, replace=False)
            trained[rows] = rng.integers(np.maximum(referred[rows] + 7, start), end + 1)
        touched[rows] = True
    gap = WINDOW_ADMITTED - int(_in_window(admitted).sum())
    if gap < 0:
        rows = _ordered_choice(rng, np.flatnonzero(_in_window(admitted)), -gap, official >= NEVER)
        admitted[rows] = official[rows] = NEVER
    else:
        pool = np.flatnonzero((admitted >= NEVER) & (trained >= start - 365) & (trained <= end - 30))
        rows = rng.choice(pool, size=gap, replace=False)
        admitted[rows] = rng.integers(np.maximum(trained[rows] + 30, start), end + 1)
        official[rows] = admitted[rows] + 365 + rng.integers(7, 36, size=gap)
    touched[rows] = True
    return int(touched.sum())


def candidate_key(person_id: str, key: bytes = SAMPLE_KEY) -> str:
    """Pseudonymous candidate key: the first 16 hex chars of HMAC-SHA256(key, person id)."""
    return hmac.new(key, person_id.encode("utf-8"), hashlib.sha256).hexdigest()[:16]


def build_candidates(rng: np.random.Generator, unions: dict[str, list], codes: list[str]) -> pa.Table:
    """The calibrated candidates table, sorted by referred_on then candidate_key."""
    part = rng.spawn(3)
    referred = referral_days(part[0])
    n = len(referred)
    union = _pick_unions(part[1], unions, codes, n)
    district = np.array(unions["district_code"])[union]
    sector = np.array([SECTORS.index(s) for s in unions["sector"]])[union]
    trained, admitted, official = simulate_stages(part[2], referred, sector, district)
    natural = _window_counts(sector, trained, admitted)
    touched = _calibrate(part[2], referred, sector, trained, admitted, official)
    gender = (part[2].random(n) >= np.array(_FEMALE)[sector]).astype(int)
    age = part[2].choice(len(AGE_BANDS), size=n, p=_AGE)
    keys = np.array([candidate_key(f"sample-person-{i:06d}") for i in range(n)])
    if len(set(keys)) != n:
        raise ValueError("candidate_key collision")
    order = np.lexsort((keys, referred))
    table = pa.table(
        {
            "candidate_key": pa.array(keys[order], pa.string()),
            "union_id": _dictionary(np.array(unions["union_id"])[union][order], unions["union_id"]),
            "district_code": _dictionary(district[order], codes),
            "sector": _dictionary([SECTORS[s] for s in sector[order]], SECTORS),
            "gender": _dictionary([GENDERS[g] for g in gender[order]], GENDERS),
            "age_band": _dictionary([AGE_BANDS[a] for a in age[order]], AGE_BANDS),
            **{column: _date_column(days[order]) for column, days in
               zip(model.date_columns(), (referred, trained, admitted, official), strict=True)},
        }
    )
    return table.replace_schema_metadata(
        {"sample_calibration": json.dumps({"natural": natural, "rows_adjusted": touched})}
    )


def build_membership(rng: np.random.Generator, codes: list[str]) -> pa.Table:
    """Workers and union members per year × district × sector, summing to the province totals."""
    rows: dict[str, list] = {"year": [], "district_code": [], "sector": [], "union_members": [], "workers": []}
    for year in YEARS:
        cells = [(c, s) for c in codes for s in range(len(SECTORS))]
        workers_w, members_w = [], []
        for code, s in cells:
            d = _DISTRICTS[code]
            share = d.workers * (1 + _YEARLY_GROWTH.get(code, 0.0)) ** (year - YEARS[0])
            mix = (
                d.state_workers,
                (1 - d.state_workers) * (1 - d.fdi_of_non_state),
                (1 - d.state_workers) * d.fdi_of_non_state,
            )[s]
            w = share * mix * rng.normal(1.0, 0.02)
            workers_w.append(w)
            members_w.append(w * _MEMBER_RATE[s] * rng.normal(1.0, 0.02))
        workers = _apportion(_WORKERS[year], np.array(workers_w))
        members = _apportion(_MEMBERS[year], np.array(members_w))
        if (members > workers).any():
            raise ValueError(f"{year}: more union members than workers in a cell")
        for (code, s), m, w in zip(cells, members, workers, strict=True):
            rows["year"].append(year)
            rows["district_code"].append(code)
            rows["sector"].append(SECTORS[s])
            rows["union_members"].append(int(m))
            rows["workers"].append(int(w))
    return pa.table(
        {
            "year": pa.array(rows["year"], pa.int16()),
            "district_code": _dictionary(rows["district_code"], codes),
            "sector": _dictionary(rows["sector"], SECTORS),
            "union_members": pa.array(rows["union_members"], pa.int32()),
            "workers": pa.array(rows["workers"], pa.int32()),
        }
    )


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


def build_targets(rng: np.random.Generator, candidates: pa.Table, codes: list[str]) -> pa.Table:
    """Full-year targets a little above achievement: the year's period activity × 0.97…1.15.

    2025 is only half observed, so its full-year target builds on 2024.
    """
    basis = _achieved(candidates, codes).astype(float)
    basis[-1] = basis[-2]
    uplift = rng.uniform(0.97, 1.15, size=basis.shape)
    rows = [
        (y, c, s, _round_target(basis[i, j, k] * uplift[i, j, k]))
        for i, y in enumerate(YEARS)
        for j, c in enumerate(codes)
        for k, s in enumerate(STAGES)
    ]
    return pa.table(
        {
            "year": pa.array([r[0] for r in rows], pa.int16()),
            "district_code": _dictionary([r[1] for r in rows], codes),
            "stage": _dictionary([r[2] for r in rows], STAGES),
            "target": pa.array([r[3] for r in rows], pa.int32()),
        }
    )


def _unions_table(unions: dict[str, list], codes: list[str]) -> pa.Table:
    """The unions table (without the internal size weight)."""
    zones = list(_ZONES)
    return pa.table(
        {
            "union_id": pa.array(unions["union_id"], pa.string()),
            "union_name": pa.array(unions["union_name"], pa.string()),
            "district_code": _dictionary(unions["district_code"], codes),
            "reporting_unit": _dictionary(unions["reporting_unit"], REPORTING_UNITS),
            "sector": _dictionary(unions["sector"], SECTORS),
            "industrial_zone": pa.DictionaryArray.from_arrays(
                pa.array([None if z is None else zones.index(z) for z in unions["industrial_zone"]], pa.int32()),
                pa.array(zones, pa.string()),
            ),
        }
    )


def build_sample(seed: int = SEED) -> dict[str, pa.Table]:
    """All curated sample tables: candidates, unions, membership, targets, districts."""
    unions_rng, candidates_rng, membership_rng, targets_rng = np.random.default_rng(seed).spawn(4)
    districts = read_districts()
    codes = _district_codes(districts)
    unions = build_unions(unions_rng, codes)
    candidates = build_candidates(candidates_rng, unions, codes)
    return {
        "candidates": candidates,
        "unions": _unions_table(unions, codes),
        "membership": build_membership(membership_rng, codes),
        "targets": build_targets(targets_rng, candidates, codes),
        "districts": districts,
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
