"""What one script run is about, resolved once in ``app.py`` and passed to every page and data call."""

from __future__ import annotations

from dataclasses import dataclass

from analytics import access
from analytics.filters import Filter


@dataclass(frozen=True)
class View:
    """The run's scope: the snapshot it reads, who is looking, the filter authorized for them (once, in the
    sidebar), the language and the names of the districts they may choose."""

    source: str
    principal: access.Principal
    filter: Filter
    lang: str
    district_labels: dict[str, str]
