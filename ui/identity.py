"""Who is using the app, worked out once per script run (by ``ui.auth.gate``) and passed down.

With an ``[auth]`` section in ``.streamlit/secrets.toml`` users sign in with ``st.login`` (any OIDC
provider) and get their role from the roles file, read on every run so that a revoked user loses
access at their next interaction. A sign-in ends when its user signs out or after the maximum age
(:mod:`analytics.sessions`). Downloads made on click check all this again (:func:`guarded`). Without
sign-in configured the app is a labelled demo on the shipped sample only. Tests simulate a user with
AppTest's ``at.secrets["auth"]`` and ``at.user``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from analytics import access, config, sessions

_AUTH_CONFIGURED = "_auth_configured"
#: Someone who has not signed in (yet): no role, so every query is refused.
ANONYMOUS = access.Principal(user="anonymous", role=None)
T = TypeVar("T")


class SignInEnded(access.AccessDenied):
    """The user signed out since this identity was issued, or it is older than the maximum age."""


def auth_configured() -> bool:
    """Whether ``.streamlit/secrets.toml`` (or the test's secrets) configures sign-in; decided once a session.

    Without a secrets file Streamlit tries to read one again, under a process-wide lock, on every access:
    with 30 sessions that was a quarter of the server's script time spent waiting (py-spy, load test).
    A session keeps what it found; a demo session stays a demo (sample data only) if sign-in is added.
    """
    if _AUTH_CONFIGURED not in st.session_state:
        try:
            st.session_state[_AUTH_CONFIGURED] = "auth" in st.secrets
        except FileNotFoundError:  # no secrets file at all
            st.session_state[_AUTH_CONFIGURED] = False
    return st.session_state[_AUTH_CONFIGURED]


def signed_in() -> bool:
    return not auth_configured() or bool(st.user.get("is_logged_in"))


def _groups(claim: object) -> tuple[str, ...]:
    if isinstance(claim, str):
        return (claim,)
    if isinstance(claim, list | tuple):
        return tuple(str(g) for g in claim)
    return ()


def _verified(claim: object) -> bool | None:
    """The ``email_verified`` claim: None when absent (some providers send the string "true")."""
    return None if claim is None else claim is True or claim == "true"


def _identity() -> sessions.Identity:
    """The signed-in user's identity, from the id token's claims."""
    email = st.user.get("email")
    issued = st.user.get("iat")
    return sessions.Identity(
        provider=str(st.user.get("provider") or "default"), subject=str(st.user.get("sub") or email or ""),
        email=str(email) if email else None, groups=_groups(st.user.get("groups")),
        email_verified=_verified(st.user.get("email_verified")),
        issued_at=float(issued) if isinstance(issued, int | float) else None,
    )


def _sign_outs() -> sessions.SignOuts:
    """The sign-out file, its hashes keyed by the cookie secret (the same on every replica, never logged)."""
    return sessions.SignOuts(config.sign_outs_location(), str(st.secrets["auth"]["cookie_secret"]).encode())


def _resolve(identity: sessions.Identity, sign_outs: sessions.SignOuts) -> access.Principal:
    """The identity's principal now (roles file read anew); :class:`SignInEnded`, logged, if it no longer counts.
    No Streamlit calls: downloads run it on a thread of their own."""
    reason = sessions.ended(identity, sign_outs, time.time(), config.sign_in_max_age())
    if reason:
        access.log.warning("sign-in refused: user=%s %s", access.user_key(identity.email or ""), reason)
        raise SignInEnded(reason)
    return access.principal_of(access.load_roles(config.roles_location()), identity)


def current_principal() -> access.Principal:
    """The demo principal, a signed-in user's (role None if the roles file does not name them), or ANONYMOUS;
    raises :class:`SignInEnded` when the user must sign in again."""
    if not auth_configured():
        return access.DEMO
    if not st.user.get("is_logged_in"):
        return ANONYMOUS
    return _resolve(_identity(), _sign_outs())


def sign_out() -> None:
    """Record the sign-out (so a copy of the cookie no longer works anywhere), then sign out."""
    if auth_configured() and st.user.get("is_logged_in"):
        identity = _identity()
        try:
            _sign_outs().record(identity, time.time(), config.sign_in_max_age())
            access.log.info("signed out: user=%s", access.user_key(identity.email or ""))
        except OSError as error:  # still sign this browser out; a copy of its cookie works until the maximum age
            access.log.error("signed out, NOT recorded (a copied cookie still works until it is too old): user=%s: %s",
                             access.user_key(identity.email or ""), error)
    st.logout()


def guarded(principal: access.Principal, produce: Callable[[], T]) -> Callable[[], T]:
    """``produce`` for a download made on click, long after the page was drawn: it runs only if the user then
    still has the access the page was drawn with (signed in, not signed out since, the same entry in the
    roles file); otherwise it raises, logged, and the button says the file could not be made."""
    if not auth_configured():
        return produce  # the demo: the sample only, for anyone
    identity, sign_outs = _identity(), _sign_outs()

    def checked() -> T:
        now = _resolve(identity, sign_outs)
        if now.for_audience(principal.audience) != principal:
            access.log.warning("download refused: user=%s access changed since the page was drawn (role %s → %s)",
                               principal.user, principal.role, now.role)
            raise access.AccessDenied("access changed since the page was drawn")
        return produce()

    return checked
