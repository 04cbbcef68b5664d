"""Every page runs without an exception, in both languages and both counting modes (AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from analytics.config import REPO_ROOT

APP = str(REPO_ROOT / "app.py")
PAGES = ["views/overview.py", "views/explore.py", "views/present.py", "views/data.py"]


def open_app(**params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update(params)
    return at.run()


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_every_page_runs(page, lang, mode):
    at = open_app(lang=lang, mode=mode, **{"from": "2022-01", "to": "2022-09"})
    at.switch_page(page).run()
    assert not at.exception
    assert at.title or at.get("plotly_chart")


def test_overview_shows_the_published_figures_in_vietnamese():
    at = open_app(**{"from": "2022-01", "to": "2022-09"})
    assert [m.value for m in at.metric][:3] == ["2.339", "1.220", "251"]
    assert any("Dữ liệu mẫu" in info.value for info in at.info)


def test_sidebar_writes_the_filter_back_to_the_url():
    at = open_app(**{"from": "2022-01", "to": "2022-09", "district": "718,724", "sector": "fdi", "lang": "en"})
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
    at = open_app(lang="en", **{"from": "2022-01", "to": "2022-09", "sector": "domestic,fdi"})
    assert [m.value for m in at.metric][1] == "659"
    assert [m.value for m in at.metric][0] == "1,678"


def test_explore_by_union_shows_the_largest_unions_and_says_how_many_there_are():
    at = open_app(lang="en", by="union", **{"from": "2022-01", "to": "2022-09"})
    at.switch_page("views/explore.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 1000
    caption = " ".join(c.value for c in at.caption)
    assert "The table shows the 1,000 groups (grassroots union) with most referrals of 1,454" in caption
    reproduce = " ".join(c.value for c in at.code)
    assert "--by union --limit 1000" in reproduce
