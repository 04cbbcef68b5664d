"""``python -m analytics loadtest``: many browser sessions changing sidebar filters at random.

One ``streamlit run app.py`` on loopback, one headless Chromium with ``--sessions`` pages (each its own
Streamlit session), every page changing a filter (period preset, year, mode, district, sector) once
its previous change is drawn and its user has looked at it for a while (``--think`` seconds on
average, uniformly from half to one and a half times that; 0 = at once, a saturation test), sessions
arriving ``--ramp`` seconds apart, until ``--seconds`` pass or ``--max-changes`` changes are made.
A change counts as drawn when the app has finished the rerun it caused and the charts are on screen;
its latency is from the click to then. Reports p50/p95 latency, errors and the server's peak memory.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import threading
import time
from pathlib import Path

from analytics import config
from analytics.bench import server

SIDEBAR = '[data-testid="stSidebar"]'
# Installed in every page before the app loads. It counts the script runs the server reports finished
# (a ForwardMsg with ``script_finished``, field 6, read off the app's websocket): the page's
# "script state" attribute is not enough, as React may batch a fast run's "running" and "not running"
# into one render and the attribute never changes. The harness then waits on promises the page
# resolves itself: Playwright polling 30 pages every few milliseconds would take the CPUs the browsers
# and the server need.
_PAGE_PROBES = f"""
(() => {{
  window.__runs = 0;
  const finishesRun = (bytes) => {{  // top-level fields of one protobuf message
    let i = 0;
    const varint = () => {{ let v = 0, s = 0, b; do {{ b = bytes[i++]; v += (b & 0x7f) * 2 ** s; s += 7; }}
                          while (b & 0x80); return v; }};
    while (i < bytes.length) {{
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) {{ varint(); if (field === 6) return true; }}
      else if (wire === 2) i += varint();
      else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return false;
    }}
    return false;
  }};
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {{
    constructor(...args) {{
      super(...args);
      this.addEventListener('message', async (event) => {{
        const data = event.data instanceof Blob ? await event.data.arrayBuffer() : event.data;
        if (data instanceof ArrayBuffer && finishesRun(new Uint8Array(data))) window.__runs += 1;
      }});
    }}
  }};
  const until = (test, ms) => new Promise((resolve) => {{
    const started = performance.now();
    const check = () => test() ? resolve(true) : performance.now() - started > ms ? resolve(false)
                                                                              : setTimeout(check, 25);
    check();
  }});
  // What the sidebar's filters show: a click that shows nothing new started no rerun.
  window.__filters = () => {{
    const bar = document.querySelector('{SIDEBAR}');
    if (!bar) return '';
    const boxes = [...bar.querySelectorAll('[data-testid="stSelectbox"], [data-testid="stMultiSelect"]')];
    const inputs = [...bar.querySelectorAll('input')].map(i => i.type === 'radio' ? i.checked : i.value);
    return boxes.map(b => b.innerText).join('|') + '#' + inputs.join('|');
  }};
  window.__changed = (before, ms) => until(() => window.__filters() !== before, ms);
  // Drawn: a run finished after the change, none is running, the charts are there, and painted.
  const painted = () => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
  window.__drawn = async (runs, ms) => await until(() => window.__runs > runs
    && document.querySelector('[data-testid="stApp"]').getAttribute('data-test-script-state') === 'notRunning'
    && document.querySelector('{server.CHART}') !== null, ms) && (await painted(), true);
}})();
"""


async def _pick_option(page, widget, rng: random.Random) -> bool:
    """Open a select or multiselect and click an option that is not already chosen."""
    await widget.click()
    options = page.locator('[role="listbox"] [role="option"]:not([aria-selected="true"])')
    count = await options.count()
    if not count:
        await page.keyboard.press("Escape")
        return False
    await options.nth(rng.randrange(count)).click()
    await page.keyboard.press("Escape")  # a multiselect keeps its menu open over the sidebar
    return True


async def _change(page, rng: random.Random) -> str | None:
    """Make one random filter change; returns its name, or None if nothing could change."""
    action = rng.choice(["mode", "preset", "year", "districts", "sectors"])
    if action == "mode":
        await page.locator(f'{SIDEBAR} [data-testid="stRadio"] label:has(input:not(:checked))').first.click()
        return action
    if action in ("preset", "year"):
        boxes = page.locator(f'{SIDEBAR} [data-testid="stSelectbox"]')
        index = 0 if action == "preset" else 1
        if await boxes.count() <= index:
            return None
        return action if await _pick_option(page, boxes.nth(index), rng) else None
    box = page.locator(f'{SIDEBAR} [data-testid="stMultiSelect"]').nth(0 if action == "districts" else 1)
    remove = box.locator('button[aria-label^="Remove"]:visible')
    if await remove.count() and rng.random() < 0.5:
        await remove.last.click()
        return f"{action}-"
    return action if await _pick_option(page, box, rng) else None


async def _session(
    browser, url: str, index: int, ramp: float, think: float, deadline: float, budget: list[int], out: dict
) -> None:
    rng = random.Random(index)
    context = await browser.new_context(viewport={"width": 1400, "height": 1100})
    page = await context.new_page()
    await page.add_init_script(_PAGE_PROBES)
    page.on("pageerror", lambda error: out["errors"].append(f"session {index}: page error {error}"))
    await asyncio.sleep(index * ramp)  # people arrive one after another, not all in the same instant
    try:
        await page.goto(url, timeout=120_000)
        await page.wait_for_selector(server.CHART, timeout=120_000)
    except Exception as error:  # noqa: BLE001 - a session that never loads is an error, the others go on
        out["errors"].append(f"session {index}: first load: {type(error).__name__}: {str(error).splitlines()[0]}")
        await context.close()
        return
    try:
        while time.monotonic() < deadline and budget[0] > 0:
            runs, shown = await page.evaluate("[window.__runs, window.__filters()]")
            started = time.perf_counter()
            action = "?"
            try:
                action = await _change(page, rng)
                # The browser shows a new filter at once, before the server answers; if not, the click missed.
                if action is None or not await page.evaluate("s => window.__changed(s, 1000)", shown):
                    out["no_ops"] += 1  # e.g. a menu that closed before the click: no change, nothing to time
                    continue
                budget[0] -= 1
                if not await page.evaluate("r => window.__drawn(r, 30000)", runs):
                    raise TimeoutError("charts not redrawn within 30 s")
                out["latencies"].append(time.perf_counter() - started)
                if await page.locator('[data-testid="stException"]').count():
                    out["errors"].append(f"session {index}: exception on screen after {action}")
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # reading the charts
            except Exception as error:  # noqa: BLE001 - every failure is a reported error, the run goes on
                message = str(error).splitlines()[0]
                out["errors"].append(f"session {index}, change '{action}': {type(error).__name__}: {message}")
    finally:
        await context.close()


async def _run(url: str, sessions: int, seconds: float, max_changes: int, ramp: float, think: float) -> dict:
    from playwright.async_api import async_playwright

    out: dict = {"latencies": [], "errors": [], "no_ops": 0}
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=server.CHROMIUM, args=server.CHROMIUM_ARGS)
        deadline = time.monotonic() + seconds
        budget = [max_changes]
        await asyncio.gather(*(_session(browser, url, i, ramp, think, deadline, budget, out)
                               for i in range(sessions)))
        await browser.close()
    return out


def _cpu_seconds(pid: int | None = None) -> float:
    """CPU seconds (user + system) used so far by process ``pid``, or by the whole machine (Linux /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    if pid is not None:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
    with open("/proc/stat", encoding="ascii") as stat:
        user, nice, system, idle, iowait, *rest = (int(v) for v in stat.readline().split()[1:])
    return (user + nice + system + sum(rest[:3])) / ticks  # irq, softirq, steal


def _watch_memory(pid: int, stop: threading.Event, peak: list[float]) -> None:
    while not stop.wait(0.5):
        try:
            peak[0] = max(peak[0], server.rss_mib(pid))
        except OSError:
            return


def main(
    data: str, sessions: int, seconds: float, max_changes: int, ramp: float, think: float, out: str | None
) -> int:
    with server.streamlit(data) as (url, process):
        server.wait_until_healthy(url, process)
        peak, stop = [0.0], threading.Event()
        watcher = threading.Thread(target=_watch_memory, args=(process.pid, stop, peak), daemon=True)
        watcher.start()
        started = time.perf_counter()
        cpu_before = _cpu_seconds(process.pid), _cpu_seconds()
        result = asyncio.run(_run(url, sessions, seconds, max_changes, ramp, think))
        server_cpu, machine_cpu = (after - before for after, before in
                                   zip((_cpu_seconds(process.pid), _cpu_seconds()), cpu_before))
        elapsed = time.perf_counter() - started
        stop.set()
        watcher.join()
    latencies = sorted(result["latencies"])
    summary = {
        "data": data, "sessions": sessions, "ramp_s": ramp, "think_s": think, "seconds_requested": seconds,
        "seconds_elapsed": elapsed,
        "changes_drawn": len(latencies), "errors": len(result["errors"]), "error_samples": result["errors"][:20],
        "p50_s": statistics.median(latencies) if latencies else None,
        "p95_s": latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))] if latencies else None,
        "max_s": latencies[-1] if latencies else None,
        "server_peak_rss_mib": peak[0], "no_op_clicks": result["no_ops"],
        # Who used the machine: the server, or the browsers that draw 30 pages on the same 2 CPUs.
        "cpu_seconds_server": server_cpu, "cpu_seconds_machine": machine_cpu, "cpus": os.cpu_count(),
    }
    print(f"{sessions} sessions thinking {think:g} s, {elapsed:.0f} s: {summary['changes_drawn']} filter changes "
          f"drawn, {summary['errors']} errors")
    if latencies:
        print(f"change → charts redrawn: p50 {summary['p50_s']:.2f} s, p95 {summary['p95_s']:.2f} s, "
              f"max {summary['max_s']:.2f} s; server peak RSS {peak[0]:.0f} MiB")
    print(f"CPU used: server {server_cpu:.0f} s, whole machine {machine_cpu:.0f} s of {elapsed * os.cpu_count():.0f} s "
          f"available ({os.cpu_count()} CPUs); the rest is mostly the browsers")
    for line in summary["error_samples"][:5]:
        print(f"  {line}")
    path = Path(out) if out else config.REPO_ROOT / "bench-results" / f"loadtest-{sessions}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"written: {path}")
    return 0 if not summary["errors"] and latencies else 1
