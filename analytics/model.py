"""The semantic model, declared once: stages, sectors, dimensions and measures with vi/en labels.

Stages and sectors are reference data (``data/reference/*.csv``); dimensions and measures are
declared here. Pages, charts, exports and the CLI look labels up here instead of repeating strings.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from analytics.config import REFERENCE_DIR

LANGUAGES = ("vi", "en")


@dataclass(frozen=True)
class Stage:
    key: str
    order: int
    date_column: str
    name: dict[str, str]
    short: dict[str, str]
    normal_days_from_referral: int


@dataclass(frozen=True)
class Sector:
    key: str
    order: int
    name: dict[str, str]
    non_state: bool


def _read_reference(name: str) -> list[dict[str, str]]:
    with open(REFERENCE_DIR / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@cache
def stages() -> tuple[Stage, ...]:
    """The funnel stages in order (referred, trained, admitted, official)."""
    rows = sorted(_read_reference("stages.csv"), key=lambda r: int(r["order"]))
    return tuple(
        Stage(
            key=r["stage"],
            order=int(r["order"]),
            date_column=r["date_column"],
            name={"vi": r["name_vi"], "en": r["name_en"]},
            short={"vi": r["short_vi"], "en": r["short_en"]},
            normal_days_from_referral=int(r["normal_days_from_referral"]),
        )
        for r in rows
    )


@cache
def sectors() -> tuple[Sector, ...]:
    rows = sorted(_read_reference("sectors.csv"), key=lambda r: int(r["order"]))
    return tuple(
        Sector(
            key=r["sector"],
            order=int(r["order"]),
            name={"vi": r["name_vi"], "en": r["name_en"]},
            non_state=r["non_state"].strip().lower() == "true",
        )
        for r in rows
    )


def stage_keys() -> tuple[str, ...]:
    return tuple(s.key for s in stages())


def sector_keys() -> tuple[str, ...]:
    return tuple(s.key for s in sectors())


def stage(key: str) -> Stage:
    return next(s for s in stages() if s.key == key)


#: The stage whose normal lag decides when a cohort is mature (admission is the funnel's outcome).
MATURITY_STAGE = "admitted"


@dataclass(frozen=True)
class Dimension:
    """A way to break the funnel down. ``column`` is a column of the ``events``/``candidates`` tables;
    time dimensions are computed from the event date (period mode) or the referral date (cohort mode).
    """

    key: str
    label: dict[str, str]
    column: str | None = None
    time_unit: str | None = None


DIMENSIONS: dict[str, Dimension] = {
    d.key: d
    for d in (
        Dimension("district", {"vi": "Huyện, thị xã, thành phố", "en": "District"}, column="district_code"),
        Dimension("sector", {"vi": "Khu vực doanh nghiệp", "en": "Enterprise sector"}, column="sector"),
        Dimension("gender", {"vi": "Giới tính", "en": "Gender"}, column="gender"),
        Dimension("age_band", {"vi": "Nhóm tuổi", "en": "Age band"}, column="age_band"),
        Dimension(
            "reporting_unit", {"vi": "Đơn vị báo cáo", "en": "Reporting unit"}, column="reporting_unit"
        ),
        Dimension(
            "industrial_zone", {"vi": "Khu công nghiệp", "en": "Industrial zone"}, column="industrial_zone"
        ),
        Dimension("union", {"vi": "Công đoàn cơ sở", "en": "Grassroots union"}, column="union_id"),
        Dimension("month", {"vi": "Tháng", "en": "Month"}, time_unit="month"),
        Dimension("quarter", {"vi": "Quý", "en": "Quarter"}, time_unit="quarter"),
        Dimension("year", {"vi": "Năm", "en": "Year"}, time_unit="year"),
    )
}

#: The group key of rows whose breakdown column is empty (e.g. a union outside industrial zones).
NO_VALUE = "-"

#: Rows a breakdown table shows on a page: every district nationally (about 700), the grassroots unions
#: with most referrals (of about 100,000). Downloads have every group.
TABLE_ROWS = 1000


def limitable(by: str | None) -> bool:
    """Whether a breakdown can be cut to its largest groups: one by group, not by time (nor the total)."""
    return by is not None and not DIMENSIONS[by].time_unit


def table_limit(by: str | None) -> int | None:
    """The rows a page's table asks for: :data:`TABLE_ROWS` of a breakdown by group, otherwise all."""
    return TABLE_ROWS if limitable(by) else None

#: Labels of the values of small categorical dimensions that are not reference tables.
VALUE_LABELS: dict[str, dict[str, dict[str, str]]] = {
    "gender": {
        "female": {"vi": "Nữ", "en": "Female"},
        "male": {"vi": "Nam", "en": "Male"},
    },
    "reporting_unit": {
        "district_federation": {"vi": "LĐLĐ cấp huyện", "en": "District federation"},
        "industrial_zones": {"vi": "Công đoàn các KCN", "en": "Industrial-zone union"},
    },
}


