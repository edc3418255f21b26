"""Editing the campaign plan: the change log and undo (queries.campaigns), the form and the
table through AppTest (invalid input refused with a message per field and nothing saved; undo
restores), and a plan imported through the import engine, on the tiny workspace (whose two
campaigns C1 and C2 are listed in tests/fixtures.py)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.i18n import translate
from planning import campaign_plan
from queries import campaigns
from queries.workspace import Workspace
from tests.apptest_utils import open_tab

APP = str(Path(__file__).resolve().parent.parent / "app.py")
NEW_ROW = {
    "campaign_id": "C9",
    "name": "Spring webinar",
    "channel": "Webinar",
    "objective": "consideration",
    "start_date": date(2025, 3, 1),
    "end_date": date(2025, 3, 31),
    "budget": 2500.0,
    "status": "planned",
    "owner": "Ann",
    "segment": None,
}


@pytest.fixture
def ws_path(tiny_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "plan.duckdb"
    shutil.copy(tiny_path, copy)
    return copy


@pytest.fixture
def ws(ws_path: Path) -> Iterator[Workspace]:
    w = Workspace(ws_path)
    yield w
    w.close()


def _plan(ws: Workspace) -> dict[str, dict]:
    return campaigns.plan_rows(ws).set_index("campaign_id").to_dict("index")


# -- the change log ----------------------------------------------------------------------------
def test_adding_a_campaign_is_logged_and_undo_removes_it(ws: Workspace):
    before = _plan(ws)
    campaigns.save_changes(ws, action="add", summary="Spring webinar (C9)", upserts=[NEW_ROW])
    assert _plan(ws)["C9"]["budget"] == 2500.0
    assert campaigns.last_change(ws)["campaign_ids"] == ["C9"]
    undone = campaigns.undo_last_change(ws)
    assert undone["action"] == "add"
    assert _plan(ws) == before
    assert campaigns.last_change(ws) is None


def test_undo_of_an_edit_restores_the_row_as_it_was(ws: Workspace):
    before = _plan(ws)
    edited = {"campaign_id": "C1", **before["C1"], "budget": 99.0, "name": "Renamed"}
    campaigns.save_changes(ws, action="edit", summary="C1", upserts=[edited])
    assert (_plan(ws)["C1"]["budget"], _plan(ws)["C1"]["name"]) == (99.0, "Renamed")
    campaigns.undo_last_change(ws)
    assert _plan(ws) == before


def test_undo_takes_back_the_latest_change_only_then_the_one_before(ws: Workspace):
    before = _plan(ws)
    campaigns.save_changes(ws, action="add", summary="C9", upserts=[NEW_ROW])
    campaigns.save_changes(ws, action="delete", summary="C2", deletes=["C2"])
    assert "C2" not in _plan(ws)
    campaigns.undo_last_change(ws)
    after_one = _plan(ws)
    assert "C2" in after_one and "C9" in after_one
    campaigns.undo_last_change(ws)
    assert _plan(ws) == before


def test_a_change_of_several_rows_is_one_transaction(ws: Workspace):
    before = _plan(ws)
    bad = NEW_ROW | {"campaign_id": "C8", "objective": "not-a-stage"}  # the table's check fails
    with pytest.raises(Exception):  # noqa: B017 - DuckDB's constraint error
        campaigns.save_changes(ws, action="table", summary="x", upserts=[NEW_ROW, bad])
    assert _plan(ws) == before
    assert campaigns.last_change(ws) is None


def test_known_values_are_mapped_sources_and_used_channels_and_segments(ws: Workspace):
    known = campaigns.known_values(ws)
    assert {"Webinar", "Paid Search", "Outbound"} <= set(known["channel"])
    assert known["segment"] == ["Enterprise", "SMB"]


def test_zoom_windows_are_the_calendar_month_quarter_and_year():
    day = date(2026, 11, 27)
    assert campaign_plan.zoom_window("month", day) == (date(2026, 11, 1), date(2026, 11, 30))
    assert campaign_plan.zoom_window("quarter", day) == (date(2026, 10, 1), date(2026, 12, 31))
    assert campaign_plan.zoom_window("year", day) == (date(2026, 1, 1), date(2026, 12, 31))


# -- the page ------------------------------------------------------------------------------------
@pytest.fixture
def app(ws_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("FLYWHEEL_DB", str(ws_path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/campaigns.py").run()
    open_tab(at, "campaigns_tab", translate("campaigns.tab.edit", "en"))
    assert not at.exception, [e.value for e in at.exception]
    yield at
    st.cache_resource.clear()
    st.cache_data.clear()


def _count(ws_path: Path) -> int:
    # read through the app's own open workspace: a second handle on the file is refused
    from components.ui import state

    return int(state.workspace().scalar("select count(*) from campaigns"))


def _fill(at: AppTest, choice: str = "__new__", version: int = 0, **values: object) -> None:
    for field, value in values.items():
        key = f"campaigns_f_{field}_{choice}_{version}"
        widget = at.get_widget(key) if hasattr(at, "get_widget") else None
        widget = widget or _by_key(at, key)
        widget.set_value(value)


def _by_key(at: AppTest, key: str):
    for kind in ("text_input", "selectbox", "date_input", "number_input"):
        for w in getattr(at, kind):
            if w.key == key:
                return w
    raise KeyError(key)


def _submit(at: AppTest, key: str) -> None:
    for b in at.button:
        if b.key == key:
            b.click().run()
            return
    raise KeyError(key)


def test_invalid_form_is_refused_with_a_message_per_field_and_nothing_saved(
    app: AppTest, ws_path: Path
):
    n = _count(ws_path)
    _fill(
        app,
        name="Broken",
        budget=-5.0,
        start_date=date(2025, 3, 10),
        end_date=date(2025, 3, 1),
    )  # no channel, no stage chosen
    _submit(app, "campaigns_f_save___new___0")
    assert not app.exception, [e.value for e in app.exception]
    text = " ".join(e.value for e in app.error)
    assert "Nothing was saved" in text
    assert "Channel: required" in text
    assert "Journey stage (objective): required" in text
    assert "End: the end must be on or after the start" in text
    assert "Budget: must be 0 or more" in text
    assert _count(ws_path) == n


def test_a_valid_form_adds_the_campaign_and_undo_takes_it_back(app: AppTest, ws_path: Path):
    n = _count(ws_path)
    _fill(
        app,
        name="Spring webinar",
        channel="Webinar",
        objective="consideration",
        budget=2500.0,
        start_date=date(2025, 3, 1),
        end_date=date(2025, 3, 31),
    )
    _submit(app, "campaigns_f_save___new___0")
    assert not app.exception and not app.error, [e.value for e in app.error]
    assert _count(ws_path) == n + 1
    assert any("Added Spring webinar" in s.value for s in app.success)
    _submit(app, "campaigns_undo")
    assert not app.exception
    assert _count(ws_path) == n
    assert any("Undone" in s.value for s in app.success)


def test_table_edits_with_a_bad_cell_save_nothing_and_name_the_row(app: AppTest, ws_path: Path):
    from components.ui import state

    before = campaigns.plan_rows(state.workspace())
    # rows are shown latest first: row 0 is C2 (from 2025-01-01), row 1 is C1 (from 2024-12-01)
    app.session_state["campaigns_editor_0"] = {
        "edited_rows": {0: {"budget": -1}, 1: {"name": "Renamed"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    app.run()
    _submit(app, "campaigns_table_save")
    assert not app.exception, [e.value for e in app.exception]
    text = " ".join(e.value for e in app.error)
    assert "C2" in text and "Budget: must be 0 or more" in text
    after = campaigns.plan_rows(state.workspace())
    assert after.equals(before)


def test_table_edits_save_in_one_change_that_undo_reverses(app: AppTest, ws_path: Path):
    from components.ui import state

    before = campaigns.plan_rows(state.workspace())
    app.session_state["campaigns_editor_0"] = {
        "edited_rows": {0: {"budget": 1234}},
        "added_rows": [
            {
                "name": "Added in the table",
                "channel": "Paid Search",
                "objective": "awareness",
                "start_date": "2025-05-01",
                "end_date": "2025-05-31",
                "budget": 10,
            }
        ],
        "deleted_rows": [1],
    }
    app.run()
    _submit(app, "campaigns_table_save")
    assert not app.exception and not app.error, [e.value for e in app.error]
    plan = campaigns.plan_rows(state.workspace()).set_index("campaign_id")
    assert plan.loc["C2", "budget"] == 1234
    assert "C1" not in plan.index
    assert "Added in the table" in plan["name"].tolist()
    assert len(plan) == len(before)  # one added, one deleted
    _submit(app, "campaigns_undo")
    assert campaigns.plan_rows(state.workspace()).equals(before)


def test_a_campaign_plan_imports_through_the_engine_and_undo_takes_it_back(
    app: AppTest, ws_path: Path
):
    csv = (
        b"campaign_id,name,channel,objective,start_date,end_date,budget\n"
        b'Q1,Summer launch,Webinar,awareness,2025-06-01,2025-06-30,"12,000"\n'
        b"Q2,Bad dates,Webinar,awareness,2025-07-31,2025-07-01,100\n"
    )
    n = _count(ws_path)
    app.file_uploader(key="campaigns_import_0").set_value(("plan.csv", csv, "text/csv")).run()
    assert not app.exception, [e.value for e in app.exception]
    assert any("1 row can be imported" in m.value for m in app.markdown)
    _submit(app, "campaigns_import_go")
    assert not app.exception, [e.value for e in app.exception]
    assert _count(ws_path) == n + 1
    _submit(app, "campaigns_undo")
    assert not app.exception, [e.value for e in app.exception]
    assert _count(ws_path) == n
