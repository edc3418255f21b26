"""Peak RSS of each step of one `flywheel import` (issue 18: which step holds the memory).

    .venv/bin/python bench/import_stages.py bench/out/deals-1000000.csv [--kind deals]

Runs the CLI's import in this process with the steps of queries/ingest wrapped: each step
resets the kernel's high-water mark (/proc/self/clear_refs) on entry and reads it (VmHWM) on
exit, so its figure is the peak RSS reached while it ran; beside it, the RSS left after it and
what DuckDB says it holds (duckdb_memory(): in memory, spilled to temp files).
"""

from __future__ import annotations

import argparse
import functools
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _status(field: str) -> int:
    text = Path("/proc/self/status").read_text()
    return int(re.search(rf"{field}:\s+(\d+)", text).group(1)) // 1024


def _reset_peak() -> None:
    Path("/proc/self/clear_refs").write_text("5")


ROWS: list[tuple[int, str, float, int, int, str]] = []
_stack: list[list[int]] = []  # per open step: the highest peak seen in it so far


def _duck(ws) -> str:
    try:
        mem, tmp = ws.con.execute(
            "select sum(memory_usage_bytes), sum(temporary_storage_bytes) from duckdb_memory()"
        ).fetchone()
        return f"{mem / 2**20:,.0f} / {tmp / 2**20:,.0f}"
    except Exception:
        return "-"


WS = {}


def tags(ws) -> str:
    rows = ws.con.execute(
        "select tag, memory_usage_bytes, temporary_storage_bytes from duckdb_memory() "
        "where memory_usage_bytes + temporary_storage_bytes > 0 order by 2 desc"
    ).fetchall()
    return ", ".join(f"{t} {m / 2**20:,.0f}/{s / 2**20:,.0f}" for t, m, s in rows)


def wrap(owner, name: str, label: str) -> None:
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def step(*a, **k):
        if _stack:
            _stack[-1][0] = max(_stack[-1][0], _status("VmHWM"))
        _reset_peak()
        _stack.append([0])
        depth = len(_stack) - 1
        at = len(ROWS)
        ROWS.append((depth, label, 0.0, 0, 0, ""))
        t = time.perf_counter()
        try:
            return fn(*a, **k)
        finally:
            peak = max(_stack.pop()[0], _status("VmHWM"))
            ROWS[at] = (
                depth,
                label,
                time.perf_counter() - t,
                peak,
                _status("VmRSS"),
                _duck(WS["ws"]) if "ws" in WS else "-",
            )
            if _stack:
                _stack[-1][0] = max(_stack[-1][0], peak)
            if os.environ.get("STAGES_TAGS") and "ws" in WS:
                with __import__("contextlib").suppress(Exception):
                    print(f"after {label}: {tags(WS['ws'])}", file=sys.stderr)
            _reset_peak()

    setattr(owner, name, step)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--kind", default="deals")
    ap.add_argument("--db", type=Path, help="import into this workspace (a copy: it is written)")
    ap.add_argument(
        "--import-limit",
        help="DuckDB's memory_limit while an import step runs (default: the engine's, "
        "queries.workspace.IMPORT_MEMORY_LIMIT; the workspace's own, e.g. 12GB, shows the "
        "unbounded import)",
    )
    args = ap.parse_args()
    os.environ.setdefault("FLYWHEEL_IMPORT_LIMIT_MB", "4096")

    import flywheel_import
    from queries import workspace, workspaces
    from queries.ingest import check, currency, engine, files, history, write

    wrap(files, "inspect", "files.inspect (check, hash, clean copy)")
    wrap(files, "stage", "files.stage (read_csv → temp stage)")
    wrap(engine.Plan, "configure", "plan.configure (detect, mapping, stages)")
    wrap(engine.Plan, "validate", "plan.validate")
    wrap(check, "_value_tables", "check value tables")
    wrap(check, "_derive", "check._derive (stage → checked)")
    wrap(check.fast_paths, "choose", "fast_paths.choose")
    wrap(check.fast_paths, "fallback_tables", "fast_paths.fallback_tables")
    wrap(check, "_check_ids", "check._check_ids (dups, existing)")
    wrap(check, "counts", "check.counts")
    wrap(check, "rejects_frame", "check.rejects_frame")
    wrap(check, "ambiguous_dates", "check.ambiguous_dates")
    wrap(check, "existing", "check.existing")
    wrap(check, "preview", "check.preview")
    wrap(currency, "mismatches", "currency.mismatches")
    wrap(history, "earlier_import", "history.earlier_import")
    wrap(engine.Plan, "commit", "plan.commit")
    wrap(write, "_set_aside", "write._set_aside (undo copy)")
    wrap(write, "_insert", "write._insert (checked → table)")
    wrap(write, "refresh_lead_facts", "refresh_lead_facts")
    wrap(history, "record", "history.record (after rejects insert)")
    wrap(engine.Plan, "close", "plan.close (drop temp tables)")
    wrap(flywheel_import, "_links", "link report")

    if args.import_limit:
        workspace.IMPORT_MEMORY_LIMIT = args.import_limit
    real_ws = workspace.Workspace

    class Measured(real_ws):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            WS["ws"] = self

    workspace.Workspace = Measured
    workspaces.Workspace = Measured
    wrap(workspaces, "create_workspace", "create workspace (migrations)")
    wrap(real_ws, "close", "workspace close (checkpoint)")

    with tempfile.TemporaryDirectory() as tmp:
        ns = argparse.Namespace(
            db=args.db or Path(tmp) / "w.duckdb",
            dry_run=False,
            files=[args.csv],
            kind=args.kind,
            preset=None,
            map=[],
            stage=[],
            day_first=None,
            decimal_comma=None,
            sheet=None,
            limit_mb=None,
            mode="append",
            again=False,
        )
        t = time.perf_counter()
        import io
        from contextlib import redirect_stdout

        out = io.StringIO()
        with redirect_stdout(out):
            status = flywheel_import.run_import(ns)
        wall = time.perf_counter() - t
    print(
        f"{args.csv}: status {status}, {wall:.1f} s in the import, "
        f"import memory_limit {workspace.IMPORT_MEMORY_LIMIT}"
    )
    print(f"{'step':<52} {'s':>7} {'peak MB':>8} {'RSS after':>9}  duckdb MB mem / temp")
    for depth, label, secs, peak, rss, duck in ROWS:
        print(f"{'  ' * depth + label:<52} {secs:7.2f} {peak:8,} {rss:9,}  {duck}")
    print(f"peak of the import: {max(r[3] for r in ROWS):,} MB")
    print(out.getvalue().splitlines()[1] if out.getvalue() else "")
    return 0


if __name__ == "__main__":
    sys.exit(main())
