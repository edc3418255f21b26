"""Data page: workspace summary, the source -> motion mapping and the settings, against the tiny
workspace (tests/fixtures.py), with expected figures counted by hand; and the page itself
through AppTest (saving a mapping, refusing invalid settings)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.charts import data as data_charts
from components.charts.theme import PULL_COLOR, PUSH_COLOR
from queries import data_admin, metrics, period
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace

# every AppTest here starts and ends with empty Streamlit caches (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "app_pages/data.py"


@pytest.fixture
def rw_tiny(tmp_path: Path) -> Iterator[Workspace]:
    """A fresh, writable copy of the tiny workspace for each test that writes."""
    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    yield ws
    ws.close()


def _lead_motion(ws: Workspace, lead_id: str) -> str | None:
    return ws.scalar("select motion from leads where lead_id = $id", {"id": lead_id})


# -- summary ------------------------------------------------------------------------------------
def test_table_counts_cover_every_contract_table(tiny_ws: Workspace):
    counts = dict(
        zip(*data_admin.table_counts(tiny_ws)[["table_name", "count_rows"]].T.values, strict=True)
    )
    assert counts == {
        "leads": 5,
        "deals": 8,
        "campaigns": 2,
        "spend": 5,
        "source_motion": 3,
        "imports": 0,
        "accounts": 0,
        "reps": 0,
        "products": 0,
        "touches": 0,
    }


def test_records_per_month_count_rows_by_their_month_and_zero_fill_gaps(tiny_ws: Workspace):
    df = data_admin.records_per_month(tiny_ws)
    # months run from the first record (D8 created Oct 2024) to the last (spend Feb 2025)
    months = sorted(df["month"].dt.strftime("%Y-%m").unique())
    assert months == ["2024-10", "2024-11", "2024-12", "2025-01", "2025-02"]
    got = {(r.table_name, r.month.strftime("%Y-%m")): r.count_records for r in df.itertuples()}
    # leads: L4 in Dec, L1 L2 L3 L5 in Jan; nothing in Oct, Nov, Feb
    assert [got["leads", m] for m in months] == [0, 0, 1, 4, 0]
    # deals by created_at: D8 Oct, D1 Nov, D6 Dec, D2 D3 D4 D5 D7 Jan
    assert [got["deals", m] for m in months] == [1, 1, 1, 5, 0]
    # spend rows: Dec 1, Jan 3, Feb 1
    assert [got["spend", m] for m in months] == [0, 0, 1, 3, 1]


def test_records_per_month_is_empty_on_an_empty_workspace(tmp_path: Path):
    ws = Workspace(tmp_path / "empty.duckdb")
    try:
        assert data_admin.records_per_month(ws).empty
        assert data_admin.source_motion(ws).empty
        assert data_admin.import_history(ws).empty
        assert period.data_span(ws) == (None, None)
    finally:
        ws.close()


def test_import_history_lists_imports_newest_first(rw_tiny: Workspace):
    assert data_admin.import_history(rw_tiny).empty
    with rw_tiny.transaction() as cur:
        for import_id, day in (("I1", "2025-01-01"), ("I2", "2025-02-01")):
            cur.execute(
                "insert into imports (import_id, file_name, sha256, kind, preset, mode, "
                "rows_read, rows_loaded, rows_rejected, imported_at) values "
                "($id, 'leads.csv', null, 'leads', null, 'append', 10, 9, 1, $at)",
                {"id": import_id, "at": datetime.fromisoformat(day)},
            )
    df = data_admin.import_history(rw_tiny)
    assert df["import_id"].tolist() == ["I2", "I1"]
    assert df.loc[0, ["rows_read", "rows_loaded", "rows_rejected"]].tolist() == [10, 9, 1]


# -- the source -> motion mapping ---------------------------------------------------------------
def test_mapping_lists_unmapped_sources_first_with_their_counts(tiny_ws: Workspace):
    df = data_admin.source_motion(tiny_ws)
    assert df.loc[0, "source"] == "Mystery"
    assert df.loc[0, "motion"] is None and df.loc[0, "is_unmapped"]
    webinar = df[df["source"] == "Webinar"].iloc[0]
    # Webinar: leads L1, L4; deals D1, D2, D6
    assert (webinar["motion"], webinar["count_leads"], webinar["count_deals"]) == ("pull", 2, 3)


def test_saving_a_mapping_flips_the_motion_of_that_sources_leads(rw_tiny: Workspace):
    assert _lead_motion(rw_tiny, "L5") is None  # Mystery is unmapped
    assert _lead_motion(rw_tiny, "L1") == "pull"
    errors = data_admin.save_source_motion(rw_tiny, {"Mystery": "push", "Webinar": "push"})
    assert errors == []
    assert _lead_motion(rw_tiny, "L5") == "push"
    assert _lead_motion(rw_tiny, "L1") == "push"
    # deals follow through the deals view too: D1, D2, D6 are Webinar deals
    assert (
        rw_tiny.scalar("select count(*) from deals where source = 'Webinar' and motion = 'push'")
        == 3
    )


def test_a_blank_motion_unmaps_the_source(rw_tiny: Workspace):
    assert data_admin.save_source_motion(rw_tiny, {"Webinar": None}) == []
    assert _lead_motion(rw_tiny, "L1") is None
    assert rw_tiny.scalar("select count(*) from source_motion") == 2


def test_an_invalid_motion_is_refused_and_nothing_is_saved(rw_tiny: Workspace):
    # the valid change in the same batch must not be written either
    errors = data_admin.save_source_motion(rw_tiny, {"Mystery": "push", "Webinar": "sideways"})
    assert errors == [data_admin.FieldError("Webinar", "motion_invalid", "sideways")]
    assert _lead_motion(rw_tiny, "L5") is None
    assert _lead_motion(rw_tiny, "L1") == "pull"


def test_mapping_changes_holds_only_the_sources_whose_motion_changed():
    before = pd.DataFrame({"source": ["A", "B", "C"], "motion": ["pull", None, "push"]})
    edited = pd.DataFrame({"source": ["A", "B", "C"], "motion": ["pull", "push", ""]})
    assert data_admin.mapping_changes(before, edited) == {"B": "push", "C": None}


def test_mapping_version_changes_when_a_motion_changes(rw_tiny: Workspace):
    before = data_admin.mapping_version(data_admin.source_motion(rw_tiny))
    assert before == data_admin.mapping_version(data_admin.source_motion(rw_tiny))
    data_admin.save_source_motion(rw_tiny, {"Mystery": "pull"})
    assert data_admin.mapping_version(data_admin.source_motion(rw_tiny)) != before


# -- settings -----------------------------------------------------------------------------------
VALID = {
    "company_name": "  Acme GmbH ",
    "currency": "eur",
    "locale": "de-de",
    "fiscal_year_start_month": 4,
    "pull_share_pct": 25.0,
}


def test_valid_settings_are_normalised_for_storage():
    stored, errors = data_admin.validate_settings(VALID)
    assert errors == []
    assert stored == {
        "company_name": "Acme GmbH",
        "currency": "EUR",
        "locale": "de_DE",
        "fiscal_year_start_month": "4",
        "pull_share_of_sales": "0.25",
    }


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("currency", "US Dollars", "currency_invalid"),
        ("currency", "XYZ", "currency_invalid"),
        ("locale", "english", "locale_invalid"),
        ("locale", "xx_YY", "locale_invalid"),
        ("fiscal_year_start_month", 13, "month_invalid"),
        ("pull_share_pct", 150.0, "share_invalid"),
        ("pull_share_pct", -1.0, "share_invalid"),
        ("company_name", "   ", "company_empty"),
    ],
)
def test_each_invalid_setting_gets_its_own_message(field: str, value: object, code: str):
    _, errors = data_admin.validate_settings(VALID | {field: value})
    assert [e.code for e in errors] == [code]


def test_several_invalid_settings_give_one_error_per_field():
    _, errors = data_admin.validate_settings(
        VALID | {"currency": "US Dollars", "pull_share_pct": 150.0}
    )
    assert {(e.field, e.code) for e in errors} == {
        ("currency", "currency_invalid"),
        ("pull_share_of_sales", "share_invalid"),
    }


def test_invalid_settings_save_nothing(rw_tiny: Workspace):
    before = rw_tiny.settings()
    errors = data_admin.save_settings(rw_tiny, VALID | {"pull_share_pct": 150.0})
    assert [e.code for e in errors] == ["share_invalid"]
    assert rw_tiny.settings() == before  # not even the valid currency and company name


def test_saved_settings_are_what_metrics_read(rw_tiny: Workspace):
    assert data_admin.save_settings(rw_tiny, VALID) == []
    s = rw_tiny.settings()
    assert (s["currency"], s["locale"], s["company_name"]) == ("EUR", "de_DE", "Acme GmbH")
    assert metrics.pull_share_of_sales(rw_tiny) == pytest.approx(0.25)


# -- chart --------------------------------------------------------------------------------------
def test_records_chart_has_a_panel_per_table_and_marks_gap_months(tiny_ws: Workspace):
    fig = data_charts.records_per_month(
        data_admin.records_per_month(tiny_ws),
        title="Records per month, by table (rows)",
        table_labels={"leads": "Leads", "deals": "Deals", "spend": "Spend rows"},
        y_title="Rows",
        gap_label="No rows",
    )
    spec = json.loads(fig.to_json())
    bars = [tr for tr in spec["data"] if tr["type"] == "bar"]
    assert [b["name"] for b in bars] == ["Leads", "Deals", "Spend rows"]
    assert {b["marker"]["color"] for b in bars}.isdisjoint({PULL_COLOR, PUSH_COLOR})
    gaps = {tr["yaxis"]: len(tr["x"]) for tr in spec["data"] if tr["type"] == "scatter"}
    assert gaps == {"y": 3, "y2": 1, "y3": 2}  # leads Oct Nov Feb; deals Feb; spend Oct Nov
    assert spec["layout"]["title"]["text"] == "Records per month, by table (rows)"
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["Leads", "Deals", "Spend rows"]


# -- the page (AppTest) -------------------------------------------------------------------------
def _app(path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("FLYWHEEL_DB", str(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _editor_key(mapping: pd.DataFrame) -> str:
    return "data_source_motion_editor_" + data_admin.mapping_version(mapping)


def _page_workspace(path: Path) -> Workspace:
    """The workspace the app opened (one DuckDB connection per process and file)."""
    from components.ui import state

    return state._open(str(path.resolve()))


def test_data_page_runs_on_the_sample_and_shows_its_summary(
    sample_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_path, copy)
    at = _app(copy, monkeypatch)
    assert not at.error
    assert at.title[0].value == "Data"
    fig = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert fig["layout"]["title"]["text"].startswith("Records per month")
    assert {m.label: m.value for m in at.metric}["Imports"] == "0"
    assert any("No imports yet" in i.value for i in at.info)


def test_saving_the_mapping_in_the_page_flips_a_leads_motion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = build_tiny_workspace(tmp_path / "tiny.duckdb")
    at = _app(path, monkeypatch)
    assert any("1 source(s) have no motion yet" in w.value for w in at.warning)
    mapping = data_admin.source_motion(_page_workspace(path))
    row = mapping["source"].tolist().index("Mystery")
    at.session_state[_editor_key(mapping)] = {
        "edited_rows": {row: {"motion": "push"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="data_save_mapping").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert any("1 source(s) changed" in s.value for s in at.success)
    assert not at.warning  # no unmapped source left
    assert _lead_motion(_page_workspace(path), "L5") == "push"
    # the saved edit is not replayed onto the re-sorted rows: a second save finds nothing to do
    at.button(key="data_save_mapping").click().run()
    assert any("Nothing to save" in i.value for i in at.info)
    assert data_admin.source_motion(_page_workspace(path))["motion"].tolist().count("push") == 2


def test_an_invalid_motion_in_the_page_is_refused_and_nothing_is_saved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = build_tiny_workspace(tmp_path / "tiny.duckdb")
    at = _app(path, monkeypatch)
    mapping = data_admin.source_motion(_page_workspace(path))
    sources = mapping["source"].tolist()
    at.session_state[_editor_key(mapping)] = {
        "edited_rows": {
            sources.index("Mystery"): {"motion": "push"},
            sources.index("Webinar"): {"motion": "sideways"},
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    at.button(key="data_save_mapping").click().run()
    errors = [e.value for e in at.error]
    assert any("Nothing was saved" in e for e in errors)
    assert any("“Webinar”: motion “sideways” is neither pull nor push" in e for e in errors)
    ws = _page_workspace(path)
    assert (_lead_motion(ws, "L5"), _lead_motion(ws, "L1")) == (None, "pull")


def test_invalid_settings_in_the_page_are_refused_with_a_message_per_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    path = build_tiny_workspace(tmp_path / "tiny.duckdb")
    at = _app(path, monkeypatch)
    at.text_input(key="data_currency").set_value("US Dollars")
    at.number_input(key="data_pull_share").set_value(150.0)
    at.text_input(key="data_company").set_value("Renamed Co")
    at.button(key="data_save_settings").click().run()
    errors = [e.value for e in at.error]
    assert any("Nothing was saved" in e for e in errors)
    assert any("“US Dollars” is not an ISO 4217 currency code" in e for e in errors)
    assert any("“150.0” is not between 0 and 100" in e for e in errors)
    settings = _page_workspace(path).settings()
    assert (settings["currency"], settings["company_name"]) == ("USD", "Tiny Test Co")
    assert "pull_share_of_sales" not in settings


def test_valid_settings_in_the_page_are_saved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    path = build_tiny_workspace(tmp_path / "tiny.duckdb")
    at = _app(path, monkeypatch)
    at.text_input(key="data_currency").set_value("cny")
    at.text_input(key="data_locale").set_value("zh_CN")
    at.number_input(key="data_pull_share").set_value(30.0)
    at.button(key="data_save_settings").click().run()
    assert not at.error, [e.value for e in at.error]
    assert any("Settings saved" in s.value for s in at.success)
    settings = _page_workspace(path).settings()
    assert (settings["currency"], settings["locale"], settings["pull_share_of_sales"]) == (
        "CNY",
        "zh_CN",
        "0.3",
    )


def test_data_page_runs_on_an_empty_workspace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    empty = tmp_path / "empty.duckdb"
    Workspace(empty).close()
    at = _app(empty, monkeypatch)
    assert not at.error, [e.value for e in at.error]
    assert any("No lead source yet" in i.value for i in at.info)
    assert any("No imports yet" in i.value for i in at.info)
