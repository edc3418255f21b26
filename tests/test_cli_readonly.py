"""Commands that only read work while another process (the app) holds the workspace; commands
that write say one sentence, the same for each.

A real second process holds the file read-write (DuckDB's lock is per process) and writes a
setting it never checkpoints, so the snapshot must carry the write-ahead log too.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from flywheel_cli import locked_sentence, main
from queries import snapshot
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace

HOLDER = (
    "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
    "c.execute(\"insert into settings values ('held_by', 'the app')\"); "
    "print('ready', flush=True); time.sleep(120)"
)
DEALS = (
    "Opportunity ID,Opportunity Name,Stage,Amount,Created Date,Close Date\n"
    "Z1,Alpha,Closed Won,1200,2024-01-05,2024-02-04\n"
    "Z2,Beta,Closed Lost,300,2024-01-06,2024-01-26\n"
)
SNAPSHOT_LINE = re.compile(r"read a snapshot as of \d\d:\d\d")


@pytest.fixture(scope="module")
def held(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, dict]]:
    """A tiny workspace held by another process; and its metrics read before it was held."""
    folder = tmp_path_factory.mktemp("held")
    db = build_tiny_workspace(folder / "held.duckdb")
    before = subprocess.run(
        [sys.executable, "-m", "flywheel_cli", "metrics", "--json", "--db", str(db)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert before.returncode == 0, before.stderr
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        with pytest.raises(duckdb.IOException, match="lock"):  # the lock is real
            duckdb.connect(str(db), read_only=True)
        yield db, json.loads(before.stdout)
    finally:
        holder.kill()
        holder.wait()


def test_metrics_read_a_snapshot_with_the_same_figures(held, capsys):
    db, before = held
    assert main(["metrics", "--json", "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert json.loads(out.out) == before
    assert SNAPSHOT_LINE.search(out.err)
    assert len(out.err.strip().splitlines()) == 1
    assert "Conflicting lock" not in out.err


def test_the_snapshot_carries_what_the_holder_has_not_checkpointed(held):
    db, _ = held
    assert (db.parent / "held.duckdb.wal").exists()
    with snapshot.reading(db) as reading:
        assert reading.snapshot_at is not None
        assert reading.ws.settings()["held_by"] == "the app"
        copy = reading.ws.path
        assert copy != db and copy.exists()
    assert not copy.exists()  # the copy goes when the command ends


def test_import_dry_run_checks_against_a_snapshot(held, tmp_path, capsys):
    db, _ = held
    src = tmp_path / "deals.csv"
    src.write_text(DEALS, encoding="utf-8")
    assert main(["import", str(src), "--kind", "deals", "--dry-run", "--db", str(db)]) == 0
    out = capsys.readouterr()
    assert "2 rows read, 2 will load, 0 rejected" in out.out
    assert "nothing was written" in out.out
    assert SNAPSHOT_LINE.search(out.err)
    with snapshot.reading(db) as reading:
        assert reading.ws.scalar("select count(*) from raw_deals where deal_id like 'Z%'") == 0


def test_export_writes_the_pack_from_a_snapshot(held, tmp_path, capsys):
    db, _ = held
    out_file = tmp_path / "pack.html"
    code = main(
        ["export", "--db", str(db), "--out", str(out_file), "--charts", "overview.won_by_month"]
    )
    out = capsys.readouterr()
    assert code == 0, out.err
    assert out_file.stat().st_size > 1000
    assert SNAPSHOT_LINE.search(out.err)


def test_writing_commands_say_one_and_the_same_sentence(held, tmp_path, capsys):
    db, _ = held
    src = tmp_path / "deals.csv"
    src.write_text(DEALS, encoding="utf-8")
    said = []
    for argv in (
        ["import", str(src), "--kind", "deals", "--db", str(db)],
        ["compact", "--db", str(db)],
        ["seed", "--force", "--db", str(db)],
    ):
        assert main(argv) == 1, argv
        said.append(capsys.readouterr().err.strip())
    assert said == [f"flywheel: {locked_sentence(db)}"] * 3
    assert "running Flywheel dashboard" in said[0] and "Data page" in said[0]
    with snapshot.reading(db) as reading:  # seed --force did not pull the file away
        assert reading.ws.settings()["held_by"] == "the app"
        assert reading.ws.scalar("select count(*) from raw_deals where deal_id like 'Z%'") == 0


def test_a_copy_taken_while_the_file_changed_is_taken_again(tmp_path, monkeypatch):
    db = build_tiny_workspace(tmp_path / "w.duckdb")
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True
    )
    real_copy = snapshot._copy
    calls = []

    def torn_then_whole(path: Path, folder: Path) -> tuple[Path, bool]:
        target, _steady = real_copy(path, folder)
        calls.append(target)
        if len(calls) == 1:  # the app wrote during the first copy
            return target, False
        if len(calls) == 2:  # the second copy is cut short: not a readable file
            with open(target, "r+b") as fh:
                fh.truncate(4096)
            return target, True
        return target, True

    monkeypatch.setattr(snapshot, "_copy", torn_then_whole)
    monkeypatch.setattr(snapshot.time, "sleep", lambda s: None)
    try:
        assert holder.stdout.readline().strip() == "ready"
        with snapshot.reading(db) as reading:
            assert reading.ws.settings()["company_name"] == "Tiny Test Co"
        assert len(calls) == 3
        calls.clear()
        monkeypatch.setattr(snapshot, "_copy", lambda p, f: (real_copy(p, f)[0], False))
        with (
            pytest.raises(RuntimeError, match="kept writing while it was copied"),
            snapshot.reading(db, tries=2),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_an_unheld_workspace_is_read_in_place(tmp_path):
    db = build_tiny_workspace(tmp_path / "w.duckdb")
    with snapshot.reading(db) as reading:
        assert reading.snapshot_at is None and reading.note() is None
        assert reading.ws.path == db
        assert isinstance(reading.ws, Workspace) and reading.ws.read_only


WRITER = """
import duckdb, sys, time
con = duckdb.connect(sys.argv[1])
con.execute("create table if not exists batches (batch int, v varchar)")
b = 0
while True:
    b += 1
    con.execute("begin")
    con.execute("insert into batches select ?, repeat('x', 50) || i from range(5000) r(i)", [b])
    con.execute("commit")
    if b == 3:
        print("ready", flush=True)
    if b % 7 == 0:
        con.execute("checkpoint")
    time.sleep(0.02)
"""


def test_snapshots_of_a_file_being_written_hold_whole_transactions(tmp_path):
    # the holder commits 5,000-row batches and checkpoints, 50 a second: every snapshot must
    # open and hold whole batches only (a torn copy is taken again)
    db = build_tiny_workspace(tmp_path / "busy.duckdb")
    writer = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(db)], stdout=subprocess.PIPE, text=True
    )
    seen = []
    try:
        assert writer.stdout.readline().strip() == "ready"
        for _ in range(4):
            with snapshot.reading(db) as reading:
                assert reading.snapshot_at is not None
                rows, batches = reading.ws.con.execute(
                    "select count(*), count(distinct batch) from batches"
                ).fetchone()
                assert rows == batches * 5000, (rows, batches)
                seen.append(batches)
            time.sleep(0.2)
    finally:
        writer.kill()
        writer.wait()
    assert seen[0] >= 3 and seen == sorted(seen)
    assert seen[-1] > seen[0]  # the file moved on between snapshots
