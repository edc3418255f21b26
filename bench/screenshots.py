"""Screenshots of every page in headless Chromium, for people to look at (and the README).

    .venv/bin/python bench/screenshots.py [--out docs/screenshots] [--lang en zh] [--db PATH]

Runs a real Streamlit server on a copy of the workspace (so a running app is not disturbed).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from components.ui.navigation import PAGES, url_path  # noqa: E402
from queries.workspace import SAMPLE_PATH  # noqa: E402
from tests.browser import (  # noqa: E402
    CHROMIUM_ARGS,
    chromium_path,
    full_screenshot,
    streamlit_server,
    wait_for_page,
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--lang", nargs="+", default=["en", "zh"])
    parser.add_argument("--db", type=Path, default=SAMPLE_PATH)
    parser.add_argument("--pages", nargs="*", help="file stems, e.g. overview funnel")
    parser.add_argument("--width", type=int, default=1600)
    parser.add_argument("--query", default="", help="extra URL query, e.g. 'segment=SMB'")
    args = parser.parse_args()
    exe = chromium_path()
    if exe is None:
        print("Chromium is not installed: apt-get install chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "workspace.duckdb"
        shutil.copy(args.db, db)
        with streamlit_server(db) as url, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
            for script, _, _ in PAGES:
                stem = Path(script).stem
                if args.pages and stem not in args.pages:
                    continue
                for lang in args.lang:
                    page = browser.new_page(viewport={"width": args.width, "height": 1000})
                    query = f"lang={lang}" + (f"&{args.query}" if args.query else "")
                    page.goto(f"{url}/{url_path(script)}?{query}", wait_until="domcontentloaded")
                    wait_for_page(page)
                    target = args.out / f"{stem}-{lang}.png"
                    full_screenshot(page, str(target))
                    print(target)
                    page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
