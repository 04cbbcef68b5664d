"""Reporting periods: the presets leadership uses (month, quarter, 6 and 9 months, year, year to date).

A preset is only a way to choose ``from``/``to``; the URL keeps the months, and the preset is read
back from them, so a shared link shows the same choice in the sidebar.
"""

from __future__ import annotations

from dataclasses import dataclass

from analytics.filters import Month

PRESETS: dict[str, dict[str, str]] = {
    "month": {"vi": "Tháng", "en": "Month"},
    "quarter": {"vi": "Quý", "en": "Quarter"},
    "half": {"vi": "6 tháng đầu năm", "en": "First 6 months"},
    "nine_months": {"vi": "9 tháng đầu năm", "en": "First 9 months"},
    "year": {"vi": "Cả năm", "en": "Full year"},
    "ytd": {"vi": "Từ đầu năm đến nay", "en": "Year to date"},
    "custom": {"vi": "Tùy chọn", "en": "Custom range"},
}


@dataclass(frozen=True)
class PeriodChoice:
    """A preset with its year and, for month and quarter, which one (1-based)."""

    preset: str
    year: int
    index: int = 1


def preset_range(choice: PeriodChoice, latest: Month) -> tuple[Month, Month]:
    """The inclusive months of a preset; ``latest`` is the last month with data (for year to date)."""
    year = choice.year
    if choice.preset == "month":
        return Month(year, choice.index), Month(year, choice.index)
    if choice.preset == "quarter":
        return Month(year, 3 * choice.index - 2), Month(year, 3 * choice.index)
    last_month = {"half": 6, "nine_months": 9, "year": 12}.get(choice.preset)
    if last_month:
        return Month(year, 1), Month(year, last_month)
    if choice.preset == "ytd":
        return Month(year, 1), min(Month(year, 12), latest)
    raise ValueError(f"a custom range has no preset months: {choice}")


def infer_choice(start: Month, end: Month, latest: Month) -> PeriodChoice:
    """The preset a pair of months corresponds to, or ``custom``."""
    for preset in ("month", "half", "nine_months", "year", "ytd"):
        choice = PeriodChoice(preset, start.year, start.month if preset == "month" else 1)
        if start.year == end.year and preset_range(choice, latest) == (start, end):
            return choice
    if start.year == end.year and start.month % 3 == 1 and end.minus(start) == 2:
        return PeriodChoice("quarter", start.year, (start.month + 2) // 3)
    return PeriodChoice("custom", end.year)
