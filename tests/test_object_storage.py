"""Curated Parquet on S3-compatible object storage (moto's server on loopback): same answers, no code change."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import aggregates, config, db, model, queries, storage
from analytics.__main__ import main as cli_main
from analytics.config import REPO_ROOT
from analytics.filters import Filter, Month
from analytics.ingest import audit, pipeline, retention
from analytics.ingest import publish as publisher
from analytics.ingest.store import Store
from tests.apps import JAN_SEP, metrics, open_app
from tests.fixtures import write_fixture
from tests.ingest.conftest import KEY, TODAY, make_store
from tests.ingest.test_store import FIRST
from tests.s3 import BUCKET, moto_server

JAN_SEP_2022 = Filter(Month(2022, 1), Month(2022, 9))


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """A moto S3 server on 127.0.0.1 and an s3fs client; the app finds it through the environment."""
    with moto_server(str(tmp_path_factory.mktemp("cache"))) as (filesystem, _):
        yield filesystem


def _upload(s3, folder, prefix: str) -> str:
    s3.put(f"{folder}/", f"{BUCKET}/{prefix}/", recursive=True)
    return f"s3://{BUCKET}/{prefix}"


@pytest.fixture(scope="module")
def local_con(fixture_dir):
    return db.connect(str(fixture_dir))


@pytest.fixture(scope="module")
def remote_con(s3, fixture_dir):
    return db.connect(_upload(s3, fixture_dir, "plain"))


@pytest.mark.parametrize("by", [None, "district", "month", "union", "industrial_zone"])
@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_the_same_answers_from_object_storage(remote_con, local_con, by, mode):
    flt = Filter(JAN_SEP_2022.start, JAN_SEP_2022.end, mode=mode)
    pd.testing.assert_frame_equal(queries.labelled_funnel(remote_con, flt, by, "vi"),
                                  queries.labelled_funnel(local_con, flt, by, "vi"))


def test_persisted_aggregates_on_object_storage_are_cached_locally(s3, fixture_dir, tmp_path, local_con):
    folder = shutil.copytree(fixture_dir, tmp_path / "curated")
    db.build_aggregates(str(folder))
    location = _upload(s3, folder, "with-aggregates")
    con = db.connect(location)
    assert aggregates.is_current(con, location, db.inputs(location))
    cached = list(Path(config.cache_dir()).glob("*/agg_period.parquet"))
    assert cached, "the remote aggregates were copied into the local cache"
    pd.testing.assert_frame_equal(queries.funnel(con, JAN_SEP_2022, "district"),
                                  queries.funnel(local_con, JAN_SEP_2022, "district"))


def test_object_storage_connection_reads_nothing_else(s3, remote_con, fixture_dir, tmp_path):
    con = remote_con
    _upload(s3, fixture_dir, "other")
    outside = write_fixture(tmp_path / "elsewhere") / "unions.parquet"
    with pytest.raises(duckdb.PermissionException):
        con.sql("SELECT * FROM read_parquet($p)", params={"p": str(outside)}).fetchall()
    with pytest.raises(duckdb.PermissionException):
        con.sql("SELECT * FROM read_parquet($p)", params={"p": f"s3://{BUCKET}/other/unions.parquet"}).fetchall()


# Publishing: snapshots under their own prefix, the pointer last; replicas follow the pointer.

YEAR_2022 = Filter(Month(2022, 1), Month(2022, 12))
#: Fails the publisher's process (as a kill would: no clean-up, no finally) at its (N+1)-th write, a file
#: or the pointer, once N writes are done.
_DYING_PUBLISHER = """
import os, sys
import s3fs
from analytics.__main__ import main

limit, done = int(sys.argv[1]), []
def dying(real):
    async def write(self, *args, **kwargs):
        if len(done) == limit:
            os._exit(9)
        await real(self, *args, **kwargs)
        done.append(args[1])
    return write
