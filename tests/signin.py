"""Signing in for real in browser tests: a local OpenID Connect provider on loopback and an app
configured against it (``running_app`` with a secrets file and a roles file)."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from analytics.bench.server import free_port
from analytics.config import ROLES_ENV
from tests.apps import running_app

#: The people the local provider lets sign in (its login form has one button per ``sub``); a provider that
#: does not say ``email_verified`` grants nothing unless the roles file trusts it.
USERS = {
    "officer718": {"email": "officer718@example.vn", "email_verified": True, "name": "Cán bộ 718"},
    "analyst": {"email": "analyst@example.vn", "email_verified": True, "name": "Chuyên viên"},
    "stranger": {"email": "stranger@example.vn"},
}


@contextmanager
def local_provider():
    """An OIDC provider on loopback knowing :data:`USERS`; yields its base URL."""
    from oidc_provider_mock import User, run_server_in_thread  # only the sign-in tests need it

    users = [User(sub=sub, claims=claims) for sub, claims in USERS.items()]
    with run_server_in_thread(port=0, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@contextmanager
def signed_in_app(folder: Path, provider: str, roles: str, env: dict[str, str]):
    """`streamlit run app.py` with sign-in against ``provider`` and the ``roles`` file; yields its URL."""
    (folder / "roles.toml").write_text(roles, encoding="utf-8")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-cookie-secret-for-the-browser-test"\n'
        'client_id = "party-funnel"\n'
        'client_secret = "test-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    with running_app(port, ("--secrets.files", str(secrets)), {ROLES_ENV: str(folder / "roles.toml"), **env}) as url:
        yield url


def sign_in(browser, app_url: str, sub: str):
    """A fresh browser context signed in as ``sub`` through the provider's login form."""
    context = browser.new_context(viewport={"width": 1600, "height": 1300}, accept_downloads=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(f"{app_url}/?lang=en")
    page.get_by_role("button", name="Sign in · Đăng nhập").click(timeout=60_000)
    page.locator(f'button[name="sub"][value="{sub}"]').click(timeout=30_000)
    page.wait_for_url(f"{app_url}/**", timeout=30_000)
    return context, page, dialogs
