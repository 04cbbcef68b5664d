"""Plotly figures drawn from query results. No queries here: every function takes a frame."""

from __future__ import annotations

import html
import textwrap
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import fmt, intervals, model
from analytics.filters import Month
from analytics.i18n import t
from analytics.pace import TRACKED
from analytics.ranking import ranked_areas, rateable


@dataclass(frozen=True)
class ChartTitle:
    """What the chart shows, and its context line: where, when and how it counts."""

    what: str
    context: str


@dataclass(frozen=True)
class Style:
    """Sizes for a screen at arm's length or for a hall's big screen. A ``slide`` figure is exactly ``height``
    tall (it must fit the screen), has no title of its own (the slide's sentence is its title) and is drawn
    in high contrast for a projector."""

    font: int
    title: int
    subtitle: int
    height: int
    number: int  # the headline numbers
    slide: bool = False

    def for_slide(self, scale: float, height: int) -> Style:
        """This style's type scaled by ``scale`` (1 on a 1920×1080 screen), as a slide ``height`` px tall."""
        return Style(font=round(self.font * scale), title=round(self.title * scale),
                     subtitle=round(self.subtitle * scale), height=height, number=round(self.number * scale),
                     slide=True)


SCREEN = Style(font=15, title=19, subtitle=14, height=420, number=34)
#: On a 1920×1080 screen: labels 26 px, headline numbers 120 px (read from the back of a hall).
HALL = Style(font=26, title=38, subtitle=24, height=860, number=120)
#: A projector washes out light greys: lines and text on slides are near black.
INK, GRID = "#111111", "#b0b0b0"

FONT_FAMILY = "Be Vietnam Pro, Noto Sans, DejaVu Sans, Arial, sans-serif"


def _figure(traces: list, layout: dict, title: ChartTitle, lang: str, style: Style, rows: int = 0) -> go.Figure:
    """The figure, built once with its whole layout: title, language separators and sizes (``rows`` bars make
    it taller than the style's base) and the chart's own ``layout``. Plotly validates every property; one
    constructor call costs a tenth of the same properties set by ``update_layout`` and friends. The traces are
    validated when they are made; the figure does not validate them again, nor the layout (both together cost
    more than the traces; tests/test_chart_validity.py validates every chart the app draws instead)."""
    scale = style.font / SCREEN.font
    base = dict(
        title=dict(
            text=_escape(title.what), x=0, xanchor="left", font=dict(size=style.title),
            subtitle=dict(text=_escape(title.context), font=dict(size=style.subtitle, color="#555555")),
        ),
        separators=fmt.PLOTLY_SEPARATORS[lang],
        font=dict(family=FONT_FAMILY, size=style.font),
        uniformtext=dict(minsize=int(style.font * 0.85), mode="show"),
        height=max(style.height, int(rows * 60 * scale + 160 * scale)),
        margin=dict(l=10, r=30, t=int(95 * scale), b=int(40 * scale)),
        # Below everything (the axis labels of a long trend included): the figure's own bottom edge.
        legend=dict(orientation="h", yref="container", yanchor="bottom", y=0, xanchor="left", x=0),
        plot_bgcolor="white",
    )
    layout = _on_slide({**base, **layout}, style) if style.slide else {**base, **layout}
    return go.Figure(data=traces, layout=layout, _validate=False)


def _on_slide(layout: dict, style: Style) -> dict:
    """A figure's layout made a slide's: its exact height, no title (the slide's sentence is the title), text
    never shrunk below the style's size, near-black text and darker grid lines for a projector."""
    text = dict(family=FONT_FAMILY, size=style.font, color=INK)  # sizes said outright: Streamlit's theme has 12 px

    def axis(given: dict) -> dict:
        return {**given, "gridcolor": GRID, "linecolor": INK, "tickfont": text, "automargin": True,
                "title": {**given.get("title", {}), "font": text}}

    return {
        **layout,
        "title": None, "height": style.height, "margin": {**layout["margin"], "t": style.font, "b": style.font},
        "font": text, "legend": {**layout.get("legend", {}), "font": text}, "hoverlabel": dict(font=text),
        "uniformtext": dict(minsize=style.font, mode="show"),
        "xaxis": axis(layout.get("xaxis", {})), "yaxis": axis(layout.get("yaxis", {})),
    }


def _escape(text: str) -> str:
    """Text (from data, too) drawn as text: Plotly would otherwise read tags such as ``<b>`` in it."""
    return html.escape(str(text), quote=False)


def _safe(labels: pd.Series) -> list[str]:
    return [_escape(label) for label in labels]


def measure_notes(row: pd.Series, place: str, stage: str, lang: str, mode: str) -> list[str]:
    """The notes of the measures shown in ``place`` for ``stage`` (model declarations), worded for ``mode``;
    a measure the row does not carry, or has no value for, says nothing."""
    return [
        measure.note(fmt.measure(row[measure.key], measure, lang), lang, mode)
        for measure in model.shown_in(place, stage)
        if measure.key in row and not pd.isna(row[measure.key])
    ]


