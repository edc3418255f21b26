"""What a warm rerun (a click: query cache warm) costs per page, split by where the time goes.

    .venv/bin/python bench/rerun_split.py [--db PATH] [--runs 20] [--pages overview data ...]
                                          [--lang en|zh] [--profile N]

Runs the app in AppTest on ``--db`` (default: the sample workspace copy in a temp folder),
opens each page, reruns it twice to warm the query cache, then times ``--runs`` reruns with
nothing changed. Each rerun is split, by wrapping the functions in the script thread, into
exclusive (nested time subtracted) wall and CPU milliseconds:

- **shell**: app.py before the page (its own ``flywheel-timing shell_ms``);
- **queries**: ``state.call`` (a warm cache lookup, or the query when it was dropped);
- **views**: the registered view functions (queries and nested views subtracted): figure
  building, captions and takeaways;
- **finish**: ``theme.localise`` + ``theme.apply_brand`` in ``page.chart``;
- **plotly_chart**: ``st.plotly_chart`` (the figure's JSON and its protobuf);
- **page_other**: the rest of the page (tables, widgets, text, export controls).

The rerun's own wall time (AppTest included) and the process's CPU time (every thread) lead.

``--ab`` compares, rerun by rerun in one process (so under the same load), the app as it is
with the app without this branch's memos: the chart cache off (``page.context`` without
``charts``: every view builds and finishes its figure), Babel on every figure, the secrets
read on every ask, every path resolved and the folder listed on every rerun.

CPU time is that of the script thread (``time.thread_time``): on a loaded machine wall time
swells, CPU time much less. ``--profile N`` prints the N costliest functions (cumulative) of
one more rerun per page, profiled with cProfile inside the script thread.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import io
import json
import os
import pstats
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIMING = re.compile(r"flywheel-timing shell_ms=([\d.]+) page_ms=([\d.]+)")
CATEGORIES = ("shell", "queries", "views", "finish", "plotly_chart", "page_other")


class Split:
    """Exclusive wall/CPU time per category in the script thread (a stack of open timers)."""

    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self._stack: list[list] = []  # [category, wall start, cpu start, nested wall, nested cpu]

    def wrap(self, category: str, fn):
        def timed(*args, **kwargs):
            self._stack.append([category, time.perf_counter(), time.thread_time(), 0.0, 0.0])
            try:
                return fn(*args, **kwargs)
            finally:
                cat, w0, c0, nw, nc = self._stack.pop()
                w, c = time.perf_counter() - w0, time.thread_time() - c0
                self.wall[cat] += w - nw
                self.cpu[cat] += c - nc
                if self._stack:
                    self._stack[-1][3] += w
                    self._stack[-1][4] += c

        timed.__wrapped__ = fn
        return timed

    def reset(self) -> None:
        self.wall.clear()
        self.cpu.clear()
        self._stack.clear()


class Tee(io.TextIOBase):
    """stderr that also keeps the app's flywheel-timing lines."""

    def __init__(self, inner) -> None:
        self.inner, self.lines = inner, []

    def write(self, s: str) -> int:
        if "flywheel-timing" in s:
            self.lines.append(s)
            return len(s)
        return self.inner.write(s)

    def flush(self) -> None:
        self.inner.flush()


def instrument(split: Split) -> None:
    """Wrap what the pages call, where they look it up at call time (module attributes)."""
    import streamlit as st
    from streamlit.navigation.page import StreamlitPage

    from components.charts import theme
    from components.ui import state
    from views import registry

    registry.entries()  # import every view module
    for entry in registry.REGISTRY.values():
        module = sys.modules[entry.build.__module__]
        name = entry.build.__name__
        if getattr(module, name) is entry.build:
            setattr(module, name, split.wrap("views", entry.build))
    state.call = split.wrap("queries", state.call)
    theme.localise = split.wrap("finish", theme.localise)
    theme.apply_brand = split.wrap("finish", theme.apply_brand)
    st.plotly_chart = split.wrap("plotly_chart", st.plotly_chart)
    StreamlitPage.run = split.wrap("page_other", StreamlitPage.run)


