"""Events that explain the trend: dialogue conferences, admission ceremonies, Tết, the COVID-19 months of
2021, the 2025 reorganisation. A small curated table (``events.parquet``), shipped from
``data/reference/events.csv`` and loadable as a report (the ``events`` kind), marked on the trend charts."""

from __future__ import annotations

import pyarrow as pa

from analytics.config import REFERENCE_DIR
from analytics.reference import read_csv

KINDS = ("conference", "ceremony", "tet", "covid", "reorganisation", "other")
EVENTS_SCHEMA = pa.schema([("start", pa.date32()), ("end", pa.date32()), ("name_vi", pa.string()),
                           ("name_en", pa.string()), ("kind", pa.string())])


def reference_table() -> pa.Table:
    """The shipped events, an event without an end lasting one day."""
    table = read_csv(REFERENCE_DIR / "events.csv", EVENTS_SCHEMA)
    end = [e or s for s, e in zip(table["start"].to_pylist(), table["end"].to_pylist(), strict=True)]
    return table.set_column(table.column_names.index("end"), "end", pa.array(end, pa.date32()))
