"""The touch facts (migrations 022, 023) refreshed path by path: after each writer — a touch
import, its undo, a lead edit, a deal import, the outlier toggle — the kept rows are exactly
those a rebuild of every path gives, only the paths of what the writer wrote were rewritten,
and a few weights are worked out by hand (time decay, half-life 7 days: touches 7 days apart
weigh 1 : 2).

The fixture: L1 created 2025-01-10 (touches T1 01-01, T2 01-08), L2 02-01 (T3 01-25), L3 03-01
(none); D1 of L1 opened 01-20, won; D2 of L2 opened 02-05, open; D3 of no lead; D5 of L3.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from queries import data_checks, workspaces
from queries.ingest import engine, write
from queries.ingest.engine import Choices
from queries.workspace import Changed, Workspace, note_changes, refresh_touch_facts
from tests.test_lead_facts import DEAL_MAPPING

LEADS = (
    "Lead ID,Created,Source,Campaign\n"
    "L1,2025-01-10,Web,C1\n"
    "L2,2025-02-01,Events,\n"
    "L3,2025-03-01,Web,\n"
)
DEALS = (
    "Deal ID,Lead ID,Status,Amount,Created,Closed\n"
    "D1,L1,won,100,2025-01-20,2025-02-10\n"
    "D2,L2,open,50,2025-02-05,\n"
    "D3,,lost,30,2025-01-15,2025-01-30\n"
    "D5,L3,won,120,2025-03-02,2025-03-20\n"
)
TOUCHES = (
    "Touch ID,Lead ID,Campaign,Channel,Touched\n"
    "T1,L1,C1,Email,2025-01-01\n"
    "T2,L1,,Ads,2025-01-08\n"
    "T3,L2,,Webinar,2025-01-25\n"
)
# after L1's creation (only D1's path), and at L2's creation
MORE_TOUCHES = (
    "Touch ID,Lead ID,Campaign,Channel,Touched\nT4,L1,,Social,2025-01-15\nT5,L2,,Email,2025-02-01\n"
)
MAPPINGS = {
    "leads": {
        "lead_id": "Lead ID",
        "created_at": "Created",
        "source": "Source",
        "campaign_id": "Campaign",
    },
    "deals": DEAL_MAPPING,  # the lead-facts tests' deal file headers
    "touches": {
        "touch_id": "Touch ID",
        "lead_id": "Lead ID",
        "campaign_id": "Campaign",
        "channel": "Channel",
        "touched_at": "Touched",
    },
}


def _import(ws: Workspace, tmp_path: Path, kind: str, text: str, mode: str = "append") -> str:
    path = tmp_path / f"{kind}-{abs(hash(text))}.csv"
    path.write_text(text, encoding="utf-8")
    choices = Choices(kind=kind, preset="generic", mapping=MAPPINGS[kind])
    with engine.open_import(ws, path, choices=choices) as plan:
        return plan.commit(mode).import_id


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture's workspace, imported once; each test writes to its own copy."""
    tmp = tmp_path_factory.mktemp("touch_facts")
    w = workspaces.create_workspace(tmp / "built.duckdb")
    try:
        _import(w, tmp, "leads", LEADS)
        _import(w, tmp, "deals", DEALS)
        _import(w, tmp, "touches", TOUCHES)
    finally:
        w.close()
    return tmp / "built.duckdb"


@pytest.fixture
def ws(built: Path, tmp_path: Path) -> Iterator[Workspace]:
    shutil.copy(built, tmp_path / "own.duckdb")
    w = Workspace(tmp_path / "own.duckdb")
    yield w
    w.close()


ROWS = (
    "select f.is_deal, f.path_key, g.campaign_id, g.channel, g.channel_rule, f.touch_order, "
    "f.count_touches, f.lead_order, f.converted_at, round(f.w_decay, 12) as w_decay, "
    "f.decay_half_life, f.path_ages, f.mql_at, f.lead_score, f.sql_at, f.amount, f.won_at "
    "from touch_facts as f inner join touch_groups as g on f.group_id = g.group_id "
    "order by all"
)


