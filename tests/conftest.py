"""Shared fixtures: the tiny hand-built workspace, the sample workspace, and Chromium."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from queries.workspace import Workspace  # noqa: E402
from tests.fixtures import build_tiny_workspace  # noqa: E402


@pytest.fixture(scope="session")
def tiny_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_workspace(tmp_path_factory.mktemp("tiny") / "tiny.duckdb")


@pytest.fixture
def tiny_ws(tiny_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    """The tiny workspace, read-only, on a copy: an app test in this process may hold the
    original open read-write, and DuckDB refuses a second opening with another mode."""
    copy = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_path, copy)
    ws = Workspace(copy, read_only=True)
    yield ws
    ws.close()


# Which sample company `sample_path` is: "en" (Northwind, USD) or, with FLYWHEEL_TEST_SAMPLE=zh
# (`make test-zh`), the Chinese one (北辰数智科技, CNY; `flywheel seed --locale zh`).
SAMPLE_LOCALES = ("en", "zh")
TEST_SAMPLE = os.environ.get("FLYWHEEL_TEST_SAMPLE", "en").strip().lower() or "en"
if TEST_SAMPLE not in SAMPLE_LOCALES:
    raise pytest.UsageError(f"FLYWHEEL_TEST_SAMPLE={TEST_SAMPLE!r}: use one of {SAMPLE_LOCALES}")


def _build_sample(factory: pytest.TempPathFactory, locale: str) -> Path:
    from sample_data.seed import build_sample_workspace

    path = factory.mktemp(f"sample-{locale}") / "sample.duckdb"
    return build_sample_workspace(path, locale=locale)


@pytest.fixture(scope="session")
def sample_locale() -> str:
    """The language of the sample `sample_path` holds ("en" or "zh")."""
    return TEST_SAMPLE


@pytest.fixture(scope="session")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample company at scale 1, built once per test session: the English one, or the
    Chinese one under FLYWHEEL_TEST_SAMPLE=zh."""
    return _build_sample(tmp_path_factory, TEST_SAMPLE)


