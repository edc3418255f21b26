"""Time one page in a fresh process: a cold run, then warm runs with the query caches dropped.

Run by bench/pages.py, one process per page so that "cold" means a fresh DuckDB buffer pool
and peak RSS belongs to that page alone. Prints one JSON line.
"""

from __future__ import annotations

import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    db, script, warm_runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
    os.environ["FLYWHEEL_DB"] = db
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from queries.workspace import Workspace

    # Time every named query of the warm runs (AppTest runs the page in this process), so that
    # the page's largest term can be named.
    spent: dict[str, float] = {}
    timing = False
    plain_query = Workspace.query

    def timed_query(self, name: str, **params: object):
        start = time.perf_counter()
        try:
            return plain_query(self, name, **params)
        finally:
            if timing:
                spent[name] = spent.get(name, 0.0) + time.perf_counter() - start

    Workspace.query = timed_query

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    # Open the workspace and the shell once, so the page's own cost is what is timed.
    at.run()
    st.cache_data.clear()
    start = time.perf_counter()
    if script == "app_pages/overview.py":
        at.run()
    else:
        at.switch_page(script).run()
    cold = time.perf_counter() - start
    failed = [str(e.value) for e in at.exception]
    warm = []
    timing = True
    for _ in range(warm_runs):
        st.cache_data.clear()  # every query really runs again
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
        failed += [str(e.value) for e in at.exception]
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "page": script,
                "cold_ms": cold * 1000,
                "warm_median_ms": statistics.median(warm) * 1000,
                "warm_ms": [w * 1000 for w in warm],
                "peak_rss_mb": rss_mb,
                "charts": len(at.get("plotly_chart")),
                "errors": failed,
                # mean ms per warm run of the five slowest named queries
                "top_queries": [
                    [name, ms * 1000 / max(warm_runs, 1)]
                    for name, ms in sorted(spent.items(), key=lambda x: -x[1])[:5]
                ],
            }
        )
    )


if __name__ == "__main__":
    main()
