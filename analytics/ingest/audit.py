"""The append-only audit log: one JSON line per load, refusal, no-op or rollback. No personal data:
who acted, when, file hashes and row counts only."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path


def append(log: Path, who: str, action: str, **details: object) -> dict:
    """Append one record (opened in append mode, flushed to disk) and return it."""
    record = {"at": datetime.now(UTC).isoformat(timespec="seconds"), "who": who, "action": action, **details}
    line = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
    fd = os.open(log, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        size = os.fstat(fd).st_size
        if size and os.pread(fd, 1, size - 1) != b"\n":
            line = b"\n" + line  # a line cut short before (a full disk) stays one bad line, not glued to this one
        while line:
            line = line[os.write(fd, line):]
        os.fsync(fd)
    finally:
        os.close(fd)
    return record


class AuditError(ValueError):
    """A line of the audit log is not a record."""


def read(log: Path, strict: bool = False) -> list[dict]:
    """All records, oldest first (none if the log does not exist yet). A line that is not a record is skipped,
    or with ``strict`` refused naming it (what prunes must not miss a rollback target it might be)."""
    if not log.exists():
        return []
    records = []
    for number, line in enumerate(log.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            record = None
        if isinstance(record, dict) and isinstance(record.get("action"), str) and (
                record["action"] not in ("rollback", "publish") or isinstance(record.get("snapshot"), str)):
            records.append(record)
        elif strict:
            raise AuditError(f"{log}, line {number}: not an audit record; repair or remove that line")
    return records
