"""The SQL. Every query takes a :class:`Filter` and returns a small DataFrame.

Values (dates, codes, windows) are always bound parameters. Identifiers (columns, the grouping
expression) come only from :mod:`analytics.model`, never from input. Rates are computed from summed
counts (:func:`_rates_sql`), never by averaging rates.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pandas as pd

from analytics import aggregates, model
from analytics.filters import Filter, Month
from analytics.labels import label_keys, named_labels

_TIME_KEY_SQL = {
    "month": "strftime({col}, '%Y-%m')",
    "quarter": "CAST(year({col}) AS VARCHAR) || '-Q' || CAST(quarter({col}) AS VARCHAR)",
    "year": "CAST(year({col}) AS VARCHAR)",
}


def _key_sql(by: str | None, date_column: str) -> str | None:
    if by is None:
        return None
    if by not in model.DIMENSIONS:
        raise ValueError(f"unknown breakdown '{by}'; use one of {', '.join(model.DIMENSIONS)}")
    dimension = model.DIMENSIONS[by]
    if dimension.time_unit:
        return _TIME_KEY_SQL[dimension.time_unit].format(col=date_column)
    return f"coalesce(CAST({dimension.column} AS VARCHAR), '{model.NO_VALUE}')"


def _dimension_clauses(flt: Filter) -> tuple[list[str], dict]:
    clauses, params = [], {}
    if flt.districts:
        clauses.append("list_contains($districts, CAST(district_code AS VARCHAR))")
        params["districts"] = list(flt.districts)
    if flt.sectors:
        clauses.append("list_contains($sectors, CAST(sector AS VARCHAR))")
        params["sectors"] = list(flt.sectors)
    return clauses, params


def _where(flt: Filter, date_column: str) -> tuple[str, dict]:
    clauses, params = _dimension_clauses(flt)
    clauses.insert(0, f"{date_column} BETWEEN $first_day AND $last_day")
    params.update(first_day=flt.first_day, last_day=flt.last_day)
    return " AND ".join(clauses), params


def _per_stage(expression: str, suffix: str = "", empty: str = "0") -> str:
    """One column per stage: ``expression`` over that stage's rows, ``empty`` if it has none.

    Stage keys come from the model, never from input.
    """
    return ",\n".join(
        f"CAST(coalesce({expression} FILTER (WHERE stage = '{s}'), {empty}) AS BIGINT) AS {s}{suffix}"
        for s in model.stage_keys()
    )


def _period_counts(flt: Filter, by: str | None, use_aggregates: bool) -> tuple[str, dict]:
    """SQL for period activity: one row per group with a count, one column per stage."""
    table = aggregates.period_table(by) if use_aggregates else None
    date_column, count = ("month", "sum(n)") if table else ("event_on", "count(*)")
    key = _key_sql(by, date_column) or "'all'"
    where, params = _where(flt, date_column)
    return f"SELECT {key} AS key, {_per_stage(count)} FROM {table or 'events'} WHERE {where} GROUP BY ALL", params


def _cohort_counts(flt: Filter, by: str | None, use_aggregates: bool) -> tuple[str, dict]:
    """SQL for a cohort: per group, its candidates, how many reached each later stage, its latest referral."""
    table = aggregates.cohort_table(flt.window_days, by) if use_aggregates else None
    if table:
        return _cohort_counts_from(flt, by, table)
    key = _key_sql(by, "referred_on") or "'all'"
    where, params = _where(flt, "referred_on")
    first, *later = model.stages()
    reached = ",\n".join(
        f"count({s.date_column}) FILTER (WHERE $window_days IS NULL"
        f" OR date_diff('day', referred_on, {s.date_column}) <= $window_days) AS {s.key}"
        for s in later
    )
    params["window_days"] = flt.window_days
    sql = f"""
        SELECT {key} AS key, count(*) AS {first.key}, {reached},
               max(referred_on) AS last_referred_on
        FROM candidates WHERE {where} GROUP BY ALL"""
    return sql, params


def _cohort_counts_from(flt: Filter, by: str | None, table: str) -> tuple[str, dict]:
    """The cohort from a referral-month aggregate: without a window, its sums; with a window of whole
    steps, ``agg_cohort`` minus the candidates late for that window; otherwise from whole lag buckets."""
    key = _key_sql(by, "month") or "'all'"
    where, params = _where(flt, "month")
    first, *later = model.stages()
    source = table
    if table == "agg_cohort_late":
        late = ", ".join(f"-{s.key}" for s in later)
        source = f"""(SELECT month, district_code, sector, {", ".join(s.key for s in model.stages())}, last_referred_on
                     FROM agg_cohort
                     UNION ALL
                     SELECT month, district_code, sector, 0, {late}, NULL FROM agg_cohort_late
                     WHERE window_days = $window_days)"""
        params["window_days"] = flt.window_days
    if table != "agg_cohort_lag":
        reached = ", ".join(f"CAST(sum({s.key}) AS BIGINT) AS {s.key}" for s in model.stages())
    else:
        reached = ",\n".join(
            [f"CAST(sum(n) FILTER (WHERE stage = '{first.key}') AS BIGINT) AS {first.key}"]
            + [f"CAST(coalesce(sum(n) FILTER (WHERE stage = '{s.key}' AND lag_bucket <= $buckets), 0) AS BIGINT)"
               f" AS {s.key}" for s in later]
        )
        params["buckets"] = flt.window_days // aggregates.LAG_BUCKET_DAYS
    sql = f"""
        SELECT {key} AS key, {reached}, max(last_referred_on) AS last_referred_on
        FROM {source} WHERE {where} GROUP BY ALL"""
    return sql, params


#: Manifest sources of generated data: the shipped sample and the national-scale benchmark's.
SYNTHETIC_SOURCES = ("sample", "bench")


def as_of(con: duckdb.DuckDBPyConnection) -> date:
    """The date the data runs to: the latest stage event in the curated data."""
    return con.sql("SELECT last_on FROM data_span").fetchall()[0][0]


def data_source(con: duckdb.DuckDBPyConnection) -> str | None:
    """Where the curated data comes from, as its manifest says (``sample``, ``bench``, ``ingest``)."""
    rows = con.sql("SELECT source FROM manifest").fetchall()
    return rows[0][0] if rows else None


def is_sample(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the curated data is the shipped synthetic sample (its manifest says so)."""
    return data_source(con) == "sample"


