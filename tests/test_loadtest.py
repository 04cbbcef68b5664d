"""The load-test harness itself, in a few seconds: a browser session and a link session on the sample.

The load test proper (30 sessions, two minutes) is not part of the test run; this checks that its
timing still works against the app as it is (a harness that cannot see a rerun finish would report
time-outs, not latencies).
"""

from __future__ import annotations

import asyncio
import json
import random
import time

import pytest

from analytics import config
from analytics.bench import loadtest, server

pytestmark = pytest.mark.browser


def test_a_short_run_times_changes_in_the_browser_and_links_without_errors(tmp_path):
    out = tmp_path / "loadtest.json"
    code = loadtest.main(str(config.SAMPLE_SNAPSHOT_DIR), sessions=2, browsers=1, seconds=8, max_changes=6,
                         ramp=0.5, think=0.2, out=str(out))
    result = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0, result["error_samples"]
    assert result["errors"] == 0
    assert result["changes_drawn"] >= 1 and result["links_opened"] >= 1
    assert 0 < result["answered"]["p50_s"] <= result["drawn"]["p50_s"] < 30
    assert 0 < result["click_drawn"]["p50_s"] <= result["drawn"]["p50_s"]  # the changing click comes later
    assert result["cpu_seconds_server"] > 0


def _forward_messages() -> list[tuple[bytes, bool]]:
    """Serialized ForwardMsgs as a run sends them (hash, metadata, a delta, the run's end), each with whether
    it ends a run."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    messages = []
    for n in range(40):
        delta = ForwardMsg(hash=f"{n:032x}")
        delta.metadata.delta_path.extend([0, n])
        delta.delta.new_element.markdown.body = "Giới thiệu " * (n * 7 + 1)  # lengths of one and two bytes
        messages.append((delta.SerializeToString(), False))
    messages.append((ForwardMsg(hash="e" * 32, script_finished=ForwardMsg.FINISHED_SUCCESSFULLY).SerializeToString(),
                     True))
    config_changed = ForwardMsg(hash="c" * 32)
    config_changed.page_config_changed.title = "Tổng quan"
    messages.append((config_changed.SerializeToString(), False))
    return messages


def test_the_page_probe_counts_only_the_messages_that_end_a_run():
    """The probe reads each websocket message's top-level fields; a length read wrongly would take a delta
    for a run's end (the harness then timed changes from the run's first element, not its end)."""
    messages = _forward_messages()
    with server.chromium() as browser:
        page = browser.new_page()
        page.evaluate(loadtest._PAGE_PROBES)
        counted = page.evaluate("all => all.map(bytes => window.__finishesRun(new Uint8Array(bytes)))",
                                [list(payload) for payload, _ in messages])
    assert counted == [ends for _, ends in messages]


# A select: clicking the box opens a menu of two options; with ``closes``, pointing at an option closes the menu
# (what a rerun does to an open menu, as when the page reconnects to another replica).
_MENU = """<button id="box">Năm</button><div id="menu"></div><p id="picked"></p><script>
  const closes = CLOSES;
  document.getElementById('box').onclick = () => {
    document.getElementById('menu').innerHTML =
      '<div role="listbox"><div role="option">2024</div><div role="option">2025</div></div>';
    for (const option of document.querySelectorAll('[role="option"]')) {
      option.onmousemove = () => { if (closes) document.getElementById('menu').innerHTML = ''; };
      option.onclick = () => { document.getElementById('picked').textContent = option.textContent; };
    }
  };
</script>"""


def _in_chromium(action):
    """``action(page)`` on a blank page of a headless Chromium; returns what it returns."""
    from playwright.async_api import async_playwright

    async def run():
        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=server.CHROMIUM, args=server.CHROMIUM_ARGS)
            try:
                return await action(await browser.new_page())
            finally:
                await browser.close()

    return asyncio.run(run())


@pytest.mark.parametrize("closes", [False, True])
def test_a_menu_closed_under_the_click_is_a_change_not_made_at_once(closes):
    """The harness's pick of an option: made when the menu stays; when it closes under the click, no change
    (counted as a click that changed nothing), not a 30 s wait for an option that will not come back."""

    async def pick(page) -> tuple[bool, str, float]:
        await page.set_content(_MENU.replace("CLOSES", "true" if closes else "false"))
        started = time.perf_counter()
        made = await loadtest._pick_option(page, page.locator("#box"), random.Random(1))
        return made, await page.text_content("#picked"), time.perf_counter() - started

    made, picked, took = _in_chromium(pick)
    assert (made, bool(picked)) == (not closes, not closes) and took < 10


def test_a_page_log_keeps_console_warnings_and_the_harness_errors_with_a_picture(tmp_path):
    async def log_one(page) -> None:
        log = loadtest._PageLog(page, tmp_path, 3)
        async with page.expect_console_message(lambda message: message.type == "warning"):
            await page.set_content("<script>console.log('quiet'); console.warn('Cannot send rerun')</script>")
        await log.error("Locator.click: Timeout 30000ms exceeded.", 1)

    _in_chromium(log_one)
    lines = (tmp_path / "page3.log").read_text(encoding="utf-8").splitlines()
    assert [line.split("s  ", 1)[1] for line in lines] == [
        "console warning: Cannot send rerun", "error: Locator.click: Timeout 30000ms exceeded."]
    assert (tmp_path / "page3-error1.png").read_bytes().startswith(b"\x89PNG")
