"""The semantic model: ``model.toml`` loaded and checked once, at import.

Everything that describes the funnel lives in that file: counting modes, stages (date column, colour,
typical delay), sectors, breakdowns with their value labels and order, inputs (union members, targets),
measures (kind, numerator and denominator, format, suppression, where they are shown, label, definition
and card note in both languages, per counting mode) and the suppression threshold. This module only
reads it, checks it (a mistake names the entry) and answers lookups; it knows no stage or measure by name.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LANGUAGES = ("vi", "en")
DECLARATION = Path(__file__).with_name("model.toml")

KINDS = ("count", "ratio", "per_1000", "days")
FORMATS = ("count", "percent", "decimal", "days")
SUPPRESSION_RULES = ("small_count", "with_inputs")
PLACES = ("card", "funnel", "leaks", "map")
ORDERS = ("referrals", "values", "time")
TIME_UNITS = ("month", "quarter", "year")
INPUT_SOURCES = ("membership", "targets")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]*$")
_COLOUR = re.compile(r"^#[0-9a-f]{6}$")

#: The group key of rows whose breakdown column is empty (e.g. a union outside industrial zones).
NO_VALUE = "-"
UNKNOWN = {"vi": "Không rõ", "en": "Unknown"}

#: Rows a breakdown table shows on a page: every district nationally (about 700), the grassroots unions
#: with most referrals (of about 100,000). Downloads have every group.
TABLE_ROWS = 1000


class ModelError(ValueError):
    """``model.toml`` says something inconsistent; the message names the entry."""


Text = dict[str, str]


@dataclass(frozen=True)
class Mode:
    key: str
    label: Text
    definition: Text


@dataclass(frozen=True)
class Stage:
    key: str
    order: int
    date_column: str
    date_header: Text
    date_aliases: tuple[str, ...]  # other wordings of the header in district reports
    colour: str
    typical_days: int
    min_days_after_previous: int
    name: Text
    short: Text
    headline: dict[str, Text]  # the stage's clause in the report's sentence, by counting mode
    noun: Text  # its count in a sentence
    step: Text  # the step's name in a sentence


@dataclass(frozen=True)
class Sector:
    key: str
    order: int
    name: Text
    non_state: bool


@dataclass(frozen=True)
class Dimension:
    """A way to break the funnel down. ``column`` is a column of the ``events``/``candidates`` views; time
    dimensions are computed from the event date (period mode) or the referral date (cohort mode)."""

    key: str
    label: Text
    order: str
    column: str | None = None
    time_unit: str | None = None
    values: dict[str, Text] = field(default_factory=dict)
    empty: Text = field(default_factory=lambda: dict(UNKNOWN))


@dataclass(frozen=True)
class Input:
    """A number measures divide by that is not a stage count: union members, a stage's yearly target."""

    key: str
    source: str
    label: Text
    definition: Text
    stage: str | None = None


@dataclass(frozen=True)
class Audience:
    """Who a screen or a file is for, when not only those cleared for every number: counts from 1 to
    ``threshold - 1`` are hidden from them (and whatever would reveal one, see :mod:`analytics.disclosure`)."""

    key: str
    threshold: int
    label: Text


@dataclass(frozen=True)
class Wording:
    label: Text
    definition: Text
    note: Text | None = None


@dataclass(frozen=True)
class Measure:
    """A number shown on screen. A ratio is ``numerator / denominator`` of summed counts, never an average."""

    key: str
    kind: str
    numerator: str
    denominator: str | None
    format: str
    suppress: str
    small_groups: bool
    shown_in: tuple[str, ...]
    wording: dict[str, Wording]  # by counting mode

    def label(self, lang: str, mode: str = "period") -> str:
        return self.wording[mode].label[lang]

    def definition(self, lang: str, mode: str = "period") -> str:
        return self.wording[mode].definition[lang]

    def note(self, value: str, lang: str, mode: str = "period") -> str | None:
        """The card or funnel note with the formatted ``value`` in it (None if the measure has none)."""
        note = self.wording[mode].note
        return note[lang].format(value=value) if note else None

    @property
    def scale(self) -> float:
        return 1000.0 if self.kind == "per_1000" else 1.0


def _fail(where: str, message: str) -> None:
    raise ModelError(f"{DECLARATION.name} [{where}]: {message}")


def _text(where: str, value: object) -> Text:
    if not isinstance(value, dict) or set(value) != set(LANGUAGES) or not all(
        isinstance(v, str) and v.strip() for v in value.values()
    ):
        _fail(where, f"needs non-empty text in exactly {', '.join(LANGUAGES)}")
    return dict(value)


