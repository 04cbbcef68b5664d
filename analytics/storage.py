"""Where the curated files are read from: a local folder or S3-compatible object storage.

``PARTY_FUNNEL_DATA=s3://bucket/prefix`` needs no code change: an fsspec ``s3fs`` filesystem is
registered with DuckDB (the httpfs extension cannot be downloaded here). The endpoint and
credentials come from the usual environment variables: ``AWS_ENDPOINT_URL`` (e.g. MinIO, Ceph or a
cloud provider's S3 endpoint), ``AWS_ACCESS_KEY_ID``, ``AWS_SECRET_ACCESS_KEY``, ``AWS_REGION``.
"""

from __future__ import annotations

import os
import posixpath

import duckdb

OBJECT_STORE_SCHEMES = ("s3://",)


def is_remote(location: str) -> bool:
    return location.startswith(OBJECT_STORE_SCHEMES)


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


def register(con: duckdb.DuckDBPyConnection, location: str) -> None:
    """Make ``location`` readable by ``con``: nothing to do for a folder, an fsspec filesystem for S3."""
    if not is_remote(location):
        return
    import s3fs  # only object storage needs it

    endpoint = os.environ.get("AWS_ENDPOINT_URL")
    filesystem = s3fs.S3FileSystem(
        endpoint_url=endpoint or None,
        key=os.environ.get("AWS_ACCESS_KEY_ID"),
        secret=os.environ.get("AWS_SECRET_ACCESS_KEY"),
        client_kwargs={"region_name": os.environ.get("AWS_REGION", "us-east-1")},
    )
    con.register_filesystem(filesystem)


def sql_string(path: str) -> str:
    """A path from configuration (never user input) as a SQL string literal, for view definitions."""
    return "'" + path.replace("'", "''") + "'"
