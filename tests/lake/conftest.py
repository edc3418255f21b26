"""A private PostgreSQL for the DuckLake tests: one cluster per test session (per xdist worker),
in a temporary folder, on 127.0.0.1 and a free port, stopped and removed at the end.

Debian's `postgresql` package provides the server (``.ci/run`` installs it). Under CI=true a
missing server fails the run; elsewhere the lake tests are skipped. ``initdb`` refuses to run as
root, so as root the cluster belongs to the ``postgres`` user (``runuser``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from queries.lake import LakeTarget

DATABASE = "flywheel_test"
USER = "flywheel"


def pg_bin() -> Path | None:
    """The folder of Debian's newest installed PostgreSQL server programs, if any."""
    found = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass(frozen=True)
class PgServer:
    port: int
    folder: Path

    def catalog(self) -> str:
        return f"postgres:dbname={DATABASE} host=127.0.0.1 port={self.port} user={USER}"


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bin_dir = pg_bin()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is missing: .ci/run must install Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    # not under pytest's tmp folder: as root that is private to root, and the server runs as
    # postgres
    folder = Path(tempfile.mkdtemp(prefix="flywheel-pg-"))
    if as_root:
        os.chown(folder, pwd.getpwnam("postgres").pw_uid, -1)
    data = folder / "data"

    def run(*cmd: str) -> None:
        subprocess.run([*run_as, *cmd], check=True, capture_output=True, cwd=folder, timeout=60)

    port = _free_port()
    run(str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8",
        "--no-sync")  # fmt: skip
    # durability off: a test cluster that is thrown away
    options = (
        f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(folder / "log"),
        "-w", "start")  # fmt: skip
    try:
        run(str(bin_dir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", USER, DATABASE)
        yield PgServer(port, folder)
    finally:
        subprocess.run(
            [*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            cwd=folder,
            timeout=60,
        )
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def new_lake(
    pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory
) -> Callable[[], LakeTarget]:
    """A fresh, empty DuckLake target on each call: its own catalog schema and data folder."""

    def make() -> LakeTarget:
        name = f"ws_{uuid.uuid4().hex[:10]}"
        data = tmp_path_factory.mktemp(name)
        return LakeTarget(pg_server.catalog(), f"{data}/", name)

    return make


SAMPLE_SCALE = 0.05  # about 1,000 leads and 150 deals: enough for every page, seconds to seed


@pytest.fixture(scope="session")
def seeded_lake(new_lake: Callable[[], LakeTarget]) -> LakeTarget:
    """The sample company seeded into a lake, once per session: only for tests that read it."""
    from sample_data.seed import build_sample_workspace

    where = new_lake()
    build_sample_workspace(where, scale=SAMPLE_SCALE)
    return where


@pytest.fixture(scope="session")
def seeded_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same sample in a workspace file (read only, like ``seeded_lake``)."""
    from sample_data.seed import build_sample_workspace

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    build_sample_workspace(path, scale=SAMPLE_SCALE)
    return path
