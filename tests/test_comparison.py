"""Like-for-like comparisons (analytics/comparison.py) against the hand-checked fixture and the sample.

Fixture (tests/fixtures.py, data to 2023-08-01), period activity Jan–Dec 2023 runs past the data: its
8 months with data, Jan–Aug 2023, count referred c8, trained c8, admitted c5 c6, official c1 → 1/1/2/1.
Same months of 2022 (Jan–Aug): referred c2 c3 c4 c5, trained c1 c2 c3, admitted c1 → 4/3/1/0, so
−75 %, −66.7 %, +100 %, none (nothing before). The previous 8 months (May–Dec 2022): referred c5 c6 c7,
trained c5 c6, admitted c1 c2 → 3/2/2/0, so −66.7 %, −50 %, 0 %, none.
By district: 718 (c1 c2 c8) now 1/1/0/1, previous 0/0/2/0; 724 (c3–c7) now 0/0/2/0, previous 3/2/0/0.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pandas as pd
import pytest

from analytics import access, comparison, model, output, overview
from analytics.filters import Filter, Month
from analytics.i18n import t
from tests.test_agreement import candidates, independent_counts  # noqa: F401 (a fixture)
from tests.test_cli import run

YEAR_2023 = Filter(Month(2023, 1), Month(2023, 12))
COHORT = Filter(Month(2022, 1), Month(2022, 9), mode="cohort")
STAGES = model.stage_keys()


def compared(con, flt, by, which):
    return comparison.funnel(con, access.OPERATOR, flt, by, "vi", which, access.data_end(con, access.OPERATOR))


def before_and_change(row) -> tuple[tuple, tuple]:
    change = tuple(None if pd.isna(row[f"{s}_change"]) else pytest.approx(row[f"{s}_change"]) for s in STAGES)
    return tuple(int(row[f"{s}_before"]) for s in STAGES), change


@pytest.mark.parametrize(("which", "before", "change"), [
    ("last_year", (4, 3, 1, 0), (-0.75, -2 / 3, 1.0, None)),
    ("previous", (3, 2, 2, 0), (-2 / 3, -0.5, 0.0, None)),
])
def test_a_partial_period_is_compared_on_its_months_with_data(fixture_con, which, before, change):
    row = compared(fixture_con, YEAR_2023, None, which).iloc[0]
    assert tuple(int(row[s]) for s in STAGES) == (1, 1, 2, 1)
    assert before_and_change(row) == (before, tuple(None if c is None else pytest.approx(c) for c in change))


def test_the_previous_period_by_district(fixture_con):
    rows = compared(fixture_con, YEAR_2023, "district", "previous").set_index("key")
    assert before_and_change(rows.loc["718"]) == ((0, 0, 2, 0), (None, None, pytest.approx(-1.0), None))
    assert before_and_change(rows.loc["724"]) == ((3, 2, 0, 0), (pytest.approx(-1.0), pytest.approx(-1.0), None,
                                                                 None))


def test_the_cli_prints_the_same_comparison(capsys, fixture_dir):
    code, out, _ = run(capsys, "funnel", "--from", "2023-01", "--to", "2023-12", "--data", str(fixture_dir),
                       "--by", "district", "--compare", "previous", "--format", "json")
    rows = {row["district"]: row for row in json.loads(out)}
    assert code == 0
    assert (rows["724"]["referred_before"], rows["724"]["referred_change"], rows["724"]["admitted_change"]) \
        == (3, -1.0, None)


def test_a_maturing_cohort_compares_only_its_referrals(fixture_con):
    """Cohort Jan–Sep 2022 (5/4/3/0, maturing) against Apr–Dec 2021 (c1: 1/1/1/1); with a 60-day window it
    is mature (5/2/0/0 against 1/1/0/0) and its later stages are compared."""
    maturing = compared(fixture_con, COHORT, None, "previous").iloc[0]
    assert before_and_change(maturing) == ((1, 1, 1, 1), (pytest.approx(4.0), None, None, None))
    mature = compared(fixture_con, replace(COHORT, window_days=60), None, "previous").iloc[0]
    assert before_and_change(mature) == ((1, 1, 0, 0), (pytest.approx(4.0), pytest.approx(1.0), None, None))


def test_cards_compare_a_partial_period_with_both_baselines(fixture_con):
    cards = overview.load(fixture_con, access.OPERATOR, YEAR_2023, "vi").cards()
    assert cards[0].change == "-75,0% so với cùng kỳ (8 tháng có số liệu)"
    assert "-66,7% so với kỳ trước (8 tháng có số liệu)" in cards[0].notes
    assert cards[3].change is None  # nothing last year


def test_cards_grey_a_maturing_cohorts_later_stages_with_the_reason(fixture_con):
    view = overview.load(fixture_con, access.OPERATOR, COHORT, "en")
    cards = view.cards()
    assert cards[0].compared and cards[0].change is None  # Jan–Sep 2021: no cohort to compare with
    assert [(c.change, c.compared, c.beyond_chance) for c in cards[1:]] \
        == [(t("not_compared_maturing", "en"), False, False)] * 3
    assert not any("vs previous period" in note for card in cards[1:] for note in card.notes)
    assert "+400.0% vs previous period" in cards[0].notes[-1]


def test_exports_label_and_format_the_comparison(fixture_con):
    frame = compared(fixture_con, YEAR_2023, "district", "previous")
    table = output.to_table(frame, "district", "en")
    assert "referred_change" in table and "-100.0%" in table
    assert model.column_label("trained_change", "vi") == f"{model.column_label('trained', 'vi')} – thay đổi"
    assert "baseline" in model.column_definition("admitted_before", "en")


SAMPLE_PERIOD = Filter(Month(2026, 1), Month(2026, 12))
#: The sample's data ends on 2026-10-31: ten months of 2026 have data, compared by hand-written filters.
BASELINES = {"last_year": Filter(Month(2025, 1), Month(2025, 10)), "previous": Filter(Month(2025, 3), Month(2025, 12))}


@pytest.mark.parametrize("which", comparison.BASELINES)
def test_per_district_change_agrees_with_pandas_and_the_cli(sample_con, candidates, capsys, which):  # noqa: F811
    assert access.data_end(sample_con, access.OPERATOR).isoformat() == "2026-10-31"
    frame = compared(sample_con, SAMPLE_PERIOD, "district", which).set_index("key")
    code, out, _ = run(capsys, "funnel", "--from", "2026-01", "--to", "2026-12", "--by", "district", "--compare",
                       {"last_year": "last-year", "previous": "previous"}[which], "--format", "json")
    cli = {row["district"]: row for row in json.loads(out)}
    for district in ("718", "724"):
        now = independent_counts(candidates, SAMPLE_PERIOD.with_districts([district]))
        before = independent_counts(candidates, BASELINES[which].with_districts([district]))
        for stage in STAGES:
            change = (now[stage] - before[stage]) / before[stage]
            assert frame.loc[district, f"{stage}_before"] == before[stage] == cli[district][f"{stage}_before"]
            assert frame.loc[district, f"{stage}_change"] == pytest.approx(change)
            assert cli[district][f"{stage}_change"] == pytest.approx(change)
