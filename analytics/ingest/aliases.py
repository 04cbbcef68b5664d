"""Alias tables: the many ways a sender writes a sector, gender or union, mapped to keys (units, which
depend on the date, are read by :mod:`analytics.ingest.units`).

Matching is on the folded form (:func:`~analytics.ingest.normalise.fold`): without diacritics, so both
tone placements ("Hòa"/"Hoà") and unaccented typing match, case and punctuation ignored.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from analytics import model
from analytics.ingest.normalise import fold


class AliasError(ValueError):
    """Two keys would share an alias: the reference data is ambiguous."""


#: The value of an alias that means more than one union (the sender must use the id).
AMBIGUOUS = ""


def _table(pairs: Iterable[tuple[str, str]], strict: bool = True) -> dict[str, str]:
    """Folded alias → key; an alias with two keys raises (``strict``) or maps to :data:`AMBIGUOUS`."""
    table: dict[str, str] = {}
    for alias, key in pairs:
        folded = fold(alias)
        if table.setdefault(folded, key) != key:
            if strict:
                raise AliasError(f"'{alias}' would mean both {table[folded]} and {key}")
            table[folded] = AMBIGUOUS
    return table


def sector_aliases() -> dict[str, str]:
    """Folded sector name → key: keys, Vietnamese and English names and the usual short forms."""
    extra = {
        "state": ("NN", "Nhà nước", "Doanh nghiệp nhà nước", "DNNN", "Khu vực nhà nước", "State"),
        "domestic": ("Ngoài nhà nước", "Tư nhân", "Doanh nghiệp tư nhân", "Trong nước", "DN ngoài nhà nước",
                     "Private"),
        "fdi": ("FDI", "Vốn đầu tư nước ngoài", "Có vốn ĐTNN", "ĐTNN", "DN FDI", "Foreign-invested", "Foreign"),
    }
    pairs = [(s.key, s.key) for s in model.sectors()]
    pairs += [(name, s.key) for s in model.sectors() for name in s.name.values()]
    pairs += [(alias, key) for key, names in extra.items() for alias in names]
    return _table(pairs)


def gender_aliases() -> dict[str, str]:
    """Folded gender → key (Nam/Nữ, Nam giới/Nữ giới, male/female, M/F)."""
    return _table([("Nam", "male"), ("Nam giới", "male"), ("male", "male"), ("M", "male"), ("Nữ", "female"),
                   ("Nữ giới", "female"), ("female", "female"), ("F", "female"), ("Nu", "female")])


# Abbreviations in union names, written out: "CĐCS Cty CP …" is "Công đoàn cơ sở Công ty Cổ phần …".
_UNION_WORDS = {"cty": "cong ty", "cp": "co phan", "mot thanh vien": "mtv", "cong doan co so": "cdcs"}
_UNION_WORD = re.compile(r"\b(" + "|".join(sorted(_UNION_WORDS, key=len, reverse=True)) + r")\b")


def _union_form(text: str) -> str:
    """A union name folded, abbreviations written one way, without "CĐCS" in front."""
    form = _UNION_WORD.sub(lambda m: _UNION_WORDS[m.group(1)], fold(text))
    return form.removeprefix("cdcs ")


def union_aliases(union_ids: Iterable[str], union_names: Iterable[str]) -> dict[str, str]:
    """Folded union id → union id, and union name in :func:`_union_form` → union id; a name two unions
    share maps to :data:`AMBIGUOUS`."""
    pairs = []
    for key, name in zip(union_ids, union_names, strict=True):
        pairs += [(key, key), (_union_form(name), key)]
    return _table(pairs, strict=False)


def union_id(text: str, aliases: dict[str, str]) -> str | None:
    """The union id for an id or a name as the sender writes it; None if unknown, AMBIGUOUS if shared."""
    found = aliases.get(fold(text))
    return found if found is not None else aliases.get(_union_form(text))
