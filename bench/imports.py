"""Import benchmark: `flywheel import` of a 1,000,000-row deals CSV against DuckDB's own
`read_csv` of the same file into a table (the floor), both in fresh processes.

    .venv/bin/python bench/imports.py [--rows 1000000] [--runs 5] [--shape salesforce|clean|all]

Two file shapes: a Salesforce report (M/D/YYYY dates, "1,234" amounts: the parsers' slow path)
and a clean export (ISO dates, plain numbers: the floor's best case, so the ratio there shows
the engine's own overhead).

Both sides are timed as whole processes (interpreter start, imports, reading, writing, closing
the file), alternately, each into a new workspace file; the figure that counts is the ratio of
the medians, because these machines are shared and noisy. Target: ratio <= 2.0, peak RSS of
the import <= 1 GB (<= 2 GB for 10M rows, issue 18). Which step of the import holds its memory:
bench/import_stages.py (peak RSS per step, DuckDB's memory and spill beside it).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT / "bench"))

from pages import machine  # noqa: E402

RATIO_TARGET = 2.0
RSS_TARGET_MB = 1024  # up to a million rows; 2 GB for the 10M-row file (issue 18)
RSS_TARGET_10M_MB = 2048
STAGES = ["Prospecting", "Qualification", "Proposal/Price Quote", "Closed Won", "Closed Lost"]
SOURCES = ["Web", "Partner Referral", "Cold Call", "Trade Show", "Paid Search", "Webinar"]

FLOOR = """
import sys, time, duckdb
t = time.perf_counter()
con = duckdb.connect(sys.argv[2])
con.execute("set enable_progress_bar = false")
con.execute("create table t as select * from read_csv($p)", {"p": sys.argv[1]})
con.close()
print(time.perf_counter() - t)
"""


CHUNK_ROWS = 1_000_000  # larger files are written a million rows at a time (bounded memory)


def _write(path: Path, rows: int, seed: int, frame_of) -> None:
    """Up to CHUNK_ROWS: one frame from ``seed`` (the 1M files as they always were); beyond,
    a frame per million rows, each from its own stream, ids continuing."""
    if rows <= CHUNK_ROWS:
        frame_of(np.random.default_rng(seed), rows, 0).to_csv(path, index=False)
        return
    with path.open("w", newline="") as fh:
        for k, first in enumerate(range(0, rows, CHUNK_ROWS)):
            n = min(CHUNK_ROWS, rows - first)
            frame = frame_of(np.random.default_rng([seed, k]), n, first)
            frame.to_csv(fh, index=False, header=k == 0)


def _salesforce_frame(rng: np.random.Generator, rows: int, first: int) -> pd.DataFrame:
    created = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 900, rows), unit="D")
    closed = created + pd.to_timedelta(rng.integers(3, 180, rows), unit="D")
    stage = rng.integers(0, len(STAGES), rows)
    return pd.DataFrame(
        {
            "Opportunity ID": np.char.add("006", np.arange(first, first + rows).astype("U9")),
            "Opportunity Name": np.char.add("Deal ", rng.integers(1, 99999, rows).astype("U5")),
            "Account Name": np.char.add("Acct ", rng.integers(1, 9999, rows).astype("U4")),
            "Stage": np.array(STAGES)[stage],
            "Amount": [f"{a:,}" for a in rng.integers(500, 250_000, rows)],
            "Created Date": created.strftime("%-m/%-d/%Y"),
            "Close Date": closed.strftime("%-m/%-d/%Y"),
            "Opportunity Owner": np.char.add("Rep ", rng.integers(1, 60, rows).astype("U2")),
            "Lead Source": np.array(SOURCES)[rng.integers(0, len(SOURCES), rows)],
        }
    )


def _clean_frame(rng: np.random.Generator, rows: int, first: int) -> pd.DataFrame:
    created = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 900, rows), unit="D")
    closed = created + pd.to_timedelta(rng.integers(3, 180, rows), unit="D")
    return pd.DataFrame(
        {
            "Deal ID": np.char.add("D", np.arange(first, first + rows).astype("U9")),
            "Deal Name": np.char.add("Deal ", rng.integers(1, 99999, rows).astype("U5")),
            "Account Name": np.char.add("Acct ", rng.integers(1, 9999, rows).astype("U4")),
            "Stage": np.array(STAGES)[rng.integers(0, len(STAGES), rows)],
            "Amount": (rng.integers(50_000, 25_000_000, rows) / 100).round(2),
            "Created Date": created.strftime("%Y-%m-%d"),
            "Close Date": closed.strftime("%Y-%m-%d"),
            "Owner": np.char.add("Rep ", rng.integers(1, 60, rows).astype("U2")),
            "Lead Source": np.array(SOURCES)[rng.integers(0, len(SOURCES), rows)],
        }
    )


def make_csv(path: Path, rows: int) -> None:
    """A Salesforce-shaped opportunity report: M/D/YYYY dates, amounts with thousands
    separators, expected close dates on open deals. About 80 bytes a row."""
    _write(path, rows, 7, _salesforce_frame)


def make_clean_csv(path: Path, rows: int) -> None:
    """A clean export: ISO dates, plain decimal amounts, no thousands separators."""
    _write(path, rows, 11, _clean_frame)


SHAPES = {"salesforce": ("deals", make_csv), "clean": ("clean", make_clean_csv)}


def timed(cmd: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MB, stdout) of one child process."""
    start = time.perf_counter()
    # the app refuses files over 200 MB by default; the 10M-row file (~880 MB) needs more
    env = {**os.environ, "FLYWHEEL_IMPORT_LIMIT_MB": "4096"}
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out = proc.stdout.read().decode() if proc.stdout else ""
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{out}\n{err}")
    return wall, usage.ru_maxrss / 1024, out


