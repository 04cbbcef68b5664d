"""Retention: prune keeps the current snapshot, the latest N, every rollback target and the sample; the
rest goes (locally or on the published object store), under the writer lock and with an audit line."""

from __future__ import annotations

import shutil

import pytest

from analytics import aggregates, config, db
from analytics.__main__ import main
from analytics.ingest import audit, pipeline, retention
from analytics.ingest import publish as publisher
from analytics.ingest.store import SnapshotError
from tests.ingest.conftest import make_store
from tests.s3 import BUCKET, moto_server


@pytest.fixture
def store(tmp_path):
    return make_store(tmp_path / "data")


def _snapshots(store, count: int) -> list[str]:
    """``count`` new snapshots (copies of the sample), oldest first; the last is current."""
    tables = store.read("sample")
    written = [store.write(tables, {"source": "ingest", "batches": []}) for _ in range(count)]
    store.switch(written[-1])
    return written


def test_what_goes_keeps_the_current_the_latest_the_pinned_and_the_sample():
    oldest_first = ["sample", "a", "b", "c", "d", "e"]
    assert retention.to_remove(oldest_first, "e", 2, set()) == ["a", "b", "c"]
    assert retention.to_remove(oldest_first, "a", 2, {"b"}) == ["c"]
    assert retention.to_remove(oldest_first, None, 10, set()) == []
    with pytest.raises(ValueError, match="keep at least"):
        retention.to_remove(oldest_first, "e", 0, set())


def test_rollback_targets_and_what_each_object_store_last_got_are_pinned(store):
    for action, snapshot, target in [("publish", "a", "s3://b/one"), ("publish", "b", "s3://b/one"),
                                     ("publish", "c", "s3://b/two"), ("rollback", "d", None), ("load", "e", None)]:
        audit.append(store.audit_log, "test", action, snapshot=snapshot, target=target)
    assert retention.pinned(store) == {"b", "c", "d"}


def test_prune_removes_old_snapshots_but_never_the_current_or_a_rollback_target(store):
    a, b, c, d, e = _snapshots(store, 5)
    pipeline.rollback(store, b, "analyst")  # b is current now, and a rollback target for good
    pipeline.rollback(store, e, "analyst")
    assert retention.prune(store, 2, "test", dry_run=True) == [a, c]
    assert [s["id"] for s in store.list()] == ["sample", a, b, c, d, e]  # a dry run changes nothing
    assert audit.read(store.audit_log)[-1]["action"] == "rollback"
    pipeline.rollback(store, a, "analyst")  # now a is current and pinned too
    assert retention.prune(store, 1, "test") == [c, d]
    assert [s["id"] for s in store.list()] == ["sample", a, b, e]
    assert not [p for p in store.snapshots.iterdir() if p.name.startswith(".")]
    record = audit.read(store.audit_log)[-1]
    assert (record["action"], record["removed"], record["kept"], record["keep"], record["current"]) == (
        "prune", [c, d], 4, 1, a)
    con = db.connect(str(store.link))  # the current one still reads
    assert con.sql("SELECT count(*) FROM candidates").fetchall()[0][0] > 0


def test_the_store_refuses_to_remove_its_current_snapshot(store):
    (only,) = _snapshots(store, 1)
    with pytest.raises(SnapshotError, match="current"):
        store.remove(only)
    assert store.current() == only


def test_the_prune_command_lists_and_takes_the_retention_setting(store, monkeypatch, capsys):
    old, *_ = _snapshots(store, 3)
    monkeypatch.setenv(config.KEEP_ENV, "2")
    assert main(["prune", "--dry-run", "--store", str(store.root)]) == 0
    out = capsys.readouterr().out
    assert "would remove 1 snapshot(s), keeping the 2 latest" in out and old in out
    assert len(store.list()) == 4
    assert main(["prune", "--store", str(store.root)]) == 0
    assert old not in [s["id"] for s in store.list()] and len(store.list()) == 3
    assert main(["prune", "--keep", "0", "--store", str(store.root)]) == 2


