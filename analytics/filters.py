"""The filter object every query takes, and its URL and CLI forms.

URL form: ``?from=2022-01&to=2022-09&district=718,724&sector=fdi&mode=period`` (``window`` = days,
cohort mode only; ``unit`` = codes of units valid on the events' dates, such as the wards and communes
from July 2025). ``from``/``to`` are inclusive months. ``district`` is always a former district: after a
reorganisation it means the units the crosswalk maps to it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta

from analytics.model import MODES, sector_keys


class FilterError(ValueError):
    """A filter that cannot be honoured; the message is one line and says what to change."""


_MONTH_PATTERN = re.compile(r"^(\d{4})-(\d{2})$")
#: The longest cohort window a link or the sidebar may ask for (ten years).
MAX_WINDOW_DAYS = 3650


def whole_days(text: str) -> int | None:
    """``text`` as a cohort window of 0 to :data:`MAX_WINDOW_DAYS` days, or None when it is not one (``"²"``
    passes ``str.isdigit`` but is no number; ``"３０"`` is 30)."""
    text = text.strip()
    return int(text) if text.isdecimal() and int(text) <= MAX_WINDOW_DAYS else None


@dataclass(frozen=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        match = _MONTH_PATTERN.match(text.strip())
        if not match or not 1 <= int(match.group(2)) <= 12:
            raise FilterError(f"'{text}' is not a month; write it as YYYY-MM, e.g. 2022-09")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    def shift(self, months: int) -> Month:
        index = self.year * 12 + self.month - 1 + months
        return Month(index // 12, index % 12 + 1)

    def minus(self, other: Month) -> int:
        """Whole months from ``other`` to ``self``."""
        return (self.year - other.year) * 12 + self.month - other.month

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.shift(1).first_day - timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"


def _split_codes(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


@dataclass(frozen=True)
class Filter:
    """A slice of the funnel: inclusive months, optional districts, units and sectors, counting mode."""

    QUERY_KEYS = ("from", "to", "district", "unit", "sector", "mode", "window")

    start: Month
    end: Month
    districts: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    mode: str = "period"
    window_days: int | None = None
    units: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise FilterError(f"'from' {self.start} is after 'to' {self.end}; swap them")
        if self.mode not in MODES:
            raise FilterError(f"unknown mode '{self.mode}'; use one of {', '.join(MODES)}")
        unknown = [s for s in self.sectors if s not in sector_keys()]
        if unknown:
            raise FilterError(f"unknown sector '{unknown[0]}'; use one of {', '.join(sector_keys())}")
        if self.window_days is not None and not 0 <= self.window_days <= MAX_WINDOW_DAYS:
            raise FilterError(f"the cohort window must be from 0 to {MAX_WINDOW_DAYS} days")

    @property
    def first_day(self) -> date:
        return self.start.first_day

    @property
    def last_day(self) -> date:
        return self.end.last_day

    @property
    def months(self) -> int:
        return self.end.minus(self.start) + 1

    def shifted(self, months: int) -> Filter:
        return replace(self, start=self.start.shift(months), end=self.end.shift(months))

    def same_period_last_year(self) -> Filter:
        return self.shifted(-12)

    def previous_period(self) -> Filter:
        return self.shifted(-self.months)

    def trend(self) -> Filter:
        """The trend chart's range: at least the 12 months up to the period's end, for context."""
        return replace(self, start=min(self.start, self.end.shift(-11)))

    def with_districts(self, districts: Iterable[str]) -> Filter:
        return replace(self, districts=tuple(districts))

    def with_units(self, units: Iterable[str]) -> Filter:
        return replace(self, units=tuple(units))

    def check_districts(self, known: Iterable[str], known_units: Iterable[str] = ()) -> Filter:
        """Raise :class:`FilterError` for a district code not in ``known`` or a unit code not in ``known_units``."""
        for what, asked, allowed in (("district", self.districts, set(known)), ("unit", self.units, set(known_units))):
            unknown = [code for code in asked if code not in allowed]
            if unknown:
                examples = ", ".join(sorted(allowed)[:12])
                raise FilterError(f"unknown {what} '{unknown[0]}'; use codes such as {examples}")
        return self

    def to_query(self) -> dict[str, str]:
        """The URL query-string form; empty filters are left out."""
        query = {"from": str(self.start), "to": str(self.end)}
        if self.districts:
            query["district"] = ",".join(self.districts)
        if self.units:
            query["unit"] = ",".join(self.units)
        if self.sectors:
            query["sector"] = ",".join(self.sectors)
        query["mode"] = self.mode
        if self.window_days is not None:
            query["window"] = str(self.window_days)
        return query

    def to_cli_args(self, counting: bool = True) -> list[str]:
        """The same filter as ``python -m analytics funnel`` arguments (without ``counting``, no counting mode
        and window: the period and slice only)."""
        args = ["--from", str(self.start), "--to", str(self.end)]
        if self.districts:
            args += ["--district", ",".join(self.districts)]
        if self.units:
            args += ["--unit", ",".join(self.units)]
        if self.sectors:
            args += ["--sector", ",".join(self.sectors)]
        if not counting:
            return args
        args += ["--mode", self.mode]
        if self.window_days is not None:
            args += ["--window-days", str(self.window_days)]
        return args

    @classmethod
    def from_query(cls, params: Mapping[str, str], default: Filter) -> Filter:
        """Read a filter from URL parameters; what is missing comes from ``default``."""
        window = params.get("window")
        if window is not None and whole_days(window) is None:
            raise FilterError(f"window '{window}' must be a whole number of days from 0 to {MAX_WINDOW_DAYS}")
        return cls(
            start=Month.parse(params["from"]) if params.get("from") else default.start,
            end=Month.parse(params["to"]) if params.get("to") else default.end,
            districts=_split_codes(params["district"]) if "district" in params else default.districts,
            units=_split_codes(params["unit"]) if "unit" in params else default.units,
            sectors=_split_codes(params["sector"]) if "sector" in params else default.sectors,
            mode=params.get("mode") or default.mode,
            window_days=whole_days(window) if window is not None else default.window_days,
        )
