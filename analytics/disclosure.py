"""Public-safe numbers: what an audience outside the Party committees may be shown (disclosure control).

Hiding each small count where it appears does not protect it: 01–09/2022 minus 01–08/2022 is September's
count, and the province minus the other districts is the last district's. So a restricted audience (the
presenter's screen, slides, deck, report and downloads) sees only the *release*, audited as linked tables,
as τ-ARGUS protects them:

* For each year and stage the release holds every cell such an audience may ask for: the whole area, each
  former district and each unit, and each value of the fixed breakdowns (sector, with the non-state
  group; gender; age band), for each standard reporting period: each month, each quarter, the first six
  and nine months, the year. Cells are sums of the finest ones (unit × month, value × month), and every
  breakdown adds up to the whole area's cell.
* Counts from 1 to ``threshold - 1`` are hidden (*primary*); zeros are shown. Then more cells are hidden
  (*secondary*): first so that no family (a cell and the cells it is the sum of: the districts of the
  province, the units of a district, the months of a quarter, the first six months and the third quarter
  of the first nine...) has a single hidden cell, then while the audit finds a weak cell.
* The audit: for each hidden small count, the lowest and highest value it can take given every shown cell
  of the release (a linear programme over the finest cells, none negative, every hidden cell at least 1)
  must reach the threshold and be at least ``threshold - 1`` wide. All hidden cells read the same ("x"),
  so a reader cannot tell a small count from one hidden to protect it.

Every number a restricted audience sees is then a shown cell of the release or a sum of shown cells
(:meth:`Release.count`, checked equal to the query's own number): any other number reads "x". Nothing it
can combine (periods, breakdowns, exports, slides) tells more than the audited release. The audience counts
by period only and breaks numbers down by :data:`BREAKDOWNS_SHOWN` only (:mod:`analytics.access`).

Why not perturb counts (the cell-key method)? Its totals do not add up and would not match the published
figures a conference quotes (2.339 / 1.220 / 251); hiding keeps every shown number exact.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass

import duckdb
import highspy
import numpy as np
import pandas as pd
from scipy import sparse

from analytics import model, queries
from analytics.filters import Filter

#: The standard reporting periods of a year by their months: months, quarters, 6 and 9 months, the year.
SPANS: dict[str, tuple[int, ...]] = {
    **{f"m{m}": (m,) for m in range(1, 13)},
    **{f"q{q}": tuple(range(3 * q - 2, 3 * q + 1)) for q in range(1, 5)},
    "h1": tuple(range(1, 7)), "9m": tuple(range(1, 10)), "y": tuple(range(1, 13)),
}
#: Each period that is the sum of others (the year is the first nine months and the fourth quarter...).
TIME_FAMILIES: tuple[tuple[str, tuple[str, ...]], ...] = (
    *((f"q{q}", tuple(f"m{m}" for m in SPANS[f"q{q}"])) for q in range(1, 5)),
    ("h1", ("q1", "q2")), ("9m", ("h1", "q3")), ("y", ("9m", "q4")),
)
#: Breakdowns the release holds for the whole area (besides districts and units).
BREAKDOWNS = ("sector", "gender", "age_band")


@dataclass(frozen=True, order=True)
class Node:
    """A row of one of the linked tables: ``table`` ``area`` (level total, district or unit) or a breakdown
    (level value, or group for the non-state sectors)."""

    table: str
    level: str
    code: str


TOTAL = Node("area", "total", "all")
NON_STATE = Node("sector", "group", "non_state")


@dataclass(frozen=True)
class Release:
    """One year and stage of the release for one audience: each cell's count, which cells are hidden, and the
    former district of each unit."""

    values: dict[tuple[Node, str], int]
    hidden: frozenset[tuple[Node, str]]
    district_of: dict[str, str]

    def count(self, nodes: tuple[Node, ...], months: tuple[int, ...]) -> int | None:
        """The sum of ``nodes`` over ``months`` (consecutive, of this year) when it is a sum of shown cells,
        else None. A node with nothing in those months is 0 (zeros are shown)."""
        total = 0
        for node in nodes:
            value = sum(self.values.get((node, f"m{month}"), 0) for month in months)
            if value and not self._partition(node, months):
                return None
            total += value
        return total

    def _partition(self, node: Node, months: tuple[int, ...]) -> bool:
        """Whether ``months`` of ``node`` split into periods whose cells are shown."""
        first, last = months[0], months[-1]
        reach = {first - 1}
        for end in range(first, last + 1):
            for span, covered in SPANS.items():
                if covered[-1] == end and covered[0] - 1 in reach and covered[0] >= first \
                        and (node, span) not in self.hidden:
                    reach.add(end)
                    break
        return last in reach


def _trees(area: pd.DataFrame, breakdowns: dict[str, pd.DataFrame]) -> dict[Node, list[Node]]:
    """Each node's children: the area (districts, their units) and each breakdown's values under the total."""
    children: dict[Node, list[Node]] = defaultdict(list)
    for district, units in area.groupby("district")["key"]:
        node = Node("area", "district", district)
        children[TOTAL].append(node)
        children[node] = [Node("area", "unit", unit) for unit in sorted(set(units))]
    non_state = set(model.non_state_sectors())
    for by, frame in breakdowns.items():
        for key in sorted(set(frame["key"])):
            value = Node(by, "value", key)
            parent = NON_STATE if by == "sector" and key in non_state else TOTAL
            children[parent].append(value)
    if NON_STATE in children:
        children[TOTAL].append(NON_STATE)
    return dict(children)


class _Tables:
    """The linked tables of one year and stage: finest cells (atoms), every release cell as a sum of atoms,
    and the families (cell = sum of cells)."""

    def __init__(self, area: pd.DataFrame, breakdowns: dict[str, pd.DataFrame], last_month: int = 12):
        self.last_month = last_month
        self.children = _trees(area, breakdowns)
        leaves = {"area": area.assign(node=[Node("area", "unit", k) for k in area["key"]])}
        leaves |= {by: f.assign(node=[Node(by, "value", k) for k in f["key"]]) for by, f in breakdowns.items()}
        self.atoms: dict[tuple[Node, int], int] = {}
        values = []
        for frame in leaves.values():
            for node in sorted(set(frame["node"])):
                for month in range(1, 13):
                    self.atoms[(node, month)] = len(values)
                    values.append(0)
            for node, month, n in zip(frame["node"], frame["month"], frame["n"], strict=True):
                values[self.atoms[(node, month)]] = int(n)
        self.atom_values = np.array(values, dtype=float)
        self.leaves: dict[Node, list[Node]] = {}
        self.cells: dict[tuple[Node, str], list[int]] = {}
        for node in [TOTAL, *sorted({c for cs in self.children.values() for c in cs})]:
            for span, months in SPANS.items():
                self.cells[(node, span)] = [self.atoms[(leaf, m)] for leaf in self._leaves(node) for m in months]
        self.values = {cell: int(self.atom_values[atoms].sum()) for cell, atoms in self.cells.items()}
        self.cell_list = list(self.cells)
        self.cell_index = {cell: index for index, cell in enumerate(self.cell_list)}
        self.cell_values = np.array([self.values[cell] for cell in self.cell_list], dtype=float)
        rows = [index for index, cell in enumerate(self.cell_list) for _ in self.cells[cell]]
        columns = [atom for cell in self.cell_list for atom in self.cells[cell]]
        self.incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, columns)),
                                           shape=(len(self.cell_list), len(self.atom_values)))
        self.families = [[(parent, span)] + [(child, span) for child in kids]
                         for parent, kids in self.children.items() for span in SPANS]
        self.families += [[(node, parent)] + [(node, child) for child in kids]
                          for node in [TOTAL, *{c for cs in self.children.values() for c in cs}]
                          for parent, kids in TIME_FAMILIES]
        self.links = self._links(breakdowns)

    def cost(self, cell: tuple[Node, str]) -> tuple[float, tuple[Node, str]]:
        """What hiding ``cell`` costs readers, to hide the cheapest first: its count, a tenth of it for a period
        running past the year's last month with data (a year not yet over is presented by its 9 months, not
        as "the year"), the cell itself to break ties."""
        unfinished = SPANS[cell[1]][-1] > self.last_month
        return self.values[cell] * (0.1 if unfinished else 1.0), cell

    def _leaves(self, node: Node) -> list[Node]:
        """The finest rows ``node`` is the sum of (the whole area is the sum of its units; none in a year
        without any)."""
        if node not in self.leaves:
            kids = [kid for kid in self.children.get(node, []) if node != TOTAL or kid.table == "area"]
            self.leaves[node] = [leaf for kid in kids for leaf in self._leaves(kid)] \
                if kids or node == TOTAL else [node]
        return self.leaves[node]

    def _links(self, breakdowns: dict[str, pd.DataFrame]) -> sparse.csr_matrix:
        """Rows saying each breakdown's values add up, month by month, to the whole area's."""
        rows, columns, signs = [], [], []
        for row, (by, month) in enumerate((by, month) for by in breakdowns for month in range(1, 13)):
            for (node, atom_month), atom in self.atoms.items():
                if atom_month == month and node.table in (by, "area"):
                    rows.append(row)
                    columns.append(atom)
                    signs.append(1.0 if node.table == by else -1.0)
        return sparse.csr_matrix((signs, (rows, columns)), shape=(12 * len(breakdowns), len(self.atom_values)))


@dataclass
class Bounds:
    """What the audit finds for a cell: its lowest and highest value, the solutions where it takes them, and
    the shown cells holding its highest down."""

    low: float
    high: float
    points: list[np.ndarray]
    binding: list[tuple[Node, str]]


class _Audit:
    """The attacker's linear programme: every shown cell equal to its count, every hidden cell at least 1,
    breakdowns adding up to the area, no finest cell negative. One HiGHS model is kept and changed (a cell
    hidden, another cell to bound), so each solve starts from the last one's basis."""

    def __init__(self, tables: _Tables, hidden: set):
        self.tables = tables
        matrix = sparse.vstack([tables.incidence, tables.links]).tocsr()
        links = tables.links.shape[0]
        lp = highspy.HighsLp()
        lp.num_col_, lp.num_row_ = matrix.shape[1], matrix.shape[0]
        lp.col_cost_ = np.zeros(lp.num_col_)
        lp.col_lower_, lp.col_upper_ = np.zeros(lp.num_col_), np.full(lp.num_col_, highspy.kHighsInf)
        lp.row_lower_ = np.concatenate([tables.cell_values, np.zeros(links)])
        lp.row_upper_ = lp.row_lower_.copy()
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = matrix.indptr, matrix.indices, matrix.data
        self.highs = highspy.Highs()
        self.highs.setOptionValue("output_flag", False)
        self.highs.setOptionValue("simplex_strategy", 4)  # primal: only the objective changes between solves
        self.highs.passModel(lp)
        self.hidden: set = set()
        for cell in hidden:
            self.hide(cell)

    def hide(self, cell: tuple[Node, str]) -> None:
        if cell not in self.hidden:
            self.hidden.add(cell)
            self.highs.changeRowBounds(self.tables.cell_index[cell], 1.0, highspy.kHighsInf)

    def solve(self, objective: np.ndarray, maximize: bool) -> tuple[np.ndarray, np.ndarray] | None:
        """The finest cells where ``objective`` is highest (or lowest), with the duals of the cells' rows;
        None when it has no highest (a hidden cell that could be as large as anything)."""
        columns = np.arange(len(objective), dtype=np.int32)
        self.highs.changeColsCost(len(objective), columns, objective.astype(float))
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize if maximize else highspy.ObjSense.kMinimize)
        self.highs.run()
        status = self.highs.getModelStatus()
        if status == highspy.HighsModelStatus.kUnbounded:
            return None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"the audit's programme failed: {status}")
        solution = self.highs.getSolution()
        return np.array(solution.col_value), np.array(solution.row_dual)

    def bounds(self, cell: tuple[Node, str]) -> Bounds:
        """The lowest and highest value of ``cell``, the solutions where it takes them, and the shown cells
        that hold its highest down (were their counts free it could rise: non-zero duals of their rows)."""
        row = self.tables.incidence[self.tables.cell_index[cell]].toarray().ravel()
        lowest, highest = self.solve(row, maximize=False), self.solve(row, maximize=True)
        if highest is None:
            return Bounds(float(row @ lowest[0]), np.inf, [lowest[0]], [])
        binding = [other for other, dual in zip(self.tables.cell_list, highest[1], strict=False)
                   if abs(dual) > 1e-9 and other not in self.hidden]
        return Bounds(float(row @ lowest[0]), float(row @ highest[0]), [lowest[0], highest[0]], binding)


