"""Ingest fixtures: a private store holding a copy of the shipped sample, the secret, report builders."""

from __future__ import annotations

import csv
import io
import shutil
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
