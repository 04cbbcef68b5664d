"""Every slide's chart as a picture: the figures of :meth:`Overview.slides` (the slide mode's, in the hall's
type sizes) rendered to PNG at 1920×1080 and zipped (``01-headline.png``, ``02-funnel.png``, ...), for
people who paste charts into their own slides or documents.

kaleido renders with Debian's Chromium (``BROWSER_PATH``). Its server is started once per process: each
picture then takes a fraction of a second instead of a browser start of about four.
"""

from __future__ import annotations

import io
import os
import zipfile
from functools import cache

import duckdb
import plotly.graph_objects as go

from analytics import access, overview
from analytics.filters import Filter

WIDTH, HEIGHT = 1920, 1080


@cache
def _start_renderer() -> None:
    import kaleido

    os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    kaleido.start_sync_server(silence_warnings=True)


def png(figure: go.Figure) -> bytes:
    """``figure`` as a WIDTH × HEIGHT PNG (the size given here wins over the figure's own height)."""
    import kaleido

    _start_renderer()
    return kaleido.calc_fig_sync(figure, opts=dict(format="png", width=WIDTH, height=HEIGHT))


def build_pictures(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter, lang: str) -> bytes:
    """A zip of one PNG per slide, as ``principal`` may see it, named by the slide's place and key."""
    view = overview.load(con, principal, flt, lang)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PNGs are compressed already
        for number, slide in enumerate(view.slides(), start=1):
            entry = zipfile.ZipInfo(f"{number:02d}-{slide.key}.png", date_time=view.as_of.timetuple()[:6])
            entry.external_attr = 0o644 << 16  # readable by all once unzipped (writestr would make it 0600)
            archive.writestr(entry, png(slide.figure))
    return out.getvalue()
