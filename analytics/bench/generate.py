"""A national-scale synthetic curated dataset, generated on demand with DuckDB SQL (never committed).

Same schema as the curated sample, across the 2025 reorganisation: until 2025-06-30 about 700 district-level
units in 63 provinces, from 2025-07-01 about 3,300 wards and communes in 34 provinces, each mapped by the
crosswalk to the former district it lies in; unions in proportion to the rows (one per 100 candidates), each
moving to a ward or commune of its district at the reform; referrals 2015-01 … 2026-10. Every value is a hash
of the row number and the seed, so the same ``(rows, seed)`` gives the same data. Candidates are written
sorted by referral date, so Parquet row groups can be skipped by date.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from analytics import db, events, model

DISTRICTS = 700
PROVINCES = 63
COMMUNES = 3300
PROVINCES_AFTER = 34
FIRST_DAY = "2015-01-01"
REFORM = "2025-07-01"
LAST_DAY = "2026-10-31"
OPEN_END = "9999-12-31"

# r(k): a pseudo-random number in [0, 1) for row i, draw k and the seed.
_R = "((hash({i}, $seed, {k}) % 1000003) / 1000003.0)"


def _r(i: str, k: int) -> str:
    return _R.format(i=i, k=k)


def _code(prefix: str, number: str, width: int) -> str:
    return f"'{prefix}' || lpad(CAST({number} AS VARCHAR), {width}, '0')"


# Commune c (0-based) lies in former district floor(c × 700 / 3300): 4 or 5 communes per district.
_DISTRICT_OF_COMMUNE = f"CAST(floor(c * {DISTRICTS} / {COMMUNES}) AS INTEGER)"

_UNITS_SQL = f"""
SELECT {_code('P', 'p + 1', 2)} AS unit_code, 'Tỉnh ' || CAST(p + 1 AS VARCHAR) AS name_vi,
       'Province ' || CAST(p + 1 AS VARCHAR) AS name_en, 'tỉnh' AS unit_type, 'province' AS level,
       NULL AS parent_code, DATE '1997-01-01' AS valid_from, DATE '{REFORM}' - 1 AS valid_to,
       NULL::DOUBLE AS lat, NULL::DOUBLE AS lon, false AS provisional
FROM range({PROVINCES}) t(p)
UNION ALL
SELECT {_code('N', 'p + 1', 2)}, 'Tỉnh mới ' || CAST(p + 1 AS VARCHAR), 'New province ' || CAST(p + 1 AS VARCHAR),
       'tỉnh', 'province', NULL, DATE '{REFORM}', DATE '{OPEN_END}', NULL, NULL, false
FROM range({PROVINCES_AFTER}) t(p)
UNION ALL
SELECT lpad(CAST(d + 1 AS VARCHAR), 3, '0'), 'Huyện ' || lpad(CAST(d + 1 AS VARCHAR), 3, '0'),
       'District ' || lpad(CAST(d + 1 AS VARCHAR), 3, '0'),
       ['huyện', 'thị xã', 'thành phố'][1 + CAST(floor({_r('d', 1)} * 3) AS INTEGER)], 'district',
       {_code('P', f'd % {PROVINCES} + 1', 2)}, DATE '1997-01-01', DATE '{REFORM}' - 1,
       round(8.5 + {_r('d', 2)} * 14.5, 2), round(102.2 + {_r('d', 3)} * 7.2, 2), false
FROM range({DISTRICTS}) t(d)
UNION ALL
SELECT {_code('C', 'c + 1', 4)}, 'Phường ' || CAST(c + 1 AS VARCHAR), 'Ward ' || CAST(c + 1 AS VARCHAR),
       CASE WHEN {_r('c', 4)} < 0.35 THEN 'phường' ELSE 'xã' END, 'commune',
       {_code('N', f'({_DISTRICT_OF_COMMUNE} % {PROVINCES}) * {PROVINCES_AFTER} // {PROVINCES} + 1', 2)},
       DATE '{REFORM}', DATE '{OPEN_END}', NULL, NULL, true
