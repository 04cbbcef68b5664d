"""One shape for every export: the CLI's json/csv/table and the pages' downloads."""

from __future__ import annotations

import json
import math
import shlex
from dataclasses import replace

import pandas as pd

from analytics import fmt, formulas, intervals, model
from analytics.filters import Filter

FORMATS = ("json", "csv", "table")
#: Rates in a CSV: 0.4683 (46,83 %), enough for the page's one decimal of a percent and 1/10 000 more.
RATE_DIGITS = 4
#: CSV files are UTF-8 with a BOM, so that Excel reads Vietnamese as such.
CSV_ENCODING = "utf-8-sig"


#: Union members and yearly targets: whole numbers, missing where none were recorded.
DENOMINATORS = tuple(model.INPUTS)


def export_columns(frame: pd.DataFrame, by: str | None) -> list[str]:
    """The columns an export carries, in the model's order: group, label, stage counts, a comparison's
    baseline count and change per stage, other measures (a rate followed by its interval's ``_low`` and
    ``_high``), inputs, flags."""
    stages = list(model.stage_keys())
    compared = [f"{stage}_{part}" for stage in stages for part in model.COMPARED]
    measures = [column for key in model.measures() if key not in stages for column in (key, *intervals.columns(key))]
    wanted = ([by, "label"] if by else []) + stages + compared + measures + list(DENOMINATORS) + ["immature"]
    return [c for c in wanted if c in frame.columns]


def declared(column: str) -> model.Measure | None:
    """The measure a column shows (an interval's bound is in its measure's format, a comparison's baseline in
    its stage's and its change as a percentage), None for others."""
    if compared := model.compared_stage(column):
        count = model.measures()[compared[0]]
        return count if compared[1] == "before" else replace(count, format="percent")
    base, _, bound = column.rpartition("_")
    return model.measures().get(column) or (model.measures().get(base) if bound in intervals.BOUNDS else None)


def _whole(values: pd.Series, missing: object) -> pd.Series:
    return pd.Series([missing if pd.isna(v) else int(v) for v in values], index=values.index, dtype=object)


def export_frame(frame: pd.DataFrame, by: str | None) -> pd.DataFrame:
    """The funnel frame as exported: the group key under the dimension's name, whole numbers as such.

    A count is missing only when it is hidden from a restricted audience; it is exported as "x".
    """
    renamed = frame.rename(columns={"key": by}) if by else frame
    table = renamed[export_columns(renamed, by)].copy()
    for key in [*model.stage_keys(), *(f"{s}_before" for s in model.stage_keys() if f"{s}_before" in table)]:
        if not pd.api.types.is_integer_dtype(table[key]):
            table[key] = _whole(table[key], fmt.SUPPRESSED)
    for key in DENOMINATORS:
        if key in table:
            table[key] = _whole(table[key], None)
    return table


def _plain(value: object) -> object:
    """A JSON-safe Python value: NaN and NA become null, numpy scalars plain numbers."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value


def records(frame: pd.DataFrame, by: str | None) -> list[dict]:
    table = export_frame(frame, by)
    return [{k: _plain(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


def to_json(frame: pd.DataFrame, by: str | None) -> str:
    rows = records(frame, by)
    return json.dumps(rows if by else rows[0], ensure_ascii=False, indent=2) + "\n"


def csv_text(frame: pd.DataFrame) -> str:
    """Any table as CSV: rates rounded to :data:`RATE_DIGITS`, text a spreadsheet would run made inert."""
    return formulas.inert_frame(frame.round(RATE_DIGITS)).to_csv(index=False)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """:func:`csv_text` as a file: UTF-8 with a BOM."""
    return csv_text(frame).encode(CSV_ENCODING)


def to_csv(frame: pd.DataFrame, by: str | None) -> str:
    return csv_text(export_frame(frame, by))


def _cell(column: str, value: object, lang: str) -> str:
    if isinstance(value, bool):
        return "x" if value else ""
    if isinstance(value, str):
        return formulas.inert(value)
    return fmt.measure(value, declared(column), lang)


def to_table(frame: pd.DataFrame, by: str | None, lang: str) -> str:
    """A fixed-width text table with numbers in ``lang``'s format."""
    table = export_frame(frame, by)
    header = list(table.columns)
    rows = [[_cell(c, v, lang) for c, v in zip(header, row)] for row in table.itertuples(index=False)]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows)]
    lines = ["  ".join(str(x).rjust(w) for x, w in zip(line, widths)) for line in [header, *rows]]
    return "\n".join(lines) + "\n"


def counts_only(frame: pd.DataFrame) -> pd.DataFrame:
    """The group, its label, the stage counts (with a comparison's columns) and (cohorts) the maturity flag: no
    rates or denominators."""
    return frame[[c for c in ("key", "label", *model.stage_keys(), "immature") if c in frame.columns]
                 + [c for c in frame.columns if model.compared_stage(c)]]


def render(frame: pd.DataFrame, by: str | None, fmt_name: str, lang: str) -> str:
    if fmt_name == "json":
        return to_json(frame, by)
    if fmt_name == "csv":
        return to_csv(frame, by)
    return to_table(frame, by, lang)


def _row_cell(value: object, lang: str) -> object:
    if isinstance(value, str):
        return formulas.inert(value)
    return fmt.number(value, lang, 1 if isinstance(value, float) and value % 1 else 0)


def render_rows(frame: pd.DataFrame, fmt_name: str, lang: str) -> str:
    """A frame of plain rows (not a funnel) as JSON (a list of objects), CSV or a text table."""
    rows = [{k: _plain(v) for k, v in row.items()} for row in frame.to_dict(orient="records")]
    if fmt_name == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt_name == "csv":
        return csv_text(frame)
    header = list(frame.columns)
    shown = [[_row_cell(v, lang) for v in row] for row in frame.itertuples(index=False)]
    widths = [max(len(str(x)) for x in column) for column in zip(header, *shown)]
    return "\n".join("  ".join(str(x).rjust(w) for x, w in zip(line, widths)) for line in [header, *shown]) + "\n"


def command(flt: Filter, by: str | None, fmt_name: str = "json", limit: int | None = None,
            audience: str | None = None, lang: str | None = None, output: str | None = None,
            rates: bool = True, compare: str | None = None) -> str:
    """The ``python -m analytics funnel`` command that prints (or with ``output`` writes) these numbers (with
    ``compare``, a baseline's CLI name, their comparison)."""
    args = ["python", "-m", "analytics", "funnel", *flt.to_cli_args(), *(["--rates"] if rates else []),
            "--format", fmt_name]
    args += ["--by", by] if by else []
    args += ["--compare", compare] if compare else []
    args += ["--limit", str(limit)] if limit else []
    args += ["--audience", audience] if audience else []
    args += ["--lang", lang] if lang else []
    args += ["--output", output] if output else []
    return shlex.join(args)
