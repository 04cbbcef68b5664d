"""Text cleaning: NFC, trimming, a diacritics-free folded form for matching, legacy-font detection."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"\s+")
_PUNCT = re.compile(r"[^\w\s]")

# Latin-1 characters that Vietnamese in Unicode never uses. Text typed with the legacy TCVN3 (.Vn*) or
# VNI fonts shows them in place of Vietnamese letters: "Thñ DÇu Mét" (TCVN3), "Thuû Daàu Moät" (VNI).
# TCVN3 puts many letters on the symbols ¡…¿; VNI writes a base letter followed by a Latin-1 "mark" letter.
_TCVN3_MARKS = set(map(chr, range(0xA1, 0xC0))) | set("ÆÇËÎÏÐ×Þßæçëîïð÷þ")
_VNI_MARKS = set("ÄÅÑÖØÛÜäåñöøûüÿ")
_LEGACY_MARKS = _TCVN3_MARKS | _VNI_MARKS
# Letters that only Unicode Vietnamese has (neither legacy font can produce them): ă đ ơ ư and the
# precomposed letters with tone marks.
_VIETNAMESE = re.compile(r"[ăđơưĂĐƠƯ\u1ea0-\u1ef9]")


def clean(value: object) -> object:
    """A cell as text in NFC without surrounding or repeated white space ("" for empty); non-text unchanged."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    return _SPACES.sub(" ", unicodedata.normalize("NFC", value).replace("\u00a0", " ")).strip()


def strip_accents(text: str) -> str:
    """``text`` without Vietnamese diacritics (đ → d); both tone placements (Hòa/Hoà) give the same result."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=1 << 16)  # the same union and district names are folded at every load
def fold(text: str) -> str:
    """The matching form: no diacritics, lower case, punctuation as space, single spaces."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", strip_accents(clean(text)).casefold())).strip()


def legacy_font(text: str) -> str | None:
    """``"TCVN3"`` or ``"VNI"`` when ``text`` looks typed in a legacy Vietnamese font, else ``None``.

    Such text has characters Vietnamese never uses and none of the letters only Unicode Vietnamese has.
    """
    marks = [c for c in text if c in _LEGACY_MARKS]
    if not marks or _VIETNAMESE.search(text):
        return None
    return "TCVN3" if any(c in _TCVN3_MARKS for c in marks) else "VNI"
