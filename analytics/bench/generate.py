"""A national-scale synthetic curated dataset, generated on demand with DuckDB SQL (never committed).

Same schema as the curated sample: about 700 district-level units across 63 provinces, unions in
proportion to the rows (one per 100 candidates), 2015-01 … 2025-06. Every value is a hash of the row
number and the seed, so the same ``(rows, seed)`` gives the same data. Candidates are written sorted
by referral date, so Parquet row groups can be skipped by date.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from analytics import db, model

DISTRICTS = 700
PROVINCES = 63
FIRST_DAY = "2015-01-01"
LAST_DAY = "2025-06-30"

# r(k): a pseudo-random number in [0, 1) for row i, draw k and the seed.
_R = "((hash({i}, $seed, {k}) % 1000003) / 1000003.0)"


def _r(i: str, k: int) -> str:
    return _R.format(i=i, k=k)


_DISTRICTS_SQL = f"""
SELECT lpad(CAST(d + 1 AS VARCHAR), 3, '0') AS district_code,
       'Huyện ' || lpad(CAST(d + 1 AS VARCHAR), 3, '0') AS name_vi,
       'District ' || lpad(CAST(d + 1 AS VARCHAR), 3, '0') AS name_en,
       ['huyện', 'thị xã', 'thành phố'][1 + CAST(floor({_r('d', 1)} * 3) AS INTEGER)] AS unit_type,
       DATE '1997-01-01' AS valid_from, DATE '{LAST_DAY}' AS valid_to,
       round(8.5 + {_r('d', 2)} * 14.5, 2) AS lat, round(102.2 + {_r('d', 3)} * 7.2, 2) AS lon,
       lpad(CAST(d % {PROVINCES} + 1 AS VARCHAR), 2, '0') AS province_code,
       'Tỉnh ' || lpad(CAST(d % {PROVINCES} + 1 AS VARCHAR), 2, '0') AS province_vi,
       'Province ' || lpad(CAST(d % {PROVINCES} + 1 AS VARCHAR), 2, '0') AS province_en
FROM range({DISTRICTS}) t(d)
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

_CANDIDATES_SQL = f"""
WITH base AS (
    SELECT i,
           'CD' || lpad(CAST(CAST(floor($unions * pow({_r('i', 1)}, 1.3)) AS BIGINT) AS VARCHAR), 7, '0') AS union_id,
           DATE '{FIRST_DAY}' + CAST(floor({_r('i', 2)} * $days) AS INTEGER) AS referred_on,
           {_r('i', 3)} AS r_class, {_r('i', 4)} AS r_class_lag, {_r('i', 5)} AS r_admit,
           {_r('i', 6)} AS r_admit_lag, {_r('i', 7)} AS r_official, {_r('i', 8)} AS r_gender, {_r('i', 9)} AS r_age
    FROM range($rows) t(i)),
staged AS (
    SELECT b.*, u.district_code, u.sector,
           CASE WHEN r_class < CASE u.sector WHEN 'state' THEN 0.75 ELSE 0.45 END
                THEN referred_on + CAST(10 + floor(r_class_lag * 170) AS INTEGER) END AS trained_raw
    FROM base b JOIN unions u USING (union_id)),
admitted AS (
    SELECT *, CASE WHEN r_admit < 0.3 THEN trained_raw + CAST(60 + floor(r_admit_lag * 220) AS INTEGER) END
                  AS admitted_raw
    FROM staged)
SELECT lpad(to_hex(hash(i, $seed)), 16, '0') AS candidate_key, union_id, district_code, sector,
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

_MEMBERSHIP_SQL = """
WITH cells AS (SELECT y, district_code, sector, count(*) AS unions
               FROM unions, range(2015, 2026) t(y) GROUP BY ALL)
SELECT CAST(y AS SMALLINT) AS year, district_code, sector,
       CAST(unions * (400 + hash(y, district_code, sector, $seed) % 200) AS INTEGER) AS union_members,
       CAST(unions * (700 + hash(y, district_code, sector, $seed) % 300) AS INTEGER) AS workers
FROM cells ORDER BY ALL
"""

_TARGETS_SQL = """
SELECT CAST(year(referred_on) AS SMALLINT) AS year, district_code, 'referred' AS stage,
       CAST(round(count(*) * 1.05, -1) AS INTEGER) AS target
FROM candidates GROUP BY ALL ORDER BY ALL
"""


def generate(out: Path, rows: int, seed: int = 1) -> dict[str, int]:
    """Write the five curated tables for ``rows`` candidates into ``out``; row counts per table."""
    out.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(":memory:")
    days = (duckdb.sql(f"SELECT DATE '{LAST_DAY}' - DATE '{FIRST_DAY}' + 1").fetchall()[0][0])
    params = {"seed": seed, "unions": max(100, rows // 100), "rows": rows, "days": days}
    candidates_sql = _CANDIDATES_SQL.format(**{s.key: s.date_column for s in model.stages()})
    steps = [("districts", _DISTRICTS_SQL), ("unions", _UNIONS_SQL), ("candidates", candidates_sql),
             ("membership", _MEMBERSHIP_SQL), ("targets", _TARGETS_SQL)]
    counts = {}
    for name, sql in steps:
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        con.execute(f"CREATE TABLE {name} AS {sql}", used)
        target = str(out / f"{name}.parquet")
        con.execute(f"COPY {name} TO '{target}' (FORMAT parquet, COMPRESSION zstd)")
        counts[name] = con.sql(f"SELECT count(*) FROM {name}").fetchall()[0][0]
    con.close()
    db.write_manifest(out, {"source": "bench", "rows": rows, "seed": seed,
                            "built_by": f"python -m analytics bench --rows {rows}"})
    return counts
