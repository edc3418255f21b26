"""Load suite: N people using one Flywheel server at once, in headless Chromium.

    .venv/bin/python bench/load.py [--sessions 10] [--minutes 3] [--seed 1] [--db PATH]

Starts a real Streamlit server on a copy of the workspace (the sample by default, so a running
app is not disturbed) and drives N concurrent browser sessions at a person's pace: each opens
the app within the first 10 s, then repeatedly waits 5-10 s (seeded random) and does one
action: switch page through the sidebar link, open a tab of the current page, or move the
period's start in the sidebar's date input (the period then travels in the URL's
``?from=…&to=…`` to the next pages); ``--actions`` keeps only some kinds. Each action is timed
from the click until the page has finished running and its visible charts are drawn (the rule
of tests/browser.py's wait_for_page: finished, elements unchanged for a second, visible charts
drawn; the end is the last change, not the second that confirmed it), and until the script run
ended (the server's part). Prints p50/p95/max per action kind, the slowest actions and their
page, every error (pageerror events, stException and error alerts on the page, actions that
never finished) and the server's RSS (VmHWM and VmRSS) and CPU.
Goal (issue 17) on the 2-core machine: 10 sessions, 0 errors, p95 page switch <= 2 s.
Exit code 1 when there was an error.

One Chromium process with one browser context per session, driven by asyncio: a context has its
own cookies and storage, so each is its own Streamlit session (its own websocket and
session state), as N people's browsers are, while the machine pays for one browser process
instead of N. The browser still runs on the same cores as the server, so the numbers include
its rendering competing with the server: a pessimistic measurement of the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.pages import machine  # noqa: E402
from components.i18n import translate  # noqa: E402
from components.ui.navigation import PAGES, url_path  # noqa: E402
from queries.workspace import SAMPLE_PATH  # noqa: E402
from tests.browser import CHROMIUM_ARGS, chromium_path, streamlit_server  # noqa: E402

SWITCH_P95_GOAL_S = 2.0
ACTION_TIMEOUT_MS = 60_000
QUIET_MS = 1_000  # wait_for_page's rule: the page's elements unchanged for a second
# Recorded in each page from its start: how many times the script state changed (a rerun
# started or ended) and when anything in the main block last changed (elements, charts drawn).
OBSERVER = """
window.__load = {runs: 0, lastChange: performance.now(), runEnd: 0};
new MutationObserver((records) => {
  for (const r of records) {
    if (r.type === 'attributes') {
      window.__load.runs += 1;
      if (r.target.getAttribute('data-test-script-state') === 'notRunning')
        window.__load.runEnd = performance.now();
      continue;
    }
    const el = r.target.nodeType === 1 ? r.target : r.target.parentElement;
    if (el && el.closest('[data-testid="stMain"]')) window.__load.lastChange = performance.now();
  }
}).observe(document, {subtree: true, childList: true, characterData: true,
                      attributes: true, attributeFilter: ['data-test-script-state']});
