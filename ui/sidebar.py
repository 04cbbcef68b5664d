"""The shared sidebar: period, districts, sectors and counting mode, kept in the URL.

On a session's first run, and when back or forward changed the address (:mod:`ui.address`), the widgets
take their values from the query string; otherwise the widgets lead and a change is written to the query
string (one history entry), so copying the address bar reproduces the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st

from analytics import access, fmt, model
from analytics.filters import MAX_WINDOW_DAYS, Filter, Month
from analytics.geography import unit_label
from analytics.i18n import t
from analytics.links import read_link
from analytics.periods import PRESETS, PeriodChoice, infer_choice, preset_range
from ui import address, data, newer_data
from ui.text import plain
from ui.view import View

#: The icon of a warning about a part of the link that was left out or changed.
LINK_PROBLEM = ":material/link_off:"


def _default_filter(latest: Month) -> Filter:
    """Year to date of the latest year with data."""
    return Filter(start=Month(latest.year, 1), end=latest)


def _filter_from_url(default: Filter, choices: _Choices, principal: access.Principal, months: tuple[Month, Month],
                     lang: str) -> Filter:
    """The link's filter, every usable part of it kept, without the districts or units the user may not see;
    what was left out or changed is said at the top of the page. Only a starting point for the widgets: the
    filter they make is authorized once, in :func:`render`."""
    params = st.query_params.to_dict()
    for key, limit in (("district", principal.allowed_districts), ("unit", principal.allowed_units)):
        asked = [code.strip() for code in params.get(key, "").split(",") if code.strip()]
        if limit is not None and set(asked) - set(limit):
            params[key] = ",".join(code for code in asked if code in limit)
            st.info(t("own_district_only", lang), icon=":material/lock:")
    flt, problems = read_link(params, default, choices.districts, choices.units, months, lang)
    for problem in problems:
        st.warning(plain(problem), icon=LINK_PROBLEM)  # the link's text, shown as text
    return flt


def _seed_widgets(flt: Filter, latest: Month, overwrite: bool) -> None:
    """Give the widgets their values from a filter (with ``overwrite`` False, only keys not set in this
    session)."""
    choice = infer_choice(flt.start, flt.end, latest)
    starting = {
        "preset": choice.preset,
        "year": choice.year,
        "month_index": flt.start.month,
        "quarter_index": (flt.start.month + 2) // 3,
        "from_month": str(flt.start),
        "to_month": str(flt.end),
        "districts": list(flt.districts),
        "units": list(flt.units),
        "sectors": list(flt.sectors),
        "mode": flt.mode,
        "window_days": flt.window_days,
    }
    for key, value in starting.items():
        if overwrite or key not in st.session_state:
            st.session_state[key] = value


def _apply_click(choices: _Choices) -> None:
    """Set the widgets a click on a chart asked for (:mod:`ui.crossfilter`): only areas the user may see."""
    for key, value in st.session_state.pop("pending_filter", {}).items():
        allowed = {"districts": choices.districts, "units": choices.units}.get(key)
        st.session_state[key] = [code for code in value if code in allowed] if allowed is not None else value


def _period_widgets(first: Month, latest: Month, lang: str) -> tuple[Month, Month]:
    st.selectbox(t("period", lang), list(PRESETS), key="preset", format_func=lambda p: PRESETS[p][lang])
    preset = st.session_state["preset"]
    if preset == "custom":
        months = [str(first.shift(i)) for i in range(latest.minus(first) + 1)]
        label = {m: fmt.month(Month.parse(m), lang) for m in months}
        left, right = st.columns(2)
        left.selectbox(t("from_month", lang), months, key="from_month", format_func=label.get)
        right.selectbox(t("to_month", lang), months, key="to_month", format_func=label.get)
        start, end = Month.parse(st.session_state["from_month"]), Month.parse(st.session_state["to_month"])
        return (start, end) if start <= end else (end, start)
    years = list(range(latest.year, first.year - 1, -1))
    if st.session_state.get("year") not in years:
        st.session_state["year"] = latest.year
    index = 1
    if preset in ("month", "quarter"):
        left, right = st.columns(2)
        left.selectbox(t("year", lang), years, key="year")
        if preset == "month":
            right.selectbox(t("month", lang), list(range(1, 13)), key="month_index")
            index = st.session_state["month_index"]
        else:
            right.selectbox(t("quarter", lang), [1, 2, 3, 4], key="quarter_index")
            index = st.session_state["quarter_index"]
    else:
        st.selectbox(t("year", lang), years, key="year")
    return preset_range(PeriodChoice(preset, st.session_state["year"], index), latest)


#: The audience choice meaning "only people cleared for every number" (no restricted audience).
EVERY_NUMBER = "all"


def _audience_widget(principal: access.Principal, lang: str) -> access.Principal:
    """Who the screen is for (first from the link's ``audience``): the user's own clearance or a stricter
    audience; returns the principal the numbers are released to."""
    options = ([] if principal.suppressed else [EVERY_NUMBER]) + [
        key for key, audience in model.AUDIENCES.items() if audience.threshold >= principal.threshold]
    if address.moved() or st.session_state.get("audience") not in options:  # from the link, or back/forward
        wanted = st.query_params.get("audience", "")
        st.session_state["audience"] = wanted if wanted in options else options[0]
    st.selectbox(t("audience", lang), options, key="audience", help=t("audience_help", lang),
                 format_func=lambda key: t("audience_all", lang) if key == EVERY_NUMBER
                 else model.AUDIENCES[key].label[lang])
    chosen = st.session_state["audience"]
    principal = principal.for_audience(None if chosen == EVERY_NUMBER else chosen)
    if principal.suppressed:
        st.caption(t("hidden_legend", lang, threshold=principal.threshold))
    return principal


def _slice_widgets(choices: _Choices, lang: str, period_only: bool) -> None:
    if choices.districts or not choices.units:
        st.multiselect(
            t("districts", lang), list(choices.districts), key="districts", format_func=choices.districts.get,
            placeholder=t("all_districts", lang), help=t("districts_help", lang) if choices.reform else None,
        )
    if choices.units:
        st.multiselect(
            t("units", lang, date=fmt.month(Month.of(choices.reform), lang)), list(choices.units), key="units",
            format_func=choices.units.get, placeholder=t("all_units", lang),
        )
    sector_names = {s.key: s.name[lang] for s in model.sectors()}
    st.multiselect(
        t("sectors", lang), list(sector_names), key="sectors", format_func=sector_names.get,
        placeholder=t("all_sectors", lang),
    )
    if period_only:  # a restricted audience's numbers are released by period (analytics.disclosure)
        st.session_state["mode"] = "period"
    st.radio(t("mode", lang), list(model.MODES), key="mode", format_func=lambda m: model.MODES[m].label[lang],
             captions=[mode.definition[lang] for mode in model.MODES.values()], disabled=period_only,
             help=t("mode_period_only", lang) if period_only else None)
    if st.session_state["mode"] == "cohort":
        st.number_input(t("window_days", lang), min_value=0, max_value=MAX_WINDOW_DAYS, step=30, key="window_days")


def language() -> str:
    """The language switch at the top of the sidebar (first from the URL); returns the language."""
    if "lang" not in st.session_state or address.moved():  # from the link, or back/forward
        wanted = st.query_params.get("lang", "vi")
        st.session_state["lang"] = wanted if wanted in model.LANGUAGES else "vi"
    st.sidebar.segmented_control(
        "Ngôn ngữ · Language", list(model.LANGUAGES), key="lang",
        format_func=lambda code: {"vi": "Tiếng Việt", "en": "English"}[code],
    )
    return st.session_state["lang"] or "vi"


@dataclass(frozen=True)
class _Choices:
    """The districts and units a user may pick, with their labels, and the day units were reorganised."""

    districts: dict[str, str]
    units: dict[str, str]
    reform: date | None


@st.cache_data(show_spinner=False, max_entries=256)
def _choices(source: str, principal: access.Principal, latest: Month, lang: str) -> _Choices:
    """What ``principal`` may pick (kept per user and snapshot: hundreds of districts at national scale)."""
    names = data.district_names(source, latest.last_day)
    names = names[names["district_code"].isin(access.allowed(principal, names["district_code"]))]
    units = data.unit_names(source)
    units = units[units["level"] == "commune"]
    allowed_units = set(access.allowed_units(principal, zip(units["unit_code"], units["district_code"])))
    units = units[units["unit_code"].isin(allowed_units)]
    return _Choices(
        districts=dict(zip(names["district_code"], names[f"name_{lang}"])),
        units={code: unit_label(kind, name, lang)
               for code, kind, name in zip(units["unit_code"], units["unit_type"], units[f"name_{lang}"])},
        reform=data.reform_date(source),
    )


def render(source: str, principal: access.Principal, lang: str) -> View:
    """Draw the sidebar (only the districts and units ``principal`` may see), authorize the filter the
    widgets make (the run's one authorization), keep the URL in step, and return the run's view."""
    first, latest = data.data_months(source)
    # The periods offered end with the user's own data: a district officer's "year to date" or a link asking for
    # later months must not tell them how far the rest of the province goes.
    latest = max(first, min(latest, Month.of(data.as_of(source, principal))))
    choices = _choices(source, principal, latest, lang)
    if "preset" not in st.session_state or address.moved():  # opened from a link, or back or forward
        flt = _filter_from_url(_default_filter(latest), choices, principal, (first, latest), lang)
        _seed_widgets(flt, latest, overwrite=address.moved())
    with st.sidebar:
        _apply_click(choices)
        start, end = _period_widgets(first, latest, lang)
        principal = _audience_widget(principal, lang)
        _slice_widgets(choices, lang, period_only=principal.suppressed)
        mode = st.session_state["mode"]
        flt = Filter(
            start=start, end=end,
            districts=tuple(d for d in st.session_state.get("districts", []) if d in choices.districts),
            units=tuple(u for u in st.session_state.get("units", []) if u in choices.units),
            sectors=tuple(st.session_state["sectors"]),
            mode=mode,
            window_days=st.session_state["window_days"] if mode == "cohort" else None,
        )
        flt = access.authorize(principal, flt)
        st.caption(t("data_as_of", lang, date=fmt.day(data.as_of(source, principal), lang)))
        newer_data.notice(source, lang)
    address.write({**flt.to_query(), "lang": lang, **({"audience": principal.audience} if principal.audience else {})},
                  owned=(*Filter.QUERY_KEYS, "lang", "audience"), defaults={"mode": "period", "lang": "vi"})
    return View(source=source, principal=principal, filter=flt, lang=lang,
                places=data.places(source, flt, lang), reform=choices.reform)
