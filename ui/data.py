"""The pages' only door to the data: one cached connection, query results cached per user and filter.

Funnel numbers come only through :func:`analytics.access.funnel`, for the principal of this run
(:mod:`ui.identity`), so whatever the URL, session state or widgets ask for, a user gets what their
role allows. A result is cached by (principal, authorized filter, breakdown, language), so the cache
cannot hand one user's numbers to another; the whole curated dataset never enters pandas.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from analytics import access, config, db, queries
from analytics.filters import Filter, Month
from analytics.overview import Overview
from analytics.overview import load as load_overview
from ui import identity


@st.cache_resource(show_spinner=False)
def connection(location: str) -> duckdb.DuckDBPyConnection:
    """One in-memory database per data location, shared by all sessions (each query gets a cursor)."""
    return db.connect(location)


def _cursor() -> duckdb.DuckDBPyConnection:
    return connection(config.curated_location()).cursor()


def funnel(flt: Filter, by: str | None, lang: str) -> pd.DataFrame:
    """Stage counts and rates of ``flt`` as the current user may see them (narrowed, suppressed)."""
    principal = identity.current_principal()
    return _funnel(principal, access.authorize(principal, flt), by, lang)


@st.cache_data(show_spinner=False, max_entries=2048)
def _funnel(principal: access.Principal, flt: Filter, by: str | None, lang: str) -> pd.DataFrame:
    return access.funnel(_cursor(), principal, flt, by, lang)


def overview(flt: Filter, lang: str) -> Overview:
    """All the overview's results for one filter (four queries) as the current user may see them."""
    principal = identity.current_principal()
    return _overview(principal, access.authorize(principal, flt), lang)


@st.cache_data(show_spinner=False, max_entries=512)
def _overview(principal: access.Principal, flt: Filter, lang: str) -> Overview:
    return load_overview(_cursor(), principal, flt, lang)


def deck(flt: Filter, lang: str) -> bytes:
    """The PowerPoint deck of the overview, as the current user may see it."""
    principal = identity.current_principal()
    return _deck(principal, access.authorize(principal, flt), lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _deck(principal: access.Principal, flt: Filter, lang: str) -> bytes:
    from analytics.deck import build_deck  # python-pptx costs 0.3 s: load it when a deck is asked for

    return build_deck(_cursor(), principal, flt, lang)


@st.cache_data(show_spinner=False)
def data_months() -> tuple[Month, Month]:
    return queries.data_months(_cursor())


@st.cache_data(show_spinner=False)
def as_of() -> date:
    return queries.as_of(_cursor())


@st.cache_data(show_spinner=False)
def district_names(on: date) -> pd.DataFrame:
    return queries.district_names(_cursor(), on)


@st.cache_data(show_spinner=False)
def is_sample() -> bool:
    return queries.is_sample(_cursor())
