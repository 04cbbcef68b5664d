"""Explore's funnel plot and leaderboard, the CLI's ``funnel --rates`` and an independent computation agree.

The independent side counts the curated Parquet with pandas (:func:`tests.test_agreement.independent_counts`),
takes Wilson's interval from scipy and finds the Poisson score interval's ends by root finding, and works out
the control limits from their formula, not through :mod:`analytics.intervals`.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import replace

import pytest
from scipy.optimize import brentq
from scipy.stats import binomtest

from analytics import model
from analytics.__main__ import main
from analytics.filters import Filter, Month
from analytics.i18n import t
from tests.apps import funnel_plot, open_app
from tests.test_agreement import candidates, independent_counts  # noqa: F401  (a fixture)

Z95, Z998 = 1.959963984540054, 3.090232306167813
DISTRICTS = [str(code) for code in range(718, 727)]


def _filter(seed: int) -> Filter:
    """A random period of 3 to 12 months before the 2025 reorganisation, either counting mode, maybe a sector."""
    rng = random.Random(seed)
    start = Month(2019, 7).shift(rng.randrange(60))
    sectors = tuple(rng.sample(model.sector_keys(), rng.choice([0, 0, 1, 2])))
    return Filter(start, start.shift(rng.randrange(3, 12)), (), sectors, rng.choice(["period", "cohort"]))


def _poisson_score(k: int, n: float) -> tuple[float, float]:
    """The rates λ/n with (k − λ)² = z²λ, found numerically."""
    gap = lambda lam: (k - lam) ** 2 - Z95 ** 2 * lam  # noqa: E731
    low = 0.0 if k == 0 else brentq(gap, 1e-12, k)
    return low / n, brentq(gap, max(k, 1e-9), k + 10 * (k + 10)) / n


def _independent(k: int, n: int, mode: str) -> tuple[float, float]:
    if mode == "cohort":
        ci = binomtest(k, n).proportion_ci(method="wilson")
        return ci.low, ci.high
    return _poisson_score(k, n)


def _cli(capsys, flt: Filter, by: str | None) -> list[dict] | dict:
    assert main(["funnel", *flt.to_cli_args(), "--rates", "--format", "json", "--lang", "en",
                 *(["--by", by] if by else [])]) == 0
    return json.loads(capsys.readouterr().out)


def _params(flt: Filter) -> dict[str, str]:
    params = {"from": str(flt.start), "to": str(flt.end), "mode": flt.mode, "lang": "en", "by": "district"}
    return params | ({"sector": ",".join(flt.sectors)} if flt.sectors else {})


@pytest.mark.parametrize("seed", range(3))
def test_page_cli_and_an_independent_computation_agree(capsys, candidates, seed):  # noqa: F811
    flt = _filter(seed)
    measure = model.shown_in("leaks")[0]
    total, rows = _cli(capsys, flt, None), _cli(capsys, flt, "district")
    at = open_app("explore", **_params(flt))
    assert not at.exception
    board = at.dataframe[0].value.set_index("District")
    p0 = total[measure.key]
    centre = next(trace for trace in funnel_plot(at)["data"] if trace.get("mode") == "lines")
    assert math.isclose(centre["y"][0], p0)
    kind_binomial = flt.mode == "cohort"
    for row in rows:
        counts = independent_counts(candidates, replace(flt, districts=(row["district"],)))
        k, n = counts[measure.numerator], counts[measure.denominator]
        assert (row[measure.numerator], row[measure.denominator]) == (k, n), (flt, row["district"])
        if n == 0:
            continue
        low, high = _independent(k, n, flt.mode)
        assert math.isclose(row[measure.key], k / n)
        assert math.isclose(row[f"{measure.key}_low"], low, abs_tol=1e-9)
        assert math.isclose(row[f"{measure.key}_high"], high, abs_tol=1e-9)
        shown = board.loc[row["label"]]  # the page's numbers are the CLI's
        assert (shown[measure.label("en", flt.mode)], shown["95% low"], shown["95% high"], shown["Referred"]) == (
            row[measure.key], row[f"{measure.key}_low"], row[f"{measure.key}_high"], n)
        spread = math.sqrt((p0 * (1 - p0) if kind_binomial else p0) / n)
        side = "above" if k / n > p0 else "below"
        level = "998" if abs(k / n - p0) > Z998 * spread else "95" if abs(k / n - p0) > Z95 * spread else None
        assert shown["Against the limits"] == t(f"limit_short_{side}_{level}" if level else "limit_short_within", "en")
    ranked = board[board["Rank"].notna()]
    assert ranked["Rank"].tolist() == list(range(1, len(ranked) + 1))
    assert ranked[measure.label("en", flt.mode)].is_monotonic_decreasing
    assert (ranked["Referred"] >= model.MIN_GROUP).all()
    assert (board[board["Rank"].isna()]["Referred"] < model.MIN_GROUP).all()
