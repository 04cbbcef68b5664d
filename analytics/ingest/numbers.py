"""Whole numbers as senders type them: "1.234" and "1 234" are one thousand two hundred thirty-four."""

from __future__ import annotations

import re

_GROUPED = re.compile(r"\d{1,3}(?:[. \u00a0]\d{3})+")
_PLAIN = re.compile(r"\d+(?:[.,]0+)?")


class NumberError(ValueError):
    """A cell that is not a whole number ≥ 0 in an accepted form."""


def parse_count(value: object) -> int:
    """A whole number ≥ 0 from a cell: an int, a float without fraction, or text with "." thousands separators.

    "1,234" is refused: in Vietnamese the comma is the decimal mark, so it is ambiguous.
    """
    if isinstance(value, bool):
        raise NumberError(str(value))
    if isinstance(value, int | float):
        if not 0 <= value < float("inf") or value != int(value):  # the range first: int(inf) would raise
            raise NumberError(str(value))
        return int(value)
    text = str(value).strip()
    if _GROUPED.fullmatch(text):
        return int(re.sub(r"\D", "", text))
    if _PLAIN.fullmatch(text):
        return int(re.split(r"[.,]", text)[0])
    raise NumberError(text)


def parse_year(value: object, low: int = 1900, high: int = 2100) -> int:
    """A 4-digit year between ``low`` and ``high`` (a date cell gives its year)."""
    if hasattr(value, "year"):
        year = value.year
    else:
        text = str(value).strip()
        if not re.fullmatch(r"\d{4}(?:[.,]0+)?", text):
            raise NumberError(text)
        year = int(text[:4])
    if not low <= year <= high:
        raise NumberError(str(value))
    return year
