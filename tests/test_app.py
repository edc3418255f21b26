"""AppTest: every page runs on the sample workspace and draws its charts; filters and the
language switch change what is shown."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.ui.navigation import PAGES
from tests.apptest_utils import figures, rerun_entry, values

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app(sample_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("FLYWHEEL_DB", str(sample_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.mark.parametrize("script", [p for p, _, _ in PAGES])
def test_every_page_runs_and_draws_charts(app: AppTest, script: str):
    app.run()
    if script != PAGES[0][0]:
        app.switch_page(script).run()
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    figs = figures(app)
    assert figs, f"{script} drew no chart"
    for fig in figs:
        assert fig["layout"]["title"]["text"], f"{script}: a chart without a title"
        # our template, never streamlit's placeholder colorway
        assert "#000001" not in json.dumps(fig["data"])


def test_sample_badge_is_shown(app: AppTest):
    app.run()
    assert any("Sample workspace" in m.value for m in app.sidebar.markdown)


def test_segment_filter_changes_the_overview_chart(app: AppTest):
    app.run()
    app.sidebar.multiselect(key="filter_segment").set_value([])  # the sample has targets
    rerun_entry(app)
    total_all = sum(sum(values(tr["y"])) for tr in figures(app)[0]["data"])
    segments = app.sidebar.multiselect(key="filter_segment").options
    app.sidebar.multiselect(key="filter_segment").set_value([segments[0]])
    rerun_entry(app)
    assert not app.exception
    total_one = sum(sum(values(tr["y"])) for tr in figures(app)[0]["data"])
    assert 0 < total_one < total_all


def test_period_filter_changes_the_scoreboard(app: AppTest):
    app.run()
    before = [m.value for m in app.metric]
    period = app.sidebar.date_input(key="filter_period")
    _, end = period.value
    period.set_value((end.replace(day=1), end))
    rerun_entry(app)
    assert not app.exception
    assert [m.value for m in app.metric] != before


def test_language_switch_translates_the_page(app: AppTest):
    app.run()
    assert app.title[0].value.startswith("Overview")
    app.session_state["lang"] = "zh"
    rerun_entry(app)
    assert not app.exception
    assert app.title[0].value.startswith("总览")
    assert any("赢单" in m.label for m in app.metric)


def test_filters_are_written_to_the_url(app: AppTest):
    app.run()
    region = app.sidebar.multiselect(key="filter_region")
    region.select(region.options[0])
    rerun_entry(app)
    assert app.query_params.get("region")
    assert app.query_params.get("from")


def test_filters_are_read_from_the_url(sample_path, monkeypatch):
    monkeypatch.setenv("FLYWHEEL_DB", str(sample_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["from"] = "2025-01-01"
    at.query_params["to"] = "2025-03-31"
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    assert at.sidebar.date_input(key="filter_period").value[0].isoformat() == "2025-01-01"
    assert at.title[0].value.startswith("总览")


def test_the_target_market_is_the_default_segment_filter_unless_the_url_says(
    tiny_path, tmp_path, monkeypatch
):
    import shutil

    from queries import plans
    from queries.workspace import Workspace

    db = tmp_path / "targets.duckdb"
    shutil.copy(tiny_path, db)
    ws = Workspace(db)
    segments = sorted(ws.query("filter_options").query("dimension == 'segment'")["value"])
    plans.save_target_decision(ws, [segments[0]], "Shortest cycle")
    ws.close()
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    for url_segment, expected in ((None, [segments[0]]), (segments[-1], [segments[-1]])):
        st.cache_resource.clear()
        st.cache_data.clear()
        at = AppTest.from_file(APP, default_timeout=120)
        if url_segment:
            at.query_params["segment"] = url_segment
        at.run()
        assert not at.exception
        assert at.sidebar.multiselect(key="filter_segment").value == expected
        targeted = any("target market" in c.value for c in at.sidebar.caption)
        assert targeted == (url_segment is None)


@pytest.mark.parametrize("script", [p for p, _, _ in PAGES])
def test_every_page_works_on_a_new_empty_workspace(tmp_path, monkeypatch, script):
    monkeypatch.setenv("FLYWHEEL_DB", str(tmp_path / "new.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    if script != PAGES[0][0]:
        at.switch_page(script).run()
    try:
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        assert (tmp_path / "new.duckdb").exists()
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
