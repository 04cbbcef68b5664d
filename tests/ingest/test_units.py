"""Loading across the 2025 reorganisation: a unit is read as of the row's date, unions move through the union
list, and the units and crosswalk load as reports of their own, checked as a whole."""

from __future__ import annotations

from datetime import date

import pyarrow.parquet as pq
import pytest

from analytics import db
from analytics.config import SAMPLE_SNAPSHOT_DIR
from analytics.ingest import pipeline
from analytics.ingest.problems import ERROR, WARNING
from tests.ingest.conftest import KEY, REGISTER_HEADER, csv_bytes

NOW = date(2026, 11, 30)
UNION_HEADER = ["Mã CĐCS", "Tên công đoàn cơ sở", "Địa bàn", "Khu vực doanh nghiệp", "Hiệu lực từ ngày"]
UNITS_HEADER = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Cấp", "Mã đơn vị cấp trên", "Hiệu lực từ ngày",
                "Hiệu lực đến ngày"]
CROSSWALK_HEADER = ["Mã đơn vị mới", "Mã huyện cũ", "Tỷ lệ", "Huyện chính"]


@pytest.fixture(scope="module")
def sample():
    tables = {name: pq.read_table(SAMPLE_SNAPSHOT_DIR / f"{name}.parquet") for name in db.CURATED_TABLES}
    return tables, {"source": "sample"}


@pytest.fixture(scope="module")
def moved(sample) -> dict[str, tuple[str, str]]:
    """For a few new units, a union of the sample that is in it from the reform: unit name → (union id, its
    former district's name)."""
    tables, _ = sample
    units = {u["unit_code"]: u for u in tables["units"].to_pylist()}
    stays = tables["union_units"].to_pylist()
    found = {}
    for stay in stays:
        name = units[stay["unit_code"]]["name_vi"]
        if stay["valid_from"] == date(2025, 7, 1) and name not in found:
            before = next(s for s in stays
                          if s["union_id"] == stay["union_id"] and s["valid_from"] < stay["valid_from"])
            found[name] = (stay["union_id"], units[before["unit_code"]]["name_vi"])
    return found


def check(sample, *files: tuple[str, list[list[str]]], on_real_data: bool = False):
    """The plan of loading ``files``: on top of the sample (a first real load: no candidates yet), or on the
    sample's tables taken as real data (``on_real_data``, for reports that need no register with them)."""
    tables, manifest = sample
    manifest = {"source": "ingest"} if on_real_data else manifest
    return pipeline.prepare([(name, csv_bytes(rows)) for name, rows in files], tables, manifest, KEY, NOW)


def register_row(person: str, union: str, area: str, referred: str) -> list[str]:
    return [person, union, area, "", "Nữ", "1995", referred, "", "", ""]


def codes(result, severity=ERROR):
    return [p.code for p in result.problems if p.severity == severity]


def test_a_2026_register_naming_new_wards_and_communes_loads(sample, moved):
    rows = [register_row(f"DV-{i}", moved[name][0], area, "15/08/2026")
            for i, (name, area) in enumerate([("Dĩ An", "Phường Dĩ An"), ("Thuận Giao", "P. Thuận Giao"),
                                              ("Dầu Tiếng", "xã Dầu Tiếng")])]
    plan = check(sample, ("dk-2026.csv", [REGISTER_HEADER, *rows]))
    result = plan.files[0]
    assert result.status == pipeline.LOADED, result.problems
    assert codes(result) == [] and codes(result, WARNING) == []
    loaded = plan.tables["candidates"].to_pylist()
    units = {u["unit_code"]: u["name_vi"] for u in plan.tables["units"].to_pylist()}
    assert {(units[c["unit_code"]], c["district_code"]) for c in loaded} == {
        ("Dầu Tiếng", "720"), ("Dĩ An", "724"), ("Thuận Giao", "725")}  # districts through the crosswalk


