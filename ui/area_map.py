"""The overview's map of areas: a measure to colour by, the tile map (clicking a tile filters the page to
that area) and the ranking beside it. Former districts, or after the 2025 reorganisation the wards and
communes (or the former districts, through the crosswalk)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from analytics import charts, fmt, model
from analytics.i18n import t
from analytics.overview import Overview
from ui import components, crossfilter, data
from ui.view import View


def _options(view: View) -> dict[str, str]:
    """Map choices, "measure:<key>" or "pace:<stage>", with their labels in the view's language and mode."""
    lang, mode = view.lang, view.filter.mode
    targets = {target.key for target in model.target_inputs()}  # set for period activity only
    options = {f"measure:{m.key}": m.label(lang, mode) for m in model.shown_in("map")
               if mode == "period" or m.denominator not in targets}
    options |= {f"change:{stage}": t("map_change", lang, stage=model.stage(stage).short[lang])
                for stage in model.stage_keys()[:3]}
    if mode == "period" and not view.filter.sectors:
        options |= {f"pace:{target.stage}": t("map_pace", lang, stage=model.stage(target.stage).short[lang])
                    for target in model.target_inputs()}
    return options


def _change(view: View, stage: str, level: str, overview: Overview) -> pd.DataFrame:
    """Each area's count against the same period last year, as a share; an area that did not report then
    (a ward before the reorganisation) has no change rather than a comparison with something else."""
    now = _funnel(view, level, overview)
    before = data.funnel(replace(view, filter=view.filter.same_period_last_year()), level)
    last = now["key"].map(before.set_index("key")[stage]).where(lambda v: v > 0)
    change = (now[stage] - last) / last
    return pd.DataFrame({"key": now["key"], "label": now["label"], "value": change,
                         "text": [fmt.percent(v, view.lang, signed=True) for v in change]})


def _funnel(view: View, level: str, overview: Overview) -> pd.DataFrame:
    """The view's funnel by ``level``: the overview's own by district (no second query), else its own."""
    return overview.by_district if level == "district" else data.funnel(view, level)


def _values(view: View, choice: str, level: str, overview: Overview) -> pd.DataFrame:
    """key, label, value (what the colour follows), text (printed) and, for a pace, the status colour."""
    lang = view.lang
    kind, key = choice.split(":")
    if kind == "change":
        frame = _change(view, key, level, overview)
    elif kind == "pace":
        rows = data.pace(view, level)
        rows = rows[rows["stage"] == key]
        order = {status: i for i, status in enumerate(("behind", "at_risk", "on_track", "no_target", "hidden"))}
        frame = pd.DataFrame({
            "key": rows["key"], "label": rows["label"], "value": rows["status"].map(order),
            "text": [t(f"status_{s}", lang) for s in rows["status"]],
            "colour": rows["status"].map(charts.PACE_COLOURS)})
    else:
        funnel = _funnel(view, level, overview)
        measure = model.measures()[key]
        values = funnel[key] if key in funnel else pd.Series(float("nan"), index=funnel.index)
        frame = pd.DataFrame({"key": funnel["key"], "label": funnel["label"], "value": values,
                              "text": [fmt.measure(v, measure, lang) for v in values]})
    return frame.assign(short=_short_names(view, level, frame))


def _short_names(view: View, level: str, frame: pd.DataFrame) -> pd.Series:
    """The name to print on a tile: a ward's or commune's without its kind (the map says what the tiles are)."""
    if level != "unit":
        return frame["label"]
    names = data.unit_names(view.source).set_index("unit_code")[f"name_{view.lang}"]
    return frame["key"].map(names).fillna(frame["label"])


def _level(view: View) -> str:
    """Districts before the reform; after it, the wards and communes unless the user asks for districts."""
    if view.reform is None or view.filter.last_day < view.reform:
        return "district"
    choices = {"unit": t("map_units", view.lang), "district": t("map_districts", view.lang)}
    return st.segmented_control(t("map_level", view.lang), list(choices), format_func=choices.get, key="map_level",
                                default="unit") or "unit"


def section(view: View, overview: Overview) -> None:
    """The map and the ranking (under the section's own title); a click on a tile puts that area in the
    sidebar's filter."""
    lang = view.lang
    left, right = st.columns([2, 1])
    options = _options(view)
    with left:
        choice = st.selectbox(t("map_measure", lang), list(options), format_func=options.get, key="map_measure")
        level = _level(view)
    values = _values(view, choice, level, overview)
    title = components.chart_title(options[choice], view)
    tiles, blocks = data.tiles(view.source, level)
    outlines = [(view.places.districts.get(b.key, b.key), b) for b in blocks]
    figure = charts.tile_map_figure(tiles, values, lang, title, outlines=outlines)
    crossfilter.chart(figure, level, "area_map", where=left, config={"displayModeBar": False})
    left.caption(t("map_note_units" if level == "unit" else "map_note", lang))
    ranking = values.sort_values("value", ascending=False, na_position="last")
    right.dataframe(pd.DataFrame({t("map_area", lang): ranking["label"], options[choice]: ranking["text"]}),
                    hide_index=True, width="stretch", height=min(36 * len(ranking) + 38, 560))