def funnel_figure(totals: pd.Series, lang: str, title: ChartTitle, mode: str, style: Style = SCREEN) -> go.Figure:
    """The four stages as funnel bars, each with its count and the notes of its funnel measures (in period
    mode ratios of the period's counts, in cohort mode conversions); hovering a bar gives the definitions."""
    stages = model.stages()
    shown = [totals[s.key] for s in stages]  # a presenter's small counts are missing: no bar, "<5"
    counts = [0 if pd.isna(v) else int(v) for v in shown]
    texts = [
        "<br>".join([f"<b>{_escape(fmt.count(value, lang))}</b>", *measure_notes(totals, "funnel", s.key, lang, mode)])
        for s, value in zip(stages, shown)
    ]
    labels = [s.short[lang] for s in stages]
    bars = go.Bar(
        y=labels,
        x=counts,
        orientation="h",
        marker=dict(color=[s.colour for s in stages]),
        hovertext=[_definitions(s.key, lang, mode) for s in stages],
        hoverinfo="text",
    )
    notes = [dict(x=count, y=label, text=text, xanchor="left", align="left", showarrow=False, xshift=8)
             for label, count, text in zip(labels, counts, texts)]  # annotations, so the lines align left
    layout = dict(
        annotations=notes, yaxis=dict(autorange="reversed", showgrid=False), showlegend=False, bargap=0.3,
        xaxis=dict(range=[0, max(counts + [1]) * 2.1], showticklabels=False, showgrid=False),
    )
    return _figure([bars], layout, title, lang, style)


def _definitions(stage: str, lang: str, mode: str) -> str:
    """A stage's count and funnel measures with their definitions, for a hover box (wrapped for reading)."""
    measures = [model.measures()[stage], *model.shown_in("funnel", stage)]
    return "<br><br>".join(f"<b>{_escape(m.label(lang, mode))}</b>: {_wrap(m.definition(lang, mode))}"
                           for m in measures)


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(_escape(line) for line in textwrap.wrap(text, width))


def _grouped_bars(shown: pd.DataFrame, series: list[tuple[str, str, str]], texts,
                  position: str = "outside") -> list[go.Bar]:
    """Horizontal grouped bars (``barmode="group"``), one per ``(column, name, colour)``, values beside them
    (or inside, where error bars take the space beside); each bar carries its group's key (a click on it can
    filter the page)."""
    keys = shown["key"].astype(str).tolist() if "key" in shown else None
    return [
        go.Bar(y=_safe(shown["label"]), x=shown[column], name=name, orientation="h", marker_color=colour,
               text=[texts(v) for v in shown[column]], textposition=position, cliponaxis=False,
               insidetextanchor="start", customdata=keys)
        for column, name, colour in series
    ]


def _room_for_labels(shown: pd.DataFrame, columns: list[str]) -> dict:
    """An x axis from 0 to a little past the longest bar, so the values written beside the bars fit."""
    longest = pd.to_numeric(shown[columns].stack(), errors="coerce").max() if len(shown) else None
    return dict(range=[0, float(longest) * 1.15]) if longest is not None and longest > 0 else {}


def district_figure(by_district: pd.DataFrame, lang: str, title: ChartTitle, style: Style = SCREEN) -> go.Figure:
    """Districts side by side, largest first, one bar per stage (official left out: it lags a year)."""
    shown = by_district.sort_values("referred", ascending=True)
    series = [(s.key, s.short[lang], s.colour) for s in model.stages()[:3]]
    bars = _grouped_bars(shown, series, lambda v: _escape(fmt.count(v, lang)))
    layout = dict(barmode="group", bargap=0.25,
                  xaxis=dict(title=dict(text=t("count", lang)), showgrid=True, gridcolor="#eeeeee",
                             **_room_for_labels(shown, [column for column, _, _ in series])))
    return _figure(bars, layout, title, lang, style, rows=len(shown))


