"""An import runs under DuckDB's import memory limit (issue 18: a 10M-row file in under 2 GB).

Its staged and checked temp tables grow with the file; under the workspace's own limit (55 % of
RAM) DuckDB keeps them all in memory. Each heavy step (staging, checking, writing) must see the
lower limit, and the workspace's own must come back after it, also when a file is refused.
How much memory that saves is measured in bench/import_stages.py, not here.
"""

from __future__ import annotations

import duckdb
import pytest

from queries import workspace, workspaces
from queries.ingest import check, engine, files, write
from queries.ingest.engine import Choices
from queries.ingest.errors import ImportRefused

DEALS = (
    "Deal ID,Deal Name,Stage,Amount,Created Date,Close Date\n"
    "D1,Alpha,Closed Won,1000,2024-01-05,2024-02-04\n"
    "D2,Beta,Prospecting,250,2024-01-06,\n"
    "D3,Gamma,Closed Lost,abc,2024-01-07,2024-03-01\n"
)


def _limit(con: duckdb.DuckDBPyConnection) -> str:
    return con.execute("select current_setting('memory_limit')").fetchone()[0]


def _as_duckdb_says(limit: str) -> str:
    """How DuckDB shows a limit once set (1GB reads back as 953.6 MiB)."""
    con = duckdb.connect()
    try:
        con.execute(f"set memory_limit = '{limit}'")
        return _limit(con)
    finally:
        con.close()


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory):
    # one workspace for the module: the import below is undone, the others write nothing
    w = workspaces.create_workspace(tmp_path_factory.mktemp("memory") / "own.duckdb")
    yield w
    w.close()


@pytest.fixture()
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file counts as large (the bound starts at BOUNDED_FROM_BYTES, 250 MB)."""
    monkeypatch.setattr(workspace, "BOUNDED_FROM_BYTES", 0)


def _seen_limits(monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """The memory limit each heavy step ran under, by step."""
    seen: dict[str, str] = {}

    def spy(module, name: str) -> None:
        real = getattr(module, name)

        def step(cur, *a, **k):
            seen[name] = _limit(cur)
            return real(cur, *a, **k)

        monkeypatch.setattr(module, name, step)

    spy(files, "stage")
    spy(check, "run")
    spy(check, "counts")
    spy(write, "_insert")
    spy(write, "refresh_lead_facts")
    return seen


def test_every_heavy_step_of_an_import_runs_under_the_import_limit(
    ws, tmp_path, monkeypatch, large
):
    own = _limit(ws.con)
    bounded = _as_duckdb_says(workspace.IMPORT_MEMORY_LIMIT)
    assert bounded != own  # else this test could not tell them apart
    seen = _seen_limits(monkeypatch)
    path = tmp_path / "deals.csv"
    path.write_text(DEALS)
    with engine.open_import(ws, path, choices=Choices(kind="deals")) as plan:
        assert _limit(ws.con) == own  # between steps (the wizard waits on the user): its own
        report = plan.validate("append")
        result = plan.commit("append")
    assert seen == dict.fromkeys(
        ["stage", "run", "counts", "_insert", "refresh_lead_facts"], bounded
    )
    assert _limit(ws.con) == own
    # the same rows as ever: two load, Gamma's amount is rejected at its row and column
    assert (report.rows_ok, report.rows_rejected, result.rows_loaded) == (2, 1, 2)
    cur = ws.cursor()
    assert cur.execute("select deal_id from raw_deals order by 1").fetchall() == [("D1",), ("D2",)]
    assert cur.execute(
        "select row_number, column_name, code, value from import_rejects"
    ).fetchall() == [(3, "Amount", "bad_money", "abc")]
    cur.close()
    assert engine.undo(ws, result.import_id) == {"removed": 2, "restored": 0}


def test_a_refused_file_gives_the_workspace_its_own_limit_back(ws, tmp_path, large):
    own = _limit(ws.con)
    path = tmp_path / "headers.csv"
    path.write_text("Deal ID,Deal Name,Stage\n")
    with pytest.raises(ImportRefused):
        engine.open_import(ws, path, choices=Choices(kind="deals"))
    assert _limit(ws.con) == own


def test_the_limit_comes_back_when_the_last_of_two_overlapping_steps_ends(ws):
    own, bounded = _limit(ws.con), _as_duckdb_says(workspace.IMPORT_MEMORY_LIMIT)
    big = workspace.BOUNDED_FROM_BYTES
    with workspace.import_memory(ws, big):
        with workspace.import_memory(ws, big):
            assert _limit(ws.con) == bounded
        assert _limit(ws.con) == bounded  # the outer step is still running
    assert _limit(ws.con) == own


def test_a_file_below_the_bound_leaves_the_workspace_its_own_limit(ws, tmp_path, monkeypatch):
    """The limit is the database's: pages queried during an import share it, so an ordinary
    file (all the app takes by default) changes nothing."""
    own = _limit(ws.con)
    seen = _seen_limits(monkeypatch)
    path = tmp_path / "deals.csv"
    path.write_text(DEALS)
    with engine.open_import(ws, path, choices=Choices(kind="deals")) as plan:
        result = plan.commit("append")
    assert set(seen.values()) == {own}
    assert engine.undo(ws, result.import_id) == {"removed": 2, "restored": 0}
    with workspace.import_memory(ws, workspace.BOUNDED_FROM_BYTES - 1):
        assert _limit(ws.con) == own
