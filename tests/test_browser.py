"""The real thing: `streamlit run app.py` on the shipped sample, opened in Debian's Chromium."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from analytics import db, fmt, model
from analytics.bench import generate
from analytics.bench.server import CHART, free_port, wait_until_healthy
from analytics.config import CURATED_ENV, REPO_ROOT
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


def _open_the_map(page):
    """Open the overview's map section (drawn only while open) and return its chart once Plotly has drawn it."""
    page.locator('[data-testid="stExpander"] summary', has_text="Bản đồ các địa bàn").click()
    tile_map = page.locator('[data-testid="stPlotlyChart"]', has=page.locator("g.heatmaplayer")).first
    tile_map.locator(".main-svg").first.wait_for(timeout=60_000)
    return tile_map


@pytest.mark.parametrize(
    ("lang", "expected", "sample_word"),
    [
        ("vi", ["2.339", "1.220", "251", "10,7%"], "dữ liệu mẫu"),
        ("en", ["2,339", "1,220", "251", "10.7%"], "sample data"),
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


def test_clicking_a_tile_of_the_map_filters_the_page(app_url, browser):
    page, errors = _open(browser, f"{app_url}/?from=2022-01&to=2022-09&lang=vi")
    assert not page.locator("g.heatmaplayer").count()  # not drawn until asked for
    _open_the_map(page)
    tile = page.locator("g.textpoint", has_text="Dĩ An").first
    tile.scroll_into_view_if_needed()
    page.screenshot(path=ARTIFACTS / "tile_map_vi.png", full_page=True)
    texts = " ".join(page.locator("g.textpoint").all_text_contents())
    for district in ("Thủ Dầu Một", "Dầu Tiếng", "Thuận An"):  # every area's tile, its value readable
        assert district in texts
    box = tile.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url("**district=724**", timeout=30_000)
    # Dĩ An's referrals, Jan-Sep 2022, in the first card once the page has drawn the filtered view
    page.wait_for_function("() => document.querySelector('[data-testid=\"stMetricValue\"]').innerText === '461'",
                           timeout=30_000)
    page.locator("g.heatmaplayer").first.wait_for(timeout=30_000)  # the map stays open on the filtered view
    assert errors == []
    page.close()


def test_an_unexpected_error_shows_no_details_to_the_user(browser, tmp_path):
    """With the project's .streamlit/config.toml, a crash's message and traceback (server paths) stay in the
    server's log; the page says only that something went wrong."""
    script = tmp_path / "crash.py"
    script.write_text('raise RuntimeError("details at /srv/party-funnel/analytics/secret.py")\n', encoding="utf-8")
    port = free_port()
    log = tmp_path / "server.log"
    with log.open("w") as output:
        process = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(script), "--server.headless", "true",
                                    "--server.port", str(port), "--server.address", "127.0.0.1"],
                                   cwd=REPO_ROOT, stdout=output, stderr=subprocess.STDOUT)
        try:
            wait_until_healthy(f"http://127.0.0.1:{port}", process)
            page = browser.new_page()
            page.goto(f"http://127.0.0.1:{port}")
            page.wait_for_selector('[data-testid="stException"]', timeout=60_000)
            shown = page.inner_text('[data-testid="stMain"]')
            page.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
    assert "redacted" in shown and "secret.py" not in shown and "RuntimeError" not in shown
    assert "secret.py" in log.read_text(encoding="utf-8")  # ... but the operator can read it


