"""The funnel queries: every one takes a :class:`Filter` and returns a small DataFrame.

(The views and aggregates they read are built in :mod:`analytics.db` and :mod:`analytics.aggregates`.)
Values (dates, codes, windows) are always bound parameters. Identifiers (columns, the grouping
expression, measures) come only from :mod:`analytics.model`, never from input. Rates are computed from
summed counts (:func:`rates`), never by averaging rates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from analytics import aggregates, model
from analytics.filters import Filter, Month
from analytics.geography import unit_label
from analytics.labels import former_names, label_keys, named_labels

_TIME_KEY_SQL = {
    "month": "strftime({col}, '%Y-%m')",
    "quarter": "CAST(year({col}) AS VARCHAR) || '-Q' || CAST(quarter({col}) AS VARCHAR)",
    "year": "CAST(year({col}) AS VARCHAR)",
}


def _dimension(by: str) -> model.Dimension:
    if by not in model.DIMENSIONS:
        raise ValueError(f"unknown breakdown '{by}'; use one of {', '.join(model.DIMENSIONS)}")
    return model.DIMENSIONS[by]


def _format_key(by: str, column: str) -> str:
    """A ``by`` group's key as text, from ``column`` holding its value (a date for a time breakdown)."""
    dimension = _dimension(by)
    if dimension.time_unit:
        return _TIME_KEY_SQL[dimension.time_unit].format(col=column)
    return f"coalesce(CAST({column} AS VARCHAR), '{model.NO_VALUE}')"


def _key_sql(by: str | None, date_column: str) -> str | None:
    if by is None:
        return None
    dimension = _dimension(by)
    return _format_key(by, date_column if dimension.time_unit else dimension.column)


def _grouped(by: str | None, columns: str, source: str, where: str, date_column: str, monthly: bool) -> str:
    """``SELECT key, columns FROM source WHERE where``, one row per ``by`` group (exactly one without ``by``).

    The rows are grouped by the breakdown's plain value (a code, or a date truncated to the month, quarter or
    year; a ``monthly`` date column holds months already), and each group's key is written once, not once per
    row: nationally that halves the trend's query.
    """
    if by is None:
        return f"SELECT 'all' AS key, {columns} FROM {source} WHERE {where}"
    dimension = _dimension(by)
    value = dimension.column
    if dimension.time_unit:
        truncated = monthly and dimension.time_unit == "month"
        value = date_column if truncated else f"date_trunc('{dimension.time_unit}', {date_column})"
    return f"""SELECT {_format_key(by, "g")} AS key, * EXCLUDE (g)
        FROM (SELECT {value} AS g, {columns} FROM {source} WHERE {where} GROUP BY ALL)"""


def _area_clauses(districts: Sequence[str], units: Sequence[str]) -> tuple[list[str], dict]:
    clauses, params = [], {}
    if districts:
        clauses.append("list_contains($districts, CAST(district_code AS VARCHAR))")
        params["districts"] = list(districts)
    if units:
        clauses.append("list_contains($units, CAST(unit_code AS VARCHAR))")
        params["units"] = list(units)
    return clauses, params


def _dimension_clauses(flt: Filter) -> tuple[list[str], dict]:
    clauses, params = _area_clauses(flt.districts, flt.units)
    if flt.sectors:
        clauses.append("list_contains($sectors, CAST(sector AS VARCHAR))")
        params["sectors"] = list(flt.sectors)
    return clauses, params


def _where(flt: Filter, date_column: str) -> tuple[str, dict]:
    clauses, params = _dimension_clauses(flt)
    clauses.insert(0, f"{date_column} BETWEEN $first_day AND $last_day")
    params.update(first_day=flt.first_day, last_day=flt.last_day)
    return " AND ".join(clauses), params


def _per_stage(expression: str, columns: dict[str, str], empty: str = "0") -> str:
    """One column per ``{column: stage}``: ``expression`` over that stage's rows, ``empty`` if it has none.

    Columns and stage keys come from the model, never from input.
    """
    return ",\n".join(
        f"CAST(coalesce({expression} FILTER (WHERE stage = '{stage}'), {empty}) AS BIGINT) AS {column}"
        for column, stage in columns.items()
    )


