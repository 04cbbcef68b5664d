"""Candidate keys: a keyed hash (HMAC-SHA256) of the person's id or name, with a secret from configuration.

The same person (same id or name as written, up to case, spacing and Unicode form) gets the same key in
every report; without the secret nobody can recompute or test a guess. Names never leave this module.
"""

from __future__ import annotations

import hashlib
import hmac
import os
from collections.abc import Mapping

from analytics.ingest.normalise import clean

KEY_ENV = "PARTY_FUNNEL_PSEUDONYM_KEY"
MIN_KEY_LENGTH = 16
KEY_CHARS = 32  # hex characters kept (128 bits)


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
    """The form of an id or name that is hashed: NFC, single spaces, case-folded."""
    return str(clean(person)).casefold()


def candidate_key(person: str, key: bytes) -> str:
    """The pseudonymous key of a person: hex HMAC-SHA256(secret, person_form(person)), truncated."""
    return hmac.new(key, person_form(person).encode("utf-8"), hashlib.sha256).hexdigest()[:KEY_CHARS]
