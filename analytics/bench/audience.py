"""``python -m analytics bench --audience``: what numbers for an audience cost, on the shipped sample.

The release (:mod:`analytics.disclosure`) is built once per year, stage and audience, then kept: this times
the cold build of every year's release, then the overview's refreshes after a period change as the operator
sees them, as the public audience sees them (DuckDB and the release's check) and the pandas way with the
same check, alternately so that all three see the same machine load.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from analytics import access, config, db, disclosure, model, queries
from analytics.bench import interactions
from analytics.bench.pandas_way import PandasFunnel
from analytics.bench.run import RESULTS_DIR, medians, time_page

AUDIENCE = "public"


def _cold_releases(con, first_year: int, last_year: int) -> dict[str, float]:
    """Seconds to build each year's release (all stages) for :data:`AUDIENCE`, from nothing."""
    threshold = model.AUDIENCES[AUDIENCE].threshold
    seconds = {}
    for year in range(first_year, last_year + 1):
        started = time.perf_counter()
        disclosure.release(con, year, model.stage_keys()[0], threshold)  # builds every stage of the year
        seconds[str(year)] = time.perf_counter() - started
    return seconds


def benchmark(location: str, refreshes: int, seed: int) -> dict:
    con = db.connect(location)
    first, last = queries.data_months(con)
    districts = queries.district_names(con, last.last_day)["district_code"].tolist()
    pages = interactions.refreshes("period", refreshes, seed, districts, first, last)
    result = {"data": os.path.relpath(location, config.REPO_ROOT), "audience": AUDIENCE,
              "cold_release_s": _cold_releases(con, first.year, last.year)}
    public = access.Principal(user="bench", role="presenter", audience=AUDIENCE)
    frame = PandasFunnel(location)
    ways = {
        "duckdb_operator": lambda call: access.funnel(con, access.OPERATOR, call.flt, call.by, "vi", call.limit),
        "duckdb_audience": lambda call: access.funnel(con, public, call.flt, call.by, "vi", call.limit),
        "pandas_audience": lambda call: disclosure.public_safe(
            con, frame.funnel(call.flt, call.by, call.limit), call.flt, call.by, public.threshold),
    }
    times: dict[str, list[float]] = {way: [] for way in ways}
    disagreeing = 0
    for page in pages:
        answers = {}
        for way, run in ways.items():
            total, _, answers[way] = time_page(run, page)
            times[way].append(total)
        for duck, pandas in zip(answers["duckdb_audience"], answers["pandas_audience"], strict=True):
            stages = list(model.stage_keys())
            disagreeing += not duck[stages].fillna(-1).reset_index(drop=True).equals(
                pandas.set_index("key").loc[duck["key"], stages].astype("float64").fillna(-1).reset_index(drop=True))
    result["overview_refresh"] = {way: medians(seconds) for way, seconds in times.items()}
    middle = {way: entry["median_ms"] for way, entry in result["overview_refresh"].items()}
    result["audience_over_operator"] = middle["duckdb_audience"] / middle["duckdb_operator"]
    result["pandas_over_duckdb_audience"] = middle["pandas_audience"] / middle["duckdb_audience"]
    result["counts_disagreeing_with_pandas"] = disagreeing
    return result


def table(result: dict) -> str:
    lines = [f"numbers for the {result['audience']} audience ({result['data']}):",
             "  cold release per year (all stages): " + ", ".join(
                 f"{year} {seconds:.1f} s" for year, seconds in result["cold_release_s"].items())]
    for way, entry in result["overview_refresh"].items():
        lines.append(f"  overview refresh, {way:<16} median {entry['median_ms']:>7.1f} ms  "
                     f"p95 {entry['p95_ms']:>7.1f} ms")
    lines.append(f"  audience / operator: {result['audience_over_operator']:.2f}x; pandas / DuckDB (audience): "
                 f"{result['pandas_over_duckdb_audience']:.2f}x; counts disagreeing: "
                 f"{result['counts_disagreeing_with_pandas']}")
    return "\n".join(lines) + "\n"


def main(refreshes: int, seed: int, out: str | None) -> int:
    result = benchmark(str(config.SAMPLE_SNAPSHOT_DIR), refreshes, seed)
    print(table(result), end="")
    path = Path(out) if out else RESULTS_DIR / "bench-audience.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"written: {path}")
    return 0
