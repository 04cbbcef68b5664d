"""Present, the slide mode for a dialogue conference: one big chart at a time, and the PowerPoint deck."""

import streamlit as st

from analytics import charts
from analytics.i18n import t
from ui import components, data

view = st.session_state["view"]
lang = view.lang
overview = data.overview(view)
slides = [
    charts.headline_figure(overview.totals.iloc[0], overview.cards(), lang, overview.title("chart_headline")),
    *data.overview_figures(view, charts.HALL).values(),
]

if "slide" not in st.session_state:
    wanted = st.query_params.get("slide", "1")
    st.session_state["slide"] = min(max(int(wanted), 1), len(slides)) if wanted.isdigit() else 1

back, position, forward, full_screen, deck = st.columns([1, 1, 1, 2, 3], vertical_alignment="center")
if back.button(t("previous", lang), icon=":material/arrow_back:", disabled=st.session_state["slide"] == 1):
    st.session_state["slide"] -= 1
if forward.button(t("next", lang), icon=":material/arrow_forward:",
                  disabled=st.session_state["slide"] == len(slides)):
    st.session_state["slide"] += 1
position.markdown(f"**{st.session_state['slide']} / {len(slides)}**")
if full_screen.toggle(t("full_screen", lang), key="full_screen"):
    components.hide_chrome()
with deck:
    components.deck_download(view)
st.query_params["slide"] = str(st.session_state["slide"])

if data.is_sample(view.source):
    st.caption(t("sample_banner", lang))
st.plotly_chart(slides[st.session_state["slide"] - 1], width="stretch", config={"displayModeBar": False})
