"""The words a view says about itself: where and when, chart titles, and the headline stage cards.

Shared by the pages, the slide mode and the PowerPoint deck, so all three say the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from analytics import fmt, model
from analytics.charts import ChartTitle
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
    return f"{where(flt, district_labels, lang)} · {fmt.period(flt, lang)} · {model.MODES[flt.mode][lang]}"


def chart_title(what: str, flt: Filter, district_labels: Mapping[str, str], lang: str) -> ChartTitle:
    """Every chart says what, where and when (and how it counts)."""
    return ChartTitle(what, context(flt, district_labels, lang))


@dataclass(frozen=True)
class StageCard:
    """One headline number: the stage, its count, the change on last year and short notes."""

    label: str
    description: str
    value: str
    change: str | None
    notes: tuple[str, ...]


def _change(now: float, before: float, lang: str) -> str | None:
    if not before or pd.isna(before) or pd.isna(now):  # nothing to compare with, or suppressed
        return None
    return f"{fmt.percent((now - before) / before, lang, signed=True)} {t('vs_last_year', lang)}"


def _notes(stage: model.Stage, current: pd.Series, lang: str) -> tuple[str, ...]:
    notes = []
    if stage.order > 1:
        notes.append(t("of_previous_step", lang, rate=fmt.percent(current[f"{stage.key}_step_rate"], lang)))
    progress = current.get(f"{stage.key}_target_progress")
    if progress is not None and not pd.isna(progress):
        notes.append(t("of_target", lang, rate=fmt.percent(progress, lang)))
    per_1000 = current.get("referred_per_1000_members")
    if stage.order == 1 and per_1000 is not None and not pd.isna(per_1000):
        notes.append(t("per_1000", lang, value=fmt.number(per_1000, lang, 2)))
    return tuple(notes)


def stage_cards(current: pd.Series, last_year: pd.Series, lang: str) -> list[StageCard]:
    """A card per stage from the totals of the period and of the same period last year."""
    return [
        StageCard(
            label=stage.short[lang],
            description=stage.name[lang],
            value=fmt.count(current[stage.key], lang),
            change=_change(current[stage.key], last_year[stage.key], lang),
            notes=_notes(stage, current, lang),
        )
        for stage in model.stages()
    ]
