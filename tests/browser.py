"""A real Streamlit server and Debian's Chromium, for the browser test and the screenshots."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str | None:
    if Path(CHROMIUM).exists():
        return CHROMIUM
    return shutil.which("chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(
    db: Path | str, *, timeout: float = 60, env: dict[str, str] | None = None
) -> Iterator[str]:
    """Run ``streamlit run app.py`` on a free localhost port; yields its base URL. ``db``: a
    workspace file, or a DuckLake target string (its log then goes to the temp folder). ``env``
    adds to the server's environment."""
    port = free_port()
    env = {**os.environ, **(env or {}), "FLYWHEEL_DB": str(db)}
    logs = db.parent if isinstance(db, Path) else Path(tempfile.gettempdir())
    log = open(logs / f"streamlit-{port}.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited early, see {log.name}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().decode() == "ok":
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(f"streamlit did not answer on {url}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_for_page(page, *, timeout_ms: int = 60_000) -> None:
    """Wait until the script has finished running and its visible charts are drawn (a chart in
    a closed tab or expander is never drawn, so it is not waited for)."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    # Streamlit marks the app root with its script state. The first "notRunning" can come
    # before the run starts (a slow first run on a busy machine drew no chart yet), so wait
    # until the run is finished and the page's elements have stopped changing for a second.
    finished = '[data-testid="stApp"][data-test-script-state="notRunning"]'
    elements = '[data-testid="stMain"] [data-testid="stElementContainer"]'
    page.wait_for_selector(finished, timeout=timeout_ms)
    # Three quiet polls (600 ms) are enough to see a rerun Streamlit is still sending; no fixed
    # sleep after the charts have drawn: full_screenshot waits for Plotly's re-layout itself.
    # An element whose code is still loading (Plotly's chunk, lazily, on a busy machine: seconds)
    # shows Streamlit's Suspense fallback, stSkeleton, inside its container: not quiet yet.
    loading = '[data-testid="stMain"] [data-testid="stSkeleton"]'
    waited, stable, last = 0, 0, -1
    while stable < 3 and waited < timeout_ms:
        page.wait_for_timeout(200)
        waited += 200
        count = page.locator(elements).count()
        done = page.locator(finished).count() > 0 and page.locator(loading).count() == 0
        stable = stable + 1 if done and count == last and count > 0 else 0
        last = count
    charts = page.locator('[data-testid="stPlotlyChart"]:visible')
    for i in range(charts.count()):
        charts.nth(i).locator(".main-svg").first.wait_for(timeout=timeout_ms)


def full_screenshot(page, path: str, *, max_height: int = 12_000) -> None:
    """Screenshot the whole page: Streamlit scrolls inside its main block, not the document,
    so grow the viewport to the main block's height first.

    Not on CI unless FLYWHEEL_SCREENSHOTS=1: nobody looks at a CI machine's artifacts, and a
    full-height screenshot (resize, re-layout, capture) is a good part of a browser test's time.
    """
    if os.environ.get("CI") == "true" and os.environ.get("FLYWHEEL_SCREENSHOTS") != "1":
        return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    height = page.evaluate(
        "() => { const m = document.querySelector('[data-testid=\"stMain\"]');"
        " return m ? m.scrollHeight : document.body.scrollHeight; }"
    )
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": min(max(height, 800), max_height)})
    page.wait_for_timeout(1200)  # plotly re-lays out on resize
    page.screenshot(path=path, full_page=True)
