"""Candidate keys: a keyed hash (HMAC-SHA256) of the person's id or name, with a secret from configuration.

The same person gets the same key in every report: the id or name is compared up to case, spacing and
Unicode form, an id of digits only without its leading zeros (Excel turns a citizen-ID column into numbers,
so "0012345" arrives as 12345), and a name up to tone placement ("Hòa" = "Hoà"). Without the secret nobody
can recompute or test a guess. Names never leave this module.
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
_DIGITS = re.compile(r"[0-9]+")


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


def person_form(person: str) -> str:
    """The form of an id or name that is hashed: NFC, single spaces, case-folded; digits only: without leading
    zeros; else with one tone placement (:func:`~analytics.ingest.normalise.one_tone_placement`)."""
    form = str(clean(person)).casefold()
    if _DIGITS.fullmatch(form):
        return form.lstrip("0") or "0"
    return one_tone_placement(form)


def ignores_leading_zeros(person: str) -> bool:
    """Whether :func:`person_form` drops leading zeros of ``person`` (an id of digits starting with 0)."""
    if person.lstrip()[:1] != "0":
        return False  # nearly every id and name: no need to clean it
    form = str(clean(person))
    return form != "0" and _DIGITS.fullmatch(form) is not None


@lru_cache(maxsize=4)
def _keyed(key: bytes) -> hmac.HMAC:
    """An HMAC already fed the secret: copying it is cheaper than starting one per person."""
    return hmac.new(key, digestmod="sha256")


def candidate_key(person: str, key: bytes) -> str:
    """The pseudonymous key of a person: hex HMAC-SHA256(secret, person_form(person)), truncated."""
    keyed = _keyed(key).copy()
    keyed.update(person_form(person).encode("utf-8"))
    return keyed.hexdigest()[:KEY_CHARS]
