"""A stage column of ids, not names (销售易's saleStageId through its API): nothing in the file
says which id is won, so the import asks and refuses until every id has an outcome someone said;
it never reads them all as open. Figures counted by hand from the fixture's rows
(fixtures/zh/make_fixtures.py, NEOCRM_DEALS_STAGE_IDS)."""

from __future__ import annotations

import codecs
from decimal import Decimal
from pathlib import Path

import pytest

from flywheel_cli import main
from queries import workspaces
from queries.ingest import engine, presets
from queries.ingest.errors import ImportRefused
from queries.workspace import Workspace

FILE = (
    Path(__file__).resolve().parent
    / "fixtures"
    / "zh"
    / "stage_ids"
    / "neocrm_opportunities_api.csv"
)
IDS = ("1318525", "1318526", "1318521", "1318522", "1318523", "1318524")
# 1318525 赢单 (rows 1, 6: 12,500 + 60,000), 1318526 输单 (rows 2, 8), the rest open (3, 4, 5, 7)
SAID = {"1318525": "won", "1318526": "lost", "1318521": "open", "1318522": "open"} | {
    "1318523": "open",
    "1318524": "open",
}


@pytest.fixture
def cny(tmp_path: Path) -> Workspace:
    w = workspaces.create_workspace(tmp_path / "cny.duckdb", currency="CNY", locale="zh_CN")
    yield w
    w.close()


def _rows(ws: Workspace, sql: str) -> list[tuple]:
    cur = ws.cursor()
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def test_the_fixture_is_a_neocrm_api_export_in_utf8_with_a_bom(cny: Workspace) -> None:
    assert FILE.read_bytes().startswith(codecs.BOM_UTF8)
    with engine.open_import(cny, FILE) as plan:
        assert (plan.kind, plan.preset, plan.src.encoding) == ("deals", "neocrm", "utf-8-sig")
        assert plan.mapping["stage"] == "saleStageId"


def test_stage_ids_are_said_and_the_import_refused_until_each_has_an_outcome(cny: Workspace):
    with engine.open_import(cny, FILE) as plan:
        ids = plan.stage_ids
        assert ids is not None
        assert (ids.column, set(ids.ids), set(ids.unmapped)) == ("saleStageId", set(IDS), set(IDS))
        report = plan.validate("append")
        assert report.rows_ok == 8
        with pytest.raises(ImportRefused) as refused:
            plan.commit("append")
    assert refused.value.code == "stage_ids_unmapped"
    text = refused.value.message("en")
    assert "saleStageId" in text and "1318525" in text and "--stage" in text
    assert "saleStageId" in refused.value.message("zh")
    assert "saleStageId" in ids.message("en") and "6 in all" in ids.message("en")
    # nothing written, nothing read as open
    assert _rows(cny, "select count(*) from raw_deals") == [(0,)]
    assert _rows(cny, "select count(*) from imports") == [(0,)]


def test_won_and_lost_alone_do_not_make_the_other_ids_open(cny: Workspace) -> None:
    choices = engine.Choices(stage_outcomes={"1318525": "won", "1318526": "lost"})
    with engine.open_import(cny, FILE, choices=choices) as plan:
        assert set(plan.stage_ids.unmapped) == {"1318521", "1318522", "1318523", "1318524"}
        plan.validate("append")
        with pytest.raises(ImportRefused, match="1318521"):
            plan.commit("append")


def test_every_id_said_imports_with_those_outcomes_and_is_remembered(cny: Workspace) -> None:
    with engine.open_import(cny, FILE, choices=engine.Choices(stage_outcomes=SAID)) as plan:
        assert plan.stage_ids.unmapped == ()
        plan.validate("append")
        assert plan.commit("append").rows_loaded == 8
    counts = dict(_rows(cny, "select outcome, count(*) from raw_deals group by 1"))
    assert counts == {"won": 2, "lost": 2, "open": 4}
    assert _rows(cny, "select sum(amount) from raw_deals where outcome = 'won'") == [
        (Decimal("72500.00"),)
    ]
    # the next export of this CRM reads the ids as the team said them
    with engine.open_import(cny, FILE) as plan:
        assert plan.stage_ids is not None and plan.stage_ids.unmapped == ()
        assert plan.stage_outcomes == SAID


def test_stage_names_or_an_outcome_column_are_not_ids() -> None:
    assert presets.stage_ids("f", "c", ["赢单", "输单", "需求确认"], {}) is None
    assert presets.stage_ids("f", "c", ["Closed Won", "3"], {}) is None  # one name: not ids
    assert presets.stage_ids("f", "c", ["1", "2", "S3", "stage_4"], {}).ids == (
        "1",
        "2",
        "S3",
        "stage_4",
    )
    # a status column (商机状态) says the outcome: the ids do not decide it
    assert presets.stage_ids("f", "c", ["1", "2"], {}, ["stage", "status"]) is None
    assert presets.stage_ids("f", "c", ["1", "2"], {"1": "won"}).unmapped == ("2",)


def test_the_command_line_asks_for_the_ids_and_takes_them(tmp_path, capsys) -> None:
    db = tmp_path / "cny.duckdb"
    workspaces.create_workspace(db, currency="CNY", locale="zh_CN").close()
    assert main(["import", str(FILE), "--db", str(db)]) == 2
    captured = capsys.readouterr()
    assert "column “saleStageId” holds stage ids" in captured.out
    assert "--stage 1318525=won|lost|open" in captured.out
    assert "stages read as open" not in captured.out
    assert "nothing was imported" in captured.err
    flags = [a for stage, o in SAID.items() for a in ("--stage", f"{stage}={o}")]
    assert main(["import", str(FILE), "--db", str(db), *flags]) == 0
    ws = Workspace(db)
    try:
        assert dict(_rows(ws, "select outcome, count(*) from raw_deals group by 1")) == {
            "won": 2,
            "lost": 2,
            "open": 4,
        }
    finally:
        ws.close()


def _wizard_section() -> None:
    """The Data page's import wizard alone (components/ui/data_sections.import_wizard)."""
    from components.ui import data_sections, state

    ws = state.workspace()
    data_sections.import_wizard(ws, ws.settings(), state.formatter())


@pytest.mark.usefixtures("fresh_streamlit_caches")
def test_the_wizard_names_the_id_column_and_imports_once_the_outcomes_are_confirmed(
    tmp_path, monkeypatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from components.ui import import_wizard as wizard
    from components.ui import state

    db = tmp_path / "cny.duckdb"
    workspaces.create_workspace(db, currency="CNY", locale="zh_CN").close()
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    at = AppTest.from_function(_wizard_section, default_timeout=60)
    at.session_state[wizard.TEST_FILES_KEY] = [str(FILE)]
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    (entry,) = at.session_state[wizard.ENTRIES_KEY].values()
    assert any("column “saleStageId” holds stage ids" in w.value for w in at.warning)
    commit = at.button(key=f"wizard_commit_{entry.eid}")
    assert commit.disabled
    # the team sets won and lost in the table, then confirms the rest are open
    entry.reconfigure(stage_outcomes={"1318525": "won", "1318526": "lost"})
    at.run()
    assert at.button(key=f"wizard_commit_{entry.eid}").disabled
    at.button(key=f"wizard_stage_ids_{entry.eid}_{entry.version}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key=f"wizard_commit_{entry.eid}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert entry.result is not None and entry.result.rows_loaded == 8
    ws = state._open(str(db.resolve()))  # the workspace the app opened
    counts = dict(_rows(ws, "select outcome, count(*) from raw_deals group by 1"))
    assert counts == {"won": 2, "lost": 2, "open": 4}
