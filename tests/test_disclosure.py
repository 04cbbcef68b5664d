"""A restricted audience's numbers against an attacker who may ask for anything they may see.

The attacker here works only through :func:`analytics.access.funnel`, as the pages do: every month range of a
year, by no breakdown, by district, gender, sector and age band, and the non-state sectors together. Every
answer is a linear equation over the finest counts (district × month and value × month), every hidden answer
says "at least 1" (zeros are shown), and linear programming gives the lowest and highest value each hidden
small count can take. None may be pinned down, and each must be able to reach the threshold.
"""

from __future__ import annotations

import base64
import itertools
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

from analytics import access, disclosure, model, overview
from analytics.filters import Filter, Month

YEAR = 2022
BREAKDOWNS = ("district", "gender", "sector", "age_band")
STAGE = "admitted"


def _ranges() -> list[tuple[int, int]]:
    return [(first, last) for first in range(1, 13) for last in range(first, 13)]


class _Attack:
    """What the attacker learns: equations ``sum of atoms = value`` and ``>= 1`` for hidden answers."""

    def __init__(self, con, principal: access.Principal, stage: str, districts: list[str]):
        self._districts = districts
        self.atoms: dict[tuple[str, str, int], int] = {}
        self.equal: list[tuple[list[int], float]] = []
        self.at_least_one: list[list[int]] = []
        for first, last in _ranges():
            flt = Filter(Month(YEAR, first), Month(YEAR, last))
            self._learn(access.funnel(con, principal, flt, None, "en"), "total", first, last, stage)
            for by in BREAKDOWNS:
                self._learn(access.funnel(con, principal, flt, by, "en"), by, first, last, stage)
            non_state = replace(flt, sectors=model.non_state_sectors())
            row = access.funnel(con, principal, non_state, None, "en").iloc[0]
            self._record([self._atom("sector", s, m) for s in model.non_state_sectors()
                          for m in range(first, last + 1)], row[stage])

    def _atom(self, table: str, key: str, month: int) -> int:
        return self.atoms.setdefault((table, key, month), len(self.atoms))

    def _learn(self, frame: pd.DataFrame, by: str, first: int, last: int, stage: str) -> None:
        for key, value in zip(frame["key"].astype(str), frame[stage], strict=True):
            if by == "total":
                columns = [self._atom("district", d, m) for d in self._districts for m in range(first, last + 1)]
            else:
                columns = [self._atom(by, key, m) for m in range(first, last + 1)]
            self._record(columns, value)

    def _record(self, columns: list[int], value: float) -> None:
        if pd.isna(value):
            self.at_least_one.append(columns)
        else:
            self.equal.append((columns, float(value)))

    def bounds(self, columns: list[int]) -> tuple[float, float]:
        """The lowest and highest value the sum of ``columns`` can take given all answers."""
        size = len(self.atoms)
        rows, values = [], []
        for cols, value in self.equal:
            row = np.zeros(size)
            row[cols] = 1
            rows.append(row)
            values.append(value)
        for table in BREAKDOWNS[1:]:  # each breakdown adds up to the districts, month by month
            for month in range(1, 13):
                row = np.zeros(size)
                for (kind, _, m), atom in self.atoms.items():
                    if m == month and kind in (table, "district"):
                        row[atom] = 1 if kind == table else -1
                rows.append(row)
                values.append(0)
        upper = []
        for cols in self.at_least_one:
            row = np.zeros(size)
            row[cols] = -1
            upper.append(row)
        objective = np.zeros(size)
        objective[columns] = 1
        found = []
        for sign in (1, -1):
            result = linprog(sign * objective, A_eq=np.array(rows), b_eq=values, A_ub=np.array(upper),
                             b_ub=-np.ones(len(upper)), bounds=(0, None), method="highs")
            found.append(np.inf if result.status == 3 else sign * result.fun)
        return found[0], found[1]


@pytest.fixture(scope="module")
def truth(sample_con) -> dict:
    """The true small counts of the year's district × month cells (what the attacker wants)."""
    cells = {}
    for month in range(1, 13):
        flt = Filter(Month(YEAR, month), Month(YEAR, month))
        frame = access.funnel(sample_con, access.OPERATOR, flt, "district", "en")
        cells |= {(key, month): int(value) for key, value in zip(frame["key"], frame[STAGE], strict=True)}
    return cells