def protected(low, high, threshold: int):
    """A hidden small count is safe when what can be worked out about it reaches the threshold and leaves a
    range at least as wide as the small numbers themselves."""
    return (high >= threshold) & (high - low >= threshold - 1)


def _close_families(tables: _Tables, hidden: set) -> None:
    """Hide more cells until no family has exactly one hidden cell (it would be the sum's difference): the
    cheapest shown non-zero cell of the family (:meth:`_Tables.cost`)."""
    changed = True
    while changed:
        changed = False
        for family in tables.families:
            inside = [cell for cell in family if cell in hidden]
            if len(inside) != 1:
                continue
            candidates = [cell for cell in family if cell not in hidden and tables.values[cell] > 0]
            hidden.add(min(candidates, key=tables.cost))
            changed = True


def protect(tables: _Tables, threshold: int) -> frozenset:
    """The hidden cells: the small counts, then secondary cells until every small count passes the audit.

    Any solution of the audit's programme is a set of counts consistent with what is shown, so the lowest
    and highest value each small count takes across the solutions found so far bound its range from inside:
    the exact range is computed only for a count those do not yet show to be safe. Hiding more only widens
    ranges, so a count found safe stays safe."""
    primary = sorted(cell for cell, value in tables.values.items() if 1 <= value < threshold)
    hidden = set(primary)
    _close_families(tables, hidden)
    audit = _Audit(tables, hidden)
    rows = tables.incidence[[tables.cell_index[cell] for cell in primary]]
    low = high = rows @ tables.atom_values
    for index in range(len(primary)):
        while not protected(low[index], high[index], threshold):
            found = audit.bounds(primary[index])
            if protected(found.low, found.high, threshold):
                for point in found.points:  # every solution bounds every small count from inside
                    seen = rows @ point
                    low, high = np.minimum(low, seen), np.maximum(high, seen)
                low[index], high[index] = min(low[index], found.low), max(high[index], found.high)
                break
            candidates = [other for other in found.binding if tables.values[other] > 0]
            if not candidates:  # cannot happen: hiding every shown non-zero cell frees every hidden one
                raise RuntimeError(f"nothing left to hide to protect {primary[index]}")
            hidden.add(min(candidates, key=tables.cost))
            _close_families(tables, hidden)
            for cell in hidden:
                audit.hide(cell)
    return frozenset(hidden)


