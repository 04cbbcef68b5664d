"""The events report: dialogue conferences, admission ceremonies, Tết, the months of an epidemic, a
reorganisation, with a date (or two) and a name, to mark on the trend charts."""

from __future__ import annotations

import pyarrow as pa

from analytics.events import EVENTS_SCHEMA, KINDS
from analytics.ingest.dates import parse_date
from analytics.ingest.problems import Problem
from analytics.ingest.schema import Sheet
from analytics.ingest.validate import Reference, rows, text, typed_table

#: How senders write the kinds of event (folded), the kinds' own keys included.
KIND_WORDS = {**{kind: kind for kind in KINDS}, "hoi nghi": "conference", "hoi nghi doi thoai": "conference",
              "doi thoai": "conference", "le ket nap": "ceremony", "ket nap": "ceremony", "tet": "tet",
              "dich": "covid", "gian cach": "covid", "sap xep": "reorganisation", "sap nhap": "reorganisation",
              "khac": "other"}


def parse_events(sheet: Sheet, ref: Reference) -> tuple[pa.Table, list[Problem]]:
    """Typed event rows (start, end, names, kind) and the problems found; a one-day event ends when it starts."""
    problems: list[Problem] = []
    good = []
    for row in rows(sheet, problems):
        start = row.get("start", parse_date, "bad_date")
        end = row.get("end", parse_date, "bad_date", required=False) or start
        if start and end < start:
            row.problem("date_order", "end", stage_vi="đến ngày", stage_en="end date", previous_vi="ngày",
                        previous_en="date")
        name = row.get("event", text, "required")
        name_en = row.get("event_en", text, "required", required=False) or name
        kind = row.lookup("event_kind", KIND_WORDS, "unknown_event_kind", required=False,
                          examples=", ".join(KINDS)) or "other"
        if row.ok:
            good.append((row.number, start, end, name, name_en, kind))
    return typed_table(good, EVENTS_SCHEMA), problems
