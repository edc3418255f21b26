"""The touch facts' refresh (migrations 022, 023) at scale: one step per process, so that its
peak RSS is its own. Run on a COPY of a large workspace (it writes to it):

    PYTHONPATH=$PWD .venv/bin/python bench/touch_facts.py --db COPY STEP

(PYTHONPATH picks the code measured: another checkout's root measures its code.)

STEP: check   the refresh when nothing changed (the touch facts' part, then the whole
              refresh_lead_facts), rolled back
      import  a touch import of --touches touches (one day before the creation of as many
              leads drawn with a fixed seed), kept; its import id goes to COPY.bench-import
      undo    the undo of that import
      rebuild a rebuild of every path (what 023's first refresh of an old workspace does)
      credit  the attribution tab's query (attribution_credit at the default half-life and at
              30 days: path_ages), median of --runs
Prints one JSON line: wall and CPU seconds, peak RSS (MB), load average. Works on the code
before 023 too (no Changed: its fingerprint check and its rebuild), to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from datetime import date
from pathlib import Path

from planning import attribution
from planning.handoff import MqlDefinition
from queries import sqlfiles
from queries import workspace as wsmod
from queries.ingest import engine, write
from queries.ingest.engine import Choices
from queries.workspace import Workspace

NEW = hasattr(wsmod, "Changed")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _timed(fn) -> dict[str, float]:
    wall, cpu = time.perf_counter(), _cpu()
    fn()
    return {"wall_s": round(time.perf_counter() - wall, 3), "cpu_s": round(_cpu() - cpu, 3)}


def _check(ws: Workspace) -> dict[str, object]:
    cur = ws.cursor()
    out: dict[str, object] = {}
    try:
        cur.execute("begin transaction")
        if NEW:
            out["touch_part"] = _timed(lambda: wsmod.refresh_touch_facts(cur, wsmod.Changed.NOTED))
            out["refresh_lead_facts"] = _timed(
                lambda: wsmod.refresh_lead_facts(cur, wsmod.Changed.NOTED)
            )
        else:
            out["touch_part"] = _timed(lambda: cur.execute(sqlfiles.get("touch_fact_work").sql))
            out["refresh_lead_facts"] = _timed(lambda: wsmod.refresh_lead_facts(cur))
        cur.execute("rollback")
    finally:
        cur.close()
    return out


def _import(ws: Workspace, db: Path, n: int) -> dict[str, object]:
    # a large bench workspace is a scaled sample company, whose imports are refused: the copy
    # is made a workspace of one's own
    ws.con.execute("update settings set value = 'false' where key = 'is_sample'")
    leads = ws.con.execute(
        f"select lead_id, created_at from raw_leads using sample reservoir({n} rows) "
        "repeatable (42)"
    ).fetchall()
    csv = db.with_suffix(".bench-touches.csv")
    lines = ["Touch ID,Lead ID,Channel,Touched"]
    for i, (lead, created) in enumerate(leads):
        lines.append(f"BENCH-T{i},{lead},Bench,{(created.date() - date.resolution).isoformat()}")
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    mapping = {
        "touch_id": "Touch ID",
        "lead_id": "Lead ID",
        "channel": "Channel",
        "touched_at": "Touched",
    }
    found: list[str] = []

    def run() -> None:
        with engine.open_import(ws, csv, choices=Choices("touches", "generic", mapping)) as plan:
            found.append(plan.commit("append").import_id)

    out: dict[str, object] = {"import": _timed(run), "touches": len(leads)}
    db.with_suffix(".bench-import").write_text(found[0])
    return out


def _undo(ws: Workspace, db: Path) -> dict[str, object]:
    import_id = db.with_suffix(".bench-import").read_text().strip()
    return {"undo": _timed(lambda: write.undo(ws, import_id))}


def _rebuild(ws: Workspace) -> dict[str, object]:
    def run() -> None:
        with ws.transaction() as cur:
            if NEW:
                wsmod.refresh_touch_facts(cur, wsmod.Changed.ALL)
            else:
                cur.execute("delete from touch_fact_stamps")  # no stamp: every path rebuilt
                wsmod.refresh_touch_facts(cur)

    return {"rebuild": _timed(run)}


def _credit(ws: Workspace, runs: int) -> dict[str, object]:
    as_of = ws.con.execute("select max(created_at)::date from raw_leads").fetchone()[0]
    q = sqlfiles.get("attribution_credit")
    mql = MqlDefinition("recorded").params()
    out: dict[str, object] = {}
    for half_life in (7.0, 30.0):
        params = {
            "as_of": as_of,
            "won_deals_only": False,
            **attribution.sql_parameters(half_life),
            **mql,
        }
        times, cpus = [], []
        for _ in range(runs):
            cur = ws.cursor()
            try:
                t, c = time.perf_counter(), _cpu()
                cur.execute(q.sql, q.bind(params)).fetchall()
                times.append(time.perf_counter() - t)
                cpus.append(_cpu() - c)
            finally:
                cur.close()
        out[f"credit_{half_life:g}d_median_s"] = round(statistics.median(times), 3)
        out[f"credit_{half_life:g}d_median_cpu_s"] = round(statistics.median(cpus), 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--touches", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("step", choices=("check", "import", "undo", "rebuild", "credit"))
    args = ap.parse_args()
    ws = Workspace(args.db)
    try:
        if args.step == "check":
            out = _check(ws)
        elif args.step == "import":
            out = _import(ws, args.db, args.touches)
        elif args.step == "undo":
            out = _undo(ws, args.db)
        elif args.step == "rebuild":
            out = _rebuild(ws)
        else:
            out = _credit(ws, args.runs)
    finally:
        ws.close()
    out.update(
        step=args.step,
        code="023" if NEW else "022",
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        load_avg=[round(x, 1) for x in os.getloadavg()],
    )
    print(json.dumps(out, default=str))


if __name__ == "__main__":
    main()
