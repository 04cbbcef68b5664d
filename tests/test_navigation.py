"""Links and history in the app (AppTest): link problems said at the top of the page in its language, every
valid part of the link kept; an address changed under the app (back, forward) leads the view."""

from __future__ import annotations

import pytest

from analytics.filters import Filter, Month
from analytics.sentences import period_phrase
from tests.apps import JAN_SEP, metrics, open_app
from ui.sidebar import LINK_PROBLEM


def link_problems(at) -> list[str]:
    return [warning.value for warning in at.main.warning if warning.icon == LINK_PROBLEM]


def test_a_bad_district_is_said_in_the_page_and_the_period_is_kept():
    at = open_app(district="999", **JAN_SEP)
    assert not at.exception
    assert at.session_state["view"].filter == Filter(Month(2022, 1), Month(2022, 9))
    assert metrics(at) == metrics(open_app(**JAN_SEP))
    problems = link_problems(at)
    assert len(problems) == 1 and "999" in problems[0]
    assert not at.sidebar.warning  # hidden on a phone


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_link_to_a_year_without_data_says_what_is_shown_instead(lang):
    at = open_app(lang=lang, district="718", **{"from": "2030-01", "to": "2030-12"})
    shown = at.session_state["view"].filter
    assert shown.districts == ("718",) and shown.end.year < 2030
    [problem] = link_problems(at)  # the default shown instead: the year to date of the data's last month
    assert "2030" in problem and period_phrase(shown, shown.end, lang) in problem


def _params(at) -> dict[str, str]:
    return {key: value[-1] if isinstance(value, list) else value for key, value in at.query_params.items()}


def test_going_back_restores_the_previous_view():
    at = open_app(**JAN_SEP)
    first, cards = _params(at), metrics(at)
    at.selectbox(key="preset").select("year").run()
    assert _params(at)["to"] == "2022-12" and metrics(at) != cards
    at.query_params.clear()  # the browser's back button: the frontend reruns the script with the earlier address
    at.query_params.update(first)
    at.run()
    assert not at.exception
    assert metrics(at) == cards and at.selectbox(key="preset").value == "nine_months"
    assert _params(at)["to"] == "2022-09"  # the address is followed, not written over with the widgets' year
