"""The declared model (analytics/model.toml): complete for every measure, and refused when inconsistent."""

from __future__ import annotations

import re
import subprocess

import pytest

from analytics import model
from analytics.config import REPO_ROOT


@pytest.mark.parametrize("key", list(model.measures()))
@pytest.mark.parametrize("mode", list(model.MODES))
def test_every_measure_has_both_labels_a_definition_and_a_format(key, mode):
    measure = model.measures()[key]
    for lang in model.LANGUAGES:
        assert measure.label(lang, mode).strip()
        assert len(measure.definition(lang, mode).split()) >= 5  # a sentence, not the label again
        assert measure.definition(lang, mode) != measure.label(lang, mode)
    assert measure.format in model.FORMATS and measure.kind in model.KINDS
    assert measure.suppress in model.SUPPRESSION_RULES
    if measure.kind != "count":
        assert {measure.numerator, measure.denominator} <= {*model.stage_keys(), *model.INPUTS}


def test_period_ratios_are_not_called_conversions_and_cohort_ones_are():
    for measure in model.measures().values():
        if measure.kind != "ratio" or measure.denominator not in model.stage_keys():
            continue
        period, cohort = measure.definition("en", "period"), measure.definition("en", "cohort")
        assert "not a conversion" in period and "share" in cohort, measure.key
        assert "không phải tỷ lệ chuyển đổi" in measure.definition("vi", "period"), measure.key


def test_lookups_follow_the_declaration_not_names():
    referred, trained = model.stage_keys()[:2]
    step = model.ratio(trained, referred)
    assert (step.numerator, step.denominator) == (trained, referred)
    assert model.ratio(referred, trained) is None
    assert [m.key for m in model.shown_in("card", referred)] == [
        m.key for m in model.measures().values() if "card" in m.shown_in and m.numerator == referred]
    assert min(a.threshold for a in model.AUDIENCES.values()) >= 2 and model.MIN_GROUP > 0


def _load_with(tmp_path, old: str, new: str) -> None:
    text = model.DECLARATION.read_text(encoding="utf-8")
    assert old in text
    broken = tmp_path / "model.toml"
    broken.write_text(text.replace(old, new, 1), encoding="utf-8")
    model._load(broken)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('denominator = "referred"\nformat = "percent"', 'denominator = "referals"\nformat = "percent"',
         "measures.trained_step_rate"),
        ('label = { vi = "Giới thiệu", en = "Referred" }\ndefinition.vi',
         'label = { vi = "Giới thiệu" }\ndefinition.vi', "measures.referred.label"),
        ('format = "decimal"', 'format = "permille"', "measures.referred_per_1000_members.format"),
        ('colour = "#0072b2"', 'colour = "blue"', "stages.referred"),
        ('note = { vi = "đạt {value} chỉ tiêu năm", en = "{value} of the yearly target" }',
         'note = { vi = "đạt chỉ tiêu năm", en = "of the yearly target" }', "note"),
        ('column = "district_code"', 'column = "district_code; DROP TABLE x"', "dimensions.district.column"),
        ('maturity_stage = "admitted"', 'maturity_stage = "elected"', "cohort.maturity_stage"),
    ],
)
def test_a_broken_declaration_is_refused_naming_the_entry(tmp_path, old, new, message):
    with pytest.raises(model.ModelError, match=re.escape(message)):
        _load_with(tmp_path, old, new)


def _grep(pattern: str) -> list[str]:
    found = subprocess.run(["git", "grep", "-n", "-E", pattern, "--", "*.py"], cwd=REPO_ROOT,
                           capture_output=True, text=True).stdout
    return [line for line in found.splitlines() if not line.startswith("tests/")]


def test_stage_columns_colours_and_the_threshold_are_declared_in_one_place():
    assert _grep(r"\b(trained|admitted|official)_on\b") == []  # date columns: only in model.toml
    for stage in model.stages():  # a stage's colour is read from the model, never written in code
        assert _grep(stage.colour) == [] and _grep(stage.colour.upper()) == [], stage.key
    assert _grep(r"_step_rate|_overall_rate|_target_progress") == []  # no measure found by its name