def _group_by(by: str | None) -> str:
    """Without a breakdown the aggregate is ungrouped: exactly one row (key ``all``), even over no rows."""
    return "GROUP BY ALL" if by else ""


def _period_counts(flt: Filter, by: str | None, use_aggregates: bool) -> tuple[str, dict]:
    """SQL for period activity: one row per group with a count, one column per stage."""
    table = aggregates.period_table(by) if use_aggregates else None
    date_column, count = ("month", "sum(n)") if table else ("event_on", "count(*)")
    where, params = _where(flt, date_column)
    stages = {s: s for s in model.stage_keys()}
    return _grouped(by, _per_stage(count, stages), table or "events", where, date_column, monthly=bool(table)), params


def _cohort_counts(flt: Filter, by: str | None, use_aggregates: bool) -> tuple[str, dict]:
    """SQL for a cohort: per group, its candidates, how many reached each later stage, its latest referral."""
    table = aggregates.cohort_table(flt.window_days, by) if use_aggregates else None
    if table:
        return _cohort_counts_from(flt, by, table)
    where, params = _where(flt, "referred_on")
    first, *later = model.stages()
    reached = ",\n".join(
        f"count({s.date_column}) FILTER (WHERE $window_days IS NULL"
        f" OR date_diff('day', referred_on, {s.date_column}) <= $window_days) AS {s.key}"
        for s in later
    )
    params["window_days"] = flt.window_days
    columns = f"count(*) AS {first.key}, {reached}, max(referred_on) AS last_referred_on"
    return _grouped(by, columns, "candidates", where, "referred_on", monthly=False), params


