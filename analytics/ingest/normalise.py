"""Text cleaning: NFC, trimming, a diacritics-free folded form for matching, legacy-font detection."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

_SPACES = re.compile(r"\s+")
# Characters that show nothing (zero-width space and joiners, soft hyphen, word joiner, byte-order mark): pasted
# from the web, they make "012345" and "012345\u200b" two people.
_INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")
_PUNCT = re.compile(r"[^\w\s]")

# Legacy fonts. Text typed with the TCVN3 (.Vn*) or VNI fonts is stored as Latin-1 characters standing for
# Vietnamese letters. TCVN3 gives each letter one character: "Thñ DÇu Mét" (Thủ Dầu Một), "Hßa" (Hòa); VNI
# writes a base letter and a mark character: "Thuû Daàu Moät", "Hoøa", "Ñoàng" (Đồng). Many of those characters
# are also Vietnamese letters in Unicode (à, â, ô, ...), so a single cell can pass for Unicode; what gives them
# away is a character Unicode Vietnamese never uses, or a vowel followed by a mark no Vietnamese word has.
# TCVN3 signs: characters only TCVN3 uses (A1-AE: Ă Â Ê Ô Ơ Ư Đ ă â ê ô ơ ư đ; B5-BE: à ả ã á ạ ằ ẳ ẵ ắ; then
# ặ ầ é ì ị ò ...); a capital inside a word ("ThÕ" for Thế, "TuÊn" for Tuấn: TCVN3's lowercase ế and ấ are
# Latin-1 capitals); a consonant followed by a character VNI only puts after a vowel ("Ngäc" for Ngọc); "uú"
# (ỳ in "Huúnh", neither Vietnamese nor VNI).
_TCVN3 = re.compile("[\u00a1-\u00ae\u00b5-\u00b9\u00bb-\u00beÇ×Þßç÷þ]|(?<=[a-zà-ÿ])[À-ÖØ-Þ]"
                    "|(?<=[b-df-hj-np-tv-xzB-DF-HJ-NP-TV-XZ])[øûïåäüëñ]|(?<=[uU])ú")
# VNI: a vowel and a mark character that no Unicode Vietnamese word puts after it ("aø" for à, "eá" for ế,
# "oâ" for ô, "uû" for ủ, "ôù" for ớ). Not "oà", "oá", "oã" (hoà, hoá, hoãn) nor "uâ", "uê", "uý", ...
_VNI = re.compile("[aAeE][ùøûõïâáàåãäêéèúüëÙØÛÕÏÂÁÀÅÃÄÊÉÈÚÜË]|[oO][âùøûõïåäÂÙØÛÕÏÅÄ]|[uUyYôÔöÖ][ùøûõïÙØÛÕÏ]")
# Other characters that are no Vietnamese letter, used by both fonts (VNI ñ = đ, ö = ư; TCVN3 ñ = ủ, ö = ử).
_EITHER = re.compile("[ÄÅÆËÏÑÖØÛÜäåæëîïñöøûüÎ]")
# Letters only Unicode Vietnamese has (neither font can produce them): ă đ ĩ ơ ũ ư and the precomposed
# letters with tone marks beyond Latin-1.
_VIETNAMESE = re.compile("[ăđĩũơưĂĐĨŨƠƯ\u1ea0-\u1ef9]")
# Latin-1 letters: in a file typed in a legacy font, a cell with any of them is legacy text too.
_LATIN1_LETTERS = re.compile("[À-ÖØ-öø-ÿ]")


def clean(value: object) -> object:
    """A cell as text in NFC without surrounding or repeated white space ("" for empty); non-text unchanged."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    if (value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " "
            and (value.isascii() or unicodedata.is_normalized("NFC", value))):
        return value  # already clean (printable: no white space but " "), the usual case, checked cheaply
    return _SPACES.sub(" ", _INVISIBLE.sub("", unicodedata.normalize("NFC", value))).strip()


# Đ/đ, and the Icelandic Ð/ð (U+00D0/U+00F0) that some keyboards and encodings give for them.
_D_STROKE = str.maketrans("đĐðÐ", "dDdD")


