"""Shared fixtures: the tiny hand-built workspace and the sample workspace."""

from __future__ import annotations

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
def tiny_ws(tiny_path: Path) -> Iterator[Workspace]:
    ws = Workspace(tiny_path, read_only=True)
    yield ws
    ws.close()


@pytest.fixture(scope="session")
def sample_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample company at scale 1, built once per test session."""
    from sample_data.seed import build_sample_workspace

    return build_sample_workspace(tmp_path_factory.mktemp("sample") / "sample.duckdb")
