"""``python -m analytics loadtest``: many browser sessions changing sidebar filters at random.

One ``streamlit run app.py`` on loopback, one headless Chromium with ``--sessions`` pages (each its own
Streamlit session). Sessions arrive ``--ramp`` seconds apart; once every page shows its first chart, the
timed part starts: for ``--seconds`` (or ``--max-changes`` changes in all) every page changes a filter
(period preset, year, mode, district, sector), waits until it is drawn, and its user looks at it for a
while (``--think`` seconds on average, uniformly from half to one and a half times that; 0 = at once,
a saturation test). Per change two times are kept, both from the start of the change (the harness's first
click: opening a menu, say): *answered* (the server's message that the rerun finished reached the page) and
*drawn* (the charts are on screen after it); and *click → drawn*, from the click that changed the filter (the
option chosen, in the page's own clock), which leaves out the harness's clicks before it.
Reports their p50/p95, errors, the server's peak memory and who used the CPUs in the timed part.

With ``--browsers N`` (fewer than ``--sessions``) only N sessions are browser pages; the others load the
server without drawing anything: each of their changes opens the dashboard at a random filter link over
Streamlit's websocket (a new session and its first run, more server work than a widget change) and
waits for the server to say the run finished. On a machine whose few CPUs also run every browser, this
separates what the server does from what 30 pages' drawing costs (in a hall, each on its own device).

With ``--replicas 2`` the sessions go through HAProxy to two servers (:mod:`analytics.bench.replicas`);
``--kill-replica-at S`` kills the first browser page's replica S seconds into the timed part: its pages must
reconnect to the other replica and go on (a link session cut off mid-run opens its link again, as a page
would), and nothing else may fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import statistics
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

import websockets

from analytics import config, db, model, queries, storage
from analytics.bench import interactions, replicas, server
from analytics.filters import Filter, Month

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
  window.__clickedAt = 0;  // the last click (capture phase: before the app's own handlers), performance.now()
  window.addEventListener('click', () => {{ window.__clickedAt = performance.now(); }}, true);
  window.__finishedAt = [];  // when each run's end reached the page (performance.now())
  const finishesRun = window.__finishesRun = (bytes) => {{  // top-level fields of one protobuf message
    let i = 0;
    const varint = () => {{ let v = 0, s = 0, b; do {{ b = bytes[i++]; v += (b & 0x7f) * 2 ** s; s += 7; }}
                          while (b & 0x80); return v; }};
    while (i < bytes.length) {{
      const tag = varint(), field = Math.floor(tag / 8), wire = tag & 7;
      if (wire === 0) {{ varint(); if (field === 6) return true; }}
      else if (wire === 2) {{ const length = varint(); i += length; }}  // not i += varint(): i is read first
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
        if (data instanceof ArrayBuffer && finishesRun(new Uint8Array(data))) {{
          window.__finishedAt.push(performance.now());
          window.__runs += 1;
        }}
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
    && document.querySelector('{server.CHART}') !== null, ms) && (await painted(), window.__drawnAt = performance.now(),
    true);
}})();
"""


async def _pick_option(page, widget, rng: random.Random) -> bool:
    """Open a select or multiselect and click an option that is not already chosen; False if there is none, or
    if the menu closed under the click (the page reran, or reconnected to another replica: the option is
    detached, and a click on a locator would wait 30 s for it to come back)."""
    from playwright.async_api import Error as ClickError

    await widget.click()
    options = page.locator('[role="listbox"] [role="option"]:not([aria-selected="true"])')
    count, option = await options.count(), None
    try:
        if count:
            option = await options.nth(rng.randrange(count)).element_handle(timeout=1000)
            await option.click()
    except ClickError:
        if option and await option.evaluate("element => element.isConnected"):
            raise
        option = None
    await page.keyboard.press("Escape")  # a multiselect keeps its menu open over the sidebar
    return option is not None


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


