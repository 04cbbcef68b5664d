"""The pre-aggregated tables give exactly the raw tables' answers, and stale ones are never used."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace

import pandas as pd
import pyarrow.parquet as pq
import pytest

from analytics import aggregates, db, labels, model, queries
from analytics.config import DEFAULT_CURATED_DIR
from analytics.filters import Filter, Month
from tests.test_agreement import PUBLISHED, _random_filter

BREAKDOWNS = [None, *model.DIMENSIONS]


def _random_case(seed: int) -> tuple[Filter, str | None]:
    rng = random.Random(seed)
    flt = _random_filter(rng)
    if flt.mode == "cohort" and flt.window_days is not None:
        # steps of agg_cohort_late (incl. beyond every lag), whole buckets of agg_cohort_lag, odd windows
        flt = replace(flt, window_days=rng.choice([0, 30, 60, 90, 180, 365, 730, 3650, 45, 395, 47, 401]))
    return flt, rng.choice(BREAKDOWNS)


@pytest.fixture(scope="module")
def persisted_con(tmp_path_factory):
    """The sample with its aggregates persisted as Parquet (read through views, as at national scale)."""
    folder = tmp_path_factory.mktemp("persisted") / "curated"
    shutil.copytree(DEFAULT_CURATED_DIR, folder, ignore=shutil.ignore_patterns(aggregates.FOLDER))
    db.build_aggregates(str(folder))
    con = db.connect(str(folder))
    assert aggregates.is_current(con, str(folder), db.inputs(str(folder)))
    yield con
    con.close()


@pytest.mark.parametrize("persisted", [False, True], ids=["built", "persisted"])
@pytest.mark.parametrize("seed", range(120))
def test_aggregates_answer_exactly_like_the_raw_rows(request, persisted, seed):
    con = request.getfixturevalue("persisted_con" if persisted else "sample_con")
    flt, by = _random_case(seed)
    from_aggregates = queries.funnel(con, flt, by)
    from_raw = queries.funnel(con, flt, by, use_aggregates=False)
    pd.testing.assert_frame_equal(from_aggregates, from_raw, obj=f"{flt} by {by}")


def test_the_random_cases_mostly_exercise_the_aggregates():
    routed = [aggregates.cohort_table(f.window_days, by) if f.mode == "cohort" else aggregates.period_table(by)
              for f, by in map(_random_case, range(120))]
    assert sum(table is not None for table in routed) > 80
    assert any(table is None for table in routed)


@pytest.mark.parametrize("by", [None, "district", "month"])
def test_the_overview_queries_come_from_aggregates(by):
    assert aggregates.period_table(by) == "agg_period"
    assert aggregates.cohort_table(None, by) == "agg_cohort"
    assert aggregates.cohort_table(90, by) == "agg_cohort_late"
    assert aggregates.cohort_table(365, by) == "agg_cohort_late"
    assert aggregates.cohort_table(45, by) == "agg_cohort_lag"


def test_union_breakdowns_come_from_aggregates():
    assert aggregates.period_table("union") == "agg_period_union"
    assert aggregates.cohort_table(None, "union") == "agg_cohort_union"


def test_odd_windows_and_other_breakdowns_read_raw_rows():
    assert aggregates.cohort_table(47, None) is None
    assert aggregates.cohort_table(90, "union") is None
    assert aggregates.cohort_table(None, "gender") is None


@pytest.mark.parametrize("persisted", [False, True], ids=["built", "persisted"])
@pytest.mark.parametrize("window_days", [None, *range(0, 1000, 30), 365, 730, 3650])
def test_every_sidebar_window_answers_like_the_raw_rows(request, persisted, window_days):
    """Every step of the sidebar's window (up to beyond the longest lag), on the whole data and one district."""
    con = request.getfixturevalue("persisted_con" if persisted else "sample_con")
    flt = Filter(Month(2020, 1), Month(2024, 12), mode="cohort", window_days=window_days)
    for case, by in [(flt, None), (flt, "month"), (flt.with_districts(["718"]), "district")]:
        raw = queries.funnel(con, case, by, use_aggregates=False)
        pd.testing.assert_frame_equal(queries.funnel(con, case, by), raw, obj=f"{case} by {by}")


