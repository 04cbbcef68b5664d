"""The ingest commands of ``python -m analytics``: ingest, snapshots, rollback, publish, prune."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from analytics import config, db, formulas, output
from analytics.filters import FilterError
from analytics.ingest import pipeline, retention
from analytics.ingest import publish as publisher
from analytics.ingest.pseudonymise import MissingKeyError, secret_key
from analytics.ingest.store import SnapshotError, Store

EXIT_REFUSED = 1
#: The largest report file the command line reads (the Load data page takes 20 MB): a register at the row limit
#: is far smaller, and a device such as /dev/zero is never read to its end.
MAX_FILE_BYTES = 200 << 20
_STATUS = {pipeline.LOADED: "hợp lệ / valid", pipeline.ALREADY: "đã nạp trước / already loaded",
           pipeline.REFUSED: "bị từ chối / refused"}


def _store(root: str | None) -> Store:
    """The store at ``root`` (default from config), refused when there is none (a mistyped path must not become
    an empty store; a curated folder of the old layout is told how to move it)."""
    store = Store(Path(root) if root else config.store_root())
    if not store.snapshots.is_dir() and not store.link.exists():
        raise FilterError(f"no store at {store.root} (it has no snapshots folder)")
    return store


def _who() -> str:
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli"


def ingest(paths: list[str], dry_run: bool, report_csv: str | None, root: str | None) -> int:
    try:
        key = secret_key()
    except MissingKeyError as error:
        print(f"error: {error}", file=sys.stderr)
        return EXIT_REFUSED
    files = []
    for path in paths:
        try:
            with open(path, "rb") as report:
                data = report.read(MAX_FILE_BYTES + 1)
        except OSError as error:
            raise FilterError(f"cannot read {path}: {error.strerror}") from error
        if len(data) > MAX_FILE_BYTES:
            raise FilterError(f"{path} is larger than {MAX_FILE_BYTES >> 20} MB, more than any report: split it "
                              "by district or by year")
        files.append((Path(path).name, data))
    try:
        plan, snapshot = pipeline.load(files, _store(root), key, _who(), dry_run=dry_run)
    except SnapshotError as error:
        raise FilterError(str(error)) from error
    frame = formulas.inert_frame(plan.report())  # an uploaded cell "=HYPERLINK(...)" stays text in a spreadsheet
    if len(frame):
        print(frame.to_string(index=False, na_rep=""))
    if report_csv:
        Path(report_csv).write_bytes(output.csv_bytes(frame))
    for result in plan.files:
        print(f"{result.name}: {result.kind or '?'} · {_STATUS[result.status]} · {result.rows} dòng/rows"
              + (f" · {result.rejected_rows} dòng lỗi/rows with errors" if result.rejected_rows else ""))
    if snapshot:
        print(f"snapshot: {snapshot}")
    elif plan.ok and not dry_run:
        print("không thay đổi / nothing changed")
    return 0 if plan.ok else EXIT_REFUSED


def snapshots(root: str | None) -> int:
    try:
        listed = _store(root).list()
    except SnapshotError as error:
        raise FilterError(str(error)) from error
    for snap in listed:
        batches = len(snap.get("batches", []))
        print(f"{'*' if snap['current'] else ' '} {snap['id']}  {snap.get('source', '?'):<7} "
              f"{snap.get('created_at', '-'):<25} {batches} batches")
    return 0


def rollback(snapshot: str, root: str | None) -> int:
    store = _store(root)
    try:
        pipeline.rollback(store, snapshot, _who())
    except (SnapshotError, db.DataError) as error:
        raise FilterError(str(error)) from error
    print(f"current: {store.current()}")
    return 0


def publish(target: str, snapshot: str | None, root: str | None) -> int:
    try:
        record = publisher.publish(_store(root), target, _who(), snapshot)
    except (SnapshotError, db.DataError, ValueError, OSError) as error:  # OSError: the object store's
        raise FilterError(str(error)) from error
    print(f"{target}: {record['snapshot']} ({record['uploaded']} of {record['files']} files uploaded; "
          f"before: {record['previous'] or '-'})")
    return 0


def prune(keep: int | None, dry_run: bool, target: str | None, root: str | None) -> int:
    try:
        keep = config.keep_snapshots() if keep is None else keep
        removed = retention.prune(_store(root), keep, _who(), dry_run, target)
    except (SnapshotError, ValueError, OSError) as error:  # OSError: the object store's
        raise FilterError(str(error)) from error
    verb = "would remove" if dry_run else "removed"
    print(f"{target or 'local store'}: {verb} {len(removed)} snapshot(s), keeping the {keep} latest, the current "
          "one, rollback targets and the sample")
    for snapshot in removed:
        print(f"  {snapshot}")
    return 0