@dataclass
class _Run:
    """What the sessions share: the timed part's clock, its results, and the server to account CPU to."""

    sessions: int
    seconds: float
    budget: int
    server_pids: list[int]
    arrived: int = 0
    steady: asyncio.Event = field(default_factory=asyncio.Event)
    deadline: float = 0.0
    drawn: list[float] = field(default_factory=list)
    drawn_from_click: list[float] = field(default_factory=list)
    answered: list[float] = field(default_factory=list)
    links_answered: list[float] = field(default_factory=list)
    first_loads: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    no_ops: int = 0
    cpu_at_start: tuple[float, float] = (0.0, 0.0)
    replica_of: dict[int, str] = field(default_factory=dict)  # browser session → the replica its cookie names
    links_reopened: int = 0
    proxied: replicas.Replicas | None = None  # with two replicas: the proxy and the replicas
    killed: list[str] = field(default_factory=list)
    killed_at: float | None = None  # time.perf_counter() when a replica was killed
    drawn_after_moving: int = 0  # changes drawn, after the kill, by pages that were on the killed replica
    logs: Path | None = None  # where each browser page's log (and a screenshot per error) goes, if anywhere

    def arrive(self) -> None:
        """One more session is in (or gave up); the last one starts the timed part."""
        self.arrived += 1
        if self.arrived == self.sessions:
            self.cpu_at_start = self.server_cpu(), _cpu_seconds()
            self.deadline = time.monotonic() + self.seconds
            self.steady.set()

    def moved_pages(self) -> list[int]:
        """The browser pages that were on the killed replica (and had to reconnect to another)."""
        return sorted(i for i, name in self.replica_of.items() if name in self.killed)

    def server_cpu(self) -> float:
        return sum(_cpu_seconds(pid) for pid in self.server_pids)


async def _first_load(page, url: str, index: int, run: _Run) -> bool:
    started = time.perf_counter()
    try:
        await page.goto(url, timeout=120_000)
        await page.wait_for_selector(server.CHART, timeout=120_000)
    except Exception as error:  # noqa: BLE001 - a session that never loads is an error, the others go on
        run.errors.append(f"session {index}: first load: {type(error).__name__}: {str(error).splitlines()[0]}")
        return False
    run.first_loads.append(time.perf_counter() - started)
    replica = [c["value"] for c in await page.context.cookies() if c["name"] == replicas.REPLICA_COOKIE]
    if replica:
        run.replica_of[index] = replica[0]
    return True


async def _one_change(page, rng: random.Random, index: int, run: _Run) -> None:
    """Change a filter and time it (answered, drawn); a click that changed nothing is a no-op, not timed."""
    runs, shown, clicked_at = await page.evaluate("[window.__runs, window.__filters(), performance.now()]")
    started = time.perf_counter()
    action = await _change(page, rng)
    # The browser shows a new filter at once, before the server answers; if not, the click missed.
    if action is None or not await page.evaluate("s => window.__changed(s, 1000)", shown):
        run.no_ops += 1  # e.g. a menu that closed before the click
        return
    run.budget -= 1
    if not await page.evaluate("r => window.__drawn(r, 30000)", runs):
        raise TimeoutError(f"'{action}': charts not redrawn within 30 s")
    run.drawn.append(time.perf_counter() - started)
    clicked, drawn = await page.evaluate("[window.__clickedAt, window.__drawnAt]")
    run.drawn_from_click.append((drawn - clicked) / 1000)
    if run.killed_at is not None and started > run.killed_at and index in run.moved_pages():
        run.drawn_after_moving += 1
    run.answered.append((await page.evaluate("r => window.__finishedAt[r]", runs) - clicked_at) / 1000)
    if await page.locator('[data-testid="stException"]').count():
        run.errors.append(f"session {index}: exception on screen after '{action}'")


