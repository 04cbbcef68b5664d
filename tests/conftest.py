"""Shared fixtures: the hand-checked tiny dataset and connections to it and to the shipped sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics import db
from analytics.config import DEFAULT_CURATED_DIR
from tests.fixtures import write_fixture


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
    con = db.connect(str(DEFAULT_CURATED_DIR))
    yield con
    con.close()
