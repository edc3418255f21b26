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


@pytest.fixture(scope="session")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample company at scale 1, built once per test session."""
    from sample_data.seed import build_sample_workspace

    return build_sample_workspace(tmp_path_factory.mktemp("sample") / "sample.duckdb")


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
