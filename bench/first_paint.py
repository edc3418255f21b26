"""First paint: from navigation to the first chart drawn, in headless Chromium, per page.

    .venv/bin/python bench/first_paint.py [--runs 5] [--large PATH | --no-large] [--pages ...]

Starts a real Streamlit server (with FLYWHEEL_TIMING=1) on a copy of the scale-1 sample and then
on the large generated workspace of bench/pages.py (5,026,132 leads / 1,000,200 deals, built by
it and cached in bench/out/), and opens every page ``--runs`` times, each time in a new browser
context — a new visitor, so a new Streamlit session that runs the whole app (shell and page).
For each visit it records, from the browser's navigation start:

- **first chart**: the first Plotly chart's SVG in the page (the first element of the main block
  on a page without a chart, marked "*");
- **finished**: the script has finished and the page stopped changing (tests/browser.py's rule;
  the end is the last change, not the second that confirmed it).

The first visit of each page is reported apart ("first"): its queries were never run on this
server. The median is over the later visits (warm server caches, new session). Target (issue 18):
first chart <= 2 s.

The server prints one ``flywheel-timing`` line per script run (app.py): the **shell**'s cost —
language, sign-in, workspace, the sidebar filters and the navigation, which every click pays —
and the page's own. Their medians over every run of the benchmark are printed per workspace.

The browser runs on the same cores as the server: on a 2-core machine its rendering competes
with the server, so the figures are pessimistic.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import OUT, machine  # noqa: E402
from components.ui.navigation import PAGES, url_path  # noqa: E402
from queries.workspace import SAMPLE_PATH  # noqa: E402
from tests.browser import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    streamlit_server,
    wait_for_page,
)

TARGET_FIRST_CHART_S = 2.0
TIMEOUT_MS = 180_000
# Set in every visit from its start: when the first chart (or, failing that, the first element
# of the main block) appeared and when the main block last changed, in ms since navigation.
WATCH = """
window.__fp = {chart: null, element: null, last: 0};
(function tick() {
  const now = performance.now();
  if (window.__fp.chart === null &&
      document.querySelector('[data-testid="stMain"] [data-testid="stPlotlyChart"] .main-svg'))
    window.__fp.chart = now;
  if (window.__fp.element === null &&
      document.querySelector('[data-testid="stMain"] [data-testid="stElementContainer"]'))
    window.__fp.element = now;
  requestAnimationFrame(tick);
})();
new MutationObserver((records) => {
  for (const r of records) {
    const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    if (el && el.closest('[data-testid="stMain"]')) window.__fp.last = performance.now();
  }
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
TIMING = re.compile(r"flywheel-timing shell_ms=([\d.]+) page_ms=([\d.]+) page=(\S+)")


# When Streamlit's Plotly code (its largest chunk, loaded on demand) was requested and loaded.
PLOTLY_CHUNK = """() => {
  const e = performance.getEntriesByType('resource')
    .find(r => /PlotlyChart\\.[^/]*\\.js/.test(r.name));
  return e ? [e.startTime, e.responseEnd] : null;
}"""


def visit(browser, url: str) -> tuple[float, bool, float, tuple[float, float] | None]:
    """One new visitor: (first chart or element in s, whether it was a chart, finished in s,
    the Plotly chunk's request and load in s or None)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        page.add_init_script(WATCH)
        page.goto(url, timeout=TIMEOUT_MS)
        wait_for_page(page, timeout_ms=TIMEOUT_MS)  # the times are read from WATCH's marks
        fp = page.evaluate("window.__fp")
        first = fp["chart"] if fp["chart"] is not None else fp["element"]
        chunk = page.evaluate(PLOTLY_CHUNK)
        return (
            first / 1000,
            fp["chart"] is not None,
            max(fp["last"], first) / 1000,
            None if chunk is None else (chunk[0] / 1000, chunk[1] / 1000),
        )
    finally:
        context.close()


def _chunk_medians(seen: list[tuple[float, float] | None]) -> tuple[float, float] | None:
    """The medians of the Plotly chunk's request and load over the visits that fetched it."""
    got = [c for c in seen if c is not None]
    if not got:
        return None
    return statistics.median(c[0] for c in got), statistics.median(c[1] for c in got)


def bench_workspace(label: str, db: Path, pages: list[str], runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with streamlit_server(db, timeout=600, env={"FLYWHEEL_TIMING": "1"}) as base:
        log = next(db.parent.glob(f"streamlit-{base.rsplit(':', 1)[1]}.log"))
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
            try:
                start = time.perf_counter()
                visit(browser, f"{base}/?lang=en")  # the server's very first run, apart
                server_first = time.perf_counter() - start
                for script in pages:
                    url = f"{base}/{url_path(script)}?lang=en"
                    seen = [visit(browser, url) for _ in range(runs + 1)]
                    rows.append(
                        {
                            "workspace": label,
                            "page": Path(script).stem,
                            "chart": all(s[1] for s in seen),
                            "first_s": seen[0][0],
                            "first_chart_s": statistics.median(s[0] for s in seen[1:]),
                            "finished_s": statistics.median(s[2] for s in seen[1:]),
                            "chunk": _chunk_medians([s[3] for s in seen[1:]]),
                        }
                    )
            finally:
                browser.close()
        runs_seen = [m.groups() for m in TIMING.finditer(log.read_text())]
    shell = [float(s) for s, _, _ in runs_seen]
    page_ms = [float(p) for _, p, _ in runs_seen]
    print(
        f"\n{label}: the server's first visit took {server_first:.1f} s; "
        f"{len(runs_seen)} script runs: shell median {statistics.median(shell):.0f} ms "
        f"(p95 {sorted(shell)[int(0.95 * (len(shell) - 1))]:.0f}), "
        f"page median {statistics.median(page_ms):.0f} ms"
    )
    return rows


def _chunk_text(chunk: tuple[float, float] | None) -> str:
    return "—" if chunk is None else f"{chunk[0]:.1f}–{chunk[1]:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--large", type=Path, default=OUT / "large-200-333.4.duckdb")
    parser.add_argument("--no-large", action="store_true")
    parser.add_argument("--pages", nargs="*", help="page file stems (default: every page)")
    args = parser.parse_args()
    pages = [p for p, _, _ in PAGES if not args.pages or Path(p).stem in args.pages]
    if chromium_path() is None:
        print("Chromium not found (/usr/bin/chromium)", file=sys.stderr)
        return 1
    print(machine())
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "sample.duckdb"
        shutil.copy(SAMPLE_PATH, small)
        rows += bench_workspace("sample (scale 1)", small, pages, args.runs)
    if not args.no_large:
        if not args.large.exists():
            print(f"{args.large} is missing: run bench/pages.py first to build it", file=sys.stderr)
            return 1
        rows += bench_workspace(f"large ({args.large.name})", args.large, pages, args.runs)
    print(
        f"\nmedian of {args.runs} new visitors after the first; * = no chart on the page "
        "(first element instead); plotly s: when Streamlit's Plotly code was requested and "
        "loaded"
    )
    print(
        f"{'workspace':<34} {'page':<12} {'first s':>8} {'chart s':>8} {'done s':>7} "
        f"{'plotly s':>11}  verdict"
    )
    worst = 0.0
    for r in rows:
        mark = "" if r["chart"] else "*"
        ok = r["first_chart_s"] <= TARGET_FIRST_CHART_S
        worst = max(worst, r["first_chart_s"])
        print(
            f"{r['workspace']:<34} {r['page']:<12} {r['first_s']:>8.2f} "
            f"{r['first_chart_s']:>7.2f}{mark or ' '} {r['finished_s']:>7.2f} "
            f"{_chunk_text(r['chunk']):>11}  "
            f"{'ok' if ok else f'over {TARGET_FIRST_CHART_S:g} s'}"
        )
    print(f"\nslowest first chart: {worst:.2f} s (target {TARGET_FIRST_CHART_S:g} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
