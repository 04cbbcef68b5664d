"""What one script run is about, resolved once in ``app.py`` and passed to every page and data call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from analytics import access
from analytics.filters import Filter
from analytics.narrative import Places


@dataclass(frozen=True)
class View:
    """The run's scope: the snapshot it reads, who is looking, the filter authorized for them (once, in the
    sidebar), the language, what the places are called in the filter's period, and the day of the
    reorganisation of units (None if the data has none)."""

    source: str
    principal: access.Principal
    filter: Filter
    lang: str
    places: Places
    reform: date | None
