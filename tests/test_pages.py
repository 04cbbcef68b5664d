"""Every page runs and draws what it is for, in both languages and both counting modes (AppTest)."""

from __future__ import annotations

import json
import re

import pytest

from analytics import model
from analytics.ingest.schema import KINDS
from tests.apps import CHART_PAGES, JAN_SEP, PAGES, figures, funnel_table, metrics, open_app

#: The Plotly figures each page must draw on the sample's first nine months of 2022 (the overview: funnel,
#: districts, the trend, and in period mode the pace of the year's targets, the map only once opened; Explore by
#: district: the leaks, a funnel per district, the funnel plot and the time-to-convert histograms).
DRAWS = {("overview", "period"): 4, ("overview", "cohort"): 3, "explore": 4, "present": 1}


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_every_page_runs_and_draws(page, lang, mode):
    at = open_app(page, lang=lang, mode=mode, **JAN_SEP)
    assert not at.exception
    if page in CHART_PAGES:
        drawn = figures(at)
        assert len(drawn) == DRAWS.get((page, mode), DRAWS.get(page))
        if page == "present":  # the headline slide: numbers written as text, the period in the slide's footer
            assert len(drawn[0]["layout"]["annotations"]) == 3 * len(model.stages())
            assert any("slide-footer" in h.proto.body and "2022" in h.proto.body for h in at.get("html"))
            return
        for figure in drawn:  # each has data and says what, where and when it shows
            assert figure["data"] and any(trace.get("x") or trace.get("value") for trace in figure["data"])
            assert "2022" in figure["layout"]["title"]["subtitle"]["text"]
    else:  # Load data: the templates of every report kind, nothing about loads in demo mode
        assert len(at.get("download_button")) == 2 * len(KINDS)
        assert not at.dataframe
    if page in ("overview", "explore"):
        assert at.dataframe or at.expander  # the table (the overview's is in an expander)


@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_the_map_is_drawn_once_its_section_is_opened_and_ranks_every_district(mode):
    closed = open_app(mode=mode, **JAN_SEP)
    opened = open_app(mode=mode, session={"map_open": True}, **JAN_SEP)
    assert not opened.exception
    assert not any(trace["type"] == "heatmap" for figure in figures(closed) for trace in figure["data"])
    tile_map = [figure for figure in figures(opened) if any(trace["type"] == "heatmap" for trace in figure["data"])]
    assert len(figures(opened)) == len(figures(closed)) + 1 and len(tile_map) == 1
    ranking = opened.dataframe[0].value  # beside the map: every district of the sample, by referrals
    assert len(ranking) == 9 and "Thủ Dầu Một" in set(ranking.iloc[:, 0])


def test_overview_shows_the_published_figures_in_vietnamese():
    at = open_app(**JAN_SEP)
    assert metrics(at)[:3] == ["2.339", "1.220", "251"]
    assert any("dữ liệu mẫu" in caption.value for caption in at.caption)


def test_the_headline_sentence_gives_the_published_figures_in_order():
    at = open_app(**JAN_SEP)
    sentence = at.markdown[0].value.replace("\\", "")
    assert sentence.startswith("9 tháng đầu năm 2022, các cấp công đoàn giới thiệu 2.339 đoàn viên ưu tú")
    numbers = re.findall(r"\d[\d.]*\d|\d", sentence)
    assert numbers == ["9", "2022", "2.339", "1.220", "659", "251"]


def test_sidebar_writes_the_filter_back_to_the_url():
    at = open_app(district="718,724", sector="fdi", lang="en", **JAN_SEP)
    at.selectbox(key="preset").select("year").run()
    assert not at.exception
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in at.query_params.items()}
    shown = (params["from"], params["to"], params["district"], params["sector"])
    assert shown == ("2022-01", "2022-12", "718,724", "fdi")


def test_a_bad_link_warns_and_falls_back_to_the_default():
    at = open_app(**{"from": "2022-13", "to": "2022-09"})
    assert not at.exception
    assert any("2022-13" in warning.value for warning in at.warning)


