"""Explore's time-to-convert section: who is counted, a histogram per step with its median and 90th
percentile, and tables of people, median and P90 per step by the page's breakdown and by referral quarter."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics import charts, conversion, fmt, model
from analytics.i18n import t
from ui import components, data
from ui.view import View


def section(view: View, by: str) -> list[str]:
    """Draw the section for the page's breakdown ``by``; the CLI commands printing its numbers."""
    lang = view.lang
    st.subheader(t("ttc_title", lang), anchor=False)
    if not conversion.shown_to(view.principal):
        st.info(t("ttc_not_for_audiences", lang))
        return []
    st.caption(t("ttc_who", lang, date=fmt.day(data.as_of(view.source, view.principal), lang)))
    total = data.time_to_convert(view, None)
    cohort = replace(view, filter=replace(view.filter, mode="cohort", window_days=None))  # whom it counts
    title = components.chart_title(t("ttc_histogram", lang), cohort)
    figure = charts.step_histogram_figure(data.step_histogram(view), total.iloc[0], lang, title)
    st.plotly_chart(figure, width="stretch")
    st.caption(t("ttc_bins", lang, days=conversion.BIN_DAYS))
    tables = [by] if by == "quarter" else [by, "quarter"]
    for key in tables:
        heading = t("ttc_by_quarter", lang) if key == "quarter" else t(
            "ttc_by", lang, dimension=model.DIMENSIONS[key].label[lang].lower())
        st.markdown(f"**{heading}**")
        _table(data.time_to_convert(view, key), key, lang)
    return [conversion.command(view.filter, None, histogram_bins=True), conversion.command(view.filter, None),
            *(conversion.command(view.filter, key) for key in tables)]


def _table(frame: pd.DataFrame, by: str, lang: str) -> None:
    """The summary as exported, each step's columns headed by the stage it reaches, each header's help the step."""
    table = conversion.export_frame(frame, by).drop(columns=[by])
    labels = {"label": model.DIMENSIONS[by].label[lang], "referred": t("ttc_referred", lang)}
    helps = {}
    for step in conversion.step_keys():
        for column in conversion.STEP_COLUMNS:
            what = t(f"step_{column}", lang)
            label = t("ttc_column", lang, stage=model.stage(step).short[lang], what=what)
            labels[f"{step}_{column}"] = label
            helps[label] = t("ttc_column_help", lang, step=conversion.step_label(step, lang), what=what)
    styled = table.rename(columns=labels).style.format(lambda value: fmt.tenths(value, lang),
                                                        subset=[labels[c] for c in table.columns if c != "label"])
    st.dataframe(styled, hide_index=True, width="stretch",
                 column_config={label: st.column_config.Column(label, help=text) for label, text in helps.items()})
