"""A PowerPoint deck for a dialogue conference, built from the overview's slides, with native charts.

Each of :meth:`Overview.slides` becomes a slide titled by its sentence: the headline numbers as big text,
the funnel, districts, pace and trend as PowerPoint charts that carry their data (editable in PowerPoint or
Impress: restyle them, read the numbers back, correct a label). Every slide has the footer (slice, period,
counting mode, data as of, and the sample note on the sample) and speaker notes with each number shown and
the definitions of the measures. A presenter's hidden counts are empty points in the charts and "<5" in the
notes, as everywhere.

Text boxes are sized from the text (see :func:`text_lines`): a ~250-character title sentence gets a font that
fits it in three lines; a headline number never wraps (its box has word wrap off and room for the longest).
"""

from __future__ import annotations

import io
import math
import unicodedata
from dataclasses import dataclass, field

import duckdb
import pandas as pd
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.util import Emu, Inches, Pt

from analytics import access, charts, fmt, formulas, model, narrative, overview, queries
from analytics.filters import Filter
from analytics.i18n import t
from analytics.pace import TRACKED

SLIDE_WIDTH, SLIDE_HEIGHT = Inches(13.333), Inches(7.5)
MARGIN = Inches(0.5)
CONTENT_WIDTH = SLIDE_WIDTH - 2 * MARGIN
TITLE_TOP, TITLE_HEIGHT = Inches(0.3), Inches(1.5)
BODY_TOP, BODY_HEIGHT = Inches(1.95), Inches(4.7)
FOOTER_TOP, FOOTER_HEIGHT = Inches(6.75), Inches(0.65)
#: Under a chart with hidden values, the line that says what an empty bar means.
HIDDEN_NOTE_HEIGHT = Inches(0.35)
#: Title sizes tried, largest first: the first that fits the sentence in :data:`TITLE_LINES` lines is used.
TITLE_POINTS = (28, 26, 24, 22, 20, 18, 16)
TITLE_LINES = 3
DARK = RGBColor(0x1D, 0x4E, 0x89)
GREY = RGBColor(0x55, 0x55, 0x55)
INK = RGBColor(0x22, 0x22, 0x22)
#: Charts' own text (axes, legend, data labels).
CHART_POINTS = 14
#: Bars (each group's bars plus its gap, in bar heights) the plot has room to label: beyond that the labels of
#: neighbouring bars would touch (9 districts × 3 stages fit). The notes give every value anyway.
LABELLED_BARS = 32
#: Category names at the larger size up to this many categories.
LARGE_CATEGORIES = 12

# Advance widths (in ems) of DejaVu Sans, the widest of the fonts a deck meets (LibreOffice's fallback for
# Calibri); Calibri and Arial are narrower, so text sized by these fits in PowerPoint too. A Vietnamese
# letter is as wide as its base letter (ư as u), except Ư and Ơ (their horn sticks out).
_WIDTHS = {" ": 0.32, ".": 0.32, ",": 0.32, ";": 0.34, ":": 0.34, "(": 0.39, ")": 0.39, "%": 0.95, "–": 0.5,
           "/": 0.34, "-": 0.36, "<": 0.84, "+": 0.84, "·": 0.32, "i": 0.28, "l": 0.28, "j": 0.28, "t": 0.39,
           "f": 0.35, "r": 0.41, "c": 0.55, "s": 0.52, "z": 0.52, "k": 0.58, "v": 0.59, "x": 0.59, "y": 0.59,
           "m": 0.97, "w": 0.82, "I": 0.29, "J": 0.29, "M": 0.86, "W": 0.99, "Ư": 0.86, "Ơ": 0.91}
_DIGIT, _UPPER, _OTHER, _BOLD = 0.64, 0.79, 0.63, 1.14
#: Room kept spare in a line: renderers differ in kerning and the last few points.
_SPARE = 0.96


