"""A tiny curated dataset whose funnel numbers are worked out by hand in the comments below.

Eight candidates in two districts (718 Thủ Dầu Một, 724 Dĩ An), three unions:

    key  union  referred    trained     admitted    official
    c1   U1     2021-11-15  2022-01-10  2022-06-01  2023-06-05
    c2   U1     2022-01-05  2022-02-20  2022-09-30  -
    c3   U2     2022-02-10  2022-04-01  -           -
    c4   U2     2022-03-01  -           -           -
    c5   U3     2022-05-20  2022-10-01  2023-03-01  -
    c6   U2     2022-09-30  2022-12-15  2023-08-01  -
    c7   U3     2022-10-01  -           -           -
    c8   U1     2023-02-01  2023-03-01  -           -

U1 = 718 state; U2 = 724 fdi in an industrial zone; U3 = 724 domestic. Data as of 2023-08-01.

Period activity Jan–Sep 2022: referred 5 (c2 c3 c4 c5 c6), trained 3 (c1 c2 c3; 1 non-state: c3),
admitted 2 (c1 c2), official 0. By district: 718 → 1/2/2/0, 724 → 4/1/0/0.
Cohort Jan–Sep 2022 (c2 c3 c4 c5 c6): 5/4/3/0. Days referral→class: c2 46, c3 50, c5 134, c6 76;
referral→admission: c2 268, c5 285, c6 305. Window 60 days → 5/2/0/0; window 300 → 5/4/2/0.
Immature by default (last referral 2022-09-30 + 365 days > 2023-08-01) and with a 400-day window;
mature with a 60- or 300-day window. Window 400 → 5/4/3/0.
Time to convert, cohort Jan–Sep 2022 (DuckDB quantile_cont: position 1 + (n − 1)p of the sorted days):
referral→class 46 50 76 134 → median (50 + 76) / 2 = 63, P90 at 3.7: 76 + 0.7 × 58 = 116.6; class→admission
c2 222, c5 151, c6 229 → median 222, P90 at 2.8: 222 + 0.8 × 7 = 227.6; admission→official: nobody. By
district: 718 (c2) 46 and 222; 724 referral→class 50 76 134 → 76, P90 76 + 0.8 × 58 = 122.4, class→admission
151 229 → 190, P90 151 + 0.9 × 78 = 221.2. In 30-day bins: referral→class 30–59: 2, 60–89: 1, 120–149: 1;
class→admission 150–179: 1, 210–239: 2.
Membership 2022: 400 union members → 12.5 referrals per 1,000. Targets 2022: 10 referrals → 50 %.

The tables are in the shape snapshots had before units had validity (a ``districts`` table, no unit codes),
so every test on this fixture also reads an older snapshot through :mod:`analytics.legacy`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

D = date

CANDIDATES = [
    ("c1", "U1", D(2021, 11, 15), D(2022, 1, 10), D(2022, 6, 1), D(2023, 6, 5)),
    ("c2", "U1", D(2022, 1, 5), D(2022, 2, 20), D(2022, 9, 30), None),
    ("c3", "U2", D(2022, 2, 10), D(2022, 4, 1), None, None),
    ("c4", "U2", D(2022, 3, 1), None, None, None),
    ("c5", "U3", D(2022, 5, 20), D(2022, 10, 1), D(2023, 3, 1), None),
    ("c6", "U2", D(2022, 9, 30), D(2022, 12, 15), D(2023, 8, 1), None),
    ("c7", "U3", D(2022, 10, 1), None, None, None),
    ("c8", "U1", D(2023, 2, 1), D(2023, 3, 1), None, None),
]

UNIONS = {
    "U1": ("CĐCS Công ty Điện nước Thủ Dầu Một", "718", "district_federation", "state", None),
    "U2": ("CĐCS Công ty TNHH Giày <b>Sóng Thần</b>", "724", "industrial_zones", "fdi", "Sóng Thần 1"),
    "U3": ("CĐCS Công ty CP Gỗ Dĩ An", "724", "district_federation", "domestic", None),
}

GENDERS = {"c1": "female", "c2": "male", "c3": "female", "c4": "female",
           "c5": "male", "c6": "female", "c7": "female", "c8": "male"}


def _candidates() -> pa.Table:
    columns = list(zip(*CANDIDATES))
    return pa.table(
        {
            "candidate_key": pa.array(columns[0]),
            "union_id": pa.array(columns[1]),
            "district_code": pa.array([UNIONS[u][1] for u in columns[1]]),
            "sector": pa.array([UNIONS[u][3] for u in columns[1]]),
            "gender": pa.array([GENDERS[k] for k in columns[0]]),
            "age_band": pa.array(["25-29"] * len(CANDIDATES)),
            "referred_on": pa.array(columns[2], pa.date32()),
            "trained_on": pa.array(columns[3], pa.date32()),
            "admitted_on": pa.array(columns[4], pa.date32()),
            "official_on": pa.array(columns[5], pa.date32()),
        }
    )


def _unions(names: dict[str, str]) -> pa.Table:
    ids = list(UNIONS)
    name, district, reporting, sector, zone = zip(*UNIONS.values())
    name = [names.get(union_id, n) for union_id, n in zip(ids, name)]
    return pa.table(
        {
            "union_id": ids,
            "union_name": list(name),
            "district_code": list(district),
            "reporting_unit": list(reporting),
            "sector": list(sector),
            "industrial_zone": pa.array(list(zone), pa.string()),
        }
    )


def _membership() -> pa.Table:
    return pa.table(
        {
            "year": pa.array([2022, 2022, 2022, 2023], pa.int16()),
            "district_code": ["718", "724", "724", "718"],
            "sector": ["state", "fdi", "domestic", "state"],
            "union_members": pa.array([100, 200, 100, 120], pa.int32()),
            "workers": pa.array([150, 400, 200, 160], pa.int32()),
        }
    )


def _targets() -> pa.Table:
    rows = [(2022, "718", "referred", 4), (2022, "724", "referred", 6), (2022, "718", "admitted", 1),
            (2022, "724", "admitted", 2), (2023, "718", "referred", 5), (2023, "724", "referred", 7)]
    year, district, stage, target = zip(*rows)
    return pa.table(
        {
            "year": pa.array(year, pa.int16()),
            "district_code": list(district),
            "stage": list(stage),
            "target": pa.array(target, pa.int32()),
        }
    )


def _districts() -> pa.Table:
    return pa.table(
        {
            "district_code": ["718", "724", "724"],
            "name_vi": ["Thủ Dầu Một", "Dĩ An", "Dĩ An"],
            "name_en": ["Thu Dau Mot", "Di An", "Di An"],
            "unit_type": ["thành phố", "thị xã", "thành phố"],
            "valid_from": pa.array([D(2012, 5, 2), D(2011, 12, 29), D(2020, 2, 1)], pa.date32()),
            "valid_to": pa.array([D(2025, 6, 30), D(2020, 1, 31), D(2025, 6, 30)], pa.date32()),
            "lat": [10.99, 10.90, 10.90],
            "lon": [106.66, 106.75, 106.75],
        }
    )


def write_fixture(folder: Path, union_names: dict[str, str] | None = None) -> Path:
    """Write the hand-checked dataset as curated Parquet into ``folder`` and return it.

    ``union_names`` renames unions by id (e.g. to feed hostile text through the app).
    """
    folder.mkdir(parents=True, exist_ok=True)
    tables = {"candidates": _candidates(), "unions": _unions(union_names or {}), "membership": _membership(),
              "targets": _targets(), "districts": _districts()}
    for name, table in tables.items():
        pq.write_table(table, folder / f"{name}.parquet")
    return folder
