"""The load-test harness itself, in a few seconds: a browser session and a link session on the sample.

The load test proper (30 sessions, two minutes) is not part of the test run; this checks that its
timing still works against the app as it is (a harness that cannot see a rerun finish would report
time-outs, not latencies).
"""

from __future__ import annotations

import json

import pytest

from analytics import config
from analytics.bench import loadtest

pytestmark = pytest.mark.browser


def test_a_short_run_times_changes_in_the_browser_and_links_without_errors(tmp_path):
    out = tmp_path / "loadtest.json"
    code = loadtest.main(str(config.SAMPLE_SNAPSHOT_DIR), sessions=2, browsers=1, seconds=8, max_changes=6,
                         ramp=0.5, think=0.2, out=str(out))
    result = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0, result["error_samples"]
    assert result["errors"] == 0
    assert result["changes_drawn"] >= 1 and result["links_opened"] >= 1
    assert 0 < result["answered"]["p50_s"] <= result["drawn"]["p50_s"] < 30
    assert 0 < result["click_drawn"]["p50_s"] <= result["drawn"]["p50_s"]  # the changing click comes later
    assert result["cpu_seconds_server"] > 0