@pytest.mark.parametrize("audience", list(model.AUDIENCES))
def test_no_hidden_small_count_can_be_worked_out(sample_con, truth, audience):
    principal = access.Principal(user="attacker", role="presenter", audience=audience)
    threshold = principal.threshold
    attack = _Attack(sample_con, principal, STAGE, sorted({key for key, _ in truth}))
    small = {cell: value for cell, value in truth.items() if 1 <= value < threshold}
    assert len(small) > 20  # the sample has many small monthly district counts to attack
    for (district, month), value in small.items():
        low, high = attack.bounds([attack.atoms[("district", district, month)]])
        assert low <= value <= high, (district, month)  # the answers are consistent with the truth
        assert high - low >= threshold - 1 and high >= threshold, (district, month, value, low, high)


def test_the_issues_example_is_no_longer_a_difference(sample_con):
    """Dầu Tiếng's admissions in 09/2022: Jan–Sep minus Jan–Aug gave the hidden value away."""
    presenter = access.Principal(user="attacker", role="presenter")
    september = access.funnel(sample_con, access.OPERATOR, Filter(Month(2022, 9), Month(2022, 9), ("720",)),
                              None, "en").iloc[0][STAGE]
    assert 1 <= september < presenter.threshold  # still a small count in the sample
    answers = [access.funnel(sample_con, presenter, Filter(Month(2022, 1), Month(2022, last), ("720",)), None,
                             "en").iloc[0][STAGE] for last in (8, 9)]
    assert any(pd.isna(answer) for answer in answers)


def test_every_shown_number_is_the_true_one(sample_con):
    """Hiding never changes a number: what an audience sees is exactly what the committee sees, or x."""
    public = access.Principal(user="p", role="presenter", audience="public")
    for (first, last), by in itertools.product([(1, 9), (7, 12), (3, 3)], (None, "district", "unit", "gender")):
        flt = Filter(Month(2025, first), Month(2025, last))
        shown = access.funnel(sample_con, public, flt, by, "en").set_index("key")
        true = access.funnel(sample_con, access.OPERATOR, flt, by, "en").set_index("key").reindex(shown.index)
        for stage in model.stage_keys():
            kept = shown[stage].notna()
            assert (shown.loc[kept, stage] == true.loc[kept, stage]).all()
            assert not ((true[stage] >= 1) & (true[stage] < 10) & kept).any()


@pytest.mark.parametrize(("flt", "by"), [
    (Filter(Month(2022, 1), Month(2022, 9), sectors=("fdi",)), "district"),  # every count hidden
    (Filter(Month(2026, 1), Month(2026, 12)), "unit"),  # some hidden among shown ones
    (Filter(Month(2022, 1), Month(2022, 9), districts=("718",)), "gender"),
])
def test_an_audiences_rows_are_not_ranked_by_hidden_counts(sample_con, flt, by):
    """A row's place must not tell how large its hidden count is: shown referrals largest first, then the hidden
    rows by key; and a limit takes the first of that order, not the largest true counts."""
    public = access.Principal(user="p", role="presenter", audience="public")
    rows = access.funnel(sample_con, public, flt, by, "en")
    shown, hidden = rows[rows["referred"].notna()], rows[rows["referred"].isna()]
    assert len(hidden), "the case needs hidden rows"
    assert rows.index[: len(shown)].tolist() == shown.index.tolist()  # every shown row before every hidden one
    assert shown["referred"].is_monotonic_decreasing
    assert hidden["key"].tolist() == sorted(hidden["key"].tolist())
    limited = access.funnel(sample_con, public, flt, by, "en", limit=2)
    assert limited["key"].tolist() == rows["key"].head(2).tolist() and set(limited["groups"]) == {len(rows)}


def test_a_slice_the_release_does_not_hold_is_hidden(sample_con):
    """A sector within a district is in no audited table: hidden whatever its size."""
    public = access.Principal(user="p", role="presenter", audience="public")
    flt = Filter(Month(2022, 1), Month(2022, 12), districts=("725",), sectors=("fdi",))
    true = access.funnel(sample_con, access.OPERATOR, flt, None, "en").iloc[0]
    assert true["referred"] >= 100
    assert access.funnel(sample_con, public, flt, None, "en")[list(model.stage_keys())].isna().all(axis=None)


