"""The words a view says about itself: where and when, chart titles, and the headline stage cards.

Shared by the pages, the slide mode and the PowerPoint deck, so all three say the same thing.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from analytics import comparison, fmt, intervals, model, queries
from analytics.charts import ChartTitle, measure_notes
from analytics.filters import Filter
from analytics.geography import unit_label
from analytics.i18n import t
from analytics.labels import former_names
from analytics.pace import TRACKED


@dataclass(frozen=True)
class Places:
    """What the places a filter can name are called, in one language, for one period: the whole area (its
    province or city as the data names it then), the districts (marked "former" when gone by the period's
    end) and the units (wards, communes, districts) with their kind."""

    area: str
    districts: Mapping[str, str]
    units: Mapping[str, str]


def places(con: duckdb.DuckDBPyConnection, flt: Filter, lang: str, units: Mapping[str, str] | None = None) -> Places:
    """The names of :class:`Places` for ``flt``'s period, from the data (``units``: :func:`unit_names`, if the
    caller has them already: they do not depend on the period)."""
    areas = queries.area_names(con, flt)
    area = " → ".join(unit_label(kind, name, lang) for kind, name in zip(areas["unit_type"], areas[f"name_{lang}"]))
    districts = queries.district_names(con, flt.last_day)
    names = former_names(districts[f"name_{lang}"], districts["valid_to"] >= pd.Timestamp(flt.last_day), lang)
    return Places(
        area=area or t("whole_area", lang),
        districts=dict(zip(districts["district_code"], names)),
        units=unit_names(con, lang) if units is None else units,
    )


def naming_span(dates: Sequence[date], flt: Filter) -> tuple[int, ...]:
    """Where ``flt``'s first and last days fall among the :func:`queries.naming_dates` ``dates`` (before, on or
    after each). Two periods with the same span compare alike with every date a name begins or ends on, so
    :func:`places` names them alike: a handful of spans for hundreds of periods."""
    return tuple(side(dates, day) for day in (flt.first_day, flt.last_day) for side in (bisect_left, bisect_right))


def unit_names(con: duckdb.DuckDBPyConnection, lang: str) -> dict[str, str]:
    """Every unit's latest name with its kind ("Phường Thủ Dầu Một"), by code."""
    units = queries.unit_names(con)
    return {code: unit_label(kind, name, lang)
            for code, kind, name in zip(units["unit_code"], units["unit_type"], units[f"name_{lang}"])}


def where(flt: Filter, names: Places, lang: str) -> str:
    """The slice in words: districts and units (or the whole area), and sectors."""
    chosen = [names.districts.get(d, d) for d in flt.districts] + [names.units.get(u, u) for u in flt.units]
    place = ", ".join(chosen) or names.area
    if flt.sectors:
        sectors = {s.key: s.name[lang] for s in model.sectors()}
        place += " · " + ", ".join(sectors[s] for s in flt.sectors)
    return place


def context(flt: Filter, names: Places, lang: str, as_of: date | None = None) -> str:
    """Where, when and how it counts, on one line; a period running past the data's end (``as_of``) says so."""
    partial = t("partial_period", lang, date=fmt.day(as_of, lang)) if as_of and flt.last_day > as_of else ""
    return f"{where(flt, names, lang)} · {fmt.period(flt, lang)}{partial} · {model.MODES[flt.mode].label[lang]}"


def chart_title(what: str, flt: Filter, names: Places, lang: str, as_of: date | None = None) -> ChartTitle:
    """Every chart says what, where and when (and how it counts)."""
    return ChartTitle(what, context(flt, names, lang, as_of))


