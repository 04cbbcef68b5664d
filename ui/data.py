"""The pages' only door to the data: one cached connection per snapshot, query results cached per filter.

Everything is keyed by the resolved curated folder (the current snapshot), so after a load or a rollback
the next rerun opens the new snapshot and old results are never served. A result is cached by
(snapshot, query, filter, breakdown, language); the whole curated dataset never enters pandas.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from analytics import config, db, queries
from analytics.filters import Filter, Month
from analytics.overview import Overview
from analytics.overview import load as load_overview


def snapshot() -> str:
    """The current snapshot's folder (cheap: resolves the ``data/curated`` link)."""
    return db.resolve(config.curated_location())


@st.cache_resource(show_spinner=False, max_entries=4)
def _connection(source: str) -> duckdb.DuckDBPyConnection:
    """One in-memory database per snapshot and server process, shared by all sessions (a cursor per query)."""
    return db.connect(source)


@st.cache_data(show_spinner=False, max_entries=4096)
def _query(source: str, name: str, *args: object) -> object:
    return getattr(queries, name)(_connection(source).cursor(), *args)


def funnel(flt: Filter, by: str | None, lang: str) -> pd.DataFrame:
    return _query(snapshot(), "labelled_funnel", flt, by, lang)


@st.cache_data(show_spinner=False, max_entries=512)
def _overview(source: str, flt: Filter, lang: str) -> Overview:
    return load_overview(_connection(source).cursor(), flt, lang)


def overview(flt: Filter, lang: str) -> Overview:
    """All the overview's results for one filter (four queries), cached together per snapshot."""
    return _overview(snapshot(), flt, lang)


@st.cache_data(show_spinner=False, max_entries=64)
def _deck(source: str, flt: Filter, lang: str) -> bytes:
    from analytics.deck import build_deck  # python-pptx costs 0.3 s: load it when a deck is asked for

    return build_deck(_connection(source).cursor(), flt, lang)


def deck(flt: Filter, lang: str) -> bytes:
    return _deck(snapshot(), flt, lang)


def data_months() -> tuple[Month, Month]:
    return _query(snapshot(), "data_months")


def as_of() -> date:
    return _query(snapshot(), "as_of")


def district_names(on: date) -> pd.DataFrame:
    return _query(snapshot(), "district_names", on)


def is_sample() -> bool:
    return _query(snapshot(), "is_sample")
