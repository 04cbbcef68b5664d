"""Pieces several pages draw: the header with the sample notice, KPI cards, the reproduce box."""

from __future__ import annotations

import html
from collections.abc import Callable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analytics import charts, fmt, intervals, model, narrative, output
from analytics.charts import ChartTitle
from analytics.filters import Filter, Month
from analytics.i18n import t
from analytics.queries import maturity_days
from analytics.ranking import rateable
from ui import crossfilter, data, identity, slide_layout
from ui.slide_layout import SlideLayout
from ui.text import plain
from ui.view import View


def where(view: View) -> str:
    return narrative.where(view.filter, view.places, view.lang)


def chart_title(what: str, view: View) -> ChartTitle:
    return narrative.chart_title(what, view.filter, view.places, view.lang, data.as_of(view.source, view.principal))


#: Less empty space above a page's title, so the headline, the cards and the funnel fit a laptop's first
#: screen (1440×900). Static CSS, no data in it.
_COMPACT = "<style>[data-testid='stMainBlockContainer']{padding-top:2.5rem}</style>"


def header(title_key: str, view: View, sentence: str | None = None) -> None:
    """The page's title, its headline sentence if any, and one line saying what is shown: period, place,
    counting mode, how far the data goes and whether it is the sample."""
    lang = view.lang
    st.html(_COMPACT)
    st.subheader(t(title_key, lang), anchor=False)
    if sentence:
        st.markdown(plain(sentence))
    mode = model.MODES[view.filter.mode]
    st.caption(
        f"**{fmt.period(view.filter, lang)}** · {plain(where(view))} · **{mode.label[lang]}**: "
        f"{mode.definition[lang]} · {data_status(view)}"
    )
    note = narrative.crosswalk_note(view.filter, view.reform, data.unit_names(view.source), view.places, lang)
    if note:
        st.caption(plain(note))
    crossfilter.chips(view)


def data_status(view: View) -> str:
    """How far the data goes and where it comes from: "Số liệu đến ngày 31/10/2026 · dữ liệu mẫu ..." or the
    last load's time."""
    lang = view.lang
    status = t("data_as_of", lang, date=fmt.day(data.as_of(view.source, view.principal), lang))
    if data.is_sample(view.source):
        return f"{status} · :material/science: {t('sample_note', lang)}"
    loaded = data.loaded_at(view.source)
    return f"{status} · {t('last_load', lang, when=loaded)}" if loaded else status


def coverage(view: View) -> None:
    """The data status grid: each area × month of the view, reported or a gap, and the areas with nothing
    in the last month (after the reorganisation the wards and communes, before it the districts)."""
    lang = view.lang
    level = "unit" if view.reform is not None and view.filter.last_day >= view.reform else "district"
    grid = data.coverage(view, level)
    if grid.empty:
        return
    title = chart_title(t("coverage_title", lang), view)
    st.plotly_chart(charts.coverage_figure(grid, lang, title), width="stretch")
    last = grid["month"].max()
    missing = grid[(grid["month"] == last) & (grid["reported"] == False)]["label"].tolist()  # noqa: E712
    month = fmt.month(Month.parse(last), lang)
    st.caption(plain(t("coverage_missing", lang, month=month, areas=", ".join(missing)) if missing
                     else t("coverage_complete", lang, month=month)))


def kpi_cards(cards: list[narrative.StageCard]) -> None:
    """One card per stage: the count, its change on last year (green or red only when beyond chance, else
    grey; in grey without an arrow, why it is not compared) and its card measures; the "?" beside the label
    gives the definitions of the count and of each measure shown."""
    for column, card in zip(st.columns(len(cards)), cards):
        with column.container(border=True):
            st.metric(card.label, card.value, delta=card.change, help=card.description,
                      delta_color="normal" if card.beyond_chance else "off",
                      delta_arrow="auto" if card.compared else "off")
            st.caption(" · ".join(card.notes) or " ")


def immature_notice(frame: pd.DataFrame, view: View) -> None:
    """In cohort mode, say when a cohort has not had the normal time to convert."""
    if view.filter.mode != "cohort" or not frame.get("immature", pd.Series(dtype=bool)).any():
        return
    as_of = data.as_of(view.source, view.principal)
    st.warning(
        t("immature", view.lang, days=maturity_days(view.filter), date=fmt.day(as_of, view.lang)),
        icon=":material/hourglass_top:",
    )