class _PageLog:
    """One line per event of a browser page, timed from its start: its websocket opening and closing, its
    console's warnings and errors, the harness's errors (each with a screenshot beside it), so that a failed
    run (a page moved to another replica, say) explains itself."""

    def __init__(self, page, folder: Path, index: int) -> None:
        self.page, self.stem, self.started = page, folder / f"page{index}", time.perf_counter()
        page.on("websocket", self._websocket)
        page.on("console", self._console)

    def write(self, text: str) -> None:
        with self.stem.with_suffix(".log").open("a", encoding="utf-8") as log:
            log.write(f"{time.perf_counter() - self.started:8.2f} s  {text}\n")

    def _websocket(self, socket) -> None:
        self.write(f"websocket open {socket.url}")
        socket.on("close", lambda _: self.write("websocket closed"))

    def _console(self, message) -> None:
        if message.type in ("warning", "error"):
            self.write(f"console {message.type}: {message.text[:300]}")

    async def error(self, text: str, number: int) -> None:
        self.write(f"error: {text}")
        with contextlib.suppress(Exception):  # a page gone has no picture to take; its line says what happened
            await self.page.screenshot(path=f"{self.stem}-error{number}.png")


async def _session(browser, url: str, index: int, ramp: float, think: float, run: _Run) -> None:
    rng = random.Random(index)
    context = await browser.new_context(viewport={"width": 1400, "height": 1100})
    page = await context.new_page()
    await page.add_init_script(_PAGE_PROBES)
    page.on("pageerror", lambda error: run.errors.append(f"session {index}: page error {error}"))
    log = _PageLog(page, run.logs, index) if run.logs else None
    await asyncio.sleep(index * ramp)  # people arrive one after another, not all in the same instant
    loaded = await _first_load(page, url, index, run)
    run.arrive()
    await run.steady.wait()
    try:
        while loaded and time.monotonic() < run.deadline and run.budget > 0:
            try:
                await _one_change(page, rng, index, run)
            except Exception as error:  # noqa: BLE001 - every failure is a reported error, the run goes on
                run.errors.append(f"session {index}: {type(error).__name__}: {str(error).splitlines()[0]}")
                if log:
                    await log.error(str(error), len(run.errors))
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))  # reading the charts
    finally:
        await context.close()