def _kept(ws: Workspace) -> list[tuple]:
    cur = ws.cursor()
    try:
        return cur.execute(ROWS).fetchall()
    finally:
        cur.close()


def _rebuilt(ws: Workspace) -> list[tuple]:
    """The rows a rebuild of every path gives now (rolled back: the kept rows stay)."""
    cur = ws.cursor()
    try:
        cur.execute("begin transaction")
        refresh_touch_facts(cur, Changed.ALL)
        rows = cur.execute(ROWS).fetchall()
        cur.execute("rollback")
        return rows
    finally:
        cur.close()


def _row_ids(ws: Workspace) -> dict[tuple[bool, str], set[int]]:
    """The storage row ids of each path's rows: a path rewritten gets new ones."""
    cur = ws.cursor()
    try:
        found = cur.execute(
            "select f.is_deal, p.id, list(f.rowid) from touch_facts as f inner join ("
            "select false as is_deal, lead_id as id, hash(false, lead_id) as k from raw_leads "
            "union all select true, deal_id, hash(true, deal_id) from raw_deals"
            ") as p on f.is_deal = p.is_deal and f.path_key = p.k group by all"
        ).fetchall()
    finally:
        cur.close()
    return {(is_deal, key): set(ids) for is_deal, key, ids in found}


def _path(ws: Workspace, is_deal: bool, key: str) -> list[tuple]:
    """(channel, touch_order, count_touches, lead_order, w_decay) of one path, in order."""
    cur = ws.cursor()
    try:
        return cur.execute(
            "select g.channel, f.touch_order, f.count_touches, f.lead_order, "
            "round(f.w_decay, 9) from touch_facts as f "
            "inner join touch_groups as g on f.group_id = g.group_id "
            "where f.is_deal = $d and f.path_key = hash($d, $k) order by f.touch_order",
            {"d": is_deal, "k": key},
        ).fetchall()
    finally:
        cur.close()


def _rewritten(before: dict, after: dict) -> set[tuple[bool, str]]:
    return {p for p in before.keys() | after.keys() if before.get(p) != after.get(p)}


def test_the_imports_build_the_paths_by_hand(ws: Workspace):
    assert _kept(ws) == _rebuilt(ws)
    # T1 9 days and T2 2 days before L1's creation: 7 days apart, 1 : 2
    assert _path(ws, False, "L1") == [
        ("Email", 0, 2, 1, round(1 / 3, 9)),
        ("Ads", 1, 2, 1, round(2 / 3, 9)),
    ]
    assert _path(ws, True, "D1") == [
        ("Email", 0, 2, 1, round(1 / 3, 9)),
        ("Ads", 1, 2, 1, round(2 / 3, 9)),
    ]
    # no touches: one from the record (L3's source; D3: no lead, no lead-creation touch)
    assert _path(ws, False, "L3") == [("Web", 0, 1, 0, 1.0)]
    assert _path(ws, True, "D3") == [(None, 0, 1, None, 1.0)]


def test_a_touch_import_and_its_undo_rewrite_only_their_leads_paths(ws: Workspace, tmp_path: Path):
    before_rows, before_ids = _kept(ws), _row_ids(ws)
    import_id = _import(ws, tmp_path, "touches", MORE_TOUCHES)
    assert _kept(ws) == _rebuilt(ws)
    imported = _row_ids(ws)
    # L1's own path ends at its creation, before T4: rewritten, the same rows
    assert _rewritten(before_ids, imported) == {
        (False, "L1"),
        (True, "D1"),
        (False, "L2"),
        (True, "D2"),
    }
    # T1 19, T2 12, T4 5 days before D1 opened: 1 : 2 : 4; T1 and T2 came before L1
    assert _path(ws, True, "D1") == [
        ("Email", 0, 3, 1, round(1 / 7, 9)),
        ("Ads", 1, 3, 1, round(2 / 7, 9)),
        ("Social", 2, 3, 1, round(4 / 7, 9)),
    ]
    # T3 7 days before L2, T5 at its creation
    assert _path(ws, False, "L2") == [
        ("Webinar", 0, 2, 1, round(1 / 3, 9)),
        ("Email", 1, 2, 1, round(2 / 3, 9)),
    ]

    write.undo(ws, import_id)
    assert _kept(ws) == _rebuilt(ws) == before_rows
    assert _rewritten(imported, _row_ids(ws)) == _rewritten(before_ids, imported)