def reproduce(lang: str, queries: list[tuple[Filter, str | None]], limit: int | None = None,
              audience: str | None = None, more: list[str] = ()) -> None:
    """The CLI commands that print the numbers this page shows, one per query it ran (with ``limit``, and
    for an ``audience`` as it sees them), then ``more`` commands."""
    lines = [output.command(flt, by, "json", limit if by else None, audience) for flt, by in queries] + list(more)
    with st.expander(t("reproduce", lang)):
        st.code("\n".join(lines), language="bash")


#: Groups a leaks chart draws at most (the largest by referrals); the table lists them all.
LEAKS_CHARTED = 25


def leaks_chart(frame: pd.DataFrame, dimension: model.Dimension, view: View) -> None:
    """Explore's chart of where the funnel leaks: the largest groups' "leaks" measures, saying how many
    groups are charted and how many were too small to rate (they stay in the table)."""
    lang, mode = view.lang, view.filter.mode
    largest = frame.nlargest(LEAKS_CHARTED, model.stage_keys()[0])
    title = chart_title(f"{t(f'chart_leaks_{mode}', lang)} · {dimension.label[lang]}", view)
    figure = charts.conversion_figure(largest, lang, title, dimension.label[lang], mode)
    if crossfilter.clickable(dimension.key):
        crossfilter.chart(figure, dimension.key, f"leaks_{dimension.key}")
    else:
        st.plotly_chart(figure, width="stretch")
    first = model.shown_in("leaks")[0]
    rated = int(rateable(largest, first).sum())
    st.caption(t("leaks_charted", lang, shown=rated, total=fmt.number(frame["groups"].iloc[0] if "groups" in frame
                                                                        else len(frame), lang),
                 minimum=model.MIN_GROUP, denominator=model.stage(first.denominator).short[lang].lower())
               + " " + t("error_bars", lang, method=t(f"method_{intervals.kind(first, mode)}", lang)))


#: Interval columns (in exports and the ranking beside the funnel plot, not in the wide table).
BOUND_SUFFIXES = tuple(f"_{bound}" for bound in intervals.BOUNDS)


def funnels_chart(frame: pd.DataFrame, dimension: model.Dimension, view: View) -> None:
    """Explore's small multiples: a funnel per group on one scale, saying how many of the groups are drawn."""
    lang = view.lang
    title = chart_title(f"{t('chart_funnels', lang)} · {dimension.label[lang]}", view)
    st.plotly_chart(charts.funnels_figure(frame, lang, title), width="stretch")
    total = frame["groups"].iloc[0] if "groups" in frame else len(frame)
    st.caption(t("funnels_charted", lang, shown=fmt.number(min(len(frame), charts.FUNNELS_CHARTED), lang),
                 total=fmt.number(total, lang)))


def _formatter(column: str, lang: str):
    if column == "immature":
        return lambda v: "⏳" if v else ""
    return lambda v: fmt.measure(v, output.declared(column), lang)


def measure_table(frame: pd.DataFrame, by: str, view: View) -> None:
    """The exported columns under their labels, numbers in the view's language, each header's help its
    definition from the model (worded for the counting mode)."""
    lang, mode = view.lang, view.filter.mode
    table = output.export_frame(frame, by)
    table = table.drop(columns=[by, *(c for c in table if c.endswith(BOUND_SUFFIXES))])  # intervals: the ranking
    labels = {c: model.column_label(c, lang, mode) for c in table.columns if c != "label"}
    labels["label"] = model.DIMENSIONS[by].label[lang]
    helps = {labels[c]: model.column_definition(c, lang, mode) for c in table.columns if c != "label"}
    formats = {labels[c]: _formatter(c, lang) for c in table.columns if c != "label"}
    styled = table.rename(columns=labels).style.format(formats)
    st.dataframe(styled, hide_index=True, width="stretch",
                 column_config={label: st.column_config.Column(label, help=text) for label, text in helps.items()})


def download(rows: Callable[[], pd.DataFrame], by: str | None, view: View, name: str,
             compare: str | None = None) -> None:
    """``rows()`` as CSV (for machines) and as Excel (for people, headed by what it shows and the command that
    makes the same file), each made when its button is clicked (on a thread of its own: no Streamlit calls) if
    the user still has the access the page was drawn with (:func:`ui.identity.guarded`); ``compare``: the
    baseline's CLI name when the rows carry a comparison."""
    from analytics import xlsx  # openpyxl (a second at a cold start) only once a page offers a download

    lang, flt, stem = view.lang, view.filter, f"{name}_{view.filter.start}_{view.filter.end}"
    command = output.command(flt, by, "xlsx", None, view.principal.audience, lang, f"{stem}.xlsx", compare=compare)
    lines = xlsx.heading(flt, view.places, lang, data.as_of(view.source, view.principal), data.is_sample(view.source),
                         view.principal.threshold, command)
    csv_column, xlsx_column = st.columns(2)
    csv_column.download_button(
        t("download_csv", lang),
        identity.guarded(view.principal, lambda: output.csv_bytes(output.export_frame(rows(), by))),
        file_name=f"{stem}.csv", mime="text/csv", icon=":material/download:",
        on_click="ignore",  # nothing on the page changes
    )
    xlsx_column.download_button(
        t("download_xlsx", lang),
        identity.guarded(view.principal, lambda: xlsx.funnel_workbook(rows(), by, lang, flt.mode, lines)),
        file_name=f"{stem}.xlsx", mime=xlsx.MIME, icon=":material/table_view:", on_click="ignore",
    )