def _choice(where: str, value: object, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        _fail(where, f"'{value}' is not one of {', '.join(allowed)}")
    return value


def _identifier(where: str, value: object) -> str:
    if not isinstance(value, str) or not _IDENTIFIER.match(value):
        _fail(where, f"'{value}' must be a lower-case identifier (it is used in SQL)")
    return value


def _modes(raw: dict) -> dict[str, Mode]:
    return {key: Mode(key, _text(f"modes.{key}.label", entry.get("label")),
                      _text(f"modes.{key}.definition", entry.get("definition")))
            for key, entry in raw.items()}


def _stages(raw: dict) -> tuple[Stage, ...]:
    stages = []
    for order, (key, entry) in enumerate(raw.items(), start=1):
        where = f"stages.{key}"
        colour = entry.get("colour", "")
        if not _COLOUR.match(colour):
            _fail(where, f"colour '{colour}' must be written #rrggbb")
        stages.append(Stage(
            _identifier(where, key), order, _identifier(f"{where}.date_column", entry.get("date_column")),
            _text(f"{where}.date_header", entry.get("date_header")), _aliases(f"{where}.date_aliases",
                                                                                  entry.get("date_aliases", [])),
            colour, int(entry["typical_days"]),
            int(entry.get("min_days_after_previous", 0)), _text(f"{where}.name", entry.get("name")),
            _text(f"{where}.short", entry.get("short")),
            {mode: _clause(f"{where}.headline.{mode}", text) for mode, text in entry.get("headline", {}).items()},
            _text(f"{where}.noun", entry.get("noun")), _text(f"{where}.step", entry.get("step")),
        ))
    return tuple(stages)


def _aliases(where: str, value: object) -> tuple[str, ...]:
    if not (isinstance(value, list) and all(isinstance(name, str) and name.strip() for name in value)):
        _fail(where, "must be a list of header wordings")
    return tuple(value)


def _clause(where: str, value: object) -> Text:
    text = _text(where, value)
    if not all("{n}" in clause for clause in text.values()):
        _fail(where, "must contain {n}")
    return text


def _sectors(raw: dict) -> tuple[Sector, ...]:
    return tuple(Sector(_identifier(f"sectors.{key}", key), order, _text(f"sectors.{key}.name", entry.get("name")),
                        bool(entry["non_state"]))
                 for order, (key, entry) in enumerate(raw.items(), start=1))


def _dimension(key: str, entry: dict, sectors: tuple[Sector, ...]) -> Dimension:
    where = f"dimensions.{key}"
    column, unit = entry.get("column"), entry.get("time_unit")
    if (column is None) == (unit is None):
        _fail(where, "needs either a column or a time_unit")
    values = entry.get("values", {})
    if values == "sectors":
        values = {s.key: s.name for s in sectors}
    values = {value: _text(f"{where}.values.{value}", text) for value, text in values.items()}
    order = _choice(f"{where}.order", entry.get("order"), ORDERS)
    if (order == "time") != (unit is not None) or (order == "values" and not values):
        _fail(where, "order 'time' is for time units only, 'values' needs declared values")
    return Dimension(key, _text(f"{where}.label", entry.get("label")), order,
                     column=_identifier(f"{where}.column", column) if column else None,
                     time_unit=_choice(f"{where}.time_unit", unit, TIME_UNITS) if unit else None,
                     values=values, empty=_text(f"{where}.empty", entry.get("empty", UNKNOWN)))


def _unit_types(raw: dict) -> dict[str, Text]:
    types = {}
    for key, entry in raw.items():
        label = _text(f"unit_types.{key}.label", entry.get("label"))
        if not all("{name}" in text for text in label.values()):
            _fail(f"unit_types.{key}.label", "must contain {name}")
        types[key] = label
    return types


def _inputs(raw: dict, stage_keys: tuple[str, ...]) -> dict[str, Input]:
    inputs = {}
    for key, entry in raw.items():
        where = f"inputs.{key}"
        source = _choice(f"{where}.source", entry.get("source"), INPUT_SOURCES)
        stage = entry.get("stage")
        if (source == "targets") != (stage in stage_keys):
            _fail(where, "a target input names its stage (one of the stages); other inputs name none")
        inputs[key] = Input(_identifier(where, key), source, _text(f"{where}.label", entry.get("label")),
                            _text(f"{where}.definition", entry.get("definition")), stage)
    return inputs


def _wording(where: str, entry: dict, base: Wording | None = None) -> Wording:
    return Wording(
        label=_text(f"{where}.label", entry["label"]) if "label" in entry or base is None else base.label,
        definition=_text(f"{where}.definition", entry["definition"]) if "definition" in entry or base is None
        else base.definition,
        note=_text(f"{where}.note", entry["note"]) if "note" in entry else (base.note if base else None),
    )


def _measure(key: str, entry: dict, columns: set[str], modes: dict[str, Mode]) -> Measure:
    where = f"measures.{key}"
    kind = _choice(f"{where}.kind", entry.get("kind"), KINDS)
    numerator, denominator = entry.get("numerator"), entry.get("denominator")
    if numerator not in columns:
        _fail(where, f"numerator '{numerator}' is not a stage or an input")
    if kind in ("ratio", "per_1000") and denominator not in columns:
        _fail(where, f"a {kind} needs a denominator that is a stage or an input, not '{denominator}'")
    shown_in = tuple(_choice(f"{where}.shown_in", place, PLACES) for place in entry.get("shown_in", []))
    period = _wording(where, entry)
    wording = {mode: _wording(f"{where}.{mode}", entry.get(mode, {}), period) for mode in modes}
    for mode, words in wording.items():
        if ("card" in shown_in or "funnel" in shown_in) and words.note is None:
            _fail(where, "a measure shown on a card or beside the funnel needs a note")
        if words.note and not all("{value}" in text for text in words.note.values()):
            _fail(f"{where}.{mode}.note", "must contain {value}")
    return Measure(_identifier(where, key), kind, numerator, denominator,
                   _choice(f"{where}.format", entry.get("format"), FORMATS),
                   _choice(f"{where}.suppress", entry.get("suppress"), SUPPRESSION_RULES),
                   bool(entry.get("small_groups")), shown_in, wording)


def _load(path: Path) -> dict:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    modes = _modes(raw["modes"])
    stages = _stages(raw["stages"])
    sectors = _sectors(raw["sectors"])
    stage_keys = tuple(s.key for s in stages)
    inputs = _inputs(raw["inputs"], stage_keys)
    columns = {*stage_keys, *inputs}
    measures = {key: _measure(key, entry, columns, modes) for key, entry in raw["measures"].items()}
    counted = [m.key for m in measures.values() if m.kind == "count"]
    if counted != list(stage_keys) or any(m.key != m.numerator for m in measures.values() if m.kind == "count"):
        _fail("measures", "every stage needs its count measure, named as the stage, in funnel order")
    maturity = raw["cohort"]["maturity_stage"]
    if maturity not in stage_keys:
        _fail("cohort.maturity_stage", f"'{maturity}' is not a stage")
    non_state_stage = raw["report"]["non_state_stage"]
    if non_state_stage not in stage_keys:
        _fail("report.non_state_stage", f"'{non_state_stage}' is not a stage")
    audiences = {key: Audience(key, int(entry["threshold"]), _text(f"suppression.audiences.{key}.label",
                                                                    entry.get("label")))
                 for key, entry in raw["suppression"]["audiences"].items()}
    thresholds = [audience.threshold for audience in audiences.values()]
    if not audiences or thresholds[0] < 2 or thresholds != sorted(set(thresholds)):
        _fail("suppression.audiences", "needs at least one audience, thresholds from 2 up, least strict first")
    return {
        "modes": modes, "stages": stages, "sectors": sectors, "inputs": inputs, "measures": measures,
        "dimensions": {key: _dimension(key, entry, sectors) for key, entry in raw["dimensions"].items()},
        "columns": {key: Wording(_text(f"columns.{key}.label", e.get("label")),
                                 _text(f"columns.{key}.definition", e.get("definition")))
                    for key, e in raw["columns"].items()},
        "unit_types": _unit_types(raw["unit_types"]),
        "maturity_stage": maturity, "non_state_stage": non_state_stage, "audiences": audiences,
        "min_group": int(raw["suppression"]["min_group"]),
    }


_MODEL = _load(DECLARATION)

MODES: dict[str, Mode] = _MODEL["modes"]
DIMENSIONS: dict[str, Dimension] = _MODEL["dimensions"]
INPUTS: dict[str, Input] = _MODEL["inputs"]
#: How a unit of each kind is named: ``{"phường": {"vi": "Phường {name}", "en": "{name} Ward"}, ...}``.
UNIT_TYPES: dict[str, Text] = _MODEL["unit_types"]
#: Restricted audiences by key, least strict first (the first is the presenters').
AUDIENCES: dict[str, Audience] = _MODEL["audiences"]
#: A rate whose denominator is smaller than this is listed but not charted or ranked.
MIN_GROUP: int = _MODEL["min_group"]
#: The stage whose typical delay decides when a cohort is mature (admission is the funnel's outcome).
MATURITY_STAGE: str = _MODEL["maturity_stage"]
#: The stage the report's sentence also counts for non-state enterprises.
NON_STATE_STAGE: str = _MODEL["non_state_stage"]


def stages() -> tuple[Stage, ...]:
    """The funnel stages in order (referred, trained, admitted, official)."""
    return _MODEL["stages"]


def stage_keys() -> tuple[str, ...]:
    return tuple(s.key for s in stages())


def date_columns() -> tuple[str, ...]:
    """The stages' date columns of the candidates table, in funnel order."""
    return tuple(s.date_column for s in stages())


def stage(key: str) -> Stage:
    return next(s for s in stages() if s.key == key)


def steps() -> tuple[tuple[Stage, Stage], ...]:
    """The funnel's steps in order, each a stage and the next one (referral → class, class → admission …)."""
    return tuple(zip(stages(), stages()[1:]))


def sectors() -> tuple[Sector, ...]:
    return _MODEL["sectors"]


def sector_keys() -> tuple[str, ...]:
    return tuple(s.key for s in sectors())


def non_state_sectors() -> tuple[str, ...]:
    return tuple(s.key for s in sectors() if s.non_state)


def measures() -> dict[str, Measure]:
    """Every measure, in the order its columns appear in tables and exports."""
    return _MODEL["measures"]


def ratio(numerator: str, denominator: str) -> Measure | None:
    """The declared ratio of ``numerator`` to ``denominator`` (e.g. the step from one stage to the next)."""
    return next((m for m in measures().values()
                 if m.kind != "count" and (m.numerator, m.denominator) == (numerator, denominator)), None)


def shown_in(place: str, numerator: str | None = None) -> list[Measure]:
    """The measures shown in ``place`` (card, funnel, leaks), those of one numerator if given."""
    return [m for m in measures().values()
            if place in m.shown_in and (numerator is None or m.numerator == numerator)]


def target_inputs() -> list[Input]:
    return [i for i in INPUTS.values() if i.source == "targets"]


#: The columns a comparison adds per stage: ``<stage>_before`` (the baseline's count), ``<stage>_change``.
COMPARED = ("before", "change")


def compared_stage(column: str) -> tuple[str, str] | None:
    """(stage, "before" or "change") for a comparison's column (``trained_change``), else None."""
    stage_key, _, part = column.rpartition("_")
    return (stage_key, part) if part in COMPARED and stage_key in stage_keys() else None


def column_label(column: str, lang: str, mode: str = "period") -> str:
    """The label of any table or export column: a measure, an input, a comparison's column or a flag."""
    if compared := compared_stage(column):
        return _MODEL["columns"][compared[1]].label[lang].format(stage=column_label(compared[0], lang, mode))
    if column in measures():
        return measures()[column].label(lang, mode)
    if column in INPUTS:
        return INPUTS[column].label[lang]
    return _MODEL["columns"][column].label[lang]


def column_definition(column: str, lang: str, mode: str = "period") -> str:
    """The one-sentence definition of a table or export column (shown as its header's help)."""
    if compared := compared_stage(column):
        return _MODEL["columns"][compared[1]].definition[lang].format(stage=column_label(compared[0], lang, mode))
    if column in measures():
        return measures()[column].definition(lang, mode)
    if column in INPUTS:
        return INPUTS[column].definition[lang]
    return _MODEL["columns"][column].definition[lang]


def value_label(by: str, key: str, lang: str) -> str:
    """The label of a declared value of a breakdown (a sector, a gender, an age band), or the key itself."""
    return DIMENSIONS[by].values.get(key, {}).get(lang, key)


def limitable(by: str | None) -> bool:
    """Whether a breakdown can be cut to its largest groups: one by group, not by time (nor the total)."""
    return by is not None and not DIMENSIONS[by].time_unit


def table_limit(by: str | None) -> int | None:
    """The rows a page's table asks for: :data:`TABLE_ROWS` of a breakdown by group, otherwise all."""
    return TABLE_ROWS if limitable(by) else None
