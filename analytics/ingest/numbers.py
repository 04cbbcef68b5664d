"""Whole numbers as senders type them: "1.234" and "1 234" are one thousand two hundred thirty-four."""

from __future__ import annotations

import re

_GROUPED = re.compile(r"\d{1,3}(?:[. \u00a0]\d{3})+")
_PLAIN = re.compile(r"\d+(?:[.,]0+)?")
_COMMA_THOUSANDS = re.compile(r"\d{1,3},000")  # "1,000": one thousand in English, 1,0 in Vietnamese


#: The largest count a report may give: more people than Viet Nam's workforce is a typing error (and would
#: not fit the curated tables' 32-bit counts).
MAX_COUNT = 100_000_000


class NumberError(ValueError):
    """A cell that is not a whole number ≥ 0 in an accepted form."""


def parse_count(value: object) -> int:
    """A whole number from 0 to :data:`MAX_COUNT` from a cell: an int, a float without fraction, or text with "."
    thousands separators.

    "1,234" is refused: in Vietnamese the comma is the decimal mark, so it is ambiguous; so is "1,000" (it
    loaded as 1 when the sender meant one thousand).
    """
    if isinstance(value, bool):
        raise NumberError(str(value))
    if isinstance(value, int | float):
        if not 0 <= value <= MAX_COUNT or value != int(value):  # the range first: int(inf) would raise
            raise NumberError(str(value))
        return int(value)
    text = str(value).strip()
    if _GROUPED.fullmatch(text):
        count = int(re.sub(r"\D", "", text))
    elif _PLAIN.fullmatch(text) and not _COMMA_THOUSANDS.fullmatch(text):
        count = int(re.split(r"[.,]", text)[0])
    else:
        raise NumberError(text)
    if count > MAX_COUNT:
        raise NumberError(text)
    return count


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
