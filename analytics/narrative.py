"""The words a view says about itself: where and when, chart titles, and the headline stage cards.

Shared by the pages, the slide mode and the PowerPoint deck, so all three say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analytics import fmt, model
from analytics.charts import ChartTitle, measure_notes
from analytics.filters import Filter
from analytics.i18n import t


def where(flt: Filter, district_labels: Mapping[str, str], lang: str) -> str:
    """The slice in words: districts (or the whole province) and sectors."""
    place = ", ".join(district_labels.get(d, d) for d in flt.districts) or t("all_districts", lang)
    if flt.sectors:
        names = {s.key: s.name[lang] for s in model.sectors()}
        place += " · " + ", ".join(names[s] for s in flt.sectors)
    return place


def context(flt: Filter, district_labels: Mapping[str, str], lang: str) -> str:
    """Where, when and how it counts, on one line."""
    return f"{where(flt, district_labels, lang)} · {fmt.period(flt, lang)} · {model.MODES[flt.mode].label[lang]}"


def chart_title(what: str, flt: Filter, district_labels: Mapping[str, str], lang: str) -> ChartTitle:
    """Every chart says what, where and when (and how it counts)."""
    return ChartTitle(what, context(flt, district_labels, lang))


@dataclass(frozen=True)
class StageCard:
    """One headline number: the stage, its count, the change on last year, short notes, and the
    definitions of the count and of every measure in the notes (for the card's help)."""

    label: str
    description: str
    value: str
    change: str | None
    notes: tuple[str, ...]


def _change(now: float, before: float, lang: str) -> str | None:
    if not before or pd.isna(before) or pd.isna(now):  # nothing to compare with, or suppressed
        return None
    return f"{fmt.percent((now - before) / before, lang, signed=True)} {t('vs_last_year', lang)}"


def _description(stage: model.Stage, current: pd.Series, lang: str, mode: str) -> str:
    """The count's definition, then each card measure's label and definition (Markdown, one per line)."""
    count = model.measures()[stage.key]
    lines = [count.definition(lang, mode)]
    lines += [f"**{m.label(lang, mode)}**: {m.definition(lang, mode)}"
              for m in model.shown_in("card", stage.key) if m.key in current]
    return "\n\n".join(lines)


def stage_cards(current: pd.Series, last_year: pd.Series, lang: str, mode: str) -> list[StageCard]:
    """A card per stage from the totals of the period and of the same period last year."""
    return [
        StageCard(
            label=stage.short[lang],
            description=_description(stage, current, lang, mode),
            value=fmt.count(current[stage.key], lang),
            change=_change(current[stage.key], last_year[stage.key], lang),
            notes=tuple(measure_notes(current, "card", stage.key, lang, mode)),
        )
        for stage in model.stages()
    ]
