"""`python -m analytics ingest|snapshots|rollback|templates`: reports, exit codes, the secret."""

from __future__ import annotations

import csv

import pytest

from analytics.__main__ import main
from analytics.ingest import cli as ingest_cli
from analytics.ingest.pseudonymise import KEY_ENV
from analytics.ingest.schema import KINDS
from tests.ingest.conftest import KEY, REGISTER_HEADER, csv_bytes

GOOD = ["DV-1", "CD0001", "Thủ Dầu Một", "", "Nam", "1990", "05/01/2022", "", "", ""]
BAD = ["DV-2", "CD0001", "Thủ Dầu Một", "", "Nam", "1990", "5/13/2022", "", "", ""]


@pytest.fixture
def files(tmp_path, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_bytes(csv_bytes([REGISTER_HEADER, GOOD]))
    bad.write_bytes(csv_bytes([REGISTER_HEADER, GOOD, BAD]))
    return good, bad


def run(capsys, *args):
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_dry_run_prints_the_report_and_fails_on_errors(capsys, store, files, tmp_path):
    _, bad = files
    code, out, _ = run(capsys, "ingest", str(bad), "--dry-run", "--store", str(store.root),
                       "--report", str(tmp_path / "problems.csv"))
    assert code == 1 and "Không phải ngày hợp lệ" in out and "Not a valid date" in out
    with open(tmp_path / "problems.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["Dòng / Row"], r["Cột / Column"], r["Giá trị / Value"]) for r in rows] == [
        ("3", "G · Ngày giới thiệu", "5/13/2022")]
    assert store.current() == "sample"


def test_ingest_then_again_then_snapshots_and_rollback(capsys, store, files):
    good, _ = files
    code, out, _ = run(capsys, "ingest", str(good), "--store", str(store.root))
    snapshot = out.strip().splitlines()[-1].removeprefix("snapshot: ")
    assert code == 0 and store.current() == snapshot
    code, out, _ = run(capsys, "ingest", str(good), "--store", str(store.root))
    assert code == 0 and "already loaded" in out and store.current() == snapshot
    code, out, _ = run(capsys, "snapshots", "--store", str(store.root))
    assert code == 0 and out.splitlines()[-1].startswith(f"* {snapshot}")
    code, out, _ = run(capsys, "rollback", "sample", "--store", str(store.root))
    assert code == 0 and store.current() == "sample"
    code, _, err = run(capsys, "rollback", "nope", "--store", str(store.root))
    assert code == 2 and err.startswith("error: unknown snapshot")


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_ingest_into_a_mistyped_store_is_refused_and_creates_nothing(capsys, files, tmp_path, dry_run):
    missing = tmp_path / "mistyped"
    code, _, err = run(capsys, "ingest", str(files[0]), *dry_run, "--store", str(missing))
    assert code == 2 and f"no store at {missing}" in err
    assert not missing.exists()


def test_ingest_without_the_secret_refuses(capsys, store, files, monkeypatch):
    monkeypatch.delenv(KEY_ENV)
    code, _, err = run(capsys, "ingest", str(files[0]), "--store", str(store.root))
    assert code == 1 and KEY_ENV in err and store.current() == "sample"


def test_templates_are_written_and_read_back_as_empty_reports(capsys, tmp_path, store, monkeypatch):
    monkeypatch.setenv(KEY_ENV, KEY.decode())
    code, out, _ = run(capsys, "templates", "--out", str(tmp_path / "t"))
    assert code == 0 and len(out.split()) == 2 * len(KINDS)
    for path in sorted((tmp_path / "t").iterdir()):
        code, out, _ = run(capsys, "ingest", str(path), "--dry-run", "--store", str(store.root))
        assert code == 1 and "The file has no data rows" in out and path.stem in out, path.name


def test_shipped_templates_equal_a_fresh_build(tmp_path):
    from analytics.config import TEMPLATES_DIR
    from analytics.ingest.templates import write_templates

    for path in write_templates(tmp_path):
        assert path.read_bytes() == (TEMPLATES_DIR / path.name).read_bytes(), path.name


def test_a_store_without_the_link_is_a_clear_error(capsys, tmp_path, files):
    (tmp_path / "plain" / "curated").mkdir(parents=True)
    code, _, err = run(capsys, "ingest", str(files[0]), "--store", str(tmp_path / "plain"))
    assert code == 2 and "is not a link to a snapshot" in err


def test_a_file_larger_than_any_report_is_refused_before_it_is_read_to_the_end(capsys, store, files, monkeypatch):
    """/dev/zero was read until the process was killed."""
    monkeypatch.setattr(ingest_cli, "MAX_FILE_BYTES", 1 << 20)
    code, _, err = run(capsys, "ingest", "/dev/zero", "--dry-run", "--store", str(store.root))
    assert code == 2 and err.startswith("error: /dev/zero is larger than 1 MB")
    good, _ = files
    assert run(capsys, "ingest", str(good), "--dry-run", "--store", str(store.root))[0] == 0
