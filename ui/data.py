"""The pages' only door to the data: a cached connection per snapshot, results cached per user and filter.

Funnel numbers come only through :func:`analytics.access.funnel`, for the principal of this run
(:mod:`ui.identity`), so whatever the URL, session state or widgets ask for, a user gets what their
role allows. Every result is keyed by the resolved curated folder (the current snapshot), so after a
load or a rollback the next rerun opens the new snapshot and old results are never served, and by
(principal, authorized filter, breakdown, language), so the cache cannot hand one user's numbers to
another. The whole curated dataset never enters pandas.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import access, charts, config, db, queries
from analytics.filters import Filter, Month
from analytics.overview import Overview
from analytics.overview import load as load_overview
from ui import identity


def snapshot() -> str:
    """The current snapshot's folder (cheap: resolves the ``data/curated`` link)."""
    return db.resolve(config.curated_location())


@st.cache_resource(show_spinner=False, max_entries=4)
def _connection(source: str) -> duckdb.DuckDBPyConnection:
    """One DuckDB per snapshot and server process (views over its Parquet, aggregates), shared by all
    sessions; each query gets its own cursor."""
    return db.connect(source)


def _cursor(source: str) -> duckdb.DuckDBPyConnection:
    return _connection(source).cursor()


def _scope(flt: Filter) -> tuple[str, access.Principal, Filter]:
    """The cache key of a request: current snapshot, the user of this run, and ``flt`` narrowed for them."""
    principal = identity.current_principal()
    return snapshot(), principal, access.authorize(principal, flt)


def funnel(flt: Filter, by: str | None, lang: str, limit: int | None = None) -> pd.DataFrame:
    """Stage counts and rates of ``flt`` as the current user may see them (narrowed, suppressed), the
    ``limit`` groups with most referrals if given."""
    return _funnel(*_scope(flt), by, lang, limit)


def funnel_later(flt: Filter, by: str | None, lang: str) -> Callable[[], pd.DataFrame]:
    """:func:`funnel` without a limit, for the user and snapshot of this run, run when called (by a
    download, on a thread of its own)."""
    scope = _scope(flt)
    return lambda: _funnel(*scope, by, lang, None)


@st.cache_data(show_spinner=False, max_entries=2048)
def _funnel(
    source: str, principal: access.Principal, flt: Filter, by: str | None, lang: str, limit: int | None
) -> pd.DataFrame:
    return access.funnel(_cursor(source), principal, flt, by, lang, limit)


def overview(flt: Filter, lang: str) -> Overview:
    """All the overview's results for one filter (four queries) as the current user may see them."""
    return _overview(*_scope(flt), lang)


@st.cache_data(show_spinner=False, max_entries=512)
def _overview(source: str, principal: access.Principal, flt: Filter, lang: str) -> Overview:
    return load_overview(_cursor(source), principal, flt, lang)


def overview_figures(flt: Filter, lang: str, style: charts.Style = charts.SCREEN) -> list[go.Figure]:
    """The overview's charts (:meth:`Overview.figures`) for one filter, built once: Plotly's validation
    makes them cost as much as the queries. Shared, not copied: pages only draw them."""
    return _overview_figures(*_scope(flt), lang, style)


@st.cache_resource(show_spinner=False, max_entries=256)
def _overview_figures(
    source: str, principal: access.Principal, flt: Filter, lang: str, style: charts.Style
) -> list[go.Figure]:
    return _overview(source, principal, flt, lang).figures(style)


def deck(flt: Filter, lang: str) -> bytes:
    """The PowerPoint deck of the overview, as the current user may see it."""
    return _deck(*_scope(flt), lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _deck(source: str, principal: access.Principal, flt: Filter, lang: str) -> bytes:
    from analytics.deck import build_deck  # python-pptx costs 0.3 s: load it when a deck is asked for

    return build_deck(_cursor(source), principal, flt, lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _query(source: str, name: str, *args: object) -> object:
    """Queries about the data itself (its months, district names, whether it is the sample): no filter."""
    return getattr(queries, name)(_cursor(source), *args)


def data_months() -> tuple[Month, Month]:
    return _query(snapshot(), "data_months")


def as_of() -> date:
    return _query(snapshot(), "as_of")


def district_names(on: date) -> pd.DataFrame:
    return _query(snapshot(), "district_names", on)


def is_sample() -> bool:
    return _query(snapshot(), "is_sample")


def is_synthetic() -> bool:
    return _query(snapshot(), "is_synthetic")
