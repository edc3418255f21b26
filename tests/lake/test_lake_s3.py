"""A lake whose Parquet files are in an S3-compatible bucket (DATA_PATH='s3://…'), against a
local S3 server (moto's ``moto_server``), the credentials from the AWS variables of the
environment (queries/lake.py ``object_store``).

Not in CI: it needs two packages the project does not install (``moto[server]`` and
``duckdb-extension-httpfs==1.5.5``) and costs 15–40 s. Run it with ``FLYWHEEL_TEST_S3=1``,
``moto_server`` on PATH (or FLYWHEEL_MOTO_SERVER=/path/to/moto_server) and httpfs importable::

    pip install --target /tmp/s3pkgs "moto[server]==5.2.5" "duckdb-extension-httpfs==1.5.5"
    mkdir -p /tmp/s3only && ln -sf /tmp/s3pkgs/duckdb_extension_httpfs /tmp/s3only/
    FLYWHEEL_TEST_S3=1 FLYWHEEL_MOTO_SERVER=/tmp/s3pkgs/bin/moto_server \\
        PYTHONPATH=$PWD:/tmp/s3only .venv/bin/python -m pytest tests/lake/test_lake_s3.py
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from queries import lake, workspaces
from queries.ingest import engine
from queries.lake import LakeTarget
from queries.workspace import Workspace
from tests.lake.pg import DATABASE
from tests.lake.test_lake import CHOICES, DEALS, rows  # the deals' columns


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A local S3 server (moto) with a bucket ``flywheel-lake``, stopped at the end."""
    program = os.environ.get("FLYWHEEL_MOTO_SERVER") or shutil.which("moto_server")
    assert program, "moto_server is not installed (pip install 'moto[server]')"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = dict(os.environ)
    env["PYTHONPATH"] = str(Path(program).resolve().parent.parent)  # a --target install
    server = subprocess.Popen(
        [sys.executable, program, "-H", "127.0.0.1", "-p", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(urllib.request.Request(f"{url}/flywheel-lake", method="PUT"))
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("moto_server did not start")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_lake_in_a_bucket_keeps_its_files_there_and_its_secret_out_of_the_target(
    s3_endpoint, pg_server, monkeypatch, tmp_path
):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "flywheel-key")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "flywheel-secret-value")
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_ENDPOINT_URL", s3_endpoint)
    name = f"s3_{uuid.uuid4().hex[:8]}"
    where = LakeTarget(pg_server.catalog(), f"s3://flywheel-lake/{name}/", name)
    ws = workspaces.create_workspace(where)
    try:
        csv = tmp_path / "deals.csv"
        # more rows than DuckLake inlines in the catalog (10): they go to a Parquet file
        lines = [
            f"D{i:03},Deal {i},Acme,Closed Won,{i}00,1/5/2024,2/4/2024,Jo,Web" for i in range(30)
        ]
        csv.write_text(DEALS.splitlines()[0] + "\n" + "\n".join(lines) + "\n")
        with engine.open_import(ws, csv, choices=CHOICES) as plan:
            assert plan.commit("append").rows_loaded == 30
        files = rows(ws, f"select data_file from ducklake_list_files('{lake.ALIAS}', 'raw_deals')")
        assert files and all(f.startswith(f"s3://flywheel-lake/{name}/") for (f,) in files)
        # the secret lives in the connection's memory only
        assert rows(ws, "select persistent from duckdb_secrets() where name = 'flywheel_s3'") == [
            (False,)
        ]
    finally:
        ws.close()
    assert "flywheel-secret-value" not in str(where)
    # another server opens it without the data path (DuckLake keeps it) and reads the bucket
    again = Workspace(LakeTarget(where.catalog, None, name), read_only=True)
    try:
        got = rows(again, "select count(*), sum(amount)::int from raw_deals")
        assert got == [(30, 100 * sum(range(30)))]
    finally:
        again.close()
    # nothing of the credentials is kept in the catalog
    kept = pg_server.sql(
        DATABASE, f"select string_agg(key || '=' || value, ' ') from {name}.ducklake_metadata"
    )
    assert f"s3://flywheel-lake/{name}/" in kept and "flywheel-secret-value" not in kept
    assert "flywheel-key" not in kept
