"""Hostile input through the URL and widgets, text from data kept as text, DuckDB locked, uploads capped."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import tomllib
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from analytics import charts, db, intervals, storage
from analytics.bench.loadtest import open_link
from analytics.bench.server import streamlit, wait_until_healthy
from analytics.charts import ChartTitle
from analytics.config import REPO_ROOT
from tests.apps import JAN_SEP, metrics, open_app
from ui.sidebar import LINK_PROBLEM
from ui.text import plain

HOSTILE = ["718' OR 1=1--", "'; DROP TABLE events; --", "724) OR (1=1", "%", "' UNION SELECT 1 --",
           "<img src=x onerror=alert(1)>"]
URL_KEYS = ["district", "sector", "from", "to", "mode", "window", "by", "lang"]


@pytest.fixture(scope="module")
def clean_metrics() -> list[str]:
    return metrics(open_app())


#: Every hostile string where a value reaches a query (district, sector); one for the strictly parsed keys.
URL_CASES = [(key, hostile) for key in ("district", "sector") for hostile in HOSTILE] + [
    (key, HOSTILE[0]) for key in URL_KEYS if key not in ("district", "sector")
]


@pytest.mark.parametrize(("key", "hostile"), URL_CASES)
def test_hostile_url_values_are_refused_not_run(key, hostile, clean_metrics):
    at = open_app(**{key: hostile})
    assert not at.exception
    if key in ("lang", "by"):  # unknown values fall back to the default quietly
        assert metrics(at) == clean_metrics
    else:
        assert any(w.icon == LINK_PROBLEM for w in at.main.warning)  # said in the page, not the sidebar
        assert metrics(at) == clean_metrics


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_values_on_the_explore_page(hostile):
    at = open_app("explore", by=hostile, district=hostile, **JAN_SEP)
    assert not at.exception
    assert at.selectbox(key="by").value == "district"


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_district_officer_with_hostile_links_still_gets_718(roles_file, hostile):
    at = open_app(user="officer718@example.vn", district=hostile, **JAN_SEP)
    own = open_app(user="officer718@example.vn", district="718", **JAN_SEP)
    assert not at.exception
    assert metrics(at)[:4] == metrics(own)[:4]


def test_hostile_values_forced_into_the_widgets_are_dropped():
    at = open_app(session={"districts": ["718' OR 1=1--", "724"], "sectors": ["'; DROP TABLE events; --"],
                           "mode": "period' OR 1=1"}, **JAN_SEP)
    assert not at.exception
    assert at.multiselect(key="districts").value == ["724"]
    assert at.multiselect(key="sectors").value == []
    assert at.query_params["district"] in ("724", ["724"])


def test_data_text_is_escaped_in_charts():
    import pandas as pd

    frame = pd.DataFrame({"label": ["<img src=x onerror=alert(1)>"], "referred": [3], "trained": [2],
                          "admitted": [1], "trained_step_rate": [0.5], "admitted_step_rate": [0.5]})
    title = ChartTitle("<b>what</b>", "<script>alert(1)</script>")
    frame["referred"], frame["trained"] = 30, 25  # large enough to be charted
    frame = intervals.with_intervals(frame, "cohort")  # as access.funnel gives it: each rate with its interval
    fig = charts.conversion_figure(frame, "en", title, "Union", "cohort")
    assert fig.data[0].y[0] == "&lt;img src=x onerror=alert(1)&gt;"
    assert "<script>" not in fig.layout.title.subtitle.text and "<b>" not in fig.layout.title.text


def test_plain_escapes_markdown_html_and_latex():
    text = "<img src=x onerror=alert(1)> [a](javascript:alert(1)) $x$ **b** :red[c]"
    escaped = plain(text)
    assert re.search(r"(?<!\\)[<>\[\]()$*:]", escaped) is None  # every such character has a backslash
    assert escaped.replace("\\", "") == text


def test_a_query_cannot_read_a_file_outside_the_data_location(tmp_path, fixture_dir, fixture_con):
    outside = tmp_path / "outside.parquet"
    pq.write_table(pa.table({"secret": [1]}), outside)
    for path in (str(outside), "/etc/passwd", str(fixture_dir / ".." / "outside.parquet")):
        with pytest.raises(duckdb.PermissionException):
            fixture_con.sql("SELECT * FROM read_csv($p)", params={"p": path}).fetchall()
    with pytest.raises(duckdb.PermissionException):
        fixture_con.sql("SELECT * FROM read_parquet($p)", params={"p": str(outside)}).fetchall()


@pytest.mark.parametrize(
    "statement",
    ["SET enable_external_access = true", "SET allowed_directories = ['/']", "SET allowed_paths = ['/etc/passwd']",
     "RESET lock_configuration", "SET lock_configuration = false"],
)
def test_the_lockdown_cannot_be_undone(fixture_con, statement):
    with pytest.raises(duckdb.Error):
        fixture_con.execute(statement)


def test_the_lockdown_settings_are_in_force(fixture_con, fixture_dir):
    settings = dict(fixture_con.sql(
        "SELECT name, value FROM duckdb_settings() WHERE name IN "
        "('enable_external_access', 'lock_configuration', 'allowed_directories')"
    ).fetchall())
    assert settings["enable_external_access"] == "false"
    assert settings["lock_configuration"] == "true"
    for folder in storage.directories(str(fixture_dir)):
        assert folder in settings["allowed_directories"]


def test_the_app_runs_each_query_on_one_thread_and_cannot_change_it(fixture_dir):
    con = db.connect(str(fixture_dir), threads=1)
    assert con.sql("SELECT current_setting('threads')").fetchall() == [(1,)]
    with pytest.raises(duckdb.Error):
        con.execute("SET threads = 4")


def test_uploads_are_capped_at_20_mb():
    config = tomllib.loads((REPO_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert 0 < config["server"]["maxUploadSize"] <= 20


def test_the_server_watches_no_files():
    """Streamlit's default file watcher walks the app's folder (the virtual environment's 41.000 files with
    it) and made a session's run cost ten times its own work; started as the README starts it, the server
    holds no inotify watch after serving a page."""
    with streamlit() as (url, process):
        wait_until_healthy(url, process)
        asyncio.run(open_link(url, ""))
        opened = []
        for descriptor in Path(f"/proc/{process.pid}/fd").iterdir():
            with contextlib.suppress(FileNotFoundError):  # closed since the listing
                opened.append(os.readlink(descriptor))
    assert opened and not [target for target in opened if "inotify" in target]


def test_secrets_stay_out_of_git():
    ignored = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".streamlit/secrets.toml" in ignored and "/config/roles.toml" in ignored
    example = tomllib.loads((REPO_ROOT / ".streamlit" / "secrets.example.toml").read_text(encoding="utf-8"))
    assert {"redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url"} <= set(
        example["auth"]
    )