def test_the_late_table_has_no_rows_beyond_the_longest_lag(sample_con):
    longest = sample_con.sql("""SELECT max(date_diff('day', referred_on, coalesce(official_on, admitted_on,
                                                                      trained_on, referred_on)))
                                FROM candidates""").fetchall()[0][0]
    windows = sample_con.sql("SELECT DISTINCT window_days FROM agg_cohort_late ORDER BY 1").fetchall()
    assert windows and max(w for (w,) in windows) < longest
    assert all(w % aggregates.WINDOW_STEP_DAYS == 0 or w in aggregates.YEAR_WINDOWS for (w,) in windows)


@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_union_breakdown_and_labels_match_the_raw_rows(sample_con, mode):
    flt = Filter(Month(2022, 1), Month(2023, 6), mode=mode)
    pd.testing.assert_frame_equal(queries.funnel(sample_con, flt, "union"),
                                  queries.funnel(sample_con, flt, "union", use_aggregates=False))
    frame = queries.labelled_funnel(sample_con, flt, "union", "vi")
    names = dict(sample_con.sql("SELECT union_id, union_name FROM unions").fetchall())
    expected = [labels.UNKNOWN["vi"] if key == model.NO_VALUE else names.get(key, key) for key in frame["key"]]
    assert len(frame) > 20 and frame["label"].tolist() == expected


def test_data_span_matches_the_raw_events(sample_con):
    raw = sample_con.sql("SELECT min(event_on), max(event_on) FROM events").fetchall()[0]
    assert queries.data_months(sample_con) == (Month.of(raw[0]), Month.of(raw[1]))
    assert queries.as_of(sample_con) == raw[1]


@pytest.fixture()
def sample_copy(tmp_path):
    folder = tmp_path / "curated"
    shutil.copytree(DEFAULT_CURATED_DIR, folder, ignore=shutil.ignore_patterns(aggregates.FOLDER))
    return folder


def test_persisted_aggregates_are_used_while_current(sample_copy):
    location = str(sample_copy)
    db.build_aggregates(location)
    con = db.connect(location)
    assert aggregates.is_current(con, location, db.inputs(location))
    assert con.sql("SELECT count(*) FROM duckdb_views() WHERE view_name = 'agg_period_gender'").fetchall() == [(1,)]


def test_stale_persisted_aggregates_are_ignored(sample_copy):
    location = str(sample_copy)
    db.build_aggregates(location)
    candidates = pq.read_table(sample_copy / "candidates.parquet")
    pq.write_table(candidates.slice(0, candidates.num_rows // 3), sample_copy / "candidates.parquet")
    con = db.connect(location)
    assert not aggregates.is_current(con, location, db.inputs(location))
    pd.testing.assert_frame_equal(queries.funnel(con, PUBLISHED), queries.funnel(con, PUBLISHED, use_aggregates=False))
    assert queries.funnel(con, PUBLISHED).loc[0, "referred"] < 2339


def test_missing_or_stale_aggregates_are_built_once_before_servers_open_the_data(sample_copy):
    """What the benchmark, the load test and publish run first, so no server builds them in memory."""
    location = str(sample_copy)
    assert db.ensure_aggregates(location)  # missing: built
    assert not db.ensure_aggregates(location)  # current: left alone
    candidates = pq.read_table(sample_copy / "candidates.parquet")
    pq.write_table(candidates.slice(0, candidates.num_rows // 2), sample_copy / "candidates.parquet")
    assert db.ensure_aggregates(location)  # stale: built again
    with db.duckdb.connect() as probe:
        assert aggregates.is_current(probe, location, db.inputs(location))