def strip_accents(text: str) -> str:
    """``text`` without Vietnamese diacritics (đ → d); both tone placements (Hòa/Hoà) give the same result."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D_STROKE))
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


@lru_cache(maxsize=1 << 16)  # the same union and district names are folded at every load
def fold(text: str) -> str:
    """The matching form: no diacritics, lower case, punctuation as space, single spaces."""
    return _SPACES.sub(" ", _PUNCT.sub(" ", strip_accents(clean(text)).casefold())).strip()


# A word shaped like one Vietnamese syllable once its Latin-1 characters are read as the legacy fonts' letters
# and marks: an initial consonant, one run of vowels (any Latin-1 character may stand for one), a final
# consonant. "Thuû", "DÇu", "Ngäc", "Ñoàng" are; "Müller", "Bürkert", "Hüls", "Schöller", "Peñafiel" (foreign
# names of FDI companies and people) are not, so their ü, ö, ø, ñ are no legacy sign.
_SYLLABLE = re.compile("(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx®§ñ])?"
                       "[aeiouy\u00a1-\u00d6\u00d8-\u00f6\u00f8-\u00ff]+(?:ng|nh|ch|[cmnpt])?", re.IGNORECASE)
_WORD = re.compile(r"[^\s,.;:()\[\]/\-\"'&+*!?]+")


def legacy_counts(text: str) -> tuple[int, int, int, int]:
    """Signs of the script of ``text`` (NFC): letters only Unicode Vietnamese has, characters only TCVN3 uses,
    VNI vowel-and-mark pairs, and characters either font uses but Vietnamese does not (in words shaped like a
    Vietnamese syllable)."""
    vietnamese = len(_VIETNAMESE.findall(text))
    if text.isascii():
        return vietnamese, 0, 0, 0
    words = [word for word in _WORD.findall(text) if not word.isascii() and _SYLLABLE.fullmatch(word)]
    return (vietnamese, *(sum(len(signs.findall(word)) for word in words) for signs in (_TCVN3, _VNI, _EITHER)))


class LegacyText:
    """Judges the text cells of a whole file: whether there is text typed in a legacy font, and in which (the
    one with more of its own signs in the file). Each distinct text is weighed once (:meth:`signs`) and
    counted as often as it occurs (:meth:`add`).

    A cell without any letter only Unicode has is legacy text when it shows a legacy sign. In a column whose
    legacy signs outnumber its Unicode-only letters (:meth:`outweighs`), so is every cell with a Latin-1
    letter: one that could pass for Unicode on its own, like "Vâ" for Võ in TCVN3 or "Hoà" for Hồ in VNI."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self._weighed: dict[str, tuple[int, int, int, int]] = {}

    def _weigh(self, text: str) -> tuple[int, int, int, int]:
        counts = self._weighed.get(text)
        if counts is None:
            counts = self._weighed[text] = legacy_counts(text)
        return counts

    def signs(self, text: str) -> bool:
        """Whether ``text`` shows a legacy sign itself."""
        vietnamese, *legacy = self._weigh(text)
        return not vietnamese and any(legacy)

    def add(self, texts: Iterable[str]) -> None:
        """Count one occurrence of each of ``texts``."""
        self.counts.update(texts)

    def _totals(self) -> tuple[int, int, int, int]:
        """Unicode-only letters in all cells; TCVN3, VNI and either-font signs in cells without such letters."""
        totals = [0, 0, 0, 0]
        for text, count in self.counts.items():
            vietnamese, *legacy = self._weigh(text)
            if vietnamese:
                totals[0] += vietnamese * count
            else:
                for i, signs in enumerate(legacy, start=1):
                    totals[i] += signs * count
        return tuple(totals)

    def font(self) -> str | None:
        """"TCVN3" or "VNI" when some cell is legacy text, else None. A tie goes to TCVN3: VNI text never
        shows a TCVN3 sign, while TCVN3 text can show a VNI pair ("Thuû" is TCVN3 for Thuỷ and VNI for Thủ)."""
        _, tcvn3, vni, either = self._totals()
        if not tcvn3 + vni + either:
            return None
        return "TCVN3" if tcvn3 and tcvn3 >= vni else "VNI"

    def outweighs(self, texts: Iterable[str]) -> bool:
        """Whether, over ``texts`` (with repeats), legacy signs outnumber letters only Unicode has."""
        balance = 0
        for text in texts:
            vietnamese, *legacy = self._weigh(text)
            balance += sum(legacy) if not vietnamese else -vietnamese
        return balance > 0


def has_latin1_letters(text: str) -> bool:
    return _LATIN1_LETTERS.search(text) is not None


def legacy_font(text: str) -> str | None:
    """``"TCVN3"`` or ``"VNI"`` when ``text`` alone looks typed in a legacy Vietnamese font, else ``None``."""
    judge = LegacyText()
    judge.add([text])
    return judge.font()


_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below
# Words ending in o or u (any tone) then a, e or y (any tone): the only ones :func:`_new_style` may change.
_GLIDE_WORD = re.compile("\\w*[oòóỏõọuùúủũụ][aàáảãạeèéẻẽẹyỳýỷỹỵ]\\b", re.IGNORECASE)
# An open syllable ending in oa, oe or uy (not qu + y, where u belongs to the consonant): the only place the
# two tone placements differ (hòa/hoà, khỏe/khoẻ, thủy/thuỷ).
_GLIDE_END = re.compile(r"(?:[oO][aAeE]|(?<![qQ])[uU][yY])$")


def _new_style(match: re.Match[str]) -> str:
    word = unicodedata.normalize("NFD", match.group())
    tones = [c for c in word if c in _TONES]
    if len(tones) != 1:
        return match.group()
    bare = word.replace(tones[0], "")
    if not _GLIDE_END.search(bare):
        return match.group()
    return unicodedata.normalize("NFC", bare + tones[0])


def one_tone_placement(text: str) -> str:
    """``text`` (NFC) with the tone of an open syllable ending in oa, oe or uy on its last vowel, the "new"
    placement: "Hòa" → "Hoà", "Khỏe" → "Khoẻ", "Thủy" → "Thuỷ"; "Hoàng", "Quý", "Thuở" are unchanged."""
    return text if text.isascii() else _GLIDE_WORD.sub(_new_style, text)
