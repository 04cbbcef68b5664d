"""Typed reference tables from the CSV files of ``data/reference`` (units, crosswalk, events)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pyarrow as pa


def _value(text: str, kind: pa.DataType) -> object:
    if text == "":
        return None
    if pa.types.is_date(kind):
        return date.fromisoformat(text)
    if pa.types.is_floating(kind):
        return float(text)
    if pa.types.is_boolean(kind):
        return text.strip().lower() in ("true", "1", "x", "có", "yes")
    return text


def read_csv(path: Path, schema: pa.Schema, open_end: date | None = None) -> pa.Table:
    """The CSV at ``path`` as a table of ``schema``; an empty ``valid_to`` or ``end`` is ``open_end``."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    columns = {f.name: [_value(row.get(f.name, ""), f.type) for row in rows] for f in schema}
    for name in ("valid_to", "end"):
        if name in columns and open_end is not None:
            columns[name] = [v or open_end for v in columns[name]]
    return pa.table(columns, schema=schema)
