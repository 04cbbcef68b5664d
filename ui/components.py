"""Pieces several pages draw: the header with the sample notice, KPI cards, the reproduce box."""

from __future__ import annotations

import shlex

import pandas as pd
import streamlit as st

from analytics import fmt, model, output
from analytics.charts import ChartTitle
from analytics.filters import Filter
from analytics.i18n import t
from analytics.queries import maturity_days
from ui import data
from ui.sidebar import View
from ui.text import plain


def where(view: View) -> str:
    """The slice in words: districts (or the whole province) and sectors."""
    lang = view.lang
    flt = view.filter
    place = ", ".join(view.district_labels.get(d, d) for d in flt.districts) or t("all_districts", lang)
    if flt.sectors:
        names = {s.key: s.name[lang] for s in model.sectors()}
        place += " · " + ", ".join(names[s] for s in flt.sectors)
    return place


def chart_title(what: str, view: View) -> ChartTitle:
    """Every chart says what, where and when (and how it counts)."""
    lang = view.lang
    mode = model.MODES[view.filter.mode][lang]
    return ChartTitle(what, f"{where(view)} · {fmt.period(view.filter, lang)} · {mode}")


def header(title_key: str, view: View) -> None:
    lang = view.lang
    st.title(t(title_key, lang))
    if data.is_sample():
        st.info(t("sample_banner", lang), icon=":material/science:")
    mode = view.filter.mode
    st.caption(
        f"**{fmt.period(view.filter, lang)}** · {plain(where(view))} · **{model.MODES[mode][lang]}**: "
        f"{model.MODE_DESCRIPTIONS[mode][lang]}"
    )


def _change(now: float, before: float, lang: str) -> str | None:
    if not before or pd.isna(before) or pd.isna(now):  # nothing to compare, or suppressed
        return None
    return f"{fmt.percent((now - before) / before, lang, signed=True)} {t('vs_last_year', lang)}"


def kpi_cards(current: pd.Series, last_year: pd.Series, lang: str) -> None:
    """One card per stage: the count, its change on last year, step conversion and target progress."""
    for column, stage in zip(st.columns(len(model.stages())), model.stages()):
        count, before = current[stage.key], last_year[stage.key]
        with column.container(border=True):
            st.metric(
                stage.short[lang], fmt.count(count, lang), delta=_change(count, before, lang),
                help=stage.name[lang],
            )
            notes = []
            if stage.order > 1:
                notes.append(t("of_previous_step", lang, rate=fmt.percent(current[f"{stage.key}_step_rate"], lang)))
            progress = current.get(f"{stage.key}_target_progress")
            if progress is not None and not pd.isna(progress):
                notes.append(t("of_target", lang, rate=fmt.percent(progress, lang)))
            if stage.order == 1 and not pd.isna(current.get("referred_per_1000_members")):
                value = fmt.number(current["referred_per_1000_members"], lang, 2)
                notes.append(t("per_1000", lang, value=value))
            st.caption(" · ".join(notes) or " ")


def immature_notice(frame: pd.DataFrame, view: View) -> None:
    """In cohort mode, say when a cohort has not had the normal time to convert."""
    if view.filter.mode != "cohort" or not frame.get("immature", pd.Series(dtype=bool)).any():
        return
    st.warning(
        t("immature", view.lang, days=maturity_days(view.filter), date=fmt.day(data.as_of(), view.lang)),
        icon=":material/hourglass_top:",
    )


def reproduce(lang: str, queries: list[tuple[Filter, str | None]]) -> None:
    """The CLI commands that print the numbers this page shows, one per query it ran."""
    lines = []
    for flt, by in queries:
        args = ["python", "-m", "analytics", "funnel", *flt.to_cli_args(), "--format", "json"]
        lines.append(shlex.join([*args, "--by", by] if by else args))
    with st.expander(t("reproduce", lang)):
        st.code("\n".join(lines), language="bash")


def _formatter(column: str, lang: str):
    measure = model.measures().get(column)
    if measure and measure.kind == "rate":
        return lambda v: fmt.percent(v, lang)
    if measure and measure.kind == "per_1000":
        return lambda v: fmt.number(v, lang, 2)
    if column == "immature":
        return lambda v: "⏳" if v else ""
    if measure and measure.kind == "count":
        return lambda v: fmt.count(v, lang)
    return lambda v: fmt.number(v, lang)


def measure_table(frame: pd.DataFrame, by: str, lang: str) -> pd.io.formats.style.Styler:
    """The exported columns under their labels, numbers shown in ``lang``'s format."""
    table = output.export_frame(frame, by).drop(columns=[by])
    labels = {c: model.column_label(c, lang) for c in table.columns if c != "label"}
    labels["label"] = model.DIMENSIONS[by].label[lang]
    formats = {labels[c]: _formatter(c, lang) for c in table.columns if c != "label"}
    return table.rename(columns=labels).style.format(formats)


def download(frame: pd.DataFrame, by: str | None, view: View, name: str) -> None:
    st.download_button(
        t("download_csv", view.lang), output.to_csv(frame, by).encode("utf-8-sig"),
        file_name=f"{name}_{view.filter.start}_{view.filter.end}.csv", mime="text/csv",
        icon=":material/download:",
    )
