"""Interaction benchmark: the server time of each click, on every page: every tab, the in-tab
controls (Funnel health's, the campaign calendar's rows/colours/zoom and attribution model, the
scenario planner's views and sliders, Market's and 4P's pickers) and a sidebar filter change on
each page.

    .venv/bin/python bench/interactions.py [--runs 5] [--db PATH] [--only TEXT]

A click reruns the page. Each interaction is timed two ways, median of ``--runs``:
- as clicked: from the view the click is made on (its queries already in Flywheel's cache, as
  they are for a user who just looked at it), the rerun the click triggers;
- all queries: the same rerun with the query cache dropped first, so every query of the new
  view runs (the worst case: a view nobody has opened with these filters yet).
Measured on the large workspace of bench/pages.py (built there) and on the scale-1 sample as a
baseline in the same run: these machines are shared and noisy, compare ratios.
Targets (issue 18), at 5M leads / 1M deals: every interaction <= 300 ms as clicked and <= 400
ms with every query rerun; the verdict is printed per line. A sidebar filter
changed on a view is timed as clicked too: the filter-independent queries (filter options, the
data's date range) stay cached, every other query of the view runs. Opening the page (its
default view) is timed by bench/pages.py. Saving the handoff settings writes to the
workspace and is not timed here.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

TARGET_MS = 300  # as clicked
TARGET_ALL_MS = 400  # with every query rerun
FUNNEL = "app_pages/funnel.py"
TAB_KEY = "funnel_tab"
PERIOD_KEY = "filter_period"
PRODUCT_KEY = "filter_product"
# (page, label, the view the click is made on, the click): each a list of (widget key, value);
# a value "tab:<catalogue key>" is the translated label of a tab, "+step" moves a slider one
# step, "-quarter" moves the period three months back, "first" picks a multiselect's first
# option
OVERVIEW, MARKET, P4 = "app_pages/overview.py", "app_pages/market.py", "app_pages/strategy_4p.py"
CAMPAIGNS, SCENARIOS, DATA = "app_pages/campaigns.py", "app_pages/scenarios.py", "app_pages/data.py"
P4_TAB, SCN_TAB = "strategy_4p_tab", "scn_view"
RESULTS = ("campaigns_tab", "tab:campaigns.tab.results")
TABS = ("handoff", "score", "cohorts", "velocity", "stuck", "pipeline", "economics")
OTHER_TABS = {
    "app_pages/market.py": (
        "market_tab",
        "market.tab.{}",
        ("segments", "competitors", "insight", "target"),
    ),
    "app_pages/strategy_4p.py": (
        "strategy_4p_tab",
        "strategy_4p.tab_{}",
        ("product", "price", "place", "promotion", "budget"),
    ),
    "app_pages/campaigns.py": (
        "campaigns_tab",
        "campaigns.tab.{}",
        ("edit", "pacing", "results", "forecast"),
    ),
}


def _tab(name: str) -> str:
    return f"tab:funnel.tab.{name}"


INTERACTIONS: list[tuple[str, str, list, list]] = [
    (FUNNEL, "lifecycle: by period", [], [("funnel_view", "period")]),
    (FUNNEL, "lifecycle: split by segment", [], [("funnel_split", "segment")]),
    *[(FUNNEL, f"tab: {tab}", [], [(TAB_KEY, _tab(tab))]) for tab in TABS],
    (
        FUNNEL,
        "lead score: threshold",
        [(TAB_KEY, _tab("score"))],
        [("funnel_score_threshold", "+step")],
    ),
    (FUNNEL, "cohorts: push", [(TAB_KEY, _tab("cohorts"))], [("funnel_cohort_motion", "push")]),
    (FUNNEL, "stuck deals: 3x", [(TAB_KEY, _tab("stuck"))], [("funnel_stuck_multiple", 3.0)]),
    # a sidebar filter changed on a tab: every query of the view runs again
    (FUNNEL, "period -3 months: lifecycle", [], [(PERIOD_KEY, "-quarter")]),
    *[
        (FUNNEL, f"period -3 months: {tab}", [(TAB_KEY, _tab(tab))], [(PERIOD_KEY, "-quarter")])
        for tab in TABS
    ],
    (FUNNEL, "product filter: lifecycle", [], [(PRODUCT_KEY, "first")]),
    (FUNNEL, "product filter: velocity", [(TAB_KEY, _tab("velocity"))], [(PRODUCT_KEY, "first")]),
    *[
        (page, f"{page.split('/')[-1][:-3]} tab: {tab}", [], [(key, f"tab:{label.format(tab)}")])
        for page, (key, label, tabs) in OTHER_TABS.items()
        for tab in tabs
    ],
    # in-tab controls of the other pages
    (CAMPAIGNS, "campaigns: rows by stage", [], [("campaigns_group_by", "objective")]),
    (CAMPAIGNS, "campaigns: colour by motion", [], [("campaigns_color_by", "motion")]),
    (CAMPAIGNS, "campaigns: zoom to quarter", [], [("campaigns_zoom", "quarter")]),
    *[
        (CAMPAIGNS, f"attribution: {model}", [RESULTS], [("campaigns_model", model)])
        for model in ("last_touch", "linear", "u_shaped", "w_shaped", "time_decay")
    ],
    (
        CAMPAIGNS,
        "attribution: half-life 30 days",
        [RESULTS, ("campaigns_model", "time_decay")],
        [("campaigns_half_life", 30.0)],
    ),
    (MARKET, "market: linear scale", [], [("market_log", False)]),
    (
        P4,
        "4P trend: win rate",
        [(P4_TAB, "tab:strategy_4p.tab_product")],
        [("mix_trend_metric", "win_rate")],
    ),
    *[
        (SCENARIOS, f"planner view: {v}", [], [(SCN_TAB, f"tab:scenarios.tab.{v}")])
        for v in ("plan", "compare", "check")
    ],
    *[
        (SCENARIOS, f"planner: {label}", [(SCN_TAB, "tab:scenarios.tab.plan")], [(key, "+step")])
        for label, key in (
            ("budget", "scn_budget"),
            ("marketing share", "scn_share"),
            ("quarters", "scn_quarters"),
            ("MQL uplift", "scn_mql_uplift"),
        )
    ],
    # a sidebar filter changed on every other page's first view
    *[
        (page, f"period -3 months: {page.split('/')[-1][:-3]}", [], [(PERIOD_KEY, "-quarter")])
        for page in (OVERVIEW, MARKET, P4, CAMPAIGNS, SCENARIOS, DATA)
    ],
]


def _value(at, key: str, value: object) -> object:
    from components.i18n import translate

    if value == "+step":  # a slider, or a number input (the planner's budget)
        try:
            slider = at.slider(key=key)
            return min(slider.value + slider.step, slider.max)
        except KeyError:
            box = at.number_input(key=key)
            return box.value + box.step
    if value == "-quarter":
        import pandas as pd

        back = pd.DateOffset(months=3)
        return tuple((pd.Timestamp(day) - back).date() for day in at.session_state[key])
    if value == "first":
        return at.multiselect(key=key).options[:1]
    if isinstance(value, str) and value.startswith("tab:"):
        return translate(value[4:], "en")
    return value


def run_one(db: str, runs: int, only: str = "") -> None:
    """In a fresh process: time every interaction (``only``: those whose label holds it); prints
    one JSON line."""
    os.environ["FLYWHEEL_DB"] = db
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    results = []
    for page, label, view, click in INTERACTIONS:
        if only not in label:
            continue
        clicked, cold, errors = [], [], []
        for _ in range(runs + 1):  # the first round warms DuckDB's buffers and is dropped
            st.cache_data.clear()  # nothing left from the last round
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
            at.run()
            at.switch_page(page).run()
            for key, value in view:
                at.session_state[key] = _value(at, key, value)
                at.run()
            for key, value in click:
                at.session_state[key] = _value(at, key, value)
            start = time.perf_counter()
            at.run()
            clicked.append(time.perf_counter() - start)
            st.cache_data.clear()
            start = time.perf_counter()
            at.run()
            cold.append(time.perf_counter() - start)
            errors += [str(e.value) for e in at.exception]
        results.append(
            {
                "page": page,
                "interaction": label,
                "clicked_ms": statistics.median(clicked[1:]) * 1000,
                "all_queries_ms": statistics.median(cold[1:]) * 1000,
                "errors": errors,
            }
        )
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"results": results, "peak_rss_mb": rss_mb}))


def measure(db: Path, runs: int, only: str = "") -> dict:
    from bench.pages import json_line

    found = json_line([__file__, "--one", str(db), "--runs", str(runs), "--only", only])
    if "error" in found:
        raise SystemExit(f"measuring {db} failed:\n{found['error']}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path, default=OUT / "large-200-333.4.duckdb")
    parser.add_argument(
        "--only", default="", help="time only the interactions whose label holds this text"
    )
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        run_one(args.one, args.runs, args.only)
        return 0

    from bench.pages import build, machine, sizes

    print("machine:", machine())
    small = OUT / "sample-1.duckdb"
    build(small, 1, None)
    if not args.db.exists():
        build(args.db, 200, 333.4)
    leads, deals = sizes(args.db)
    print(f"large: {leads:,} leads, {deals:,} deals ({args.db.name}); baseline: scale-1 sample")
    base = {r["interaction"]: r for r in measure(small, args.runs, args.only)["results"]}
    big = measure(args.db, args.runs, args.only)
    print(f"\nmedian of {args.runs} runs (ms; x = ratio to the scale-1 baseline)")
    print(f"{'interaction':<34}{'as clicked':>12}{'x':>6}{'all queries':>13}{'x':>6}  status")
    over = []
    for r in big["results"]:
        b = base[r["interaction"]]
        met = (
            r["clicked_ms"] <= TARGET_MS
            and r["all_queries_ms"] <= TARGET_ALL_MS
            and not r["errors"]
        )
        if not met:
            over.append(r)
        status = "ok" if met else ("errors" if r["errors"] else "over")
        print(
            f"{r['interaction']:<34}{r['clicked_ms']:>12.0f}"
            f"{r['clicked_ms'] / b['clicked_ms']:>6.1f}{r['all_queries_ms']:>13.0f}"
            f"{r['all_queries_ms'] / b['all_queries_ms']:>6.1f}  {status}"
        )
    worst = max((r["all_queries_ms"] for r in big["results"] if r["page"] == FUNNEL), default=0)
    print(
        f"\npeak RSS {big['peak_rss_mb']:.0f} MB; "
        f"Funnel health, slowest with every query rerun: {worst:.0f} ms"
    )
    print(
        f"target (every click <= {TARGET_MS} ms as clicked, <= {TARGET_ALL_MS} ms with every "
        f"query rerun): {len(big['results']) - len(over)} of {len(big['results'])} met"
        + ("" if not over else "; over: " + ", ".join(r["interaction"] for r in over))
    )
    (OUT / "interactions-latest.json").write_text(
        json.dumps({"machine": machine(), "baseline": base, "large": big}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
