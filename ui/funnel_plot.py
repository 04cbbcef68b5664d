"""Explore's fair comparison of many groups: the funnel plot (each group's rate against its size, the whole
selection's rate and the 95 % and 99.8 % control limits) and the leaderboard beside it (rate and interval;
groups too small to rank listed after the ranked ones)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import charts, fmt, intervals, model, ranking
from analytics.i18n import t
from ui.components import chart_title
from ui.view import View


def section(frame: pd.DataFrame, totals: pd.DataFrame, dimension: model.Dimension, view: View) -> None:
    """The funnel plot and the leaderboard of ``frame``'s groups for a rate the user picks, against the rate
    of the whole selection (``totals``), and a caption saying how many groups are plotted and ranked."""
    lang, mode = view.lang, view.filter.mode
    choices = {m.key: m for m in model.shown_in("leaks")}
    measure = choices[st.selectbox(t("funnel_measure", lang), list(choices), key="funnel_measure",
                                   format_func=lambda key: choices[key].label(lang, mode))]
    p0 = ranking.provincial_rate(totals.iloc[0], measure)
    board = ranking.leaderboard(frame, measure, mode, p0)
    if p0 is None or board["rate"].isna().all():
        st.info(t("funnel_plot_none", lang))
        return
    title = chart_title(f"{t('chart_funnel_plot', lang)} · {measure.label(lang, mode)}", view)
    plot, ranked = st.columns([1, 1])
    plot.plotly_chart(charts.funnel_plot_figure(board, p0, intervals.kind(measure, mode), measure, lang, mode,
                                                title), width="stretch")
    with ranked:
        _leaderboard(board, measure, dimension, view)
    groups = frame["groups"].iloc[0] if "groups" in frame else len(frame)
    st.caption(t("funnel_plot_note", lang, groups=fmt.number(groups, lang),
                 plotted=fmt.number(int(board["rate"].notna().sum()), lang),
                 ranked=fmt.number(int(board["rank"].notna().sum()), lang), minimum=model.MIN_GROUP))


def _leaderboard(board: pd.DataFrame, measure: model.Measure, dimension: model.Dimension, view: View) -> None:
    """The leaderboard as a table: numbers kept as numbers (sortable, the same as the CLI's), written in the
    view's language."""
    lang, mode = view.lang, view.filter.mode
    labels = {"rank": t("rank", lang), "label": dimension.label[lang], "rate": measure.label(lang, mode),
              "low": t("interval_low", lang), "high": t("interval_high", lang),
              "size": model.stage(measure.denominator).short[lang], "status": t("limit_status", lang)}
    table = board[list(labels)].assign(status=[t(f"limit_short_{s}", lang) if isinstance(s, str) else ""
                                               for s in board["status"]])
    rate = lambda v: fmt.measure(v, measure, lang)  # noqa: E731
    formats = {labels["rate"]: rate, labels["low"]: rate, labels["high"]: rate,
               labels["size"]: lambda v: fmt.count(v, lang), labels["rank"]: lambda v: "" if pd.isna(v) else str(v)}
    narrow = {label: st.column_config.Column(label, width="small") for key, label in labels.items() if key != "label"}
    st.dataframe(table.rename(columns=labels).style.format(formats), hide_index=True, width="stretch",
                 height=min(ROWS_HIGH, 35 * (len(table) + 1) + 3), column_config=narrow)


#: The leaderboard's height in pixels at most (about the funnel plot's); it scrolls beyond.
ROWS_HIGH = 520