def text_width(text: str, points: float, bold: bool = False) -> float:
    """An upper estimate of ``text``'s width in points at ``points`` size."""
    ems = 0.0
    for char in text:
        base = unicodedata.normalize("NFD", char)[0]
        ems += _WIDTHS.get(char, _WIDTHS.get(base, _DIGIT if base.isdigit() else _UPPER if base.isupper() else _OTHER))
    return ems * points * (_BOLD if bold else 1.0)


def text_lines(text: str, points: float, width: float, bold: bool = False) -> int:
    """How many lines ``text`` takes in a box ``width`` points wide, wrapped at spaces."""
    lines, line = 1, ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if line and text_width(candidate, points, bold) > width * _SPARE:
            lines, line = lines + 1, word
        else:
            line = candidate
    return lines


def _inner_width(width: Emu) -> float:
    """A box's text width in points (less PowerPoint's default 0.1-inch insets)."""
    return Emu(width - Inches(0.2)).pt


# ---------------------------------------------------------------------------------------------------
# What each chart slide carries: categories, series (values with NaN as None), and the notes' lines.


@dataclass(frozen=True)
class Series:
    name: str
    colour: str
    values: list[float | None]
    point_colours: list[str] | None = None  # per bar (the pace's statuses)


@dataclass(frozen=True)
class ChartSpec:
    kind: int  # an XL_CHART_TYPE
    categories: list[str]
    series: list[Series]
    number_format: str
    values: list[str]  # one line per bar or point, as the notes say it
    definitions: list[str] = field(default_factory=list)

    @property
    def hidden(self) -> bool:
        """Whether a value is hidden (a presenter's small count): its bar or point is left empty."""
        return any(value is None for series in self.series for value in series.values)


def _value(value: object) -> float | None:
    """A chart value: a suppressed (NaN) number is no point at all."""
    return None if value is None or pd.isna(value) else float(value)


def count_format(lang: str) -> str:
    """A number format that writes counts with the language's thousands mark whatever the viewer's locale
    (PowerPoint would otherwise use the computer's: 2,339 on a Vietnamese slide)."""
    mark = "." if lang == "vi" else ","
    return f'[>=1000000]#"{mark}"###"{mark}"##0;[>=1000]#"{mark}"##0;0'


PERCENT_FORMAT = "0%"  # whole percents: no decimal mark to get wrong; the notes give one decimal


def _definition(measure: model.Measure, lang: str, mode: str) -> str:
    return f"{measure.label(lang, mode)}: {measure.definition(lang, mode)}"


def _stage_definitions(stages, lang: str, mode: str, extra: list[model.Measure] = ()) -> list[str]:
    return [_definition(model.measures()[s.key], lang, mode) for s in stages] + [
        _definition(m, lang, mode) for m in extra]


def funnel_spec(view: overview.Overview) -> ChartSpec:
    """The stages as horizontal bars, each in its stage's colour; the notes add each stage's funnel ratios."""
    lang, mode, totals = view.lang, view.filter.mode, view.totals.iloc[0]
    stages = model.stages()
    lines = []
    for s in stages:
        notes = charts.measure_notes(totals, "funnel", s.key, lang, mode)
        lines.append(" · ".join([f"{s.short[lang]}: {fmt.count(totals[s.key], lang)}", *notes]))
    series = Series(t("count", lang), stages[0].colour, [_value(totals[s.key]) for s in stages],
                    [s.colour for s in stages])
    return ChartSpec(XL_CHART_TYPE.BAR_CLUSTERED, [s.short[lang] for s in stages], [series], count_format(lang),
                     lines, _stage_definitions(stages, lang, mode, model.shown_in("funnel")))


