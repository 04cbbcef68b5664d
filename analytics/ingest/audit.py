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
    line = json.dumps(record, ensure_ascii=False) + "\n"
    fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        os.write(fd, line.encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return record


def read(log: Path) -> list[dict]:
    """All records, oldest first (none if the log does not exist yet)."""
    if not log.exists():
        return []
    return [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line.strip()]