"""
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'
ELEMENTS = '[data-testid="stMain"] [data-testid="stElementContainer"]'
ERRORS = '[data-testid="stException"], [data-testid="stAlertContentError"]'


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=dict)  # until drawn
    runs: dict[str, list[float]] = field(default_factory=dict)  # until the script run ended
    errors: list[str] = field(default_factory=list)
    where: list[tuple[float, str, str]] = field(default_factory=list)  # (drawn, kind, page)

    def add(self, kind: str, took: tuple[float, float], page: str = "") -> None:
        self.times.setdefault(kind, []).append(took[0])
        self.runs.setdefault(kind, []).append(took[1])
        self.where.append((took[0], kind, page))


async def settle(page, runs_before: int | None, clicked_at: float) -> tuple[float, float]:
    """Seconds from ``clicked_at`` (the page's performance.now(), ms) until the rerun the click
    started has finished and the main block's elements and visible charts stopped changing
    (the end is the last change seen, not the moment the quiet second confirmed it), and
    until the script run ended (the server's part; the rest is the browser drawing)."""
    waited = 0
    while waited < ACTION_TIMEOUT_MS:
        state = await page.evaluate(
            """([finished, elements]) => ({
                runs: window.__load.runs, last: window.__load.lastChange, now: performance.now(),
                runEnd: window.__load.runEnd,
                done: document.querySelector(finished) !== null,
                count: document.querySelectorAll(elements).length,
                undrawn: [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                  .filter(c => c.offsetParent !== null && !c.querySelector('.main-svg')).length,
            })""",
            [FINISHED, ELEMENTS],
        )
        started = runs_before is None or state["runs"] > runs_before
        quiet = state["now"] - state["last"] >= QUIET_MS
        if started and state["done"] and state["count"] > 0 and not state["undrawn"] and quiet:
            drawn = max(state["last"] - clicked_at, 0.0) / 1000
            return drawn, min(max(state["runEnd"] - clicked_at, 0.0) / 1000, drawn)
        await page.wait_for_timeout(100)
        waited += 100
    raise TimeoutError(f"page not settled after {ACTION_TIMEOUT_MS / 1000:.0f} s")


async def click_and_time(page, target) -> tuple[float, float]:
    """Click ``target`` and time the rerun it starts."""
    before = await page.evaluate("() => [window.__load.runs, performance.now()]")
    await target.click()
    return await settle(page, before[0], before[1])


def current_stem(url: str) -> str:
    path = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    stems = {url_path(script) for script, _, _ in PAGES}
    return path if path in stems else ""


async def switch_page(page, rng: random.Random) -> tuple[float, float] | None:
    here = current_stem(page.url)
    choices = [(s, key) for s, key, _ in PAGES if url_path(s) != here]
    _, key = rng.choice(choices)
    nav = page.locator('[data-testid="stSidebarNav"]')
    link = nav.get_by_role("link", name=translate(key, "en"), exact=True)
    return await click_and_time(page, link)


async def open_tab(page, rng: random.Random) -> tuple[float, float] | None:
    tabs = page.locator('[data-testid="stMain"] [role="tab"][aria-selected="false"]:visible')
    n = await tabs.count()
    if n == 0:
        return None
    return await click_and_time(page, tabs.nth(rng.randrange(n)))


def period_from_url(url: str) -> tuple[date, date] | None:
    got = dict(re.findall(r"[?&](from|to)=(\d{4}-\d{2}-\d{2})", url))
    if "from" in got and "to" in got:
        return date.fromisoformat(got["from"]), date.fromisoformat(got["to"])
    return None


async def change_period(page, rng: random.Random) -> tuple[float, float] | None:
    """Move the period's start 1-3 months with the arrow keys on the sidebar date input's month
    (as a person can), and leave the field. Timed from the click on the month: the field
    commits on Escape or on the blur, whichever Streamlit takes first."""
    before = period_from_url(page.url)
    month = page.locator('[data-testid="stSidebar"]').get_by_role(
        "spinbutton", name="month, Period start date"
    )
    if before is None or await month.count() == 0:
        return None
    mark = await page.evaluate("() => [window.__load.runs, performance.now()]")
    await month.click()
    key = rng.choice(["ArrowUp", "ArrowDown"])
    for _ in range(rng.randint(1, 3)):
        await month.press(key)
    await month.press("Escape")
    await page.evaluate("() => document.activeElement && document.activeElement.blur()")
    took = await settle(page, mark[0], mark[1])
    after = period_from_url(page.url)
    if after is None or after[0] == before[0]:
        raise RuntimeError(f"period not applied: {page.url}")
    return took


ACTIONS = {"page switch": switch_page, "tab": open_tab, "period": change_period}


async def record_errors(page, results: Results, who: str) -> None:
    shown = page.locator(ERRORS)
    for i in range(await shown.count()):
        text = (await shown.nth(i).inner_text()).strip().splitlines()
        results.errors.append(f"{who} {current_stem(page.url) or 'overview'}: {text[:1]}")


async def session(
    browser,
    url: str,
    n: int,
    seed: int,
    deadline: float,
    results: Results,
    kinds_allowed: tuple[str, ...],
):
    rng = random.Random(seed * 1000 + n)
    context = await browser.new_context(viewport={"width": 1400, "height": 900})
    await context.add_init_script(OBSERVER)
    page = await context.new_page()
    who = f"session {n}"
    page.on("pageerror", lambda e: results.errors.append(f"{who} pageerror: {e}"))
    try:
        await asyncio.sleep(rng.uniform(0, 10))  # people arrive over a few seconds, not at once
        start = time.monotonic()
        await page.goto(f"{url}/?lang=en", wait_until="domcontentloaded")
        _, run_end = await settle(page, None, 0.0)  # run_end: since the navigation started
        results.add("first load", (time.monotonic() - start, run_end), "overview")
        while True:
            pause = rng.uniform(5, 10)
            if time.monotonic() + pause > deadline:
                break
            await asyncio.sleep(pause)
            kinds = list(kinds_allowed)
            rng.shuffle(kinds)
            for kind in kinds:  # a page without tabs: the next kind of action
                try:
                    took = await ACTIONS[kind](page, rng)
                except Exception as e:
                    results.errors.append(f"{who} {kind} on {current_stem(page.url)}: {e}")
                    break
                if took is not None:
                    results.add(kind, took, current_stem(page.url) or "overview")
                    break
            await record_errors(page, results, who)
    finally:
        await context.close()


def server_pid() -> int | None:
    """The Streamlit server is this process's child whose command line runs streamlit."""
    children: list[str] = []
    for task in Path("/proc/self/task").iterdir():
        children += (task / "children").read_text().split()
    for pid in children:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        if b"streamlit" in cmdline and b"run" in cmdline:
            return int(pid)
    return None


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (the peak) in MB, and CPU seconds used."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) // 1024
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    out["cpu_s"] = (int(fields[11]) + int(fields[12])) // 100  # utime + stime, in clock ticks
    return out


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


async def run(url: str, args: argparse.Namespace, exe: str) -> tuple[Results, float]:
    from playwright.async_api import async_playwright

    results = Results()
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        start = time.monotonic()
        deadline = start + args.minutes * 60
        await asyncio.gather(
            *(
                session(browser, url, n, args.seed, deadline, results, tuple(args.actions))
                for n in range(1, args.sessions + 1)
            )
        )
        await browser.close()
    return results, time.monotonic() - start


async def watch_rss(pid: int, samples: list[dict[str, int]], stop: asyncio.Event) -> None:
    while not stop.is_set():
        samples.append(proc_status(pid))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=1)


async def main_async(url: str, args: argparse.Namespace, exe: str, pid: int):
    samples: list[dict[str, int]] = []
    stop = asyncio.Event()
    watcher = asyncio.create_task(watch_rss(pid, samples, stop))
    try:
        results, wall = await run(url, args, exe)
    finally:
        stop.set()
        await watcher
    samples.append(proc_status(pid))
    return results, wall, samples


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--minutes", type=float, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--db", type=Path, default=SAMPLE_PATH)
    parser.add_argument(
        "--actions", nargs="+", choices=list(ACTIONS), default=list(ACTIONS), help="kinds to do"
    )
    args = parser.parse_args()
    exe = chromium_path()
    if exe is None:
        print("Chromium is not installed: apt-get install chromium", file=sys.stderr)
        return 1
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine()}")
    print(
        f"{args.sessions} sessions for {args.minutes:g} min, seed {args.seed}, "
        f"workspace {args.db}, one Chromium with a context per session"
    )
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "workspace.duckdb"
        shutil.copy(args.db, db)
        with streamlit_server(db) as url:
            pid = server_pid()
            if pid is None:
                print("could not find the Streamlit server's process", file=sys.stderr)
                return 1
            results, wall, samples = asyncio.run(main_async(url, args, exe, pid))

    print("\nseconds from the click until drawn (until the script run ended, the server's part)")
    print(f"{'action':<12} {'count':>6} {'p50':>12} {'p95':>12} {'max':>12}")
    for kind in ("first load", *ACTIONS):
        drawn, ran = results.times.get(kind, []), results.runs.get(kind, [])
        if not drawn:
            print(f"{kind:<12} {0:>6}")
            continue
        cells = [
            f"{f(drawn):.2f} ({f(ran):.2f})"
            for f in (statistics.median, lambda v: pct(v, 0.95), max)
        ]
        print(f"{kind:<12} {len(drawn):>6} {cells[0]:>12} {cells[1]:>12} {cells[2]:>12}")
    slowest = sorted(results.where, reverse=True)[:5]
    if slowest:
        print("slowest: " + ", ".join(f"{k} to/on {p} {t:.1f} s" for t, k, p in slowest))
    end = samples[-1]
    cpu = end["cpu_s"] - samples[0]["cpu_s"]
    print(
        f"\nserver RSS: peak {end['VmHWM']} MB, end {end['VmRSS']} MB; server CPU "
        f"{cpu} s in {wall:.0f} s ({cpu / wall:.0%} of one core)"
    )
    switches = results.times.get("page switch", [])
    if switches:
        p95 = pct(switches, 0.95)
        verdict = "met" if p95 <= SWITCH_P95_GOAL_S and not results.errors else "not met"
        print(f"goal (0 errors, p95 page switch <= {SWITCH_P95_GOAL_S:g} s): {verdict}")
    print(f"errors: {len(results.errors)}")
    for line in results.errors:
        print(f"  {line}")
    return 1 if results.errors else 0


if __name__ == "__main__":
    sys.exit(main())