def bench(csv: Path, runs: int, rss_target: float) -> dict:
    python = sys.executable
    flywheel = str(Path(python).parent / "flywheel")
    floor, ours, rss_floor, rss_ours, inner = [], [], [], [], []
    out = ""
    for run in range(runs):
        for db in OUT.glob("import-bench-*.duckdb*"):
            db.unlink()
        wall, rss, out = timed([python, "-c", FLOOR, str(csv), str(OUT / "import-bench-f.duckdb")])
        floor.append(wall)
        rss_floor.append(rss)
        inner.append(float(out.strip().splitlines()[-1]))
        wall, rss, out = timed(
            [
                flywheel,
                "import",
                str(csv),
                "--kind",
                "deals",
                "--db",
                str(OUT / "import-bench-o.duckdb"),
            ]
        )
        ours.append(wall)
        rss_ours.append(rss)
        print(
            f"  run {run + 1}: floor {floor[-1]:.2f} s, flywheel import {ours[-1]:.2f} s",
            flush=True,
        )
    loaded = out.splitlines()
    for db in OUT.glob("import-bench-*.duckdb*"):
        db.unlink()
    f_med, o_med = statistics.median(floor), statistics.median(ours)
    ratio = o_med / f_med
    rss = max(rss_ours)
    print(
        f"DuckDB read_csv → table (floor): median {f_med:.2f} s "
        f"(inside the process {statistics.median(inner):.2f} s), peak RSS {max(rss_floor):.0f} MB"
    )
    print(f"flywheel import:                 median {o_med:.2f} s, peak RSS {rss:.0f} MB")
    print(
        f"ratio {ratio:.2f} (target <= {RATIO_TARGET}) "
        f"{'met' if ratio <= RATIO_TARGET else 'MISSED'}; "
        f"RSS {'met' if rss <= rss_target else 'MISSED'} (target <= {rss_target:.0f} MB)"
    )
    print("last import said:", *loaded[:3], sep="\n  ")
    return {
        "floor_s": floor,
        "import_s": ours,
        "ratio": ratio,
        "rss_mb": rss,
        "floor_rss_mb": max(rss_floor),
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--shape", choices=[*SHAPES, "all"], default="all")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print(machine())
    results = {}
    for shape, (prefix, make) in SHAPES.items():
        if args.shape not in (shape, "all"):
            continue
        csv = OUT / f"{prefix}-{args.rows}.csv"
        if not csv.exists():
            print(f"writing {csv} ...", flush=True)
            make(csv, args.rows)
        print(
            f"\n[{shape}] file: {csv.name}, {args.rows:,} rows, {csv.stat().st_size / 2**20:.1f} MB"
        )
        rss_target = RSS_TARGET_MB if args.rows <= CHUNK_ROWS else RSS_TARGET_10M_MB
        results[shape] = bench(csv, args.runs, rss_target)
    print()
    for shape, r in results.items():
        print(f"{shape:<10} ratio to the read_csv floor {r['ratio']:.2f}, RSS {r['rss_mb']:.0f} MB")
    name = "imports-latest.json" if args.rows == 1_000_000 else f"imports-{args.rows}.json"
    (OUT / name).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
