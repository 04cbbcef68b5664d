"""Every command the README shows for ``python -m analytics`` runs, as written, and succeeds.

Placeholders (a report file, a snapshot id, a folder) become real ones in a private store; the benchmark
and load test keep their commands but run at test size (their full runs take minutes and are measured by
hand, see the README's "Speed at national scale"). The sample and templates commands rewrite files of
the repository: they must come out byte-identical.
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analytics.config import REPO_ROOT, SAMPLE_SNAPSHOT_DIR, TEMPLATES_DIR
from tests.fixtures import write_fixture
from tests.ingest.conftest import KEY, REGISTER_HEADER, csv_bytes, make_store, xlsx_bytes
from tests.s3 import BUCKET, moto_server

pytestmark = pytest.mark.browser  # the load test command drives Chromium

README = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
#: The benchmark and load test at test size, appended to the README's own arguments (later ones win).
TEST_SIZE = {
    "bench": ["--rows", "20000", "--refreshes", "2", "--no-browser"],
    "loadtest": ["--sessions", "2", "--browsers", "1", "--seconds", "6", "--ramp", "0.5", "--think", "0.2",
                 "--max-changes", "4", "--data", str(SAMPLE_SNAPSHOT_DIR)],
}


def readme_commands() -> list[str]:
    """The ``python -m analytics`` lines of the README (after any ``NAME=value`` settings), comments removed."""
    lines = [line.split("  #")[0].strip() for line in README.splitlines()]
    return list(dict.fromkeys(line for line in lines
                              if re.match(r"^([A-Z_]+=\S+ )*python -m analytics ", line)))


def _settings(command: str) -> tuple[dict[str, str], str]:
    """The command's leading ``NAME=value`` settings (a path in the repository made absolute) and the rest."""
    settings = {}
    while match := re.match(r"^([A-Z_]+)=(\S+) ", command):
        value = match.group(2)
        settings[match.group(1)] = str(REPO_ROOT / value) if (REPO_ROOT / value).exists() else value
        command = command[match.end():]
    return settings, command


def test_the_readme_shows_the_commands_of_every_subcommand():
    shown = {shlex.split(_settings(line)[1])[3] for line in readme_commands()}
    help_text = subprocess.run([sys.executable, "-m", "analytics", "--help"], capture_output=True, text=True,
                               cwd=REPO_ROOT).stdout
    offered = set(re.search(r"\{([a-z,-]+)\}", help_text).group(1).split(","))
    assert offered <= shown


def _digests(*folders: Path) -> dict[str, str]:
    return {str(p): hashlib.sha256(p.read_bytes()).hexdigest()
            for folder in folders for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def place(tmp_path: Path) -> dict:
    """A private store (a copy of the sample), reports to load, a roles file and the folders the
    commands' placeholders stand for."""
    store = make_store(tmp_path / "data")
    (tmp_path / "report.xlsx").write_bytes(xlsx_bytes([
        REGISTER_HEADER,
        ["DV-1", "CD0001", "TP. Thủ Dầu Một", "", "Nam", "1990", "05/01/2022", "20/02/2022", "", ""],
        ["DV-2", "CD0001", "Thủ Dầu Một", "", "Nữ", "1991", "06/01/2022", "", "", ""],
    ]))
    (tmp_path / "more.csv").write_bytes(csv_bytes([
        ["Năm", "Huyện, thị xã, thành phố", "Khu vực doanh nghiệp", "Số đoàn viên công đoàn", "Số công nhân lao động"],
        ["2022", "Thủ Dầu Một", "Nhà nước", "1.200", "2.000"],
    ]))
    units = [["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp", "Mã đơn vị cấp trên", "Hiệu lực từ ngày"],
             ["BD37", "Tân Lập", "phường", "xã", "79", "01/01/2026"]]
    (tmp_path / "units.xlsx").write_bytes(xlsx_bytes(units))
    (tmp_path / "crosswalk.xlsx").write_bytes(xlsx_bytes([["Mã đơn vị mới", "Mã huyện cũ"], ["BD37", "724"]]))
    union = next(u for u in store.read("sample")["union_units"].to_pylist() if u["unit_code"] == "BD02")
    (tmp_path / "register-2026.xlsx").write_bytes(xlsx_bytes([
        REGISTER_HEADER, ["DV-9", union["union_id"], "Phường Dĩ An", "", "Nữ", "1996", "15/08/2026", "", "", ""]]))
    return {"tmp": tmp_path, "store": store, "aggregate": write_fixture(tmp_path / "fixture")}


def _argv(command: str, place: dict) -> list[str]:
    argv = shlex.split(command)[3:]
    tmp = place["tmp"]
    files = ("hoi-nghi.pptx", "bao-cao.docx", "hinh.zip", "report.xlsx", "more.csv", "units.xlsx", "crosswalk.xlsx",
             "register-2026.xlsx")
    names = {"ID": "sample", "DIR": str(place["aggregate"]), **{name: str(tmp / name) for name in files}}
    argv = [names.get(arg, arg) for arg in argv]
    # A file of the repository (config/roles.example.toml) as the reader, in the repository's root, names it.
    argv = [str(REPO_ROOT / arg) if "/" in arg and (REPO_ROOT / arg).is_file() else arg for arg in argv]
    if argv[0] in TEST_SIZE:
        argv += [*TEST_SIZE[argv[0]], "--out", str(tmp / f"{argv[0]}.json")]
    return argv


def test_every_readme_command_runs(place):
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "PARTY_FUNNEL_STORE": str(place["store"].root),
           "PARTY_FUNNEL_PSEUDONYM_KEY": KEY.decode(),
           "PARTY_FUNNEL_DATA": str(SAMPLE_SNAPSHOT_DIR)}
    before = _digests(SAMPLE_SNAPSHOT_DIR, TEMPLATES_DIR)
    ran = []
    with moto_server(str(place["tmp"] / "cache")) as (s3, object_store):  # what `publish --to s3://…` writes to
        for line in readme_commands():
            settings, command = _settings(line)
            argv = _argv(command, place)
            result = subprocess.run([sys.executable, "-m", "analytics", *argv], capture_output=True, text=True,
                                    cwd=place["tmp"], env={**env, **object_store, **settings}, timeout=600)
            assert result.returncode == 0, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            ran.append(argv[0])
        assert s3.cat_file(f"{BUCKET}/prod/CURRENT") == b"sample"  # published, then rolled back to the sample
    assert _digests(SAMPLE_SNAPSHOT_DIR, TEMPLATES_DIR) == before  # rebuilt byte for byte
    for written in ("hoi-nghi.pptx", "bao-cao.docx", "hinh.zip"):
        assert (place["tmp"] / written).stat().st_size > 10_000, written
    snapshots = place["store"].list()  # loaded, rolled back, then the units, crosswalk and 2026 register loaded
    assert len(snapshots) == 3 and snapshots[-1]["current"]
    assert place["store"].read(snapshots[-1]["id"])["candidates"]["unit_code"].to_pylist() == ["BD02"]
    assert {"funnel", "deck", "report", "pictures", "sample", "ingest", "snapshots", "rollback", "templates",
            "aggregate", "bench", "loadtest", "publish", "prune"} <= set(ran)
    shutil.rmtree(REPO_ROOT / "bench-results" / "data-20000-seed1", ignore_errors=True)