def test_prune_on_the_object_store_keeps_what_replicas_may_read(store, tmp_path):
    with moto_server(str(tmp_path / "cache")) as (s3, _):
        target = f"s3://{BUCKET}/prune"
        first, second, third, fourth = _snapshots(store, 4)
        db.build_aggregates(str(store.path(first)))  # once: the four hold the same files
        for copy in (second, third, fourth):
            shutil.copytree(store.path(first) / aggregates.FOLDER, store.path(copy) / aggregates.FOLDER)
        for snapshot in (first, second, third, fourth):
            publisher.publish(store, target, "test", snapshot=snapshot)
        pipeline.rollback(store, first, "analyst")  # a rollback target: kept on the store too
        publisher.publish(store, target, "test", snapshot=second)  # replicas back on the second (published twice)
        # the fourth stays: the pointer named it just before, and a replica may still read it
        assert retention.prune(store, 1, "test", dry_run=True, target=target) == [third]
        s3.rm(f"{target}/snapshots/{third}/manifest.json")  # an upload cut short: still removed
        assert retention.prune(store, 1, "test", target=target) == [third]
        remaining = sorted(p.rsplit("/", 1)[-1] for p in s3.ls(f"{target}/snapshots", refresh=True))
        assert remaining == sorted([first, second, fourth])
        assert s3.cat_file(f"{target}/CURRENT").decode() == second
        record = audit.read(store.audit_log)[-1]
        assert (record["action"], record["target"], record["removed"], record["current"]) == (
            "prune", target, [third], second)
        for typo in (f"s3://{BUCKET}/prnue", "s3://no-such-bucket/prune"):  # nothing there: refused, not audited
            with pytest.raises(ValueError, match="nothing is published"):
                retention.prune(store, 1, "test", target=typo)
        with pytest.raises(ValueError, match="cannot be published"):  # an empty id is no id, not "the current"
            publisher.publish(store, target, "test", snapshot="")
        assert audit.read(store.audit_log)[-1] == record


def test_a_line_that_is_no_record_stops_prune_naming_it_and_is_skipped_elsewhere(store):
    _snapshots(store, 2)
    audit.append(store.audit_log, "test", "load")
    with open(store.audit_log, "a", encoding="utf-8") as log:
        log.write('{"at": "2026-12-01", "who": "x", "action": "rollb\n[]\n')  # a torn line, then no record
    lines = len(store.audit_log.read_text().splitlines())
    with pytest.raises(audit.AuditError, match=f"line {lines - 1}: not an audit record"):
        retention.prune(store, 1, "test", dry_run=True)
    assert [r["action"] for r in audit.read(store.audit_log)] == ["load"]  # the page's log: skipped
    audit.append(store.audit_log, "test", "no_change")
    assert audit.read(store.audit_log)[-1]["action"] == "no_change"


def test_an_append_after_a_line_cut_short_starts_a_line_of_its_own(store):
    store.audit_log.write_text('{"at": "2026-12-01", "who": "x"', encoding="utf-8")  # no newline: a full disk
    audit.append(store.audit_log, "test", "no_change")
    assert [r["action"] for r in audit.read(store.audit_log)] == ["no_change"]


@pytest.mark.parametrize("damage", ["units.parquet", "candidates.parquet", "manifest.json"])
def test_a_damaged_snapshot_is_not_made_current(store, damage):
    good = _snapshots(store, 1)[0]
    shutil.copytree(store.path("sample"), store.snapshots / "damaged")
    path = store.snapshots / "damaged" / damage
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])  # cut short
    with pytest.raises(db.DataError, match="cannot be opened"):
        pipeline.rollback(store, "damaged", "analyst")
    assert store.current() == good


def test_the_command_line_refuses_a_store_that_is_not_there_and_a_bad_keep_setting(store, tmp_path, monkeypatch,
                                                                                  capsys):
    missing = tmp_path / "mistyped"
    for argv in (["prune", "--dry-run"], ["rollback", "sample"], ["snapshots"]):
        assert main([*argv, "--store", str(missing)]) == 2
        assert "no store at" in capsys.readouterr().err
    assert not missing.exists()  # not created by the refusal
    monkeypatch.setenv(config.KEEP_ENV, "abc")
    assert main(["prune", "--dry-run", "--store", str(store.root)]) == 2
    assert "PARTY_FUNNEL_KEEP_SNAPSHOTS='abc'" in capsys.readouterr().err