def ranking_figure(by_area: pd.DataFrame, lang: str, title: ChartTitle, mode: str, style: Style = HALL) -> go.Figure:
    """Areas ranked as :func:`ranking.ranked_areas` compares them, one bar each with its value written beside
    it, first at the top; when not all fit the figure's height, the leaders and the laggards with "…" between."""
    measure, ordered = ranked_areas(by_area)
    column = measure.key if measure else model.stages()[0].key
    fits = max(3, int((style.height - 3 * style.font) / (style.font * 1.8)))
    if len(ordered) > fits:
        gap = pd.DataFrame({"label": ["…"], column: [float("nan")]})
        ordered = pd.concat([ordered.head(fits // 2), gap, ordered.tail(fits - fits // 2 - 1)], ignore_index=True)
    values = ordered[column].astype("float64")
    texts = ["" if label == "…" else _escape(fmt.measure(value, measure, lang) if measure else fmt.count(value, lang))
             for label, value in zip(ordered["label"], values)]
    bars = go.Bar(y=_safe(ordered["label"]), x=values.fillna(0), orientation="h", text=texts, textposition="outside",
                  cliponaxis=False, marker_color=model.stages()[0].colour, hoverinfo="skip")
    what = measure.label(lang, mode) if measure else model.stages()[0].short[lang]
    layout = dict(showlegend=False, bargap=0.3, yaxis=dict(autorange="reversed", type="category", showgrid=False),
                  xaxis=dict(title=dict(text=_escape(what)), showticklabels=False, showgrid=False,
                             **_room_for_labels(ordered, [column])))
    return _figure([bars], layout, title, lang, style, rows=len(ordered))


#: Colours of the pace statuses (on track, at risk, behind), distinguishable without colour by their words.
PACE_COLOURS = {"on_track": "#2e7d32", "at_risk": "#e0a100", "behind": "#c62828", "no_target": "#9e9e9e",
                "hidden": "#9e9e9e"}


def pace_figure(rows: pd.DataFrame, lang: str, title: ChartTitle, style: Style = SCREEN) -> go.Figure:
    """Per stage with a target, the count so far as a share of the year's target (coloured by status), where
    the seasonal profile says it should be (a tick), and the year-end projection with its 95 % interval."""
    shown = rows[rows["status"].isin(TRACKED)].iloc[::-1]
    labels = [model.stage(stage).short[lang] for stage in shown["stage"]]
    share = shown["actual"] / shown["target"]
    texts = [t("pace_text", lang, actual=fmt.count(a, lang), target=fmt.count(tg, lang),
               status=t(f"status_{st}", lang), gap=fmt.number(g, lang) if g < 0 else "+" + fmt.number(g, lang))
             for a, tg, st, g in zip(shown["actual"], shown["target"], shown["status"], shown["gap"], strict=True)]
    bars = go.Bar(y=labels, x=share, orientation="h", marker_color=[PACE_COLOURS[x] for x in shown["status"]],
                  name=t("pace_so_far", lang), hovertemplate="%{x:.1%}<extra></extra>")
    expected = go.Scatter(y=labels, x=shown["expected"] / shown["target"], mode="markers",
                          name=t("pace_expected", lang), hovertemplate="%{x:.1%}<extra></extra>",
                          marker=dict(symbol="line-ns", size=26, line=dict(width=3, color="#222222")))
    projected = go.Scatter(
        y=labels, x=shown["projection"] / shown["target"], mode="markers", name=t("pace_projection", lang),
        marker=dict(symbol="diamond", size=9, color="#555555"),
        error_x=dict(type="data", symmetric=False, color="#777777",
                     array=(shown["projection_high"] - shown["projection"]) / shown["target"],
                     arrayminus=(shown["projection"] - shown["projection_low"]) / shown["target"]),
        hovertemplate="%{x:.1%}<extra></extra>")
    top = max(1.25, float((shown["projection_high"] / shown["target"]).max() or 0) * 1.05) if len(shown) else 1.25
    scale = style.font / SCREEN.font
    notes = [dict(text=_escape(text), x=1.02, xref="paper", xanchor="left", y=label, yref="y", showarrow=False,
                  align="left") for text, label in zip(texts, labels, strict=True)]  # a column right of the plot
    layout = dict(barmode="overlay", bargap=0.45, xaxis=dict(tickformat=".0%", range=[0, top], gridcolor="#eeeeee"),
                  yaxis=dict(showgrid=False),
                  annotations=notes, margin=dict(l=10, r=int(430 * scale), t=int(95 * scale), b=int(40 * scale)),
                  shapes=[dict(type="line", xref="x", yref="paper", x0=1, x1=1, y0=0, y1=1,
                               line=dict(color="#333333", dash="dot", width=1.5))])
    return _figure([bars, expected, projected], layout, title, lang, style, rows=len(shown))


#: Tile colours of a measure, light to dark (the value's text turns white on the darker half).
TILE_SCALE = ["#e8f0f8", "#9ec3e6", "#4a8cc9", "#1a4971"]
#: A tile whose value is hidden from the audience (outside the scale, so never read as the lowest).
HIDDEN_TILE = "#d9d9d9"


def _tile_name(name: str, width: int) -> str:
    """A name on two short lines at most ("Tân Đông<br>Hiệp"), shortened if it needs more."""
    lines = textwrap.wrap(str(name), width) or [""]
    if len(lines) > 2:
        lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), width=width, placeholder="…")]
    return "<br>".join(_escape(line) for line in lines)


#: A tile's side on screen (px) below which its name and value are not printed on it (they would overlap and
#: cost the browser seconds to lay out at national scale): hovering shows them, and the ranking lists them.
READABLE_TILE = 44
#: A block of tiles (a former district's wards) narrower than this (px) is outlined but not named.
READABLE_BLOCK = 60