@pytest.fixture(scope="session")
def zh_sample_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The Chinese sample company (the same draws as the English one, relabelled; CNY)."""
    if TEST_SAMPLE == "zh":
        return request.getfixturevalue("sample_path")
    return _build_sample(tmp_path_factory, "zh")


@pytest.fixture(scope="session")
def en_sample_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """The English sample company, whatever FLYWHEEL_TEST_SAMPLE says."""
    if TEST_SAMPLE == "en":
        return request.getfixturevalue("sample_path")
    return _build_sample(tmp_path_factory, "en")


@pytest.fixture(scope="session", params=SAMPLE_LOCALES)
def each_sample(request: pytest.FixtureRequest) -> tuple[str, Path]:
    """(locale, path) of each sample company in turn: the core tests that CI runs on both."""
    return request.param, request.getfixturevalue(f"{request.param}_sample_path")


@pytest.fixture(scope="session")
def sample_names(sample_locale: str):
    """The names the sample in `sample_path` uses (tests/sample_names.py)."""
    from tests.sample_names import names

    return names(sample_locale)


@pytest.fixture(scope="module")
def browser():
    """A headless Debian Chromium per browser-test module (not per session: Playwright's sync
    API keeps an event loop running while it is open, which other tests' asyncio code must not
    meet). With CI=true a missing browser fails the run; elsewhere the tests are skipped."""
    from tests.browser import CHROMIUM_ARGS, chromium_path

    exe = chromium_path()
    if exe is None:
        if os.environ.get("CI") == "true":
            pytest.fail("Chromium is missing: .ci/run must install Debian's chromium")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def fresh_streamlit_caches() -> Iterator[None]:
    """Empty Streamlit caches before and after a test: an AppTest's cached workspace connection
    and query results must not leak into the next test (modules that run AppTests use it with
    ``pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")``)."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


# -- the planner's fit, once per history per test process ----------------------------------------
# planning.model.fit_model is a pure function of the history and its seed (a seeded bootstrap):
# the same sample fitted again gives the same model. The page, view, export and engine tests
# open the planner on the same few workspaces, each with fresh Streamlit caches, so each paid
# the fit (seconds each, most of those files' time). They share one fit per history here. The
# fit's own tests (test_planning_*.py) always fit, and a browser test's server (another
# process) always fits.
_FITS: dict[str, object] = {}


@pytest.fixture(autouse=True)
def _planner_fits_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.module.__name__.rsplit(".", 1)[-1].startswith("test_planning_"):
        return
    import hashlib
    import pickle

    from planning import model

    fit = _FITS.get("__original__") or model.fit_model
    _FITS["__original__"] = fit

    def fit_model(hist, *, draws: int = 30, seed: int = 7):
        key = hashlib.sha256(pickle.dumps((hist, draws, seed))).hexdigest()
        if key not in _FITS:
            _FITS[key] = fit(hist, draws=draws, seed=seed)
        return _FITS[key]

    monkeypatch.setattr(model, "fit_model", fit_model)


# -- both backends (issue 19): a file workspace and a workspace on DuckLake ---------------------
# A test that names `backend` runs once per backend: "file" and "lake" (a private PostgreSQL per
# test process, tests/lake/pg.py). CI runs the core of the contract, metric, import and undo
# suites both ways; a test marked `lake_wide` runs on a file only unless FLYWHEEL_TEST_LAKE=1
# (`make test-lake`).
from tests.lake import pg as _pg  # noqa: E402
from tests.lake.pg import migrated_lake, new_lake, pg_server  # noqa: E402, F401  (fixtures)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "lake_wide: runs on a lake too only under FLYWHEEL_TEST_LAKE=1 (make test-lake)"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        # module scope: a module's read-only workspace is built once per backend
        metafunc.parametrize("backend", _pg.backends_for(metafunc.definition), scope="module")


@pytest.fixture
def fresh_ws(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A new, empty workspace of the team's own (not the sample) on ``backend``."""
    from queries import workspaces

    if backend == "file":
        ws = workspaces.create_workspace(tmp_path / "own.duckdb")
    else:  # a copy of a lake create_workspace made (company "own", as the file's stem)
        ws = Workspace(request.getfixturevalue("migrated_lake")(begun=True))
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def tiny_lake(request: pytest.FixtureRequest):
    """The tiny workspace built in a lake, once per session."""
    return build_tiny_workspace(request.getfixturevalue("migrated_lake")())


@pytest.fixture(scope="module")
def tiny_on(
    backend: str, tiny_path: Path, request: pytest.FixtureRequest, tmp_path_factory
) -> Iterator[Workspace]:
    """The tiny workspace on ``backend``, read only (a file copy: an app test in this process
    may hold the original open read-write)."""
    if backend == "file":
        where = tmp_path_factory.mktemp("tiny_on") / "tiny.duckdb"
        shutil.copy(tiny_path, where)
    else:
        where = request.getfixturevalue("tiny_lake")
    ws = Workspace(where, read_only=True)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def sample_lake(sample_path: Path, request: pytest.FixtureRequest):
    """The sample company (`sample_path`) copied into a lake, once per session."""
    from queries.workspace import copy_workspace

    where = request.getfixturevalue("migrated_lake")()
    copy_workspace(sample_path, where)
    return where


@pytest.fixture(scope="module")
def sample_on(backend: str, sample_path: Path, request: pytest.FixtureRequest):
    """Where the sample company is on ``backend`` (read only: a file path or a lake target)."""
    return sample_path if backend == "file" else request.getfixturevalue("sample_lake")


# -- the order files are dealt to the workers ------------------------------------------------------
# `make test` runs `--dist loadfile --no-loadscope-reorder`: xdist deals whole files to the
# workers in this order. By default it deals the files with the most tests first, which left the
# browser suites (a few tests of 20-50 s each) to the end, one worker running them alone for
# minutes while the other had finished. Browser files go first, then the rest by test count,
# so the long files start early and the short ones fill in at the end.
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    files: dict[str, list[pytest.Item]] = {}
    for item in items:
        files.setdefault(item.nodeid.split("::", 1)[0], []).append(item)

    def weight(tests: list[pytest.Item]) -> tuple[bool, int]:
        return (not any(t.get_closest_marker("browser") for t in tests), -len(tests))

    items[:] = [t for _, tests in sorted(files.items(), key=lambda f: weight(f[1])) for t in tests]