def _year_tables(con: duckdb.DuckDBPyConnection, year: int) -> dict[str, _Tables]:
    """The linked tables of ``year``, per stage."""
    area = queries.period_cells(con, year, "unit")
    breakdowns = {by: queries.period_cells(con, year, by) for by in BREAKDOWNS}
    pick = lambda frame, stage: frame[frame["stage"] == stage].reset_index(drop=True)  # noqa: E731
    last_month = int(area["month"].max()) if len(area) else 12
    return {stage: _Tables(pick(area, stage), {by: pick(frame, stage) for by, frame in breakdowns.items()},
                           last_month) for stage in model.stage_keys()}


_RELEASES: dict[tuple[str, int, str, int], Release] = {}
_LOCK = threading.Lock()


def release(con: duckdb.DuckDBPyConnection, year: int, stage: str, threshold: int) -> Release:
    """The audited release of ``year`` and ``stage`` for an audience of ``threshold``, kept per data version
    (about a second for a year of a province; see the README for the whole country)."""
    return _kept(con, queries.data_version(con), year, stage, threshold)


def _kept(con: duckdb.DuckDBPyConnection, version: str, year: int, stage: str, threshold: int) -> Release:
    """:func:`release`, built with every other stage of the year on first use."""
    key = (version, year, stage, threshold)
    with _LOCK:
        if key not in _RELEASES:
            if len(_RELEASES) > 512:
                _RELEASES.clear()
            for each, built in _year_tables(con, year).items():
                district_of = {unit.code: parent.code for parent, units in built.children.items()
                               if parent.level == "district" for unit in units}
                _RELEASES[(version, year, each, threshold)] = Release(built.values, protect(built, threshold),
                                                                      district_of)
        return _RELEASES[key]


