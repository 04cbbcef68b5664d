"""Every chart the pages draw is a valid Plotly figure.

The figures skip Plotly's validation when they are built (:func:`analytics.charts._figure`: it cost more than
the traces), so a misspelt layout property would reach the browser unnoticed; here each drawn figure's spec
is read back through Plotly's validating constructor, which refuses any property it does not know.
"""

from __future__ import annotations

import plotly.graph_objects as go
import pytest

from tests.apps import figures, open_app

#: Page and link (the overview's map section opened): both counting modes, the pace of targets, the wards and
#: communes after the reform, Explore by district (leaks, small multiples, funnel plot, time to convert) and by
#: month, and the slides.
VIEWS = [
    ("overview", {"from": "2022-01", "to": "2022-09"}),
    ("overview", {"from": "2022-01", "to": "2022-09", "mode": "cohort", "lang": "en"}),
    ("overview", {"from": "2026-01", "to": "2026-10"}),
    ("explore", {"from": "2022-01", "to": "2022-12"}),
    ("explore", {"from": "2022-01", "to": "2022-12", "by": "month"}),
    ("present", {"from": "2022-01", "to": "2022-09"}),
]


@pytest.mark.parametrize(("page", "link"), VIEWS)
def test_every_drawn_figure_passes_plotly_validation(page, link):
    at = open_app(page, session={"map_open": True} if page == "overview" else None, **link)
    assert not at.exception
    drawn = figures(at)
    assert drawn
    for spec in drawn:
        go.Figure(spec)  # raises ValueError on a property Plotly does not know


def test_validation_refuses_a_misspelt_property():
    with pytest.raises(ValueError, match="titel"):
        go.Figure({"data": [], "layout": {"titel": "x"}})
