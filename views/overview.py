"""Overview, the leadership view: headline numbers, the funnel, districts compared, the trend."""

from dataclasses import replace

import streamlit as st

from analytics import charts
from analytics.filters import Filter
from analytics.i18n import t
from ui import components, data

MAX_DISTRICT_BARS = 25

view = st.session_state["view"]
flt: Filter = view.filter
lang = view.lang

components.header("app_title", view)

totals = data.funnel(flt, None, lang).iloc[0]
last_year = data.funnel(flt.same_period_last_year(), None, lang).iloc[0]
components.kpi_cards(totals, last_year, lang)
components.immature_notice(data.funnel(flt, None, lang), view)

left, right = st.columns([5, 6])
left.plotly_chart(
    charts.funnel_figure(totals, lang, components.chart_title(t("chart_funnel", lang), view)), width="stretch"
)
by_district = data.funnel(flt, "district", lang)
# Nationally there are about 700 district-level units: chart the largest, the table below has them all.
shown = by_district.nlargest(MAX_DISTRICT_BARS, "referred")
right.plotly_chart(
    charts.district_figure(shown, lang, components.chart_title(t("chart_districts", lang), view)), width="stretch"
)
if len(shown) < len(by_district):
    right.caption(t("largest_shown", lang, shown=len(shown), total=len(by_district)))

trend_filter = flt.trend()
trend_view = replace(view, filter=trend_filter)
st.plotly_chart(
    charts.trend_figure(data.funnel(trend_filter, "month", lang), lang,
                        components.chart_title(t("chart_trend", lang), trend_view)),
    width="stretch",
)

with st.expander(t("table_districts", lang)):
    st.dataframe(by_district.drop(columns="key").set_index("label"), width="stretch")
    components.download(by_district, "district", view, "districts")
components.reproduce(view, None)
