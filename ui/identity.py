"""Who is using the app, worked out once per script run (by ``ui.auth.gate``) and passed down.

With an ``[auth]`` section in ``.streamlit/secrets.toml`` users sign in with ``st.login`` (any OIDC
provider) and get their role from the roles file, read on every run so that a revoked user loses
access at their next interaction. Without it the app is a labelled demo on the shipped sample only.
Tests simulate a user with AppTest's ``at.secrets["auth"]`` and ``at.user``.
"""

from __future__ import annotations

import streamlit as st

from analytics import access, config

_AUTH_CONFIGURED = "_auth_configured"
#: Someone who has not signed in (yet): no role, so every query is refused.
ANONYMOUS = access.Principal(user="anonymous", role=None)


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


def current_principal() -> access.Principal:
    """The demo principal, a signed-in user's (role None if the roles file does not name them), or ANONYMOUS."""
    if not auth_configured():
        return access.DEMO
    if not st.user.get("is_logged_in"):
        return ANONYMOUS
    if st.user.get("email_verified") is False:  # anyone could have typed it: no role, not even by group
        return access.Principal(user=access.user_key(str(st.user.get("email") or "")), role=None)
    book = access.load_roles(config.roles_location())
    return access.principal_for(book, st.user.get("email"), _groups(st.user.get("groups")))
