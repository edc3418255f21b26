"""`flywheel import`: the same engine as the Data page, a short summary, exit codes 0/1/2."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flywheel_cli import main
from queries import workspaces

DEALS = (
    "Opportunity ID,Opportunity Name,Stage,Amount,Created Date,Close Date,Engaged\n"
    "A1,Alpha,Closed Won,1200,2024-01-05,2024-02-04,2024-01-01\n"
    "A2,Beta,Closed Lost,300,2024-01-06,2024-01-26,2024-01-02\n"
    "A3,Gamma,Prospecting,,2024-01-07,2031-01-01,2024-01-03\n"
    "A4,Delta,Closed Won,oops,2024-01-08,2024-03-01,2024-01-04\n"
)


def count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


@pytest.fixture
def deals_csv(tmp_path: Path) -> Path:
    path = tmp_path / "deals.csv"
    path.write_text(DEALS, encoding="utf-8")
    return path


def test_import_into_a_new_workspace_prints_a_summary_and_exits_0(tmp_path, deals_csv, capsys):
    db = tmp_path / "mine.duckdb"
    code = main(["import", str(deals_csv), "--kind", "deals", "--db", str(db)])
    out = capsys.readouterr().out
    assert code == 0
    assert "4 rows read, 3 will load, 1 rejected" in out
    assert 'row 4: column "Amount": "oops" is not an amount of money' in out
    assert count(db, "select count(*) from raw_deals") == 3
    assert count(db, "select sum(amount) from raw_deals where outcome = 'won'") == 1200
    assert count(db, "select count(*) from import_rejects") == 1


def test_dry_run_reports_and_writes_nothing(tmp_path, deals_csv, capsys):
    db = tmp_path / "mine.duckdb"
    workspaces.create_workspace(db).close()
    assert main(["import", str(deals_csv), "--kind", "deals", "--db", str(db), "--dry-run"]) == 0
    assert "nothing was written" in capsys.readouterr().out
    assert count(db, "select count(*) from raw_deals") == 0
    assert count(db, "select count(*) from imports") == 0


def test_map_overrides_one_fields_column(tmp_path, deals_csv, capsys):
    db = tmp_path / "mine.duckdb"
    args = ["import", str(deals_csv), "--kind", "deals", "--db", str(db)]
    assert main([*args, "--map", "created_at=Engaged"]) == 0
    assert "created_at ← Engaged" in capsys.readouterr().out
    assert count(db, "select min(created_at)::date::varchar from raw_deals") == "2024-01-01"


def test_a_refused_file_exits_2_with_one_sentence_and_changes_nothing(tmp_path, capsys):
    db = tmp_path / "mine.duckdb"
    workspaces.create_workspace(db).close()
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert main(["import", str(empty), "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "empty.csv is empty (0 bytes)" in err
    assert "Traceback" not in err
    assert count(db, "select count(*) from imports") == 0


def test_the_same_file_twice_needs_again(tmp_path, deals_csv, capsys):
    db = tmp_path / "mine.duckdb"
    args = ["import", str(deals_csv), "--kind", "deals", "--db", str(db), "--mode", "upsert"]
    assert main(args) == 0
    assert main(args) == 2
    assert "already imported" in capsys.readouterr().err
    assert main([*args, "--again"]) == 0
    assert count(db, "select count(*) from imports") == 2
    assert count(db, "select count(*) from raw_deals") == 3


def test_the_sample_workspace_is_refused_on_the_command_line(tmp_path, deals_csv, capsys):
    db = tmp_path / "sample.duckdb"
    ws = workspaces.create_workspace(db)
    ws.set_setting("is_sample", "true")
    ws.close()
    assert main(["import", str(deals_csv), "--kind", "deals", "--db", str(db)]) == 2
    assert "sample company" in capsys.readouterr().err
    assert count(db, "select count(*) from raw_deals") == 0


def test_bad_arguments_exit_2(tmp_path, deals_csv):
    with pytest.raises(SystemExit) as exc:
        main(["import", str(deals_csv), "--mode", "merge"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["import", str(deals_csv), "--map", "amount"])
    assert exc.value.code == 2


def test_a_workspace_held_by_a_running_dashboard_gets_plain_words(tmp_path, deals_csv):
    db = tmp_path / "held.duckdb"
    workspaces.create_workspace(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', "
            "flush=True); time.sleep(60)",
            str(db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        cli = Path(sys.executable).parent / "flywheel"
        done = subprocess.run(
            [str(cli), "import", str(deals_csv), "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        holder.kill()
        holder.wait()
    time.sleep(0.1)
    assert done.returncode == 1
    assert "running Flywheel dashboard" in done.stderr
    assert "Data page" in done.stderr
    assert "Conflicting lock" not in done.stderr
    assert "Traceback" not in done.stderr


def test_amounts_in_another_currency_are_said_and_stored_as_written(tmp_path, capsys):
    # a USD workspace (the default) and a Chinese CRM export with two ¥ amounts: the summary
    # names the file, column, rows and both currencies; nothing is converted
    src = tmp_path / "商机.csv"
    src.write_text(
        "商机名称,销售阶段,商机金额,创建时间,结单日期\n"
        "甲,赢单,¥12500,2024-01-05,2024-02-04\n"
        "乙,输单,300,2024-01-06,2024-01-26\n"
        "丙,赢单,1.2万元,2024-01-07,2024-03-01\n",
        encoding="utf-8",
    )
    db = tmp_path / "usd.duckdb"
    assert main(["import", str(src), "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "商机.csv" in out and "“商机金额”" in out
    assert "CNY" in out and "USD" in out and "rows 1, 3 (2 in all)" in out
    assert "Nothing was converted" in out
    assert count(db, "select sum(amount) from raw_deals where outcome = 'won'") == 12500 + 12000
