"""Shared fixtures: the hand-checked tiny dataset and connections to it and to the shipped sample.

The suite runs on the shipped sample whatever ``data/curated`` shows (a developer may have loaded
reports): the app and the CLI started by tests read ``PARTY_FUNNEL_DATA``, set here to the sample.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from analytics import db
from analytics.bench.server import CHROMIUM, chromium
from analytics.config import CURATED_ENV, REPO_ROOT, ROLES_ENV, SAMPLE_SNAPSHOT_DIR, SIGN_OUTS_ENV
from tests.fixtures import write_fixture

os.environ.setdefault(CURATED_ENV, str(SAMPLE_SNAPSHOT_DIR))
os.environ.setdefault(SIGN_OUTS_ENV, os.path.join(tempfile.mkdtemp(prefix="sign-outs-"), "sign-outs.log"))


@pytest.fixture(autouse=True)
def own_sign_outs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test its own sign-out file: a user one test signs out is not signed out in the next."""
    monkeypatch.setenv(SIGN_OUTS_ENV, str(tmp_path / "sign-outs.log"))


@pytest.fixture(scope="session")
def fixture_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_fixture(tmp_path_factory.mktemp("curated"))


@pytest.fixture(scope="session")
def fixture_con(fixture_dir: Path):
    con = db.connect(str(fixture_dir))
    yield con
    con.close()


@pytest.fixture(scope="session")
def sample_con():
    con = db.connect(str(SAMPLE_SNAPSHOT_DIR))
    yield con
    con.close()


#: The roles file of the access tests: one user of each role, and two groups.
ROLES = """
[users."Officer718@Example.vn"]
role = "district"
district = "718"

[users."boss@example.vn"]
role = "leadership"

[users."analyst@example.vn"]
role = "analyst"

[users."stage@example.vn"]
role = "presenter"

[groups."ldld-lanh-dao"]
role = "leadership"

[groups."cb-724"]
role = "district"
district = "724"
"""


@pytest.fixture
def roles_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ROLES written to a file that ``PARTY_FUNNEL_ROLES`` points at."""
    path = tmp_path / "roles.toml"
    path.write_text(ROLES, encoding="utf-8")
    monkeypatch.setenv(ROLES_ENV, str(path))
    return path


#: Screenshots the browser tests take, for people to look at (git-ignored).
ARTIFACTS = REPO_ROOT / "artifacts"


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium through Playwright, one per test module (the only browser fixture)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/test.sh does)")
    ARTIFACTS.mkdir(exist_ok=True)
    with chromium() as browser:
        yield browser
