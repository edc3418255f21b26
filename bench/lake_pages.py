"""Pages on a lake beside the same workspace in a file (issue 19, item 7).

    .venv/bin/python bench/lake_pages.py FILE TARGET [--runs 1] [--page app_pages/funnel.py ...]

FILE is a workspace file, TARGET a ``ducklake:`` target holding a copy of it (``flywheel
workspace copy FILE TARGET``). Each page is timed in a fresh process by bench/measure_page.py
(a cold run, then warm runs with Flywheel's query cache dropped), file then lake, and printed
as one table. The machine is shared and noisy: compare the two columns, not absolutes.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import json_line  # noqa: E402
from components.ui.navigation import PAGES  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("file")
    ap.add_argument("target")
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--page", action="append", default=[])
    args = ap.parse_args()
    pages = args.page or [script for script, _, _ in PAGES]
    measure = str(ROOT / "bench" / "measure_page.py")
    print("| page | file cold / warm ms | lake cold / warm ms | lake / file (warm) |")
    print("|---|---|---|---|")
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
        print(f"| {Path(page).stem} | {cells[0]} | {cells[1]} | {ratio} |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
