"""Signing in for real: a local OpenID Connect provider on loopback, `streamlit run`, Debian's Chromium.

The app runs on the hand-checked fixture (tests/fixtures.py) with union U1 (in 718) renamed to a
script string. Period activity Jan–Sep 2022: whole fixture 5/3/2/0, 718 → 1/2/2/0, 724 → 4/1/0/0.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from pptx import Presentation

from analytics.bench.server import CHART
from analytics.config import CURATED_ENV
from tests.conftest import ARTIFACTS
from tests.fixtures import write_fixture
from tests.signin import local_provider, sign_in
from tests.signin import signed_in_app as signed_in
from tests.test_deck import boxes

pytestmark = pytest.mark.browser

SCRIPT = "<img src=x onerror=alert(1)>"
ROLES = """
[users."officer718@example.vn"]
role = "district"
district = "718"
"""
METRIC = '[data-testid="stMetricValue"]'


@pytest.fixture(scope="module")
def provider():
    with local_provider() as url:
        yield url


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """The app's roles file, secrets and data."""
    return tmp_path_factory.mktemp("signin")


@pytest.fixture(scope="module")
def signed_in_app(folder, provider):
    """`streamlit run app.py` on the fixture, with sign-in configured against the local provider."""
    data = write_fixture(folder / "curated", union_names={"U1": SCRIPT})
    with signed_in(folder, provider, ROLES, {CURATED_ENV: str(data)}) as url:
        yield url


def _settle(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector(CHART, timeout=60_000)
    _settle(page)
    # Streamlit mounts a chart's SVG before Plotly has drawn into it: wait for a chart with text in it.
    page.wait_for_function(f"() => [...document.querySelectorAll('{CHART}')].some(svg => svg.textContent.trim())",
                           timeout=60_000)


def _download(page) -> list[dict[str, str]]:
    """Click the page's CSV download and read the file the browser saved."""
    button = page.get_by_role("button", name="Download table (CSV)")
    button.wait_for(state="visible", timeout=60_000)
    _settle(page)
    with page.expect_download(timeout=90_000) as download:
        button.click()
    return list(csv.DictReader(io.StringIO(Path(download.value.path()).read_text(encoding="utf-8-sig"))))


def test_a_district_officer_editing_the_url_sees_only_718(browser, signed_in_app):
    context, page, dialogs = sign_in(browser, signed_in_app, "officer718")
    for query in ("district=724", "district=718,724", ""):
        _open(page, f"{signed_in_app}/?from=2022-01&to=2022-09&lang=en&{query}")
        page.wait_for_selector(METRIC, timeout=60_000)
        assert page.locator(METRIC).all_inner_texts()[:4] == ["1", "2", "2", "0"]
        charts = " ".join(page.locator(CHART).all_text_contents())
        assert "Thu Dau Mot" in charts and "Di An" not in charts
        assert "district=718" in page.url
        sidebar = page.inner_text('[data-testid="stSidebar"]')
        assert "officer718@example.vn" in sidebar and "Di An" not in sidebar

    page.screenshot(path=ARTIFACTS / "signed_in_district_officer.png", full_page=True)
    page.get_by_text("District table").click()
    rows = _download(page)
    assert [(r["district"], r["referred"], r["trained"], r["admitted"]) for r in rows] == [("718", "1", "2", "2")]

    _open(page, f"{signed_in_app}/explore?from=2022-01&to=2022-09&lang=en&district=724&by=union")
    tables = page.locator('[data-testid="stDataFrame"] table')  # the leaderboard, the table, time to convert
    tables.first.wait_for(state="attached")  # the grid draws on a canvas; its table is for screen readers
    texts = tables.evaluate_all("tables => tables.map(t => t.textContent)")
    assert any(SCRIPT in text for text in texts)  # the union's name comes back as plain text ...
    assert not any("Sóng Thần" in text or "Gỗ Dĩ An" in text for text in texts)  # ... and only 718's unions
    assert page.locator('img[src="x"]').count() == 0  # ... no element was made of it
    rows = _download(page)
    assert [(r["label"], r["referred"]) for r in rows] == [(SCRIPT, "1")]

    _open(page, f"{signed_in_app}/present?from=2022-01&to=2022-09&lang=en&district=724&slide=3")  # the districts
    slide = " ".join(page.locator(CHART).all_text_contents())
    assert "Thu Dau Mot" in slide and "Di An" not in slide
    page.get_by_role("button", name="Make the PowerPoint deck").click()
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Download the deck (.pptx)").click(timeout=120_000)
    deck = Presentation(download.value.path())
    words = [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame) for slide in deck.slides]
    assert "Thu Dau Mot" in words[0] and "Di An" not in words[0]
    numbers = boxes(deck.slides[1])
    assert numbers[numbers.index("Referred") + 1] == "1" and numbers[numbers.index("Admitted") + 1] == "2"

    page.wait_for_timeout(500)
    assert dialogs == []  # ... and no alert ran
    context.close()