@dataclass(frozen=True)
class Measure:
    """A number shown on screen. Ratios are ``numerator / denominator`` of summed counts."""

    key: str
    label: dict[str, str]
    kind: str  # "count" | "rate" | "per_1000"
    description: dict[str, str]
    numerator: str | None = None
    denominator: str | None = None


def _count_measures() -> tuple[Measure, ...]:
    return tuple(
        Measure(s.key, dict(s.short), "count", dict(s.name)) for s in stages()
    )


def _step_measures() -> tuple[Measure, ...]:
    pairs = zip(stages()[:-1], stages()[1:])
    return tuple(
        Measure(
            f"{later.key}_step_rate",
            {lang: f"{later.short[lang]} / {earlier.short[lang]}" for lang in LANGUAGES},
            "rate",
            {
                "vi": f"Tỷ lệ chuyển bước: {later.short['vi'].lower()} chia {earlier.short['vi'].lower()}",
                "en": f"Step conversion: {later.short['en'].lower()} over {earlier.short['en'].lower()}",
            },
            numerator=later.key,
            denominator=earlier.key,
        )
        for earlier, later in pairs
    )


def _overall_measures() -> tuple[Measure, ...]:
    """Stage over referred, from the third stage on (for the second it equals the step rate)."""
    first = stages()[0]
    return tuple(
        Measure(
            f"{s.key}_overall_rate",
            {lang: f"{s.short[lang]} / {first.short[lang]}" for lang in LANGUAGES},
            "rate",
            {
                "vi": f"Tỷ lệ chung: {s.short['vi'].lower()} chia số được giới thiệu",
                "en": f"Overall conversion: {s.short['en'].lower()} divided by referred",
            },
            numerator=s.key,
            denominator=first.key,
        )
        for s in stages()[2:]
    )


@cache
def measures() -> dict[str, Measure]:
    """Every measure: stage counts, step and overall conversion, per 1,000 members, target progress."""
    per_1000 = Measure(
        "referred_per_1000_members",
        {"vi": "Giới thiệu / 1.000 đoàn viên", "en": "Referrals per 1,000 members"},
        "per_1000",
        {
            "vi": "Số được giới thiệu trên 1.000 đoàn viên công đoàn (đoàn viên của năm cuối kỳ)",
            "en": "Referrals per 1,000 union members (membership of the period's last year)",
        },
        numerator="referred",
        denominator="union_members",
    )
    progress = tuple(
        Measure(
            f"{s.key}_target_progress",
            {"vi": f"{s.short['vi']}: đạt % chỉ tiêu năm", "en": f"{s.short['en']}: % of yearly target"},
            "rate",
            {
                "vi": "Số trong kỳ chia tổng chỉ tiêu cả năm của các năm mà kỳ chạm tới",
                "en": "Count in the period divided by the full-year targets of the years it touches",
            },
            numerator=s.key,
            denominator=f"{s.key}_target",
        )
        for s in stages()
    )
    all_measures = (*_count_measures(), *_step_measures(), *_overall_measures(), per_1000, *progress)
    return {m.key: m for m in all_measures}


def column_label(column: str, lang: str) -> str:
    """The label of any exported column: a measure, a denominator or a flag."""
    if column in measures():
        return measures()[column].label[lang]
    if column.endswith("_target"):
        short = stage(column.removesuffix("_target")).short[lang]
        return f"Chỉ tiêu năm: {short}" if lang == "vi" else f"Yearly target: {short}"
    return EXTRA_COLUMN_LABELS[column][lang]


EXTRA_COLUMN_LABELS: dict[str, dict[str, str]] = {
    "union_members": {"vi": "Số đoàn viên", "en": "Union members"},
    "immature": {"vi": "Chưa đủ thời gian chuyển đổi", "en": "Still maturing"},
    "label": {"vi": "Tên", "en": "Name"},
}

MODES: dict[str, dict[str, str]] = {
    "period": {"vi": "Hoạt động trong kỳ", "en": "Period activity"},
    "cohort": {"vi": "Theo lứa giới thiệu", "en": "Referral cohort"},
}

MODE_DESCRIPTIONS: dict[str, dict[str, str]] = {
    "period": {
        "vi": "Đếm số sự kiện của từng bước có ngày nằm trong kỳ (cách báo cáo chính thức).",
        "en": "Counts each stage's events dated within the period (how official reports count).",
    },
    "cohort": {
        "vi": "Những người được giới thiệu trong kỳ, và bao nhiêu người trong số đó đã qua từng bước sau.",
        "en": "People referred in the period, and how many of them reached each later stage.",
    },
}
