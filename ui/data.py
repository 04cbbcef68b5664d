"""The pages' only door to the data: one cached connection, query results cached per filter.

A result is cached by (filter, breakdown, language); the whole curated dataset never enters pandas.
"""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd
import streamlit as st

from analytics import db, queries
from analytics.filters import Filter, Month


@st.cache_resource(show_spinner=False)
def connection() -> duckdb.DuckDBPyConnection:
    """One DuckDB per server process (views over the curated Parquet, aggregates), shared by all sessions;
    each query gets its own cursor."""
    return db.connect()


def _cursor() -> duckdb.DuckDBPyConnection:
    return connection().cursor()


@st.cache_data(show_spinner=False, max_entries=2048)
def funnel(flt: Filter, by: str | None, lang: str) -> pd.DataFrame:
    return queries.labelled_funnel(_cursor(), flt, by, lang)


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
