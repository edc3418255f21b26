"""What each lead's deals say about it, kept on raw_leads (migration 011): set by every import,
undo and sample load, backfilled by the migration, and read by the funnel in place of a join.

Expected facts are written by hand from the files in each test.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from pathlib import Path

import pytest

from queries import funnel, migrations, workspaces
from queries.filters import Filters
from queries.ingest import engine
from queries.ingest.engine import Choices
from queries.workspace import Workspace

LEADS = "Lead ID,Created,Source\nL1,2025-01-05,Web\nL2,2025-01-06,Web\nL3,2025-01-07,Cold Call\n"
LATE_LEAD = "Lead ID,Created,Source\nL9,2025-01-09,Web\n"
LEAD_MAPPING = {"lead_id": "Lead ID", "created_at": "Created", "source": "Source"}
# L1: two won deals (D2 created first, D1 closed first); L2: an open deal and a lost one without
# a created date; L9: a won deal whose lead is not in the workspace yet; L3: no deal.
DEALS = (
    "Deal ID,Lead ID,Status,Amount,Created,Closed\n"
    "D1,L1,won,1000,2025-01-10,2025-02-01\n"
    "D2,L1,won,500,2025-01-08,2025-03-01\n"
    "D3,L2,open,300,2025-01-20,\n"
    "D4,L2,lost,200,,2025-02-10\n"
    "D5,L9,won,900,2025-01-12,2025-01-30\n"
)
DEAL_MAPPING = {
    "deal_id": "Deal ID",
    "lead_id": "Lead ID",
    "status": "Status",
    "amount": "Amount",
    "created_at": "Created",
    "close_date": "Closed",
}
NONE = (0, 0, None, None)


@pytest.fixture
def ws(tmp_path: Path):
    w = workspaces.create_workspace(tmp_path / "own.duckdb")
    yield w
    w.close()


def _import(ws: Workspace, tmp_path: Path, name: str, text: str, mode: str = "append") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    kind, mapping = ("deals", DEAL_MAPPING) if "Deal ID" in text else ("leads", LEAD_MAPPING)
    choices = Choices(kind=kind, preset="generic", mapping=mapping)
    with engine.open_import(ws, path, choices=choices) as plan:
        return plan.commit(mode).import_id


def facts(ws: Workspace) -> dict[str, tuple]:
    cur = ws.cursor()
    try:
        found = cur.execute(
            "select lead_id, deal_count, won_deal_count, first_deal_at, first_won_at "
            "from raw_leads order by lead_id"
        ).fetchall()
    finally:
        cur.close()
    return {lead: tuple(rest) for lead, *rest in found}


def keys_hold(ws: Workspace) -> bool:
    """Every lead has a key unique across raw_leads and replaced_leads, and every deal the
    key of the lead it names (none when the workspace does not hold that lead)."""
    cur = ws.cursor()
    try:
        leads, keys, unique = cur.execute(
            "select count(*), count(lead_key), count(distinct lead_key) from raw_leads"
        ).fetchone()
        clash = cur.execute(
            "select count(*) from raw_leads join replaced_leads using (lead_key) "
            "where raw_leads.lead_id <> replaced_leads.lead_id"
        ).fetchone()[0]
        wrong = cur.execute(
            "select count(*) from raw_deals left join raw_leads using (lead_id) "
            "where raw_deals.lead_key is distinct from raw_leads.lead_key"
        ).fetchone()[0]
    finally:
        cur.close()
    return leads == keys == unique and clash == 0 and wrong == 0


def test_imports_and_undo_keep_every_leads_deal_facts_current(ws, tmp_path):
    leads = _import(ws, tmp_path, "leads.csv", LEADS)
    assert facts(ws) == {"L1": NONE, "L2": NONE, "L3": NONE}  # no deals yet
    assert keys_hold(ws)

    deals = _import(ws, tmp_path, "deals.csv", DEALS)
    l1 = (2, 2, datetime(2025, 1, 8), datetime(2025, 2, 1))
    l2 = (2, 0, datetime(2025, 1, 20), None)
    assert facts(ws) == {"L1": l1, "L2": l2, "L3": NONE}
    assert keys_hold(ws)

    # a lead imported after its deal gets the deal's facts
    late = _import(ws, tmp_path, "late.csv", LATE_LEAD)
    l9 = (1, 1, datetime(2025, 1, 12), datetime(2025, 1, 30))
    assert facts(ws)["L9"] == l9
    assert keys_hold(ws)

    # upsert: D3 is now won; L1 re-imported (its row replaced) keeps what its deals say
    won_d3 = "Deal ID,Lead ID,Status,Amount,Created,Closed\nD3,L2,won,300,2025-01-20,2025-03-05\n"
    upsert = _import(ws, tmp_path, "won.csv", won_d3, mode="upsert")
    assert facts(ws)["L2"] == (2, 1, datetime(2025, 1, 20), datetime(2025, 3, 5))
    assert keys_hold(ws)
    relead = _import(
        ws, tmp_path, "relead.csv", "Lead ID,Created,Source\nL1,2025-01-05,Ads\n", "upsert"
    )
    assert facts(ws)["L1"] == l1
    assert keys_hold(ws)

    engine.undo(ws, relead)
    assert facts(ws)["L1"] == l1
    assert keys_hold(ws)
    engine.undo(ws, upsert)
    assert facts(ws)["L2"] == l2
    assert keys_hold(ws)
    engine.undo(ws, deals)
    assert facts(ws) == {"L1": NONE, "L2": NONE, "L3": NONE, "L9": NONE}
    assert keys_hold(ws)
    engine.undo(ws, late)
    engine.undo(ws, leads)
    assert facts(ws) == {}
    assert keys_hold(ws)


def test_replacing_the_deals_recomputes_the_facts_and_undo_restores_them(ws, tmp_path):
    _import(ws, tmp_path, "leads.csv", LEADS)
    _import(ws, tmp_path, "deals.csv", DEALS)
    only_l3 = "Deal ID,Lead ID,Status,Amount,Created,Closed\nD7,L3,lost,50,2025-02-02,2025-02-03\n"
    replace = _import(ws, tmp_path, "l3.csv", only_l3, mode="replace")
    assert facts(ws) == {"L1": NONE, "L2": NONE, "L3": (1, 0, datetime(2025, 2, 2), None)}
    engine.undo(ws, replace)
    assert facts(ws)["L1"] == (2, 2, datetime(2025, 1, 8), datetime(2025, 2, 1))
    assert facts(ws)["L3"] == NONE


def test_keys_stay_unique_when_undo_restores_leads_a_replace_took_away(ws, tmp_path):
    _import(ws, tmp_path, "leads.csv", LEADS)  # L1, L2, L3: keys 1, 2, 3
    _import(ws, tmp_path, "deals.csv", DEALS)
    one = "Lead ID,Created,Source\nL4,2025-01-08,Web\n"
    replace = _import(ws, tmp_path, "one.csv", one, mode="replace")  # L1..L3 set aside
    assert keys_hold(ws)
    more = "Lead ID,Created,Source\nL5,2025-01-09,Web\nL6,2025-01-09,Web\nL9,2025-01-09,Web\n"
    _import(ws, tmp_path, "more.csv", more)
    assert keys_hold(ws)
    assert facts(ws)["L9"] == (1, 1, datetime(2025, 1, 12), datetime(2025, 1, 30))
    # the replaced leads come back with their own keys, which no later lead has taken
    engine.undo(ws, replace)
    assert sorted(facts(ws)) == ["L1", "L2", "L3", "L5", "L6", "L9"]
    assert keys_hold(ws)
    assert facts(ws)["L1"] == (2, 2, datetime(2025, 1, 8), datetime(2025, 2, 1))


def test_the_migration_backfills_a_workspace_made_before_it(tmp_path, monkeypatch):
    every = migrations.available()
    before = [m for m in every if m[0] < 11]
    monkeypatch.setattr(migrations, "available", lambda: before)
    path = tmp_path / "old.duckdb"
    old = Workspace(path)
    with old.transaction() as cur:
        cur.execute(
            "insert into raw_leads (lead_id, created_at) values "
            "('A', '2025-01-01'), ('B', '2025-01-02')"
        )
        cur.execute(
            "insert into raw_deals (deal_id, lead_id, created_at, closed_at, outcome) values "
            "('X', 'A', '2025-01-03', '2025-01-20', 'won'), "
            "('Y', 'A', '2025-01-02', null, 'open')"
        )
    old.close()
    monkeypatch.setattr(migrations, "available", lambda: every)
    ws = Workspace(path)
    try:
        assert facts(ws) == {"A": (2, 1, datetime(2025, 1, 2), datetime(2025, 1, 20)), "B": NONE}
        assert keys_hold(ws)
    finally:
        ws.close()


@pytest.fixture(scope="module")
def sample_copy(each_sample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of each sample (English, Chinese): an in-process AppTest of another module may
    hold the sample itself open read-write, and DuckDB refuses a read-only second connection
    to it."""
    locale, sample_path = each_sample
    folder = tmp_path_factory.mktemp(f"facts-{locale}")
    return Path(shutil.copy(sample_path, folder / "sample.duckdb"))


