"""Every slide's chart as a 1920×1080 PNG, zipped: one picture per slide, named by its place and key."""

from __future__ import annotations

import io
import struct
import zipfile

import pytest

from analytics import access
from analytics.__main__ import main
from analytics.filters import Filter, Month
from analytics.pictures import build_pictures

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height, from its header (the IHDR chunk comes first)."""
    assert png[:8] == PNG_SIGNATURE and png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


@pytest.fixture(scope="module")
def pictures(sample_con) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(build_pictures(sample_con, access.OPERATOR,
                                                     Filter(Month(2022, 1), Month(2022, 9)), "vi")))


def test_one_full_hd_png_per_slide(pictures):
    assert pictures.namelist() == ["01-headline.png", "02-funnel.png", "03-districts.png", "04-pace.png",
                                   "05-trend.png"]
    for name in pictures.namelist():
        assert size(pictures.read(name)) == (1920, 1080), name


def test_cli_writes_the_pictures(tmp_path, fixture_dir):
    out = tmp_path / "hinh.zip"
    code = main(["pictures", "--from", "2022-01", "--to", "2022-09", "--district", "724", "--lang", "en",
                 "--data", str(fixture_dir), "--out", str(out)])
    assert code == 0
    with zipfile.ZipFile(out) as archive:
        assert archive.namelist()[0] == "01-headline.png"
        assert all(size(archive.read(name)) == (1920, 1080) for name in archive.namelist())
