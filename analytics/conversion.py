"""Time to convert: how many days the people referred in a period took over each step of the funnel.

Who is counted: the referral cohort of the filter, the people referred in its months (in its districts, units and
sectors of referral, like a cohort), and for each step those of them who had reached its later stage by the
data's last day. People still on the way are not counted, so a recent cohort's days are those of its quickest
people so far. The filter's counting mode and cohort window do not apply. Percentiles:
:data:`analytics.queries.STEP_PERCENTILES` (linear interpolation, DuckDB's ``quantile_cont``).

For a restricted audience: where a group has fewer people than the audience's threshold (and more than 0),
its count, median and 90th percentile read "x"; so do the next smallest group's when only one would be hidden
(the total would give it away); a histogram's neighbouring bins are merged until each holds at least the
threshold (a step with fewer people in all shows no bins). Every query goes through :func:`access.scope`.
"""

from __future__ import annotations

import shlex

import duckdb
import pandas as pd

from analytics import access, fmt, model, queries
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
    ``<stage>_days_median`` and ``<stage>_days_p90`` (:func:`analytics.queries.step_days`), with a ``label``;
    what ``principal``'s audience may not see reads "x"."""
    flt = access.scope(principal, flt, by)
    frame = queries.with_labels(queries.step_days(con, flt, by), by, lang)
    return hide_small_groups(frame, principal.threshold) if principal.suppressed else frame


def histogram(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter) -> pd.DataFrame:
    """The whole selection's days per step in bins of :data:`BIN_DAYS`: ``step``, ``from_days``, ``to_days``
    (inclusive) and ``people``; for an audience, bins merged until none is small."""
    flt = access.scope(principal, flt, None)
    bins = queries.step_histogram(con, flt, BIN_DAYS)
    bins = bins.assign(to_days=bins["from_days"] + BIN_DAYS - 1)[["step", "from_days", "to_days", "people"]]
    if not principal.suppressed:
        return bins
    merged = [row for step, rows in bins.groupby("step", sort=False)
              for row in merge_bins(list(rows.itertuples(index=False, name=None)), principal.threshold)]
    return pd.DataFrame(merged, columns=bins.columns)


def merge_bins(rows: list[tuple], threshold: int) -> list[tuple]:
    """``(step, from, to, people)`` bins of one step, in order, merged with their next ones until each holds at
    least ``threshold`` people; a small remainder joins the last merged bin; none if all hold fewer."""
    merged, current = [], None
    for step, start, end, people in rows:
        current = (step, current[1], end, current[3] + people) if current else (step, start, end, people)
        if current[3] >= threshold:
            merged.append(current)
            current = None
    if current and merged:
        step, start, _, people = merged.pop()
        merged.append((step, start, current[2], people + current[3]))
    return merged


def hide_small_groups(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """``frame`` with each count column's small values (1 to ``threshold`` - 1) as "x", and with them the step's
    median and 90th percentile; when a column would hide just one group of several, its next smallest too."""
    hidden_frame = frame.copy()
    for column, days in [("referred", ()), *((f"{s}_people", (f"{s}_days_median", f"{s}_days_p90"))
                                            for s in step_keys())]:
        hidden = _hidden(frame[column], threshold)
        for name in (column, *days):
            hidden_frame[name] = frame[name].astype(object).mask(hidden, fmt.SUPPRESSED)
    return hidden_frame


def _hidden(counts: pd.Series, threshold: int) -> pd.Series:
    hidden = (counts > 0) & (counts < threshold)
    if hidden.sum() == 1 and len(counts) > 1:  # the total less the others shown would give it away
        others = counts[~hidden & (counts > 0)]
        if len(others):
            hidden[others.idxmin()] = True
    return hidden


def command(flt: Filter, by: str | None, audience: str | None, histogram_bins: bool = False) -> str:
    """The ``python -m analytics time-to-convert`` command printing what :func:`summary` (or, with
    ``histogram_bins``, :func:`histogram`) gives."""
    args = ["python", "-m", "analytics", "time-to-convert", *flt.to_cli_args(counting=False), "--format", "json"]
    args += ["--by", by] if by else []
    args += ["--histogram"] if histogram_bins else []
    args += ["--audience", audience] if audience else []
    return shlex.join(args)


def export_frame(frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """:func:`summary` as exported: the group key under the dimension's name and its label, the cohort, then
    each step's columns in funnel order."""
    columns = ["referred", *(f"{step}_{column}" for step in step_keys() for column in STEP_COLUMNS)]
    return frame.rename(columns={"key": by})[[by, "label", *columns]] if by else frame[columns]