def _cli_funnel(*args: str):
    """What `python -m analytics funnel ... --format json` prints for the sample, read as JSON."""
    out = subprocess.run([sys.executable, "-m", "analytics", "funnel", *args, "--format", "json"], cwd=REPO_ROOT,
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


def _first_card_is(page, text: str) -> None:
    page.wait_for_function("t => document.querySelector('[data-testid=\"stMetricValue\"]').innerText === t", arg=text,
                           timeout=60_000)


def test_clicking_a_district_bar_filters_the_page_and_back_returns(app_url, browser):
    """Item 6 and 7 of issue 11: a click on Dầu Tiếng's bar puts it in the URL and the numbers (the CLI's for that
    district), with a chip to remove it, in one history entry; the browser's back button restores the view."""
    page, errors = _open(browser, f"{app_url}/?from=2022-01&to=2022-09&lang=vi")
    start_url, start_cards = page.url, page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    entries = page.evaluate("history.length")
    code = next(row["district"] for row in _cli_funnel("--from", "2022-01", "--to", "2022-09", "--by", "district")
                if row["label"] == "Dầu Tiếng")
    expected = _cli_funnel("--from", "2022-01", "--to", "2022-09", "--district", code)
    chart = page.locator('[data-testid="stPlotlyChart"]').filter(has_text="So sánh các huyện")
    bars = chart.locator(".bars").first.locator(".point path")  # the first stage's bars, in the axis' order
    bars.first.wait_for(timeout=60_000)
    bar = bars.nth(chart.locator(".ytick text").all_text_contents().index("Dầu Tiếng"))
    bar.scroll_into_view_if_needed()
    box = bar.bounding_box()  # Plotly's drag layer lies over the bars: click the spot, as a user does
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_url(f"**district={code}**", timeout=60_000)
    _first_card_is(page, fmt.count(expected["referred"], "vi"))
    cards = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert cards == [fmt.count(expected[stage], "vi") for stage in model.stage_keys()]
    page.get_by_role("button", name="Huyện: Dầu Tiếng ✕").wait_for(state="visible", timeout=60_000)  # its chip
    assert page.evaluate("history.length") == entries + 1
    page.screenshot(path=ARTIFACTS / "district_clicked_vi.png", full_page=True)
    page.go_back()
    page.wait_for_url(start_url, timeout=60_000)
    _first_card_is(page, start_cards[0])
    assert page.locator('[data-testid="stMetricValue"]').all_inner_texts() == start_cards
    assert not page.get_by_role("button", name="Huyện: Dầu Tiếng ✕").count()
    assert page.url == start_url  # the app followed the address instead of writing the district back
    assert errors == []
    page.close()


#: How many tiles a tile map has, and where on the page the centre of its tile ``i`` is (Plotly's own axes).
_TILE_CENTRE = """(chart, i) => {
  const plot = chart.querySelector('.js-plotly-plot');
  const centres = plot._fullData.find((trace) => trace.customdata && trace.type === 'scatter');
  const [x, y, box] = [plot._fullLayout.xaxis, plot._fullLayout.yaxis, plot.getBoundingClientRect()];
  return [centres.customdata.length, box.left + x._offset + x.c2p(centres.x[i]),
          box.top + y._offset + y.c2p(centres.y[i])];
}"""


def test_a_national_map_of_small_tiles_is_hovered_and_clicked_without_names_printed(browser, tmp_path):
    """Synthetic national data (700 districts, those with referrals in the period on the map): tiles too small
    to print on (one heatmap, an empty text at each area's centre for the pointer)."""
    folder = tmp_path / "national"
    generate.generate(folder, rows=3000, seed=7)
    db.ensure_aggregates(str(folder))
    with running_app(env={CURATED_ENV: str(folder)}) as url:
        page, errors = _open(browser, f"{url}/?from=2024-01&to=2024-12")  # before the reform: districts
        tile_map = _open_the_map(page)
        tile_map.scroll_into_view_if_needed()
        assert not tile_map.locator("g.textpoint text").count()  # nothing printed on the tiles
        tiles, x, y = tile_map.evaluate(_TILE_CENTRE, 10)
        assert tiles > 50
        page.mouse.move(x, y)
        page.wait_for_selector(".hoverlayer .hovertext", timeout=10_000)
        hovered = page.locator(".hoverlayer .hovertext").first.text_content()
        assert hovered.startswith("Huyện ") and ": " in hovered  # the area's name and its value
        page.mouse.click(x, y)
        page.wait_for_url("**district=**", timeout=30_000)
        code = page.url.split("district=")[1].split("&")[0]
        assert hovered.startswith(f"Huyện {code}")  # the tile clicked is the tile hovered
        assert errors == []
        page.close()
