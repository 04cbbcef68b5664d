"""A page left open (a meeting's big screen) learns that newer data was published.

Every few minutes the page reruns this fragment alone, which compares the snapshot the page was drawn with
to the one now published, and offers to redraw. It also makes the page survive losing its server: Streamlit's
frontend reruns the whole script on reconnecting only when the page has such timed reruns. Without one, a
page moved to another replica (its own lost) kept its old content, and a filter changed while it was
reconnecting was shown in the sidebar but never run.
"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from analytics.i18n import t
from ui import data

#: How often an open page looks for newer data (the timer restarts at each of the page's runs).
CHECK_EVERY = timedelta(minutes=5)


@st.fragment(run_every=CHECK_EVERY)
def notice(drawn_with: str, lang: str) -> None:
    """Say so, with a button to redraw, when the published snapshot is no longer ``drawn_with``."""
    if data.snapshot() == drawn_with:
        return
    st.info(t("newer_data", lang), icon=":material/update:")
    if st.button(t("show_newer_data", lang), key="show_newer_data"):
        st.rerun(scope="app")