def test_hostile_links_come_back_as_plain_text(browser, signed_in_app):
    context, page, dialogs = sign_in(browser, signed_in_app, "officer718")
    hostile = "sector=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&district=718%27%20OR%201%3D1--"
    _open(page, f"{signed_in_app}/?lang=en&{hostile}")
    warning = page.inner_text('[data-testid="stAlertContentWarning"]')  # in the page body, the link's text as text
    assert "sector codes that cannot be used: <img src=x onerror=alert(1)> (left out)" in warning
    assert page.locator('img[src="x"]').count() == 0
    assert "Di An" not in " ".join(page.locator(CHART).all_text_contents())
    page.wait_for_timeout(500)
    assert dialogs == []
    context.close()


def test_a_user_not_in_the_roles_file_sees_nothing(browser, signed_in_app):
    context, page, _ = sign_in(browser, signed_in_app, "stranger")
    page.goto(f"{signed_in_app}/?from=2022-01&to=2022-09&lang=en&district=724")
    page.wait_for_selector('[data-testid="stAlertContentError"]', timeout=60_000)
    _settle(page)
    assert "has not been given access" in page.inner_text("body")
    assert page.locator(METRIC).count() == 0 and page.locator(CHART).count() == 0
    assert page.locator('[data-testid="stMultiSelect"]').count() == 0
    page.screenshot(path=ARTIFACTS / "signed_in_without_a_role.png", full_page=True)
    context.close()


def test_a_cookie_replayed_after_signing_out_shows_nothing(browser, signed_in_app):
    context, page, _ = sign_in(browser, signed_in_app, "officer718")
    _open(page, f"{signed_in_app}/?from=2022-01&to=2022-09&lang=en")
    assert page.locator(METRIC).all_inner_texts()[:4] == ["1", "2", "2", "0"]
    cookies = context.cookies()  # what someone could copy from the browser
    page.wait_for_timeout(1100)  # the token's iat has whole seconds
    page.locator('[data-testid="stSidebar"]').get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/end_session**", timeout=60_000)  # on to the provider's sign-out page
    context.close()

    replay = browser.new_context(viewport={"width": 1600, "height": 1300})
    replay.add_cookies(cookies)
    page = replay.new_page()
    page.goto(f"{signed_in_app}/?from=2022-01&to=2022-09&lang=en")
    page.get_by_text("Your sign-in has ended").wait_for(timeout=60_000)
    _settle(page)
    assert page.locator(METRIC).count() == 0 and page.locator(CHART).count() == 0
    page.screenshot(path=ARTIFACTS / "signed_out_cookie_replayed.png", full_page=True)
    replay.close()


def test_a_download_on_screen_is_refused_once_the_user_is_removed(browser, signed_in_app, folder):
    context, page, _ = sign_in(browser, signed_in_app, "officer718")
    _open(page, f"{signed_in_app}/explore?from=2022-01&to=2022-09&lang=en&by=union")
    assert _download(page)  # while the roles file names them
    downloads = []
    page.on("download", lambda download: downloads.append(download))
    roles = folder / "roles.toml"
    try:
        roles.write_text("", encoding="utf-8")  # the officer is removed; the page stays on their screen
        for _ in range(3):
            page.get_by_role("button", name="Download table (CSV)").click()
            page.locator('[data-testid="stDownloadButtonError"]').wait_for(timeout=60_000)
        page.screenshot(path=ARTIFACTS / "download_refused.png", full_page=True)
        page.wait_for_timeout(1000)
        assert downloads == []
    finally:
        roles.write_text(ROLES, encoding="utf-8")
    context.close()