s3fs.S3FileSystem._put_file = dying(s3fs.S3FileSystem._put_file)
s3fs.S3FileSystem._pipe_file = dying(s3fs.S3FileSystem._pipe_file)
sys.exit(main(sys.argv[2:]))
"""


def _counts(location: str) -> dict[str, int]:
    con = db.connect(location)
    try:
        row = queries.funnel(con, YEAR_2022).iloc[0]
        return {stage: int(row[stage]) for stage in ("referred", "trained", "admitted", "official")}
    finally:
        con.close()


@pytest.fixture
def fresh_pointer(monkeypatch):
    """Replicas read the pointer at every rerun (no time-to-live), and forget what they read before."""
    monkeypatch.setattr(storage, "POINTER_TTL_SECONDS", 0)
    monkeypatch.setattr(storage, "_pointers", {})


@pytest.fixture
def target(s3, tmp_path) -> str:
    return f"s3://{BUCKET}/{tmp_path.name}"


@pytest.fixture(scope="module")
def aggregated_sample(tmp_path_factory) -> Path:
    """A store of the sample with its aggregates built, once (publishing would build them each time)."""
    store = make_store(tmp_path_factory.mktemp("aggregated") / "data")
    db.build_aggregates(str(store.path("sample")))
    return store.root


@pytest.fixture
def store(tmp_path, aggregated_sample):
    shutil.copytree(aggregated_sample, tmp_path / "data", symlinks=True)
    return Store(tmp_path / "data")


def _load_first(store) -> str:
    return pipeline.load([("first.csv", FIRST)], store, KEY, "test", today=TODAY)[1]


def test_a_published_store_is_followed_through_its_pointer(s3, store, target, fresh_pointer):
    record = publisher.publish(store, target, "test")
    assert record["snapshot"] == "sample" and record["previous"] is None and record["uploaded"] == record["files"]
    assert db.resolve(target) == f"{target}/snapshots/sample"
    assert _counts(target) == _counts(str(store.link))
    loaded = _load_first(store)
    record = publisher.publish(store, target, "test")
    assert (record["snapshot"], record["previous"]) == (loaded, "sample")
    assert s3.cat_file(f"{target}/CURRENT").decode() == loaded
    assert db.resolve(target) == f"{target}/snapshots/{loaded}"
    assert _counts(target) == _counts(str(store.link)) == {"referred": 3, "trained": 2, "admitted": 0, "official": 0}
    back = publisher.publish(store, target, "test", snapshot="sample")  # rolling the replicas back
    assert back["uploaded"] == 0 and _counts(target)["referred"] == _counts(str(store.snapshots / "sample"))["referred"]
    assert [r["action"] for r in audit.read(store.audit_log)] == ["publish", "load", "publish", "publish"]


def test_a_replica_reads_the_pointer_again_only_after_its_time_to_live(s3, store, target, monkeypatch):
    monkeypatch.setattr(storage, "_pointers", {})
    monkeypatch.setattr(storage, "POINTER_TTL_SECONDS", 3600)
    publisher.publish(store, target, "test")
    assert db.resolve(target).endswith("/sample")
    loaded = _load_first(store)
    publisher.publish(store, target, "test")
    assert db.resolve(target).endswith("/sample")  # cached: no GET per rerun
    monkeypatch.setattr(storage, "POINTER_TTL_SECONDS", 0)
    assert db.resolve(target).endswith(f"/{loaded}")


def test_a_pointer_that_names_no_snapshot_is_refused(s3, target, fresh_pointer):
    s3.pipe_file(f"{target}/CURRENT", b"../other")
    with pytest.raises(ValueError, match="does not name a snapshot"):
        db.resolve(target)


def test_publishing_needs_an_object_store_url(store):
    for elsewhere in ("elsewhere/on/this/disk", "s3://", "s3:///"):
        with pytest.raises(ValueError, match="object-store URL"):
            publisher.publish(store, elsewhere, "test")
    with pytest.raises(ValueError, match="object-store URL"):
        retention.prune(store, 2, "test", dry_run=True, target="s3://")


@pytest.mark.parametrize("writes", [1, 12, "all"])
def test_a_publisher_killed_between_files_leaves_replicas_on_the_previous_snapshot(
        s3, store, target, fresh_pointer, writes):
    publisher.publish(store, target, "test")
    before = _counts(target)
    loaded = _load_first(store)
    db.build_aggregates(str(store.path(loaded)))  # as the publisher would: now the files are known
    files = len(publisher.upload_order(store.path(loaded)))
    writes = files if writes == "all" else writes  # "all": it dies writing the pointer
    argv = ["publish", "--to", target, "--store", str(store.root)]
    dying = subprocess.run([sys.executable, "-c", _DYING_PUBLISHER, str(writes), *argv],
                           cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True,
                           text=True, timeout=120)
    assert dying.returncode == 9, dying.stderr
    assert s3.cat_file(f"{target}/CURRENT").decode() == "sample"
    assert _counts(target) == before != _counts(str(store.link))
    uploaded = s3.find(f"{target}/snapshots/{loaded}")
    assert len(uploaded) == writes  # the files written before it died
    record = publisher.publish(store, target, "test")  # the lock died with the process; the rerun finishes
    assert record["uploaded"] == record["files"] - len(uploaded) and record["previous"] == "sample"
    assert _counts(target) == _counts(str(store.link))


def test_the_app_follows_a_new_pointer_at_its_next_rerun(s3, store, target, fresh_pointer, roles_file, monkeypatch):
    publisher.publish(store, target, "test")
    monkeypatch.setenv(config.CURATED_ENV, target)
    at = open_app(user="boss@example.vn", **JAN_SEP)
    assert not at.exception
    before = metrics(at)
    _load_first(store)
    publisher.publish(store, target, "test")
    at.run()  # the same server process, the next interaction
    assert not at.exception
    con = db.connect(str(store.link))
    loaded = queries.funnel(con, JAN_SEP_2022).iloc[0]
    assert before[0] == "2.339" and metrics(at) == [str(int(loaded[stage])) for stage in model.stage_keys()]


def test_a_replica_keeps_its_snapshot_while_the_store_cannot_be_reached(s3, store, target, fresh_pointer, monkeypatch,
                                                                        caplog):
    publisher.publish(store, target, "test")
    assert db.resolve(target).endswith("/sample")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    assert db.resolve(target).endswith("/sample")
    assert "cannot read the pointer" in caplog.text
    with pytest.raises(OSError, match="cannot read"):
        db.resolve(f"s3://{BUCKET}/never-read")


def test_a_replica_that_saw_no_pointer_follows_it_once_written(s3, store, target, fresh_pointer):
    """A replica that reran while the first publish was cut before its pointer listed the prefix then; that
    listing, kept by the process's one filesystem, hid the pointer written later (only a restart helped)."""
    prefix, files = storage.snapshot_location(target, "sample"), publisher.upload_order(store.path("sample"))
    for path in files[:3]:  # a first publish cut short (the publisher is another process: another client)
        s3.put_file(str(path), storage.join(prefix, path.relative_to(store.path("sample")).as_posix()))
    storage.register(duckdb.connect(), target)  # the replica's rerun: the prefix root is listed and kept
    assert db.resolve(target) == target
    for path in files[3:]:  # run again: it finishes and writes the pointer
        s3.put_file(str(path), storage.join(prefix, path.relative_to(store.path("sample")).as_posix()))
    s3.pipe_file(f"{target}/CURRENT", b"sample")
    assert db.resolve(target) == prefix
    assert _counts(target) == _counts(str(store.link))