FROM range({COMMUNES}) t(c)
"""

_CROSSWALK_SQL = f"""
SELECT {_code('C', 'c + 1', 4)} AS unit_code, lpad(CAST({_DISTRICT_OF_COMMUNE} + 1 AS VARCHAR), 3, '0') AS former_code,
       1.0::DOUBLE AS share, true AS main, 'synthetic' AS confidence
FROM range({COMMUNES}) t(c)
"""

# Districts are skewed (industrial cities far larger): district = floor(700 * r^2).
_UNIONS_SQL = f"""
WITH u AS (
    SELECT j,
           lpad(CAST(CAST(1 + floor({DISTRICTS} * pow({_r('j', 1)}, 2)) AS BIGINT) AS VARCHAR), 3, '0')
               AS district_code,
           {_r('j', 2)} AS r_sector, {_r('j', 3)} AS r_zone, {_r('j', 4)} AS r_zone_no
    FROM range($unions) t(j))
SELECT 'CD' || lpad(CAST(j AS VARCHAR), 7, '0') AS union_id,
       'CĐCS Doanh nghiệp ' || CAST(j AS VARCHAR) AS union_name,
       district_code,
       CASE WHEN r_sector < 0.6 AND r_zone < 0.35 THEN 'industrial_zones' ELSE 'district_federation' END
           AS reporting_unit,
       CASE WHEN r_sector < 0.15 THEN 'state' WHEN r_sector < 0.6 THEN 'domestic' ELSE 'fdi' END AS sector,
       CASE WHEN r_sector < 0.6 AND r_zone < 0.35
            THEN 'KCN ' || district_code || '-' || CAST(floor(r_zone_no * 3) AS INTEGER) END AS industrial_zone
FROM u
"""

# Each union moves at the reform to one of the communes the crosswalk maps to its district.
_UNION_UNITS_SQL = f"""
WITH communes AS (
    SELECT former_code, list(unit_code ORDER BY unit_code) AS codes FROM crosswalk GROUP BY ALL)
SELECT u.union_id, u.district_code AS unit_code, DATE '1997-01-01' AS valid_from, DATE '{REFORM}' - 1 AS valid_to
FROM unions u
UNION ALL
SELECT u.union_id, c.codes[1 + CAST(hash(u.union_id, $seed) % len(c.codes) AS INTEGER)],
       DATE '{REFORM}', DATE '{OPEN_END}'
FROM unions u JOIN communes c ON c.former_code = u.district_code
ORDER BY 1, 3
"""

_CANDIDATES_SQL = f"""
WITH base AS (
    SELECT i,
           'CD' || lpad(CAST(CAST(floor($unions * pow({_r('i', 1)}, 1.3)) AS BIGINT) AS VARCHAR), 7, '0') AS union_id,
           DATE '{FIRST_DAY}' + CAST(floor({_r('i', 2)} * $days) AS INTEGER) AS referred_on,
           {_r('i', 3)} AS r_class, {_r('i', 4)} AS r_class_lag, {_r('i', 5)} AS r_admit,
           {_r('i', 6)} AS r_admit_lag, {_r('i', 7)} AS r_official, {_r('i', 8)} AS r_gender, {_r('i', 9)} AS r_age
    FROM range($rows) t(i)),
staged AS (
    SELECT b.*, u.district_code, uu.unit_code, u.sector,
           CASE WHEN r_class < CASE u.sector WHEN 'state' THEN 0.75 ELSE 0.45 END
                THEN referred_on + CAST(10 + floor(r_class_lag * 170) AS INTEGER) END AS trained_raw
    FROM base b JOIN unions u USING (union_id)
    JOIN union_units uu ON uu.union_id = b.union_id AND b.referred_on BETWEEN uu.valid_from AND uu.valid_to),