class Memos:
    """Turns this branch's memos off and on again (``--ab``)."""

    def __init__(self) -> None:
        import dataclasses

        from components import fmt
        from components.ui import auth, page, state
        from queries import workspaces

        def context():
            return dataclasses.replace(on_context(), charts=None)

        def list_workspaces(folder: Path) -> list[Path]:
            if not folder.is_dir():
                return []
            return sorted(p for p in folder.glob(f"*{workspaces.SUFFIX}") if p.is_file())

        on_context = page.context
        F = fmt.Formatter
        self.slots = [
            (page, "context", on_context, context),
            (auth, "_secrets_table", auth._secrets_table, auth._read_table),
            (state, "resolved", state.resolved, lambda p: p.resolve()),
            (workspaces, "list_workspaces", workspaces.list_workspaces, list_workspaces),
        ] + [(F, m, getattr(F, m), getattr(F, m).__wrapped__) for m in ("money", "number", "pct")]

    def set(self, on: bool) -> None:
        for owner, name, with_memo, without in self.slots:
            setattr(owner, name, with_memo if on else without)


def profile_once(at, top: int) -> str:
    """One rerun profiled inside the script thread; the ``top`` costliest functions."""
    prof = cProfile.Profile()

    def hook(*_args):
        threading.setprofile(None)
        sys.setprofile(None)
        prof.enable()

    threading.setprofile(hook)
    try:
        at.run()
    finally:
        threading.setprofile(None)
        prof.disable()
    out = io.StringIO()
    stats = pstats.Stats(prof, stream=out).sort_stats("cumulative")
    stats.print_stats(top)
    out.write("-- the project's own functions --\n")
    stats.print_stats(str(ROOT), top)
    return out.getvalue()


def main() -> None:
    from components.ui.navigation import PAGES
    from queries.workspace import SAMPLE_PATH

    names = [p.rsplit("/", 1)[-1].removesuffix(".py") for p, _, _ in PAGES]
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", type=Path, help="workspace (default: a copy of the sample)")
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--pages", nargs="*", default=names, choices=names)
    ap.add_argument("--lang", default="en", choices=("en", "zh"))
    ap.add_argument("--profile", type=int, default=0, metavar="N")
    ap.add_argument("--json", type=Path, help="also write the medians here")
    ap.add_argument("--ab", action="store_true", help="memos off vs on, rerun by rerun")
    args = ap.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="rerun-split-"))
    db = args.db
    if db is None:
        db = tmp / "sample.duckdb"
        shutil.copyfile(ROOT / "workspaces" / SAMPLE_PATH.name, db)
    os.environ["FLYWHEEL_DB"] = str(db)
    os.environ["FLYWHEEL_TIMING"] = "1"

    from streamlit.testing.v1 import AppTest

    split = Split()
    instrument(split)
    memos = Memos() if args.ab else None
    arms = ("without", "with") if args.ab else ("",)
    tee = Tee(sys.stderr)
    results = {}
    with contextlib.redirect_stderr(tee):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=900)
        at.query_params["lang"] = args.lang
        at.run()
        for name in args.pages:
            script = next(p for p in (p for p, _, _ in PAGES) if p.endswith(f"/{name}.py"))
            at.switch_page(script).run()
            at.run()  # the query cache is warm from here on, as after a first click
            rows: dict[str, list[dict]] = {arm: [] for arm in arms}
            for i in range(args.runs * len(arms)):
                arm = arms[i % len(arms)]
                if memos is not None:
                    memos.set(arm == "with")
                split.reset()
                tee.lines.clear()
                w0, c0 = time.perf_counter(), time.process_time()
                at.run()
                wall = (time.perf_counter() - w0) * 1000
                cpu = (time.process_time() - c0) * 1000
                errors = [str(e.value) for e in at.exception]
                if errors:
                    raise SystemExit(f"{name}: {errors}")
                shell = float(TIMING.search(tee.lines[-1]).group(1)) if tee.lines else 0.0
                row = {"rerun_wall": wall, "rerun_cpu": cpu, "shell": shell}
                for cat in CATEGORIES[1:]:
                    row[cat] = split.wall[cat] * 1000
                    row[cat + "_cpu"] = split.cpu[cat] * 1000
                rows[arm].append(row)
            for arm in arms:
                med = {k: statistics.median(r[k] for r in rows[arm]) for k in rows[arm][0]}
                med["charts"] = len(at.get("plotly_chart"))
                med["shell_runs"] = [r["shell"] for r in rows[arm]]  # pooled across pages later
                results[f"{name} {arm}".strip()] = med
                print(
                    f"{name:12}{arm:>8} rerun {med['rerun_wall']:6.0f} ms ({med['rerun_cpu']:4.0f}"
                    f" cpu) | shell {med['shell']:5.1f}"
                    + "".join(
                        f" | {c} {med[c]:6.1f} ({med[c + '_cpu']:5.1f} cpu)" for c in CATEGORIES[1:]
                    )
                    + f" | charts {med['charts']}",
                    flush=True,
                )
            if memos is not None:
                memos.set(True)
            if args.profile:
                print(profile_once(at, args.profile))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
