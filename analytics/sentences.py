"""The report's words: the headline sentence of a period, in the register of an official report.

"9 tháng đầu năm 2022, các cấp công đoàn giới thiệu 2.339 đoàn viên ưu tú cho cấp ủy đảng xem xét, bồi
dưỡng; 1.220 đoàn viên học lớp bồi dưỡng nhận thức về Đảng, trong đó 659 ở doanh nghiệp ngoài khu vực nhà
nước; 251 đoàn viên được kết nạp Đảng."

Every number comes from the totals the cards and the funnel show (the same query); the stages' clauses are
declared in the model. In cohort mode the sentence follows the people referred in the period instead.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from analytics import comparison, fmt, model
from analytics.filters import Filter, Month
from analytics.i18n import t
from analytics.pace import TRACKED
from analytics.periods import infer_choice
from analytics.ranking import ranked_areas

_ROMAN = ("I", "II", "III", "IV")
_WORDS = {6: "six", 9: "nine"}
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
              "November", "December")


def _month_vi(month: Month) -> str:
    return f"tháng {month.month}/{month.year}"


def _month_en(month: Month) -> str:
    return f"{_MONTHS_EN[month.month - 1]} {month.year}"


def period_phrase(flt: Filter, latest: Month, lang: str) -> str:
    """The period as a report names it, to follow "in": "9 tháng đầu năm 2022", "quý III/2022",
    "the first nine months of 2022", "January 2024 to October 2026"."""
    choice = infer_choice(flt.start, flt.end, latest)
    year, vi = flt.start.year, lang == "vi"
    if choice.preset == "month":
        return _month_vi(flt.start) if vi else _month_en(flt.start)
    if choice.preset == "quarter":
        return f"quý {_ROMAN[choice.index - 1]}/{year}" if vi else f"Q{choice.index} {year}"
    if choice.preset in ("half", "nine_months"):
        months = 6 if choice.preset == "half" else 9
        return f"{months} tháng đầu năm {year}" if vi else f"the first {_WORDS[months]} months of {year}"
    if choice.preset == "year":
        return f"năm {year}" if vi else str(year)
    if choice.preset == "ytd":
        return f"từ đầu năm {year} đến hết {_month_vi(flt.end)}" if vi else f"{_MONTHS_EN[0]} to {_month_en(flt.end)}"
    return (f"từ {_month_vi(flt.start)} đến {_month_vi(flt.end)}" if vi
            else f"{_month_en(flt.start)} to {_month_en(flt.end)}")


def _count(value: float | None, lang: str) -> str:
    return fmt.count(value, lang)


def _clauses(totals: pd.Series, non_state: float | None, mode: str, lang: str, skip_first: bool) -> list[str]:
    """Each stage's declared clause with its count; the non-state part after its stage's."""
    clauses = []
    for stage in model.stages()[1 if skip_first else 0:]:
        clause = stage.headline.get(mode, {}).get(lang)
        if clause is None:
            continue
        text = clause.format(n=_count(totals[stage.key], lang))
        if stage.key == model.NON_STATE_STAGE and non_state is not None:
            text += t("non_state_clause", lang, n=_count(non_state, lang))
        clauses.append(text)
    return clauses


def headline(totals: pd.Series, non_state: float | None, flt: Filter, latest: Month, as_of: date,
             place: str | None, lang: str) -> str:
    """The sentence for ``totals`` (one row of the funnel) of ``flt``: ``non_state`` is the non-state count
    of the model's non-state stage (None to leave that part out), ``place`` the districts or units chosen
    (None for the whole area); a period running past ``as_of`` says where the data ends."""
    period = period_phrase(flt, latest, lang)
    if flt.last_day > as_of:
        period += t("data_until", lang, date=fmt.day(as_of, lang))
    where = t("sentence_place", lang, place=place) if place else ""
    if flt.mode == "cohort":
        first = model.stages()[0].headline["cohort"][lang].format(n=_count(totals[model.stages()[0].key], lang))
        later = _clauses(totals, non_state, "cohort", lang, skip_first=True)
        text = t("sentence_cohort", lang, referred=first, period=period, place=where, clauses="; ".join(later))
    else:
        text = t("sentence_period", lang, period=period, place=where,
                 clauses="; ".join(_clauses(totals, non_state, "period", lang, skip_first=False)))
    return text[0].upper() + text[1:]


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def funnel_sentence(totals: pd.Series, mode: str, lang: str) -> str:
    """The step where most is lost: in period mode the smallest ratio of a stage's count to the previous
    stage's in the period; in cohort mode the step most of the cohort has not made."""
    stages = model.stages()
    steps = [(previous, stage, totals[stage.key] / totals[previous.key])
             for previous, stage in zip(stages, stages[1:])
             if totals[previous.key] and not pd.isna(totals[previous.key]) and not pd.isna(totals[stage.key])]
    if not steps:
        return t("funnel_sentence_none", lang)
    previous, stage, ratio = min(steps, key=lambda step: step[2])
    if mode == "cohort":
        lost = totals[previous.key] - totals[stage.key]
        return t("funnel_sentence_cohort", lang, previous=previous.step[lang], stage=stage.step[lang],
                 lost=fmt.count(lost, lang), of=fmt.count(totals[previous.key], lang),
                 share=fmt.percent(1 - ratio, lang))
    return t("funnel_sentence_period", lang, stage=_capital(stage.noun[lang]), previous=previous.noun[lang],
             ratio=fmt.percent(ratio, lang))


