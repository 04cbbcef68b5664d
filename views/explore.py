"""Explore, the analyst view: any breakdown, both counting modes, where the funnel leaks, download."""

import streamlit as st

from analytics import access, charts, comparison, fmt, model, output, ranking
from analytics.i18n import t
from ui import address, compare_choice, components, crossfilter, data, funnel_plot, time_to_convert

view = st.session_state["view"]
lang = view.lang

components.header("page_explore", view)

allowed = access.breakdowns(view.principal)
if address.moved() or st.session_state.get("by") not in allowed:  # opened from a link, or back or forward
    wanted = st.query_params.get("by", "district")
    st.session_state["by"] = wanted if wanted in allowed else "district"
by = st.selectbox(t("breakdown", lang), allowed, key="by",
                  format_func=lambda key: model.DIMENSIONS[key].label[lang])
address.write({"by": by}, owned=("by",), defaults={"by": "district"})
dimension = model.DIMENSIONS[by]
compare = None if dimension.time_unit else compare_choice.choose(view)
which = comparison.CLI_NAMES.get(compare)

limit = model.table_limit(by)
frame = data.compared(view, by, which, limit) if which else data.funnel(view, by, limit)
components.immature_notice(frame, view)

if frame[list(model.stage_keys())].to_numpy().sum() == 0:
    st.info(t("no_data", lang))
elif dimension.time_unit:
    title = components.chart_title(f"{t('count', lang)} · {dimension.label[lang]}", view)
    figure = charts.trend_figure(frame, lang, title, reform=view.reform, events=data.calendar(view))
    crossfilter.chart(figure, by, f"trend_{by}")
else:
    leaks, funnels = st.tabs([t("tab_leaks", lang), t("tab_funnels", lang)])
    with leaks:
        components.leaks_chart(frame, dimension, view)
    with funnels:
        components.funnels_chart(frame, dimension, view)
    if by in ranking.FUNNEL_PLOT:
        funnel_plot.section(frame, data.funnel(view, None), dimension, view)

if compare:
    compare_choice.caption(view, compare)
components.measure_table(frame, by, view)
if limit and len(frame) and frame["groups"].iloc[0] > len(frame):
    st.caption(t("table_largest", lang, shown=fmt.number(len(frame), lang),
                 total=fmt.number(frame["groups"].iloc[0], lang), groups=dimension.label[lang].lower()))
components.download(data.compared_later(view, by, which) if which else data.funnel_later(view, by), by, view,
                    f"funnel_by_{by}", compare)
commands = time_to_convert.section(view, by)
compared = [output.command(view.filter, by, "json", limit, view.principal.audience, compare=compare)] if which else []
components.reproduce(lang, [(view.filter, by), *([(view.filter, None)] if by in ranking.FUNNEL_PLOT else [])],
                     limit, view.principal.audience, [*compared, *commands])
