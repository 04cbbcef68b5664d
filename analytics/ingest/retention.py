"""Which old snapshots may go, and removing them from the local store or a published object store.

Kept always: the current snapshot (the ``curated`` link's, or the published store's ``CURRENT``), the
``keep`` latest (``PARTY_FUNNEL_KEEP_SNAPSHOTS``, default 10), every snapshot the audit log names as rolled
back to (someone needed it once) or as last published to an object store, and the shipped ``sample``.
Everything else is removed under the writer lock, and the audit log gets one ``prune`` line saying what went.
"""

from __future__ import annotations

import json

from analytics import db, storage
from analytics.ingest import audit
from analytics.ingest.store import Store

SAMPLE = "sample"


def to_remove(oldest_first: list[str], current: str | None, keep: int, pinned: set[str]) -> list[str]:
    """The snapshots of ``oldest_first`` that are neither current, nor among the ``keep`` latest, nor pinned."""
    if keep < 1:
        raise ValueError(f"keep at least the latest snapshot, not {keep}")
    kept = {current, SAMPLE, *pinned, *oldest_first[-keep:]}
    return [snapshot for snapshot in oldest_first if snapshot not in kept]


def pinned(store: Store) -> set[str]:
    """Every snapshot the audit log names as rolled back to; per object store, the one it was last published
    with (what its replicas read, even when the local store has moved on) and the one before (a replica may
    still be on it); and every snapshot published to a store more than once (publishing an older snapshot
    is how replicas are rolled back)."""
    records = audit.read(store.audit_log, strict=True)  # a record not read could be a rollback target
    kept = {record["snapshot"] for record in records if record["action"] == "rollback"}
    published: dict[str, list[dict]] = {}
    for record in records:
        if record["action"] == "publish":
            published.setdefault(record.get("target", ""), []).append(record)
    for publishes in published.values():
        kept |= {publishes[-1]["snapshot"], publishes[-1].get("previous")}
        snapshots = [record["snapshot"] for record in publishes]
        kept |= {snapshot for snapshot in snapshots if snapshots.count(snapshot) > 1}
    return kept - {None}


def _published(target: str) -> tuple[list[str], str | None]:
    """The snapshots under a published store, oldest first (by their manifest's time; one without a manifest,
    an upload cut short, counts as oldest), and its current one."""
    filesystem = storage.filesystem()
    root = storage.join(target, storage.SNAPSHOTS)
    try:
        names = [path.rstrip("/").rsplit("/", 1)[-1] for path in filesystem.ls(root, detail=False, refresh=True)]
    except FileNotFoundError:
        names = []
    created = {}
    for name in names:
        try:
            manifest = json.loads(filesystem.cat_file(storage.join(root, name, db.MANIFEST)))
        except FileNotFoundError:
            manifest = {}
        created[name] = manifest.get("created_at", "")
    current = storage.pointer(target)
    if not names and current is None:  # a typo in the address, or nothing published there yet
        raise ValueError(f"nothing is published at {target} (no {storage.POINTER} and no {storage.SNAPSHOTS}/): "
                         "check the address")
    return sorted(names, key=lambda name: (created[name], name)), current


def prune(store: Store, keep: int, who: str, dry_run: bool = False, target: str | None = None) -> list[str]:
    """Remove the snapshots :func:`to_remove` picks from the local store, or with ``target`` from that
    published object store; the removed ids (with ``dry_run``, those that would be, and nothing changes)."""
    target = storage.object_store_url(target) if target is not None else None
    with store.lock():
        if target:
            snapshots, current = _published(target)
        else:
            snapshots, current = [s["id"] for s in store.list()], store.current()
        removed = to_remove(snapshots, current, keep, pinned(store))
        if dry_run:
            return removed
        for snapshot in removed:
            if target:
                storage.filesystem().rm(storage.snapshot_location(target, snapshot), recursive=True)
            else:
                store.remove(snapshot)
        audit.append(store.audit_log, who, "prune", removed=removed, kept=len(snapshots) - len(removed), keep=keep,
                     current=current, target=target or "local")
        return removed
