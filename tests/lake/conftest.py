"""The lake tests' own fixtures: the sample company in a lake and in a file. The private
PostgreSQL (`pg_server`), `new_lake` and `migrated_lake` are tests/lake/pg.py's, made visible to
every suite by tests/conftest.py."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from queries.lake import LakeTarget

# The S3 test needs moto's server and httpfs, which are not project dependencies: it is
# collected only when asked for (FLYWHEEL_TEST_S3=1, see its docstring), never skipped.
collect_ignore = [] if os.environ.get("FLYWHEEL_TEST_S3") == "1" else ["test_lake_s3.py"]

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
