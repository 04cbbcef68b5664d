"""Everything the overview shows, fetched once: the same results feed the page, slides and the deck."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from analytics import access, charts, comparison, fmt, model, narrative, pace, queries, sentences
from analytics.filters import Filter, Month
from analytics.i18n import t

#: More bars than this would not be readable (a national view has about 700 district-level units).
MAX_DISTRICT_BARS = 25


@dataclass(frozen=True)
class Slide:
    """One slide: its name (headline, funnel, districts, pace, trend), its title sentence and its figure."""

    key: str
    sentence: str
    figure: go.Figure


@dataclass(frozen=True)
class Overview:
    filter: Filter
    lang: str
    places: narrative.Places
    reform: date | None
    as_of: date
    first: Month
    latest: Month
    totals: pd.DataFrame
    non_state: pd.DataFrame | None  # the totals in non-state enterprises, for the sentence (None: a sector filter)
    pace: pd.DataFrame | None  # targets and pace of the period's last year (None: cohort mode or a sector filter)
    pace_as_of: date
    events: pd.DataFrame  # the calendar's events within the trend's months
    last_year: pd.DataFrame  # the same months of last year as have data in the period (like for like)
    previous: pd.DataFrame  # the previous equal period, on as many months
    by_district: pd.DataFrame
    trend_filter: Filter
    by_month: pd.DataFrame
    threshold: int = 0  # the audience's: counts under it are hidden, and what would reveal them (0: none)

    def queries(self) -> list[tuple[Filter, str | None]]:
        """The ``(filter, breakdown)`` of each query behind the overview, for the CLI equivalents."""
        calls = [(self.filter, None), *((self.baseline(which), None) for which in comparison.BASELINES),
                 (self.filter, "district"), (self.trend_filter, "month")]
        calls += [(non_state(self.filter), None)] if self.non_state is not None else []
        calls += pace.queries(self.filter, self.filter.end.year, self.pace_as_of, None, self.first) \
            if self.pace is not None else []
        return list(dict.fromkeys(calls))  # each once, as fetched (:class:`_Funnels`)

    def sentence(self) -> str:
        """The headline sentence, from the same totals as the cards."""
        place = narrative.where(self.filter, self.places, self.lang) if self.filter.districts or self.filter.units \
            else None
        count = self.non_state.iloc[0][model.NON_STATE_STAGE] if self.non_state is not None else None
        return sentences.headline(self.totals.iloc[0], count, self.filter, self.latest, self.as_of, place, self.lang)

    def sentences(self) -> dict[str, str]:
        """The title sentence of each slide (headline numbers, funnel, districts, pace, trend), from the same
        frames as its chart."""
        lang, totals = self.lang, self.totals.iloc[0]
        said = {
            "headline": self.sentence(),
            "funnel": sentences.funnel_sentence(totals, self.filter.mode, lang),
            "districts": sentences.districts_sentence(self.by_district, lang),
        }
        if self._has_targets():
            said["pace"] = sentences.pace_sentence(self.pace, self.pace_as_of, lang)
        said["trend"] = sentences.change_sentence(totals, self.last_year.iloc[0], self.compared_months(), lang)
        return said

    def footer(self) -> str:
        """What every slide says at its foot: the slice, the period, the counting mode, where the data ends
        and, for a restricted audience, what "x" means."""
        lang = self.lang
        legend = f" · {t('hidden_legend', lang, threshold=self.threshold)}" if self.threshold else ""
        return (f"{narrative.context(self.filter, self.places, lang, self.as_of)} · "
                f"{t('data_as_of', lang, date=fmt.day(self.as_of, lang))}{legend}")

    def slide_keys(self) -> list[str]:
        return ["headline", *self.figure_keys()]

    def slides(self, style: charts.Style = charts.HALL) -> list[Slide]:
        """The slides of a conference, in order: the headline numbers, then a slide per figure, each titled by
        its sentence (the slide mode and the deck show these, so they say the same)."""
        said = self.sentences()
        return [Slide(key, said[key], self.figure(key, style)) for key in self.slide_keys()]

    def cards(self) -> list[narrative.StageCard]:
        return narrative.stage_cards(self.totals.iloc[0], self.last_year.iloc[0], self.lang, self.filter.mode,
                                     self.pace, self.pace_as_of, self.compared_months(), self.previous.iloc[0])

    def baseline(self, which: str) -> Filter:
        """What the period's months with data are compared with (:func:`comparison.baseline`)."""
        return comparison.baseline(self.filter, self.as_of, which)

    def compared_months(self) -> int | None:
        """How many months the comparisons cover, when fewer than the period's."""
        return comparison.compared_months(self.filter, self.as_of)

    def title(self, key: str, flt: Filter | None = None) -> charts.ChartTitle:
        return narrative.chart_title(t(key, self.lang), flt or self.filter, self.places, self.lang, self.as_of)

    def charted_districts(self) -> pd.DataFrame:
        """The districts the chart shows: nationally there are ~700, so the largest; tables have them all."""
        return self.by_district.nlargest(MAX_DISTRICT_BARS, "referred")

    def figure_keys(self) -> list[str]:
        """The overview's charts in the order slides show them: funnel, districts compared, progress to the
        year's targets (when there are any) and the monthly trend."""
        return ["funnel", "districts", *(["pace"] if self._has_targets() else []), "trend"]

    def _has_targets(self) -> bool:
        return self.pace is not None and bool(self.pace["status"].isin(pace.TRACKED).any())

    def figure(self, key: str, style: charts.Style = charts.SCREEN) -> go.Figure:
        """One chart by name (those of :meth:`figure_keys`, or ``headline``: the headline numbers); on a slide
        the districts are ranked by one measure (the sentence's) rather than compared stage by stage."""
        lang, flt = self.lang, self.filter
        if key == "headline":
            return charts.headline_figure(self.totals.iloc[0], self.cards(), lang, self.title("chart_headline"), style)
        if key == "funnel":
            return charts.funnel_figure(self.totals.iloc[0], lang, self.title("chart_funnel"), flt.mode, style)
        if key == "districts" and style.slide:
            return charts.ranking_figure(self.by_district, lang, self.title("chart_districts"), flt.mode, style)
        if key == "districts":
            return charts.district_figure(self.charted_districts(), lang, self.title("chart_districts"), style)
        if key == "pace":
            what = t("chart_pace", lang, year=self.pace_as_of.year, date=fmt.day(self.pace_as_of, lang))
            return charts.pace_figure(self.pace, lang, narrative.chart_title(what, flt, self.places, lang), style)
        if key == "trend":
            return charts.trend_figure(self.by_month, lang, self.title("chart_trend", self.trend_filter), style,
                                       reform=self.reform, events=self.events)
        raise KeyError(key)

    def figures(self, style: charts.Style = charts.SCREEN) -> dict[str, go.Figure]:
        """The charts of :meth:`figure_keys`, by name."""
        return {key: self.figure(key, style) for key in self.figure_keys()}