def districts_spec(view: overview.Overview) -> ChartSpec:
    """The charted districts, most referrals first, a bar per stage the screen chart shows (not official:
    it lags a year); the notes also give referrals per 1,000 members where known."""
    lang, mode = view.lang, view.filter.mode
    shown = view.charted_districts().sort_values(model.stages()[0].key, ascending=False)
    stages = model.stages()[:3]
    series = [Series(s.short[lang], s.colour, [_value(v) for v in shown[s.key]]) for s in stages]
    per_1000 = next((m for m in model.shown_in("card", stages[0].key) if m.kind == "per_1000"), None)
    lines = [f"{label} · {s.short[lang]}: {fmt.count(row[s.key], lang)}"
             for label, (_, row) in zip(shown["label"], shown.iterrows()) for s in stages]
    extra = []
    if per_1000 is not None and per_1000.key in shown:
        lines += [f"{label} · {per_1000.label(lang, mode)}: {fmt.measure(value, per_1000, lang)}"
                  for label, value in zip(shown["label"], shown[per_1000.key])]
        extra = [per_1000]
    return ChartSpec(XL_CHART_TYPE.BAR_CLUSTERED, [str(x) for x in shown["label"]], series, count_format(lang),
                     lines, _stage_definitions(stages, lang, mode, extra))


def pace_rows(view: overview.Overview) -> pd.DataFrame:
    """The stages the pace chart shows: those with a target."""
    return view.pace[view.pace["status"].isin(TRACKED)]


def pace_spec(view: overview.Overview) -> ChartSpec:
    """Per stage with a target, as shares of the year's target: the count so far (coloured by status), where
    the usual pace would put it by now, and the year-end projection (as the screen chart)."""
    lang, mode = view.lang, view.filter.mode
    rows = pace_rows(view)
    labels = [f"{model.stage(st).short[lang]} · {t(f'status_{status}', lang)}"
              for st, status in zip(rows["stage"], rows["status"])]
    share = lambda column: [_value(v / target) for v, target in zip(rows[column], rows["target"])]  # noqa: E731
    series = [
        Series(t("pace_so_far", lang), charts.PACE_COLOURS["on_track"], share("actual"),
               [charts.PACE_COLOURS[status] for status in rows["status"]]),
        Series(t("pace_expected", lang), "#555555", share("expected")),
        Series(t("pace_projection", lang), "#b0bec5", share("projection")),
    ]
    lines = []
    for label, row in zip(labels, rows.itertuples(index=False)):
        lines += [
            f"{label} · {t('pace_so_far', lang)}: {fmt.count(row.actual, lang)} / {fmt.count(row.target, lang)} "
            f"({fmt.percent(row.actual / row.target, lang)})",
            f"{label} · {t('pace_expected', lang)}: {fmt.count(round(row.expected), lang)} "
            f"({fmt.percent(row.expected / row.target, lang)})",
            f"{label} · {t('pace_projection', lang)}: {fmt.count(round(row.projection), lang)} "
            f"({fmt.count(round(row.projection_low), lang)}–{fmt.count(round(row.projection_high), lang)}; "
            f"{fmt.percent(row.projection / row.target, lang)})",
        ]
    measures = [m for m in model.measures().values()
                if m.kind == "ratio" and m.denominator in model.INPUTS and m.numerator in set(rows["stage"])]
    return ChartSpec(XL_CHART_TYPE.BAR_CLUSTERED, labels, series, PERCENT_FORMAT, lines,
                     [_definition(m, lang, mode) for m in measures])


def trend_spec(view: overview.Overview) -> ChartSpec:
    """A line per stage over the trend's months."""
    lang, mode, months = view.lang, view.filter.mode, view.by_month
    stages = model.stages()
    series = [Series(s.short[lang], s.colour, [_value(v) for v in months[s.key]]) for s in stages]
    lines = [f"{label} · {s.short[lang]}: {fmt.count(row[s.key], lang)}"
             for s in stages for label, (_, row) in zip(months["label"], months.iterrows())]
    return ChartSpec(XL_CHART_TYPE.LINE_MARKERS, [str(x) for x in months["label"]], series, count_format(lang),
                     lines, _stage_definitions(stages, lang, mode))


SPECS = {"funnel": funnel_spec, "districts": districts_spec, "pace": pace_spec, "trend": trend_spec}


# ---------------------------------------------------------------------------------------------------
# Drawing.


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(colour.lstrip("#").upper())