def slide(sentence: str, figure: go.Figure, footer: str, number: int, count: int, layout: SlideLayout,
          full_screen: bool, demo: str | None) -> None:
    """A slide: the title sentence, the figure and the footer (slice, period, counting mode, data as of and the
    slide's number), sized by ``layout``; in full screen without Streamlit's header, sidebar or anything else
    (``demo``, the sample data's label, then in a small corner). Only static CSS and escaped text go into the
    HTML."""
    pad = layout.padding
    chrome = (f"[data-testid='stSidebar'],[data-testid='stHeader'],[data-testid='stSidebarCollapsedControl'],"
              f".st-key-demo_banner{{display:none}} [data-testid='stMainBlockContainer']"
              f"{{padding:{pad}px {pad}px 0;max-width:100%}} [data-testid='stMainBlockContainer'] "
              f"[data-testid='stVerticalBlock']{{gap:0}}" if full_screen else
              f"[data-testid='stMainBlockContainer']{{padding-bottom:{pad}px}}")
    st.html(
        f"<style>{chrome} .st-key-slide_stage{{display:none}}"
        f".slide-title{{font-size:{layout.title_px}px;line-height:{slide_layout.LINE_HEIGHT};font-weight:700;"
        f"color:#111;margin:0 0 {pad}px}}"
        f".slide-footer{{{'position:fixed;left:0;right:0;bottom:0;' if full_screen else ''}"
        f"padding:{pad // 2}px {pad}px;display:flex;"
        f"justify-content:space-between;gap:{pad}px;font-size:{layout.footer_px}px;line-height:1.25;color:#222;"
        f"background:#fff;border-top:1px solid #999;z-index:999990}}"
        f".slide-demo{{position:fixed;top:4px;right:8px;font-size:{max(12, layout.footer_px // 2)}px;color:#666;"
        f"z-index:999990}}</style>"
        f"<p class='slide-title'>{html.escape(sentence)}</p>"
    )
    st.plotly_chart(figure, width="stretch", config={"displayModeBar": False, "responsive": True})
    corner = f"<div class='slide-demo'>{html.escape(demo)}</div>" if demo and full_screen else ""
    st.html(f"{corner}<div class='slide-footer'><span>{html.escape(footer)}</span>"
            f"<span class='slide-number'>{number} / {count}</span></div>")


def deck_download(view: View) -> None:
    """Offer the deck on request; it is built when the download is clicked, for a user who still has access."""
    lang = view.lang
    if st.button(t("make_deck", lang), icon=":material/slideshow:") or st.session_state.get("deck_for") == view.filter:
        st.session_state["deck_for"] = view.filter
        st.download_button(
            t("download_deck", lang), identity.guarded(view.principal, lambda: data.deck(view)),
            file_name=_file_name(view, "pptx"),
            mime="application/vnd.openxmlformats-officedocument.presentationml.presentation",
            icon=":material/download:", on_click="ignore",
        )


def _file_name(view: View, suffix: str) -> str:
    return f"phat-trien-dang-vien_{view.filter.start}_{view.filter.end}.{suffix}"


def report_download(view: View) -> None:
    """The Word report (the slides' sentences and the tables behind them), made when the button is clicked
    (on a thread of its own: no Streamlit calls in it) for a user who still has access."""
    st.download_button(
        t("download_report", view.lang), identity.guarded(view.principal, lambda: data.report(view)),
        file_name=_file_name(view, "docx"),
        mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        icon=":material/description:", on_click="ignore",  # nothing on the page changes
    )


def pictures_download(view: View) -> None:
    """Every slide's chart as a 1920×1080 PNG in one .zip, made when the button is clicked (a few seconds:
    Chromium draws them)."""
    st.download_button(
        t("download_pictures", view.lang), identity.guarded(view.principal, lambda: data.pictures(view)),
        file_name=_file_name(view, "zip"),
        mime="application/zip", icon=":material/image:", on_click="ignore",
    )
