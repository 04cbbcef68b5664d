"""A dashboard server and a headless Chromium, for the cold-start measurement and the load test."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from analytics import config

CHROMIUM = "/usr/bin/chromium"
CHART = '[data-testid="stPlotlyChart"] .main-svg'
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rss_mib(pid: int) -> float:
    """Resident memory of a process, in MiB (Linux)."""
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        kib = next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))
    return kib / 1024


@contextlib.contextmanager
def streamlit(
    data: str | None = None, args: tuple[str, ...] = (), env: dict[str, str] | None = None, port: int | None = None,
    log: Path | None = None,
) -> Iterator[tuple[str, subprocess.Popen]]:
    """``streamlit run app.py`` on loopback (over the curated data at ``data``, with extra ``args`` and
    environment, its output in the file ``log`` if given); yields (url, process) at once, without waiting for it
    to be healthy."""
    port = port or free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
               "--server.port", str(port), "--server.address", "127.0.0.1",
               "--browser.gatherUsageStats", "false", *args]
    env = {**os.environ, "PYTHONPATH": str(config.REPO_ROOT), **({config.CURATED_ENV: data} if data else {}),
           **(env or {})}
    output = open(log, "w", encoding="utf-8") if log else subprocess.DEVNULL  # noqa: SIM115 - closed below
    process = subprocess.Popen(command, cwd=config.REPO_ROOT, env=env, stdout=output, stderr=subprocess.STDOUT)
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        process.terminate()
        process.wait(timeout=30)
        if log:
            output.close()


def wait_until_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    raise TimeoutError("streamlit did not become healthy")


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Debian Chromium driven by Playwright (never ``playwright install``)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def cold_start(data: str, query: str = "") -> dict[str, float]:
    """Seconds from launching a fresh server to the first chart drawn, and the server's memory after it."""
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1600, "height": 1300})
        started = time.perf_counter()
        with streamlit(data) as (url, process):
            wait_until_healthy(url, process)
            healthy = time.perf_counter() - started
            page.goto(f"{url}/{query}")
            page.wait_for_selector(CHART, timeout=60_000)
            first_chart = time.perf_counter() - started
            page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                   timeout=60_000)
            memory = rss_mib(process.pid)
        page.close()
    return {"server_healthy_s": healthy, "first_chart_s": first_chart, "server_rss_mib_one_session": memory}