@pytest.mark.parametrize("area", ["TP. Dĩ An", "Thành phố Dĩ An", "724"])
def test_a_former_district_in_2026_is_refused_naming_the_units_valid_then(sample, moved, area):
    plan = check(sample, ("r.csv", [REGISTER_HEADER, register_row("DV-1", moved["Dĩ An"][0], area, "15/08/2026")]))
    (problem,) = [p for p in plan.files[0].problems if p.severity == ERROR]
    assert problem.code == "unit_not_valid" and plan.files[0].status == pipeline.REFUSED
    assert "2026-08-15" in problem.text(0)
    if area != "724":
        assert "Phường Dĩ An" in problem.text(0)  # the unit of that name valid then


def test_a_former_huyen_in_2026_is_refused(sample, moved):
    plan = check(sample, ("r.csv", [REGISTER_HEADER,
                                    register_row("DV-1", moved["Dầu Tiếng"][0], "Huyện Dầu Tiếng", "02/03/2026")]))
    (problem,) = [p for p in plan.files[0].problems if p.severity == ERROR]
    assert problem.code == "unit_not_valid" and "Xã Dầu Tiếng" in problem.text(0)


@pytest.mark.parametrize(("referred", "read_as", "district"), [("15/08/2024", "TP. Dĩ An", "724"),
                                                                ("15/08/2026", "Phường Dĩ An", "724")])
def test_a_bare_name_is_the_unit_valid_on_the_date_with_a_warning(sample, moved, referred, read_as, district):
    plan = check(sample, ("r.csv", [REGISTER_HEADER, register_row("DV-1", moved["Dĩ An"][0], "Dĩ An", referred)]))
    result = plan.files[0]
    assert result.status == pipeline.LOADED, result.problems
    (warning,) = [p for p in result.problems if p.severity == WARNING]
    assert warning.code == "unit_read_as" and read_as in warning.text(0)
    assert plan.tables["candidates"]["district_code"].to_pylist() == [district]


@pytest.mark.parametrize("area", ["P. Dĩ An", "Phường Dĩ An", "phuong di an", "P.DI AN", "BD02"])
def test_aliases_of_a_ward_resolve_by_date(sample, moved, area):
    plan = check(sample, ("r.csv", [REGISTER_HEADER, register_row("DV-1", moved["Dĩ An"][0], area, "15/08/2026")]))
    assert plan.files[0].status == pipeline.LOADED, plan.files[0].problems
    assert codes(plan.files[0], WARNING) == []


def test_either_tone_placement_finds_the_ward(sample, moved):
    for area in ("Phường Đông Hòa", "Phường Đông Hoà"):
        plan = check(sample, ("r.csv", [REGISTER_HEADER,
                                        register_row("DV-1", moved["Đông Hòa"][0], area, "15/08/2026")]))
        assert plan.files[0].status == pipeline.LOADED, (area, plan.files[0].problems)


def test_a_union_in_another_unit_on_the_date_is_refused(sample, moved):
    plan = check(sample, ("r.csv", [REGISTER_HEADER,
                                    register_row("DV-1", moved["Dĩ An"][0], "Xã Dầu Tiếng", "15/08/2026")]))
    assert codes(plan.files[0]) == ["union_district"]
    assert "Phường Dĩ An" in plan.files[0].problems[0].text(0)


def test_the_same_union_referring_in_2024_and_2026_is_one_union(sample, moved):
    union, district = moved["Dĩ An"]
    rows = [register_row("DV-1", union, f"TP. {district}", "10/05/2024"),
            register_row("DV-2", union, "Phường Dĩ An", "10/05/2026")]
    plan = check(sample, ("r.csv", [REGISTER_HEADER, *rows]))
    assert plan.files[0].status == pipeline.LOADED, plan.files[0].problems
    loaded = plan.tables["candidates"].to_pylist()
    assert {c["union_id"] for c in loaded} == {union}
    assert [c["unit_code"] for c in loaded] == ["724", "BD02"]