def test_a_lead_edit_rewrites_its_paths_and_its_deals(ws: Workspace, tmp_path: Path):
    before = _row_ids(ws)
    # L1 created earlier (only T1 before it) and from another source
    _import(
        ws,
        tmp_path,
        "leads",
        "Lead ID,Created,Source,Campaign\nL1,2025-01-05,Events,C1\n",
        "upsert",
    )
    assert _kept(ws) == _rebuilt(ws)
    assert _rewritten(before, _row_ids(ws)) == {(False, "L1"), (True, "D1")}
    assert _path(ws, False, "L1") == [("Email", 0, 1, 0, 1.0)]
    assert [row[3] for row in _path(ws, True, "D1")] == [0, 0]  # T1 is its lead touch now


def test_a_writer_other_than_an_import_notes_what_it_changed(ws: Workspace):
    before = _row_ids(ws)
    with ws.transaction() as cur:
        cur.execute("update raw_leads set lead_score = 80 where lead_id = 'L2'")
        refresh_touch_facts(cur, note_changes(cur, lead_ids=["L2"]))
    assert _kept(ws) == _rebuilt(ws)
    assert _rewritten(before, _row_ids(ws)) == {(False, "L2"), (True, "D2")}


def test_nothing_noted_rewrites_nothing(ws: Workspace, tmp_path: Path):
    before_rows, before_ids = _kept(ws), _row_ids(ws)
    with ws.transaction() as cur:
        refresh_touch_facts(cur, Changed.NOTED)
    assert _row_ids(ws) == before_ids
    # a writer of accounts: the whole lead refresh, no touch-fact input written
    _import_accounts(ws, tmp_path)
    assert _row_ids(ws) == before_ids
    assert _kept(ws) == before_rows


def _import_accounts(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "accounts.csv"
    path.write_text("Account ID,Name\nA1,Acme\n", encoding="utf-8")
    mapping = {"account_id": "Account ID", "name": "Name"}
    with engine.open_import(ws, path, choices=Choices("accounts", "generic", mapping)) as plan:
        plan.commit("append")


def test_a_deal_import_and_the_outlier_toggle_rewrite_those_deals(ws: Workspace, tmp_path: Path):
    before = _row_ids(ws)
    # won amounts 100, 120, 10,000: 10,000 is above 20 x the median (120)
    _import(
        ws,
        tmp_path,
        "deals",
        "Deal ID,Lead ID,Status,Amount,Created,Closed\nD4,L2,won,10000,2025-02-03,2025-02-20\n",
    )
    assert _kept(ws) == _rebuilt(ws)
    imported = _row_ids(ws)
    assert _rewritten(before, imported) == {(True, "D4")}
    assert _path(ws, True, "D4") == [("Webinar", 0, 1, 0, 1.0)]

    assert data_checks.set_exclude_outliers(ws, True) == 1
    assert _kept(ws) == _rebuilt(ws)
    excluded = _row_ids(ws)
    assert _rewritten(imported, excluded) == {(True, "D4")}  # noted by the refresh itself
    assert (True, "D4") not in excluded

    data_checks.set_exclude_outliers(ws, False)
    assert _kept(ws) == _rebuilt(ws)
    assert _rewritten(excluded, _row_ids(ws)) == {(True, "D4")}


def test_keys_missing_or_made_by_another_duckdb_rebuild_every_path(ws: Workspace):
    before = _row_ids(ws)
    with ws.transaction() as cur:
        cur.execute("update touch_fact_stamps set keyed_by = 'v0.0.1'")
        refresh_touch_facts(cur, Changed.NOTED)  # nothing noted, but the keys are not trusted
    after = _row_ids(ws)
    assert _rewritten(before, after) == before.keys()
    assert _kept(ws) == _rebuilt(ws)
    with ws.transaction() as cur:
        assert cur.execute("select keyed_by = version() from touch_fact_stamps").fetchone()[0]