def test_the_sample_loads_with_its_facts_set(sample_copy):
    ws = Workspace(sample_copy, read_only=True)
    try:
        stale = ws.scalar(
            "select count(*) from raw_leads as l left join ("
            "  select lead_id, count(*) as n, min(created_at) as first_at from raw_deals"
            "  where lead_id is not null group by lead_id) as d on l.lead_id = d.lead_id "
            "where l.deal_count <> coalesce(d.n, 0) "
            "or l.first_deal_at is distinct from d.first_at"
        )
        with_deals = ws.scalar("select count(*) from raw_leads where deal_count > 0")
    finally:
        ws.close()
    assert stale == 0
    assert with_deals > 1000


@pytest.mark.parametrize("split", ["none", "segment"])
def test_funnel_reads_the_facts_and_the_deals_the_same_way(sample_copy, split):
    """Without a product filter the funnel reads the facts; with one, it joins the deals. With
    every product chosen both must give the same figures (every sample deal has a product)."""
    ws = Workspace(sample_copy, read_only=True)
    try:
        products = tuple(
            p for (p,) in ws.con.execute("select distinct product from raw_deals").fetchall()
        )
        assert None not in products
        plain = Filters(date(2024, 1, 1), date(2025, 12, 31))
        every = Filters(date(2024, 1, 1), date(2025, 12, 31), products=products)
        for query in (
            lambda f: funnel.cohort_stage_counts(ws, f, split=split),
            lambda f: funnel.stage_velocity(ws, f),
            lambda f: funnel.handoff_detail(ws, f, 24),
            lambda f: funnel.lead_score_bins(ws, f, 5),
        ):
            fast, joined = query(plain), query(every)
            assert len(fast) > 0
            order = list(fast.columns)  # rows that tie on the query's order come in any order
            fast = fast.sort_values(order).reset_index(drop=True)
            assert fast.equals(joined.sort_values(order).reset_index(drop=True))
    finally:
        ws.close()
