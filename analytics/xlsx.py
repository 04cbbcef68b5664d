"""The funnel as an Excel workbook for people: what it shows written above the table (slice, period, counting
mode, how far the data goes, the command that makes the file again), headers in the page's language, numbers
as numbers with the measure's format (Excel writes them in the reader's own way: 2.339 and 52,2% in a
Vietnamese Excel), hidden counts as "x", and a second sheet with each column's definition."""

from __future__ import annotations

import io
import math
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from analytics import fmt, formulas, intervals, model, narrative, output
from analytics.filters import Filter
from analytics.i18n import t

MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel number formats of the model's measure formats (Excel swaps the marks for the reader's locale).
NUMBER_FORMATS = {"count": "#,##0", "percent": "0.0%", "decimal": "#,##0.00"}
_DAYS = {"vi": '#,##0 "ngày"', "en": '#,##0 "days"'}
_HEADER_FILL = PatternFill("solid", start_color="DDDDDD")


def heading(flt: Filter, places: narrative.Places, lang: str, as_of: date, sample: bool, threshold: int,
            command: str) -> list[tuple[str, str]]:
    """What the workbook says above its table, as (label, text) lines."""
    mode = model.MODES[flt.mode]
    lines = [
        (t("xlsx_slice", lang), narrative.where(flt, places, lang)),
        (t("xlsx_period", lang), fmt.period(flt, lang)),
        (t("mode", lang), f"{mode.label[lang]}: {mode.definition[lang]}"),
        (t("xlsx_as_of", lang), fmt.day(as_of, lang) + (f" · {t('sample_note', lang)}" if sample else "")),
    ]
    if threshold:
        lines.append((t("audience", lang), t("hidden_legend", lang, threshold=threshold)))
    return [*lines, (t("xlsx_command", lang), command)]


def _number_format(column: str, lang: str) -> str | None:
    measure = output.declared(column)  # an interval's bounds in their rate's format
    if measure is not None:
        return _DAYS[lang] if measure.format == "days" else NUMBER_FORMATS[measure.format]
    return NUMBER_FORMATS["count"] if column in model.INPUTS else None


def _value(value: object) -> object:
    """A cell's value: numbers as numbers, missing as empty, text inert and without characters XLSX forbids."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return formulas.inert(ILLEGAL_CHARACTERS_RE.sub("\ufffd", value))
    return value.item() if hasattr(value, "item") else value


def _header(column: str, by: str | None, lang: str, mode: str) -> str:
    if column == by:
        return t("xlsx_code", lang)
    if column == "label":
        return model.DIMENSIONS[by].label[lang]
    return _label(column, lang, mode)


def _bound(column: str) -> tuple[str, str] | None:
    """(rate, "low" or "high") for an interval's bound column (``<rate>_low``), else None."""
    base, _, bound = column.rpartition("_")
    return (base, bound) if bound in intervals.BOUNDS and base in model.measures() else None


def _label(column: str, lang: str, mode: str) -> str:
    if bound := _bound(column):
        return f"{model.column_label(bound[0], lang, mode)} – {t(f'interval_{bound[1]}', lang)}"
    return model.column_label(column, lang, mode)


def _definition(column: str, lang: str, mode: str) -> str:
    if bound := _bound(column):
        return t("interval_bound_definition", lang, bound=t(f"interval_{bound[1]}", lang),
                 rate=model.column_label(bound[0], lang, mode))
    return model.column_definition(column, lang, mode)


def _table(sheet: Worksheet, table: pd.DataFrame, by: str | None, lang: str, mode: str, top: int) -> None:
    """The table from row ``top``: a bold header row, frozen, with a filter; a number format per column."""
    columns = list(table.columns)
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(top, index, _value(_header(column, by, lang, mode)))
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[cell.column_letter].width = 32 if column == "label" else 14
    for row, values in enumerate(table.itertuples(index=False), start=top + 1):
        for index, (column, value) in enumerate(zip(columns, values), start=1):
            cell = sheet.cell(row, index, _value(value))
            if (number_format := _number_format(column, lang)) and not isinstance(cell.value, str):
                cell.number_format = number_format
            elif cell.value == fmt.SUPPRESSED:
                cell.alignment = Alignment(horizontal="right")
    sheet.freeze_panes = sheet.cell(top + 1, 1)
    sheet.auto_filter.ref = f"A{top}:{sheet.cell(top + len(table), len(columns)).coordinate}"


def _definitions(sheet: Worksheet, columns: list[str], by: str | None, lang: str, mode: str) -> None:
    sheet.append([t("xlsx_column", lang), t("xlsx_definitions", lang)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in columns:
        if column not in (by, "label"):
            sheet.append([_value(_label(column, lang, mode)), _value(_definition(column, lang, mode))])
    sheet.column_dimensions["A"].width, sheet.column_dimensions["B"].width = 36, 100


def funnel_workbook(frame: pd.DataFrame, by: str | None, lang: str, mode: str,
                    lines: list[tuple[str, str]]) -> bytes:
    """The funnel ``frame`` (as :func:`analytics.output.export_frame` exports it) under its heading ``lines``."""
    table = output.export_frame(frame, by)
    book = Workbook()
    sheet = book.active
    sheet.title = t("xlsx_sheet", lang)
    sheet.cell(1, 1, _value(t("app_title", lang))).font = Font(bold=True, size=14)
    for row, (label, text) in enumerate(lines, start=2):
        sheet.cell(row, 1, _value(label)).font = Font(bold=True)
        sheet.cell(row, 2, _value(text))
    _table(sheet, table, by, lang, mode, top=len(lines) + 3)
    sheet.column_dimensions["A"].width = max(14, *(len(label) + 2 for label, _ in lines))
    _definitions(book.create_sheet(t("xlsx_definitions", lang)), list(table.columns), by, lang, mode)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
