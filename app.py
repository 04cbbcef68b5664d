"""Entry point: page config, sign-in gate, the shared sidebar, navigation. Run with ``streamlit run app.py``."""

import logging

import streamlit as st

from analytics.i18n import t
from ui import address, auth, data, sidebar

_audit = logging.getLogger("party_funnel")
if not _audit.handlers:  # access decisions to stderr, once per process (users appear as keyed hashes)
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _audit.addHandler(_handler)
    _audit.setLevel(logging.INFO)

st.set_page_config(page_title="Phát triển đảng viên · Party development", page_icon="🏭", layout="wide")

# One scope per run: the snapshot, the principal and the authorized filter are resolved here, once, and
# every page gets them (and its data, through ui.data) from the view.
address.start_run()  # before anything reads the address: did back or forward change it?
lang = sidebar.language()
source = data.snapshot()
principal = auth.gate(source, lang)  # the sign-in or no-access screen stops the run here
auth.banner_and_account(principal, lang)
st.session_state["view"] = sidebar.render(source, principal, lang)

pages = [
    st.Page("views/overview.py", title=t("page_overview", lang), icon=":material/dashboard:", default=True),
    st.Page("views/explore.py", title=t("page_explore", lang), icon=":material/query_stats:", url_path="explore"),
    st.Page("views/present.py", title=t("page_present", lang), icon=":material/slideshow:", url_path="present"),
    st.Page("views/data.py", title=t("page_data", lang), icon=":material/upload_file:", url_path="data"),
]
st.navigation(pages).run()
