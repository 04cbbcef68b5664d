"""Where the curated files are read from: a local folder or S3-compatible object storage.

``PARTY_FUNNEL_DATA=s3://bucket/prefix`` needs no code change: an fsspec ``s3fs`` filesystem is
registered with DuckDB (the httpfs extension cannot be downloaded here). The endpoint and
credentials come from the usual environment variables: ``AWS_ENDPOINT_URL`` (e.g. MinIO, Ceph or a
cloud provider's S3 endpoint), ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION``.

A published store (``python -m analytics publish``) holds ``prefix/snapshots/<id>/`` and the pointer
``prefix/CURRENT`` naming the current one, written last; :func:`published` follows it.
"""

from __future__ import annotations

import logging
import os
import posixpath
import re
import time

import duckdb

OBJECT_STORE_SCHEMES = ("s3://",)
#: The object naming the current snapshot of a published store, and the folder of its snapshots.
POINTER = "CURRENT"
SNAPSHOTS = "snapshots"
#: A snapshot id as the store writes them (``20261130T101500Z-a1b2c3``, ``sample``): never a path.
SNAPSHOT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,99}")
#: How long a replica trusts the pointer it read: one small GET per this many seconds, not per rerun.
POINTER_TTL_SECONDS = 5.0

_log = logging.getLogger("party_funnel.storage")
_pointers: dict[str, tuple[float, str]] = {}


def is_remote(location: str) -> bool:
    return location.startswith(OBJECT_STORE_SCHEMES)


def object_store_url(location: str) -> str:
    """``location`` without a trailing "/" if it is an object-store URL naming a bucket, else ValueError."""
    if not (is_remote(location) and location.split("://", 1)[1].strip("/")):
        raise ValueError(f"'{location}' is not an object-store URL (s3://bucket/prefix)")
    return location.rstrip("/")


def join(location: str, *parts: str) -> str:
    """A path under ``location``, with ``/`` for URLs and the OS separator for folders."""
    return posixpath.join(location, *parts) if is_remote(location) else os.path.join(location, *parts)


def directories(location: str) -> list[str]:
    """``location`` as directory prefixes for DuckDB's ``allowed_directories``: as given and, for a folder
    that is (or sits under) a symlink such as ``data/curated`` -> the current snapshot, its real path."""
    if is_remote(location):
        return [location.rstrip("/") + "/"]
    given = os.path.join(os.path.abspath(location), "")
    return list(dict.fromkeys([given, os.path.join(os.path.realpath(location), "")]))


def filesystem():
    """The object store as an fsspec ``s3fs`` filesystem, configured from the environment."""
    import s3fs  # only object storage needs it

    return s3fs.S3FileSystem(
        endpoint_url=os.environ.get("AWS_ENDPOINT_URL") or None,
        key=os.environ.get("AWS_ACCESS_KEY_ID"),
        secret=os.environ.get("AWS_SECRET_ACCESS_KEY"),
        client_kwargs={"region_name": os.environ.get("AWS_REGION", "us-east-1")},
    )


def register(con: duckdb.DuckDBPyConnection, location: str) -> None:
    """Make ``location`` readable by ``con``: nothing to do for a folder, an fsspec filesystem for S3."""
    if is_remote(location):
        remote = filesystem()
        remote.invalidate_cache()  # fsspec shares one filesystem per process: forget listings made before
        remote.find(location)  # one listing, kept: DuckDB's many size checks then need no request per file
        con.register_filesystem(remote)


def snapshot_location(location: str, snapshot: str) -> str:
    """Where a published store keeps ``snapshot``."""
    return join(location.rstrip("/"), SNAPSHOTS, snapshot)


def pointer(location: str) -> str | None:
    """The snapshot id ``location/CURRENT`` names (one GET), or None when the store has no pointer."""
    from botocore.exceptions import BotoCoreError  # s3fs's client library

    remote, path = filesystem(), join(location.rstrip("/"), POINTER)
    remote.invalidate_cache(path)  # a listing kept from before the pointer existed must not hide it
    try:
        text = remote.cat_file(path).decode("ascii").strip()
    except FileNotFoundError:
        return None
    except BotoCoreError as error:  # e.g. the endpoint cannot be reached
        raise OSError(f"cannot read {location}/{POINTER}: {error}") from error
    except UnicodeDecodeError:
        raise ValueError(f"{location}/{POINTER} does not name a snapshot") from None
    if not SNAPSHOT_ID.fullmatch(text):
        raise ValueError(f"{location}/{POINTER} does not name a snapshot")
    return text


def published(location: str) -> str:
    """The snapshot a published store's pointer names (``prefix/snapshots/<id>``), or ``location`` itself
    when it has no pointer (a snapshot uploaded as it is). The pointer is read again after
    :data:`POINTER_TTL_SECONDS`; if the store cannot be reached then, the snapshot read last is kept."""
    fetched, known = _pointers.get(location, (float("-inf"), None))
    if time.monotonic() - fetched < POINTER_TTL_SECONDS:
        return known
    try:
        snapshot = pointer(location)
    except (OSError, ValueError) as error:
        if known is None:
            raise
        _log.warning("cannot read the pointer of %s (%s): keeping %s", location, type(error).__name__, known)
        _pointers[location] = (time.monotonic(), known)  # try again after the time-to-live, not at every rerun
        return known
    resolved = location if snapshot is None else snapshot_location(location, snapshot)
    _pointers[location] = (time.monotonic(), resolved)
    return resolved


def sql_string(path: str) -> str:
    """A path from configuration (never user input) as a SQL string literal, for view definitions."""
    return "'" + path.replace("'", "''") + "'"
