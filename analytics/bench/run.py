"""``python -m analytics bench``: generate (once), aggregate (once), then time the dashboard's refreshes.

Phase 1 times DuckDB alone, so the peak memory of the query process is not the pandas copy's. Phase 2
replays every refresh with DuckDB and with the pandas way alternately, so both see the same machine
load; the ratio of their medians is the figure to quote. Results go to stdout and a JSON file.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import time
from dataclasses import asdict
from pathlib import Path

from analytics import access, config, db, queries
from analytics.bench import generate, interactions, server
from analytics.bench.pandas_way import PandasFunnel

RESULTS_DIR = config.REPO_ROOT / "bench-results"


def medians(seconds: list[float]) -> dict[str, float]:
    """Median and 95th percentile in milliseconds, and how many timings."""
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"median_ms": statistics.median(ordered) * 1000, "p95_ms": p95 * 1000, "n": len(ordered)}


def _peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(rows: int, seed: int, regenerate: bool = False) -> tuple[Path, dict]:
    """The dataset folder for ``rows`` (generated only when missing) with current aggregates."""
    folder = RESULTS_DIR / f"data-{rows}-seed{seed}"
    timings = {}
    if regenerate or not (folder / db.MANIFEST).exists():
        started = time.perf_counter()
        generate.generate(folder, rows, seed)
        timings["generate_s"] = time.perf_counter() - started
    started = time.perf_counter()
    if db.ensure_aggregates(str(folder)):
        timings["aggregate_s"] = time.perf_counter() - started
    return folder, timings


def time_page(run, page: list[interactions.Call]) -> tuple[float, dict[str, float], list]:
    """Seconds for the whole refresh, per call, and the calls' results."""
    per_call, results = {}, []
    for call in page:
        started = time.perf_counter()
        results.append(run(call))
        per_call[call.role] = time.perf_counter() - started
    return sum(per_call.values()), per_call, results


def _counts(frame) -> dict:
    stages = ["referred", "trained", "admitted", "official"]
    rows = frame[["key", *stages]].astype({s: "int64" for s in stages})
    return {str(r[0]): tuple(r[1:]) for r in rows.itertuples(index=False) if any(r[1:]) or r[0] == "all"}


def benchmark(folder: Path, refreshes: int, seed: int, pandas: bool = True) -> dict:
    """Time every interaction's refreshes: DuckDB alone first (memory), then DuckDB and pandas alternately."""
    location = str(folder)
    started = time.perf_counter()
    con = db.connect(location)
    connect_s = time.perf_counter() - started
    first, last = queries.data_months(con)
    districts = queries.district_names(con, last.last_day)["district_code"].tolist()
    names = queries.unit_names(con)
    units = names.loc[names["level"] == "commune", "unit_code"].tolist()
    plan = {kind: interactions.refreshes(kind, refreshes, seed, districts, first, last, units)
            for kind in interactions.INTERACTIONS if units or kind != "unit"}
    # What ui.data runs, through the same access check (as the operator: every district, no suppression).
    duck = lambda call: access.funnel(con, access.OPERATOR, call.flt, call.by, "vi", call.limit)  # noqa: E731
    for pages in plan.values():  # phase 1: DuckDB alone, for its peak memory
        for page in pages:
            time_page(duck, page)
    result = {"connect_s": connect_s, "query_process_peak_rss_mib": _peak_rss_mib(), "interactions": {},
              "load_average_before": os.getloadavg()}
    frame = None
    if pandas:
        started = time.perf_counter()
        frame = PandasFunnel(location)
        result["pandas_load_s"] = time.perf_counter() - started
        result["pandas_process_peak_rss_mib"] = _peak_rss_mib()
    per_role: dict[str, list[float]] = {}
    mismatches = 0
    for kind, pages in plan.items():  # phase 2: alternate, same load for both
        duck_times, pandas_times = [], []
        for page in pages:
            total, calls, answers = time_page(duck, page)
            duck_times.append(total)
            for role, seconds in calls.items():
                per_role.setdefault(role, []).append(seconds)
            if frame is not None:
                total, _, pandas_answers = time_page(lambda call: frame.funnel(call.flt, call.by, call.limit), page)
                pandas_times.append(total)
                mismatches += sum(_counts(a) != _counts(b) for a, b in zip(answers, pandas_answers))
        entry = {"page": {"breakdown": "explore", "download": "csv"}.get(kind, "overview"),
                 "queries_per_refresh": len(pages[0]), "duckdb": medians(duck_times)}
        if pandas_times:
            entry["pandas"] = medians(pandas_times)
            entry["ratio_median"] = entry["pandas"]["median_ms"] / entry["duckdb"]["median_ms"]
        result["interactions"][kind] = entry
    result["per_query"] = {role: medians(times) for role, times in sorted(per_role.items())}
    result["load_average_after"] = os.getloadavg()
    result["counts_disagreeing_with_pandas"] = mismatches if frame is not None else None
    result["example_refresh"] = [{"role": c.role, "by": c.by, **{k: str(v) for k, v in asdict(c.flt).items()}}
                                 for c in plan["period"][0]]
    return result