def non_state(flt: Filter) -> Filter:
    """``flt`` narrowed to non-state enterprises (for the sentence's "of which in non-state enterprises")."""
    return replace(flt, sectors=model.non_state_sectors())


class _Funnels:
    """:func:`access.funnel` for one overview, each distinct (filter, breakdown, denominators) fetched once: a
    year's previous period is its last year, and the pace's year so far is a year-to-date period itself."""

    def __init__(self, con: duckdb.DuckDBPyConnection, principal: access.Principal, lang: str) -> None:
        self._con, self._principal, self._lang = con, principal, lang
        self._fetched: dict[tuple[Filter, str | None, bool], pd.DataFrame] = {}

    def __call__(self, flt: Filter, by: str | None, denominators: bool = True) -> pd.DataFrame:
        key = (flt, by, denominators)
        if key not in self._fetched:
            self._fetched[key] = access.funnel(self._con, self._principal, flt, by, self._lang,
                                               denominators=denominators)
        return self._fetched[key]

    def counts(self, flt: Filter) -> pd.DataFrame:
        """Totals compared by their counts (baselines, the non-state count): no union members or targets."""
        return self(flt, None, denominators=False)


def load(con: duckdb.DuckDBPyConnection, principal: access.Principal, flt: Filter, lang: str,
         places: narrative.Places | None = None) -> Overview:
    """Run the overview's queries for ``flt`` as ``principal`` may see them (``places``: the period's names, if
    the caller has them already).

    Callers pass the filter they authorized (the app once per run, the CLI once per command); it is
    checked again here so that the titles name what the numbers show, and :func:`access.funnel` checks
    each query. The trend covers at least the 12 months up to the period's end.
    """
    flt = access.authorize(principal, flt)
    trend_filter = flt.trend()
    first, _ = queries.data_months(con)
    as_of = access.data_end(con, principal)
    pace_as_of = min(flt.last_day, as_of)
    with_pace = flt.mode == "period" and not flt.sectors
    funnel = _Funnels(con, principal, lang)
    return Overview(
        filter=flt,
        lang=lang,
        places=places or narrative.places(con, flt, lang),
        reform=queries.reform_date(con),
        as_of=as_of,
        first=first,
        latest=queries.data_months(con)[1],
        non_state=None if flt.sectors else funnel.counts(non_state(flt)),  # only its count is said
        pace=pace.pace(con, principal, flt, flt.end.year, pace_as_of, None, lang, first, funnel) if with_pace else None,
        pace_as_of=pace_as_of,
        events=queries.calendar(con, trend_filter),
        totals=funnel(flt, None),
        last_year=funnel.counts(comparison.baseline(flt, as_of, "last_year")),
        previous=funnel.counts(comparison.baseline(flt, as_of, "previous")),
        by_district=funnel(flt, "district"),
        trend_filter=trend_filter,
        by_month=funnel(trend_filter, "month"),
        threshold=principal.threshold,
    )