def test_a_union_list_moves_a_union_from_a_date(sample, moved):
    union, _ = moved["Dĩ An"]
    sector = next(u["sector"] for u in sample[0]["unions"].to_pylist() if u["union_id"] == union)
    unions = [UNION_HEADER, [union, "CĐCS chuyển địa bàn", "Phường Tân Đông Hiệp", sector, "01/03/2026"]]
    rows = [register_row("DV-1", union, "Phường Dĩ An", "10/02/2026"),
            register_row("DV-2", union, "Phường Tân Đông Hiệp", "10/04/2026")]
    plan = check(sample, ("unions.csv", unions), ("r.csv", [REGISTER_HEADER, *rows]))
    assert [f.status for f in plan.files] == [pipeline.LOADED, pipeline.LOADED], [f.problems for f in plan.files]
    stays = [s for s in plan.tables["union_units"].to_pylist() if s["union_id"] == union]
    assert [(s["unit_code"], str(s["valid_from"]), str(s["valid_to"])) for s in stays] == [
        ("724", "2011-12-29", "2025-06-30"), ("BD02", "2025-07-01", "2026-02-28"), ("BD03", "2026-03-01", "9999-12-31")]


def _units_plan(sample, units=None, crosswalk=None, crosswalk_first=False):
    files = [("units.csv", [UNITS_HEADER, *units])] if units is not None else []
    if crosswalk is not None:
        entry = ("crosswalk.csv", [CROSSWALK_HEADER, *crosswalk])
        files = [entry, *files] if crosswalk_first else [*files, entry]
    return check(sample, *files, on_real_data=True)


NEW_UNIT = ["BD37", "Tân Lập", "phường", "xã", "79", "01/01/2026", ""]
ITS_CROSSWALK = [["BD37", "724", "60%", ""], ["BD37", "725", "40%", ""]]


@pytest.mark.parametrize("crosswalk_first", [False, True])
def test_a_new_unit_loads_with_its_crosswalk_in_either_order(sample, crosswalk_first):
    plan = _units_plan(sample, [NEW_UNIT], ITS_CROSSWALK, crosswalk_first)
    assert [f.status for f in plan.files] == [pipeline.LOADED, pipeline.LOADED], [f.problems for f in plan.files]
    mapping = [r for r in plan.tables["crosswalk"].to_pylist() if r["unit_code"] == "BD37"]
    assert [(r["former_code"], r["share"], r["main"]) for r in mapping] == [("724", 0.6, True), ("725", 0.4, False)]


def test_a_new_unit_without_a_crosswalk_is_refused(sample):
    plan = _units_plan(sample, [NEW_UNIT])
    assert codes(plan.files[0]) == ["crosswalk_unmapped"] and plan.files[0].status == pipeline.REFUSED


@pytest.mark.parametrize(("row", "code"), [
    (["724", "Dĩ An", "phường", "xã", "79", "01/06/2025", ""], "unit_overlap"),
    (["BD37", "Tân Lập", "phường", "xã", "99", "01/01/2026", ""], "unknown_parent"),
    (["BD37", "Tân Lập", "khu phố", "xã", "79", "01/01/2026", ""], "unknown_unit_type"),
    (["BD37", "Tân Lập", "phường", "ấp", "79", "01/01/2026", ""], "unknown_level"),
])
def test_a_bad_units_file_is_refused(sample, row, code):
    plan = _units_plan(sample, [row], ITS_CROSSWALK)
    assert code in codes(plan.files[0])
    assert plan.files[0].status == pipeline.REFUSED


def test_a_crosswalk_with_two_main_districts_is_refused(sample):
    plan = _units_plan(sample, crosswalk=[["BD09", "718", "0,85", "x"], ["BD09", "723", "0,15", "x"]])
    assert codes(plan.files[0]) == ["crosswalk_main"]