def table(result: dict) -> str:
    """The stdout summary."""
    lines = [f"{'interaction':<11} {'page':<9} {'q':>2} {'duckdb med':>11} {'p95':>8} "
             f"{'pandas med':>11} {'p95':>8} {'ratio':>7}"]
    for kind, entry in result["interactions"].items():
        pandas = entry.get("pandas", {})
        lines.append(
            f"{kind:<11} {entry['page']:<9} {entry['queries_per_refresh']:>2} {entry['duckdb']['median_ms']:>9.1f}ms "
            f"{entry['duckdb']['p95_ms']:>6.1f}ms {pandas.get('median_ms', float('nan')):>9.1f}ms "
            f"{pandas.get('p95_ms', float('nan')):>6.1f}ms {entry.get('ratio_median', float('nan')):>6.1f}x"
        )
    lines.append("")
    lines.append("single queries, DuckDB median/p95:")
    lines += [f"  {role:<22} {v['median_ms']:>7.1f} {v['p95_ms']:>7.1f} ms" for role, v in result["per_query"].items()]
    refresh = {role: v for role, v in result["per_query"].items() if not role.startswith("download_")}
    worst = max(refresh.items(), key=lambda item: item[1]["p95_ms"])
    lines.append(f"slowest query of a page refresh, p95: {worst[0]} {worst[1]['p95_ms']:.1f} ms")
    lines.append("load average (1, 5, 15 min) before/after the timing: "
                 f"{result['load_average_before']} / {result['load_average_after']} on {result['cpus']} CPUs")
    lines.append(f"query process peak RSS (DuckDB only): {result['query_process_peak_rss_mib']:.0f} MiB; "
                 f"connect {result['connect_s']:.2f} s")
    if "pandas_load_s" in result:
        lines.append(f"pandas way: load {result['pandas_load_s']:.1f} s, process peak RSS "
                     f"{result['pandas_process_peak_rss_mib']:.0f} MiB; counts disagreeing: "
                     f"{result['counts_disagreeing_with_pandas']}")
    if "cold_start" in result:
        cold = result["cold_start"]
        lines.append(f"cold `streamlit run` to first chart: {cold['first_chart_s']:.2f} s (server healthy "
                     f"{cold['server_healthy_s']:.2f} s); server RSS with one session "
                     f"{cold['server_rss_mib_one_session']:.0f} MiB")
    return "\n".join(lines) + "\n"


def main(rows: int, seed: int, refreshes: int, regenerate: bool, pandas: bool, browser: bool, out: str | None) -> int:
    folder, prep = prepare(rows, seed, regenerate)
    result = {"rows": rows, "seed": seed, "data": os.path.relpath(folder, config.REPO_ROOT),
              "machine": platform.platform(), "cpus": os.cpu_count(), "refreshes_per_interaction": refreshes, **prep}
    result.update(benchmark(folder, refreshes, seed, pandas))
    if browser:
        result["cold_start"] = server.cold_start(str(folder))
    print(table(result), end="")
    path = Path(out) if out else RESULTS_DIR / f"bench-{rows}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"written: {path}")
    return 0
