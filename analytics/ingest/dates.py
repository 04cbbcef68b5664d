"""Dates as senders type them: dd/mm/yyyy, d/m/yy, ISO, Excel serial numbers. Never month-first."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_EXCEL_EPOCH = date(1899, 12, 30)  # right from serial 61 (1900-03-01) on, after Excel's 1900 leap-year bug
_SERIAL_RANGE = (10_000, 2_958_465)  # 1927-05-18 … 9999-12-31: a small number such as 2022 is no date
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # a time of day after the date, as exports write it
#: A day-first date written as numbers (day, month, year), a time of day allowed after it.
DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})" + _TIME)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_SERIAL = re.compile(r"\d{1,7}(?:[.,]0+)?")


class DateError(ValueError):
    """A cell that is not a date in an accepted form."""


def from_serial(serial: float) -> date:
    """The date of an Excel serial number (days since 1899-12-30; a time fraction is dropped)."""
    if not _SERIAL_RANGE[0] <= serial <= _SERIAL_RANGE[1] or serial != int(serial):  # the range first: inf, nan
        raise DateError(f"{serial} is not a whole Excel day number")
    return _EXCEL_EPOCH + timedelta(days=int(serial))


def _year(text: str) -> int:
    """A 4-digit year, or a 2-digit one read as 20yy (stage dates are all after 2000)."""
    return int(text) + (2000 if len(text) == 2 else 0)


def parse_date(value: object) -> date:
    """A date from a cell value: a date/datetime, an Excel serial number, or text day-first or ISO.

    ``"05/01/2022"`` is 5 January 2022; ``"01/13/2022"`` is refused (there is no month 13).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise DateError(str(value))
    if isinstance(value, int | float):
        return from_serial(value)
    text = str(value).strip()
    try:
        if match := DAY_FIRST.fullmatch(text):
            day, month, year = match.groups()
            return date(_year(year), int(month), int(day))
        if match := _ISO.fullmatch(text):
            year, month, day = match.groups()
            return date(int(year), int(month), int(day))
        if _SERIAL.fullmatch(text):
            return from_serial(float(text.replace(",", ".")))
    except ValueError as error:  # day or month out of range
        raise DateError(text) from error
    raise DateError(text)
