"""Charts that filter the page, and the chips that undo it.

A click on a district's, unit's or sector's bar (or map tile), or on a month, quarter or year of a trend,
puts it in the sidebar's filter for the next run: the widgets change, so the address does (one history entry;
back undoes it). Each point carries its group's key as ``customdata`` (:mod:`analytics.charts`). The sidebar
keeps only what the user may see, so a click never widens the view (:func:`ui.sidebar.render`).
"""

from __future__ import annotations

from functools import partial

import plotly.graph_objects as go
import streamlit as st

from analytics import fmt, model
from analytics.filters import Month
from analytics.i18n import t
from analytics.periods import PeriodChoice, preset_range
from ui.view import View

#: The sidebar widget a click on a group of each breakdown sets.
WIDGETS = {"district": "districts", "unit": "units", "sector": "sectors"}
TIME_UNITS = ("month", "quarter", "year")
#: Where a click on a trend remembers the period it replaced (for its chip), and the period it chose.
_BEFORE = "period_before_click"
_PERIOD_KEYS = ("preset", "year", "month_index", "quarter_index", "from_month", "to_month")


def clickable(by: str | None) -> bool:
    return by in WIDGETS or by in TIME_UNITS


def chart(figure: go.Figure, by: str, key: str, where=st, **options) -> None:
    """Draw ``figure`` in ``where``; a click on a point (its customdata a ``by`` key) filters the page to it."""
    where.plotly_chart(figure, width="stretch", key=key, on_select=partial(_clicked, key, by), selection_mode="points",
                       **options)


def _clicked(key: str, by: str) -> None:
    points = st.session_state[key].selection.points
    value = next((point.get("customdata") for point in points if point.get("customdata") is not None), None)
    if value is None:
        return
    value = str(value[0] if isinstance(value, list) else value)
    if by in WIDGETS:
        st.session_state["pending_filter"] = {WIDGETS[by]: [value]}
        return
    choice = _period_choice(by, value)
    chosen = preset_range(choice, latest=Month(choice.year, 12))  # latest: only a year to date needs it
    st.session_state[_BEFORE] = ({name: st.session_state.get(name) for name in _PERIOD_KEYS}, chosen)
    index = {"month": "month_index", "quarter": "quarter_index"}.get(by)
    st.session_state["pending_filter"] = {"preset": by, "year": choice.year, **({index: choice.index} if index else {})}


def _period_choice(by: str, value: str) -> PeriodChoice:
    """The sidebar's period for a month ("2022-03"), quarter ("2022-Q3") or year ("2022")."""
    if by == "month":
        month = Month.parse(value)
        return PeriodChoice("month", month.year, month.month)
    if by == "quarter":
        year, quarter = value.split("-Q")
        return PeriodChoice("quarter", int(year), int(quarter))
    return PeriodChoice("year", int(value))


def _drop(widget: str, code: str) -> None:
    st.session_state[widget] = [c for c in st.session_state.get(widget, []) if c != code]


def _restore_period() -> None:
    before, _ = st.session_state.pop(_BEFORE)
    st.session_state["pending_filter"] = {name: value for name, value in before.items() if value is not None}


def _period_chip(view: View) -> str | None:
    """The period's chip label while the period is the one a click on a trend chose."""
    before = st.session_state.get(_BEFORE)
    if not before or before[1] != (view.filter.start, view.filter.end):
        return None
    return t("chip_period", view.lang, period=fmt.period(view.filter, view.lang))


def chips(view: View) -> None:
    """One small button per filter the user chose (districts, units, sectors, a clicked period); its ✕ removes it."""
    lang, flt = view.lang, view.filter
    names = {"district": view.places.districts, "unit": view.places.units,
             "sector": {s.key: s.name[lang] for s in model.sectors()}}
    chosen = {"district": flt.districts, "unit": flt.units, "sector": flt.sectors}
    imposed = {"district": view.principal.allowed_districts, "unit": view.principal.allowed_units}
    buttons = [(f"chip_{kind}_{code}", t(f"chip_{kind}", lang, name=names[kind].get(code, code)),
                partial(_drop, WIDGETS[kind], code))
               for kind, codes in chosen.items() for code in codes
               if code in st.session_state.get(WIDGETS[kind], [])  # chosen, and not the one place a role allows
               and tuple(imposed.get(kind) or ()) != (code,)]
    period = _period_chip(view)
    if period:
        buttons.append(("chip_period", period, _restore_period))
    if not buttons:
        return
    with st.container(horizontal=True, gap="small", key="filter_chips"):
        for key, label, remove in buttons:
            st.button(f"{label} ✕", key=key, on_click=remove, help=t("chip_remove", lang))
