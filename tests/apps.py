"""The one way tests start the dashboard: :func:`open_app` in process (Streamlit's AppTest), or
:func:`running_app` (``streamlit run``) for Chromium, with the ``browser`` fixture of ``conftest.py``.

A user is the demo visitor (sign-in not configured, the default), ``None`` (sign-in configured, nobody
signed in yet) or an e-mail signed in through simulated OIDC claims (the roles file decides the rest).
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager

from streamlit.testing.v1 import AppTest

from analytics.bench.server import streamlit, wait_until_healthy
from analytics.config import REPO_ROOT

APP = str(REPO_ROOT / "app.py")
PAGES = {"overview": "views/overview.py", "explore": "views/explore.py", "present": "views/present.py",
         "data": "views/data.py"}
#: Pages that draw the funnel (the Load data page draws tables).
CHART_PAGES = ("overview", "explore", "present")
JAN_SEP = {"from": "2022-01", "to": "2022-09"}

#: The demo visitor: sign-in is not configured.
DEMO = "demo"
#: Shaped like a real [auth] section; the provider is never contacted by AppTest.
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "a-test-cookie-secret-of-some-length",
    "client_id": "party-funnel",
    "client_secret": "test",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def funnel_table(at: AppTest, lang: str):
    """Explore's table of every group, found by its last stage's column (the funnel plot's leaderboard comes
    before it, the time-to-convert tables after it)."""
    from analytics import model

    official = model.column_label(model.stage_keys()[-1], lang, "period")
    return next(table for table in at.dataframe if official in table.value.columns)


def funnel_plot(at: AppTest) -> dict:
    """Explore's funnel plot: the figure with the groups as markers and the centre line and limits as lines."""
    def modes(figure: dict) -> set[str]:
        return {trace.get("mode") or "" for trace in figure["data"]}
    return next(f for f in figures(at) if "lines" in modes(f) and any("markers" in m for m in modes(f)))


def signed_in_claims(email: str) -> dict:
    """What ``st.user`` holds for ``email`` just signed in: a verified e-mail and a token issued now."""
    return {"is_logged_in": True, "email": email, "email_verified": True, "iat": int(time.time()),
            "provider": "default", "sub": email}


def open_app(page: str = "overview", user: str | None = DEMO, *, groups: list[str] | None = None,
             claims: dict | None = None, session: dict | None = None, **params: str) -> AppTest:
    """The app after its first run as ``user`` with the URL's ``params`` (``session`` state set before it),
    switched to ``page`` when that is not the overview and the first run got through the gate."""
    at = AppTest.from_file(APP, default_timeout=60)
    if user != DEMO:
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": False} if user is None else {**signed_in_claims(user), **(claims or {})}
        if groups is not None:
            at.user["groups"] = groups
    at.query_params.update(params)
    for key, value in (session or {}).items():
        at.session_state[key] = value
    at.run()
    if page != "overview" and not at.exception and "view" in at.session_state:
        at.switch_page(PAGES[page]).run()
    return at


def metrics(at: AppTest) -> list[str]:
    return [m.value for m in at.metric]


def figures(at: AppTest) -> list[dict]:
    """The Plotly figures the run drew, as their JSON specs."""
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


@contextmanager
def running_app(port: int | None = None, args: tuple[str, ...] = (), env: dict[str, str] | None = None):
    """`streamlit run app.py` on loopback (extra ``args`` and environment), yielding its URL once healthy."""
    with streamlit(None, args, env, port) as (url, process):
        wait_until_healthy(url, process)
        yield url
