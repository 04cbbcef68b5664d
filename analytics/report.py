"""The report's words: the overview as a Word document for a written report, in the chosen language.

A heading (the app's title, the slice and the period), one paragraph made of the slides' sentences (the
same strings as :meth:`Overview.slides`: headline, funnel, districts, pace, trend), then the tables behind
them: the stage totals against the same months of last year, every district (stage counts and referrals
per 1,000 union members), and the pace of the year's targets when there are any. Every page's footer says
the slice, period, counting mode and how far the data goes, and that it is the sample when it is. Numbers
are written by :mod:`analytics.fmt`; a presenter's hidden counts read "<5", as everywhere.
"""

from __future__ import annotations

import io

import duckdb
import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from analytics import access, comparison, fmt, formulas, model, narrative, overview, queries
from analytics.filters import Filter
from analytics.i18n import t
from analytics.pace import TRACKED

LANGUAGE_TAGS = {"vi": "vi-VN", "en": "en-GB"}
GREY = RGBColor(0x55, 0x55, 0x55)


def change(now: float, before: float, lang: str, maturing: bool = False) -> str:
    """The change on last year as a signed percentage, "–" with nothing to compare (or a hidden count), or
    why a stage of a cohort still maturing is not compared."""
    if maturing:
        return t("not_compared_maturing", lang)
    value = comparison.change(now, before)
    return fmt.MISSING if value is None else fmt.percent(value, lang, signed=True)


def totals_rows(view: overview.Overview) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the stage totals: this period, the same months last year, the change."""
    lang, now, before = view.lang, view.totals.iloc[0], view.last_year.iloc[0]
    immature = comparison.immature(now, before)
    header = [t("stage", lang), t("report_period", lang), t("report_last_year", lang), t("report_change", lang)]
    rows = [[s.short[lang], fmt.count(now[s.key], lang), fmt.count(before[s.key], lang),
             change(now[s.key], before[s.key], lang, comparison.maturing(s.key, immature))] for s in model.stages()]
    return header, rows


def per_1000_measure(frame: pd.DataFrame) -> model.Measure | None:
    """The referrals-per-members measure when the frame carries it (the membership is known)."""
    measure = next((m for m in model.shown_in("card", model.stages()[0].key) if m.kind == "per_1000"), None)
    return measure if measure is not None and measure.key in frame and frame[measure.key].notna().any() else None


def district_rows(view: overview.Overview) -> tuple[list[str], list[list[str]]]:
    """Every district (not only the charted ones), most referrals first: the stage counts and referrals per
    1,000 union members where the membership is known."""
    lang, mode = view.lang, view.filter.mode
    frame = view.by_district.sort_values(model.stages()[0].key, ascending=False, na_position="last")
    measure = per_1000_measure(frame)
    header = [model.DIMENSIONS["district"].label[lang], *(s.short[lang] for s in model.stages())]
    header += [measure.label(lang, mode)] if measure else []
    rows = []
    for _, row in frame.iterrows():
        name = formulas.inert(str(row["label"]))  # the table copied into a spreadsheet runs no formula
        cells = [name, *(fmt.count(row[s.key], lang) for s in model.stages())]
        rows.append(cells + ([fmt.measure(row[measure.key], measure, lang)] if measure else []))
    return header, rows


def pace_rows(view: overview.Overview) -> tuple[list[str], list[list[str]]]:
    """A column per stage with a target (so that long numbers keep to one line on a portrait page), a row for
    each of: the target, the count so far, its share of the target, where the usual pace would put it by
    now, the status, the year-end projection and its 95 % interval."""
    lang = view.lang
    stages = view.pace[view.pace["status"].isin(TRACKED)]
    header = [t("stage", lang), *(model.stage(key).short[lang] for key in stages["stage"])]
    rounded = lambda column: [fmt.count(round(v), lang) for v in stages[column]]  # noqa: E731
    rows = [
        [t("report_target", lang), *(fmt.count(v, lang) for v in stages["target"])],
        [t("report_actual", lang), *(fmt.count(v, lang) for v in stages["actual"])],
        [t("report_share", lang), *(fmt.percent(a / tg, lang) for a, tg in zip(stages["actual"], stages["target"]))],
        [t("pace_expected", lang), *rounded("expected")],
        [t("report_status", lang), *(t(f"status_{status}", lang) for status in stages["status"])],
        [t("report_projection", lang), *rounded("projection")],
        [t("report_interval", lang), *(f"{low}–{high}" for low, high in zip(rounded("projection_low"),
                                                                           rounded("projection_high")))],
    ]
    return header, rows


#: A4 less 2 cm margins.
TEXT_WIDTH = 17.0


def _table(document, header: list[str], rows: list[list[str]], first: float) -> None:
    """A table whose first column is ``first`` cm wide and the others share the rest; a bold header row
    repeated on every page; numbers (all columns but the first) right-aligned; 10-point type."""
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    widths = [Cm(first)] + [Cm((TEXT_WIDTH - first) / (len(header) - 1))] * (len(header) - 1)
    for index, (cell, text) in enumerate(zip(table.rows[0].cells, header)):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
        if index:
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))  # repeat the header on each page
    for values in rows:
        cells = table.add_row().cells
        for index, (cell, text) in enumerate(zip(cells, values)):
            cell.text = text
            if index:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for column, width in zip(table.columns, widths):
        column.width = width  # the grid, which LibreOffice follows; Word follows the cells'
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            cell.width = width
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(10)


def _language(document, lang: str) -> None:
    """Spell-checking and hyphenation in the report's language (Word would take Vietnamese for English)."""
    tag = LANGUAGE_TAGS[lang]
    properties = document.styles["Normal"].element.get_or_add_rPr()
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), tag)
    properties.append(language)
    document.core_properties.language = tag


def _footer(document, lines: list[str]) -> None:
    footer = document.sections[0].footer
    for index, line in enumerate(lines):
        paragraph = footer.paragraphs[0] if index == 0 else footer.add_paragraph()
        run = paragraph.add_run(line)
        run.font.size, run.font.color.rgb = Pt(8), GREY


def build_report(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter, lang: str) -> bytes:
    """The report as .docx bytes, as ``principal`` may see it."""
    view = overview.load(con, principal, flt, lang)
    sample = t("sample_banner", lang) if queries.is_sample(con) else None
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)  # A4
    section.left_margin = section.right_margin = Cm(2)
    _language(document, lang)
    document.core_properties.title = t("app_title", lang)
    document.add_heading(t("app_title", lang), level=0)
    document.add_paragraph(narrative.context(view.filter, view.places, lang, view.as_of), style="Subtitle")
    document.add_paragraph(" ".join(view.sentences().values()))  # the slides' titles, in their order
    mode = model.MODES[view.filter.mode]
    note = document.add_paragraph().add_run(f"{t('mode', lang)} — {mode.label[lang]}: {mode.definition[lang]}")
    note.italic, note.font.color.rgb = True, GREY
    document.add_heading(t("report_totals", lang), level=1)
    _table(document, *totals_rows(view), first=5.0)
    months = view.compared_months()
    if months:
        document.add_paragraph(t("report_compared", lang, months=months))
    document.add_heading(t("table_districts", lang), level=1)
    _table(document, *district_rows(view), first=4.2)
    if view.pace is not None and view.pace["status"].isin(TRACKED).any():
        what = t("chart_pace", lang, year=view.pace_as_of.year, date=fmt.day(view.pace_as_of, lang))
        document.add_heading(what, level=1)
        _table(document, *pace_rows(view), first=5.0)
    _footer(document, [view.footer(), *([sample] if sample else [])])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
