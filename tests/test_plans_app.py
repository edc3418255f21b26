"""Edits on the Market analysis and 4P pages through AppTest: invalid input is refused with a
per-field message and nothing is saved; valid input is saved (one transaction) and shown."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from components.i18n import translate
from queries import plans
from queries.workspace import Workspace
from tests.apptest_utils import figures, open_tab

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def seeded_path(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plans_app") / "seeded.duckdb"
    shutil.copy(sample_path, path)
    ws = Workspace(path)
    plans.seed_sample_plans(ws)
    ws.close()
    return path


@pytest.fixture
def db(seeded_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "app.duckdb"
    shutil.copy(seeded_path, copy)
    return copy


def _open(db: Path, page: str, monkeypatch: pytest.MonkeyPatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(page).run()
    assert not at.exception
    return at


@pytest.fixture
def market_app(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    import streamlit as st

    yield _open(db, "app_pages/market.py", monkeypatch)
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture
def mix_app(db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator:
    import streamlit as st

    yield _open(db, "app_pages/strategy_4p.py", monkeypatch)
    st.cache_resource.clear()
    st.cache_data.clear()


def _stored(at, name: str, **params):
    from components.ui import state

    del at
    return state.workspace().query(name, **params)


def _errors(at) -> str:
    return "\n".join(e.value for e in at.error)


def _titles(at) -> list[str]:
    return [f["layout"]["title"]["text"] for f in figures(at)]


def test_market_sizes_with_sam_above_tam_are_refused_and_nothing_is_saved(market_app):
    at = market_app
    year = at.selectbox(key="market_year").value
    before = _stored(at, "market_segment_sizes", segments=None)
    at.session_state[f"market_sizes_editor_{year}"] = {
        "edited_rows": {0: {"sam": 9e15}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="market_save_sizes").click().run()
    assert not at.exception
    assert "SAM cannot be larger than TAM" in _errors(at)
    after = _stored(at, "market_segment_sizes", segments=None)
    assert after["sam"].tolist() == before["sam"].tolist()


def test_market_sizes_saved_change_the_som_check(market_app):
    at = market_app
    year = at.selectbox(key="market_year").value
    at.session_state[f"market_sizes_editor_{year}"] = {
        "edited_rows": {0: {"som": 1.0}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="market_save_sizes").click().run()
    assert not at.exception and not at.error
    stored = _stored(at, "market_segment_sizes", segments=None)
    assert 1.0 in stored.loc[stored["year"] == year, "som"].tolist()
    assert any("Saved the market assumptions" in s.value for s in at.success)


def test_a_target_decision_without_rationale_is_refused_then_saved_with_one(
    market_app, sample_names
):
    smb = sample_names.label("SMB")  # 小微企业 in the Chinese sample
    at = open_tab(market_app, "market_tab", translate("market.tab.target", "en"))
    before = len(_stored(at, "plan_target_decisions"))
    at.multiselect(key="market_target_segments").set_value([smb])
    at.text_area(key="market_target_rationale").set_value("")
    at.button[-1].click().run()  # the form's submit button
    assert "Rationale: required" in _errors(at)
    assert len(_stored(at, "plan_target_decisions")) == before
    at.multiselect(key="market_target_segments").set_value([smb])
    at.text_area(key="market_target_rationale").set_value("Shortest cycle, cheapest leads")
    at.button[-1].click().run()
    assert not at.exception and not at.error
    decisions = _stored(at, "plan_target_decisions")
    assert len(decisions) == before + 1
    assert list(decisions["segments"].iloc[0]) == [smb]


def test_positioning_axes_are_chosen_by_the_user(market_app):
    at = open_tab(market_app, "market_tab", translate("market.tab.competitors", "en"))
    at.selectbox(key="market_y_axis").set_value("price_index").run()
    at.selectbox(key="market_x_axis").set_value("quality_index").run()
    assert not at.exception
    assert any(t.startswith("Positioning: Quality index against Price index") for t in _titles(at))


def test_a_plan_target_out_of_range_is_refused_and_no_version_is_saved(mix_app):
    at = mix_app
    key = f"mix_plan_editor_{at.selectbox(key='mix_plan_segment').value}_1"
    at.session_state[key] = {
        "edited_rows": {1: {"target": 250.0}},  # price: win rate 250 %
        "added_rows": [],
        "deleted_rows": [],
    }
    at.text_input(key="mix_version_label").set_value("Too ambitious")
    at.run()
    at.button(key="mix_save_version").click().run()
    assert not at.exception
    assert "Price · Target: enter a number from 0 to 100" in _errors(at)
    assert len(_stored(at, "plan_version_list")) == 1


def test_a_valid_plan_edit_is_saved_as_a_new_version_and_compared(mix_app, sample_names):
    at = mix_app
    key = f"mix_plan_editor_{at.selectbox(key='mix_plan_segment').value}_1"
    at.session_state[key] = {
        "edited_rows": {0: {"decisions": "Lead with Insight Pro only"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.text_input(key="mix_version_label").set_value("Plan 2")
    at.run()
    at.button(key="mix_save_version").click().run()
    assert not at.exception and not at.error
    versions = _stored(at, "plan_version_list")
    assert versions["label"].tolist() == ["Plan 2", sample_names.first_plan]
    # the comparison (v1 before, v2 after) lists exactly the one changed field
    assert any("1 field differs between version 1 and version 2" in c.value for c in at.caption)


def test_a_budget_whose_lines_do_not_add_up_is_refused(mix_app):
    at = open_tab(mix_app, "strategy_4p_tab", translate("strategy_4p.tab_budget", "en"))
    year = at.selectbox(key="mix_plan_year").value
    before = _stored(at, "plan_budget_total", plan_year=year)
    at.number_input(key=f"mix_budget_total_{year}").set_value(1.0)
    at.run()
    assert any("Balance them before saving" in w.value for w in at.warning)
    at.button(key="mix_save_budget").click().run()
    assert "the lines add up to" in _errors(at)
    assert _stored(at, "plan_budget_total", plan_year=year)["total"].tolist() == (
        before["total"].tolist()
    )


def test_the_kpi_tracker_shows_every_plan_kpi_with_a_traffic_light(mix_app):
    at = mix_app
    tracker = next(f for f in figures(at) if f["layout"]["title"]["text"].startswith("Plan KPIs"))
    assert len(tracker["data"][0]["y"]) == 8  # 2 target segments × 4 Ps


def test_place_evidence_switches_from_region_to_channel(mix_app):
    at = open_tab(mix_app, "strategy_4p_tab", translate("strategy_4p.tab_place", "en"))
    at.segmented_control(key="mix_place_dimension").set_value("source").run()
    assert not at.exception
    assert "Win rate by channel (lead source) (%)" in _titles(at)
