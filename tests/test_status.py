"""Data status and events: the coverage grid shows the gaps a hand-built fixture leaves, and events load as a
report and are marked on the trend."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pyarrow.parquet as pq

from analytics import access, charts
from analytics.charts import ChartTitle
from analytics.config import SAMPLE_SNAPSHOT_DIR
from analytics.filters import Filter, Month
from analytics.ingest import pipeline
from tests.conftest import ROLES
from tests.ingest.conftest import KEY, csv_bytes

JAN_SEP_2022 = Filter(Month(2022, 1), Month(2022, 9))


def test_the_coverage_grid_shows_the_fixtures_gaps(fixture_con):
    # By hand (tests/fixtures.py): 718 has events in Jan (c2 referred, c1 trained), Feb (c2 trained), Jun (c1
    # admitted) and Sep (c2 admitted); 724 in Feb (c3), Mar (c4), Apr (c3 trained), May (c5) and Sep (c6).
    grid = access.coverage(fixture_con, access.OPERATOR, JAN_SEP_2022, "district")
    reported = {(row.key, row.month) for row in grid.itertuples() if row.reported}
    assert {m for k, m in reported if k == "718"} == {"2022-01", "2022-02", "2022-06", "2022-09"}
    assert {m for k, m in reported if k == "724"} == {"2022-02", "2022-03", "2022-04", "2022-05", "2022-09"}
    assert len(grid) == 2 * 9 and set(grid.columns) == {"key", "month", "reported"}  # no counts in it


def test_a_district_officer_sees_only_their_areas_status(fixture_con):
    officer = access.principal_for(access.parse_roles(ROLES), "officer718@example.vn")
    grid = access.coverage(fixture_con, officer, JAN_SEP_2022, "district")
    assert set(grid["key"]) == {"718"}


def test_units_that_did_not_exist_are_neither_reported_nor_gaps(sample_con):
    grid = access.coverage(sample_con, access.OPERATOR, Filter(Month(2025, 5), Month(2025, 8)), "unit")
    ward = grid[grid["key"] == "BD02"].set_index("month")["reported"]
    district = grid[grid["key"] == "724"].set_index("month")["reported"]
    assert ward["2025-05"] is None and ward["2025-07"] is True
    assert district["2025-06"] is True and district["2025-08"] is None


def test_events_load_as_a_report_and_are_marked_on_the_trend():
    tables = {name: pq.read_table(SAMPLE_SNAPSHOT_DIR / f"{name}.parquet") for name in
              ("candidates", "unions", "union_units", "membership", "targets", "units", "crosswalk", "calendar")}
    rows = [["Ngày", "Đến ngày", "Tên sự kiện", "Loại sự kiện"],
            ["15/03/2026", "", "Lễ kết nạp tập thể tại KCN VSIP", "lễ kết nạp"],
            ["01/04/2026", "10/04/2026", "Tháng công nhân", ""]]
    plan = pipeline.prepare([("events.csv", csv_bytes(rows))], tables, {"source": "ingest"}, KEY, date(2026, 11, 30))
    assert plan.files[0].status == pipeline.LOADED, plan.files[0].problems
    added = plan.tables["calendar"].to_pandas().set_index("name_vi")
    assert added.loc["Lễ kết nạp tập thể tại KCN VSIP", "kind"] == "ceremony"
    assert str(added.loc["Tháng công nhân", "end"]) == "2026-04-10"
    by_month = pd.DataFrame({"key": ["2026-02", "2026-03", "2026-04"], "label": ["a", "b", "c"],
                             **{s: [1, 2, 3] for s in ("referred", "trained", "admitted", "official")}})
    figure = charts.trend_figure(by_month, "vi", ChartTitle("x", "y"), events=plan.tables["calendar"].to_pandas())
    names = [note.hovertext for note in figure.layout.annotations]
    assert "Lễ kết nạp tập thể tại KCN VSIP" in names and "Tháng công nhân" in names
    assert "Tết Bính Ngọ" in names  # the shipped event of February 2026 is still there
