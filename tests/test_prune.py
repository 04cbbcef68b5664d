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
        first, second, third = _snapshots(store, 3)
        db.build_aggregates(str(store.path(first)))  # once: the three hold the same files
        for copy in (second, third):
            shutil.copytree(store.path(first) / aggregates.FOLDER, store.path(copy) / aggregates.FOLDER)
        for snapshot in (first, second, third):
            publisher.publish(store, target, "test", snapshot=snapshot)
        pipeline.rollback(store, first, "analyst")  # a rollback target: kept on the store too
        publisher.publish(store, target, "test", snapshot=second)  # replicas back on the second
        assert retention.prune(store, 1, "test", dry_run=True, target=target) == []
        s3.rm(f"{target}/snapshots/{third}/manifest.json")  # an upload cut short counts as the oldest
        assert retention.prune(store, 1, "test", target=target) == [third]
        remaining = sorted(p.rsplit("/", 1)[-1] for p in s3.ls(f"{target}/snapshots", refresh=True))
        assert remaining == sorted([first, second])
        assert s3.cat_file(f"{target}/CURRENT").decode() == second
        record = audit.read(store.audit_log)[-1]
        assert (record["action"], record["target"], record["removed"], record["current"]) == (
            "prune", target, [third], second)
