"""The sidebar's answers kept by the refresh (migration 024): the filter values and the lead
and deal readiness counts equal what the records say after every kind of write — an import, a
replace, its undo, a link the refresh hands on, clearing — on a tiny hand-made workspace."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from queries import readiness, workspaces
from queries.ingest import engine, write
from queries.workspace import Workspace
from tests.kept_rows import assert_kept_as_now

KEPT = {
    "kept_filter_values": "filter_values_now()",
    "kept_lead_readiness": "lead_readiness_now()",
    "kept_deal_source_readiness": "deal_source_readiness_now()",
}


def _csv(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _import(ws, path: Path, kind: str, mode: str = "append"):
    with engine.open_import(ws, path, choices=engine.Choices(kind=kind)) as plan:
        return plan.commit(mode)


def _same_as_now(ws) -> None:
    """Each kept table holds exactly the rows its macro computes from the records now."""
    assert_kept_as_now(ws, KEPT)


def _options(ws) -> dict[str, list[str]]:
    df = ws.query("filter_options")
    return {d: sorted(g["value"]) for d, g in df.groupby("dimension")}


LEADS = """lead_id,created_at,source,segment,region,owner
L1,2026-01-05,Webinar,SMB,North,Ana
L2,2026-01-06,,Enterprise,,Ben
L3,,Paid Search,SMB,South,
"""
DEALS = """deal_id,lead_id,created_at,closed_at,outcome,amount,product,owner
D1,L1,2026-01-10,2026-02-01,won,1000,Core,Ana
D2,L2,2026-01-12,,open,,Plus,Cy
D3,,2026-01-15,2026-02-10,lost,500,Core,
"""


@pytest.fixture()
def ws(tmp_path: Path):
    ws = workspaces.create_workspace(tmp_path / "kept.duckdb")
    yield ws
    ws.close()


def test_a_new_workspace_keeps_nothing_and_reads_zero(ws):
    _same_as_now(ws)
    assert ws.query("filter_options").empty
    counts = readiness.counts(ws)
    assert counts["leads"] == 0 and counts["deals"] == 0 and counts["open_deals"] == 0


def test_imports_undo_and_clear_keep_the_answers_of_the_records(ws, tmp_path):
    leads = _import(ws, _csv(tmp_path, "leads.csv", LEADS), "leads")
    _same_as_now(ws)
    counts = readiness.counts(ws)
    # by hand: 3 leads, 2 with a source, 2 with a creation date
    assert (counts["leads"], counts["leads_with_source"], counts["leads_with_created"]) == (3, 2, 2)
    assert _options(ws) == {
        "owner": ["Ana", "Ben"],
        "region": ["North", "South"],
        "segment": ["Enterprise", "SMB"],
    }

    deals = _import(ws, _csv(tmp_path, "deals.csv", DEALS), "deals")
    _same_as_now(ws)
    counts = readiness.counts(ws)
    # D1 and D2 take their leads' source (Webinar; L2 has none), D3 has none
    assert (counts["deals"], counts["won_deals"], counts["lost_deals"]) == (3, 1, 1)
    assert (counts["open_deals"], counts["open_with_amount"]) == (1, 0)
    # deals take their lead's segment and region: D1 SMB/North, D2 Enterprise; products/owners
    assert _options(ws)["product"] == ["Core", "Plus"]
    assert _options(ws)["owner"] == ["Ana", "Ben", "Cy"]

    # a replace that drops D3 and gives D2 an amount, then its undo
    again = DEALS.replace("D2,L2,2026-01-12,,open,,Plus,Cy", "D2,L2,2026-01-12,,open,70,Max,Cy")
    again = "\n".join(line for line in again.splitlines() if not line.startswith("D3")) + "\n"
    replaced = _import(ws, _csv(tmp_path, "deals2.csv", again), "deals", "replace")
    _same_as_now(ws)
    counts = readiness.counts(ws)
    assert (counts["deals"], counts["lost_deals"], counts["open_with_amount"]) == (2, 0, 1)
    assert _options(ws)["product"] == ["Core", "Max"]

    write.undo(ws, replaced.import_id)
    _same_as_now(ws)
    assert readiness.counts(ws)["deals"] == 3
    assert _options(ws)["product"] == ["Core", "Plus"]

    write.undo(ws, deals.import_id)
    write.undo(ws, leads.import_id)
    _same_as_now(ws)
    assert ws.query("filter_options").empty
    assert readiness.counts(ws)["leads"] == 0


def test_clearing_the_sample_clears_its_kept_answers(sample_path, tmp_path):
    shutil.copy(sample_path, tmp_path / "sample.duckdb")
    ws = Workspace(tmp_path / "sample.duckdb")
    try:
        _same_as_now(ws)
        assert readiness.counts(ws)["leads"] > 0
        workspaces.clear_sample(ws)
        _same_as_now(ws)
        assert ws.query("filter_options").empty
        assert readiness.counts(ws)["deals"] == 0
    finally:
        ws.close()


def test_an_old_workspace_is_filled_by_the_migration(tmp_path):
    """A workspace made before 024 gets the kept rows its records give, as it opens."""
    from queries import migrations

    path = tmp_path / "old.duckdb"
    ws = workspaces.create_workspace(path)
    try:
        _import(ws, _csv(tmp_path, "leads.csv", LEADS), "leads")
    finally:
        ws.close()
    # back to before 024: its tables and macros gone, its version unrecorded
    con = duckdb.connect(str(path))
    for table in KEPT:
        con.execute(f"drop table {table}")
    for macro in ("filter_values_now", "lead_readiness_now", "deal_source_readiness_now"):
        con.execute(f"drop macro table {macro}")
    con.execute("delete from schema_version where version = 24")
    con.close()
    ws = Workspace(path)
    try:
        assert 24 in migrations.applied_versions(ws.cursor())
        _same_as_now(ws)
        assert readiness.counts(ws)["leads"] == 3
    finally:
        ws.close()


def test_filter_options_read_the_kept_rows_not_the_records(ws, tmp_path):
    """The sidebar reads the kept table: a value only the kept rows hold is offered (so the
    query cannot be scanning the records)."""
    _import(ws, _csv(tmp_path, "leads.csv", LEADS), "leads")
    with ws.transaction() as cur:
        cur.execute("insert into kept_filter_values values ('segment', 'Only kept')")
    assert "Only kept" in _options(ws)["segment"]
