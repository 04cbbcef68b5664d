"""The screens around sign-in: sign in, no access, demo data only; the demo banner and the account box."""

from __future__ import annotations

import streamlit as st

from analytics import access
from analytics.i18n import t
from ui import data, identity
from ui.text import plain


def _sign_in_screen(lang: str, message: str = "sign_in_needed") -> None:
    st.title(t("app_title", lang))
    st.info(t(message, lang), icon=":material/lock:")
    if st.button(t("sign_in", lang), type="primary", icon=":material/login:"):
        st.login()


def _no_access_screen(lang: str) -> None:
    st.title(t("app_title", lang))
    st.error(t("no_access", lang), icon=":material/block:")
    if st.button(t("sign_out", lang), icon=":material/logout:"):
        identity.sign_out()


def gate(source: str, lang: str) -> access.Principal:
    """The run's principal (resolved here, once per run), if they may go on; otherwise draw the sign-in,
    no-access or demo-data screen and stop. ``source`` is the snapshot the run reads."""
    if not identity.signed_in():
        _sign_in_screen(lang)
        st.stop()
    try:
        principal = identity.current_principal()
    except identity.SignInEnded:  # signed out elsewhere, or too long ago: the cookie alone is not enough
        _sign_in_screen(lang, "sign_in_ended")
        st.stop()
    try:
        access.check(principal)
    except access.AccessDenied:
        _no_access_screen(lang)
        st.stop()
    if principal.demo and not data.is_synthetic(source):  # the sample, or the benchmark's generated data
        st.error(t("demo_needs_sample", lang), icon=":material/block:")
        st.stop()
    return principal


def banner_and_account(principal: access.Principal, lang: str) -> None:
    """The demo banner on every page (both languages), or who is signed in, with a sign-out button."""
    if principal.demo:
        with st.container(key="demo_banner"):  # the slide mode's full screen hides it, by this key
            st.warning(f"{t('demo_banner', 'vi')} · {t('demo_banner', 'en')}", icon=":material/visibility:")
        return
    with st.sidebar:
        role = t(f"role_{principal.role}", lang)
        if principal.district:
            role += f" · {principal.district}"
        st.caption(t("signed_in_as", lang, name=plain(st.user.get("email") or ""), role=role))
        if st.button(t("sign_out", lang), icon=":material/logout:", key="sign_out"):
            identity.sign_out()
