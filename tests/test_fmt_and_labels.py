"""Numbers in each language's format, and every label present in Vietnamese and English."""

from __future__ import annotations

import pytest

from analytics import fmt, model
from analytics.filters import Filter, Month
from analytics.i18n import TEXT
from analytics.periods import PRESETS


@pytest.mark.parametrize(
    ("lang", "count", "rate"), [("vi", "2.339", "10,7%"), ("en", "2,339", "10.7%")]
)
def test_numbers_in_each_language(lang, count, rate):
    assert fmt.number(2339, lang) == count
    assert fmt.percent(251 / 2339, lang) == rate


def test_signed_changes_and_missing_values():
    assert fmt.percent(0.052, "vi", signed=True) == "+5,2%"
    assert fmt.percent(-0.052, "en", signed=True) == "-5.2%"
    assert fmt.percent(float("nan"), "vi") == fmt.MISSING
    assert fmt.number(1234567.891, "vi", 2) == "1.234.567,89"


def test_periods_in_words():
    flt = Filter(Month(2022, 1), Month(2022, 9))
    assert fmt.period(flt, "vi") == "01/2022–09/2022"
    assert fmt.period(flt, "en") == "Jan 2022–Sep 2022"


def _labelled():
    for stage in model.stages():
        yield f"stage {stage.key}", stage.name
        yield f"stage {stage.key} short", stage.short
    for sector in model.sectors():
        yield f"sector {sector.key}", sector.name
    for key, dimension in model.DIMENSIONS.items():
        yield f"dimension {key}", dimension.label
        for value, label in dimension.values.items():
            yield f"{key}={value}", label
    for key, mode in model.MODES.items():
        yield f"mode {key}", mode.label
        yield f"mode {key} definition", mode.definition
    yield from ((f"preset {k}", v) for k, v in PRESETS.items())
    yield from ((f"text {k}", v) for k, v in TEXT.items())


@pytest.mark.parametrize(("what", "label"), list(_labelled()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_label_exists_in_both_languages(what, label):
    assert set(label) == set(model.LANGUAGES), what
    assert all(text.strip() for text in label.values()), what


@pytest.mark.parametrize("lang", model.LANGUAGES)
def test_a_value_is_written_as_its_measure_declares(lang):
    measures = model.measures()
    assert fmt.measure(2339, measures["referred"], lang) == fmt.number(2339, lang)
    assert fmt.measure(float("nan"), measures["referred"], lang) == fmt.SUPPRESSED
    assert fmt.measure(0.5216, measures["trained_step_rate"], lang) == fmt.percent(0.5216, lang)
    assert fmt.measure(2.9926, measures["referred_per_1000_members"], lang) == ("2,99" if lang == "vi" else "2.99")
