"""Readable labels for the keys a breakdown returns (district codes, sectors, months …)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from analytics import fmt, model
from analytics.filters import Month

OUTSIDE_ZONES = {"vi": "Ngoài khu công nghiệp", "en": "Outside industrial zones"}
UNKNOWN = {"vi": "Không rõ", "en": "Unknown"}


def _time_label(unit: str, key: str, lang: str) -> str:
    if unit == "month":
        return fmt.month(Month.parse(key), lang)
    if unit == "quarter":
        year, quarter = key.split("-Q")
        return f"Quý {quarter}/{year}" if lang == "vi" else f"Q{quarter} {year}"
    return key


def _district_label(row: object, lang: str) -> str:
    return row.name_vi if lang == "vi" else row.name_en


def label_key(by: str, key: str | None, lang: str, names: Mapping[str, object] | None = None) -> str:
    """The label of one group key; ``names`` carries district rows or union names looked up once."""
    names = names or {}
    dimension = model.DIMENSIONS[by]
    if dimension.time_unit:
        return _time_label(dimension.time_unit, key, lang)
    if key is None or key == model.NO_VALUE:
        return OUTSIDE_ZONES[lang] if by == "industrial_zone" else UNKNOWN[lang]
    if by == "district":
        return _district_label(names[key], lang) if key in names else key
    if by == "sector":
        return next((s.name[lang] for s in model.sectors() if s.key == key), key)
    if by == "union":
        return str(names.get(key, key))
    return model.VALUE_LABELS.get(by, {}).get(key, {}).get(lang, key)


def label_keys(by: str, keys: Iterable, lang: str, names: Mapping[str, object] | None = None) -> list[str]:
    return [label_key(by, key, lang, names) for key in keys]


def named_labels(keys: pd.Series, names: pd.Series, lang: str) -> pd.Series:
    """:func:`label_key` for many district or union keys at once, given their ``names`` (aligned, missing
    when unknown: the key is the label then)."""
    labels = names.astype("str").fillna(keys.astype("str"))
    return labels.mask(keys.isna() | (keys == model.NO_VALUE), UNKNOWN[lang])

