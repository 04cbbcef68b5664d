"""Ingest fixtures: a private store holding a copy of the shipped sample, the secret, report builders."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from analytics.config import SAMPLE_SNAPSHOT_DIR
from analytics.ingest.store import Store

KEY = b"test-secret-key-for-ingest-0123"
TODAY = date(2025, 7, 15)

REGISTER_HEADER = ["Mã hoặc họ tên đoàn viên", "Công đoàn cơ sở", "Huyện, thị xã, thành phố", "Khu vực doanh nghiệp",
                   "Giới tính", "Năm sinh", "Ngày giới thiệu", "Ngày học lớp cảm tình Đảng", "Ngày kết nạp",
                   "Ngày công nhận chính thức"]


def make_store(folder: Path) -> Store:
    """A store under ``folder`` whose only snapshot (current) is a copy of the shipped sample."""
    shutil.copytree(SAMPLE_SNAPSHOT_DIR, folder / "snapshots" / "sample")
    (folder / "curated").symlink_to(Path("snapshots") / "sample")
    return Store(folder)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return make_store(tmp_path / "data")


def csv_bytes(rows: list[list[object]], encoding: str = "utf-8-sig", delimiter: str = ",") -> bytes:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list[object]], title_rows: int = 0) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for _ in range(title_rows):
        sheet.append(["BÁO CÁO CÔNG ĐOÀN THAM GIA PHÁT TRIỂN ĐẢNG VIÊN"])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_sheet_xml(data: bytes, edit: Callable[[bytes], bytes], part: str = "xl/worksheets/sheet1.xml") -> bytes:
    """The XLSX ``data`` with one part's XML passed through ``edit``: what no library we write with would write."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[part] = edit(parts[part])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in parts.items():
            target.writestr(name, content)
    return out.getvalue()


@pytest.fixture(scope="session")
def sample_plan_inputs() -> tuple[dict, dict]:
    """The shipped sample's tables and manifest: what a dry run on top of the sample starts from."""
    import pyarrow.parquet as pq

    from analytics import db

    return {name: pq.read_table(SAMPLE_SNAPSHOT_DIR / f"{name}.parquet") for name in db.CURATED_TABLES}, \
        {"source": "sample"}


def prepare_one(inputs: tuple[dict, dict], name: str, data: bytes):
    """The checked result of one file loaded on top of the sample (nothing written)."""
    from analytics.ingest import pipeline

    tables, manifest = inputs
    return pipeline.prepare([(name, data)], tables, manifest, KEY, TODAY)


def register_row(person: object, referred: str = "05/01/2022", area: str = "TP. Thủ Dầu Một",
                 union: str = "CD0001", *later: str) -> list[object]:
    """A register row in the order of REGISTER_HEADER (CD0001 is a Thủ Dầu Một union)."""
    dates = [referred, *later] + [""] * (3 - len(later))
    return [person, union, area, "", "", "", *dates]