@pytest.mark.parametrize("damage", ["missing", "no units", "truncated candidates"])
def test_the_app_keeps_its_snapshot_when_the_pointer_names_one_that_cannot_be_opened(
        s3, store, target, fresh_pointer, roles_file, monkeypatch, caplog, damage):
    publisher.publish(store, target, "test")
    monkeypatch.setenv(config.CURATED_ENV, target)
    at = open_app(user="boss@example.vn", **JAN_SEP)
    before = metrics(at)
    broken = storage.snapshot_location(target, "broken")
    if damage != "missing":
        s3.copy(storage.snapshot_location(target, "sample"), broken, recursive=True)
    if damage == "no units":
        s3.rm(f"{broken}/units.parquet")
    if damage == "truncated candidates":
        s3.pipe_file(f"{broken}/candidates.parquet", s3.cat_file(f"{broken}/candidates.parquet")[:1000])
    s3.pipe_file(f"{target}/CURRENT", b"broken")
    at.run()
    assert not at.exception and metrics(at) == before == ["2.339", "1.220", "251", "216"]
    assert "cannot open the curated data" in caplog.text and "keeping" in caplog.text


def test_the_command_line_says_when_the_data_cannot_be_opened(s3, target, fresh_pointer, capsys):
    s3.pipe_file(f"{target}/CURRENT", b"nosuch")
    assert cli_main(["funnel", "--from", "2022-01", "--to", "2022-09", "--data", target]) == 2
    assert capsys.readouterr().err.startswith("error: cannot open the curated data")


def test_publishing_over_a_pointer_that_names_no_snapshot_repairs_it(s3, store, target, fresh_pointer):
    s3.pipe_file(f"{target}/CURRENT", b"old copy")  # written by hand: replicas refuse it
    record = publisher.publish(store, target, "test")
    assert record["previous"] is None and s3.cat_file(f"{target}/CURRENT") == b"sample"


def test_a_snapshot_replicas_could_not_open_or_name_is_not_published(s3, store, target):
    shutil.copytree(store.path("sample"), store.snapshots / "old copy")
    with pytest.raises(ValueError, match="cannot be published"):
        publisher.publish(store, target, "test", snapshot="old copy")
    shutil.copytree(store.path("sample"), store.snapshots / "no-units")
    (store.snapshots / "no-units" / "units.parquet").unlink()
    with pytest.raises(db.DataError, match="cannot be opened"):
        publisher.publish(store, target, "test", snapshot="no-units")
    assert not s3.exists(f"{target}/snapshots")  # nothing uploaded


def test_a_file_uploaded_in_parts_is_not_uploaded_again(s3, store, target, monkeypatch):
    """s3fs uploads a file of twice its part size or more in parts; its ETag is then no MD5 (every publish of a
    national snapshot uploaded its candidates again). Parts of 5 MiB here, S3's smallest, instead of 50."""
    import s3fs.core

    monkeypatch.setattr(s3fs.core, "calculate_chunksize", lambda size, chunksize=None, max_parts=10_000: 5 << 20)
    (store.path("sample") / "large.bin").write_bytes(os.urandom(11 << 20))
    first = publisher.publish(store, target, "test")
    assert s3.info(f"{target}/snapshots/sample/large.bin")["ETag"].strip('"').endswith("-3")
    again = publisher.publish(store, target, "test")
    assert (first["uploaded"], again["uploaded"]) == (first["files"], 0)