def _paragraph(frame, index: int, text: str, points: float, colour: RGBColor, bold: bool = False,
               align=PP_ALIGN.LEFT) -> None:
    paragraph = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
    paragraph.alignment = align
    run = paragraph.add_run()
    run.text = text
    run.font.size, run.font.bold = Pt(points), bold
    run.font.color.rgb = colour


def _box(slide, left, top, width, height, wrap: bool = True, anchor=MSO_ANCHOR.TOP):
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap, frame.auto_size, frame.vertical_anchor = wrap, MSO_AUTO_SIZE.NONE, anchor
    return frame


def title_points(text: str, width: Emu = CONTENT_WIDTH, lines: int = TITLE_LINES) -> int:
    """The largest title size at which ``text`` takes at most ``lines`` lines (the smallest size otherwise)."""
    return next((p for p in TITLE_POINTS if text_lines(text, p, _inner_width(width)) <= lines), TITLE_POINTS[-1])


def _title(slide, text: str) -> None:
    """The slide's title placeholder, placed for 16:9 and sized so the sentence fits its box."""
    shape = slide.shapes.title
    shape.left, shape.top, shape.width, shape.height = MARGIN, TITLE_TOP, CONTENT_WIDTH, TITLE_HEIGHT
    frame = shape.text_frame
    frame.word_wrap, frame.auto_size, frame.vertical_anchor = True, MSO_AUTO_SIZE.NONE, MSO_ANCHOR.MIDDLE
    frame.text = ""
    _paragraph(frame, 0, text, title_points(text), DARK)


def _footer(slide, footer: str, sample: str | None) -> None:
    frame = _box(slide, MARGIN, FOOTER_TOP, CONTENT_WIDTH, FOOTER_HEIGHT, anchor=MSO_ANCHOR.BOTTOM)
    _paragraph(frame, 0, footer, 12, GREY)
    if sample:
        _paragraph(frame, 1, sample, 10, GREY)


def _notes(slide, lines: list[str]) -> None:
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _layout(deck, name: str):
    return next(layout for layout in deck.slide_layouts if layout.name == name)


def _title_slide(deck, view: overview.Overview, sample: str | None) -> None:
    lang = view.lang
    slide = deck.slides.add_slide(_layout(deck, "Title Slide"))
    title, subtitle = slide.shapes.title, slide.placeholders[1]
    for shape, top, height in ((title, Inches(1.6), Inches(2.0)), (subtitle, Inches(3.8), Inches(1.6))):
        shape.left, shape.top, shape.width, shape.height = Inches(0.8), top, SLIDE_WIDTH - Inches(1.6), height
        shape.text_frame.word_wrap, shape.text_frame.auto_size = True, MSO_AUTO_SIZE.NONE
        shape.text_frame.text = ""
    _paragraph(title.text_frame, 0, t("app_title", lang), 40, DARK, bold=True, align=PP_ALIGN.CENTER)
    context = narrative.context(view.filter, view.places, lang, view.as_of)
    _paragraph(subtitle.text_frame, 0, context, 24, GREY, align=PP_ALIGN.CENTER)
    _footer(slide, view.footer(), sample)
    _notes(slide, [t("app_title", lang), context, view.footer(), *([sample] if sample else []),
                   _mode_definition(view)])


def _mode_definition(view: overview.Overview) -> str:
    mode = model.MODES[view.filter.mode]
    return f"{t('mode', view.lang)} — {mode.label[view.lang]}: {mode.definition[view.lang]}"


def number_points(values: list[str], width: Emu, largest: int = 60) -> int:
    """The size at which the longest of ``values`` (bold) fits one line ``width`` wide, at most ``largest``."""
    longest = max(text_width(v, 1, bold=True) for v in values) or 1
    return min(largest, math.floor(_inner_width(width) * 0.9 / longest))


