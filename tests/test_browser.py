"""The real thing: `streamlit run app.py` on the shipped sample, opened in Debian's Chromium."""

from __future__ import annotations

import pytest

from analytics.bench.server import CHART
from tests.apps import running_app
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1600, "height": 1300})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url)
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_selector('[data-testid="stMetricValue"]', timeout=60_000)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
    )
    return page, errors


@pytest.mark.parametrize(
    ("lang", "expected", "sample_word"),
    [
        ("vi", ["2.339", "1.220", "251", "10,7%"], "Dữ liệu mẫu"),
        ("en", ["2,339", "1,220", "251", "10.7%"], "Sample data"),
    ],
)
def test_published_figures_on_the_overview(app_url, browser, lang, expected, sample_word):
    page, errors = _open(browser, f"{app_url}/?from=2022-01&to=2022-09&lang={lang}")
    metrics = " ".join(page.locator('[data-testid="stMetricValue"]').all_inner_texts())
    for figure in expected[:3]:
        assert figure in metrics
    body = page.inner_text("body")
    charts = " ".join(page.locator(CHART).all_text_contents())
    assert expected[3] in charts
    assert sample_word in body
    assert not page.locator('[data-testid="stException"]').count()
    assert errors == []
    page.screenshot(path=ARTIFACTS / f"overview_{lang}.png", full_page=True)
    page.close()


def test_a_link_with_a_district_reproduces_the_view(app_url, browser):
    page, _ = _open(browser, f"{app_url}/?from=2022-01&to=2022-09&district=718&sector=fdi&mode=cohort&lang=en")
    assert "from=2022-01" in page.url and "district=718" in page.url and "mode=cohort" in page.url
    # The district's chip may be drawn a moment after the charts: wait for it rather than read too early.
    page.wait_for_function("() => document.querySelector('[data-testid=\"stSidebar\"]').innerText"
                           ".includes('Thu Dau Mot')", timeout=30_000)
    page.close()
