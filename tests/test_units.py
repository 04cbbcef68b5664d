"""The dashboard across the 2025 reorganisation, on the shipped sample: former districts keep their history
and, after the change, are the sum of the units mapped to them; wards and communes are a geography of their
own; access follows the same mapping; the published 2022 figures do not move."""

from __future__ import annotations

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics import access, narrative, queries
from analytics.config import SAMPLE_SNAPSHOT_DIR
from analytics.filters import Filter, Month
from tests.conftest import ROLES

STAGES = ["referred", "trained", "admitted", "official"]
AFTER = Filter(Month(2025, 7), Month(2026, 10))
ACROSS = Filter(Month(2024, 1), Month(2026, 10))


@pytest.fixture(scope="module")
def mapped(sample_con) -> dict[str, list[str]]:
    """Former district → the new units whose main district it is (read from the curated crosswalk)."""
    crosswalk = pq.read_table(SAMPLE_SNAPSHOT_DIR / "crosswalk.parquet").to_pandas()
    main = crosswalk[crosswalk["main"]]
    return main.groupby("former_code")["unit_code"].apply(sorted).to_dict()


def test_the_published_figures_are_unchanged(sample_con):
    row = queries.funnel(sample_con, Filter(Month(2022, 1), Month(2022, 9))).iloc[0]
    non_state = queries.funnel(sample_con, Filter(Month(2022, 1), Month(2022, 9), sectors=("domestic", "fdi")))
    assert (row["referred"], row["trained"], row["admitted"]) == (2339, 1220, 251)
    assert non_state.iloc[0]["trained"] == 659


def test_the_sample_runs_to_october_2026_on_the_new_units(sample_con):
    first, last = queries.data_months(sample_con)
    assert (str(first), str(last)) == ("2019-01", "2026-10")
    by_unit = queries.funnel(sample_con, AFTER, "unit")
    assert by_unit["key"].str.startswith("BD").all() and len(by_unit) == 36


@pytest.mark.parametrize("district", ["724", "720", "718", "723"])
def test_a_former_district_runs_across_the_change_and_equals_its_units_after_it(sample_con, mapped, district):
    trend = queries.funnel(sample_con, ACROSS.with_districts([district]), "month")
    assert len(trend) == 34 and (trend["referred"] > 0).all()  # no gap at 2025-07
    after = queries.funnel(sample_con, AFTER.with_districts([district]), "month").set_index("key")[STAGES]
    units = queries.funnel(sample_con, AFTER.with_units(mapped[district]), "month").set_index("key")[STAGES]
    assert after.equals(units)
    by_unit = queries.funnel(sample_con, AFTER.with_districts([district]), "unit")
    assert sorted(by_unit["key"]) == mapped[district]


def test_a_unit_filter_before_the_change_finds_nothing_and_a_district_is_not_compared_with_a_ward(sample_con):
    before = queries.funnel(sample_con, Filter(Month(2024, 1), Month(2024, 12), units=("BD02",))).iloc[0]
    assert before[STAGES].sum() == 0
    by_unit = queries.labelled_funnel(sample_con, ACROSS.with_districts(["724"]), "unit", "vi")
    labels = dict(zip(by_unit["key"], by_unit["label"]))
    assert labels["724"] == "TP. Dĩ An" and labels["BD02"] == "Phường Dĩ An"  # two units, named as such


def test_former_districts_are_named_as_such_after_the_change(sample_con):
    frame = queries.labelled_funnel(sample_con, AFTER, "district", "vi")
    assert set(frame["label"]) >= {"Dĩ An (cũ)", "Thủ Dầu Một (cũ)"}
    before = queries.labelled_funnel(sample_con, Filter(Month(2024, 1), Month(2024, 12)), "district", "vi")
    assert "Dĩ An" in set(before["label"])


