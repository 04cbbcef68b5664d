"""Versioned, atomic curated data: immutable snapshots and one symlink saying which is current.

    data/snapshots/<id>/{candidates,unions,union_units,membership,targets,units,crosswalk}.parquet, manifest.json
    data/curated -> snapshots/<id>        (so data/curated/*.parquet is always the current snapshot)

A snapshot is written into a hidden temporary folder, flushed to disk, renamed to its id, and only then
made current by replacing the symlink with ``os.replace`` (one atomic step). A reader resolves the
link once and reads one snapshot (see :func:`analytics.db.resolve`), so it sees the old or the new
data, never a mix, even if the writer is killed at any point. Writers take a lock on ``data/.lock``.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from analytics import db, legacy

_TEMPORARY = ".tmp-"


class SnapshotError(ValueError):
    """An unknown snapshot id."""


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Store:
    """The snapshots under ``root`` (normally ``data/``) and the ``curated`` link to the current one."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.snapshots = self.root / "snapshots"
        self.link = self.root / "curated"
        self.audit_log = self.root / "audit.jsonl"

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive for writers (loads and rollbacks); readers never wait."""
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def current(self) -> str:
        """The id of the current snapshot."""
        if not self.link.is_symlink():
            raise SnapshotError(f"{self.link} is not a link to a snapshot: move the folder to "
                                f"{self.snapshots}/<id> and link {self.link.name} -> snapshots/<id>")
        return Path(os.readlink(self.link)).name

    def path(self, snapshot: str) -> Path:
        folder = self.snapshots / snapshot
        if snapshot.startswith(".") or "/" in snapshot or not (folder / db.MANIFEST).is_file():
            raise SnapshotError(f"unknown snapshot: {snapshot}")
        return folder

    def manifest(self, snapshot: str) -> dict:
        return json.loads((self.path(snapshot) / db.MANIFEST).read_text(encoding="utf-8"))

    def read(self, snapshot: str) -> dict[str, pa.Table]:
        """The snapshot's tables; an older snapshot's in today's shape (:mod:`analytics.legacy`)."""
        folder = self.path(snapshot)
        names = [n for n in (*db.CURATED_TABLES, *db.LEGACY_TABLES) if (folder / f"{n}.parquet").is_file()]
        tables = {name: pq.read_table(folder / f"{name}.parquet") for name in names}
        return legacy.upgrade(tables)

    def list(self) -> list[dict]:
        """Every complete snapshot, oldest first: id, manifest fields, and whether it is current."""
        current = self.current()
        found = []
        for folder in sorted(self.snapshots.iterdir()):
            if folder.name.startswith(".") or not (folder / db.MANIFEST).is_file():
                continue
            try:
                manifest = self.manifest(folder.name)
            except ValueError:  # a manifest cut short: listed, so that it can be seen and removed
                manifest = {"source": "damaged"}
            found.append({"id": folder.name, "current": folder.name == current, **manifest})
        return sorted(found, key=lambda s: (s.get("created_at", ""), s["id"]))

    def write(self, tables: dict[str, pa.Table], manifest: dict) -> str:
        """Write a complete new snapshot (not yet current) and return its id. Call under :meth:`lock`."""
        for stale in self.snapshots.glob(f"{_TEMPORARY}*"):  # left by a writer that was killed
            shutil.rmtree(stale, ignore_errors=True)
        now = datetime.now(UTC)
        snapshot = f"{now:%Y%m%dT%H%M%S}Z-{uuid.uuid4().hex[:6]}"
        temporary = self.snapshots / f"{_TEMPORARY}{snapshot}"
        temporary.mkdir(parents=True)
        for name in db.CURATED_TABLES:
            pq.write_table(tables[name], temporary / f"{name}.parquet", compression="zstd")
            _fsync(temporary / f"{name}.parquet")
        full = {**manifest, "snapshot": snapshot, "created_at": now.isoformat(timespec="microseconds")}
        (temporary / db.MANIFEST).write_text(json.dumps(full, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        _fsync(temporary / db.MANIFEST)
        _fsync(temporary)
        os.rename(temporary, self.snapshots / snapshot)
        _fsync(self.snapshots)
        return snapshot

    def remove(self, snapshot: str) -> None:
        """Delete a snapshot that is not current. Call under :meth:`lock`. It is first renamed to a hidden
        temporary name (one step: it leaves the list at once), so a removal killed halfway is finished by
        the next :meth:`write`."""
        if snapshot == self.current():
            raise SnapshotError(f"{snapshot} is the current snapshot")
        hidden = self.snapshots / f"{_TEMPORARY}removed-{snapshot}"
        os.rename(self.path(snapshot), hidden)
        _fsync(self.snapshots)
        shutil.rmtree(hidden)

    def switch(self, snapshot: str) -> None:
        """Make ``snapshot`` current in one atomic step (a new symlink renamed over the old one)."""
        self.path(snapshot)
        temporary = self.root / f".curated-{os.getpid()}.tmp"
        temporary.unlink(missing_ok=True)
        os.symlink(Path("snapshots") / snapshot, temporary)
        os.replace(temporary, self.link)
        _fsync(self.root)