#: What a restricted audience may break the numbers down by: the release's tables and the periods.
BREAKDOWNS_SHOWN = ("district", "unit", *BREAKDOWNS, "month", "quarter", "year")


def _slice(flt: Filter, by: str | None, key: str, year: Release) -> tuple[Node, ...] | None:
    """The release's rows whose sum is the ``key`` row of a breakdown ``by`` of ``flt`` (in the year of
    ``year``); None when that slice is not in the release (a sector within an area, a gender within one)."""
    sectors = set(flt.sectors) if set(flt.sectors) != set(model.sector_keys()) else set()
    areas = flt.districts or flt.units
    if by in BREAKDOWNS:
        return (Node(by, "value", key),) if not areas and (not sectors or by == "sector") else None
    if sectors:
        if areas or by in ("district", "unit"):
            return None
        return (NON_STATE,) if sectors == set(model.non_state_sectors()) else \
            tuple(Node("sector", "value", sector) for sector in sorted(sectors))
    if by == "unit":
        return (Node("area", "unit", key),)
    if flt.units:
        units = [unit for unit in flt.units if (not flt.districts or year.district_of.get(unit) in flt.districts)
                 and (by != "district" or year.district_of.get(unit) == key)]
        return tuple(Node("area", "unit", unit) for unit in units)
    if by == "district":
        return (Node("area", "district", key),)
    return tuple(Node("area", "district", d) for d in flt.districts) or (TOTAL,)