def test_periods_in_one_naming_span_are_named_alike_and_the_change_starts_a_new_span(sample_con):
    """The pages keep a period's place names once per naming span: every period in a span must be named exactly
    as the span's first one, and a period ending after the change must not share a span with one ending before."""
    dates = queries.naming_dates(sample_con)
    periods = [Filter(Month(year, first), Month(year, last)) for year in range(2019, 2027)
               for first in range(1, 13) for last in range(first, 13)]
    periods += [Filter(Month(2024, 1), Month(2026, 10)), Filter(Month(2020, 1), Month(2025, 6))]
    named: dict[tuple[int, ...], narrative.Places] = {}
    for period in periods:
        for lang in ("vi", "en"):
            places = narrative.places(sample_con, period, lang)
            first = named.setdefault((*narrative.naming_span(dates, period), lang), places)
            assert (places.area, dict(places.districts)) == (first.area, dict(first.districts)), period
    assert len(named) < len(periods) / 10  # 17 spans a language for 626 periods on the sample
    span = narrative.naming_span
    assert span(dates, Filter(Month(2025, 1), Month(2025, 6))) != span(dates, Filter(Month(2025, 1), Month(2025, 7)))
    assert span(dates, Filter(Month(2022, 1), Month(2022, 9))) == span(dates, Filter(Month(2022, 3), Month(2022, 12)))


def test_membership_and_targets_follow_the_units(sample_con, mapped):
    for district in ("724", "725"):
        frame = queries.funnel(sample_con, AFTER.with_districts([district])).iloc[0]
        units = queries.funnel(sample_con, AFTER.with_units(mapped[district])).iloc[0]
        assert frame["union_members"] == units["union_members"] > 0
        assert frame["referred_target"] == units["referred_target"] > 0


BOOK = access.parse_roles(ROLES + '\n[users."phuong@example.vn"]\nrole = "district"\nunits = ["BD02"]\n')


def test_a_district_officer_sees_their_area_on_both_sides_of_the_change(sample_con, mapped):
    officer = access.principal_for(BOOK, "officer718@example.vn")
    for by in ("district", "unit", None, "month"):
        frame = access.funnel(sample_con, officer, ACROSS, by, "vi")
        mine = queries.funnel(sample_con, ACROSS.with_districts(["718"]), by)
        assert frame[STAGES].sum().tolist() == mine[STAGES].sum().tolist()
        if by == "unit":
            assert set(frame["key"]) == {"718", *mapped["718"]}


@pytest.mark.parametrize("asked", [("BD02",), ("BD02", "BD10"), ()])
def test_nothing_leaks_through_the_crosswalk(sample_con, asked):
    officer = access.principal_for(BOOK, "officer718@example.vn")  # BD02 is Dĩ An's
    frame = access.funnel(sample_con, officer, AFTER.with_units(asked), "unit", "vi")
    assert "BD02" not in set(frame["key"])
    assert set(frame["key"]) <= set(queries.funnel(sample_con, AFTER.with_districts(["718"]), "unit")["key"])


def test_a_role_naming_units_sees_only_them(sample_con):
    ward = access.principal_for(BOOK, "phuong@example.vn")
    for asked in (AFTER, AFTER.with_units(["BD03"]), AFTER.with_districts(["718"])):
        frame = access.funnel(sample_con, ward, asked, "unit", "vi")
        assert set(frame["key"]) <= {"BD02"}
    alone = queries.funnel(sample_con, AFTER.with_units(["BD02"])).iloc[0]
    assert access.funnel(sample_con, ward, AFTER, None, "vi").iloc[0]["referred"] == alone["referred"] > 0


def test_a_referral_before_the_change_is_admitted_in_its_unions_new_unit(sample_con):
    """Period activity after the change follows the union's unit on the event's date, not the referral's."""
    admitted = queries.funnel(sample_con, AFTER, "unit").set_index("key")["admitted"]
    cohort_of_2024 = queries.funnel(sample_con, Filter(Month(2024, 1), Month(2024, 12), mode="cohort"), "unit")
    assert set(cohort_of_2024["key"]) <= {"718", "719", "720", "721", "722", "723", "724", "725", "726"}
    assert admitted.sum() > 0 and (admitted.index.str.startswith("BD")).all()


def test_unit_names_carry_their_kind_and_district(sample_con):
    names = queries.unit_names(sample_con)
    ward = names[names["unit_code"] == "BD02"].iloc[0]
    assert (ward["name_vi"], ward["unit_type"], ward["district_code"], ward["level"]) == (
        "Dĩ An", "phường", "724", "commune")
    assert pd.Timestamp(queries.reform_date(sample_con)) == pd.Timestamp("2025-07-01")
