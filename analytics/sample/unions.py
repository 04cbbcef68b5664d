"""Grassroots unions: about 4,100 of them over the former districts, with believable names, sectors and
industrial zones, and the ward or commune each one belongs to after the 2025 reorganisation."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pyarrow as pa

from analytics.geography import Geography
from analytics.sample.common import DISTRICTS, SECTORS, District, apportion, dictionary

UNION_COUNT = 4126
REPORTING_UNITS = ("district_federation", "industrial_zones")

# Real industrial zones (KCN) of Bình Dương: name -> (district code, relative size).
ZONES = {
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


def _union_sector_shares(d: District) -> np.ndarray:
    """Share of a district's unions by sector (state units are few but refer many members)."""
    state = 0.25 * d.state_referrals
    return np.array([state, (1 - state) * (1 - d.fdi_of_non_state), (1 - state) * d.fdi_of_non_state])


def _zone_of(rng: np.random.Generator, code: str, sector: str) -> str | None:
    """The industrial zone of a new union in ``code`` (None outside a zone; state units never in one)."""
    zones = [name for name, (district, _) in ZONES.items() if district == code]
    share = DISTRICTS[code].in_zone * (1.4 if sector == "fdi" else 0.5)
    if sector == "state" or not zones or rng.random() >= share:
        return None
    weights = np.array([ZONES[name][1] for name in zones])
    return zones[rng.choice(len(zones), p=weights / weights.sum())]


def build_unions(rng: np.random.Generator, codes: list[str]) -> dict[str, list]:
    """About 4,100 unions: id, unique name, district, sector, zone, reporting unit and size weight."""
    per_district = apportion(UNION_COUNT, np.array([DISTRICTS[c].unions for c in codes]))
    unions: dict[str, list] = {
        k: []
        for k in ("union_id", "union_name", "district_code", "sector", "industrial_zone", "reporting_unit", "size")
    }
    used: set[str] = set()
    for code, count in zip(codes, per_district, strict=True):
        per_sector = np.maximum(apportion(int(count), _union_sector_shares(DISTRICTS[code])), 3)
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


def unions_table(unions: dict[str, list], codes: list[str]) -> pa.Table:
    """The unions table (without the internal size weight)."""
    zones = list(ZONES)
    return pa.table(
        {
            "union_id": pa.array(unions["union_id"], pa.string()),
            "union_name": pa.array(unions["union_name"], pa.string()),
            "district_code": dictionary(unions["district_code"], codes),
            "reporting_unit": dictionary(unions["reporting_unit"], REPORTING_UNITS),
            "sector": dictionary(unions["sector"], SECTORS),
            "industrial_zone": pa.DictionaryArray.from_arrays(
                pa.array([None if z is None else zones.index(z) for z in unions["industrial_zone"]], pa.int32()),
                pa.array(zones, pa.string()),
            ),
        }
    )


def new_units(rng: np.random.Generator, unions: dict[str, list], geography: Geography) -> list[str]:
    """The ward or commune each union belongs to from the reform on: one of the new units whose main former
    district is the union's (the unit carrying the district's name twice as likely). No union of the sample
    crosses a former district's boundary, so every event's former district is its candidate's."""
    names = {u.code: u.name_vi for u in geography.units}
    chosen = []
    for district in unions["district_code"]:
        units = geography.mapped_to(district)
        weights = np.array([2.0 if names[unit] == names[district] else 1.0 for unit in units])
        chosen.append(units[rng.choice(len(units), p=weights / weights.sum())])
    return chosen


def union_units_table(unions: dict[str, list], units_after: list[str], geography: Geography) -> pa.Table:
    """Each union's unit over time: its former district until the day before the reform, then its new unit."""
    reform = geography.reform_date()
    rows = []
    for union_id, district, unit in zip(unions["union_id"], unions["district_code"], units_after, strict=True):
        first, _ = geography.span(district)
        rows += [(union_id, district, first, reform - timedelta(days=1)),
                 (union_id, unit, reform, geography.span(unit)[1])]
    union_id, unit_code, valid_from, valid_to = zip(*rows)
    return pa.table({"union_id": pa.array(union_id, pa.string()), "unit_code": pa.array(unit_code, pa.string()),
                     "valid_from": pa.array(valid_from, pa.date32()), "valid_to": pa.array(valid_to, pa.date32())})
