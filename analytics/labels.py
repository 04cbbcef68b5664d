"""Readable labels for the keys a breakdown returns (district codes, sectors, months …)."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from analytics import fmt, model
from analytics.filters import Month


def _time_label(unit: str, key: str, lang: str) -> str:
    if unit == "month":
        return fmt.month(Month.parse(key), lang)
    if unit == "quarter":
        year, quarter = key.split("-Q")
        return f"Quý {quarter}/{year}" if lang == "vi" else f"Q{quarter} {year}"
    return key


def label_key(by: str, key: str | None, lang: str) -> str:
    """The label of one group key of a breakdown that is not by district or union (those carry names)."""
    dimension = model.DIMENSIONS[by]
    if dimension.time_unit:
        return _time_label(dimension.time_unit, key, lang)
    if key is None or key == model.NO_VALUE:
        return dimension.empty[lang]
    return model.value_label(by, key, lang)


def label_keys(by: str, keys: Iterable, lang: str) -> list[str]:
    return [label_key(by, key, lang) for key in keys]


def named_labels(keys: pd.Series, names: pd.Series, lang: str) -> pd.Series:
    """:func:`label_key` for many district or union keys at once, given their ``names`` (aligned, missing
    when unknown: the key is the label then)."""
    labels = names.astype("str").fillna(keys.astype("str"))
    return labels.mask(keys.isna() | (keys == model.NO_VALUE), model.UNKNOWN[lang])


FORMER = {"vi": "{name} (cũ)", "en": "former {name}"}


def former_names(names: pd.Series, current: pd.Series, lang: str) -> pd.Series:
    """District names, marked as former ("Dĩ An (cũ)") where the district no longer existed at the period's end
    (its figures then are those of the units the crosswalk maps to it)."""
    before, after = FORMER[lang].split("{name}")
    marked = before + names + after  # whole columns at once (a missing name stays missing)
    return names.where(current.fillna(True).astype(bool), marked)