def _months(flt: Filter, by: str | None, key: str) -> dict[int, tuple[int, ...]]:
    """The months of each year the ``key`` row of a breakdown ``by`` of ``flt`` counts."""
    wanted = [flt.start.shift(i) for i in range(flt.months)]
    if by in ("month", "quarter", "year"):
        wanted = [m for m in wanted if queries.time_keys(by, Filter(m, m))[0] == key]
    years: dict[int, tuple[int, ...]] = {}
    for month in wanted:
        years[month.year] = (*years.get(month.year, ()), month.month)
    return years


def _released(releases: dict[int, Release], flt: Filter, by: str | None, key: str,
              months: dict[int, tuple[int, ...]]) -> int | None:
    """The count of the ``key`` row (``months`` of each year) as a sum of shown cells of the year's
    ``releases``, or None if it is not one."""
    total = 0
    for year, wanted in months.items():
        nodes = _slice(flt, by, key, releases[year])
        found = None if nodes is None else releases[year].count(nodes, wanted)
        if found is None:
            return None
        total += found
    return total


def public_safe(con: duckdb.DuckDBPyConnection, frame: pd.DataFrame, flt: Filter, by: str | None,
                threshold: int) -> pd.DataFrame:
    """The funnel ``frame`` (of period-mode ``flt`` by ``by``) as an audience of ``threshold`` may see it:
    a count stays only if it is a sum of shown cells of the release and equals that sum (so a slice the
    release does not describe is hidden, never guessed); every measure computed from a hidden count is
    hidden too."""
    if flt.mode != "period" or (by is not None and by not in BREAKDOWNS_SHOWN):
        raise ValueError(f"a restricted audience sees period counts by {', '.join(BREAKDOWNS_SHOWN)} only")
    out = frame.copy()
    keys = out["key"].astype(str).tolist() if by else ["all"] * len(out)
    months = {key: _months(flt, by, key) for key in set(keys)}
    version = queries.data_version(con)
    hidden: dict[str, np.ndarray] = {}
    for stage in model.stage_keys():
        releases = {year: _kept(con, version, year, stage, threshold)
                    for year in range(flt.start.year, flt.end.year + 1)}
        hidden[stage] = np.array([pd.isna(value) or _released(releases, flt, by, key, months[key]) != value
                                  for key, value in zip(keys, out[stage], strict=True)], dtype=bool)
        out[stage] = out[stage].astype("float64").mask(hidden[stage])
    for measure in model.measures().values():
        if measure.suppress == "with_inputs" and measure.key in out:
            mask = np.zeros(len(out), dtype=bool)
            for column in (measure.numerator, measure.denominator):
                mask |= hidden.get(column, mask)
            out[measure.key] = out[measure.key].astype("float64").mask(mask)
    return out
