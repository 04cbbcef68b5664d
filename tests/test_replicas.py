"""Two replicas behind HAProxy (deploy/haproxy.cfg) on loopback: the load test through the proxy, one replica
killed mid-test (its page reconnects to the other, nothing else fails), a snapshot published mid-test reaches both.

The replicas run without sign-in (a demo shows made-up data only), so the snapshot published is the sample
without Thủ Dầu Một (718), written and switched to the way a load does it."""

from __future__ import annotations

import asyncio
import json

import pyarrow.compute as pc
import pytest

from analytics.bench import loadtest
from tests.ingest.conftest import make_store

pytestmark = pytest.mark.browser

LINK = "from=2022-01&to=2022-09"
# The overview's sentence, Jan–Sep 2022: the sample's referrals, and without Thủ Dầu Một's 388.
SAMPLE_REFERRED, WITHOUT_718 = "giới thiệu 2.339 đoàn viên", "giới thiệu 1.951 đoàn viên"


def _sentence(url: str) -> str:
    return " ".join(asyncio.run(loadtest.open_link(url, LINK)))


def _publish_without_718(store) -> None:
    tables = store.read("sample")
    candidates = tables["candidates"]
    tables["candidates"] = candidates.filter(pc.not_equal(candidates["district_code"], "718"))
    with store.lock():
        store.switch(store.write(tables, store.manifest("sample")))


def test_two_replicas_behind_haproxy_lose_one_and_follow_a_new_snapshot(tmp_path):
    store = make_store(tmp_path / "data")
    before, after = {}, {}

    def publish(run: loadtest._Run) -> None:
        for url in run.proxied.replica_urls:
            before[url] = _sentence(url)
        _publish_without_718(store)
        for url in run.proxied.replica_urls:
            after[url] = _sentence(url)

    out = tmp_path / "loadtest.json"
    code = loadtest.main(str(store.link), sessions=4, browsers=2, seconds=45, max_changes=60, ramp=0.5, think=1,
                         out=str(out), replica_count=2, kill_replica_at=8, during=[(1, publish)], logs=tmp_path)
    result = json.loads(out.read_text(encoding="utf-8"))
    logs = "".join(path.read_text(encoding="utf-8") for path in sorted(tmp_path.glob("replica*.log")))
    pages = {path.name: path.read_text(encoding="utf-8")[-3000:] for path in sorted(tmp_path.glob("page*.log"))}
    assert code == 0 and result["errors"] == 0, (result["error_samples"], pages, logs[-4000:])
    assert "websocket open" in pages["page0.log"]  # the pages' logs explain a failure
    assert result["replica_killed"] and 0 in result["pages_on_the_killed_replica"]  # (both pages, at times)
    assert result["their_changes_drawn_after"] >= 1  # the page reconnected to the other replica and went on
    assert result["changes_drawn"] >= 2 and result["links_opened"] >= 2
    assert len(before) == len(after) == 2
    for url in before:  # each replica showed the sample, then the new snapshot, without a restart
        assert SAMPLE_REFERRED in before[url], before[url][:300]
        assert WITHOUT_718 in after[url], after[url][:300]
