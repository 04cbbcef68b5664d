"""Candidate keys: a keyed hash (HMAC-SHA256) of the person's id or name, with a secret from configuration.

The same person gets the same key in every report: the id or name is compared up to case, spacing and
Unicode form, an id of digits (:func:`id_digits`: grouped by spaces, dots or dashes, full-width, or written as
a number, "12345.0") by its digits without leading zeros (Excel turns a citizen-ID column into numbers, so
"0012345" arrives as 12345), and a name up to tone placement ("Hòa" = "Hoà"). An id Excel wrote in
scientific notation ("1.23457E+11") has lost digits: :func:`shortened_by_excel` finds it, and it is refused.
Without the secret nobody can recompute or test a guess. Names never leave this module.
"""

from __future__ import annotations

import hmac
import os
import re
from collections.abc import Mapping
from functools import lru_cache

from analytics.ingest.normalise import clean, one_tone_placement

KEY_ENV = "PARTY_FUNNEL_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16
KEY_CHARS = 32  # hex characters kept (128 bits)
# Digits in groups of 3 or 4 after the first ("001 234 567 890", "0012-3456-7890"); \d: any script's digits.
_GROUPED_DIGITS = re.compile(r"\d+(?:[ .\-]\d{3,4})*")
_AS_NUMBER = re.compile(r"(\d+)\.0+")  # 12345.0: an id cell read or typed as a number
_SCIENTIFIC = re.compile(r"\d+(?:[.,]\d+)?[eE][+-]?\d+")


class MissingKeyError(RuntimeError):
    """No (or too short a) pseudonymisation secret is configured: ingest must not run."""

    def __init__(self) -> None:
        super().__init__(
            f"Chưa cấu hình khóa bí danh hóa: đặt biến môi trường {KEY_ENV} (ít nhất {MIN_KEY_LENGTH} ký tự, "
            "giữ bí mật, không đổi) rồi nạp lại. / "
            f"No pseudonymisation key: set the environment variable {KEY_ENV} (or the Streamlit secret of that "
            f"name) to a secret of at least {MIN_KEY_LENGTH} characters, kept private and never changed."
        )


def secret_key(environ: Mapping[str, str] | None = None, secrets: Mapping[str, str] | None = None) -> bytes:
    """The secret from the environment, else from ``secrets`` (e.g. ``st.secrets``); raises if missing."""
    environ = os.environ if environ is None else environ
    value = environ.get(KEY_ENV) or (secrets or {}).get(KEY_ENV) or ""
    if len(value) < MIN_KEY_LENGTH:
        raise MissingKeyError()
    return value.encode("utf-8")


def id_digits(form: str) -> str | None:
    """The ASCII digits of a cleaned id made of digits only ("001 234 567 890", "001.234.567.890", "０１２",
    "12345.0"), leading zeros kept; None for anything else (a name, an id with letters)."""
    if (number := _AS_NUMBER.fullmatch(form)) is not None:
        form = number.group(1)
    elif _GROUPED_DIGITS.fullmatch(form) is None:
        return None
    return "".join(str(int(c)) for c in form if c.isdecimal())


def person_form(person: str) -> str:
    """The form of an id or name that is hashed: NFC, single spaces, case-folded; an id of digits: its digits
    without leading zeros; else with one tone placement (:func:`~analytics.ingest.normalise.one_tone_placement`)."""
    form = str(clean(person)).casefold().replace("ð", "đ")  # "Ðinh" (U+00D0) is "Đinh"
    if (digits := id_digits(form)) is not None:
        return digits.lstrip("0") or "0"
    return one_tone_placement(form)


def ignores_leading_zeros(person: str) -> bool:
    """Whether :func:`person_form` drops leading zeros of ``person`` (an id of digits starting with 0)."""
    if not person.lstrip()[:1].isdecimal():
        return False  # nearly every name: no need to clean it
    digits = id_digits(str(clean(person)))
    return digits is not None and digits[:1] == "0" and digits != "0" * len(digits)


def shortened_by_excel(person: str) -> bool:
    """Whether ``person`` is an id Excel wrote in scientific notation ("1.23457E+11", "1,23457E+11"): its
    digits are lost, so it can match nobody (and two people may share it)."""
    return _SCIENTIFIC.fullmatch(str(clean(person))) is not None


@lru_cache(maxsize=4)
def _keyed(key: bytes) -> hmac.HMAC:
    """An HMAC already fed the secret: copying it is cheaper than starting one per person."""
    return hmac.new(key, digestmod="sha256")


def candidate_key(person: str, key: bytes) -> str:
    """The pseudonymous key of a person: hex HMAC-SHA256(secret, person_form(person)), truncated."""
    keyed = _keyed(key).copy()
    keyed.update(person_form(person).encode("utf-8"))
    return keyed.hexdigest()[:KEY_CHARS]
