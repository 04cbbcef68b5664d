"""Numbers and dates as each language writes them: 2.339 and 10,7% in Vietnamese; 2,339 and 10.7%."""

from __future__ import annotations

import math
from datetime import date

from analytics import model
from analytics.filters import Filter, Month

MISSING = "–"
#: A count hidden from a restricted audience (see :mod:`analytics.disclosure`), whether it is small or hidden so
#: that a small one cannot be worked out: all read the same, so the mark says nothing about the value.
SUPPRESSED = "x"

#: Plotly's ``layout.separators``: decimal mark then thousands mark.
PLOTLY_SEPARATORS = {"vi": ",.", "en": ".,"}

_MONTH_ABBR_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _is_missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _swap_marks(text: str, lang: str) -> str:
    """Turn Python's ``1,234.5`` into ``1.234,5`` for Vietnamese."""
    if lang != "vi":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def number(value: float | None, lang: str, digits: int = 0) -> str:
    if _is_missing(value):
        return MISSING
    return _swap_marks(f"{value:,.{digits}f}", lang)


def count(value: float | str | None, lang: str) -> str:
    """A stage count; counts are never missing except when hidden, so missing reads "x" (as does "x")."""
    return SUPPRESSED if _is_missing(value) or value == SUPPRESSED else number(value, lang)


def percent(ratio: float | None, lang: str, digits: int = 1, signed: bool = False) -> str:
    """``0.1073`` → ``10,7%`` (vi) or ``10.7%`` (en); ``signed`` adds ``+`` to gains."""
    if _is_missing(ratio):
        return MISSING
    sign = "+" if signed and ratio > 0 else ""
    return sign + _swap_marks(f"{ratio * 100:,.{digits}f}", lang) + "%"


def days(value: float | None, lang: str) -> str:
    """A duration: ``128 ngày`` (vi) or ``128 days`` (en)."""
    if _is_missing(value):
        return MISSING
    return f"{number(value, lang)} {'ngày' if lang == 'vi' else 'days'}"


def tenths(value: float | str | None, lang: str) -> str:
    """A count or a number of days (time to convert): whole, or to 0.1 where not whole; text ("x") as is."""
    if isinstance(value, str):
        return value
    return number(value, lang, 1 if not _is_missing(value) and value % 1 else 0)


def measure(value: float | str | None, declared: model.Measure | None, lang: str) -> str:
    """A number as its measure's declared format writes it (a whole number without a measure); text as is."""
    if isinstance(value, str):
        return value
    if declared is None:
        return number(value, lang)
    return {
        "count": lambda: count(value, lang),
        "percent": lambda: percent(value, lang),
        "decimal": lambda: number(value, lang, 2),
        "days": lambda: days(value, lang),
    }[declared.format]()


def month_name(number: int, lang: str) -> str:
    """The name of a month of the year: "Th.9" (vi), "Sep" (en)."""
    return f"Th.{number}" if lang == "vi" else _MONTH_ABBR_EN[number - 1]


def month(value: Month, lang: str) -> str:
    if lang == "vi":
        return f"{value.month:02d}/{value.year}"
    return f"{_MONTH_ABBR_EN[value.month - 1]} {value.year}"


def day(value: date, lang: str) -> str:
    return value.strftime("%d/%m/%Y") if lang == "vi" else value.isoformat()


def period(flt: Filter, lang: str) -> str:
    """``01/2022–09/2022`` (vi) or ``Jan 2022–Sep 2022`` (en); a single month once."""
    if flt.start == flt.end:
        return month(flt.start, lang)
    return f"{month(flt.start, lang)}–{month(flt.end, lang)}"
