"""`python -m analytics funnel`: output shapes and one-line errors with exit code 2."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
import sys

import pytest

from analytics.__main__ import main
from analytics.config import REPO_ROOT


def run(capsys, *args):
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_without_breakdown_is_one_object_of_stage_counts(capsys, fixture_dir):
    code, out, _ = run(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--data", str(fixture_dir),
                       "--format", "json")
    assert code == 0
    assert json.loads(out) == {"referred": 5, "trained": 3, "admitted": 2, "official": 0}


def test_rates_on_request(capsys, fixture_dir):
    code, out, _ = run(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--data", str(fixture_dir),
                       "--format", "json", "--rates")
    result = json.loads(out)
    assert (result["referred"], result["admitted_overall_rate"]) == (5, pytest.approx(0.4))
    assert result["referred_per_1000_members"] == pytest.approx(12.5)


def test_json_with_breakdown_is_a_list_carrying_the_group_key(capsys, fixture_dir):
    code, out, _ = run(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--data", str(fixture_dir),
                       "--by", "district", "--format", "json", "--lang", "en")
    rows = {row["district"]: row for row in json.loads(out)}
    assert code == 0
    assert (rows["718"]["label"], rows["718"]["referred"], rows["724"]["referred"]) == ("Thu Dau Mot", 1, 4)


def test_cohort_with_window_as_csv(capsys, fixture_dir):
    code, out, _ = run(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--data", str(fixture_dir),
                       "--mode", "cohort", "--window-days", "300", "--format", "csv")
    (row,) = list(csv.DictReader(io.StringIO(out)))
    assert code == 0
    assert (row["referred"], row["trained"], row["admitted"], row["immature"]) == ("5", "4", "2", "False")


def test_table_uses_the_language_number_format(capsys, fixture_dir):
    code, out, _ = run(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--data", str(fixture_dir),
                       "--format", "table", "--lang", "vi", "--rates")
    assert code == 0
    assert "66,7%" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--from", "2022-01", "--to", "2022-09", "--district", "999"], "unknown district '999'"),
        (["--from", "2022-10", "--to", "2022-09"], "after"),
        (["--from", "2022-1", "--to", "2022-09"], "not a month"),
        (["--from", "2022-01", "--to", "2022/09"], "not a month"),
        (["--from", "2022-01", "--to", "2022-09", "--sector", "private"], "unknown sector"),
        (["--from", "2022-01", "--to", "2022-09", "--mode", "funnel"], "invalid choice"),
        (["--from", "2022-01"], "required"),
        (["--from", "2022-01", "--to", "2022-09", "--limit", "5"], "--limit needs --by"),
        (["--from", "2022-01", "--to", "2022-09", "--by", "month", "--limit", "5"], "not by time"),
        (["--from", "2022-01", "--to", "2022-09", "--by", "union", "--limit", "0"], "from 1 to"),
        (["--from", "2022-01", "--to", "2022-09", "--by", "union", "--limit", "9999999999999999999"], "from 1 to"),
        (["--from", "2022-01", "--to", "2022-09", "--mode", "cohort", "--window-days", "99999999999"], "0 to 3650"),
        (["--from", "2022-01", "--to", "2022-09", "--as-user", ""], "--as-user is empty"),
        (["--from", "2022-01", "--to", "2022-09", "--as-user", " "], "--as-user is empty"),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(capsys, fixture_dir, args, message):
    code, out, err = run(capsys, "funnel", *args, "--data", str(fixture_dir))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err


@pytest.mark.parametrize(("args", "message"), [
    (["targets", "--year", "0"], "--year 0 is not a year"),
    (["targets", "--year", "99999999999999999999"], "is not a year"),
    (["targets", "--year", "2022", "--as-of", "2022-02-30"], "is not a day"),
    (["funnel", "--from", "2022-01", "--to", "2022-09", "--format", "csv", "--output", "{missing}/x.csv"],
     "cannot write"),
    (["funnel", "--from", "2022-01", "--to", "2022-09", "--format", "csv", "--output", "{tmp}"], "cannot write"),
    (["report", "--from", "2022-01", "--to", "2022-09", "--out", "{missing}/r.docx"], "cannot write"),
])
def test_bad_values_of_other_commands_give_one_line_and_exit_2(capsys, fixture_dir, tmp_path, args, message):
    args = [a.format(missing=tmp_path / "missing", tmp=tmp_path) for a in args]
    code, out, err = run(capsys, *args, "--data", str(fixture_dir))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err


def test_aggregate_refuses_a_folder_that_is_not_there(capsys, tmp_path):
    code, _, err = run(capsys, "aggregate", "--data", str(tmp_path / "typo"))
    assert code == 2 and err.startswith("error: there is no folder")


def test_the_module_runs_as_a_program_on_the_shipped_sample():
    result = subprocess.run(
        [sys.executable, "-m", "analytics", "funnel", "--from", "2022-01", "--to", "2022-09", "--format", "json"],
        capture_output=True, text=True, cwd=REPO_ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert (figures["referred"], figures["trained"], figures["admitted"]) == (2339, 1220, 251)


def test_aggregate_persists_next_to_a_local_folder(capsys, fixture_dir, tmp_path):
    folder = shutil.copytree(fixture_dir, tmp_path / "curated")
    code, out, _ = run(capsys, "aggregate", "--data", str(folder))
    assert code == 0 and "agg_period:" in out
    assert (folder / "aggregates" / "fingerprint.json").exists()
    code, out, _ = run(capsys, "funnel", "--from", "2022-01", "--to", "2022-09", "--data", str(folder),
                       "--format", "json")
    assert json.loads(out)["referred"] == 5


def test_aggregate_refuses_a_remote_location(capsys):
    code, _, err = run(capsys, "aggregate", "--data", "s3://bucket/curated")
    assert code == 2 and err.startswith("error:") and "local snapshot folder" in err
