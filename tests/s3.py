"""An S3-compatible object store for tests: moto's server on loopback, found by the app through the usual
environment variables (set for the block)."""

from __future__ import annotations

import logging
import socket
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

BUCKET = "party-funnel"


@contextmanager
def moto_server(cache_dir: str) -> Iterator[tuple[object, dict[str, str]]]:
    """A moto S3 server with the bucket :data:`BUCKET`; yields an s3fs client and the environment (set
    here, and to pass to subprocesses) that points the app at it, with a private aggregate cache."""
    import s3fs
    from moto.server import ThreadedMotoServer

    from analytics import config

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    # moto keeps its buckets per process, not per server: start empty, and with clients that know no listing
    urllib.request.urlopen(urllib.request.Request(f"{endpoint}/moto-api/reset", method="POST"), timeout=30).close()
    s3fs.S3FileSystem.clear_instance_cache()
    env = {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1", config.CACHE_ENV: cache_dir}
    try:
        with pytest.MonkeyPatch.context() as patch:
            for name, value in env.items():
                patch.setenv(name, value)
            filesystem = s3fs.S3FileSystem(endpoint_url=env["AWS_ENDPOINT_URL"], key="testing", secret="testing")
            filesystem.mkdir(BUCKET)
            yield filesystem, env
    finally:
        server.stop()