def tile_map_figure(tiles: list, values: pd.DataFrame, lang: str, title: ChartTitle, style: Style = SCREEN,
                    outlines: list | None = None) -> go.Figure:
    """One square per area at its place (``tiles``: key, column, row), coloured by the value (``values``: key,
    label, short (the name on the tile), value, text, and ``colour`` for categories such as a pace status), its
    name and value printed on it when the tile is large enough to read them (:data:`READABLE_TILE`);
    ``outlines``: (name, block) of groups of tiles to outline and name (the former districts around their wards
    and communes). The squares are the cells of one heatmap, in the axes' units, so they keep their grid at any
    width and cost one trace however many areas there are; a point at each centre carries the area's key (a
    click filters the page to it) and its name and value on hover."""
    shown = values.set_index("key")
    placed = [tile for tile in tiles if tile.key in shown.index]
    if not placed:
        return _figure([], {}, title, lang, style)
    scale = style.font / SCREEN.font
    columns, rows = max(t.column for t in placed) + 1, max(t.row for t in placed) + 1
    cell = min(640 / columns, 110) * scale  # about a tile's side on screen (the map takes two thirds of a page)
    data = shown.loc[[t.key for t in placed]]
    numeric = pd.to_numeric(data["value"], errors="coerce")
    low, high = numeric.min(), numeric.max()
    levels = (numeric - low) / (high - low) if high > low else numeric * 0  # a hidden value stays missing
    at = (np.array([t.row for t in placed]), np.array([t.column for t in placed]))
    # Grey cells beneath, for the areas whose value is hidden or missing: only when there are some (nationally
    # the grid is a third of the map's bytes).
    traces = [_tile_cells(at, np.zeros(len(placed)), (rows, columns), [[0, HIDDEN_TILE], [1, HIDDEN_TILE]], 0, 1)
              ] if numeric.isna().any() else []
    if "colour" in data:  # categories: each tile its category's colour, exactly (integer cells on the stops)
        colours = list(dict.fromkeys(data["colour"]))
        stops = [[i / max(len(colours) - 1, 1), colour] for i, colour in enumerate(colours)]
        traces.append(_tile_cells(at, data["colour"].map(colours.index).to_numpy(float), (rows, columns),
                                  stops if len(colours) > 1 else [[0, colours[0]], [1, colours[0]]], 0,
                                  max(len(colours) - 1, 1)))
    else:  # a measure: its values on the scale, shown as a colour bar; a hidden value leaves the grey beneath
        spread = bool(high > low)  # one value (or none shown): every tile the lightest colour, no bar
        stops = [[i / (len(TILE_SCALE) - 1), colour] for i, colour in enumerate(TILE_SCALE)]
        traces.append(_tile_cells(at, (numeric if spread else levels).to_numpy(float), (rows, columns), stops,
                                  low if spread else 0, high if spread else 1,
                                  colorbar=dict(thickness=12, len=0.6) if spread else None))
    # An empty text at each centre is the pointer's target (hover and click, within Plotly's 20 px of it): an
    # invisible marker each cost the browser twice as much to draw (3.300 wards nationally).
    printed = dict(mode="text", text="")
    if cell >= READABLE_TILE:  # names and values on the tiles, white on the darker ones
        names = [_tile_name(name, max(6, int(cell / 6.5))) for name in data["short"]]
        dark = [("colour" in data) or bool(v > 0.55) for v in levels]
        printed = dict(mode="text", text=[f"{name}<br><b>{_escape(value)}</b>"
                                          for name, value in zip(names, data["text"], strict=True)],
                       textfont=dict(size=max(9, int(cell / 7.5)), color=["#ffffff" if d else "#111111" for d in dark]))
    if outlines:
        traces.append(_block_edges([block for _, block in outlines]))
    traces.append(_unchecked(
        go.Scatter, x=at[1], y=at[0], **printed, customdata=[t.key for t in placed],
        hovertext=_safe(data["label"] + ": " + data["text"]), hoverinfo="text"))
    notes = [dict(text=_escape(name), x=block.first_column - 0.5, y=block.last_row + 0.5, xref="x", yref="y",
                  xanchor="left", yanchor="top", showarrow=False, font=dict(size=int(11 * scale), color="#333333"))
             for name, block in outlines or []
             if (block.last_column - block.first_column + 1) * cell >= READABLE_BLOCK]
    axis = dict(visible=False, fixedrange=True)
    layout = dict(xaxis=dict(range=[-0.55, columns - 0.45], **axis), yaxis=dict(range=[rows - 0.2, -0.55], **axis),
                  annotations=notes, showlegend=False, height=int(rows * cell + 150 * scale), dragmode=False)
    return _figure(traces, layout, title, lang, style)


def _block_edges(blocks: list) -> go.Scatter:
    """The outlines of blocks of tiles as one line trace (a gap, NaN, between rectangles): nationally 700 blocks,
    where a layout shape each cost the server and the browser one object and one drawing apiece."""
    edges = np.array([(b.first_column - 0.5, b.last_column + 0.5, b.first_row - 0.5, b.last_row + 0.5)
                      for b in blocks], dtype=np.float32).reshape(-1, 4)  # halves exact: 4 bytes each
    left, right, top, bottom = edges.T
    gap = np.full(len(edges), np.nan, dtype=np.float32)
    return _unchecked(go.Scatter, x=np.column_stack([left, right, right, left, left, gap]).ravel(),
                      y=np.column_stack([top, top, bottom, bottom, top, gap]).ravel(), mode="lines",
                      line=dict(color="#333333", width=1.5), hoverinfo="skip")


def _unchecked(trace: type, **properties):
    """A map trace built without Plotly's property-by-property validation: nationally its arrays hold thousands
    of areas, and validating them element by element cost a fifth of a run after the reform
    (tests/test_chart_validity.py validates every figure the pages draw)."""
    return trace(**properties, _validate=False)


def _tile_cells(at: tuple[np.ndarray, np.ndarray], values: np.ndarray, size: tuple[int, int], colours: list,
                lowest: float, highest: float, colorbar: dict | None = None) -> go.Heatmap:
    """A heatmap of ``size`` (rows, columns) cells, ``values`` at the cells ``at`` (rows, columns), the others
    empty; the white gaps between cells draw the tiles' edges. Four bytes a cell: a colour needs no more."""
    grid = np.full(size, np.nan, dtype=np.float32)
    grid[at] = values
    return _unchecked(go.Heatmap, z=grid, zmin=lowest, zmax=highest, colorscale=colours,
                      showscale=colorbar is not None, colorbar=colorbar, xgap=2, ygap=2, hoverinfo="skip",
                      hoverongaps=False)


