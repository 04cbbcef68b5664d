"""Entry point: page config, the shared sidebar, navigation. Run with ``streamlit run app.py``."""

import streamlit as st

from analytics.i18n import t
from ui import sidebar

st.set_page_config(page_title="Phát triển đảng viên · Party development", page_icon="🏭", layout="wide")

st.session_state["view"] = sidebar.render()
lang = st.session_state["view"].lang

pages = [
    st.Page("views/overview.py", title=t("page_overview", lang), icon=":material/dashboard:", default=True),
    st.Page("views/explore.py", title=t("page_explore", lang), icon=":material/query_stats:", url_path="explore"),
    st.Page("views/present.py", title=t("page_present", lang), icon=":material/slideshow:", url_path="present"),
    st.Page("views/data.py", title=t("page_data", lang), icon=":material/upload_file:", url_path="data"),
]
st.navigation(pages).run()
