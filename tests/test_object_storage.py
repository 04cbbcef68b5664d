"""Curated Parquet on S3-compatible object storage (moto's server on loopback): same answers, no code change."""

from __future__ import annotations

import logging
import shutil
import socket
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from analytics import aggregates, config, db, queries
from analytics.filters import Filter, Month
from tests.fixtures import write_fixture

JAN_SEP_2022 = Filter(Month(2022, 1), Month(2022, 9))
BUCKET = "party-funnel"


@pytest.fixture(scope="module")
def s3(tmp_path_factory):
    """A moto S3 server on 127.0.0.1 and an s3fs client; the app finds it through the environment."""
    import s3fs
    from moto.server import ThreadedMotoServer

    logging.getLogger("werkzeug").setLevel(logging.ERROR)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    env = {"AWS_ENDPOINT_URL": f"http://127.0.0.1:{port}", "AWS_ACCESS_KEY_ID": "testing",
           "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1"}
    with pytest.MonkeyPatch.context() as patch:
        for name, value in env.items():
            patch.setenv(name, value)
        patch.setenv(config.CACHE_ENV, str(tmp_path_factory.mktemp("cache")))
        filesystem = s3fs.S3FileSystem(endpoint_url=env["AWS_ENDPOINT_URL"], key="testing", secret="testing")
        filesystem.mkdir(BUCKET)
        yield filesystem
    server.stop()


def _upload(s3, folder, prefix: str) -> str:
    s3.put(f"{folder}/", f"{BUCKET}/{prefix}/", recursive=True)
    return f"s3://{BUCKET}/{prefix}"


@pytest.fixture(scope="module")
def local_con(fixture_dir):
    return db.connect(str(fixture_dir))


@pytest.fixture(scope="module")
def remote_con(s3, fixture_dir):
    return db.connect(_upload(s3, fixture_dir, "plain"))


@pytest.mark.parametrize("by", [None, "district", "month", "union", "industrial_zone"])
@pytest.mark.parametrize("mode", ["period", "cohort"])
def test_the_same_answers_from_object_storage(remote_con, local_con, by, mode):
    flt = Filter(JAN_SEP_2022.start, JAN_SEP_2022.end, mode=mode)
    pd.testing.assert_frame_equal(queries.labelled_funnel(remote_con, flt, by, "vi"),
                                  queries.labelled_funnel(local_con, flt, by, "vi"))


def test_persisted_aggregates_on_object_storage_are_cached_locally(s3, fixture_dir, tmp_path, local_con):
    folder = shutil.copytree(fixture_dir, tmp_path / "curated")
    db.build_aggregates(str(folder))
    location = _upload(s3, folder, "with-aggregates")
    con = db.connect(location)
    assert aggregates.is_current(con, location, db.inputs(location))
    cached = list(Path(config.cache_dir()).glob("*/agg_period.parquet"))
    assert cached, "the remote aggregates were copied into the local cache"
    pd.testing.assert_frame_equal(queries.funnel(con, JAN_SEP_2022, "district"),
                                  queries.funnel(local_con, JAN_SEP_2022, "district"))


def test_object_storage_connection_reads_nothing_else(s3, remote_con, fixture_dir, tmp_path):
    con = remote_con
    _upload(s3, fixture_dir, "other")
    outside = write_fixture(tmp_path / "elsewhere") / "unions.parquet"
    with pytest.raises(duckdb.PermissionException):
        con.sql("SELECT * FROM read_parquet($p)", params={"p": str(outside)}).fetchall()
    with pytest.raises(duckdb.PermissionException):
        con.sql("SELECT * FROM read_parquet($p)", params={"p": f"s3://{BUCKET}/other/unions.parquet"}).fetchall()