def is_synthetic(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the curated data is made up (the sample or the benchmark's), so no one's personal data."""
    return data_source(con) in SYNTHETIC_SOURCES


def data_months(con: duckdb.DuckDBPyConnection) -> tuple[Month, Month]:
    first, last = con.sql("SELECT first_on, last_on FROM data_span").fetchall()[0]
    return Month.of(first), Month.of(last)


def maturity_days(flt: Filter) -> int:
    """Days a cohort needs before its figures are comparable: the window, or the normal lag."""
    if flt.window_days is not None:
        return flt.window_days
    return model.stage(model.MATURITY_STAGE).normal_days_from_referral


def funnel(
    con: duckdb.DuckDBPyConnection, flt: Filter, by: str | None = None, use_aggregates: bool = True
) -> pd.DataFrame:
    """Stage counts (and rates) for ``flt`` in its counting mode, one row per ``by`` group.

    Without ``by`` there is exactly one row (key ``all``), zeros included; by month, quarter or year
    every key the period touches has a row. In cohort mode the frame also says, per group, whether the
    cohort is still ``immature``. By grassroots union it carries each union's ``union_name`` (missing
    for a union not in the unions table), by district its ``name_vi`` and ``name_en`` at the period's
    end. The pre-aggregated tables answer when they can; ``use_aggregates=False`` reads the raw rows
    (same results, slower). One statement, one round trip.
    """
    count = _cohort_counts if flt.mode == "cohort" else _period_counts
    counts_sql, params = count(flt, by, use_aggregates)
    sql, params = _funnel_sql(flt, by, counts_sql, params)
    return con.execute(sql, params).df()


def _funnel_sql(flt: Filter, by: str | None, counts_sql: str, params: dict) -> tuple[str, dict]:
    """The counts with their groups completed, maturity, denominators and union names, sorted, in one query.

    Groups are completed for the total (``all``) and for time keys (zero rows show gaps in a trend); a
    completed group without candidates is immature only as the total (no cohort at all yet).
    """
    unit = model.DIMENSIONS[by].time_unit if by else None
    stages = model.stage_keys()
    ctes = [f"counts AS ({counts_sql})"]
    if by is None or unit:
        key = "k.key"
        if by is None:
            source = "(SELECT 'all' AS key) k"
        else:
            source = "(SELECT unnest($keys) AS key) k"
            params["keys"] = time_keys(unit, flt)
        source += " LEFT JOIN counts c ON c.key = k.key"
    else:
        key, source = "c.key", "counts c"
    columns = [f"{key} AS key", *(f"CAST(coalesce(c.{s}, 0) AS BIGINT) AS {s}" for s in stages)]
    denominators, joins = [], []
    if flt.mode == "cohort":
        no_cohort = "TRUE" if by is None else "FALSE"
        columns.append(
            f"CASE WHEN c.key IS NULL THEN {no_cohort} ELSE c.last_referred_on IS NULL"
            " OR c.last_referred_on + CAST($maturity_days AS INTEGER) > (SELECT last_on FROM data_span)"
            " END AS immature"
        )
        params["maturity_days"] = maturity_days(flt)
    if by is None or by in ("district", "sector"):
        members_sql, members_params = _membership_sql(flt, by)
        ctes.append(f"members AS ({members_sql})")
        params.update(members_params)
        denominators.append("union_members")
        joins.append(f"LEFT JOIN members m ON m.key = {key}")
        # Targets are set per district (not per sector) and count period activity, not cohorts.
        if flt.mode == "period" and not flt.sectors and by != "sector":
            targets_sql, target_params = _targets_sql(flt, by)
            ctes.append(f"targets AS ({targets_sql})")
            params.update(target_params)
            denominators += [f"{s}_target" for s in stages]
            joins.append(f"LEFT JOIN targets t ON t.key = {key}")
    if by == "union":
        columns.append("u.union_name")
        joins.append(f"LEFT JOIN unions u ON u.union_id = {key}")
    if by == "district":
        ctes.append(f"names AS ({_DISTRICT_NAMES_SQL})")
        params["on"] = flt.last_day
        columns += ["d.name_vi", "d.name_en"]
        joins.append(f"LEFT JOIN names d ON d.district_code = {key}")
    # Column 1 is the key, column 2 the first stage (referrals): time in order, other groups largest first.
    order = "1" if unit else "2 DESC, 1"
    sql = f"""WITH {", ".join(ctes)}
        SELECT *, {", ".join(_rates_sql({*stages, *denominators}))}
        FROM (SELECT {", ".join(columns + [f"CAST({d} AS DOUBLE) AS {d}" for d in denominators])}
              FROM {source} {" ".join(joins)})
        ORDER BY {order}"""
    return sql, params


def _rates_sql(columns: set[str]) -> list[str]:
    """Step and overall conversion, per 1,000 members and target progress, from the summed counts in
    ``columns`` (a rate whose denominator is not there is left out); missing when the denominator is 0."""
    rates = []
    for measure in model.measures().values():
        if measure.kind == "count" or measure.denominator not in columns:
            continue
        scale = " * 1000.0" if measure.kind == "per_1000" else ""
        rates.append(f"CASE WHEN {measure.denominator} > 0 THEN CAST({measure.numerator} AS DOUBLE)"
                     f" / {measure.denominator}{scale} END AS {measure.key}")
    return rates


def time_keys(unit: str, flt: Filter) -> list[str]:
    """Every month, quarter or year key the period touches, in order."""
    months = [flt.start.shift(i) for i in range(flt.months)]
    keys = {
        "month": [str(m) for m in months],
        "quarter": [f"{m.year}-Q{(m.month + 2) // 3}" for m in months],
        "year": [str(m.year) for m in months],
    }[unit]
    return list(dict.fromkeys(keys))


def _membership_sql(flt: Filter, by: str | None) -> tuple[str, dict]:
    key = _key_sql(by, "year") or "'all'"
    clauses, params = _dimension_clauses(flt)
    clauses.append("year = (SELECT max(year) FROM membership WHERE year <= $end_year)")
    params["end_year"] = flt.end.year
    sql = f"""
        SELECT {key} AS key, sum(union_members)::BIGINT AS union_members
        FROM membership WHERE {" AND ".join(clauses)} GROUP BY ALL"""
    return sql, params


def _targets_sql(flt: Filter, by: str | None) -> tuple[str, dict]:
    key = _key_sql(by, "year") or "'all'"
    clauses, params = _dimension_clauses(replace(flt, sectors=()))
    clauses.insert(0, "year BETWEEN $first_year AND $last_year")
    params.update(first_year=flt.start.year, last_year=flt.end.year)
    sql = f"""
        SELECT {key} AS key, {_per_stage("sum(target)", suffix="_target", empty="NULL")}
        FROM targets WHERE {" AND ".join(clauses)} GROUP BY ALL"""
    return sql, params


_DISTRICT_NAMES_SQL = """
    SELECT CAST(district_code AS VARCHAR) AS district_code, name_vi, name_en, unit_type, lat, lon
    FROM districts
    QUALIFY row_number() OVER (
        PARTITION BY district_code
        ORDER BY ($on BETWEEN valid_from AND valid_to) DESC, valid_to DESC) = 1"""


def district_names(con: duckdb.DuckDBPyConnection, on: date) -> pd.DataFrame:
    """Each district's name and unit type as valid on ``on`` (its latest row if none is valid)."""
    return con.sql(f"{_DISTRICT_NAMES_SQL} ORDER BY district_code", params={"on": on}).df()


def labelled_funnel(
    con: duckdb.DuckDBPyConnection, flt: Filter, by: str | None, lang: str
) -> pd.DataFrame:
    """:func:`funnel` with a ``label`` column in ``lang`` for the group keys."""
    frame = funnel(con, flt, by)
    if by is None:
        return frame.assign(label="")
    if by == "union":
        return frame.assign(label=named_labels(frame["key"], frame.pop("union_name"), lang))
    if by == "district":
        vi, en = frame.pop("name_vi"), frame.pop("name_en")
        return frame.assign(label=named_labels(frame["key"], vi if lang == "vi" else en, lang))
    return frame.assign(label=label_keys(by, frame["key"], lang))
