"""The scenario planner page through AppTest on a copy of the sample workspace: the planner
draws its charts, a slider changes the projection, a named scenario is saved and compared,
invalid input is refused with nothing saved."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from components.i18n import translate
from tests.apptest_utils import figures, open_tab, plain

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _open_planner(db: Path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    app = AppTest.from_file(APP, default_timeout=180).run()
    app.switch_page("app_pages/scenarios.py").run()
    return app


def _clear_caches() -> None:
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(scope="module")
def shared_db(sample_path, tmp_path_factory):
    """One copy of the sample for the tests that write nothing to it: the app's cache keeps the
    planner fitted to it from one test to the next (a fit per test was most of this module's
    time). The tests that save get their own copy (``fresh_at``) and come last."""
    db = tmp_path_factory.mktemp("scenarios_page") / "sample.duckdb"
    shutil.copy(sample_path, db)
    _clear_caches()
    yield db
    _clear_caches()


@pytest.fixture
def at(shared_db, monkeypatch):
    """The planner page on the shared copy (a new session each test: no widget state kept)."""
    return _open_planner(shared_db, monkeypatch)


@pytest.fixture
def fresh_at(sample_path, tmp_path, monkeypatch):
    """The planner page on a copy of its own, for a test that saves scenarios."""
    db = tmp_path / "sample.duckdb"
    shutil.copy(sample_path, db)
    _clear_caches()
    yield _open_planner(db, monkeypatch)
    _clear_caches()


def _view(at, view: str):
    open_tab(at, "scn_view", translate(f"scenarios.tab.{view}", "en"))
    assert not at.exception
    return at


def _projection(at) -> dict:
    # the workspace's currency: USD, or CNY in the Chinese sample (FLYWHEEL_TEST_SAMPLE=zh)
    from tests.conftest import TEST_SAMPLE
    from tests.sample_names import names

    currency = names(TEST_SAMPLE).currency
    title = translate("scenarios.plan.projection_title", "en", n=8, currency=currency)
    return plain(next(f for f in figures(at) if f["layout"]["title"]["text"] == title))


def test_planner_draws_projection_curves_and_tornado(at):
    _view(at, "plan")
    assert not at.error
    titles = [f["layout"]["title"]["text"] for f in figures(at)]
    assert len(titles) == 3
    fig = _projection(at)
    names = {t["name"] for t in fig["data"] if t.get("showlegend")}
    assert {translate("motion.pull", "en"), translate("motion.push", "en")} <= names
    assert [m.label for m in at.metric][:3] == [
        translate("scenarios.plan.marketing_month", "en"),
        translate("scenarios.plan.sales_month", "en"),
        translate("scenarios.plan.reps", "en"),
    ]


def test_moving_the_marketing_share_changes_the_projection(at):
    _view(at, "plan")
    before = at.metric[0].value
    pull_before = _pull_revenue(at)
    share = at.slider(key="scn_share").value
    at.slider(key="scn_share").set_value(min(share + 20, 100)).run()
    assert not at.exception
    assert at.metric[0].value != before  # marketing per month
    assert _pull_revenue(at) > pull_before


def _pull_revenue(at) -> float:
    fig = _projection(at)
    lines = [t for t in fig["data"] if t.get("mode") == "lines+markers" and t.get("xaxis") == "x"]
    return float(sum(lines[0]["y"]))


def test_an_empty_name_is_refused_and_nothing_is_saved(at):
    _view(at, "plan")
    at.text_input(key="scn_name").input("   ")
    at.button[
        [b.label for b in at.button].index(translate("scenarios.save.button", "en"))
    ].click().run()
    assert [e.value for e in at.error] == [translate("scenarios.save.error.name_empty", "en")]
    _view(at, "compare")
    assert [i.value for i in at.info] == [translate("scenarios.compare.none", "en")]


def test_a_zero_budget_is_refused_and_nothing_is_saved(at):
    _view(at, "plan")
    at.number_input(key="scn_budget").set_value(0.0).run()
    at.text_input(key="scn_name").input("Nothing")
    at.button[
        [b.label for b in at.button].index(translate("scenarios.save.button", "en"))
    ].click().run()
    assert [e.value for e in at.error] == [translate("scenarios.save.error.budget_zero", "en")]
    _view(at, "compare")
    assert [i.value for i in at.info] == [translate("scenarios.compare.none", "en")]


def test_validation_view_shows_recovery_and_backtest(at):
    _view(at, "check")
    assert not at.error
    figs = figures(at)
    assert len(figs) == 1
    assert len(figs[0]["data"]) == 8  # projected and actual for four series
    assert len(at.dataframe) == 3  # fitted parameters, recovery against the truth, backtest errors


# -- the tests that save: each on its own copy (after the shared ones: their reset of the app's
# cache would cost the shared copy its fit) ----------------------------------------------------
def test_saving_a_named_scenario_lists_it_for_comparison(fresh_at):
    _view(fresh_at, "plan")
    fresh_at.text_input(key="scn_name").input("Pull-heavy 2027")
    fresh_at.button[
        [b.label for b in fresh_at.button].index(translate("scenarios.save.button", "en"))
    ].click().run()
    assert not fresh_at.exception
    assert not fresh_at.error
    assert fresh_at.success
    _view(fresh_at, "compare")
    assert fresh_at.multiselect(key="scn_compare").options == ["Pull-heavy 2027"]
    assert len(figures(fresh_at)) == 2


def test_presets_are_saved_and_compared_side_by_side(fresh_at):
    _view(fresh_at, "compare")
    label = translate("scenarios.compare.add_presets", "en")
    fresh_at.button[[b.label for b in fresh_at.button].index(label)].click().run()
    assert not fresh_at.exception
    names = [
        translate(f"scenarios.preset.{k}", "en") for k in ("push_heavy", "balanced", "pull_heavy")
    ]
    assert fresh_at.multiselect(key="scn_compare").value == names
    bars, lines = figures(fresh_at)
    stacked = [t for t in bars["data"] if t["type"] == "bar"]
    assert [t["name"] for t in stacked] == [
        translate("motion.pull", "en"),
        translate("motion.push", "en"),
    ]
    assert [t["name"] for t in lines["data"]] == names


@pytest.mark.parametrize("view", ["plan", "compare", "check"])
def test_planner_views_explain_instead_of_failing_on_the_tiny_workspace(
    tiny_path, tmp_path, monkeypatch, view
):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_path, db)
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    app = AppTest.from_file(APP, default_timeout=120).run()
    app.switch_page("app_pages/scenarios.py").run()
    _view(app, view)
    assert not app.error
    # the unmet requirements, listed once (was one generic sentence)
    (info,) = [i.value for i in app.info]
    assert info.startswith(translate("scenarios.plan.page_cannot_fit", "en"))
    assert "- whole months of history: 4, 6 needed" in info
    st.cache_resource.clear()
    st.cache_data.clear()
