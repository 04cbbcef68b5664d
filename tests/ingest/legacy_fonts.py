"""Unicode Vietnamese written the way the legacy fonts store it, to build test files: TCVN3 (TCVN 5712:1993,
the .VnTime fonts) gives each letter one Latin-1 character; VNI (VNI-Times) writes a base letter followed by
a Latin-1 "mark" character, except for a few single characters (i with a tone, ơ, ư, đ, ỵ).

Both tables follow the published charts; the module's own tests spell out known words ("Thñ DÇu Mét",
"Thuû Daàu Moät") so that a wrong entry shows."""

from __future__ import annotations

import random
import unicodedata

# TCVN3 has no capitals with a tone: text typed in .VnTime uses the lowercase code for them (and a capitals
# font shows them as capitals), so "Ánh" is stored as "¸nh".
_TCVN3_LETTERS = {"ă": 0xA8, "â": 0xA9, "ê": 0xAA, "ô": 0xAB, "ơ": 0xAC, "ư": 0xAD, "đ": 0xAE,
                  "Ă": 0xA1, "Â": 0xA2, "Ê": 0xA3, "Ô": 0xA4, "Ơ": 0xA5, "Ư": 0xA6, "Đ": 0xA7}
# For each vowel, its codes with the tones in the order huyền (grave), hỏi (hook), ngã (tilde), sắc (acute),
# nặng (dot below).
_TCVN3_TONED = {
    "a": (0xB5, 0xB6, 0xB7, 0xB8, 0xB9), "ă": (0xBB, 0xBC, 0xBD, 0xBE, 0xC6), "â": (0xC7, 0xC8, 0xC9, 0xCA, 0xCB),
    "e": (0xCC, 0xCE, 0xCF, 0xD0, 0xD1), "ê": (0xD2, 0xD3, 0xD4, 0xD5, 0xD6), "i": (0xD7, 0xD8, 0xDC, 0xDD, 0xDE),
    "o": (0xDF, 0xE1, 0xE2, 0xE3, 0xE4), "ô": (0xE5, 0xE6, 0xE7, 0xE8, 0xE9), "ơ": (0xEA, 0xEB, 0xEC, 0xED, 0xEE),
    "u": (0xEF, 0xF1, 0xF2, 0xF3, 0xF4), "ư": (0xF5, 0xF6, 0xF7, 0xF8, 0xF9), "y": (0xFA, 0xFB, 0xFC, 0xFD, 0xFE),
}
_TONES = ("\u0300", "\u0309", "\u0303", "\u0301", "\u0323")  # in the order of the tables

# VNI: a tone after a plain vowel (lowercase, uppercase), in the order of _TONES.
_VNI_TONE = ("øûõùï", "ØÛÕÙÏ")
# The mark of â, ê, ô (circumflex) without a tone and then with each tone; and of ă (breve).
_VNI_HAT = ("âàåãáä", "ÂÀÅÃÁÄ")
_VNI_BREVE = ("êèúüéë", "ÊÈÚÜÉË")
# Single characters: i with a tone, ỵ, ơ, ư, đ.
_VNI_SINGLE = {"ì": "ì", "ỉ": "æ", "ĩ": "ó", "í": "í", "ị": "ò", "Ì": "Ì", "Ỉ": "Æ", "Ĩ": "Ó", "Í": "Í", "Ị": "Ò",
               "ỵ": "î", "Ỵ": "Î", "ơ": "ô", "Ơ": "Ô", "ư": "ö", "Ư": "Ö", "đ": "ñ", "Đ": "Ñ"}


def _split(char: str) -> tuple[str, str | None]:
    """A Vietnamese letter as (the letter without its tone, the tone mark or None): "ậ" → ("â", dot below)."""
    parts = unicodedata.normalize("NFD", char)
    tone = next((mark for mark in _TONES if mark in parts), None)
    return unicodedata.normalize("NFC", parts.replace(tone, "") if tone else parts), tone


def to_tcvn3(text: str) -> str:
    """``text`` as TCVN3 stores it (as the Latin-1 characters Excel shows)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        letter, tone = _split(char)
        if tone:
            out.append(chr(_TCVN3_TONED[letter.lower()][_TONES.index(tone)]))
        else:
            out.append(chr(_TCVN3_LETTERS[letter]) if letter in _TCVN3_LETTERS else char)
    return "".join(out)


def to_vni(text: str) -> str:
    """``text`` as VNI stores it (as the Latin-1 characters Excel shows)."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        if char in _VNI_SINGLE:
            out.append(_VNI_SINGLE[char])
            continue
        letter, tone = _split(char)
        upper = int(letter.isupper())
        step = _TONES.index(tone) + 1 if tone else 0
        base = unicodedata.normalize("NFD", letter)[0]
        if letter.lower() in "âêô":
            out.append(base + _VNI_HAT[upper][step])
        elif letter.lower() == "ă":
            out.append(base + _VNI_BREVE[upper][step])
        elif letter.lower() in "ơư":
            out.append(_VNI_SINGLE[letter] + (_VNI_TONE[upper][step - 1] if tone else ""))
        elif tone:
            out.append(base + _VNI_TONE[upper][step - 1])
        else:
            out.append(char)
    return "".join(out)


FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô",
          "Dương", "Lý", "Đinh", "Trương", "Lương", "Mai"]
MIDDLE = ["Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Xuân", "Kim", "Hoài", "Thế", "Bảo",
          "Khánh", "Diệu"]
GIVEN = ["An", "Ánh", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hoà", "Hùng",
         "Hương", "Khoa", "Lan", "Linh", "Long", "Lộc", "Mai", "Nam", "Nga", "Nhung", "Phúc", "Phương", "Quân",
         "Quý", "Sơn", "Tâm", "Thảo", "Thắng", "Thủy", "Thuỷ", "Trang", "Trung", "Tuấn", "Vân", "Việt", "Yến",
         "Ổn", "Ước", "Ý", "Tú", "Thúy", "Vĩ", "Ỷ"]


def names(count: int, seed: int) -> list[str]:
    """``count`` different Vietnamese names (family, middle and given name), the same for the same seed."""
    rng, found = random.Random(seed), {}
    while len(found) < count:
        name = f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"
        found[name] = None
    return list(found)
