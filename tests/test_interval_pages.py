"""Intervals on the pages: the overview colours only changes beyond chance; Explore's funnel plot and
leaderboard rank only groups large enough and say how many there are; an audience's hidden rates have no
interval (AppTest)."""

from __future__ import annotations

import math

import pytest
from scipy.stats import binomtest

from analytics import access, model
from analytics.filters import Filter, Month
from analytics.i18n import t
from tests.apps import JAN_SEP, funnel_plot, open_app

GREY = 2  # streamlit's Metric.MetricColor.GRAY


@pytest.mark.parametrize(("params", "flt", "greys"), [
    (JAN_SEP, Filter(Month(2022, 1), Month(2022, 9)), 0),  # large changes on 2021
    ({"district": "720", "from": "2022-03", "to": "2022-03"}, Filter(Month(2022, 3), Month(2022, 3), ("720",)), 4),
])
def test_a_change_on_last_year_is_coloured_only_beyond_chance(sample_con, params, flt, greys):
    at = open_app(lang="en", **params)
    now = access.funnel(sample_con, access.OPERATOR, flt, None, "en").iloc[0]
    before = access.funnel(sample_con, access.OPERATOR, flt.same_period_last_year(), None, "en").iloc[0]
    colours = []
    for card, stage in zip(at.metric, model.stage_keys()):
        k, n = int(now[stage]), int(now[stage] + before[stage])
        beyond = bool(binomtest(k, n, 0.5).pvalue < 0.05)  # the exact conditional test, not the module's
        colours.append(card.proto.color)
        assert (card.proto.color != GREY) is beyond, (stage, k, n)
    assert colours.count(GREY) == greys


def test_explore_by_union_ranks_only_groups_large_enough_and_says_how_many():
    at = open_app("explore", lang="en", by="union", **JAN_SEP)
    assert not at.exception
    board = at.dataframe[0].value
    ranked = board[board["Rank"].notna()]
    assert len(ranked) >= 1 and (ranked["Referred"] >= model.MIN_GROUP).all()
    assert (board[board["Rank"].isna()]["Referred"] < model.MIN_GROUP).all()
    assert (ranked["95% low"] <= ranked["Trained / referred ratio"]).all()
    plot = funnel_plot(at)
    names = {trace.get("name") for trace in plot["data"]}
    assert {t("funnel_limit_95", "en"), t("funnel_limit_998", "en")} <= names
    plotted = sum(len(trace["x"]) for trace in plot["data"] if trace.get("mode") == "markers")
    caption = " ".join(c.value for c in at.caption)
    assert f"1,454 groups; {plotted:,} with a rate are plotted; the {len(ranked)} with at least" in caption


def test_an_audience_sees_no_interval_of_a_hidden_rate(sample_con):
    flt = Filter(Month(2022, 3), Month(2022, 3))
    at = open_app("explore", lang="en", by="district", audience="public", **{"from": "2022-03", "to": "2022-03"})
    assert not at.exception
    board = at.dataframe[0].value.set_index("District")
    public = access.funnel(sample_con, access.OPERATOR.for_audience("public"), flt, "district", "en")
    rate = model.shown_in("leaks")[0].key
    assert public[rate].isna().any() and public[rate].notna().any()  # some hidden, some shown
    for row in public.itertuples():
        shown = board.loc[row.label]
        if math.isnan(getattr(row, rate)):
            assert math.isnan(shown["95% low"]) and math.isnan(shown["95% high"])
        else:
            assert (shown["95% low"], shown["95% high"]) == (getattr(row, f"{rate}_low"), getattr(row, f"{rate}_high"))