def _headline_slide(deck, slide_: overview.Slide, view: overview.Overview, footer: str, sample: str | None) -> None:
    """The sentence, then a column per stage: its label, its count (one line, never wrapped), the change on
    the same months last year and the card's notes."""
    slide = deck.slides.add_slide(_layout(deck, "Title Only"))
    _title(slide, slide_.sentence)
    cards, stages = view.cards(), model.stages()
    gap = Inches(0.25)
    width = Emu(int((CONTENT_WIDTH - gap * (len(cards) - 1)) / len(cards)))
    points = number_points([card.value for card in cards], width)
    label_points = 22 if all(text_lines(c.label, 22, _inner_width(width), True) <= 2 for c in cards) else 18
    top = BODY_TOP + Inches(0.15)
    lines = []
    for index, (card, stage) in enumerate(zip(cards, stages)):
        left = MARGIN + (width + gap) * index
        bar = slide.shapes.add_shape(1, left, top, width, Inches(0.08))  # 1: a rectangle in the stage's colour
        bar.fill.solid()
        bar.fill.fore_color.rgb = _rgb(stage.colour)
        bar.line.fill.background()
        _paragraph(_box(slide, left, top + Inches(0.15), width, Inches(0.8), anchor=MSO_ANCHOR.BOTTOM), 0,
                   card.label, label_points, GREY, bold=True)
        number = _box(slide, left, top + Inches(1.0), width, Inches(1.1), wrap=False, anchor=MSO_ANCHOR.MIDDLE)
        _paragraph(number, 0, card.value, points, _rgb(stage.colour), bold=True)
        details = _box(slide, left, top + Inches(2.2), width, BODY_HEIGHT - Inches(2.35))
        for row, (text, size) in enumerate([(card.change or t("no_comparison", view.lang), 16),
                                            *((note, 14) for note in card.notes)]):
            _paragraph(details, row, text, size, INK if row == 0 else GREY)
        lines.append(" · ".join([f"{card.label}: {card.value}", *([card.change] if card.change else []),
                                 *card.notes]))
    _footer(slide, footer, sample)
    definitions = [line.replace("**", "") for card in cards for line in card.description.split("\n\n")]
    _notes(slide, _note_lines(view, slide_.sentence, lines, definitions))


def _note_lines(view: overview.Overview, sentence: str, values: list[str], definitions: list[str]) -> list[str]:
    lang = view.lang
    return [sentence, "", *values, "", f"{t('definitions', lang)}:", *dict.fromkeys(definitions),
            _mode_definition(view)]


def _add_chart(slide, spec: ChartSpec, height: Emu = BODY_HEIGHT):
    data = CategoryChartData(number_format=spec.number_format)
    data.categories = [formulas.inert(name) for name in spec.categories]  # also the cells of the chart's workbook
    for series in spec.series:
        data.add_series(series.name, series.values)
    frame = slide.shapes.add_chart(spec.kind, MARGIN, BODY_TOP, CONTENT_WIDTH, height, data)
    chart = frame.chart
    chart.has_title = False  # the slide's title says it; a one-series chart would otherwise show its name
    chart.font.size = Pt(CHART_POINTS)
    chart.has_legend = len(spec.series) > 1
    if chart.has_legend:
        chart.legend.position, chart.legend.include_in_layout = XL_LEGEND_POSITION.BOTTOM, False
    value_axis = chart.value_axis
    value_axis.tick_labels.number_format, value_axis.tick_labels.number_format_is_linked = spec.number_format, False
    value_axis.has_major_gridlines = True
    value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    value_axis.minimum_scale = 0
    for plot_series, series in zip(chart.plots[0].series, spec.series):
        _colour_series(plot_series, series, spec.kind)
    if len(spec.categories) > LARGE_CATEGORIES:
        _skip_labels(chart, math.ceil(len(spec.categories) / LARGE_CATEGORIES))
    return chart


def _skip_labels(chart, every: int) -> None:
    """Name every ``every``-th category only (a long trend's months stay level and readable, not slanted);
    python-pptx has no property for it, so it is written in the axis's XML, where the schema puts it."""
    axis = chart.category_axis._element
    for tag in ("c:tickLblSkip", "c:tickMarkSkip"):
        element = axis.makeelement(qn(tag), {"val": str(every)})
        axis.find(qn("c:noMultiLvlLbl")).addprevious(element)