async def open_link(url: str, query: str) -> list[str]:
    """Open the dashboard at ``url?query`` over Streamlit's websocket, wait for its first run to finish and
    return the text it wrote (markdown)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    request = BackMsg()
    request.rerun_script.query_string = query
    request.rerun_script.page_script_hash = ""  # the default page, the overview
    async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=30) as socket:
        await socket.send(request.SerializeToString())
        texts = []
        async for frame in socket:
            message = ForwardMsg.FromString(frame)
            if message.WhichOneof("type") == "script_finished":
                if message.script_finished != ForwardMsg.FINISHED_SUCCESSFULLY:
                    raise RuntimeError(f"run ended {ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)}")
                return texts
            if message.WhichOneof("type") == "delta" and message.delta.new_element.HasField("exception"):
                raise RuntimeError(f"exception: {message.delta.new_element.exception.message[:200]}")
            if message.WhichOneof("type") == "delta" and message.delta.new_element.HasField("markdown"):
                texts.append(message.delta.new_element.markdown.body)
    raise ConnectionError("the server closed the connection before the run finished")


async def _open_link_again_if_cut(url: str, query: str, run: _Run, attempts: int = 5) -> None:
    """:func:`open_link`, again a second later if the connection was cut or refused by the proxy (its replica
    lost, and not yet known to be down), as a page reconnects."""
    for attempt in range(attempts):
        try:
            await open_link(url, query)
            return
        except (ConnectionError, websockets.ConnectionClosed, websockets.InvalidStatus):
            if attempt == attempts - 1:
                raise
            run.links_reopened += 1
            await asyncio.sleep(1)


def _random_link(rng: random.Random, first: Month, last: Month, districts: list[str]) -> str:
    """A link to the overview at a filter a user could pick in the sidebar."""
    start, end = interactions.random_period(rng, first, last)
    flt = Filter(start, end, districts=tuple(rng.sample(districts, rng.choice([0, 0, 1, 2]))),
                 sectors=tuple(rng.sample(model.sector_keys(), rng.choice([0, 0, 1]))),
                 mode=rng.choice(["period", "cohort"]))
    return urllib.parse.urlencode(flt.to_query())


async def _link_session(url: str, index: int, ramp: float, think: float, run: _Run, links) -> None:
    """A session without a browser: every change opens a new link (see the module's docstring)."""
    rng = random.Random(f"links-{index}")
    await asyncio.sleep(index * ramp)
    try:
        await asyncio.wait_for(open_link(url, links(rng)), 120)
        loaded = True
    except Exception as error:  # noqa: BLE001 - reported, the others go on
        run.errors.append(f"link session {index}: first load: {type(error).__name__}: {error}")
        loaded = False
    run.arrive()
    await run.steady.wait()
    while loaded and time.monotonic() < run.deadline and run.budget > 0:
        run.budget -= 1
        started = time.perf_counter()
        try:
            await asyncio.wait_for(_open_link_again_if_cut(url, links(rng), run), 30)
            run.links_answered.append(time.perf_counter() - started)
        except Exception as error:  # noqa: BLE001 - every failure is a reported error, the run goes on
            run.errors.append(f"link session {index}: {type(error).__name__}: {error}")
        await asyncio.sleep(think * rng.uniform(0.5, 1.5))


async def _in_turn(run: _Run, actions) -> None:
    """Run each ``action(run)`` (on a thread) its number of seconds into the timed part, one after another
    (an action waits for the one before it to finish)."""
    await run.steady.wait()
    for seconds, action in sorted(actions, key=lambda pair: pair[0]):
        await asyncio.sleep(max(0.0, run.deadline - run.seconds + seconds - time.monotonic()))
        await asyncio.to_thread(action, run)


async def _run(url: str, run: _Run, browsers: int, ramp: float, think: float, links, during) -> tuple[float, float]:
    """Run every session and the ``during`` actions ((seconds, action) pairs); returns the CPU seconds the
    server and the whole machine used in the timed part."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=server.CHROMIUM, args=server.CHROMIUM_ARGS)
        pages = [_session(browser, url, i, ramp, think, run) for i in range(browsers)]
        others = [_link_session(url, i, ramp, think, run, links) for i in range(browsers, run.sessions)]
        await asyncio.gather(*pages, *others, _in_turn(run, during))
        cpu = run.server_cpu() - run.cpu_at_start[0], _cpu_seconds() - run.cpu_at_start[1]
        await browser.close()
    return cpu


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


def _watch_memory(pids: list[int], stop: threading.Event, peak: list[float]) -> None:
    """The largest memory any of the server processes held (a lost replica is no longer watched)."""
    while not stop.wait(0.5):
        for pid in pids:
            with contextlib.suppress(OSError, StopIteration):  # gone, or a zombie without memory
                peak[0] = max(peak[0], server.rss_mib(pid))


def _quantiles(seconds: list[float]) -> dict[str, float | None]:
    ordered = sorted(seconds)
    if not ordered:
        return {"p50_s": None, "p95_s": None, "max_s": None}
    return {"p50_s": statistics.median(ordered), "p95_s": ordered[round(0.95 * (len(ordered) - 1))],
            "max_s": ordered[-1]}


def _links(data: str):
    """Random filter links over the data's months and districts."""
    con = db.connect(data)
    first, last = queries.data_months(con)
    districts = queries.district_names(con, last.last_day)["district_code"].tolist()
    con.close()
    return lambda rng: _random_link(rng, first, last, districts)


@contextlib.contextmanager
def _servers(data: str, replica_count: int, logs: Path | None):
    """One server, or two replicas behind the proxy: yields (url, the servers' processes, the replicas)."""
    if replica_count == 1:
        with server.streamlit(data, log=logs / "server.log" if logs else None) as (url, process):
            server.wait_until_healthy(url, process)
            yield url, [process], None
    elif replica_count == 2:
        with replicas.behind_proxy(data, logs=logs) as both:
            yield both.url, both.processes, both
    else:
        raise ValueError("--replicas is 1 or 2 (the proxy's configuration names two)")


def _kill_the_first_pages_replica(run: _Run) -> None:
    """Kill the replica the first browser page is on (so that a page has to reconnect)."""
    name = run.replica_of.get(0, "replica1")
    run.proxied.kill(name)
    run.killed.append(name)
    run.killed_at = time.perf_counter()


def main(
    data: str, sessions: int, browsers: int | None, seconds: float, max_changes: int, ramp: float, think: float,
    out: str | None, replica_count: int = 1, kill_replica_at: float | None = None, during=(), logs: Path | None = None,
) -> int:
    """Run the load test (see the module's docstring); ``during`` are (seconds, action) pairs run that many
    seconds into the timed part, in turn (see :func:`_in_turn`); the servers' output and the browser pages' logs
    go to files in ``logs``."""
    browsers = sessions if browsers is None else min(browsers, sessions)
    if not storage.is_remote(data) and db.ensure_aggregates(data):
        print(f"built the aggregates of {data} first (they were missing or stale)")
    links = _links(data)
    with _servers(data, replica_count, logs) as (url, processes, both):
        actions = list(during) + ([(kill_replica_at, _kill_the_first_pages_replica)] if kill_replica_at else [])
        peak, stop = [0.0], threading.Event()
        pids = [process.pid for process in processes]
        watcher = threading.Thread(target=_watch_memory, args=(pids, stop, peak), daemon=True)
        watcher.start()
        run = _Run(sessions, seconds, max_changes, pids, proxied=both, logs=logs)
        server_cpu, machine_cpu = asyncio.run(_run(url, run, browsers, ramp, think, links, actions))
        stop.set()
        watcher.join()
    timed = time.monotonic() - run.deadline + seconds
    summary = {
        "data": os.path.relpath(data, config.REPO_ROOT), "sessions": sessions, "browser_sessions": browsers,
        "ramp_s": ramp, "think_s": think,
        "seconds_timed": timed,
        "first_load": _quantiles(run.first_loads),
        "changes_drawn": len(run.drawn), "drawn": _quantiles(run.drawn), "answered": _quantiles(run.answered),
        "click_drawn": _quantiles(run.drawn_from_click),
        "links_opened": len(run.links_answered), "link_answered": _quantiles(run.links_answered),
        "errors": len(run.errors), "error_samples": run.errors[:20], "no_op_clicks": run.no_ops,
        "server_peak_rss_mib": peak[0],
        "replicas": replica_count, "replica_killed": run.killed[0] if run.killed else None,
        "pages_on_the_killed_replica": run.moved_pages(), "their_changes_drawn_after": run.drawn_after_moving,
        "links_reopened": run.links_reopened,
        # Who used the machine in the timed part: the server, or the browsers drawing every page on the same CPUs.
        "cpu_seconds_server": server_cpu, "cpu_seconds_machine": machine_cpu, "cpus": os.cpu_count(),
    }
    print(f"{sessions} sessions ({browsers} in the browser) arrived (first chart p50 "
          f"{summary['first_load']['p50_s'] or 0:.1f} s); then {timed:.0f} s with {think:g} s to look at each "
          f"change: {len(run.drawn)} changes in the browser, {len(run.links_answered)} links opened, "
          f"{len(run.errors)} errors, {run.no_ops} clicks that changed nothing")
    for name, label in (("answered", "change → answered"), ("drawn", "change → drawn"),
                        ("click_drawn", "click → drawn"), ("link_answered", "link → answered")):
        q = summary[name]
        if q["p50_s"] is not None:
            print(f"  {label:<18}: p50 {q['p50_s']:.2f} s, p95 {q['p95_s']:.2f} s, max {q['max_s']:.2f} s")
    print(f"  server peak RSS {peak[0]:.0f} MiB; CPU in the timed part: server {server_cpu:.0f} s, whole machine "
          f"{machine_cpu:.0f} s of {timed * os.cpu_count():.0f} s ({os.cpu_count()} CPUs; the rest is the browsers)")
    if run.killed:
        print(f"  {run.killed[0]} killed {kill_replica_at:g} s in: browser pages "
              f"{run.moved_pages()} were on it and drew {run.drawn_after_moving} changes after; "
              f"{run.links_reopened} links opened again")
    for line in summary["error_samples"][:5]:
        print(f"  {line}")
    path = Path(out) if out else config.REPO_ROOT / "bench-results" / f"loadtest-{sessions}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    print(f"written: {path}")
    return 0 if not run.errors and (run.drawn or run.links_answered) else 1