def _cohort_counts_from(flt: Filter, by: str | None, table: str) -> tuple[str, dict]:
    """The cohort from a referral-month aggregate: without a window, its sums; with a window of whole
    steps, ``agg_cohort`` minus the candidates late for that window; otherwise from whole lag buckets."""
    where, params = _where(flt, "month")
    first, *later = model.stages()
    source = table
    if table == "agg_cohort_late":
        late = ", ".join(f"-{s.key}" for s in later)
        stages = ", ".join(model.stage_keys())
        source = f"""(SELECT month, {aggregates.FILTER_COLUMNS}, {stages}, last_referred_on
                     FROM agg_cohort
                     UNION ALL
                     SELECT month, {aggregates.FILTER_COLUMNS}, 0, {late}, NULL FROM agg_cohort_late
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
    columns = f"{reached}, max(last_referred_on) AS last_referred_on"
    return _grouped(by, columns, source, where, "month", monthly=True), params


#: Manifest sources of generated data: the shipped sample and the national-scale benchmark's.
SYNTHETIC_SOURCES = ("sample", "bench")


def as_of(con: duckdb.DuckDBPyConnection, districts: Sequence[str] = (), units: Sequence[str] = ()) -> date:
    """The date the data runs to: the latest stage event in the curated data, or in the given ``districts``
    and ``units`` (both when both are given; the whole data's if they have no event at all)."""
    clauses, params = _area_clauses(districts, units)
    if not clauses:
        return con.sql("SELECT last_on FROM data_span").fetchall()[0][0]
    sql = f"SELECT coalesce(max(last_on), (SELECT last_on FROM data_span)) FROM area_span WHERE {' AND '.join(clauses)}"
    return con.sql(sql, params=params).fetchall()[0][0]


def data_source(con: duckdb.DuckDBPyConnection) -> str | None:
    """Where the curated data comes from, as its manifest says (``sample``, ``bench``, ``ingest``)."""
    rows = con.sql("SELECT source FROM manifest").fetchall()
    return rows[0][0] if rows else None


def loaded_at(con: duckdb.DuckDBPyConnection) -> str | None:
    """When a load wrote the curated data ("2026-11-30 10:02 UTC"), as its manifest says; None otherwise."""
    try:
        rows = con.sql("SELECT CAST(created_at AS VARCHAR) FROM manifest").fetchall()
    except duckdb.BinderException:  # generated data: no load time
        return None
    return f"{rows[0][0][:16].replace('T', ' ')} UTC" if rows and rows[0][0] else None


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
    return model.stage(model.MATURITY_STAGE).typical_days


def funnel(
    con: duckdb.DuckDBPyConnection,
    flt: Filter,
    by: str | None = None,
    use_aggregates: bool = True,
    limit: int | None = None,
    denominators: bool = True,
) -> pd.DataFrame:
    """Stage counts (and rates) for ``flt`` in its counting mode, one row per ``by`` group.

    Without ``by`` there is exactly one row (key ``all``), zeros included; by month, quarter or year
    every key the period touches has a row. In cohort mode the frame also says, per group, whether the
    cohort is still ``immature``. By grassroots union it carries each union's ``union_name`` (missing
    for a union not in the unions table), by district its ``name_vi`` and ``name_en`` at the period's
    end. The pre-aggregated tables answer when they can; ``use_aggregates=False`` reads the raw rows
    (same results, slower). One statement, one round trip.

    ``limit`` keeps the first rows only (the groups with most referrals) of a breakdown that is not by
    time, and adds ``groups``: how many rows there are without it (about 100,000 unions nationally).
    ``denominators=False`` leaves out union members and targets (and the rates over them): a third cheaper,
    for a baseline that is compared by its counts.
    """
    if limit is not None and not model.limitable(by):
        raise ValueError("only a breakdown by a group (not by time, not the total) can be limited")
    count = _cohort_counts if flt.mode == "cohort" else _period_counts
    counts_sql, params = count(flt, by, use_aggregates)
    sql, params = _funnel_sql(flt, by, counts_sql, params, limit, denominators)
    columns = con.execute(sql, params).fetchnumpy()  # a DataFrame made once, rates included: faster than .df()
    return pd.DataFrame(columns | rates(columns))


@dataclass
class _Statement:
    """A funnel statement being assembled: subqueries joined onto the groups (``key``), output columns,
    denominators (summed whole numbers, NULL when none were recorded) and bound parameters."""

    key: str
    source: str
    params: dict
    ctes: list[str]
    columns: list[str]
    denominators: list[str] = field(default_factory=list)
    joins: list[str] = field(default_factory=list)

    def join(self, alias: str, sql: str, params: dict, on: str) -> None:
        """LEFT JOIN the subquery ``sql`` as ``alias`` where its ``on`` column equals the group key."""
        self.ctes.append(f"{alias}_q AS ({sql})")
        self.params.update(params)
        self.joins.append(f"LEFT JOIN {alias}_q {alias} ON {alias}.{on} = {self.key}")

    def sql(self, order: str) -> str:
        """The statement: the columns, the denominators as doubles, in ``order``."""
        inner = self.columns + [f"CAST({d} AS DOUBLE) AS {d}" for d in self.denominators]
        return f"""WITH {", ".join(self.ctes)}
            SELECT {", ".join(inner)} FROM {self.source} {" ".join(self.joins)}
            ORDER BY {order}"""


def _funnel_sql(
    flt: Filter, by: str | None, counts_sql: str, params: dict, limit: int | None = None, denominators: bool = True
) -> tuple[str, dict]:
    """The counts with their groups completed, maturity, denominators and names, sorted, in one query."""
    statement = _groups(flt, by, counts_sql, params)
    if flt.mode == "cohort":
        _add_maturity(statement, flt)
    if denominators and (by is None or by in ("district", "unit", "sector")):
        _add_denominators(statement, flt, by)
    _add_names(statement, flt, by)
    if limit is not None:
        statement.columns.append("(SELECT count(*) FROM counts) AS groups")  # counts is materialized once
        statement.params["limit"] = limit
    order = _order(statement, by)
    return statement.sql(order + (" LIMIT $limit" if limit is not None else "")), statement.params


def _add_names(statement: _Statement, flt: Filter, by: str | None) -> None:
    """What :func:`with_labels` names the groups from: a union's name, a district's names at the period's end
    (and whether it still existed then), a unit's latest names and kind."""
    if by == "union":
        statement.columns.append("u.union_name")
        statement.joins.append(f"LEFT JOIN unions u ON u.union_id = {statement.key}")
    if by == "district":
        statement.join("d", _district_names_sql(flt), {"on": flt.last_day}, on="district_code")
        statement.columns += ["d.name_vi", "d.name_en", "d.valid_to >= $on AS current"]
    if by == "unit":
        statement.join("n", _UNIT_NAMES_SQL, {}, on="unit_code")
        statement.columns += ["n.name_vi", "n.name_en", "n.unit_type"]


def _order(statement: _Statement, by: str | None) -> str:
    """The rows' order as the dimension declares it. Column 1 is the key, column 2 the first stage
    (referrals): time in order, declared values in their order (age bands by age), others largest first."""
    order = model.DIMENSIONS[by].order if by else "time"
    if order == "values":
        statement.params["value_order"] = list(model.DIMENSIONS[by].values)
        return "list_position($value_order, key), 2 DESC, 1"
    return "1" if order == "time" else "2 DESC, 1"


def _groups(flt: Filter, by: str | None, counts_sql: str, params: dict) -> _Statement:
    """The groups and their counts. Time keys are completed: a month without events has zeros (a trend
    shows its gaps); other breakdowns list the groups that have counts; the total is always one row."""
    unit = model.DIMENSIONS[by].time_unit if by else None
    if unit:
        key, source = "k.key", "(SELECT unnest($keys) AS key) k LEFT JOIN counts c ON c.key = k.key"
        params["keys"] = time_keys(unit, flt)
    else:
        key, source = "c.key", "counts c"
    counts = [f"CAST(coalesce(c.{s}, 0) AS BIGINT) AS {s}" for s in model.stage_keys()]
    return _Statement(key, source, params, ctes=[f"counts AS ({counts_sql})"], columns=[f"{key} AS key", *counts])


def _add_maturity(statement: _Statement, flt: Filter) -> None:
    """``immature``: the group's latest referral plus the window (or the normal lag) is after the data's
    last date. A total without candidates is immature (no cohort yet); a month without any is not."""
    statement.columns.append(
        "coalesce(c.last_referred_on + CAST($maturity_days AS INTEGER) > (SELECT last_on FROM data_span),"
        " c.key IS NOT NULL) AS immature"
    )
    statement.params["maturity_days"] = maturity_days(flt)


def _add_denominators(statement: _Statement, flt: Filter, by: str | None) -> None:
    """Union members, and in period mode without a sector filter or breakdown, the yearly targets."""
    statement.join("m", *_membership_sql(flt, by), on="key")
    statement.denominators += [members.key for members in _membership_inputs()]
    # Targets are set per district (not per sector) and count period activity, not cohorts.
    if flt.mode == "period" and not flt.sectors and by != "sector":
        statement.join("t", *_targets_sql(flt, by), on="key")
        statement.denominators += [target.key for target in model.target_inputs()]


def rates(columns: Mapping[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The step and overall conversion, per 1,000 members and target progress, from the summed counts in
    ``columns`` (a rate whose numerator or denominator is not there is left out); missing when the denominator
    is 0 or missing. (In numpy, on the fetched columns: as ten CASE expressions they cost DuckDB a third of a
    small funnel statement's time, and as pandas columns more than that.)"""
    out = {}
    with np.errstate(divide="ignore", invalid="ignore"):
        for m in model.measures().values():
            if m.kind in ("ratio", "per_1000") and m.numerator in columns and m.denominator in columns:
                numerator, denominator = _floats(columns[m.numerator]), _floats(columns[m.denominator])
                out[m.key] = np.where(denominator > 0, numerator / denominator * m.scale, np.nan)
    return out


def _floats(column: np.ndarray) -> np.ndarray:
    """A fetched column as floats, NULL (a masked value) as NaN."""
    return np.ma.asarray(column).astype("float64").filled(np.nan)


def time_keys(unit: str, flt: Filter) -> list[str]:
    """Every month, quarter or year key the period touches, in order."""
    months = [flt.start.shift(i) for i in range(flt.months)]
    keys = {
        "month": [str(m) for m in months],
        "quarter": [f"{m.year}-Q{(m.month + 2) // 3}" for m in months],
        "year": [str(m.year) for m in months],
    }[unit]
    return list(dict.fromkeys(keys))


def _membership_inputs() -> list[model.Input]:
    """Inputs from the membership table: each is the membership column of the same name."""
    return [i for i in model.INPUTS.values() if i.source == "membership"]


def _membership_sql(flt: Filter, by: str | None) -> tuple[str, dict]:
    key = _key_sql(by, "year") or "'all'"
    sums = ", ".join(f"sum({i.key})::BIGINT AS {i.key}" for i in _membership_inputs())
    clauses, params = _dimension_clauses(flt)
    clauses.append("year = (SELECT max(year) FROM membership WHERE year <= $end_year)")
    params["end_year"] = flt.end.year
    sql = f"""
        SELECT {key} AS key, {sums}
        FROM membership WHERE {" AND ".join(clauses)} {_group_by(by)}"""
    return sql, params


def _targets_sql(flt: Filter, by: str | None) -> tuple[str, dict]:
    key = _key_sql(by, "year") or "'all'"
    clauses, params = _dimension_clauses(replace(flt, sectors=()))
    clauses.insert(0, "year BETWEEN $first_year AND $last_year")
    params.update(first_year=flt.start.year, last_year=flt.end.year)
    targets = {target.key: target.stage for target in model.target_inputs()}
    sql = f"""
        SELECT {key} AS key, {_per_stage("sum(target)", targets, empty="NULL")}
        FROM targets WHERE {" AND ".join(clauses)} {_group_by(by)}"""
    return sql, params


_DISTRICT_COLUMNS = ("name_vi", "name_en", "unit_type", "valid_to", "lat", "lon")
#: Each unit that events happen in (a district, a ward or commune) with its latest name and kind.
_UNIT_NAMES_SQL = """
    SELECT unit_code, arg_max(name_vi, valid_to) AS name_vi, arg_max(name_en, valid_to) AS name_en,
           arg_max(unit_type, valid_to) AS unit_type, arg_max(level, valid_to) AS level,
           min(valid_from) AS valid_from, max(valid_to) AS valid_to
    FROM units WHERE level IN ('district', 'commune') GROUP BY unit_code"""


def _district_names_sql(flt: Filter | None = None) -> str:
    """Each district's row valid on ``$on`` (its latest row if none is valid), of ``flt``'s districts if any."""
    valid = "($on BETWEEN valid_from AND valid_to, valid_to)"
    clauses, _ = _dimension_clauses(replace(flt, sectors=(), units=())) if flt else ([], {})
    return f"""
        SELECT CAST(district_code AS VARCHAR) AS district_code,
               {", ".join(f"arg_max({column}, {valid}) AS {column}" for column in _DISTRICT_COLUMNS)}
        FROM districts {"WHERE " + " AND ".join(clauses) if clauses else ""} GROUP BY district_code"""


def naming_dates(con: duckdb.DuckDBPyConnection) -> tuple[date, ...]:
    """Every date on which a province's or a district's row begins or ends, in order: what a period's places are
    called (:func:`area_names`, :func:`district_names`) changes only across them."""
    rows = con.sql("""
        SELECT DISTINCT d FROM (
            SELECT unnest([valid_from, valid_to]) AS d FROM units WHERE level = 'province'
            UNION ALL SELECT unnest([valid_from, valid_to]) FROM districts)
        WHERE d IS NOT NULL ORDER BY d""").fetchall()
    return tuple(row[0] for row in rows)


def district_names(con: duckdb.DuckDBPyConnection, on: date) -> pd.DataFrame:
    """Each district's name, unit type and place as valid on ``on`` (its latest row if none is valid)."""
    return con.execute(f"{_district_names_sql()} ORDER BY district_code", {"on": on}).df()


def unit_names(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every unit events can happen in, with its latest name and kind, level, validity and the former
    district it counts in (itself for a district)."""
    return con.sql(f"""
        SELECT n.*, CAST(ud.district_code AS VARCHAR) AS district_code
        FROM ({_UNIT_NAMES_SQL}) n LEFT JOIN unit_district ud ON CAST(ud.unit_code AS VARCHAR) = n.unit_code
        ORDER BY n.level, n.unit_code""").df()


def coverage(con: duckdb.DuckDBPyConnection, flt: Filter, by: str) -> pd.DataFrame:
    """Stage events per area (``by`` ``district`` or ``unit``) and month of ``flt`` (key, month, events): a
    month without any is a month an area did not report (read through :func:`analytics.access.coverage`)."""
    where, params = _where(flt, "month")
    column = model.DIMENSIONS[by].column
    return con.sql(f"""
        SELECT CAST({column} AS VARCHAR) AS key, strftime(month, '%Y-%m') AS month, CAST(sum(n) AS BIGINT) AS events
        FROM agg_period WHERE {where} AND {column} IS NOT NULL GROUP BY ALL ORDER BY ALL""", params=params).df()


def areas(con: duckdb.DuckDBPyConnection, flt: Filter, by: str) -> pd.DataFrame:
    """The districts (``by`` district) or units (``by`` unit) valid at some time in ``flt``'s months and within
    its districts and units, in code order, with their first and last valid month ("YYYY-MM"): the rows of a
    coverage grid. A former district stays "valid" after a reorganisation (its units count in it)."""
    clauses, params = [], {} if by == "district" else {"first": flt.first_day, "last": flt.last_day}
    if flt.districts:
        clauses.append("list_contains($districts, d.district_code)")
        params["districts"] = list(flt.districts)
    if flt.units and by == "unit":
        clauses.append("list_contains($units, n.unit_code)")
        params["units"] = list(flt.units)
    if by == "district":
        clauses.append("level = 'district'")
    last = "'9999-12'" if by == "district" else "strftime(valid_to, '%Y-%m')"
    where = " AND ".join([*(["valid_from <= $last", "valid_to >= $first"] if by == "unit" else []), *clauses]) \
        or "true"
    return con.sql(f"""
        SELECT n.unit_code AS key, strftime(valid_from, '%Y-%m') AS first_month, {last} AS last_month
        FROM ({_UNIT_NAMES_SQL}) n
        LEFT JOIN (SELECT CAST(unit_code AS VARCHAR) AS code, CAST(district_code AS VARCHAR) AS district_code
                   FROM unit_district) d ON d.code = n.unit_code
        WHERE {where} ORDER BY n.unit_code""", params=params).df()


def calendar(con: duckdb.DuckDBPyConnection, flt: Filter) -> pd.DataFrame:
    """The events (start, end, names, kind) that overlap ``flt``'s months, in order."""
    return con.sql("SELECT * FROM calendar WHERE start <= $last AND \"end\" >= $first ORDER BY start",
                   params={"first": flt.first_day, "last": flt.last_day}).df()


def reform_date(con: duckdb.DuckDBPyConnection) -> date | None:
    """The first day a ward or commune is valid (the 2025 reorganisation), or None if the data has none."""
    return con.sql("SELECT min(valid_from) FROM units WHERE level = 'commune'").fetchall()[0][0]


def area_names(con: duckdb.DuckDBPyConnection, flt: Filter) -> pd.DataFrame:
    """The top-level units (province or city) valid during ``flt``'s months, in order: what "the whole
    area" is called for that period (names come from the data)."""
    return con.sql("""
        SELECT name_vi, name_en, unit_type FROM units
        WHERE level = 'province' AND valid_from <= $last AND valid_to >= $first ORDER BY valid_from""",
        params={"first": flt.first_day, "last": flt.last_day}).df()


def data_version(con: duckdb.DuckDBPyConnection) -> str:
    """What the connection's data is (a digest of its inputs): results computed from it can be kept under it."""
    return con.sql("SELECT fingerprint FROM data_version").fetchall()[0][0]


def period_cells(con: duckdb.DuckDBPyConnection, year: int, by: str) -> pd.DataFrame:
    """Period activity in ``year`` per month (1–12) × stage × ``by`` group (a unit also with its district): the
    finest cells the public-safe release is built from (:mod:`analytics.disclosure`)."""
    table = aggregates.period_table(by)
    district = ", CAST(district_code AS VARCHAR) AS district" if by == "unit" else ""
    sql = f"""SELECT {_key_sql(by, "month")} AS key{district}, CAST(month(month) AS INTEGER) AS month,
                     CAST(stage AS VARCHAR) AS stage, CAST(sum(n) AS BIGINT) AS n
              FROM {table} WHERE month BETWEEN $first AND $last GROUP BY ALL HAVING sum(n) > 0"""
    return con.sql(sql, params={"first": date(year, 1, 1), "last": date(year, 12, 31)}).df()


def labelled_funnel(
    con: duckdb.DuckDBPyConnection, flt: Filter, by: str | None, lang: str, limit: int | None = None,
    denominators: bool = True,
) -> pd.DataFrame:
    """:func:`funnel` with a ``label`` column in ``lang`` for the group keys."""
    return with_labels(funnel(con, flt, by, limit=limit, denominators=denominators), by, lang)


def with_labels(frame: pd.DataFrame, by: str | None, lang: str) -> pd.DataFrame:
    """A ``label`` column in ``lang`` for the group keys of ``frame``, from the names :func:`_add_names` joined
    (those columns are dropped)."""
    if by is None:
        return frame.assign(label="")
    if by == "union":
        return frame.assign(label=named_labels(frame["key"], frame.pop("union_name"), lang))
    if by == "district":
        names = frame.pop("name_vi") if lang == "vi" else frame.pop("name_en")
        frame = frame.drop(columns=["name_vi", "name_en"], errors="ignore")
        return frame.assign(label=named_labels(frame["key"], former_names(names, frame.pop("current"), lang), lang))
    if by == "unit":
        names = [None if pd.isna(name) else unit_label(kind, name, lang)
                 for kind, name in zip(frame.pop("unit_type"), frame.pop(f"name_{lang}"), strict=True)]
        frame = frame.drop(columns=["name_vi", "name_en"], errors="ignore")
        return frame.assign(label=named_labels(frame["key"], pd.Series(names, index=frame.index, dtype="str"), lang))
    return frame.assign(label=label_keys(by, frame["key"], lang))


#: The percentiles of a step's days, by column suffix: DuckDB's ``quantile_cont``, the linear interpolation
#: between the two nearest of the n sorted values at position 1 + (n − 1)·p (numpy's default, Excel's
#: PERCENTILE.INC), to 0.1 day.
STEP_PERCENTILES = {"median": 0.5, "p90": 0.9}


def _step_days_sql() -> str:
    """Per step, named by its later stage: the days from the earlier stage's date to its own (NULL if not reached)."""
    return ", ".join(f"date_diff('day', {a.date_column}, {b.date_column}) AS {b.key}_days" for a, b in model.steps())


def step_days(con: duckdb.DuckDBPyConnection, flt: Filter, by: str | None = None) -> pd.DataFrame:
    """How long the referral cohort of ``flt`` took over each step, one row per ``by`` group (by referral date,
    district and unit of referral, like a cohort): ``referred`` (the cohort) and per step, named by its later
    stage, ``<stage>_people`` who made it by the data's last day and the :data:`STEP_PERCENTILES` of their days
    (``<stage>_days_median``, ``<stage>_days_p90``; missing when nobody did). Not the counting mode nor the window."""
    key = _key_sql(by, "referred_on") or "'all'"
    where, params = _where(flt, "referred_on")
    stats = ", ".join(
        ", ".join([f"count({b.key}_days) AS {b.key}_people"]
                  + [f"round(quantile_cont({b.key}_days, {p}), 1) AS {b.key}_days_{name}"
                     for name, p in STEP_PERCENTILES.items()])
        for _, b in model.steps())
    counts = f"""SELECT {key} AS key, count(*) AS referred, {stats}
                 FROM (SELECT *, {_step_days_sql()} FROM candidates WHERE {where}) {_group_by(by)}"""
    statement = _Statement("c.key", "counts c", params, ctes=[f"counts AS ({counts})"], columns=["c.*"])
    _add_names(statement, flt, by)
    return con.execute(statement.sql(_order(statement, by)), statement.params).df()


def step_histogram(con: duckdb.DuckDBPyConnection, flt: Filter, bin_days: int) -> pd.DataFrame:
    """The days of :func:`step_days` in bins of ``bin_days``: ``step`` (its later stage), ``from_days`` (a multiple
    of ``bin_days``) and ``people``, steps in funnel order; bins nobody fell in are left out."""
    where, params = _where(flt, "referred_on")
    later = [b.key for _, b in model.steps()]
    params.update(bin=bin_days, steps=later)
    sql = f"""SELECT step, CAST(floor(days / $bin) * $bin AS INTEGER) AS from_days, count(*) AS people
              FROM (SELECT {_step_days_sql()} FROM candidates WHERE {where})
              UNPIVOT (days FOR step IN ({", ".join(f"{key}_days AS '{key}'" for key in later)}))
              GROUP BY step, from_days ORDER BY list_position($steps, step), from_days"""
    return con.execute(sql, params).df()
