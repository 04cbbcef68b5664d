"""Publishing a snapshot to object storage for app replicas: its files under its own prefix, the pointer last.

    s3://bucket/prefix/snapshots/<id>/{*.parquet, aggregates/*, manifest.json}
    s3://bucket/prefix/CURRENT        (the id; written only after every file of the snapshot is there)

Replicas (``PARTY_FUNNEL_DATA=s3://bucket/prefix``) read ``CURRENT`` at a rerun and then only that
snapshot's prefix (:func:`analytics.storage.published`), so a publisher killed at any point leaves them on
the previous snapshot. Running it again skips the files already uploaded (the object's ETag is the file's
MD5, or its parts' for a large one) and finishes. Publishing an older snapshot is how the replicas are rolled back.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from analytics import aggregates, db, storage
from analytics.ingest import audit
from analytics.ingest.store import Store


def upload_order(folder: Path) -> list[Path]:
    """The snapshot's files, the aggregates' fingerprint after the aggregates and the manifest last (as
    when they were written: a snapshot prefix with its manifest is complete)."""
    files = [p for p in folder.rglob("*") if p.is_file() and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (p.name == db.MANIFEST, p.name == aggregates.FINGERPRINT,
                                        p.relative_to(folder).as_posix()))


def _etag(path: Path, in_parts: bool) -> str:
    """The ETag S3 gives ``path``: its MD5, or uploaded in parts (s3fs does so from 100 MiB, in parts of
    ``calculate_chunksize``) the MD5 of the parts' MD5s, "-" and how many there are."""
    from s3fs.core import calculate_chunksize  # only object storage needs it

    size = path.stat().st_size
    block = calculate_chunksize(size) if in_parts else max(size, 1)
    whole, parts = hashlib.md5(usedforsecurity=False), []
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(block), b""):
            whole.update(chunk)
            parts.append(hashlib.md5(chunk, usedforsecurity=False).digest())
    if not in_parts:
        return whole.hexdigest()
    return f"{hashlib.md5(b''.join(parts), usedforsecurity=False).hexdigest()}-{len(parts)}"


def _already_there(filesystem, path: Path, key: str) -> bool:
    try:
        info = filesystem.info(key)
    except FileNotFoundError:
        return False
    etag = info.get("ETag", "").strip('"')
    return info.get("size") == path.stat().st_size and etag == _etag(path, in_parts="-" in etag)


def publish(store: Store, target: str, who: str, snapshot: str | None = None) -> dict:
    """Upload ``snapshot`` (default: the current one) to ``target`` and point ``target/CURRENT`` at it,
    under the store's writer lock; the audit record (also what the CLI prints)."""
    target = storage.object_store_url(target)
    with store.lock():
        snapshot = store.current() if snapshot is None else snapshot  # "" is no id (refused below), not "current"
        if not storage.SNAPSHOT_ID.fullmatch(snapshot):  # replicas would refuse the pointer
            raise ValueError(f"'{snapshot}' cannot be published: a snapshot id is letters, digits, '.', '-' and '_'")
        folder = store.path(snapshot)
        db.check_snapshot(str(folder))  # replicas would keep the previous one
        db.ensure_aggregates(str(folder))  # replicas then only copy them
        filesystem = storage.filesystem()
        filesystem.invalidate_cache()
        try:
            previous = storage.pointer(target)
        except ValueError:  # a pointer naming no snapshot: replaced by this one, which repairs it
            previous = None
        prefix = storage.snapshot_location(target, snapshot)
        files = upload_order(folder)
        uploaded = 0
        for path in files:
            key = storage.join(prefix, path.relative_to(folder).as_posix())
            if not _already_there(filesystem, path, key):
                filesystem.put_file(str(path), key)
                uploaded += 1
        filesystem.pipe_file(storage.join(target, storage.POINTER), snapshot.encode("ascii"))
        return audit.append(store.audit_log, who, "publish", snapshot=snapshot, previous=previous,
                            target=target, files=len(files), uploaded=uploaded)
