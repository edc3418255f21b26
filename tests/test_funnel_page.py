"""Funnel health page through AppTest on the sample workspace: the default view, every tab,
and the controls (cohort/period toggle, split, SLA and MQL definition saved or refused,
threshold slider, stuck-deal multiple, unit-economics assumptions)."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from components.charts.theme import PUSH_COLOR
from components.i18n import translate
from tests.apptest_utils import figures, plain

APP = str(Path(__file__).resolve().parent.parent / "app.py")
TABS = ("funnel", "handoff", "score", "cohorts", "velocity", "stuck", "pipeline", "economics")


@pytest.fixture
def db(sample_path: Path, tmp_path: Path) -> Path:
    """A copy of the sample workspace: the page saves settings into it."""
    path = tmp_path / "sample.duckdb"
    shutil.copy(sample_path, path)
    return path


def _open(db: Path, monkeypatch: pytest.MonkeyPatch, params: dict | None = None):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page("app_pages/funnel.py").run()
    return at


@pytest.fixture
def app(db: Path, monkeypatch: pytest.MonkeyPatch):
    import streamlit as st

    at = _open(db, monkeypatch)
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()
    os.environ.pop("FLYWHEEL_DB", None)


def _figures(at) -> list[dict]:
    return [plain(f) for f in figures(at)]


def _titles(at) -> list[str]:
    return [f["layout"]["title"]["text"] for f in _figures(at)]


def _tab(at, name: str):
    at.session_state["funnel_tab"] = translate(f"funnel.tab.{name}", "en")
    return at.run()


def _ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def test_funnel_page_opens_on_the_cohort_funnel_with_its_monthly_cohorts(app):
    _ok(app)
    figs = _figures(app)
    assert len(figs) == 2  # only the open tab's charts are built
    assert "cohort" in figs[0]["layout"]["title"]["text"]
    assert [t["type"] for t in figs[0]["data"]] == ["funnel", "funnel"]
    assert figs[1]["layout"]["shapes"][0]["type"] == "rect"  # maturing cohorts shaded


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_draws_its_charts_without_error(app, tab):
    _tab(app, tab)
    _ok(app)
    if tab == "stuck":
        assert len(app.dataframe) == 1
        assert app.get("download_button")
    else:
        assert _figures(app), tab
        assert all(f["data"] for f in _figures(app)), tab


def test_view_toggle_switches_to_the_period_funnel(app):
    app.segmented_control(key="funnel_view").set_value("period").run()
    _ok(app)
    assert "in the period" in _titles(app)[0]  # the pack's funnel: one function draws both
    assert "month" in _titles(app)[1].lower()


def test_split_by_source_adds_conversion_per_source(app, sample_names):
    app.selectbox(key="funnel_split").set_value("source").run()
    _ok(app)
    titles = _titles(app)
    assert any("Lead source" in t for t in titles)
    split = _figures(app)[2]
    assert {t["orientation"] for t in split["data"]} == {"h"}
    assert sample_names.label("Paid Search") in split["data"][0]["y"]


def test_saving_the_sla_moves_the_sla_line_and_is_stored(app):
    _tab(app, "handoff")
    app.number_input(key="funnel_sla_hours").set_value(48)
    app.button[0].click().run()  # the form's save button
    _ok(app)
    assert _figures(app)[0]["layout"]["shapes"][0]["x0"] == 48
    assert "48 h" in app.metric[0].label
    assert "SLA: 48 h" in app.caption[1].value  # read back from the workspace settings


def test_saving_an_mql_definition_by_score_changes_the_mql_counts(app):
    before = _figures(app)[0]["data"][0]["x"][1]  # pull MQLs by the CRM's MQL date
    _tab(app, "handoff")
    app.radio(key="funnel_mql_rule").set_value("score")
    app.text_input(key="funnel_mql_threshold").set_value("90")
    app.button[0].click().run()
    _ok(app)
    assert "lead score reaches the threshold" in app.caption[1].value  # under the intro
    _tab(app, "funnel")
    after = _figures(app)[0]["data"][0]["x"][1]
    assert after != before


def test_an_invalid_threshold_is_refused_and_nothing_is_saved(app):
    _tab(app, "handoff")
    app.radio(key="funnel_mql_rule").set_value("score")
    app.text_input(key="funnel_mql_threshold").set_value("high")
    app.number_input(key="funnel_sla_hours").set_value(12)
    app.button[0].click().run()
    assert not app.exception
    assert any("threshold" in e.value for e in app.error)
    # nothing saved: after a fresh run the page still shows the defaults
    app.run()
    head = app.caption[1].value
    assert "the CRM records an MQL date" in head
    assert "SLA: 24 h" in head


def test_threshold_slider_moves_the_line_and_the_monthly_title(app):
    _tab(app, "score")
    app.slider(key="funnel_score_threshold").set_value(50.0).run()
    _ok(app)
    tuner, monthly = _figures(app)
    assert tuner["layout"]["shapes"][0]["x0"] == 50.0
    assert "50" in monthly["layout"]["title"]["text"]
    assert any(t.get("marker", {}).get("symbol") == "star" for t in tuner["data"])


def test_stuck_multiple_changes_the_number_of_stuck_deals(app):
    _tab(app, "stuck")
    many = len(app.dataframe[0].value)
    app.slider(key="funnel_stuck_multiple").set_value(4.0).run()
    _ok(app)
    few = len(app.dataframe[0].value) if app.dataframe else 0
    assert few < many


def test_cohort_motion_switches_the_heatmap_colour(app):
    _tab(app, "cohorts")
    app.segmented_control(key="funnel_cohort_motion").set_value("push").run()
    heat = _figures(app)[0]["data"][0]
    assert heat["colorscale"][-1][1] == PUSH_COLOR


def test_unit_economics_assumptions_are_saved_and_shown(app):
    _tab(app, "economics")
    app.number_input(key="funnel_margin").set_value(60.0)
    app.number_input(key="funnel_churn").set_value(20.0)
    app.button[0].click().run()
    _ok(app)
    assert any("Gross margin 60%" in c.value for c in app.caption)
    ltv_cac, _payback = _figures(app)
    assert len(ltv_cac["layout"]["shapes"]) == 3  # the benchmark bands


def test_funnel_page_survives_a_period_with_no_data(db, monkeypatch):
    import streamlit as st

    at = _open(db, monkeypatch, {"from": "2040-01-01", "to": "2040-03-31"})
    assert at.session_state["_filters"].date_from == date(2040, 1, 1)
    for tab in TABS:
        _tab(at, tab)
        _ok(at)
        figs = _figures(at)
        if tab == "pipeline":  # the open pipeline is today's, whatever the period
            figs = figs[1:]
        assert all(fig["data"] == [] for fig in figs), tab
    st.cache_resource.clear()
    st.cache_data.clear()