def _colour_series(plot_series, series: Series, kind: int) -> None:
    if kind == XL_CHART_TYPE.LINE_MARKERS:
        plot_series.format.line.color.rgb = _rgb(series.colour)
        plot_series.format.line.width = Pt(3)
        plot_series.smooth = False
        plot_series.marker.format.fill.solid()
        plot_series.marker.format.fill.fore_color.rgb = _rgb(series.colour)
        plot_series.marker.format.line.color.rgb = _rgb(series.colour)
        return
    plot_series.format.fill.solid()
    plot_series.format.fill.fore_color.rgb = _rgb(series.colour)
    for index, colour in enumerate(series.point_colours or []):
        point = plot_series.points[index]
        point.format.fill.solid()
        point.format.fill.fore_color.rgb = _rgb(colour)


def _bars(chart, spec: ChartSpec) -> None:
    """Horizontal bars read top down in the order given, values written beside them while readable."""
    chart.category_axis.reverse_order = True
    # ...and the value axis stays at the bottom: it crosses the category axis at its last category (python-pptx
    # sets where the *other* axis crosses, so this one is written in the value axis's XML).
    chart.value_axis._element.find(qn("c:crosses")).set("val", "max")
    chart.category_axis.tick_labels.font.size = Pt(16 if len(spec.categories) <= LARGE_CATEGORIES else 11)
    plot = chart.plots[0]
    plot.gap_width = 50 if len(spec.series) > 1 else 40
    if len(spec.categories) * (len(spec.series) + 0.5) <= LABELLED_BARS:
        plot.has_data_labels = True
        labels = plot.data_labels
        labels.number_format, labels.number_format_is_linked = spec.number_format, False
        labels.position = XL_LABEL_POSITION.OUTSIDE_END
        labels.font.size = Pt(18 if len(spec.series) == 1 else 10)
        labels.show_value = True


def _chart_slide(deck, slide_: overview.Slide, view: overview.Overview, footer: str, sample: str | None) -> None:
    spec = SPECS[slide_.key](view)
    slide = deck.slides.add_slide(_layout(deck, "Title Only"))
    _title(slide, slide_.sentence)
    if not spec.categories:  # nothing to chart (no area with data in the period): say so, as the page does
        frame = _box(slide, MARGIN, BODY_TOP, CONTENT_WIDTH, BODY_HEIGHT, anchor=MSO_ANCHOR.MIDDLE)
        _paragraph(frame, 0, t("no_data", view.lang), 24, GREY, align=PP_ALIGN.CENTER)
    else:
        height = BODY_HEIGHT - (HIDDEN_NOTE_HEIGHT if spec.hidden else 0)
        chart = _add_chart(slide, spec, height)
        if spec.kind == XL_CHART_TYPE.BAR_CLUSTERED:
            _bars(chart, spec)
        if spec.hidden:  # say what an empty bar means, or it reads as zero
            frame = _box(slide, MARGIN, BODY_TOP + height, CONTENT_WIDTH, HIDDEN_NOTE_HEIGHT)
            _paragraph(frame, 0, t("deck_hidden", view.lang), 12, GREY)
    _footer(slide, footer, sample)
    _notes(slide, _note_lines(view, slide_.sentence, spec.values, spec.definitions))


def build_deck(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter, lang: str) -> bytes:
    """The deck as .pptx bytes, as ``principal`` may see it: a title slide, then a slide per overview slide
    (headline numbers, funnel, districts, pace when there are targets, trend)."""
    view = overview.load(con, principal, flt, lang)
    sample = t("sample_banner", lang) if queries.is_sample(con) else None
    deck = Presentation()
    deck.slide_width, deck.slide_height = SLIDE_WIDTH, SLIDE_HEIGHT
    _title_slide(deck, view, sample)
    footer = view.footer()
    for slide in view.slides():
        if slide.key == "headline":
            _headline_slide(deck, slide, view, footer, sample)
        else:
            _chart_slide(deck, slide, view, footer, sample)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()
