"""The app's memo of query results (components/ui/state.py ``call``): one run per function,
workspace version and arguments; each caller gets its own copy; True, 1 and 1.0 are different
arguments; a write (``data_changed``) or ``st.cache_data.clear()`` drops every result; an
argument that cannot be a key still works (through st.cache_data)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
import streamlit as st

from components.ui import state
from queries.filters import Filters
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace

runs: list[tuple] = []


def frame(ws: Workspace, filters: Filters, flag: object = None) -> pd.DataFrame:
    runs.append((filters, flag))
    return pd.DataFrame({"n": [1, 2, 3]})


@pytest.fixture
def memo(tiny_ws: Workspace, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(state, "workspace", lambda: tiny_ws)
    state.data_changed()
    runs.clear()
    yield tiny_ws
    state.data_changed()


JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))


def test_one_run_per_arguments_and_a_copy_for_each_caller(memo):
    first = state.call(frame, JAN)
    first.loc[0, "n"] = 99  # a caller changing what it got
    second = state.call(frame, JAN)
    assert runs == [(JAN, None)]
    assert second["n"].tolist() == [1, 2, 3]
    assert second is not first
    state.call(frame, Filters(date(2025, 2, 1), date(2025, 2, 28)))
    assert len(runs) == 2


def test_true_one_and_one_point_zero_are_different_arguments(memo):
    for flag in (True, 1, 1.0, True):
        state.call(frame, JAN, flag=flag)
    assert [f for _, f in runs] == [True, 1, 1.0]
    assert [type(f) for _, f in runs] == [bool, int, float]


def test_a_write_or_a_cache_clear_drops_the_results(memo):
    state.call(frame, JAN)
    state.data_changed()
    state.call(frame, JAN)
    st.cache_data.clear()
    state.call(frame, JAN)
    state.call(frame, JAN)
    assert len(runs) == 3


def test_a_new_data_version_runs_again(memo, tmp_path, monkeypatch):
    ws = Workspace(build_tiny_workspace(tmp_path / "writable.duckdb"))
    try:
        monkeypatch.setattr(state, "workspace", lambda: ws)
        state.call(frame, JAN)
        state.call(frame, JAN)
        with ws.transaction() as cur:  # any write moves the workspace's data version
            cur.execute("insert into settings values ('memo_test', '1')")
        state.call(frame, JAN)
        assert len(runs) == 2
    finally:
        ws.close()


def test_an_argument_that_cannot_be_a_key_still_works(memo):
    unhashable = pd.DataFrame({"x": [1]})
    assert state.call(frame, JAN, flag=unhashable)["n"].tolist() == [1, 2, 3]
    assert len(runs) == 1


def test_the_settings_are_read_once_per_data_version_and_a_write_shows(tmp_path):
    """Workspace.per_version: one read of workspace_settings until a write; each caller gets
    its own copy."""
    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    asked: list[str] = []
    plain = ws.query
    ws.query = lambda name, **params: asked.append(name) or plain(name, **params)  # type: ignore[method-assign]
    try:
        first = ws.settings()
        first["currency"] = "changed by a caller"
        assert ws.settings()["currency"] != "changed by a caller"
        assert ws.per_version("data_date_range").equals(ws.per_version("data_date_range"))
        assert asked == ["workspace_settings", "data_date_range"]
        ws.set_setting("currency", "EUR")
        assert ws.settings()["currency"] == "EUR"
        assert asked.count("workspace_settings") == 2
    finally:
        ws.close()
