"""Figures are built without plotly's property checks (components/charts/theme.py VALIDATE):
every registered view, on the sample (English) and on the tiny workspace (Chinese), gives the
same figure JSON with the checks on as without them, so skipping them changes no chart."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from components.charts import theme
from queries.filters import Filters
from queries.workspace import Workspace
from views import registry
from views.spec import context


def _parsed(text: str) -> dict:
    """The figure's properties, whatever order each form writes them in; an empty list of
    layout shapes or annotations is none (the checks drop it, plotly.js draws nothing)."""
    fig = json.loads(text)
    for key in ("shapes", "annotations"):
        if fig.get("layout", {}).get(key) == []:
            del fig["layout"][key]
    return fig


def _figures(ws: Workspace, filters: Filters, lang: str, validate: bool) -> dict[str, dict]:
    theme.VALIDATE = validate
    try:
        ctx = context(ws, filters, lang)
        return {e.key: _parsed(e.build(ctx).figure.to_json()) for e in registry.entries()}
    finally:
        theme.VALIDATE = False


@pytest.fixture(scope="module")
def sample(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    copy = tmp_path_factory.mktemp("unvalidated") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy, read_only=True)
    yield ws
    ws.close()


def _assert_same(ws: Workspace, filters: Filters, lang: str) -> None:
    checked = _figures(ws, filters, lang, validate=True)
    unchecked = _figures(ws, filters, lang, validate=False)
    assert checked.keys() == unchecked.keys()
    for key, want in checked.items():
        assert unchecked[key] == want, key


def test_every_view_of_the_sample_draws_the_same_figure_without_the_checks(sample: Workspace):
    last = sample.scalar("select max(created_at)::date from raw_deals")
    year = Filters(date(last.year - 1, last.month, 1), last)
    _assert_same(sample, year, "en")


def test_every_view_of_the_tiny_workspace_draws_the_same_figure_in_chinese(tiny_ws: Workspace):
    _assert_same(tiny_ws, Filters(date(2025, 1, 1), date(2025, 1, 31)), "zh")