def test_english_numbers_on_the_overview():
    at = open_app(lang="en", sector="domestic,fdi", **JAN_SEP)
    assert metrics(at)[1] == "659"
    assert metrics(at)[0] == "1,678"


def test_explore_by_union_shows_the_largest_unions_and_says_how_many_there_are():
    at = open_app("explore", lang="en", by="union", **JAN_SEP)
    assert not at.exception
    table = funnel_table(at, "en").value
    assert len(table) == 1000
    caption = " ".join(c.value for c in at.caption)
    assert "The table shows the 1,000 groups (grassroots union) with most referrals of 1,454" in caption
    reproduce = " ".join(c.value for c in at.code)
    assert "--by union --limit 1000" in reproduce


def test_explore_charts_only_groups_large_enough_to_rate_and_says_so():
    at = open_app("explore", lang="en", by="union", **JAN_SEP)
    chart = figures(at)[0]  # the leaks chart (then a funnel per union, the funnel plot, time to convert)
    table = funnel_table(at, "en").value
    referred = dict(zip(table["Grassroots union"], table["Referred"].astype(int)))
    charted = chart["data"][0]["y"]
    assert charted and all(referred[name] >= model.MIN_GROUP for name in charted)
    caption = " ".join(c.value for c in at.caption)
    assert f"The chart shows {len(charted)} groups of 1,454" in caption


@pytest.mark.parametrize(("mode", "words"), [("period", "of the period's referrals"), ("cohort", "of those referred")])
def test_step_measures_are_worded_for_the_counting_mode(mode, words):
    at = open_app(lang="en", mode=mode, **JAN_SEP)
    trained_card = at.metric[1]
    assert words in " ".join(c.value for c in at.caption)
    step = model.ratio("trained", "referred")
    assert step.definition("en", mode) in trained_card.help  # the "?" gives the definition
    funnel = figures(at)[0]
    assert words in " ".join(note["text"] for note in funnel["layout"]["annotations"])
    assert step.definition("en", mode)[:40] in funnel["data"][0]["hovertext"][1].replace("<br>", " ")


@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_every_table_header_has_its_definition(mode):
    at = open_app("explore", lang="vi", by="district", mode=mode, **JAN_SEP)
    table = funnel_table(at, "vi")
    config = json.loads(table.proto.columns)
    shown = [column for column in table.value.columns if column in config]
    assert len(shown) >= 8
    for measure in model.measures().values():
        label = measure.label("vi", mode)
        if label in config:
            assert config[label]["help"] == measure.definition("vi", mode)


@pytest.mark.parametrize("period", [("2025-11", "2025-11"), ("2024-04", "2024-06"), ("2023-01", "2023-06"),
                                    ("2021-01", "2021-12"), ("2026-01", "2026-10"), ("2020-03", "2024-07")])
def test_the_sentence_names_every_kind_of_period(period):
    at = open_app(**{"from": period[0], "to": period[1]})
    assert not at.exception
    assert at.markdown[0].value.split(",")[0].strip()  # "Tháng 11/2025", "Quý II/2024", "6 tháng đầu năm 2023" …


def test_explore_compares_each_group_with_the_previous_period_and_says_which_months():
    at = open_app("explore", lang="en", by="district", compare="previous", **JAN_SEP)
    assert not at.exception
    table = funnel_table(at, "en").value
    change = model.column_label("referred_change", "en")
    assert model.column_label("referred_before", "en") in table.columns and change in table.columns
    assert at.selectbox(key="compare").value == "previous"
    caption = " ".join(c.value for c in at.caption)
    assert "Comparing the 9 months with data: Jan 2022–Sep 2022 with Apr 2021–Dec 2021." in caption
    assert "--by district --compare previous" in " ".join(c.value for c in at.code)
    at.selectbox(key="compare").set_value("").run()
    assert change not in funnel_table(at, "en").value.columns
    assert "compare" not in at.query_params
