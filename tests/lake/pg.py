"""A private PostgreSQL for the DuckLake tests, and workspaces on either backend.

One cluster per test session (per xdist worker), in a temporary folder, on 127.0.0.1 and a free
port, stopped and removed at the end. Debian's `postgresql` package provides the server
(``.ci/run`` installs it). Under CI=true a missing server fails the run; elsewhere the lake tests
are skipped. ``initdb`` refuses to run as root, so as root the cluster belongs to the
``postgres`` user (``runuser``).

Creating and migrating a lake costs 4–10 s (about sixty tables, each a catalog transaction), so
a fresh lake for a test is a copy of one migrated once per session: PostgreSQL copies a database
from a template (``createdb -T``) in a fraction of a second, and the template's Parquet files
(if a migration wrote any) are copied beside it, its ``data_path`` pointed at the copy.

The fixtures are imported by tests/conftest.py, so every suite can ask for a lake: the
``backend`` parametrisation ("file", "lake") runs a test on both kinds of workspace.
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
TEMPLATE = "flywheel_template"
BEGUN = "flywheel_template_begun"  # the template with a new workspace's settings
TEMPLATE_SCHEMA = "ws"
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
    bin_dir: Path
    run_as: tuple[str, ...]

    def catalog(self, dbname: str = DATABASE) -> str:
        return f"postgres:dbname={dbname} host=127.0.0.1 port={self.port} user={USER}"

    def run(self, program: str, *args: str) -> str:
        done = subprocess.run(
            [*self.run_as, str(self.bin_dir / program), *args],
            check=True,
            capture_output=True,
            cwd=self.folder,
            timeout=60,
            text=True,
        )
        return done.stdout

    def createdb(self, name: str, template: str | None = None) -> None:
        more = ("-T", template) if template else ()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, *more, name)

    def sql(self, dbname: str, statement: str) -> str:
        return self.run(
            "psql", "-h", "127.0.0.1", "-p", str(self.port), "-U", USER, "-d", dbname,
            "-v", "ON_ERROR_STOP=1", "-Atc", statement,
        )  # fmt: skip


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bin_dir = pg_bin()
    if bin_dir is None:
        if os.environ.get("CI") == "true":
            pytest.fail("PostgreSQL is missing: .ci/run must install Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (apt-get install postgresql)")
    as_root = os.geteuid() == 0
    run_as = ("runuser", "-u", "postgres", "--") if as_root else ()
    # not under pytest's tmp folder: as root that is private to root, and the server runs as
    # postgres
    folder = Path(tempfile.mkdtemp(prefix="flywheel-pg-"))
    if as_root:
        os.chown(folder, pwd.getpwnam("postgres").pw_uid, -1)
    data = folder / "data"
    server = PgServer(_free_port(), folder, bin_dir, run_as)
    server.run("initdb", "-D", str(data), "-A", "trust", "-U", USER, "-E", "UTF8", "--no-sync")
    # durability off: a test cluster that is thrown away
    options = (
        f"-p {server.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off "
        "-c synchronous_commit=off -c full_page_writes=off"
    )
    server.run("pg_ctl", "-D", str(data), "-o", options, "-l", str(folder / "log"), "-w", "start")
    try:
        server.createdb(DATABASE)
        yield server
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
    """A new, empty DuckLake target on each call: its own catalog schema and data folder (made
    and migrated when first opened)."""

    def make() -> LakeTarget:
        name = f"ws_{uuid.uuid4().hex[:10]}"
        data = tmp_path_factory.mktemp(name)
        return LakeTarget(pg_server.catalog(), f"{data}/", name)

    return make


@pytest.fixture(scope="session")
def migrated_lake(
    pg_server: PgServer, tmp_path_factory: pytest.TempPathFactory
) -> Callable[..., LakeTarget]:
    """A new lake on each call, already created and migrated: a copy of one made once per
    session (its own PostgreSQL database and data folder). ``migrated_lake()`` holds no setting
    yet, as a new file before ``create_workspace`` writes them; ``migrated_lake(begun=True)``
    holds them too (``workspaces.begin_workspace``, company "own", USD, en_US)."""
    from queries import workspaces
    from queries.workspace import Workspace

    made: dict[str, Path] = {}

    def copy(template: str, name: str) -> LakeTarget:
        pg_server.createdb(name, template=template)
        data = tmp_path_factory.getbasetemp() / name
        shutil.copytree(made[template], data)
        pg_server.sql(
            name,
            f"update {TEMPLATE_SCHEMA}.ducklake_metadata set value = '{data}/' "
            "where key = 'data_path'",
        )
        made[name] = data
        return LakeTarget(pg_server.catalog(name), None, TEMPLATE_SCHEMA)

    def make(*, begun: bool = False) -> LakeTarget:
        if TEMPLATE not in made:
            pg_server.createdb(TEMPLATE)
            made[TEMPLATE] = tmp_path_factory.mktemp("lake_template")
            where = LakeTarget(pg_server.catalog(TEMPLATE), f"{made[TEMPLATE]}/", TEMPLATE_SCHEMA)
            Workspace(where).close()  # migrated, no setting yet
        if begun and BEGUN not in made:
            ws = Workspace(copy(TEMPLATE, BEGUN))
            workspaces.begin_workspace(ws, company_name="own", currency="USD", locale="en_US")
            ws.close()
        return copy(BEGUN if begun else TEMPLATE, f"lake_{uuid.uuid4().hex[:10]}")

    return make


# -- both backends ------------------------------------------------------------------------------
# The core of the contract, metric, import and undo suites runs on a file and on a lake in CI
# (the tests whose module names `backend`); FLYWHEEL_TEST_LAKE=1 (`make test-lake`) runs the
# wider set marked `lake_wide` both ways too.
BACKENDS = ("file", "lake")
WIDE = os.environ.get("FLYWHEEL_TEST_LAKE", "").strip() not in ("", "0")


def backends_for(node: pytest.Function | pytest.Item) -> tuple[str, ...]:
    if node.get_closest_marker("lake_wide") is not None and not WIDE:
        return ("file",)
    return BACKENDS
