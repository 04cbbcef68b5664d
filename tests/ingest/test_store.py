"""Snapshots: atomic switch (also when the writer is killed), no-op reloads, corrections, rollback, audit."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading

import pyarrow.parquet as pq
import pytest

from analytics import db, queries
from analytics.config import REPO_ROOT
from analytics.filters import Filter, Month
from analytics.ingest import audit, pipeline
from analytics.ingest.pseudonymise import MissingKeyError, candidate_key, secret_key
from analytics.ingest.store import SnapshotError
from tests.ingest.conftest import KEY, REGISTER_HEADER, TODAY, csv_bytes, make_store, register_row

YEAR_2022 = Filter(Month(2022, 1), Month(2022, 12))


def register(*rows: tuple[str, str, str, str, str]) -> bytes:
    """A register CSV from (person, union, district, referred, trained) rows."""
    return csv_bytes([REGISTER_HEADER, *[[p, u, d, "", "", "", r, t, "", ""] for p, u, d, r, t in rows]])


FIRST = register(("Nguyễn Văn An", "CD0001", "Thủ Dầu Một", "05/01/2022", "20/02/2022"),
                 ("Trần Thị Bình", "CD0001", "Thủ Dầu Một", "10/03/2022", ""),
                 ("Lê Văn Cường", "CD0002", "Thủ Dầu Một", "11/04/2022", "01/06/2022"))
# The corrected report for the same district and year: a name fixed, one person dropped, one added.
CORRECTED = register(("Nguyễn Văn Ân", "CD0001", "Thủ Dầu Một", "05/01/2022", "20/02/2022"),
                     ("Lê Văn Cường", "CD0002", "Thủ Dầu Một", "11/04/2022", "01/06/2022"),
                     ("Phạm Thu Dung", "CD0002", "Thủ Dầu Một", "12/05/2022", ""),
                     ("Võ Thành Em", "CD0001", "Thủ Dầu Một", "13/05/2022", ""))
OTHER_DISTRICT = register(("Đỗ Thị Giang", "CD2229", "Dĩ An", "07/07/2022", ""))


def load(store, *files: tuple[str, bytes], **kwargs):
    return pipeline.load(list(files), store, KEY, "test", today=TODAY, **kwargs)


def counts(location) -> dict[str, int]:
    con = db.connect(str(location))
    try:
        row = queries.funnel(con, YEAR_2022).iloc[0]
        return {stage: int(row[stage]) for stage in ("referred", "trained", "admitted", "official")}
    finally:
        con.close()


def test_a_load_writes_a_new_snapshot_and_switches_to_it(store):
    plan, snapshot = load(store, ("first.csv", FIRST))
    assert plan.ok and snapshot and store.current() == snapshot
    assert counts(store.link) == {"referred": 3, "trained": 2, "admitted": 0, "official": 0}
    assert [s["id"] for s in store.list()] == ["sample", snapshot]
    assert sorted(p.name for p in store.link.glob("*.parquet")) == sorted(f"{t}.parquet" for t in db.CURATED_TABLES)
    assert pq.read_table(store.link / "unions.parquet").num_rows == pq.read_table(
        store.snapshots / "sample" / "unions.parquet").num_rows


def test_loading_the_same_file_twice_changes_nothing(store):
    _, first = load(store, ("first.csv", FIRST))
    plan, second = load(store, ("again.csv", FIRST))
    assert second is None and store.current() == first and len(store.list()) == 2
    assert plan.files[0].status == pipeline.ALREADY
    assert [r["action"] for r in audit.read(store.audit_log)] == ["load", "no_change"]


def test_a_corrected_report_replaces_the_earlier_one(store):
    load(store, ("first.csv", FIRST), ("other.csv", OTHER_DISTRICT))
    plan, _ = load(store, ("corrected.csv", CORRECTED))
    assert [p.code for p in plan.files[0].problems] == ["replaces"]
    assert counts(store.link) == {"referred": 5, "trained": 2, "admitted": 0, "official": 0}  # 4 + Dĩ An's 1
    candidates = pq.read_table(store.link / "candidates.parquet").to_pandas()
    assert sorted(candidates.candidate_key) == sorted(
        candidate_key(name, KEY) for name in ("Nguyễn Văn Ân", "Lê Văn Cường", "Phạm Thu Dung", "Võ Thành Em",
                                              "Đỗ Thị Giang"))
    manifest = json.loads((store.link / "manifest.json").read_text())
    assert len(manifest["batches"]) == 2  # the first report is gone entirely, Dĩ An's stays


def test_the_same_person_in_another_report_is_a_duplicate(store):
    load(store, ("first.csv", FIRST))
    clash = register(("nguyễn văn  an", "CD2229", "Dĩ An", "01/02/2023", ""))
    plan, snapshot = load(store, ("clash.csv", clash))
    assert snapshot is None and not plan.ok
    assert [(p.code, p.row) for p in plan.files[0].problems] == [("duplicate_in_curated", 2)]


def test_a_file_with_an_error_changes_nothing_even_next_to_good_files(store):
    bad = register(("X", "CD0001", "Thủ Dầu Một", "31/02/2022", ""))
    plan, snapshot = load(store, ("good.csv", FIRST), ("bad.csv", bad))
    assert snapshot is None and store.current() == "sample"
    assert [f.status for f in plan.files] == [pipeline.LOADED, pipeline.REFUSED]
    record = audit.read(store.audit_log)[-1]
    assert record["action"] == "refused" and record["files"][1]["rows_rejected"] == 1


def test_dry_run_writes_nothing(store):
    plan, snapshot = load(store, ("first.csv", FIRST), dry_run=True)
    assert plan.changes and snapshot is None and store.current() == "sample" and not store.audit_log.exists()


def test_rollback_and_audit_without_personal_data(store):
    sample_counts = counts(store.link)
    _, first = load(store, ("first.csv", FIRST))
    _, second = load(store, ("corrected.csv", CORRECTED))
    pipeline.rollback(store, first, "analyst")
    assert store.current() == first and counts(store.link)["referred"] == 3
    pipeline.rollback(store, "sample", "analyst")
    assert counts(store.link) == sample_counts
    with pytest.raises(SnapshotError):
        pipeline.rollback(store, "../sample", "analyst")
    log = store.audit_log.read_text(encoding="utf-8")
    assert [r["action"] for r in audit.read(store.audit_log)] == ["load", "load", "rollback", "rollback"]
    assert "Nguyễn" not in log and "first.csv" not in log and second in log
    everything = b"".join(p.read_bytes() for p in store.snapshots.rglob("*") if p.is_file())
    assert "Nguyễn".encode() not in everything and "Cường".encode() not in everything


def test_membership_and_targets_replace_rows_with_the_same_key(store):
    header = ["Năm", "Huyện", "Khu vực doanh nghiệp", "Số đoàn viên công đoàn", "Số công nhân lao động"]
    membership = csv_bytes([header, ["2022", "TX. Dĩ An", "FDI", "1.000", "2.000"],
                            ["2022", "Dĩ An", "Nhà nước", "10", "20"]])
    plan, snapshot = load(store, ("m.csv", membership))  # on top of the sample: a register must come first
    assert snapshot is None and [p.code for p in plan.files[0].problems] == ["no_candidates"]
    load(store, ("first.csv", FIRST), ("m.csv", membership))
    load(store, ("m2.csv", csv_bytes([header, ["2022", "Di An", "fdi", "1.500", "2.500"]])))
    membership = pq.read_table(store.link / "membership.parquet").to_pylist()
    assert sorted((m["sector"], m["union_members"]) for m in membership) == [("fdi", 1500), ("state", 10)]
    targets = csv_bytes([["Năm", "Huyện", "Chỉ tiêu giới thiệu", "Chỉ tiêu học lớp cảm tình đảng"],
                         ["2022", "Dĩ An", "50", "20"]])
    load(store, ("t.csv", targets))
    assert sorted((t["stage"], t["target"]) for t in pq.read_table(store.link / "targets.parquet").to_pylist()) == [
        ("referred", 50), ("trained", 20)]


def test_ingest_refuses_to_run_without_a_secret():
    with pytest.raises(MissingKeyError, match="PARTY_FUNNEL_PSEUDONYM_KEY"):
        secret_key({})
    with pytest.raises(MissingKeyError):
        secret_key({"PARTY_FUNNEL_PSEUDONYM_KEY": "short"})
    assert secret_key({}, {"PARTY_FUNNEL_PSEUDONYM_KEY": "k" * 16}) == b"k" * 16


# The writer is killed while it writes the snapshot ("tables"), or after the snapshot is complete but
# before the switch ("switch"). Either way the old snapshot stays current and readable, and the next load works.
_KILLED_WRITER = """
import sys, time
from pathlib import Path
from analytics.ingest import store as store_module
from analytics.ingest.store import Store

