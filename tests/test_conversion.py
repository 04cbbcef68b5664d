"""Time to convert: the hand-worked fixture's days, percentiles and bins; none for a restricted audience, a
district officer's own district; the command line against an independent pandas computation over the shipped sample."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analytics import access, conversion, model
from analytics.__main__ import main
from analytics.config import SAMPLE_SNAPSHOT_DIR
from analytics.filters import Filter, Month

JAN_SEP_2022 = Filter(Month(2022, 1), Month(2022, 9))
OFFICER_718 = access.Principal(user="u", role="district", district="718")


def _row(frame: pd.DataFrame, key: str) -> dict:
    return frame.set_index("key").loc[key].to_dict()


def test_the_fixture_cohort_takes_the_days_worked_out_by_hand(fixture_con):
    total = _row(conversion.summary(fixture_con, access.OPERATOR, JAN_SEP_2022, None, "vi"), "all")
    people = [total[f"{step}_people"] for step in conversion.step_keys()]
    assert (total["referred"], *people) == (5, 4, 3, 0)
    assert (total["trained_days_median"], total["trained_days_p90"]) == (63.0, 116.6)
    assert (total["admitted_days_median"], total["admitted_days_p90"]) == (222.0, 227.6)
    assert pd.isna(total["official_days_median"]) and pd.isna(total["official_days_p90"])


def test_the_fixture_by_district_of_referral(fixture_con):
    frame = conversion.summary(fixture_con, access.OPERATOR, JAN_SEP_2022, "district", "en")
    assert list(frame["key"]) == ["724", "718"]  # most referrals first
    assert list(frame["label"]) == ["Di An", "Thu Dau Mot"]
    di_an, thu_dau_mot = _row(frame, "724"), _row(frame, "718")
    assert [di_an[c] for c in ("referred", "trained_days_median", "trained_days_p90", "admitted_days_median",
                                "admitted_days_p90")] == [4, 76.0, 122.4, 190.0, 221.2]
    assert [thu_dau_mot[c] for c in ("referred", "trained_days_median", "trained_days_p90",
                                      "admitted_days_median")] == [1, 46.0, 46.0, 222.0]


def test_the_fixture_by_referral_quarter(fixture_con):
    frame = conversion.summary(fixture_con, access.OPERATOR, JAN_SEP_2022, "quarter", "vi")
    assert list(frame["label"]) == ["Quý 1/2022", "Quý 2/2022", "Quý 3/2022"]
    assert list(frame["trained_people"]) == [2, 1, 1]  # c2 c3 (c4 never trained) · c5 · c6
    assert list(frame["trained_days_median"]) == [48.0, 134.0, 76.0]


def test_the_fixture_histogram_in_30_day_bins(fixture_con):
    bins = conversion.histogram(fixture_con, access.OPERATOR, JAN_SEP_2022)
    assert bins.values.tolist() == [["trained", 30, 59, 2], ["trained", 60, 89, 1], ["trained", 120, 149, 1],
                                    ["admitted", 150, 179, 1], ["admitted", 210, 239, 2]]


@pytest.mark.parametrize("audience", ["committee", "public"])
def test_a_restricted_audience_gets_no_time_to_convert(fixture_con, audience):
    """Cohort counts are outside the audited release: neither the table nor the histogram, whatever the filter."""
    principal = access.OPERATOR.for_audience(audience)
    with pytest.raises(access.AccessDenied):
        conversion.summary(fixture_con, principal, JAN_SEP_2022, "district", "vi")
    with pytest.raises(access.AccessDenied):
        conversion.histogram(fixture_con, principal, JAN_SEP_2022)


def test_a_district_officer_gets_their_district_only(fixture_con):
    frame = conversion.summary(fixture_con, OFFICER_718, JAN_SEP_2022, "district", "vi")
    assert list(frame["key"]) == ["718"]
    bins = conversion.histogram(fixture_con, OFFICER_718, JAN_SEP_2022)
    assert bins["people"].sum() == 2  # c2's two steps


# The command line against pandas over the sample's curated Parquet (no DuckDB, no project code but the model's
# stage order): the referral cohort of 2022, its district of referral, numpy's linear percentiles.

def _cli(capsys, *args: str) -> list[dict]:
    assert main(["time-to-convert", "--from", "2022-01", "--to", "2022-12", "--data", str(SAMPLE_SNAPSHOT_DIR),
                 "--format", "json", *args]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture(scope="module")
def cohort_2022() -> pd.DataFrame:
    candidates = pd.read_parquet(SAMPLE_SNAPSHOT_DIR / "candidates.parquet")
    referred = pd.to_datetime(candidates["referred_on"])
    cohort = candidates[(referred >= "2022-01-01") & (referred <= "2022-12-31")].copy()
    for start, end in model.steps():
        cohort[end.key] = (pd.to_datetime(cohort[end.date_column]) - pd.to_datetime(cohort[start.date_column])).dt.days
    cohort["quarter"] = pd.to_datetime(cohort["referred_on"]).dt.quarter.map(lambda q: f"2022-Q{q}")
    return cohort


def _expected(cohort: pd.DataFrame, by: str) -> dict[str, dict]:
    rows = {}
    for key, group in cohort.groupby(by):
        row = {"referred": len(group)}
        for step in conversion.step_keys():
            days = group[step].dropna()
            row[f"{step}_people"] = len(days)
            row[f"{step}_days_median"] = round(days.quantile(0.5), 1) if len(days) else None
            row[f"{step}_days_p90"] = round(days.quantile(0.9), 1) if len(days) else None
        rows[str(key)] = row
    return rows


@pytest.mark.parametrize("by", ["district_code", "quarter"])
def test_the_command_line_equals_pandas_over_the_sample(capsys, cohort_2022, by):
    dimension = "district" if by == "district_code" else by
    shown = {row.pop(dimension): row for row in _cli(capsys, "--by", dimension)}
    assert all(row.pop("label") for row in shown.values())
    expected = _expected(cohort_2022, by)
    assert shown.keys() == expected.keys() and len(shown) > 3
    for key, row in shown.items():
        assert row == pytest.approx(expected[key]), key


def test_the_command_lines_histogram_equals_pandas_over_the_sample(capsys, cohort_2022):
    shown = _cli(capsys, "--histogram")
    expected = [{"step": step, "from_days": int(start), "to_days": int(start) + 29, "people": int(people)}
                for step in conversion.step_keys()
                for start, people in (cohort_2022[step].dropna() // 30 * 30).value_counts().sort_index().items()]
    assert shown == expected


def test_histogram_and_breakdown_are_not_asked_together(capsys):
    assert main(["time-to-convert", "--from", "2022-01", "--to", "2022-12", "--by", "district", "--histogram"]) == 2
    assert "leave out --by" in capsys.readouterr().err


def test_the_days_start_at_referral_dates_in_the_period(fixture_con):
    """A person referred before the period (c1, 2021) is not counted, however late their class."""
    frame = conversion.summary(fixture_con, access.OPERATOR, Filter(Month(2022, 1), Month(2022, 1)), None, "vi")
    assert frame.iloc[0]["referred"] == 1 and frame.iloc[0]["trained_people"] == 1  # c2 only
