"""Explore's time to convert and small multiples (AppTest): every number drawn or listed is the command line's,
run as the page's reproduce box writes it; a restricted audience gets none of it."""

from __future__ import annotations

import base64
import json
import shlex

import numpy as np

from analytics import conversion, model
from analytics.__main__ import main
from tests.apps import figures, funnel_table, open_app

YEAR_2022 = {"from": "2022-01", "to": "2022-12"}


def _commands(at) -> list[list[str]]:
    lines = [line for code in at.code for line in code.value.splitlines()]
    return [shlex.split(line)[3:] for line in lines if "time-to-convert" in line]


def _run(capsys, args: list[str]) -> list[dict]:
    assert main(args) == 0
    return json.loads(capsys.readouterr().out)


def _numbers(values: list | dict) -> list[float]:
    """A trace's values; Plotly writes numeric arrays typed (base64 of the raw values)."""
    if isinstance(values, dict):
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return values


def _histogram(at) -> dict:
    return next(f for f in figures(at) if len(f["data"]) == len(model.steps()) and f["data"][0].get("width"))


def test_the_tables_and_histograms_are_the_command_lines(capsys):
    at = open_app("explore", lang="en", by="district", **YEAR_2022)
    assert not at.exception
    commands = _commands(at)
    assert [c[-2:] for c in commands] == [["json", "--histogram"], ["--format", "json"], ["--by", "district"],
                                          ["--by", "quarter"]]
    histogram, total, *tables = (_run(capsys, [*c, "--lang", "en"]) for c in commands)
    for shown, rows in zip(at.dataframe[-2:], tables, strict=True):  # by district, by referral quarter
        expected = [list(row.values())[1:] for row in rows]  # the label and the numbers, without the key
        assert shown.value.to_numpy().tolist() == expected
    figure = _histogram(at)
    for trace, step in zip(figure["data"], conversion.step_keys()):
        bins = [b for b in histogram if b["step"] == step]
        assert [b["people"] for b in bins] == _numbers(trace["y"])
        assert sum(b["people"] for b in bins) == total[0][f"{step}_people"]
    titles = [a["text"] for a in figure["layout"]["annotations"]]
    assert "n = 1,772 · median 60 · P90 127" in titles[0] and total[0]["trained_people"] == 1772


def test_a_funnel_per_district_on_one_scale(capsys):
    at = open_app("explore", by="district", **YEAR_2022)
    funnels = next(f for f in figures(at) if len(f["data"]) == 9)
    counts = _run(capsys, ["funnel", "--from", "2022-01", "--to", "2022-12", "--by", "district", "--format", "json"])
    assert [trace["x"] for trace in funnels["data"]] == [[row[s] for s in model.stage_keys()] for row in counts]
    axes = [funnels["layout"][key] for key in funnels["layout"] if key.startswith("xaxis")]
    assert len(axes) >= 9 and len({axis.get("matches") for axis in axes} - {None}) == 1  # one x scale
    assert {tuple(axis["range"]) for axis in axes} == {(0, 1.3 * max(row["referred"] for row in counts))}


def test_the_public_gets_a_note_and_no_time_to_convert(capsys):
    at = open_app("explore", lang="en", by="district", audience="public", district="720", **YEAR_2022)
    assert not at.exception
    assert any("not shown to a restricted audience" in info.value for info in at.info)
    assert not _commands(at)
    assert at.dataframe[-1].value.equals(funnel_table(at, "en").value)  # no time-to-convert table after it
    assert all(not f["data"][0].get("width") for f in figures(at))  # no histogram
    assert main(["time-to-convert", "--from", "2022-01", "--to", "2022-12", "--audience", "public"]) == 2
    assert "restricted audience" in capsys.readouterr().err
