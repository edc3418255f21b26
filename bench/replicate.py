"""A stand-in for the 10x point when there is no time to generate it: the 5M-lead workspace
with its leads, deals and touches copied N times under new ids (same dates, same campaigns,
reps and spend), then the lead keys, facts and links refreshed as after a sample load.

    .venv/bin/python bench/replicate.py [--times 10] [--src bench/out/large-200-333.4.duckdb]

Writes bench/out/replica-<src stem>-x<N>.duckdb (cached). Per month it has N times the 5M
point's leads, as the generator's scale 2,000 would, but the reps, campaigns and spend stay
those of scale 200, and every lead path is repeated N times. The generator's own 50M build
(`flywheel seed --scale 2000 --deals-scale 3334`, chunked) is the real thing.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from queries.workspace import Changed, Workspace, refresh_lead_facts  # noqa: E402
from sample_data.touches import COLUMNS as TOUCH_COLUMNS  # noqa: E402

LEAD_COLS = [
    "lead_id",
    "created_at",
    "source",
    "campaign_id",
    "segment",
    "region",
    "lead_score",
    "mql_at",
    "sql_at",
    "first_touch_at",
    "owner",
    "import_id",
]
DEAL_COLS = [
    "deal_id",
    "name",
    "account",
    "lead_id",
    "created_at",
    "closed_at",
    "stage",
    "outcome",
    "amount",
    "currency",
    "product",
    "segment",
    "region",
    "owner",
    "source",
    "campaign_id",
    "discount_pct",
    "lost_reason",
    "import_id",
]
IDS = {"lead_id": ("L-%08d", 0), "deal_id": ("D-%07d", 1), "touch_id": ("T-%08d", 2)}


def replicate(src: Path, dst: Path, times: int) -> float:
    start = time.perf_counter()
    shutil.copyfile(src, dst)
    ws = Workspace(dst)  # migrates to this code's schema
    try:
        ws.con.execute("set memory_limit = '6GB'")
        counts = [
            int(ws.scalar(f"select count(*) from {t}"))
            for t in ("raw_leads", "raw_deals", "touches")
        ]
        for table, cols in (
            ("raw_leads", LEAD_COLS),
            ("raw_deals", DEAL_COLS),
            ("touches", TOUCH_COLUMNS),
        ):
            sel = []
            for c in cols:
                if c in IDS:
                    fmt, k = IDS[c]
                    sel.append(
                        f"case when {c} is null then null else printf('{fmt}', "
                        f"substr({c}, 3)::bigint + copy * {counts[k]}) end"
                    )
                else:
                    sel.append(c)
            with ws.transaction() as cur:
                cur.execute(
                    f"insert into {table} ({', '.join(cols)}) select {', '.join(sel)} "
                    f"from {table}, range(1, {times}) as copies(copy)"
                )
            print(f"  {table}: x{times} in {time.perf_counter() - start:.0f} s", flush=True)
        with ws.transaction() as cur:
            # files cached before migration 014 gained its macros lack them: made here again
            sql = (ROOT / "queries" / "migrations" / "014_linked_records.sql").read_text()
            for stmt in re.findall(r"create macro .*?\);", sql, flags=re.S):
                cur.execute(stmt.replace("create macro", "create or replace macro", 1))
            refresh_lead_facts(cur, Changed.ALL)
        ws.con.execute("checkpoint")
    finally:
        ws.close()
    return time.perf_counter() - start


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--times", type=int, default=10)
    ap.add_argument("--src", type=Path, default=OUT / "large-200-333.4.duckdb")
    args = ap.parse_args()
    dst = OUT / f"replica-{args.src.stem}-x{args.times}.duckdb"
    if dst.exists():
        print(f"{dst} exists")
        return 0
    took = replicate(args.src, dst, args.times)
    print(f"wrote {dst} ({dst.stat().st_size / 2**20:,.0f} MB) in {took:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
