"""The Data page in Chromium on a private store, signed in as an analyst: upload → problems → load →
the overview shows the new snapshot (the cached connection notices it) → roll back."""

from __future__ import annotations

import pytest

from analytics.bench.server import CHART
from analytics.config import CURATED_ENV
from analytics.ingest.pseudonymise import KEY_ENV
from tests.conftest import ARTIFACTS
from tests.ingest.conftest import KEY, REGISTER_HEADER, csv_bytes, make_store
from tests.signin import local_provider, sign_in, signed_in_app

pytestmark = pytest.mark.browser

ROWS = [["DV-1", "CD0001", "TP. Thủ Dầu Một", "", "Nam", "1990", "05/01/2022", "20/02/2022", "", ""],
        ["DV-2", "CD0001", "Thủ Dầu Một", "", "Nữ", "1991", "06/01/2022", "", "", ""]]
BAD = [["DV-3", "CD0001", "Thủ Dầu Một", "", "Nam", "1990", "01/13/2022", "", "", ""]]
IDLE = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"


ROLES = """
[users."analyst@example.vn"]
role = "analyst"
"""


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    """The app on a private store, with sign-in against a local provider; only analysts may load data."""
    folder = tmp_path_factory.mktemp("store")
    store = make_store(folder)
    env = {"PARTY_FUNNEL_STORE": str(store.root), CURATED_ENV: str(store.root / "curated"), KEY_ENV: KEY.decode()}
    with local_provider() as provider, signed_in_app(folder, provider, ROLES, env) as url:
        yield url, store


@pytest.fixture(scope="module")
def page(app, browser):
    context, page, _ = sign_in(browser, app[0], "analyst")
    page.set_viewport_size({"width": 1600, "height": 1300})
    yield page
    context.close()


def _metrics(page, url: str) -> list[str]:
    page.goto(f"{url}/?from=2022-01&to=2022-01&lang=vi")
    page.wait_for_selector(CHART, timeout=60_000)
    page.wait_for_function(IDLE, timeout=60_000)
    return page.locator('[data-testid="stMetricValue"]').all_inner_texts()


def test_upload_check_load_and_roll_back(app, page, tmp_path):
    url, store = app
    before = _metrics(page, url)
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_bytes(csv_bytes([REGISTER_HEADER, *BAD]))
    good.write_bytes(csv_bytes([REGISTER_HEADER, *ROWS]))

    page.goto(f"{url}/data?lang=vi")
    page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached", timeout=60_000)
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(bad))
    page.wait_for_selector("text=Có lỗi: chưa nạp gì", timeout=60_000)
    page.get_by_role("button", name="Tải danh sách vấn đề (CSV)").wait_for(timeout=60_000)
    page.wait_for_selector("text=Các phiên bản số liệu", timeout=60_000)  # the run reached the end of the page
    assert not page.get_by_role("button", name="Nạp vào số liệu").count()
    assert store.current() == "sample"
    page.screenshot(path=ARTIFACTS / "data_page_problems_vi.png", full_page=True)

    page.goto(f"{url}/data?lang=vi")  # a fresh session: the uploader starts empty
    page.wait_for_selector('[data-testid="stFileUploaderDropzoneInput"]', state="attached", timeout=60_000)
    page.set_input_files('[data-testid="stFileUploaderDropzoneInput"]', str(good))
    page.get_by_role("button", name="Nạp vào số liệu").click()
    page.wait_for_selector("text=Đã nạp", timeout=60_000)
    loaded = store.current()
    assert loaded != "sample"
    assert _metrics(page, url)[:2] == ["2", "0"]  # January 2022 of the new snapshot: 2 referred, 0 trained

    page.goto(f"{url}/data?lang=vi")
    page.wait_for_selector("text=Các phiên bản số liệu", timeout=60_000)
    page.wait_for_function(IDLE, timeout=60_000)
    page.screenshot(path=ARTIFACTS / "data_page_vi.png", full_page=True)
    page.get_by_role("button", name="Quay lại phiên bản").click()
    page.wait_for_selector("text=Đang dùng phiên bản sample", timeout=60_000)
    assert store.current() == "sample"
    assert _metrics(page, url) == before
