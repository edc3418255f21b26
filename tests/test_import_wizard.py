"""The import wizard on the Data page, the workspace switcher, and the history with undo.

AppTest cannot drive the real file uploader well, so the page opens files placed in
``st.session_state["wizard_test_files"]`` as if they had been uploaded (the documented test
hook). Expected figures are worked out by hand from the small CSV files written here.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.ui import import_history, state
from components.ui import import_wizard as wizard
from queries import workspaces
from queries.workspace import Workspace
from tests.apptest_utils import rerun_entry

# every AppTest here starts and ends with empty Streamlit caches (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "app_pages/data.py"

# Five deals, by hand: D4's amount "lots" is not money (rejected: row 4, column amount); D3's
# amount is empty (stored as empty, not an error). So: 5 read, 4 load, 1 rejected, 1 blank
# amount. Won: D1 only among the loaded rows (1,200.50); lost: D2; open: D3 and D5.
DEALS_CSV = """deal_id,deal_name,stage,amount,created,bucket,close_date
D1,Acme,Closed Won,"$1,200.50",2024-01-05,North,2024-01-08
D2,Beta,Closed Lost,800,2024-01-06,South,2024-01-09
D3,Gamma,Negotiation,,2024-01-07,North,
D4,Delta,Closed Won,lots,2024-01-08,South,2024-01-09
D5,Epsilon,Prospecting,1000,2024-01-09,North,
"""


def _deals_file(folder: Path, text: str = DEALS_CSV, name: str = "deals.csv") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _own_workspace(folder: Path) -> Path:
    path = folder / "acme.duckdb"
    workspaces.create_workspace(path, company_name="Acme", currency="USD").close()
    return path


def _data_page(db: Path, monkeypatch: pytest.MonkeyPatch, files: list[Path]) -> AppTest:
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state[wizard.TEST_FILES_KEY] = [str(p) for p in files]
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ws(db: Path) -> Workspace:
    """The workspace the app opened (one DuckDB connection per process and file)."""
    return state._open(str(db.resolve()))


def _entry(at: AppTest) -> wizard.Entry:
    (entry,) = at.session_state[wizard.ENTRIES_KEY].values()
    return entry


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


# -- pure helpers ------------------------------------------------------------------------------


def test_a_reject_is_said_in_the_readers_language_by_its_code(monkeypatch):
    monkeypatch.setattr("components.i18n.current_language", lambda: "zh")
    text = wizard.reject_text("bad_money", "Amount", "lots", 'column "Amount": ...')
    assert text == "列“Amount”中的“lots”不是金额"


def test_a_reject_counts_the_other_problems_of_its_row():
    text = wizard.reject_text("bad_date", "Created", "x", "... (and 2 more)")
    assert text.endswith("(and 2 more problem(s) in this row)")


def test_a_stored_reject_without_a_code_keeps_its_sentence():
    assert wizard.reject_text(None, None, None, "the line has 3 fields") == (
        "the line has 3 fields"
    )


def test_a_field_of_a_one_of_group_says_which_fields_can_stand_in():
    assert wizard.required_text("deals", "name") == "required, or Deal ID"
    assert wizard.required_text("deals", "stage") == "required, or Status"  # no "(won / …)"
    assert wizard.required_text("deals", "amount") == "required"
    assert wizard.required_text("deals", "product") == ""


def test_unmet_required_groups_are_listed_by_field():
    assert wizard.unmet_fields("deals", {"deal_id": "id", "amount": "a"}) == {"stage", "status"}
    # a won time says the outcome as well as a stage would (Pipedrive)
    assert wizard.unmet_fields("deals", {"name": "n", "amount": "a", "won_at": "w"}) == set()


# -- the wizard on an own workspace ----------------------------------------------------------------
def test_the_wizard_detects_the_kind_of_the_file(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    at = _data_page(db, monkeypatch, [_deals_file(tmp_path)])
    entry = _entry(at)
    assert at.selectbox(key=f"wizard_kind_{entry.eid}_{entry.version}").value == "deals"
    assert not at.error, [e.value for e in at.error]


def test_validation_counts_rows_read_loaded_rejected_and_blank(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    at = _data_page(db, monkeypatch, [_deals_file(tmp_path)])
    m = _metrics(at)
    assert (m["Rows read"], m["Rows that will load"], m["Rows rejected"]) == ("5", "4", "1")
    assert any("Amount 1" in c.value for c in at.caption)  # one empty amount, stored as empty
    rejects = next(df.value for df in at.dataframe if "Problem" in df.value.columns)
    assert rejects["Row"].tolist() == [4]
    assert rejects["Value in the file"].tolist() == ["lots"]
    assert "is not an amount of money" in rejects["Problem"].iloc[0]


def test_a_mapping_change_is_applied_to_the_plan(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    at = _data_page(db, monkeypatch, [_deals_file(tmp_path)])
    entry = _entry(at)
    assert "region" not in entry.plan.mapping  # "bucket" is not a name the presets know
    fields = [f.name for f in wizard.FIELDS["deals"]]
    at.session_state[wizard.mapping_editor_key(entry)] = {
        "edited_rows": {fields.index("region"): {"column": "bucket"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    entry = _entry(at)
    assert entry.plan.mapping["region"] == "bucket"
    # the preview holds the rows as stored (D4 is rejected): their region now comes from bucket
    preview = next(df.value for df in at.dataframe if "region" in df.value.columns)
    assert preview["region"].tolist() == ["North", "South", "North", "North"]


def test_unmapping_a_required_field_says_which_and_blocks_the_import(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    at = _data_page(db, monkeypatch, [_deals_file(tmp_path)])
    entry = _entry(at)
    fields = [f.name for f in wizard.FIELDS["deals"]]
    at.session_state[wizard.mapping_editor_key(entry)] = {
        "edited_rows": {fields.index("amount"): {"column": "— not mapped —"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert any("no column for amount" in e.value for e in at.error)
    assert not [b for b in at.button if b.key and b.key.startswith("wizard_commit_")]


def test_commit_lists_the_import_and_changes_the_counts_and_undo_restores(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    at = _data_page(db, monkeypatch, [_deals_file(tmp_path)])
    assert _metrics(at)["Deals"] == "0"
    entry = _entry(at)
    at.button(key=f"wizard_commit_{entry.eid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("4 deal rows imported" in s.value for s in at.success)
    m = _metrics(at)
    assert (m["Deals"], m["Imports"]) == ("4", "1")
    assert any(e.label.startswith("deals.csv") for e in at.main.expander)
    won = _ws(db).scalar("select sum(amount) from deals where outcome = 'won'")
    assert float(won) == 1200.50

    (import_id,) = _ws(db).query("import_history")["import_id"]
    at.checkbox(key=import_history.undo_confirm_key(import_id)).check().run()
    at.button(key=import_history.undo_button_key(import_id)).click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("4 row(s) removed" in s.value for s in at.success)
    m = _metrics(at)
    assert (m["Deals"], m["Imports"]) == ("0", "0")
    assert _ws(db).scalar("select count(*) from raw_deals") == 0


def test_the_undo_button_after_an_import_removes_it(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    at = _data_page(db, monkeypatch, [_deals_file(tmp_path)])
    eid = _entry(at).eid
    at.button(key=f"wizard_commit_{eid}").click().run()
    at.button(key=f"wizard_undo_done_{eid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metrics(at)["Deals"] == "0"
    # the file is staged again, ready to import
    assert at.button(key=f"wizard_commit_{eid}").disabled is False


def test_reimporting_the_same_file_needs_a_confirmation(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    first = _deals_file(tmp_path)
    at = _data_page(db, monkeypatch, [first])
    at.button(key=f"wizard_commit_{_entry(at).eid}").click().run()
    # the same bytes again, under another name, in upsert mode
    again = tmp_path / "again"
    again.mkdir()
    at.session_state[wizard.TEST_FILES_KEY] = [str(shutil.copy(first, again / "deals2.csv"))]
    at.run()
    entry = _entry(at)
    at.radio(key=wizard.mode_key(entry)).set_value("upsert").run()
    assert any("already imported" in w.value for w in at.warning)
    commit = at.button(key=f"wizard_commit_{entry.eid}")
    assert commit.disabled
    at.checkbox(key=f"wizard_again_{entry.eid}").check().run()
    at.button(key=f"wizard_commit_{entry.eid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert _metrics(at)["Deals"] == "4"  # upsert updated the four deals, no doubles
    assert _metrics(at)["Imports"] == "2"


def test_a_refused_file_says_why_and_the_others_go_on(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    at = _data_page(db, monkeypatch, [empty, _deals_file(tmp_path)])
    assert any("empty.csv is empty (0 bytes)" in e.value for e in at.error)
    assert len(at.tabs) == 2
    assert any(m.label == "Rows that will load" and m.value == "4" for m in at.metric)


# -- the sample workspace ------------------------------------------------------------------------
@pytest.fixture
def sample_copy(sample_path: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "workspaces"
    folder.mkdir()
    return Path(shutil.copy(sample_path, folder / "sample.duckdb"))


def test_the_sample_workspace_blocks_the_commit_and_offers_a_new_workspace(
    sample_copy, tmp_path, monkeypatch
):
    at = _data_page(sample_copy, monkeypatch, [_deals_file(tmp_path)])
    entry = _entry(at)
    assert at.button(key=f"wizard_commit_{entry.eid}").disabled
    assert at.radio(key="wizard_sample_choice").value == "new"
    leads_before = _ws(sample_copy).scalar("select count(*) from raw_leads")

    at.text_input(key="wizard_new_name").input("Acme 2025").run()
    at.button(key="wizard_new_create").click().run()
    assert not at.exception, [e.value for e in at.exception]
    new = sample_copy.parent / "Acme 2025.duckdb"
    assert new.exists()
    assert at.session_state[state.OPEN_KEY] == str(new.resolve())
    assert any("Acme 2025" in s.value for s in at.success)
    # the file is staged on the new workspace and can be imported there
    entry = _entry(at)
    at.button(key=f"wizard_commit_{entry.eid}").click().run()
    assert _ws(new).scalar("select count(*) from raw_deals") == 4
    assert _ws(sample_copy).scalar("select count(*) from raw_leads") == leads_before
    assert _ws(sample_copy).scalar("select count(*) from raw_deals where deal_id = 'D1'") == 0

    # the sidebar shows the open workspace and offers both
    rerun_entry(at)
    switch = at.sidebar.selectbox(key="workspace_choice")
    assert switch.value == "Acme 2025"  # names only: the paths stay on the server
    assert sorted(switch.options) == ["Acme 2025", "sample"]
    assert not any("Sample workspace" in m.value for m in at.sidebar.markdown)


def test_an_invalid_workspace_name_is_refused(sample_copy, tmp_path, monkeypatch):
    at = _data_page(sample_copy, monkeypatch, [_deals_file(tmp_path)])
    at.text_input(key="wizard_new_name").input("../evil").run()
    at.button(key="wizard_new_create").click().run()
    assert any("cannot be a workspace name" in e.value for e in at.error)
    assert sorted(p.name for p in sample_copy.parent.glob("*.duckdb")) == ["sample.duckdb"]


def test_clearing_the_sample_makes_the_workspace_own_and_importable(
    sample_copy, tmp_path, monkeypatch
):
    at = _data_page(sample_copy, monkeypatch, [_deals_file(tmp_path)])
    at.radio(key="wizard_sample_choice").set_value("clear").run()
    assert at.button(key="wizard_clear").disabled  # not before the confirmation
    at.checkbox(key="wizard_clear_confirm").check().run()
    at.button(key="wizard_clear").click().run()
    assert not at.exception, [e.value for e in at.exception]
    ws = _ws(sample_copy)
    assert ws.is_sample is False
    assert ws.scalar("select count(*) from raw_leads") == 0
    at.button(key=f"wizard_commit_{_entry(at).eid}").click().run()
    assert ws.scalar("select count(*) from raw_deals") == 4


def test_switching_workspace_in_the_sidebar_changes_what_the_pages_show(sample_copy, monkeypatch):
    own = sample_copy.parent / "own.duckdb"
    workspaces.create_workspace(own, company_name="Own Co").close()
    monkeypatch.setenv("FLYWHEEL_DB", str(sample_copy))
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert any("Sample workspace" in m.value for m in at.sidebar.markdown)
    at.sidebar.selectbox(key="workspace_choice").set_value("own").run()
    assert not at.exception, [e.value for e in at.exception]
    rerun_entry(at)
    assert at.session_state[state.OPEN_KEY] == str(own.resolve())
    assert not any("Sample workspace" in m.value for m in at.sidebar.markdown)
    assert any("Own Co" in c.value for c in at.sidebar.caption)


def test_after_an_import_the_period_filter_starts_from_the_new_data(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    at = _data_page(db, monkeypatch, [_deals_file(tmp_path)])
    at.button(key=f"wizard_commit_{_entry(at).eid}").click().run()
    rerun_entry(at)
    assert not at.exception, [e.value for e in at.exception]
    start, end = at.sidebar.date_input(key="filter_period").value
    # the deals were created from 2024-01-05 to 2024-01-09: the period now covers them
    assert start <= date(2024, 1, 5) and date(2024, 1, 9) <= end


def test_a_file_of_unknown_kind_can_be_read_as_the_user_says(tmp_path, monkeypatch):
    db = _own_workspace(tmp_path)
    weird = _deals_file(
        tmp_path, "col_a,col_b,col_c\nX1,Closed Won,100\nX2,Lost,50\nX3,Open,70\n", "weird.csv"
    )
    at = _data_page(db, monkeypatch, [weird])
    assert any("cannot tell whether this is leads, deals" in e.value for e in at.error)
    entry = _entry(at)
    prefix = f"wizard_manual_{entry.eid}_{entry.version}"
    at.selectbox(key=f"wizard_manual_kind_{entry.eid}_{entry.version}_unknown_kind").set_value(
        "deals"
    ).run()
    at.selectbox(key=f"{prefix}_deals_deal_id").set_value("col_a").run()
    at.selectbox(key=f"{prefix}_deals_stage").set_value("col_b").run()
    at.selectbox(key=f"{prefix}_deals_amount").set_value("col_c").run()
    at.button(key=f"wizard_manual_apply_{entry.eid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    # The file has no close date: its won and lost deals could never count in a period, so
    # they are listed as rejected (the open one loads).
    assert _metrics(at)["Rows that will load"] == "1"
    assert _metrics(at)["Rows rejected"] == "2"