@pytest.mark.parametrize(("year", "stage"), [(2022, "admitted"), (2025, "admitted"), (2026, "official")])
def test_the_release_passes_an_independent_audit(sample_con, year, stage):
    """The whole release (every table and period), checked by a programme built here from its cells."""
    threshold = model.AUDIENCES["public"].threshold
    tables = disclosure._year_tables(sample_con, year)[stage]
    release = disclosure.release(sample_con, year, stage, threshold)
    shown = [cell for cell in tables.cell_list if cell not in release.hidden]
    hidden = sorted(release.hidden)
    rows = lambda cells: tables.incidence[[tables.cell_index[c] for c in cells]].toarray()  # noqa: E731
    a_eq = np.vstack([rows(shown), tables.links.toarray()])
    b_eq = np.concatenate([[tables.values[c] for c in shown], np.zeros(tables.links.shape[0])])
    a_ub, b_ub = -rows(hidden), -np.ones(len(hidden))
    small = [cell for cell in hidden if tables.values[cell] < threshold]
    assert small and all(tables.values[cell] >= 1 for cell in hidden)
    for cell in small[:: max(1, len(small) // 60)]:  # an even sample of the small counts, up to about 60
        objective = rows([cell])[0]
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, A_ub=a_ub, b_ub=b_ub, method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, A_ub=a_ub, b_ub=b_ub, method="highs")
        assert low.status == 0
        top = np.inf if high.status == 3 else -high.fun
        assert top >= threshold and top - low.fun >= threshold - 1 - 1e-6, (cell, low.fun, top)


def _values(figure: dict) -> list[float]:
    """The figure's data values (each trace's x, y and text) and its annotations' texts that are numbers."""
    def numbers(values) -> list[float]:
        if isinstance(values, dict) and "bdata" in values:  # Plotly's typed array: base64 of the raw values
            values = np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
        values = values if isinstance(values, list) else [values]
        found = []
        for value in values:
            text = str(value).replace(",", "")
            try:
                found.append(float(text))
            except ValueError:
                continue
        return found

    shown = [v for trace in figure["data"] for key in ("x", "y", "text") if key in trace
             for v in numbers(trace[key])]
    return shown + [v for note in figure["layout"].get("annotations", []) for v in numbers(note.get("text", ""))]


@pytest.mark.parametrize("slide", [1, 2, 3, 4, 5])
def test_no_slide_shows_a_count_under_ten_to_the_public(slide):
    from tests.apps import figures, open_app

    at = open_app("present", lang="en", **{"from": "2022-01", "to": "2022-09", "audience": "public",
                                           "district": "720", "slide": str(slide)})
    assert not at.exception
    (figure,) = figures(at)
    small = [v for v in _values(figure) if v.is_integer() and 1 <= v <= 9]
    assert not small, small
    assert "x: hidden (under 10" in " ".join(str(h.proto) for h in at.get("html"))  # the footer says what x is


@pytest.mark.parametrize("page", ["overview", "explore", "present"])
@pytest.mark.parametrize("params", [{"by": "unit"}, {"by": "age_band", "mode": "cohort"}, {"unit": "BD09,BD10"}])
def test_every_page_draws_for_the_public(page, params):
    """Wards and communes, a cohort link (counted by period instead) and a unit filter, in 2026."""
    from tests.apps import figures, open_app

    at = open_app(page, lang="en", **{"from": "2026-01", "to": "2026-09", "audience": "public", **params})
    assert not at.exception
    assert figures(at)
    assert at.query_params.get("audience") == ["public"] or at.query_params.get("audience") == "public"
    assert at.session_state["view"].filter.mode == "period"
    commands = [line for code in at.code for line in code.value.splitlines()]
    assert (commands or page == "present") and all(line.endswith("--audience public") for line in commands)


def test_the_fewest_area_is_said_to_be_among_those_shown(sample_con):
    """Feb 2026 for the public: four districts are hidden, and the true lowest is one of them. "Fewest" must not
    pass for the fewest of all."""
    flt = Filter(Month(2026, 2), Month(2026, 2))
    public = access.Principal(user="p", role="presenter", audience="public")
    said = overview.load(sample_con, public, flt, "en").sentences()["districts"]
    shown = access.funnel(sample_con, public, flt, "district", "en")
    assert shown["referred"].isna().any()
    assert f"Among the {int(shown['referred_per_1000_members'].notna().sum())} of {len(shown)} areas" in said
    assert "Among" not in overview.load(sample_con, access.OPERATOR, flt, "en").sentences()["districts"]
