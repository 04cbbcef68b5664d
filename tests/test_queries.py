"""The query layer against the hand-checked fixture (numbers worked out in tests/fixtures.py)."""

from __future__ import annotations

from dataclasses import replace

import duckdb
import pytest

from analytics import db, queries
from analytics.filters import Filter, Month
from tests.fixtures import write_fixture

JAN_SEP_2022 = Filter(Month(2022, 1), Month(2022, 9))


def counts(frame, key="all"):
    row = frame.set_index("key").loc[key]
    return tuple(int(row[s]) for s in ("referred", "trained", "admitted", "official"))


def test_period_activity_counts_events_dated_in_the_period(fixture_con):
    assert counts(queries.funnel(fixture_con, JAN_SEP_2022)) == (5, 3, 2, 0)


def test_period_activity_by_district(fixture_con):
    frame = queries.funnel(fixture_con, JAN_SEP_2022, by="district")
    assert counts(frame, "718") == (1, 2, 2, 0)
    assert counts(frame, "724") == (4, 1, 0, 0)


def test_non_state_sectors(fixture_con):
    frame = queries.funnel(fixture_con, replace(JAN_SEP_2022, sectors=("domestic", "fdi")))
    assert counts(frame) == (4, 1, 0, 0)


def test_cohort_follows_the_people_referred_in_the_period(fixture_con):
    frame = queries.funnel(fixture_con, replace(JAN_SEP_2022, mode="cohort"))
    assert counts(frame) == (5, 4, 3, 0)
    assert bool(frame.loc[0, "immature"]) is True


@pytest.mark.parametrize(
    ("window", "expected", "immature"),
    [(60, (5, 2, 0, 0), False), (300, (5, 4, 2, 0), False), (400, (5, 4, 3, 0), True)],
)
def test_cohort_window_counts_only_stages_reached_within_n_days(fixture_con, window, expected, immature):
    frame = queries.funnel(fixture_con, replace(JAN_SEP_2022, mode="cohort", window_days=window))
    assert counts(frame) == expected
    assert bool(frame.loc[0, "immature"]) is immature


def test_an_old_cohort_is_mature(fixture_con):
    frame = queries.funnel(fixture_con, Filter(Month(2022, 1), Month(2022, 3), mode="cohort"))
    assert counts(frame) == (3, 2, 1, 0)
    assert bool(frame.loc[0, "immature"]) is False


def test_rates_are_ratios_of_summed_counts(fixture_con):
    row = queries.funnel(fixture_con, JAN_SEP_2022).iloc[0]
    assert row["trained_step_rate"] == pytest.approx(3 / 5)
    assert row["admitted_step_rate"] == pytest.approx(2 / 3)
    assert row["admitted_overall_rate"] == pytest.approx(2 / 5)
    assert row["referred_per_1000_members"] == pytest.approx(5 / 400 * 1000)
    assert row["referred_target_progress"] == pytest.approx(5 / 10)


def test_monthly_breakdown_has_every_month_even_without_events(fixture_con):
    frame = queries.funnel(fixture_con, JAN_SEP_2022, by="month")
    assert frame["key"].tolist() == [f"2022-{m:02d}" for m in range(1, 10)]
    assert frame.set_index("key").loc["2022-07", "referred"] == 0
    assert frame["referred"].sum() == 5


def test_empty_slice_returns_one_row_of_zeros(fixture_con):
    frame = queries.funnel(fixture_con, Filter(Month(2019, 1), Month(2019, 3)))
    assert counts(frame) == (0, 0, 0, 0)


def test_a_cohort_nobody_was_referred_in_is_one_row_of_zeros_not_yet_mature(fixture_con):
    frame = queries.funnel(fixture_con, Filter(Month(2019, 1), Month(2019, 3), mode="cohort"))
    assert counts(frame) == (0, 0, 0, 0)
    assert bool(frame.loc[0, "immature"]) is True
    assert frame["admitted_overall_rate"].isna().all()


def test_district_breakdown_is_labelled_with_names_and_sorted_largest_first(fixture_con):
    frame = queries.labelled_funnel(fixture_con, JAN_SEP_2022, "district", "vi")
    assert frame[["label", "referred"]].values.tolist() == [["Dĩ An", 4], ["Thủ Dầu Một", 1]]
    assert "name_vi" not in frame and "name_en" not in frame


