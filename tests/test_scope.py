"""One scope per run: the principal is resolved once, the filter authorized once by the app, every page gets
its data through ``ui.data``; :func:`analytics.access.funnel` still checks every query (the door)."""

from __future__ import annotations

import ast
import sys
from collections import Counter
from datetime import date

import pytest
import streamlit as st

from analytics import access
from analytics.bench import interactions
from analytics.config import REPO_ROOT
from analytics.filters import Filter, Month
from tests.apps import JAN_SEP, PAGES, open_app
from ui import identity


@pytest.fixture
def calls(monkeypatch) -> Counter:
    """Calls of ``identity.current_principal`` and ``access.authorize``, the latter by calling module."""
    counted: Counter = Counter()
    principal, authorize = identity.current_principal, access.authorize

    def counting_principal():
        counted["current_principal"] += 1
        return principal()

    def counting_authorize(*args, **kwargs):
        counted[f"authorize from {sys._getframe(1).f_globals['__name__']}"] += 1
        return authorize(*args, **kwargs)

    monkeypatch.setattr(identity, "current_principal", counting_principal)
    monkeypatch.setattr(access, "authorize", counting_authorize)
    st.cache_data.clear()
    yield counted
    st.cache_data.clear()


@pytest.mark.parametrize("page", ["overview", "explore", "present", "data"])
def test_the_principal_and_the_filter_are_resolved_once_per_run(calls, roles_file, page):
    at = open_app(page, "boss@example.vn", **JAN_SEP)
    assert not at.exception
    runs = 1 if page == "overview" else 2  # switching page is a second run
    assert calls["current_principal"] == runs
    assert calls["authorize from ui.sidebar"] == runs
    others = [caller for caller in calls if caller.startswith("authorize from ui.") and not caller.endswith("sidebar")]
    assert others == []
    if page in ("overview", "present"):  # the door checks each of the overview's queries again
        flt = Filter(Month(2022, 1), Month(2022, 9))
        page_queries = interactions.overview_calls(flt, Month(2019, 1), date(2026, 10, 31))
        # last year and the previous period; the pace's year so far is the period itself (fetched once)
        assert calls["authorize from analytics.access"] == len(page_queries) == 7


def _imports(path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


@pytest.mark.parametrize("page", list(PAGES.values()))
def test_pages_get_data_only_through_ui_data(page):
    imported = _imports(REPO_ROOT / page)
    reaching_past = {name for name in imported if name.split(".")[-1] in ("db", "queries", "store", "pipeline",
                                                                          "audit", "config", "identity", "duckdb")}
    assert reaching_past == set()
    assert "ui.data" in imported
