"""When a sign-in stops counting: after its user signed out, or once it is older than the maximum age.

Streamlit keeps a signed-in user's id-token claims in a cookie for 30 days and signing out only deletes the
cookie in that browser, so a copied cookie would still work. Sign-outs are therefore recorded on the server,
in a small file (``PARTY_FUNNEL_SIGN_OUTS``, default ``sign-outs.log`` in the store folder) that every
replica reads and that survives a restart: one line per sign-out, a keyed hash of the provider and the user
(never the e-mail) and the time. An identity issued (``iat``) before the second of its user's latest sign-out,
or more than ``PARTY_FUNNEL_SIGN_IN_HOURS`` (default 9) hours ago, must sign in again.
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import logging
import math
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

log = logging.getLogger("party_funnel.access")

#: The file is rewritten without the sign-outs older than the maximum age once it has this many lines.
COMPACT_AFTER_LINES = 1000
#: How far ahead of this server's clock a token's issue time may be (the provider's clock): a token issued
#: later than that would outlive the maximum age and every sign-out, so it is refused.
CLOCK_SKEW_SECONDS = 300


@dataclass(frozen=True)
class Identity:
    """A signed-in user as the provider's id token describes them (the claims Streamlit keeps in ``st.user``).
    ``email_verified`` is None when the provider did not say; ``issued_at`` is the token's ``iat``."""

    provider: str
    subject: str
    email: str | None
    groups: tuple[str, ...] = ()
    email_verified: bool | None = None
    issued_at: float | None = None


class SignOuts:
    """The sign-out file: appended under a file lock (several replicas may share it on a shared folder)."""

    def __init__(self, path: Path, key: bytes):
        self.path, self._key = Path(path), key

    def _who(self, identity: Identity) -> str:
        text = f"{identity.provider}\n{identity.subject}".encode()
        return hmac.new(self._key, text, hashlib.sha256).hexdigest()[:24]

    def record(self, identity: Identity, when: float, max_age: float) -> None:
        """Note that ``identity``'s user signed out at ``when`` (Unix seconds); drop lines older than ``max_age``
        seconds when the file has grown long (they can refuse nothing: such identities are too old anyway)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a+", encoding="ascii", errors="replace") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            handle.write(f"{self._who(identity)} {when:.3f}\n")
            handle.seek(0)
            lines = handle.readlines()
            if len(lines) > COMPACT_AFTER_LINES:
                kept = [line for line in lines if (at := _time(line)) is not None and at >= when - max_age]
                handle.seek(0)
                handle.truncate()
                handle.writelines(kept)

    def latest(self, identity: Identity) -> float | None:
        """When ``identity``'s user last signed out, or None."""
        try:
            status = os.stat(self.path)
        except FileNotFoundError:
            return None
        return _read(str(self.path), status.st_mtime_ns, status.st_size).get(self._who(identity))


@lru_cache(maxsize=4)
def _read(path: str, _mtime_ns: int, _size: int) -> dict[str, float]:
    """Each user's latest sign-out (read again only when the file changes)."""
    latest: dict[str, float] = {}
    with open(path, encoding="ascii", errors="replace") as handle:  # a bad byte spoils its line only
        fcntl.flock(handle, fcntl.LOCK_SH)
        for number, line in enumerate(handle, start=1):
            if (when := _time(line)) is None:  # a torn append (disk full, a shared folder): not a sign-out
                log.warning("sign-outs file %s, line %d is not '<hash> <time>'; it is skipped", path, number)
                continue
            who = line.split()[0]
            latest[who] = max(latest.get(who, 0.0), when)
    return latest


def _time(line: str) -> float | None:
    """The time of a sign-out line ``<hash> <unix seconds>``, or None for a line that is not one."""
    if not line.isascii():  # bytes that were not ASCII, read as U+FFFD
        return None
    parts = line.split()
    try:
        return float(parts[1]) if len(parts) == 2 and math.isfinite(float(parts[1])) else None
    except ValueError:
        return None


def ended(identity: Identity, sign_outs: SignOuts, now: float, max_age: float) -> str | None:
    """Why ``identity`` no longer counts (for the log), or None while it does."""
    if identity.issued_at is None:
        return "the identity has no issue time (iat)"
    if identity.issued_at > now + CLOCK_SKEW_SECONDS:
        return "issued in the future (the provider's clock is ahead, or the token is forged)"
    if now - identity.issued_at > max_age:
        return f"signed in more than {max_age / 3600:g} hours ago"
    signed_out = sign_outs.latest(identity)
    # ``iat`` has whole seconds: a token of the sign-out's own second counts as issued after it (a new sign-in
    # right after signing out must work; a sign-in and a sign-out within one second is not a replay to fear).
    if signed_out is not None and identity.issued_at < int(signed_out):
        return "signed out since"
    return None
