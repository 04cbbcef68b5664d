"""A shared link read part by part: every part that can be used is kept, and each part that cannot is named,
in the reader's language, with what is shown instead (a bad ``district=`` does not throw away a good period).

The strict reading for the command line is :meth:`analytics.filters.Filter.from_query`, which refuses the
whole filter with an English message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from analytics import model
from analytics.filters import MAX_WINDOW_DAYS, Filter, FilterError, Month, whole_days
from analytics.i18n import t
from analytics.periods import infer_choice
from analytics.sentences import period_phrase


def _codes(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))


def _month(params: Mapping[str, str], name: str, lang: str, problems: list[str]) -> Month | None:
    text = params.get(name, "")
    if not text:
        return None
    try:
        return Month.parse(text)
    except FilterError:
        problems.append(t("link_bad_month", lang, name=name, value=text))
        return None


def _months(params: Mapping[str, str], default: Filter, lang: str, problems: list[str]) -> tuple[Month, Month]:
    """The link's first and last months; one missing (or not a month) is the default's, or if that would put
    the months the wrong way round, the start or end of the other one's year."""
    start, end = _month(params, "from", lang, problems), _month(params, "to", lang, problems)
    if start is not None and end is not None and start > end:
        problems.append(t("link_swapped", lang, start=str(start), end=str(end)))
        return end, start
    if start is None:
        start = default.start if end is None or default.start <= end else Month(end.year, 1)
    if end is None:
        end = default.end if default.end >= start else Month(start.year, 12)
    return start, end


def _known(params: Mapping[str, str], name: str, what: str, known: Mapping[str, str], lang: str,
           problems: list[str]) -> tuple[str, ...] | None:
    """The link's codes of ``name`` that are in ``known`` (code: name; None when the link has none), naming the
    others and some codes that can be used."""
    if name not in params:
        return None
    asked = _codes(params[name])
    unknown = [code for code in asked if code not in known]
    if unknown:
        problems.append(t("link_unknown_codes", lang, what=what, codes=", ".join(unknown),
                          examples=", ".join(f"{code} ({known[code]})" for code in sorted(known)[:12])))
    return tuple(code for code in asked if code in known)


def _period(start: Month, end: Month, default: Filter, first: Month, latest: Month, lang: str,
            problems: list[str]) -> tuple[Month, Month]:
    """A period with no data at all gives way to the default one, and a custom range is cut to the months with
    data (a preset such as a whole year is kept: its months without data yet are part of it)."""
    asked = replace(default, start=start, end=end)
    if end < first or start > latest:
        problems.append(t("link_no_data", lang, asked=period_phrase(asked, latest, lang),
                          shown=period_phrase(default, latest, lang)))
        return default.start, default.end
    if infer_choice(start, end, latest).preset == "custom" and (start < first or end > latest):
        start, end = max(start, first), min(end, latest)
        problems.append(t("link_cut", lang, asked=period_phrase(asked, latest, lang),
                          shown=period_phrase(replace(default, start=start, end=end), latest, lang)))
    return start, end


def read_link(params: Mapping[str, str], default: Filter, districts: Mapping[str, str], units: Mapping[str, str],
              months: tuple[Month, Month], lang: str) -> tuple[Filter, list[str]]:
    """The filter a link asks for, each part checked on its own (districts against ``districts``, units against
    ``units``, both code: name in ``lang``, the period against the data's ``months``), and what the reader should
    be told about the parts that were left out or changed; missing parts come from ``default``."""
    problems: list[str] = []
    start, end = _period(*_months(params, default, lang, problems), default, *months, lang, problems)
    label = {key: model.DIMENSIONS[key].label[lang].lower() for key in ("district", "unit", "sector")}
    picked = _known(params, "district", label["district"], districts, lang, problems)
    unit_codes = _known(params, "unit", label["unit"], units, lang, problems)
    sector_names = {sector.key: sector.name[lang] for sector in model.sectors()}
    sectors = _known(params, "sector", label["sector"], sector_names, lang, problems)
    mode = params.get("mode") or default.mode
    if mode not in model.MODES:
        problems.append(t("link_bad_mode", lang, value=mode, shown=model.MODES[default.mode].label[lang]))
        mode = default.mode
    window = params.get("window")
    if window is not None and whole_days(window) is None:
        problems.append(t("link_bad_window", lang, value=window, most=MAX_WINDOW_DAYS))
        window = None
    flt = Filter(start=start, end=end, mode=mode,
                 districts=default.districts if picked is None else picked,
                 units=default.units if unit_codes is None else unit_codes,
                 sectors=default.sectors if sectors is None else sectors,
                 window_days=whole_days(window) if window is not None else default.window_days)
    return flt, problems