def crosswalk_note(flt: Filter, reform: date | None, units: pd.DataFrame, names: Places, lang: str) -> str | None:
    """For a filter on former districts reaching past the reform: which new units count in them from then on
    (the crosswalk's main district), said on screen so nobody takes a ward for the district."""
    if not flt.districts or reform is None or flt.last_day < reform:
        return None
    parts = []
    for district in flt.districts:
        mapped = units[(units["district_code"] == district) & (units["level"] == "commune")]["unit_code"]
        parts.append(t("crosswalk_part", lang, district=names.districts.get(district, district),
                       units=", ".join(names.units.get(code, code) for code in mapped)))
    return t("crosswalk_note", lang, date=fmt.day(reform, lang), parts="; ".join(parts))


@dataclass(frozen=True)
class StageCard:
    """One headline number: the stage, its count, the change on last year, short notes, and the
    definitions of the count and of every measure in the notes (for the card's help)."""

    label: str
    description: str
    value: str
    change: str | None
    notes: tuple[str, ...]
    beyond_chance: bool = False  # the change is more than chance (:func:`intervals.count_changed`): coloured
    compared: bool = True  # False: ``change`` says why it is not compared (a cohort still maturing), in grey


def _change(now: float, before: float, lang: str, months: int | None, versus: str = "vs_last_year") -> str | None:
    """The change on the same months of last year ("+46,5% so với cùng kỳ", with "(6 tháng có số liệu)" when
    only some of the period's months have data), or on the previous equal period (``versus="vs_previous"``)."""
    change = comparison.change(now, before)
    if change is None:  # nothing to compare with, or suppressed
        return None
    like_for_like = t("like_for_like", lang, months=months) if months else ""
    return f"{fmt.percent(change, lang, signed=True)} {t(versus, lang)}{like_for_like}"


def _description(stage: model.Stage, current: pd.Series, lang: str, mode: str) -> str:
    """The count's definition, then each card measure's label and definition (Markdown, one per line)."""
    count = model.measures()[stage.key]
    lines = [count.definition(lang, mode)]
    lines += [f"**{m.label(lang, mode)}**: {m.definition(lang, mode)}"
              for m in model.shown_in("card", stage.key) if m.key in current]
    return "\n\n".join([*lines, t("change_not_significant", lang)])


def _pace_note(pace: pd.DataFrame | None, stage: str, as_of: date, lang: str) -> list[str]:
    """The stage's pace against its yearly target: "đúng tiến độ: cần 1.600 đến 30/09/2022"."""
    if pace is None:
        return []
    rows = pace[(pace["stage"] == stage) & pace["status"].isin(TRACKED)]
    if rows.empty:
        return []
    row = rows.iloc[0]
    return [t("pace_card", lang, status=t(f"status_{row['status']}", lang),
              expected=fmt.count(round(row["expected"]), lang), date=fmt.day(as_of, lang))]


def stage_cards(current: pd.Series, last_year: pd.Series, lang: str, mode: str, pace: pd.DataFrame | None = None,
                pace_as_of: date | None = None, compared_months: int | None = None,
                previous: pd.Series | None = None) -> list[StageCard]:
    """A card per stage from the totals of the period and of the same months last year (``compared_months``:
    how many, when fewer than the period's), with the change on the ``previous`` equal period and the pace of
    the year's targets when given. A later stage of a cohort still maturing is not compared: it says so."""
    immature = comparison.immature(current, last_year, previous)
    cards = []
    for stage in model.stages():
        now, maturing = current[stage.key], comparison.maturing(stage.key, immature)
        on_previous = None if previous is None or maturing else _change(now, previous[stage.key], lang,
                                                                       compared_months, "vs_previous")
        cards.append(StageCard(
            label=stage.short[lang],
            description=_description(stage, current, lang, mode),
            value=fmt.count(now, lang),
            change=t("not_compared_maturing", lang) if maturing
            else _change(now, last_year[stage.key], lang, compared_months),
            compared=not maturing,
            beyond_chance=not maturing and bool(intervals.count_changed(now, last_year[stage.key])),
            notes=tuple(measure_notes(current, "card", stage.key, lang, mode) + _pace_note(pace, stage.key, pace_as_of,
                                                                                        lang)
                        + ([on_previous] if on_previous else [])),
        ))
    return cards
