"""An open page learns that newer data was published (``ui.newer_data``): a notice and a button to redraw,
only once the published snapshot is not the one the page was drawn with. (That the page reruns on
reconnecting to another replica, which the fragment's timer makes Streamlit do, is tested through the
proxy in tests/test_replicas.py.)"""

from __future__ import annotations

import pyarrow.compute as pc
from streamlit.testing.v1 import AppTest

from analytics import config
from tests.ingest.conftest import make_store


def _page():
    """The sidebar's notice, for a page drawn with the snapshot published at its first run."""
    import streamlit as st

    from ui import data, newer_data

    st.session_state.setdefault("drawn_with", data.snapshot())
    newer_data.notice(st.session_state["drawn_with"], "vi")


def test_the_notice_appears_once_a_newer_snapshot_is_published(tmp_path, monkeypatch):
    store = make_store(tmp_path / "data")
    monkeypatch.setenv(config.CURATED_ENV, str(store.link))
    at = AppTest.from_function(_page, default_timeout=60)
    at.run()
    assert not at.exception and not at.info and not at.button

    tables = store.read("sample")
    candidates = tables["candidates"]
    tables["candidates"] = candidates.filter(pc.not_equal(candidates["district_code"], "718"))
    with store.lock():
        store.switch(store.write(tables, store.manifest("sample")))
    at.run()
    assert not at.exception
    assert [info.value for info in at.info] == ["Đã có số liệu mới hơn số liệu đang xem."]
    assert [button.label for button in at.button] == ["Xem số liệu mới"]
