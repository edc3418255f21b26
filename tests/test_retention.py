"""Retention of undo history and rejects, and compaction (queries/retention.py).

Each import below is a `replace` of deals with N good rows and one bad amount (a reject): the
k-th import moves the N rows of import k-1 to replaced_deals (replaced_by = k), so the counts
are known by hand.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from flywheel_cli import main
from queries import retention, workspaces
from queries.ingest import engine
from queries.ingest.history import UndoExpired
from queries.retention import Retention
from queries.workspace import Workspace


def deals_file(folder: Path, i: int, n: int) -> Path:
    path = folder / f"deals_{i}.csv"
    rows = "".join(
        f"D{j},Deal {i}-{j},Closed Won,{100 + i},2024-01-05,2024-02-04\n" for j in range(n)
    )
    path.write_text(
        "Opportunity ID,Opportunity Name,Stage,Amount,Created Date,Close Date\n"
        + rows
        + f"X{i},Bad,Closed Won,oops,2024-01-05,2024-02-04\n",
        encoding="utf-8",
    )
    return path


def replace_imports(ws: Workspace, folder: Path, count: int, n: int = 3) -> list[str]:
    ids = []
    for i in range(count):
        with engine.open_import(
            ws, deals_file(folder, i, n), choices=engine.Choices(kind="deals")
        ) as plan:
            ids.append(plan.commit("replace").import_id)
    return ids


def n(ws: Workspace, sql: str) -> int:
    return int(ws.scalar(sql))


@pytest.fixture
def ws(tmp_path: Path):
    w = workspaces.create_workspace(tmp_path / "w.duckdb")
    yield w
    w.close()


# -- the setting ------------------------------------------------------------------------------
def test_the_setting_takes_whole_numbers_or_empty_for_no_limit():
    assert retention.validate({"imports": "20", "days": " 90 "}) == (
        {"undo_keep_imports": "20", "undo_keep_days": "90"},
        [],
    )
    assert retention.validate({"imports": "", "days": None})[0] == {
        "undo_keep_imports": "",
        "undo_keep_days": "",
    }
    for bad in ("0", "-3", "2.5", "abc", "10001"):
        _, errors = retention.validate({"imports": bad, "days": "90"})
        assert [(e.field, e.code, e.value) for e in errors] == [
            ("undo_keep_imports", "retention_imports_invalid", bad)
        ]
    _, errors = retention.validate({"imports": "5", "days": "3651"})
    assert [e.code for e in errors] == ["retention_days_invalid"]


def test_unset_or_unreadable_settings_fall_back_to_the_defaults():
    assert retention.policy({}) == Retention(20, 90)
    assert retention.policy({"undo_keep_imports": "", "undo_keep_days": "7"}) == Retention(None, 7)
    assert retention.policy({"undo_keep_imports": "abc", "undo_keep_days": "0"}) == Retention(
        20, 90
    )


def test_save_stores_a_valid_setting_and_nothing_when_one_field_is_wrong(ws):
    assert retention.save(ws, {"imports": "5", "days": ""}) == []
    assert retention.policy(ws.settings()) == Retention(5, None)
    errors = retention.save(ws, {"imports": "3", "days": "never"})
    assert [e.code for e in errors] == ["retention_days_invalid"]
    assert retention.policy(ws.settings()) == Retention(5, None)


# -- what expires -------------------------------------------------------------------------------
def test_the_oldest_imports_past_the_count_lose_their_undo_and_rejects(ws, tmp_path):
    ids = replace_imports(ws, tmp_path, 4)
    assert n(ws, "select count(*) from replaced_deals") == 9  # imports 2, 3, 4 set 3 rows aside
    assert n(ws, "select count(*) from import_rejects") == 4
    keep = Retention(imports=2, days=None)
    freed = retention.would_free(ws, keep=keep)
    assert freed.imports == (ids[0], ids[1])
    # import 2 replaced import 1's three rows; imports 1 and 2 each rejected one row
    assert freed.rows["replaced_deals"] == 3 and freed.rows["import_rejects"] == 2
    assert freed.total_rows == 5
    assert 0 <= freed.bytes <= freed.file_bytes

    ws.set_setting("undo_keep_imports", "2")
    done = retention.expire(ws)
    assert done.imports == freed.imports and done.rows == freed.rows
    assert n(ws, "select count(*) from replaced_deals") == 6
    assert n(ws, "select count(*) from import_rejects") == 2
    assert n(ws, "select count(*) from imports") == 4  # the history keeps every import
    assert set(retention.expired(ws)) == {ids[0], ids[1]}
    assert retention.would_free(ws).total_rows == 0  # nothing more to drop

    with pytest.raises(UndoExpired, match=f"Import {ids[1]} can no longer be undone"):
        engine.undo(ws, ids[1])
    # the imports still kept undo as before, newest first, down to the expired one's rows
    assert engine.undo(ws, ids[3]) == {"removed": 3, "restored": 3}
    assert engine.undo(ws, ids[2]) == {"removed": 3, "restored": 3}
    assert n(ws, f"select count(*) from raw_deals where import_id = '{ids[1]}'") == 3
    assert n(ws, "select count(*) from replaced_deals") == 0


def test_imports_older_than_the_days_lose_their_undo_whichever_limit_comes_first(ws, tmp_path):
    ids = replace_imports(ws, tmp_path, 4)
    now = datetime(2026, 6, 1, 12, 0)
    for import_id, age in zip(ids, (100, 50, 10, 1), strict=True):
        ws.scalar(
            "update imports set imported_at = $at where import_id = $id",
            {"at": now - timedelta(days=age), "id": import_id},
        )
    cur = ws.cursor()
    try:
        assert retention.expiring(cur, Retention(None, 30), now) == (ids[0], ids[1])
        assert retention.expiring(cur, Retention(None, 60), now) == (ids[0],)
        assert retention.expiring(cur, Retention(3, 60), now) == (ids[0],)
        assert retention.expiring(cur, Retention(1, 60), now) == tuple(ids[:3])
        assert retention.expiring(cur, Retention(None, None), now) == ()
        assert retention.expiring(cur, Retention(10, 365), now) == ()
    finally:
        cur.close()


def test_the_estimate_of_bytes_is_each_tables_share_of_its_blocks():
    freed = retention.estimate(
        {"replaced_deals": 50, "import_rejects": 0},
        {"replaced_deals": 100, "import_rejects": 10},
        {"replaced_deals": 1000, "import_rejects": 500},
        used_bytes=5000,
        file_bytes=8000,
    )
    # a fresh copy holds 5000 used bytes less half of replaced_deals' 1000: 4500 of 8000
    assert freed.bytes == 3500 and freed.total_rows == 50
    with_log = retention.estimate({"t": 50}, {"t": 100}, {"t": 1000}, 5000, 8000, wal_bytes=1000)
    assert with_log.bytes == 2500
    assert retention.estimate({"t": 5}, {"t": 0}, {}, 0, 100).bytes == 100  # empty table: no share


# -- compaction --------------------------------------------------------------------------------
def test_compact_drops_the_expired_rows_shrinks_the_file_and_keeps_every_live_row(tmp_path, capsys):
    db = tmp_path / "big.duckdb"
    ws = workspaces.create_workspace(db)
    rows = 8_000
    ids = replace_imports(ws, tmp_path, 4, n=rows)
    ws.set_setting("undo_keep_imports", "1")
    retention.checkpoint(ws)  # the estimate reads the file's blocks (the app checkpoints often)
    estimate = retention.would_free(ws)
    schema = _schema(ws)
    ws.close()
    on_disk = retention.disk_bytes(db)

    assert main(["compact", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    # imports 1-3 expire: imports 2 and 3 had set aside 8,000 rows each; three rejects
    assert "Undo expired for 3 import(s)" in out
    assert "16,000 replaced_deals, 3 import_rejects" in out
    before, after = (float(x) for x in _sizes(out))
    assert after < before

    ws = Workspace(db)
    try:
        assert len(schema) > 50 and _schema(ws) == schema  # tables, keys, views, macros: kept
        assert n(ws, "select count(*) from raw_deals") == rows
        assert n(ws, "select count(*) from replaced_deals") == rows  # import 4's undo stays
        assert n(ws, "select count(*) from imports") == 4
        # the setting change above: the log is history, not undo data, and compaction keeps it
        assert n(ws, "select count(*) from setting_changes where key = 'undo_keep_imports'") == 1
        # the estimate is near what the copy reclaimed: storage is counted in 256 KB blocks,
        # which small tables share, so a small workspace is over-estimated by a few blocks
        reclaimed = on_disk - retention.disk_bytes(db)
        assert reclaimed > 0
        assert reclaimed / 2 <= estimate.bytes <= reclaimed + 4 * 262_144
        assert engine.undo(ws, ids[3]) == {"removed": rows, "restored": rows}
        with pytest.raises(UndoExpired):
            engine.undo(ws, ids[2])
    finally:
        ws.close()
    assert not (tmp_path / ".big.duckdb.compact").exists()


def _schema(ws: Workspace) -> list[tuple]:
    return ws.con.execute(
        "select 'table', table_name, sql from duckdb_tables() "
        "where database_name = current_database() "
        "union all select 'view', view_name, sql from duckdb_views() "
        "where database_name = current_database() and not internal "
        "union all select 'macro', function_name, macro_definition from duckdb_functions() "
        "where database_name = current_database() and function_type = 'macro' "
        "union all select 'constraint', table_name, constraint_text from duckdb_constraints() "
        "where database_name = current_database() order by all"
    ).fetchall()


def _sizes(out: str) -> list[str]:
    line = next(line for line in out.splitlines() if "before" in line)
    return [part.split(" MB")[0].split()[-1].replace(",", "") for part in line.split(",")[:2]]


# -- the Data page's section -----------------------------------------------------------------


def test_the_data_page_section_says_size_and_what_compact_frees_and_compacts(
    tmp_path, monkeypatch, fresh_streamlit_caches
):
    from streamlit.testing.v1 import AppTest

    db = tmp_path / "ours.duckdb"
    ws = workspaces.create_workspace(db)
    ids = replace_imports(ws, tmp_path, 4)
    ws.set_setting("undo_keep_imports", "2")
    ws.close()
    monkeypatch.setenv("FLYWHEEL_DB", str(db))

    def section() -> None:
        from components.ui import retention_forms, state

        retention_forms.render(state.workspace(), state.formatter())

    at = AppTest.from_function(section, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = " ".join(m.value for m in at.markdown)
    assert "The workspace takes **" in text
    # imports 1 and 2 expire: the three rows import 2 replaced, one reject each
    assert (
        "undo history of **2** imports whose undo has expired (3 replaced rows, 2 rejected" in text
    )
    assert at.text_input(key="retention_keep_imports").value == "2"
    assert at.text_input(key="retention_keep_days").value == "90"

    at.text_input(key="retention_keep_days").set_value("soon")
    at.button(key="retention_save").click().run()
    assert any(
        "“soon” is not a number of days: give a whole number from 1 to 3,650" in e.value
        for e in at.error
    )

    at.button(key="retention_compact").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Dropped the undo history of 2 imports (5 rows)" in s.value for s in at.success)
    assert "No import's undo has expired." in " ".join(m.value for m in at.markdown)
    assert at.button(key="retention_compact").disabled
    from components.ui import state

    live = state.workspace()
    assert live.scalar("select count(*) from imports where undo_expired_at is not null") == 2
    with pytest.raises(UndoExpired) as refused:
        engine.undo(live, ids[0])
    from components.ui.retention_forms import undo_expired_text

    assert "can no longer be undone" in undo_expired_text(refused.value)


def test_the_import_history_marks_an_expired_import_and_offers_no_undo(
    tmp_path, monkeypatch, fresh_streamlit_caches
):
    # three replace imports, undo kept for the last one: after compaction the two older ones
    # say their undo expired (with the date) and have no undo button; the newest keeps it
    from streamlit.testing.v1 import AppTest

    path = tmp_path / "w.duckdb"
    w = workspaces.create_workspace(path)
    try:
        ids = replace_imports(w, tmp_path, 3)
        assert retention.save(w, {"imports": "1", "days": ""}) == []
        retention.compact_in_place(w)
    finally:
        w.close()
    monkeypatch.setenv("FLYWHEEL_DB", str(path))
    app = str(Path(__file__).resolve().parent.parent / "app.py")
    at = AppTest.from_file(app, default_timeout=120)
    at.run()
    at.switch_page("app_pages/data.py").run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [c.value for c in at.caption]
    expired = [c for c in shown if "its undo history expired on" in c]
    assert len(expired) == 2
    today = datetime.now().strftime("%b %-d, %Y")
    assert all(today in c for c in expired)
    undo_keys = {b.key for b in at.button if b.key and b.key.startswith("wizard_undo_")}
    assert undo_keys == {f"wizard_undo_{ids[2]}"}
