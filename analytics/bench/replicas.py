"""Two dashboard replicas behind HAProxy on loopback (``deploy/haproxy.cfg``), for the load test.

Each replica is a plain ``streamlit run app.py`` over the same store (a shared folder, or object storage);
the proxy keeps a browser on its replica with a cookie and, when a replica stops answering its health check,
sends that browser to the other one, where the page reconnects.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from analytics import config
from analytics.bench import server

PROXY_CONFIG = config.REPO_ROOT / "deploy" / "haproxy.cfg"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"  # Debian puts it in sbin, often not on PATH
#: The proxy's cookie naming a browser's replica (``cookie`` in ``deploy/haproxy.cfg``).
REPLICA_COOKIE = "PARTY_FUNNEL_REPLICA"


@dataclass
class Replicas:
    """The proxy's address and the replicas' processes, in the order of the config's ``replica1``, ``replica2``."""

    url: str
    processes: list[subprocess.Popen]
    proxy: subprocess.Popen
    replica_urls: list[str]

    def kill(self, name: str) -> None:
        """Kill a replica outright (as a machine that is lost), by its name in the proxy's config."""
        self.processes[int(name.removeprefix("replica")) - 1].kill()


def _wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            if response.status == 200:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing healthy at {url}")


@contextlib.contextmanager
def behind_proxy(data: str | None, env: dict[str, str] | None = None, logs: Path | None = None) -> Iterator[Replicas]:
    """Start two replicas (over ``data``, with extra environment, each one's output in ``logs/replicaN.log`` if
    given) and HAProxy in front of them."""
    with contextlib.ExitStack() as stack:
        started = [stack.enter_context(server.streamlit(data, env=env, log=logs / f"replica{i}.log" if logs else None))
                   for i in (1, 2)]
        for url, process in started:
            server.wait_until_healthy(url, process)
        proxy_port = server.free_port()
        addresses = {f"REPLICA_{i}": url.removeprefix("http://") for i, (url, _) in enumerate(started, start=1)}
        proxy = subprocess.Popen([HAPROXY, "-f", str(PROXY_CONFIG), "-db"],
                                 env={**os.environ, "PROXY_BIND": f"127.0.0.1:{proxy_port}", **addresses},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        stack.callback(_stop, proxy)
        url = f"http://127.0.0.1:{proxy_port}"
        try:
            _wait_for(url)
        except TimeoutError:
            proxy.kill()
            message = proxy.stderr.read().decode(errors="replace")[-500:]
            raise RuntimeError(f"haproxy did not start: {message}") from None
        yield Replicas(url, [process for _, process in started], proxy, [url for url, _ in started])


def _stop(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)