def trend_figure(by_time: pd.DataFrame, lang: str, title: ChartTitle, style: Style = SCREEN,
                 reform: date | None = None, events: pd.DataFrame | None = None) -> go.Figure:
    """One line per stage over the months (quarters, years) of the frame; the events that fall in it marked
    (a dotted line, or a band for an event that lasts), with their names, and the day units were reorganised
    (when no event says so)."""
    lines = [
        go.Scatter(
            x=_safe(by_time["label"]),
            y=by_time[stage.key],
            customdata=by_time["key"].astype(str).tolist(),  # the month's (quarter's, year's) key, for a click
            name=stage.short[lang],
            mode="lines+markers",
            line=dict(color=stage.colour, width=3 * style.font // SCREEN.font),
        )
        for stage in model.stages()
    ]
    layout = dict(yaxis=dict(title=dict(text=t("count", lang)), rangemode="tozero", gridcolor="#eeeeee"),
                  xaxis=dict(type="category", tickangle=-45, automargin=True), **_shade_immature(by_time, lang))
    shapes, notes = _event_marks(list(by_time["key"]), _with_reform(events, reform, lang), lang, style)
    layout["shapes"] = [*layout.get("shapes", []), *shapes]
    layout["annotations"] = [*layout.get("annotations", []), *notes]
    return _figure(lines, layout, title, lang, style)


def cumulative_figure(now: pd.DataFrame, before: pd.DataFrame, stage: str, target: float | None, lang: str,
                      title: ChartTitle, style: Style = SCREEN) -> go.Figure:
    """A stage's count added up month by month this year (to the period's end) and last year (all twelve
    months), with the year's target as a line: where the year stands against both."""
    months = [fmt.month_name(m, lang) for m in range(1, 13)]
    colour = model.stage(stage).colour
    lines = [
        go.Scatter(x=months[:len(now)], y=now[stage].cumsum(), name=t("this_year", lang, year=now["key"].iloc[0][:4]),
                   mode="lines+markers", line=dict(color=colour, width=3)),
        go.Scatter(x=months[:len(before)], y=before[stage].cumsum(), mode="lines",
                   name=t("last_year", lang, year=before["key"].iloc[0][:4]),
                   line=dict(color=colour, width=2, dash="dash")),
    ]
    shapes, notes = [], []
    if target is not None and not pd.isna(target):
        shapes.append(dict(type="line", xref="paper", x0=0, x1=1, y0=target, y1=target,
                           line=dict(color="#333333", dash="dot", width=1.5)))
        notes.append(dict(text=t("target_line", lang, target=fmt.count(target, lang)), xref="paper", x=0,
                          y=target, yanchor="bottom", xanchor="left", showarrow=False))
    layout = dict(yaxis=dict(title=dict(text=t("count", lang)), rangemode="tozero", gridcolor="#eeeeee"),
                  xaxis=dict(type="category"), shapes=shapes, annotations=notes)
    return _figure(lines, layout, title, lang, style)


def coverage_figure(grid: pd.DataFrame, lang: str, title: ChartTitle, style: Style = SCREEN) -> go.Figure:
    """Areas (rows) × months (columns): a month with the area's events reported, a gap (red), or nothing
    where the area did not exist."""
    months = sorted(grid["month"].unique())
    areas = list(dict.fromkeys(grid["label"]))  # in the grid's order (codes: districts, then the new units)
    state = grid.assign(level=grid["reported"].map({True: 1.0, False: 0.0}))  # None: the area did not exist
    cells = state.pivot(index="label", columns="month", values="level").reindex(index=areas, columns=months)
    labels = [fmt.month(Month.parse(m), lang) for m in months]
    marks = {1.0: "✓", 0.0: "–"}
    heat = go.Heatmap(z=cells.to_numpy(), x=labels, y=_safe(pd.Series(areas)), zmin=0, zmax=1,
                      colorscale=[[0, "#e57373"], [0.5, "#e57373"], [0.5, "#c8e6c9"], [1, "#c8e6c9"]],
                      showscale=False, xgap=2, ygap=2, hoverongaps=False,
                      text=[[marks.get(v, "") for v in row] for row in cells.to_numpy()], texttemplate="%{text}",
                      hovertemplate="%{y} · %{x}: %{text}<extra></extra>")
    layout = dict(xaxis=dict(type="category", tickangle=-45), yaxis=dict(type="category", autorange="reversed"))
    return _figure([heat], layout, title, lang, style, rows=max(len(areas) // 2, 1))


def _with_reform(events: pd.DataFrame | None, reform: date | None, lang: str) -> pd.DataFrame:
    """The events, and the reorganisation of units on ``reform`` unless an event already marks that month."""
    events = events if events is not None else pd.DataFrame(columns=["start", "end", "name_vi", "name_en", "kind"])
    if reform is None or any(pd.Timestamp(start).to_period("M") == pd.Timestamp(reform).to_period("M")
                             for start in events["start"]):
        return events
    name = {language: t("reform_marker", language, date=fmt.day(reform, language)) for language in ("vi", "en")}
    reform_row = pd.DataFrame([{"start": reform, "end": reform, "name_vi": name["vi"], "name_en": name["en"],
                                "kind": "reorganisation"}])
    return pd.concat([events, reform_row], ignore_index=True) if len(events) else reform_row


def _time_key(day: object, keys: list[str]) -> str:
    """The key of ``day``'s month, quarter or year, in the form of ``keys`` ("2025-07", "2025-Q3", "2025")."""
    stamp = pd.Timestamp(day)
    sample = keys[0] if keys else ""
    if "-Q" in sample:
        return f"{stamp.year}-Q{stamp.quarter}"
    return str(stamp.year) if len(sample) == 4 else f"{stamp.year:04d}-{stamp.month:02d}"


def _event_marks(keys: list[str], events: pd.DataFrame, lang: str, style: Style) -> tuple[list, list]:
    """Shapes and labels of the events within ``keys``: a dotted line at a one-day event's month (a band over
    a longer one's), its name at the top, alternately higher and lower so neighbours do not overlap; the full
    name on hover."""
    shapes, notes = [], []
    for index, event in enumerate(events.itertuples(index=False)):
        first, last = _time_key(event.start, keys), _time_key(event.end, keys)
        if first not in keys and last not in keys:
            continue
        x0 = keys.index(first) if first in keys else 0
        x1 = keys.index(last) if last in keys else len(keys) - 1
        if x1 > x0:
            shapes.append(dict(type="rect", xref="x", yref="y domain", x0=x0 - 0.5, x1=x1 + 0.5, y0=0, y1=1,
                               fillcolor="#f4a261", opacity=0.15, line=dict(width=0), layer="below"))
        else:
            shapes.append(dict(type="line", xref="x", yref="y domain", x0=x0, x1=x0, y0=0, y1=1,
                               line=dict(color="#777777", width=1, dash="dot")))
        name = event.name_vi if lang == "vi" else event.name_en
        notes.append(dict(text=_escape(textwrap.shorten(str(name), width=28, placeholder="…")),
                          hovertext=_escape(str(name)), x=x0, xref="x", y=0.99 - 0.07 * (index % 2), yref="y domain",
                          xanchor="left", yanchor="top", showarrow=False,
                          font=dict(size=style.font if style.slide else int(11 * style.font / SCREEN.font),
                                    color="#555555")))
    return shapes, notes


def _shade_immature(by_month: pd.DataFrame, lang: str) -> dict:
    """Layout that greys out the cohort months that have not had the normal time to convert yet."""
    if "immature" not in by_month or not by_month["immature"].any():
        return {}
    first = int(by_month["immature"].to_numpy().nonzero()[0][0])
    x0, x1 = first - 0.5, len(by_month) - 0.5
    return dict(
        shapes=[dict(type="rect", xref="x", yref="y domain", x0=x0, x1=x1, y0=0, y1=1, fillcolor="#999999",
                     opacity=0.15, line=dict(width=0))],
        annotations=[dict(text=t("immature_short", lang), x=x0, xref="x", y=1, yref="y domain", xanchor="left",
                          yanchor="top", showarrow=False)],
    )


def conversion_figure(
    by_group: pd.DataFrame, lang: str, title: ChartTitle, dimension_label: str, mode: str, style: Style = SCREEN
) -> go.Figure:
    """Where the funnel leaks: each group's "leaks" measures (the model's) side by side, weakest first on top.
    A rate of fewer than :data:`model.MIN_GROUP` people is left out (:func:`ranking.rateable`)."""
    measures = model.shown_in("leaks")
    shown = by_group[rateable(by_group, measures[0])].sort_values(measures[0].key, ascending=False)
    shown = shown.assign(**{column: shown[column].where(rateable(shown, m))
                            for m in measures for column in (m.key, *intervals.columns(m.key))})
    series = [(m.key, m.label(lang, mode), model.stage(m.numerator).colour) for m in measures]
    bars = [_with_error_bars(bar, shown, m.key, lang) for bar, m in
            zip(_grouped_bars(shown, series, lambda v: fmt.percent(v, lang), "inside"), measures)]
    reach = [intervals.columns(m.key)[1] for m in measures]
    layout = dict(barmode="group", bargap=0.25,
                  xaxis=dict(tickformat=".0%", gridcolor="#eeeeee", **_room_for_labels(shown, reach)),
                  yaxis=dict(title=dict(text=dimension_label), type="category"))
    return _figure(bars, layout, title, lang, style, rows=len(shown))


def _with_error_bars(bar: go.Bar, shown: pd.DataFrame, key: str, lang: str) -> go.Bar:
    """``bar`` with each value's 95 % interval drawn as an error bar and said on hover."""
    low, high = (shown[column] for column in intervals.columns(key))
    bar.error_x = dict(type="data", symmetric=False, array=high - shown[key], arrayminus=shown[key] - low,
                       color="#444444", thickness=1.2, width=3)
    bar.hovertext = [_escape(f"{label}: {fmt.percent(rate, lang)} ({t('interval_95', lang)} "
                             f"{fmt.percent(lo, lang)}–{fmt.percent(hi, lang)})")
                     for label, rate, lo, hi in zip(shown["label"], shown[key], low, high)]
    bar.hoverinfo = "text+name"
    return bar


#: A group's colour on the funnel plot by its place against the limits: above in blue, below in red, darker
#: beyond 99.8 % (ColorBrewer's RdBu, apart from the stages' colours), within in grey.
LIMIT_COLOURS = {"above_998": "#2166ac", "above_95": "#92c5de", "within": "#9e9e9e", "below_95": "#f4a582",
                 "below_998": "#b2182b"}


def funnel_plot_figure(board: pd.DataFrame, p0: float, kind: str, measure: model.Measure, lang: str, mode: str,
                       title: ChartTitle, style: Style = SCREEN) -> go.Figure:
    """Spiegelhalter's funnel plot: each group's rate against its size (the measure's denominator), the
    whole slice's rate ``p0`` and the 95 % and 99.8 % control limits around it, so that only groups outside
    the funnel stand out; coloured by :func:`ranking.limit_status`."""
    plotted = board[board["rate"].notna()]
    sizes = np.geomspace(max(1.0, float(plotted["size"].min())), float(plotted["size"].max()), 200)
    lines = [go.Scatter(x=sizes.tolist(), y=[p0] * len(sizes), mode="lines", line=dict(color=INK, width=1.5),
                        name=_escape(t("funnel_centre", lang, value=fmt.percent(p0, lang))), hoverinfo="skip")]
    for z, dash, key in ((intervals.Z95, "dash", "funnel_limit_95"), (intervals.Z998, "dot", "funnel_limit_998")):
        low, high = intervals.control_limits(kind, p0, sizes, z)
        for values, legend in ((high, True), (low, False)):
            lines.append(go.Scatter(x=sizes.tolist(), y=values.tolist(), mode="lines",
                                    line=dict(color="#555555", width=1, dash=dash), name=_escape(t(key, lang)),
                                    legendgroup=key, showlegend=legend, hoverinfo="skip"))
    points = [
        go.Scatter(x=rows["size"].tolist(), y=rows["rate"].tolist(), mode="markers",
                   name=_escape(t(f"limit_{status}", lang)),
                   marker=dict(color=colour, size=9, opacity=0.8, line=dict(color="white", width=0.5)),
                   hovertext=[_escape(f"{label}: {fmt.percent(rate, lang)} ({fmt.count(num, lang)} / "
                                      f"{fmt.count(size, lang)})") for label, rate, num, size in
                              zip(rows["label"], rows["rate"], rows["numerator"], rows["size"])],
                   hoverinfo="text")
        for status, colour in LIMIT_COLOURS.items()
        if len(rows := plotted[plotted["status"] == status])
    ]
    # Sizes from a handful to hundreds: a log axis ticked at 1, 2, 5, 10, 20, 50 … keeps the narrow end readable.
    ticks = [step * 10 ** power for power in range(7) for step in (1, 2, 5)]
    log = dict(type="log", tickvals=[v for v in ticks if sizes[0] / 2 <= v <= sizes[-1] * 2])
    layout = dict(
        xaxis=dict(title=dict(text=_escape(model.stage(measure.denominator).short[lang])), gridcolor="#eeeeee",
                   **(log if sizes[-1] / sizes[0] > 20 else {})),
        yaxis=dict(title=dict(text=_escape(measure.label(lang, mode))), tickformat=".0%", gridcolor="#eeeeee",
                   rangemode="tozero"),
        height=max(style.height, 520) if not style.slide else style.height,  # room for the legend below
    )
    return _figure([*lines, *points], layout, title, lang, style)


def headline_figure(totals: pd.Series, cards: list, lang: str, title: ChartTitle, style: Style = HALL) -> go.Figure:
    """The headline numbers for the big screen, two by two: the stage, its change and step rate, and the count
    as large as the figure's height allows (up to the style's number size). Written as text laid out in
    pixels, so nothing overlaps however short the screen."""
    figure = _figure([], dict(xaxis=dict(visible=False), yaxis=dict(visible=False)), title, lang, style)
    margin = figure.layout.margin
    row = (figure.layout.height - margin.t - margin.b) / 2
    line = 1.3
    notes = ["<br>".join(_escape(n) for n in ([card.change] if card.change else []) + list(card.notes[:1]))
             for card in cards]
    lines = max((n.count("<br>") + 1 if n else 0) for n in notes)
    above_number = style.title * line + lines * style.font * line
    number = int(max(style.font, min(style.number, (row - above_number) / 1.15)))
    texts = []
    for index, (card, stage, note) in enumerate(zip(cards, model.stages(), notes)):
        x, top = 0.25 + 0.5 * (index % 2), 1 - 0.5 * (index // 2)
        texts += [
            dict(text=f"<b>{_escape(card.label)}</b>", y=top, font=dict(size=style.title)),
            dict(text=note, y=top - style.title * line / (2 * row), font=dict(size=style.font, color="#444444")),
            dict(text=_escape(fmt.count(totals[stage.key], lang)), y=top - above_number / (2 * row),
                 font=dict(size=number, color=INK)),
        ]
        for text in texts[-3:]:
            text.update(x=x, xref="paper", yref="paper", xanchor="center", yanchor="top", showarrow=False)
    figure.update_layout(annotations=texts)
    return figure


def _grid(cells: list[tuple[str, list]], cols: int, layout: dict, title: ChartTitle, lang: str, style: Style,
          height: int, **spacing: float) -> go.Figure:
    """Small panels in a grid of ``cols`` columns: each cell a panel title (markup: escape data in it) and its
    traces (``spacing``: make_subplots' own arguments, such as the shared axes)."""
    rows = max(1, -(-len(cells) // cols))
    grid = make_subplots(rows=rows, cols=cols, subplot_titles=[name for name, _ in cells], **spacing)
    for index, (_, traces) in enumerate(cells):
        for trace in traces:
            grid.add_trace(trace, row=index // cols + 1, col=index % cols + 1)
    scale = style.font / SCREEN.font
    base = {**grid.layout.to_plotly_json(), "margin": dict(l=10, r=30, t=int(150 * scale), b=int(40 * scale))}
    merged = {key: {**base[key], **value} if isinstance(base.get(key), dict) else value  # axes keep their domains
              for key, value in layout.items()}
    return _figure(list(grid.data), {**base, **merged, "height": height}, title, lang, style)


def _step_lines(medians: pd.Series, lang: str) -> tuple[list[dict], list[str]]:
    """Per step: its median (dashed) and 90th percentile (dotted) as vertical lines on its panel, and the
    panel's second title line (people, median, P90; "x" where hidden)."""
    shapes, notes = [], []
    for index, (_, end) in enumerate(model.steps(), start=1):
        axis = "" if index == 1 else str(index)
        values = {c: medians.get(f"{end.key}_{c}") for c in ("people", "days_median", "days_p90")}
        notes.append(f"n = {fmt.tenths(values['people'], lang)} · {t('days_median', lang)} "
                     f"{fmt.tenths(values['days_median'], lang)} · P90 {fmt.tenths(values['days_p90'], lang)}")
        for column, dash in (("days_median", "dash"), ("days_p90", "dot")):
            value = values[column]
            if isinstance(value, (int, float)) and not pd.isna(value):
                shapes.append(dict(type="line", xref=f"x{axis}", yref=f"y{axis} domain", x0=value, x1=value, y0=0,
                                   y1=1, line=dict(color=INK, dash=dash, width=1.5)))
    return shapes, notes


def step_histogram_figure(bins: pd.DataFrame, medians: pd.Series, lang: str, title: ChartTitle,
                          style: Style = SCREEN) -> go.Figure:
    """One histogram per funnel step (``bins``: step, from_days, to_days, people), each bar as wide as its bin
    (merged bins are wider), with the step's median and 90th percentile (``medians``: the summary's total row,
    "x" when hidden) as dashed and dotted lines and, with its people, under the panel's title."""
    shapes, notes = _step_lines(medians, lang)
    cells = []
    for (start, end), note in zip(model.steps(), notes):
        rows = bins[bins["step"] == end.key]
        hover = [f"{fmt.number(a, lang)}–{fmt.number(b, lang)} {t('days', lang)}: {fmt.number(n, lang)} "
                 f"{t('people', lang)}" for a, b, n in zip(rows["from_days"], rows["to_days"], rows["people"])]
        bars = go.Bar(x=(rows["from_days"] + rows["to_days"] + 1) / 2, y=rows["people"],
                      width=rows["to_days"] - rows["from_days"] + 1, marker=dict(color=end.colour, line=dict(
                          color="white", width=1)), hovertext=hover, hoverinfo="text", showlegend=False)
        name = _escape(f"{start.short[lang]} → {end.short[lang]}")
        cells.append((f"{name}<br><span style='font-size:{style.subtitle - 2}px'>{_escape(note)}</span>", [bars]))
    axes = {f"{axis}axis{index if index > 1 else ''}": dict(gridcolor="#eeeeee", rangemode="tozero", **extra)
            for index in range(1, len(cells) + 1)
            for axis, extra in (("x", dict(title=dict(text=t("days", lang)))), ("y", {}))}
    return _grid(cells, len(cells), dict(bargap=0, shapes=shapes, **axes), title, lang, style,
                 height=style.height, horizontal_spacing=0.06)


#: Panels a small-multiples figure draws at most (the largest groups by referrals); the table lists them all.
FUNNELS_CHARTED = 36
_FUNNEL_COLUMNS = 4


def funnels_figure(by_group: pd.DataFrame, lang: str, title: ChartTitle, style: Style = SCREEN) -> go.Figure:
    """One small funnel per group (the :data:`FUNNELS_CHARTED` largest by referrals), all on one x scale so the
    panels compare; a hidden count is an empty bar reading "x"."""
    stages = model.stages()
    shown = by_group.nlargest(FUNNELS_CHARTED, stages[0].key) if len(by_group) > FUNNELS_CHARTED else by_group
    largest = max([v for s in stages for v in shown[s.key] if not pd.isna(v)] + [1])
    cells = []
    for _, row in shown.iterrows():
        counts = [row[s.key] for s in stages]
        bars = go.Bar(y=[s.short[lang] for s in stages], x=[0 if pd.isna(v) else v for v in counts],
                      orientation="h", marker=dict(color=[s.colour for s in stages]),
                      text=[fmt.count(v, lang) for v in counts], textposition="outside", cliponaxis=False,
                      hoverinfo="x+y", showlegend=False)
        cells.append((_escape(row["label"]), [bars]))
    rows = max(1, -(-len(cells) // _FUNNEL_COLUMNS))
    figure = _grid(cells, _FUNNEL_COLUMNS, dict(bargap=0.2), title, lang, style,
                   height=int(150 + rows * 150 * style.font / SCREEN.font), shared_xaxes="all", shared_yaxes=True,
                   vertical_spacing=min(0.3 / rows, 0.12), horizontal_spacing=0.03)
    figure.update_xaxes(range=[0, largest * 1.3], showgrid=True, gridcolor="#eeeeee")
    figure.update_yaxes(autorange="reversed")
    return figure
