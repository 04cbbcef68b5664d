"""The slide mode as a presenter uses it: full screen at a projector's sizes, moved on by a clicker's keys."""

from __future__ import annotations

import pytest

from analytics.bench.server import CHART
from tests.apps import running_app
from tests.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

SIZES = [(1920, 1080), (1366, 768), (1280, 720)]
SLIDES = 5  # headline, funnel, districts, pace, trend (the sample has targets for 2022)

#: Where the slide's parts are, the type sizes of the chart's text, and whether anything scrolls.
MEASURE = """() => {
  const box = (selector) => { const r = document.querySelector(selector).getBoundingClientRect();
                              return {top: r.top, bottom: r.bottom, left: r.left, right: r.right}; };
  const texts = [...document.querySelectorAll('[data-testid="stPlotlyChart"] svg text')]
      .filter(e => e.textContent.trim() && e.getBoundingClientRect().width > 0);
  const main = document.querySelector('[data-testid="stMain"]');
  return {
    figure: box('[data-testid="stPlotlyChart"]'), footer: box('.slide-footer'), title: box('.slide-title'),
    sizes: texts.map(e => parseFloat(getComputedStyle(e).fontSize)),
    scrolls: document.scrollingElement.scrollHeight > window.innerHeight || main.scrollHeight > main.clientHeight,
    number: document.querySelector('.slide-number').textContent,
    buttons: document.querySelectorAll('[data-testid="stButton"], [data-testid="stSidebar"]').length
      ? [...document.querySelectorAll('[data-testid="stButton"], [data-testid="stSidebar"]')]
          .filter(e => e.getBoundingClientRect().height > 0).length : 0,
  };
}"""


@pytest.fixture(scope="module")
def app_url():
    with running_app() as url:
        yield url


def _settled(page) -> None:
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(500)  # Plotly's last relayout after the element settles


def _press(page, key: str, expected: int) -> None:
    page.keyboard.press(key)
    page.wait_for_function(f"() => document.querySelector('.slide-number')?.textContent === '{expected} / {SLIDES}'",
                           timeout=30_000)
    _settled(page)


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_every_slide_fits_the_screen_and_is_read_from_the_back_of_the_hall(app_url, browser, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{app_url}/present?from=2022-01&to=2022-09&lang=vi&slide=1&full=1")
    _settled(page)
    keys = ["ArrowRight", "PageDown", "Space", "ArrowRight"]
    for number in range(1, SLIDES + 1):
        seen = page.evaluate(MEASURE)
        page.screenshot(path=ARTIFACTS / f"slide_{number}_{width}x{height}.png")
        assert seen["number"] == f"{number} / {SLIDES}"
        assert f"slide={number}" in page.url
        assert not seen["scrolls"], f"slide {number} scrolls at {width}x{height}"
        assert seen["buttons"] == 0, "full screen shows no buttons and no sidebar"
        for part in ("title", "figure", "footer"):
            assert seen[part]["top"] >= 0 and seen[part]["bottom"] <= height, f"{part} of slide {number} off screen"
            assert seen[part]["left"] >= 0 and seen[part]["right"] <= width
        assert seen["title"]["bottom"] <= seen["figure"]["top"] and seen["figure"]["bottom"] <= seen["footer"]["top"]
        if (width, height) == (1920, 1080):
            assert min(seen["sizes"]) >= 24, f"slide {number}: a chart label under 24 px"
            if number == 1:
                assert max(seen["sizes"]) >= 96, "headline numbers under 96 px"
        if number < SLIDES:
            _press(page, keys[number - 1], number + 1)
    _press(page, "ArrowLeft", SLIDES - 1)
    _press(page, "PageUp", SLIDES - 2)
    assert errors == []
    page.close()


def test_escape_leaves_full_screen_and_auto_advance_moves_on(app_url, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    page.goto(f"{app_url}/present?from=2022-01&to=2022-09&lang=en&slide=2&full=1&auto=10")
    _settled(page)
    page.wait_for_function(f"() => document.querySelector('.slide-number')?.textContent === '3 / {SLIDES}'",
                           timeout=20_000)  # ten seconds on, by itself
    assert "auto=10" in page.url and "slide=3" in page.url
    page.keyboard.press("Escape")
    page.wait_for_selector('[data-testid="stSidebar"]', state="visible", timeout=30_000)
    _settled(page)
    assert "full=1" not in page.url
    page.close()
