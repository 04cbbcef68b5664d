"""The whole load: files → checked batches → merged tables (pure), then one new snapshot (under a lock).

``prepare`` does everything except writing and is what a dry run shows; ``load`` writes the snapshot,
switches to it and appends to the audit log. A file with any error changes nothing, and neither does a
file whose content is already in the current snapshot (loading the same file twice is a no-op). The
batch id of a file is the SHA-256 of its bytes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

import pyarrow as pa
import pyarrow.compute as pc

from analytics import db, model
from analytics.ingest import audit, calendar, merge, unit_lists
from analytics.ingest.problems import WARNING, Problem, Problems, has_errors, report
from analytics.ingest.read import read_tables
from analytics.ingest.schema import to_sheet
from analytics.ingest.store import Store
from analytics.ingest.validate import (
    Reference,
    parse_membership,
    parse_register,
    parse_targets,
    parse_unions,
    reference,
)

LOADED, ALREADY, REFUSED = "loaded", "already_loaded", "refused"
#: Viet Nam's time (UTC+7 all year): what "today" is for the reports' dates, wherever the server runs.
VIET_NAM = timezone(timedelta(hours=7))


@dataclass
class FileResult:
    name: str
    batch_id: str
    kind: str | None = None
    status: str = LOADED
    rows: int = 0
    rejected_rows: int = 0
    problems: Problems = field(default_factory=Problems)
    scope: list[str] = field(default_factory=list)
    absent_stages: tuple[model.Stage, ...] = ()  # a register's stage-date columns the file does not have
    person_column: str = ""  # a register's id-or-name column, as the problems name it

    def summary(self) -> dict:
        """What the audit log keeps about a file: no name, no content."""
        return {"sha256": self.batch_id, "kind": self.kind, "status": self.status, "rows_accepted": self.rows,
                "rows_rejected": self.rejected_rows}


@dataclass
class Plan:
    files: list[FileResult]
    tables: dict[str, pa.Table]
    manifest: dict

    @property
    def ok(self) -> bool:
        return not any(f.status == REFUSED for f in self.files)

    @property
    def changes(self) -> bool:
        return self.ok and any(f.status == LOADED for f in self.files)

    def report(self):
        """The problems of every file (each file's first ones, then counts when there were more)."""
        return report([(f.name, p) for f in self.files for p in f.problems],
                      [(f.name, p) for f in self.files for p in f.problems.summary()])


def batch_id(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


PARSERS = {"membership": parse_membership, "targets": parse_targets, "unions": parse_unions,
           "units": unit_lists.parse_units, "crosswalk": unit_lists.parse_crosswalk, "events": calendar.parse_events}
#: Kinds after which the reference is rebuilt: later files in the same load may name the new units or unions.
REFERENCE_KINDS = ("unions", "units", "crosswalk")


def _check_file(name: str, data: bytes, ref: Reference, key: bytes, result: FileResult) -> pa.Table | None:
    """The file's batch table, or None; problems go into ``result``."""
    tables, problems = read_tables(data, name)
    result.problems += problems
    if not tables:
        return None
    sheet, problems = to_sheet(tables)
    result.problems += problems
    if sheet is None:
        return None
    result.kind = sheet.kind.key
    if sheet.kind.key == "register":
        table, problems = parse_register(sheet, ref, key)
        result.absent_stages = tuple(s for s in model.stages() if s.date_column not in sheet.keys)
        result.person_column = sheet.headers.get("person", "")
    else:
        table, problems = PARSERS[sheet.kind.key](sheet, ref)
    result.problems += problems
    return table


def _apply(result: FileResult, table: pa.Table, tables: dict[str, pa.Table], ref: Reference) -> bool:
    """Merge the batch into ``tables`` unless that raises an error; whether anything changed."""
    target = merge.TARGET_TABLE[result.kind]
    updated = {}
    if result.kind == "register":
        names = {u.code: u.label("vi") for u in ref.geography.areas()}
        updated[target], problems, result.scope = merge.merge_register(
            tables[target], table, result.batch_id, names, result.absent_stages, result.person_column)
        result.problems += problems
    elif result.kind == "unions":
        spans = {u.code: ref.geography.span(u.code)[1] for u in ref.geography.areas()}
        updated["unions"], updated["union_units"] = merge.merge_unions(tables["unions"], tables["union_units"],
                                                                       table, spans)
    else:
        updated[target] = merge.merge_keyed(tables[target], table, target)
    if has_errors(result.problems) or all(updated[name].equals(tables[name]) for name in updated):
        return False
    tables.update(updated)
    return True


def _check_units(results: list[FileResult], tables: dict[str, pa.Table]) -> None:
    """The units and crosswalk as a whole, once every file is in (a new unit and its crosswalk may come in
    either order): their problems refuse every units or crosswalk file of the load."""
    loaded = [r for r in results if r.kind in ("units", "crosswalk") and r.status == LOADED]
    problems = unit_lists.check(tables["units"], tables["crosswalk"]) if loaded else []
    for result in loaded if problems else []:
        result.problems += problems
        result.status = REFUSED


def prepare(files: list[tuple[str, bytes]], tables: dict[str, pa.Table], manifest: dict, key: bytes,
            today: date) -> Plan:
    """Check every file against the current tables and merge the good ones in order (nothing is written)."""
    tables = merge.start_from(tables, manifest.get("source", ""))
    ref = reference(tables, today)
    batches = list(manifest.get("batches", [])) if manifest.get("source") == "ingest" else []
    results = []
    for name, data in files:
        result = FileResult(name, batch_id(data))
        results.append(result)
        table = _check_file(name, data, ref, key, result)
        changed = table is not None and not has_errors(result.problems) and _apply(result, table, tables, ref)
        if changed and result.kind in REFERENCE_KINDS:
            ref = reference(tables, today)  # later files may name the new units or unions
        if table is not None and not changed and not has_errors(result.problems):
            result.status = ALREADY  # e.g. the same file again: its content is already in the data
            result.problems = Problems([Problem("already_loaded", WARNING, params={"batch": result.batch_id[:12]})])
            continue
        if table is None or has_errors(result.problems):
            result.status = REFUSED
            result.rejected_rows = len(result.problems.error_rows())
            continue
        result.rows = pc.count_distinct(table["row"]).as_py()
        batches.append({"batch_id": result.batch_id, "kind": result.kind, "rows": result.rows, "scope": result.scope,
                        "loaded_at": datetime.now(UTC).isoformat(timespec="seconds")})
    _check_units(results, tables)
    if tables["candidates"].num_rows == 0:  # real data on top of the sample needs a register first
        for result in results:
            if result.status == LOADED:
                result.status = REFUSED
                result.problems.append(Problem("no_candidates"))
    remaining = set(pc.unique(tables["candidates"]["batch_id"]).to_pylist())
    batches = [b for b in batches if b["kind"] != "register" or b["batch_id"] in remaining]
    return Plan(results, tables, {"source": "ingest", "batches": batches})


def load(files: list[tuple[str, bytes]], store: Store, key: bytes, who: str, dry_run: bool = False,
         today: date | None = None) -> tuple[Plan, str | None]:
    """Check and, unless ``dry_run`` or refused or nothing new, write and switch to a new snapshot.

    Returns the plan and the new snapshot id (None when nothing was written). Loads are audited."""
    today = today or datetime.now(VIET_NAM).date()  # a referral of today in Ha Noi is not in the future on a UTC server
    with store.lock():
        current = store.current()
        plan = prepare(files, store.read(current), store.manifest(current), key, today)
        if dry_run:
            return plan, None
        summary = [f.summary() for f in plan.files]
        if not plan.changes:
            audit.append(store.audit_log, who, "refused" if not plan.ok else "no_change", files=summary,
                         snapshot=current)
            return plan, None
        snapshot = store.write(plan.tables, {**plan.manifest, "parent": current})
        store.switch(snapshot)
        audit.append(store.audit_log, who, "load", files=summary, snapshot=snapshot, previous=current)
        return plan, snapshot


def rollback(store: Store, snapshot: str, who: str) -> None:
    """Make an earlier snapshot current again (audited)."""
    with store.lock():
        previous = store.current()
        db.check_snapshot(str(store.path(snapshot)))  # a damaged one would fail every page of the app
        store.switch(snapshot)
        audit.append(store.audit_log, who, "rollback", snapshot=snapshot, previous=previous)