store, mode = Store(Path(sys.argv[1])), sys.argv[2]
tables = store.read(store.current())
if mode == "tables":
    real = store_module.pq.write_table
    def write_table(*args, **kwargs):
        real(*args, **kwargs)
        print("wrote", flush=True)
        time.sleep(60)
    store_module.pq.write_table = write_table
with store.lock():
    snapshot = store.write(tables, {"source": "ingest", "batches": []})
    print("written", flush=True)
    time.sleep(60)
    store.switch(snapshot)
"""


@pytest.mark.parametrize("mode", ["tables", "switch"])
def test_a_writer_killed_mid_write_leaves_the_previous_snapshot(store, mode):
    _, before = load(store, ("first.csv", FIRST))
    expected = counts(store.link)
    writer = subprocess.Popen([sys.executable, "-c", _KILLED_WRITER, str(store.root), mode], cwd=REPO_ROOT,
                              stdout=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert writer.stdout.readline().strip() in ("wrote", "written")
    writer.send_signal(signal.SIGKILL)
    writer.wait(timeout=30)
    assert store.current() == before and counts(store.link) == expected
    assert [s["id"] for s in store.list()][:2] == ["sample", before]
    if mode == "tables":
        assert any(p.name.startswith(".tmp-") for p in store.snapshots.iterdir())  # the half-written folder
    _, after = load(store, ("corrected.csv", CORRECTED))  # the lock was released with the killed process
    assert store.current() == after and not any(p.name.startswith(".tmp-") for p in store.snapshots.iterdir())


def test_readers_see_one_whole_snapshot_while_the_link_flips(store):
    _, loaded = load(store, ("first.csv", FIRST))
    sizes = {"sample": pq.read_metadata(store.snapshots / "sample" / "candidates.parquet").num_rows, loaded: 3}
    stop = threading.Event()

    def flip():
        while not stop.is_set():
            for snapshot in ("sample", loaded):
                store.switch(snapshot)

    flipper = threading.Thread(target=flip)
    flipper.start()
    try:
        seen = []
        for _ in range(8):
            con = db.connect(str(store.link))
            source = con.sql("SELECT source FROM manifest").fetchall()[0][0]
            rows = con.sql("SELECT count(*) FROM candidates").fetchall()[0][0]
            seen.append((source, rows))
            con.close()
    finally:
        stop.set()
        flipper.join()
    assert all(rows == (sizes["sample"] if source == "sample" else sizes[loaded]) for source, rows in seen), seen


def test_the_repository_link_shows_one_whole_snapshot():
    from analytics.config import DATA_DIR, DEFAULT_CURATED_DIR

    folder = db.resolve(str(DEFAULT_CURATED_DIR))
    assert os.path.dirname(folder) == str((DATA_DIR / "snapshots").resolve())
    assert {p for p in os.listdir(folder) if not p.startswith(".")} >= {f"{t}.parquet" for t in db.CURATED_TABLES}


UNIONS_HEADER = ["Mã CĐCS", "Tên công đoàn cơ sở", "Huyện, thị xã, thành phố", "Khu vực doanh nghiệp",
                 "Khu công nghiệp"]


def test_a_union_list_then_a_register_naming_its_unions(store):
    unions = csv_bytes([UNIONS_HEADER, ["LD-001", "CĐCS Công ty TNHH Giày Mới", "Dĩ An", "FDI", "KCN Sóng Thần 2"],
                        ["LD-002", "CĐCS Trường Tiểu học Mới", "Bến Cát", "Nhà nước", ""]])
    new_union = register(("Hồ Văn Mới", "cong ty tnhh giay moi", "Dĩ An", "01/03/2023", ""))
    plan, snapshot = load(store, ("new.csv", new_union))
    assert [p.code for p in plan.files[0].problems] == ["unknown_union"] and snapshot is None
    plan, snapshot = load(store, ("unions.csv", unions), ("new.csv", new_union))
    assert plan.ok and snapshot, plan.report().to_string()
    rows = {u["union_id"]: u for u in pq.read_table(store.link / "unions.parquet").to_pylist()}
    assert rows["LD-001"]["reporting_unit"] == "industrial_zones" and rows["LD-002"]["sector"] == "state"
    assert "CD0001" in rows  # the union list is extended, not replaced
    candidates = pq.read_table(store.link / "candidates.parquet").to_pylist()
    assert [(c["union_id"], c["sector"]) for c in candidates] == [("LD-001", "fdi")]
    con = db.connect(str(store.link))
    by_zone = queries.funnel(con, Filter(Month(2023, 1), Month(2023, 12)), "industrial_zone")
    assert by_zone.set_index("key").loc["KCN Sóng Thần 2", "referred"] == 1
    con.close()


def test_an_older_file_sent_again_after_a_newer_one_is_not_a_no_op(store):
    load(store, ("first.csv", FIRST))
    header = ["Năm", "Huyện", "Khu vực doanh nghiệp", "Số đoàn viên công đoàn", "Số công nhân lao động"]
    old, new = (csv_bytes([header, ["2022", "Dĩ An", "FDI", members, "9.000"]]) for members in ("1.000", "2.000"))
    _, first = load(store, ("old.csv", old))
    _, second = load(store, ("new.csv", new))
    plan, third = load(store, ("old.csv", old))
    assert first and second and third and plan.files[0].status == pipeline.LOADED
    assert pq.read_table(store.link / "membership.parquet")["union_members"].to_pylist() == [1000]
    plan, fourth = load(store, ("old.csv", old))
    assert fourth is None and plan.files[0].status == pipeline.ALREADY


def test_a_corrected_report_without_a_stage_column_may_not_erase_its_dates(tmp_path):
    """A district's corrected register without "Ngày kết nạp" replaced ten rows and erased ten admissions."""
    store = make_store(tmp_path)
    rows = [register_row(f"DV{n}", "05/01/2022", "TP. Thủ Dầu Một", "CD0001", "20/02/2022", "30/09/2022")
            for n in range(10)]
    plan, snapshot = pipeline.load([("718.csv", csv_bytes([REGISTER_HEADER, *rows]))], store, KEY, "test",
                                   today=TODAY)
    assert snapshot
    without = [[cell for i, cell in enumerate(row) if i != 8] for row in [REGISTER_HEADER, *rows]]
    plan, snapshot = pipeline.load([("718-fixed.csv", csv_bytes(without))], store, KEY, "test", today=TODAY)
    assert snapshot is None
    errors = [p for p in plan.files[0].problems if p.severity == "error"]
    assert [(p.code, p.params["rows"]) for p in errors] == [("stage_column_absent", 10)]
    assert "Ngày kết nạp" in errors[0].text(0)
