"""The overview's trend: by month (the overview's own figure), quarter or year, or the year to date
cumulated against last year and the year's target; the calendar's events marked."""

from __future__ import annotations

from dataclasses import replace

import plotly.graph_objects as go
import streamlit as st

from analytics import charts, model
from analytics.filters import Filter, Month
from analytics.i18n import t
from ui import components, crossfilter, data
from ui.view import View

VIEWS = ("month", "quarter", "year", "cumulative")


def _range(view: View, unit: str) -> Filter:
    """The months a quarterly (the last twelve quarters) or yearly (every year of the data) trend covers."""
    first, _ = data.data_months(view.source)
    end = view.filter.end
    start = max(first, Month(end.year - 2, 1)) if unit == "quarter" else Month(first.year, 1)
    return replace(view.filter, start=start)


def _cumulative(view: View, stage: str) -> go.Figure:
    """This year's count to date, month by month and added up, beside last year's and the year's target."""
    lang, end = view.lang, view.filter.end
    this_year = replace(view.filter, start=Month(end.year, 1), mode="period", window_days=None)
    last_year = replace(this_year, start=Month(end.year - 1, 1), end=Month(end.year - 1, 12))
    now = data.funnel(replace(view, filter=this_year), "month")
    before = data.funnel(replace(view, filter=last_year), "month")
    totals = data.funnel(replace(view, filter=replace(this_year, end=Month(end.year, 12))), None)
    target_column = next((i.key for i in model.target_inputs() if i.stage == stage), None)
    target = totals.iloc[0].get(target_column) if target_column else None
    title = components.chart_title(t("chart_cumulative", lang, stage=model.stage(stage).short[lang]), view)
    return charts.cumulative_figure(now, before, stage, target, lang, title)


def section(view: View, monthly: go.Figure) -> None:
    """The trend, its granularity chosen by the user (kept for the session)."""
    lang = view.lang
    labels = {key: t(f"trend_{key}", lang) for key in VIEWS}
    chosen = st.segmented_control(t("trend_view", lang), list(VIEWS), format_func=labels.get, key="trend_view",
                                  default="month") or "month"
    if chosen == "month":
        crossfilter.chart(monthly, "month", "trend_month")
    elif chosen == "cumulative":
        stages = {s.key: s.short[lang] for s in model.stages()}
        stage = st.selectbox(t("stage", lang), list(stages), format_func=stages.get, key="cumulative_stage")
        st.plotly_chart(_cumulative(view, stage), width="stretch")
    else:
        flt = _range(view, chosen)
        frame = data.funnel(replace(view, filter=flt), chosen)
        title = components.chart_title(f"{t('chart_trend_by', lang)} {labels[chosen].lower()}",
                                       replace(view, filter=flt))
        events = data.calendar(replace(view, filter=flt))
        figure = charts.trend_figure(frame, lang, title, reform=view.reform, events=events)
        crossfilter.chart(figure, chosen, f"trend_{chosen}")