def test_a_limited_breakdown_is_the_head_of_the_whole_one_and_counts_all_groups(fixture_con):
    whole = queries.funnel(fixture_con, JAN_SEP_2022, by="union")
    head = queries.funnel(fixture_con, JAN_SEP_2022, by="union", limit=2)
    assert head.drop(columns="groups").equals(whole.head(2))
    assert head["groups"].tolist() == [len(whole), len(whole)] and len(whole) == 3


def test_only_a_breakdown_by_group_can_be_limited(fixture_con):
    for by in (None, "month"):
        with pytest.raises(ValueError, match="can be limited"):
            queries.funnel(fixture_con, JAN_SEP_2022, by=by, limit=2)


def test_unions_outside_industrial_zones_are_a_group_of_their_own(fixture_con):
    frame = queries.labelled_funnel(fixture_con, JAN_SEP_2022, "industrial_zone", "en")
    assert dict(zip(frame["label"], frame["referred"])) == {"Sóng Thần 1": 3, "Outside industrial zones": 2}


def test_district_labels_follow_the_unit_valid_at_the_period_end(fixture_con):
    old = queries.district_names(fixture_con, Month(2019, 6).last_day).set_index("district_code")
    new = queries.district_names(fixture_con, Month(2022, 9).last_day).set_index("district_code")
    assert old.loc["724", "unit_type"] == "thị xã"
    assert new.loc["724", "unit_type"] == "thành phố"


@pytest.mark.parametrize("hostile", ["718' OR 1=1--", "718); DROP TABLE events; --", "%", "' UNION SELECT 1 --"])
def test_filter_values_are_bound_not_spliced(fixture_con, hostile):
    frame = queries.funnel(fixture_con, replace(JAN_SEP_2022, districts=(hostile,)))
    assert counts(frame) == (0, 0, 0, 0)
    assert counts(queries.funnel(fixture_con, JAN_SEP_2022)) == (5, 3, 2, 0)


def test_the_connection_cannot_read_files_outside_the_curated_folder(fixture_con, tmp_path):
    outside = write_fixture(tmp_path / "elsewhere") / "unions.parquet"
    with pytest.raises(duckdb.PermissionException, match="disabled"):
        fixture_con.sql("SELECT * FROM read_parquet($p)", params={"p": str(outside)}).fetchall()
    with pytest.raises(duckdb.PermissionException):
        fixture_con.sql("SELECT * FROM read_csv('/etc/passwd')").fetchall()


def test_the_lockdown_cannot_be_lifted(fixture_con):
    with pytest.raises(duckdb.Error, match="locked"):
        fixture_con.execute("SET enable_external_access = true")
    with pytest.raises(duckdb.Error, match="locked"):
        fixture_con.execute("SET allowed_directories = ['/']")


def test_a_symlinked_curated_folder_works_under_the_lockdown(fixture_dir, tmp_path):
    link = tmp_path / "curated"
    link.symlink_to(fixture_dir, target_is_directory=True)
    con = db.connect(str(link))
    assert queries.funnel(con, JAN_SEP_2022, by="union")["referred"].sum() == 5  # raw rows, through the view
    assert counts(queries.funnel(con, JAN_SEP_2022)) == (5, 3, 2, 0)


def test_targets_apply_to_period_activity_only(fixture_con):
    cohort = queries.funnel(fixture_con, replace(JAN_SEP_2022, mode="cohort"))
    assert "referred_target_progress" not in cohort
    assert cohort.loc[0, "referred_per_1000_members"] == pytest.approx(12.5)


@pytest.mark.parametrize(
    ("source", "sample", "synthetic"), [("sample", True, True), ("bench", False, True), ("ingest", False, False)]
)
def test_the_manifest_says_whether_data_is_generated(tmp_path, source, sample, synthetic):
    folder = write_fixture(tmp_path / "curated")
    db.write_manifest(folder, {"source": source})
    con = db.connect(str(folder))
    assert (queries.is_sample(con), queries.is_synthetic(con)) == (sample, synthetic)