admitted AS (
    SELECT *, CASE WHEN r_admit < 0.3 THEN trained_raw + CAST(60 + floor(r_admit_lag * 220) AS INTEGER) END
                  AS admitted_raw
    FROM staged)
SELECT lpad(to_hex(hash(i, $seed)), 16, '0') AS candidate_key, union_id, district_code, unit_code, sector,
       CASE WHEN r_gender < 0.56 THEN 'female' ELSE 'male' END AS gender,
       ['18-24', '25-29', '30-34', '35-39', '40+'][1 + CAST(floor(r_age * 5) AS INTEGER)] AS age_band,
       referred_on AS {{referred}},
       CASE WHEN trained_raw <= DATE '{LAST_DAY}' THEN trained_raw END AS {{trained}},
       CASE WHEN admitted_raw <= DATE '{LAST_DAY}' THEN admitted_raw END AS {{admitted}},
       CASE WHEN admitted_raw + 365 + CAST(7 + floor(r_official * 28) AS INTEGER) <= DATE '{LAST_DAY}'
            THEN admitted_raw + 365 + CAST(7 + floor(r_official * 28) AS INTEGER) END AS {{official}}
FROM admitted
ORDER BY referred_on, district_code
"""

# Before the reform by district, from the reform year on by the ward or commune the unions went to.
_MEMBERSHIP_SQL = f"""
WITH cells AS (
    SELECT y, u.district_code, CASE WHEN y < year(DATE '{REFORM}') THEN u.district_code ELSE uu.unit_code END
               AS unit_code, u.sector, count(*) AS unions
    FROM unions u JOIN union_units uu ON uu.union_id = u.union_id AND uu.valid_from = DATE '{REFORM}',
         range(2015, 2027) t(y)
    GROUP BY ALL)
SELECT CAST(y AS SMALLINT) AS year, district_code, unit_code, sector,
       CAST(unions * (400 + hash(y, unit_code, sector, $seed) % 200) AS INTEGER) AS union_members,
       CAST(unions * (700 + hash(y, unit_code, sector, $seed) % 300) AS INTEGER) AS workers
FROM cells ORDER BY ALL
"""

_TARGETS_SQL = """
SELECT CAST(year(referred_on) AS SMALLINT) AS year, district_code, unit_code, 'referred' AS stage,
       CAST(round(count(*) * 1.05, -1) AS INTEGER) AS target
FROM candidates GROUP BY ALL ORDER BY ALL
"""


def generate(out: Path, rows: int, seed: int = 1) -> dict[str, int]:
    """Write the curated tables for ``rows`` candidates into ``out``; row counts per table."""
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    days = (duckdb.sql(f"SELECT DATE '{LAST_DAY}' - DATE '{FIRST_DAY}' + 1").fetchall()[0][0])
    params = {"seed": seed, "unions": max(100, rows // 100), "rows": rows, "days": days}
    candidates_sql = _CANDIDATES_SQL.format(**{s.key: s.date_column for s in model.stages()})
    steps = [("units", _UNITS_SQL), ("crosswalk", _CROSSWALK_SQL), ("unions", _UNIONS_SQL),
             ("union_units", _UNION_UNITS_SQL), ("candidates", candidates_sql), ("membership", _MEMBERSHIP_SQL),
             ("targets", _TARGETS_SQL)]
    counts = {}
    for name, sql in steps:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        con.execute(f"CREATE TABLE {name} AS {sql}", used)
        target = str(out / f"{name}.parquet")
        con.execute(f"COPY {name} TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        counts[name] = con.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    con.close()
    calendar = events.reference_table()  # the shipped calendar: the trend's events nationally too
    pq.write_table(calendar, out / "calendar.parquet", compression="zstd")
    counts["calendar"] = calendar.num_rows
    db.write_manifest(out, {"source": "bench", "rows": rows, "seed": seed,
                            "built_by": f"python -m analytics bench --rows {rows}"})
    return counts
