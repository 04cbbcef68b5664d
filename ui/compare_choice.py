"""Explore's "So sánh với" choice (none, the same period last year, the previous equal period), kept in the
URL as ``compare=`` and said in words: which months are compared with which."""

from __future__ import annotations

import streamlit as st

from analytics import comparison, fmt
from analytics.i18n import t
from ui import address, data
from ui.view import View

#: The choices, by their CLI and URL names ("" for none).
CHOICES = ("", *comparison.CLI_NAMES)


def choose(view: View) -> str | None:
    """The baseline the analyst picks (its CLI name), None for no comparison; kept in the URL."""
    if address.moved() or st.session_state.get("compare") not in CHOICES:  # from a link, or back or forward
        wanted = st.query_params.get("compare", "")
        st.session_state["compare"] = wanted if wanted in CHOICES else ""
    chosen = st.selectbox(t("compare_with", view.lang), CHOICES, key="compare",
                          format_func=lambda name: t(f"compare_{name or 'none'}", view.lang))
    address.write({"compare": chosen} if chosen else {}, owned=("compare",))
    return chosen or None


def caption(view: View, compare: str) -> None:
    """Which months are compared: the period's months with data and the baseline's as many."""
    as_of = data.as_of(view.source, view.principal)
    compared = comparison.comparable(view.filter, as_of)
    baseline = comparison.baseline(view.filter, as_of, comparison.CLI_NAMES[compare])
    st.caption(t("compared_months", view.lang, months=compared.months, period=fmt.period(compared, view.lang),
                 baseline=fmt.period(baseline, view.lang)))
