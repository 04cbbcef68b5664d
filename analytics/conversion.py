"""Time to convert: how many days the people referred in a period took over each step of the funnel.

Who is counted: the referral cohort of the filter, the people referred in its months (in its districts, units and
sectors of referral, like a cohort), and for each step those of them who had reached its later stage by the
data's last day. People still on the way are not counted, so a recent cohort's days are those of its quickest
people so far. The filter's counting mode and cohort window do not apply. Percentiles:
:data:`analytics.queries.STEP_PERCENTILES` (linear interpolation, DuckDB's ``quantile_cont``).

Not for a restricted audience: its numbers are cohort counts, which the audited release of
:mod:`analytics.disclosure` does not cover, and hiding each table's small groups on its own would not stop
differencing (a district's days from those of two districts less the other's). Every query goes through
:func:`access.scope`.
"""

from __future__ import annotations

import shlex

import duckdb
import pandas as pd

from analytics import access, model, queries
from analytics.filters import Filter

#: Who is counted and how, for the command line's help (the pages say it in both languages).
CLI_DESCRIPTION = (
    "Who is counted: the people referred in the period (--from/--to; --district, --unit, --sector as at their "
    "referral); each step counts those of them who reached its later stage by the data's last day (people still "
    "on the way are not counted). Median and 90th percentile: linear interpolation between the two nearest "
    "sorted values at position 1 + (n - 1)p (DuckDB quantile_cont, Excel PERCENTILE.INC), to 0.1 day. Columns "
    "per step are named by its later stage: trained = referral to class, admitted = class to admission, "
    "official = admission to official."
)
#: A histogram bin's width in days (about a month).
BIN_DAYS = 30
#: The columns of one step in :func:`summary`, by the step's later stage.
STEP_COLUMNS = ("people", "days_median", "days_p90")


def step_label(stage_key: str, lang: str) -> str:
    """"Giới thiệu → Học lớp cảm tình Đảng": the step that ends at ``stage_key``."""
    start, end = next(step for step in model.steps() if step[1].key == stage_key)
    return f"{start.short[lang]} → {end.short[lang]}"


def step_keys() -> list[str]:
    """The steps in funnel order, each named by its later stage."""
    return [end.key for _, end in model.steps()]


def summary(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter, by: str | None,
            lang: str) -> pd.DataFrame:
    """Per ``by`` group (one row ``all`` without): ``referred`` (the cohort) and per step ``<stage>_people``,
    ``<stage>_days_median`` and ``<stage>_days_p90`` (:func:`analytics.queries.step_days`), with a ``label``."""
    flt = _scope(principal, flt, by)
    return queries.with_labels(queries.step_days(con, flt, by), by, lang)


def histogram(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter) -> pd.DataFrame:
    """The whole selection's days per step in bins of :data:`BIN_DAYS`: ``step``, ``from_days``, ``to_days``
    (inclusive) and ``people``."""
    bins = queries.step_histogram(con, _scope(principal, flt, None), BIN_DAYS)
    return bins.assign(to_days=bins["from_days"] + BIN_DAYS - 1)[["step", "from_days", "to_days", "people"]]


def shown_to(principal: access.Principal) -> bool:
    """Whether ``principal`` may see time to convert: not a restricted audience (see the module's docstring)."""
    return not principal.suppressed


def _scope(principal: access.Principal, flt: Filter, by: str | None) -> Filter:
    if not shown_to(principal):
        raise access.AccessDenied("time to convert is not shown to a restricted audience (cohort counts)")
    return access.scope(principal, flt, by)


def command(flt: Filter, by: str | None, histogram_bins: bool = False) -> str:
    """The ``python -m analytics time-to-convert`` command printing what :func:`summary` (or, with
    ``histogram_bins``, :func:`histogram`) gives."""
    args = ["python", "-m", "analytics", "time-to-convert", *flt.to_cli_args(counting=False), "--format", "json"]
    args += ["--by", by] if by else []
    args += ["--histogram"] if histogram_bins else []
    return shlex.join(args)


def export_frame(frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """:func:`summary` as exported: the group key under the dimension's name and its label, the cohort, then
    each step's columns in funnel order."""
    columns = ["referred", *(f"{step}_{column}" for step in step_keys() for column in STEP_COLUMNS)]
    return frame.rename(columns={"key": by})[[by, "label", *columns]] if by else frame[columns]