def districts_sentence(by_district: pd.DataFrame, lang: str) -> str:
    """The leading and the lagging area, in the order :func:`ranking.ranked_areas` puts them, among the areas
    with a value (the sentence says so when some have none: hidden for an audience, or no members recorded)."""
    measure, ordered = ranked_areas(by_district)
    if measure is not None:
        value = lambda row: measure.note(fmt.measure(row[measure.key], measure, lang), lang)  # noqa: E731
        key = "districts_sentence_rate"
    else:
        ordered = ordered.dropna(subset=[model.stages()[0].key])
        value = lambda row: fmt.count(row[model.stages()[0].key], lang)  # noqa: E731
        key = "districts_sentence_count"
    if len(ordered) < 2:
        return t("districts_sentence_one", lang)
    first, last = ordered.iloc[0], ordered.iloc[-1]
    sentence = t(key, lang, first=first["label"], first_value=value(first), last=last["label"], last_value=value(last))
    if len(ordered) < len(by_district):  # "fewest" of those shown, not of all
        sentence += " " + t("districts_sentence_shown", lang, shown=len(ordered), total=len(by_district))
    return sentence


def pace_sentence(pace: pd.DataFrame, as_of: date, lang: str) -> str:
    """Each stage with a target: how much of it is reached and whether that is on track."""
    parts = [t("pace_part", lang, stage=model.stage(row.stage).step[lang], share=fmt.percent(row.actual / row.target,
                                                                                            lang),
               status=t(f"status_{row.status}", lang))
             for row in pace[pace["status"].isin(TRACKED)].itertuples(index=False)]
    return t("pace_sentence", lang, date=fmt.day(as_of, lang), parts="; ".join(parts)) if parts else ""


def change_sentence(totals: pd.Series, last_year: pd.Series, months: int | None, lang: str) -> str:
    """The stage that changed most against the same months of last year (``months``: how many months both
    sides have data for, when fewer than the period's); of a cohort still maturing, only its referrals."""
    immature = comparison.immature(totals, last_year)
    changes = [(stage, totals[stage.key], last_year[stage.key]) for stage in model.stages()
               if comparison.change(totals[stage.key], last_year[stage.key]) is not None
               and not comparison.maturing(stage.key, immature)]
    if not changes:
        return t("change_sentence_none", lang)
    stage, now, before = max(changes, key=lambda change: abs(change[1] / change[2] - 1))
    like_for_like = t("like_for_like", lang, months=months) if months else ""
    return t("change_sentence", lang, stage=stage.noun[lang], change=fmt.percent(now / before - 1, lang, signed=True),
             before=fmt.count(before, lang), now=fmt.count(now, lang), like=like_for_like)
