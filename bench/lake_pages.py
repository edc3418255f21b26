"""Pages on a lake beside the same workspace in a file (issue 19, item 7).

    .venv/bin/python bench/lake_pages.py FILE TARGET [--runs 1] [--page app_pages/funnel.py ...]
        [--pg-log /path/to/postgresql.log]

FILE is a workspace file, TARGET a ``ducklake:`` target holding a copy of it (``flywheel
workspace copy FILE TARGET``). Each page is timed in a fresh process by bench/measure_page.py
(a cold run, then warm runs with Flywheel's query cache dropped), file then lake, with each
process's peak RSS, and printed as one table. The machine is shared and noisy: compare the two
columns, not absolutes.

With ``--pg-log`` (the log of a PostgreSQL started with ``-c log_statement=all``, used by
nothing else meanwhile), each page is drawn once more on the lake in another fresh process and
the catalog statements of its warm run (query cache dropped) are counted: the round trips a
page pays to PostgreSQL.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import json_line  # noqa: E402
from components.ui.navigation import PAGES  # noqa: E402


def _statements(log: Path, start: int) -> int:
    """The statements PostgreSQL logged after byte ``start`` of its log."""
    with log.open("rb") as f:
        f.seek(start)
        text = f.read().decode("utf-8", "replace")
    return sum(
        1 for line in text.splitlines() if "LOG:  statement:" in line or "LOG:  execute" in line
    )


def count_one(target: str, page: str, log: Path) -> None:
    """In this fresh process: draw ``page`` on ``target`` cold, then once more with the query
    cache dropped, counting the catalog statements of that warm run. Prints one JSON line."""
    os.environ["FLYWHEEL_DB"] = target
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    if page != "app_pages/overview.py":
        at.switch_page(page).run()
    st.cache_data.clear()
    start = log.stat().st_size
    at.run()
    print(json.dumps({"statements": _statements(log, start), "errors": len(at.exception)}))


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--count-one":
        count_one(sys.argv[2], sys.argv[3], Path(sys.argv[4]))
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("target")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--page", action="append", default=[])
    ap.add_argument("--pg-log", type=Path, default=None)
    args = ap.parse_args()
    pages = args.page or [script for script, _, _ in PAGES]
    measure = str(ROOT / "bench" / "measure_page.py")
    print(
        "| page | file cold / warm ms | lake cold / warm ms | lake / file (warm) "
        "| peak RSS file / lake MB | catalog statements (lake, warm run) |"
    )
    print("|---|---|---|---|---|---|")
    for page in pages:
        got = [json_line([measure, db, page, str(args.runs)]) for db in (args.file, args.target)]
        cells = []
        for r in got:
            if "error" in r or r.get("errors"):
                cells.append("error: " + str(r.get("error") or r.get("errors"))[:200])
            else:
                cells.append(f"{r['cold_ms']:,.0f} / {r['warm_median_ms']:,.0f}")
        ratio = (
            f"{got[1]['warm_median_ms'] / got[0]['warm_median_ms']:.1f}×"
            if all("warm_median_ms" in r for r in got)
            else "—"
        )
        rss = " / ".join(f"{r['peak_rss_mb']:,.0f}" if "peak_rss_mb" in r else "—" for r in got)
        counted = "—"
        if args.pg_log is not None:
            c = json_line([__file__, "--count-one", args.target, page, str(args.pg_log)])
            counted = str(c.get("statements", c.get("error", "—")))[:200]
        print(
            f"| {Path(page).stem} | {cells[0]} | {cells[1]} | {ratio} | {rss} | {counted} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
