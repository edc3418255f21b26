"""Crash suite: a process importing and saving plans is killed (SIGKILL) at random points; the
workspace must always reopen in the old state or the new one, never half of a write.

A worker runs, until it is killed, rounds of: a leads import (append), a deals import
(replace), a campaign save (every campaign's budget set to the round) and a budget-plan save
(lines of equal amounts adding up to the total); every third round, from the second, it
compacts the workspace (undo kept for the last 3 imports: the file is rewritten and renamed
over the old one). It prints a line after each write commits.
After each kill the test reopens the file and checks:

- it opens (migrations and all), and every write the worker said was done is there;
- every import is whole: its rows in the table (and, for the replaced deals, in
  replaced_deals) are exactly the rows it says it loaded, and its rejects are all there
  (unless compaction dropped them with its expired undo);
  no row belongs to an import that is not recorded;
- the live deals are exactly the newest deals import's rows;
- the campaigns all carry one round's budget, and the budget plan adds up to its total.

CI runs a few kills (``FLYWHEEL_CRASH_KILLS``, default 4, seeded by ``FLYWHEEL_CRASH_SEED``);
``make soak`` runs 200.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KILLS = int(os.environ.get("FLYWHEEL_CRASH_KILLS", "4"))
SEED = int(os.environ.get("FLYWHEEL_CRASH_SEED", "17"))
LEADS = 2_000  # rows per leads file (plus one rejected row)
DEALS = 3_000  # rows per deals file (plus one rejected row)
CAMPAIGNS = 12
BUDGET_LINES = 6
PLAN_YEAR = 2026


# -- the worker (run as a script in its own process) ---------------------------------------------
def _write_files(folder: Path, token: str) -> tuple[Path, Path]:
    leads = folder / f"leads_{token}.csv"
    leads.write_text(
        "Lead ID,Created Date,Lead Source\n"
        + "".join(f"L{token}_{j},2024-03-{1 + j % 28:02d},Web\n" for j in range(LEADS))
        + f"L{token}_bad,not a date,Web\n",
        encoding="utf-8",
    )
    deals = folder / f"deals_{token}.csv"
    deals.write_text(
        "Opportunity ID,Opportunity Name,Stage,Amount,Created Date,Close Date\n"
        + "".join(
            f"D{token}_{j},Deal {j},Closed Won,{100 + j},2024-01-05,2024-02-04\n"
            for j in range(DEALS)
        )
        + f"D{token}_bad,Bad,Closed Won,oops,2024-01-05,2024-02-04\n",
        encoding="utf-8",
    )
    return leads, deals


def worker(db: Path, folder: Path) -> None:
    import pandas as pd

    from queries import campaigns, plans, retention, workspaces
    from queries.ingest import engine
    from queries.workspace import Workspace

    ws = Workspace(db) if db.exists() else workspaces.create_workspace(db)
    ws.set_setting(retention.KEEP_IMPORTS, "3")
    rnd = random.Random()
    print("ready", flush=True)
    for round_no in range(1, 1 << 30):
        if round_no % 3 == 2:
            ws.close()
            done = retention.compact(db)
            print(f"compact {len(done.freed.imports)}", flush=True)
            ws = Workspace(db)
        token = f"{os.getpid()}x{rnd.randrange(1 << 30)}"
        leads, deals = _write_files(folder, token)
        for path, kind, mode in ((leads, "leads", "append"), (deals, "deals", "replace")):
            with engine.open_import(
                ws, path, choices=engine.Choices(kind=kind, source_motions={"Web": "pull"})
            ) as plan:
                result = plan.commit(mode)
            print(f"import {result.import_id}", flush=True)
        budget = round_no  # grows: a state older than the last save said done shows
        rows = [
            {
                "campaign_id": f"K{i}",
                "name": f"Campaign {i}",
                "channel": "Email",
                "objective": "awareness",
                "start_date": date(2026, 1, 1),
                "end_date": date(2026, 3, 31),
                "budget": budget,
                "status": "planned",
                "owner": "Ann",
                "segment": "SMB",
            }
            for i in range(CAMPAIGNS)
        ]
        campaigns.save_changes(ws, action="edit", summary=f"round {token}", upserts=rows)
        print(f"campaigns {budget}", flush=True)
        lines = pd.DataFrame(
            {
                "kind": ["channel"] * BUDGET_LINES,
                "line": [f"Line {i}" for i in range(BUDGET_LINES)],
                "amount": [float(budget)] * BUDGET_LINES,
            }
        )
        plans.save_budget(ws, PLAN_YEAR, budget * BUDGET_LINES, lines)
        print(f"budget {budget}", flush=True)
        for path in (leads, deals):
            path.unlink()


# -- the checks -----------------------------------------------------------------------------------
def check(db: Path, said_done: list[str]) -> dict[str, int]:
    """Reopen the workspace and check that it holds whole writes only; a few counts."""
    from queries.workspace import Workspace

    ws = Workspace(db)  # opens: migrations checked, the log replayed
    try:
        q = ws.scalar
        imports = {
            row[0]: row[1:]
            for row in ws.con.execute(
                "select import_id, kind, rows_loaded, rows_rejected, rows_replaced, "
                "undo_expired_at is not null, imported_at from imports"
            ).fetchall()
        }
        for line in said_done:
            what, _, value = line.partition(" ")
            if what == "import":
                assert value in imports, f"import {value} said done but missing"
        for import_id, (kind, loaded, rejected, replaced, expired, at) in imports.items():
            assert loaded == (LEADS if kind == "leads" else DEALS), (import_id, loaded)
            assert rejected == 1, (import_id, rejected)
            table = "raw_leads" if kind == "leads" else "raw_deals"
            live = q(f"select count(*) from {table} where import_id = $id", {"id": import_id})
            kept = q(
                f"select count(*) from replaced_{kind} where import_id = $id", {"id": import_id}
            )
            if live + kept != loaded:  # replaced by a later import whose undo was compacted
                later_expired = any(
                    k == kind and e and a > at for k, _l, _r, _p, e, a in imports.values()
                )
                assert live + kept == 0 and later_expired, (import_id, live, kept, loaded)
            rejects = q(
                "select count(*) from import_rejects where import_id = $id", {"id": import_id}
            )
            set_aside = q(
                f"select count(*) from replaced_{kind} where replaced_by = $id", {"id": import_id}
            )
            if expired:
                assert rejects == 0 and set_aside == 0, (import_id, rejects, set_aside)
            else:
                assert rejects == 1 and set_aside == replaced, (import_id, rejects, set_aside)
        for table in ("raw_leads", "raw_deals", "replaced_deals", "import_rejects"):
            stray = q(
                f"select count(*) from {table} where import_id not in (select import_id "
                "from imports)"
            )
            assert stray == 0, f"{stray} rows of {table} belong to no recorded import"
        newest = ws.con.execute(
            "select import_id from imports where kind = 'deals' order by imported_at desc limit 1"
        ).fetchone()
        deals = q("select count(*) from raw_deals")
        if newest:
            live = q("select count(*) from raw_deals where import_id = $id", {"id": newest[0]})
            assert deals == live == DEALS, (deals, live)
        else:
            assert deals == 0
        n_leads = sum(1 for kind, *_ in imports.values() if kind == "leads")
        assert q("select count(*) from raw_leads") == n_leads * LEADS

        budgets = ws.con.execute(
            "select count(*), count(distinct budget), min(budget) from campaigns"
        ).fetchone()
        assert budgets[0] in (0, CAMPAIGNS) and budgets[1] <= 1, budgets
        changes = ws.con.execute(
            "select count(*), coalesce(max(change_id), 0) from campaign_changes"
        ).fetchone()
        assert changes[0] == changes[1], changes
        total = q("select total from budget_totals where plan_year = $y", {"y": PLAN_YEAR})
        lines = ws.con.execute(
            "select count(*), sum(amount), count(distinct amount) from budget_plan "
            "where plan_year = $y",
            {"y": PLAN_YEAR},
        ).fetchone()
        if total is None:
            assert lines[0] == 0
        else:
            assert lines[0] == BUDGET_LINES and lines[2] == 1 and lines[1] == total, lines
            assert budgets[2] is not None
        for what, value in (("campaigns", budgets[2]), ("budget", total)):
            said = [int(v.split()[1]) for v in said_done if v.startswith(what + " ")]
            if said:  # the last save said done is there, or a later one (never an earlier one)
                assert value is not None, what
                assert value == said[-1] or int(value) not in said[:-1], (what, value, said)
        return {
            "imports": len(imports),
            "expired": sum(1 for *_, e, _a in imports.values() if e),
            "changes": int(changes[0]),
        }
    finally:
        ws.close()


def run_kills(folder: Path, kills: int, seed: int) -> dict[str, int]:
    rnd = random.Random(seed)
    db = folder / "crash.duckdb"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    counts: dict[str, int] = {}
    for _ in range(kills):
        for stray in folder.glob("*.csv"):  # files of a killed round
            stray.unlink()
        proc = subprocess.Popen(
            [sys.executable, __file__, str(db), str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
        time.sleep(rnd.uniform(0.05, 2.5))
        assert proc.poll() is None, proc.stderr.read()  # still working: killed mid-way
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        said = proc.stdout.read().splitlines()
        proc.stdout.close()
        proc.stderr.close()
        counts = check(db, said)
    return counts


def test_kills_in_the_middle_of_imports_and_saves_leave_old_or_new_state(tmp_path):
    counts = run_kills(tmp_path, KILLS, SEED)
    assert counts["imports"] >= 1  # the worker got some writes in, so the kills landed mid-work


if __name__ == "__main__":
    worker(Path(sys.argv[1]), Path(sys.argv[2]))
