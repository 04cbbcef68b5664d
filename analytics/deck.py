"""A PowerPoint deck for a dialogue conference: headline numbers and the overview's charts, big type.

The figures are the overview's (same queries, same titles); charts are rendered to PNG by kaleido,
which drives Debian's Chromium (``BROWSER_PATH``); its server is started once per process.
"""

from __future__ import annotations

import io
import os
from functools import cache

import duckdb
import plotly.graph_objects as go
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Inches, Pt

from analytics import access, charts, narrative, overview, queries
from analytics.filters import Filter
from analytics.i18n import t

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
IMAGE_SIZE = (1600, 900)
DARK = RGBColor(0x1D, 0x4E, 0x89)
GREY = RGBColor(0x55, 0x55, 0x55)


@cache
def _start_renderer() -> None:
    import kaleido

    os.environ.setdefault("BROWSER_PATH", "/usr/bin/chromium")
    kaleido.start_sync_server(silence_warnings=True)


def _png(fig: go.Figure) -> bytes:
    import kaleido

    _start_renderer()
    width, height = IMAGE_SIZE
    return kaleido.calc_fig_sync(fig, opts=dict(format="png", width=width, height=height))


def _text(slide, left, top, width, height, lines: list[tuple[str, int, RGBColor, bool]]) -> None:
    """A text box with one paragraph per ``(text, points, colour, bold)``."""
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for index, (text, points, colour, bold) in enumerate(lines):
        paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        paragraph.text = text
        paragraph.font.size = Pt(points)
        paragraph.font.bold = bold
        paragraph.font.color.rgb = colour


def _title_slide(deck: Presentation, context: str, lang: str, sample: bool) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    lines = [(t("app_title", lang), 40, DARK, True), (context, 24, GREY, False)]
    if sample:
        lines.append((t("sample_banner", lang), 16, GREY, False))
    _text(slide, Inches(0.8), Inches(2.2), Inches(11.7), Inches(4), lines)


def _headline_slide(deck: Presentation, cards: list[narrative.StageCard], context: str) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    _text(slide, Inches(0.6), Inches(0.4), Inches(12), Inches(0.8), [(context, 20, GREY, False)])
    width = Emu(int((SLIDE_WIDTH - Inches(1.2)) / len(cards)))
    for index, card in enumerate(cards):
        lines = [(card.label, 24, GREY, True), (card.value, 66, DARK, True)]
        lines += [(card.change, 18, GREY, False)] if card.change else []
        lines += [(note, 16, GREY, False) for note in card.notes]
        _text(slide, Inches(0.6) + width * index, Inches(1.8), width - Inches(0.2), Inches(5), lines)


def _chart_slide(deck: Presentation, fig: go.Figure) -> None:
    slide = deck.slides.add_slide(deck.slide_layouts[6])
    slide.shapes.add_picture(io.BytesIO(_png(fig)), 0, 0, width=SLIDE_WIDTH, height=SLIDE_HEIGHT)


def build_deck(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter, lang: str) -> bytes:
    """The deck as .pptx bytes, as ``principal`` may see it: title, headline numbers, funnel, districts, trend."""
    view = overview.load(con, principal, flt, lang)
    context = narrative.context(view.filter, view.places, lang)
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _title_slide(deck, context, lang, queries.is_sample(con))
    _headline_slide(deck, view.cards(), context)
    for fig in view.figures(charts.HALL).values():
        _chart_slide(deck, fig)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
