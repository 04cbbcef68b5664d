"""Overview, the leadership view: headline numbers, the funnel, districts compared, the trend."""

import streamlit as st

from analytics.i18n import t
from ui import area_map, components, crossfilter, data, trend_section

view = st.session_state["view"]
lang = view.lang

overview = data.overview(view)
components.header("app_title", view, overview.sentence())
components.kpi_cards(overview.cards())
components.immature_notice(overview.totals, view)

figures = data.overview_figures(view, overview)
left, right = st.columns([5, 6])
left.plotly_chart(figures["funnel"], width="stretch")
crossfilter.chart(figures["districts"], "district", "overview_districts", where=right)
if "pace" in figures:
    st.plotly_chart(figures["pace"], width="stretch")
# Drawn only while open (it stays open for the session once opened): at national scale the map was a fifth of a
# run's server time and a third of the browser's drawing on every change, seen or not.
areas = st.expander(t("map_title", lang), key="map_open", on_change="rerun")
if areas.open:
    with areas:
        area_map.section(view, overview)
trend_section.section(view, figures["trend"])
if len(overview.charted_districts()) < len(overview.by_district):
    right.caption(t("largest_shown", lang, shown=len(overview.charted_districts()), total=len(overview.by_district)))

# Drawn only while open (a national table is ~700 styled rows, half the cost of a rerun when drawn closed).
table = st.expander(t("table_districts", lang), key="district_table", on_change="rerun")
if table.open:
    with table:
        components.measure_table(overview.by_district, "district", view)
        components.download(lambda: overview.by_district, "district", view, "districts")
status = st.expander(t("coverage_heading", lang), key="coverage", on_change="rerun")
if status.open:
    with status:
        components.coverage(view)
components.reproduce(lang, overview.queries(), audience=view.principal.audience)
