"""Two app servers on one lake, in a browser (issue 19, item 6): what one server's import wrote
shows on the other server's page after a reload, without restarting or clearing anything (the
caches are keyed by the lake's snapshot id, Workspace.data_version).

One browser, one page per server, a new lake (the session's seeded lake holds the sample company,
which refuses imports so that sample and real data never mix); the import is two products
through the command line (a third writer: any process that commits to the lake counts the
same).

It costs CI about a minute (63 s at load average 13 on the 2-core test machine: lake made 7 s,
both servers up 12 s, both Data pages showing the Products card 62 s under that load, the import
14 s, the reload 15 s); the planner fit shared by the in-process tests (tests/conftest.py) paid
for it. What it proves is also tested without a browser (tests/lake/test_lake.py: two Workspace
objects and the app's cache function)."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from contextlib import ExitStack

import pytest

import flywheel_cli
from queries.lake import LakeTarget
from queries.workspace import Workspace
from tests.browser import streamlit_server

pytestmark = pytest.mark.browser

PRODUCTS_CSV = (
    "Product ID,Name,Family,List Price\nZZ-901,Lake test A,Test,100\nZZ-902,Lake test B,Test,200\n"
)
METRIC = '[data-testid="stMetric"]'


def _products(page, timeout_ms: int = 60_000) -> int:
    """The Data page's Products count, once the page has drawn it."""
    card = page.locator(METRIC, has_text="Products").first
    card.wait_for(timeout=timeout_ms)
    value = card.locator('[data-testid="stMetricValue"]').inner_text()
    return int(re.sub(r"[^\d]", "", value))


def _count(where: LakeTarget) -> int:
    ws = Workspace(where, read_only=True)
    try:
        return int(ws.scalar("select count(*) from products"))
    finally:
        ws.close()


def test_an_import_through_one_server_shows_on_the_other_after_a_reload(
    new_lake: Callable[[], LakeTarget], browser, tmp_path
):
    started = time.monotonic()
    where = new_lake()
    Workspace(where).close()  # created and migrated before the servers start
    target = f"ducklake:{where.catalog} METADATA_SCHEMA={where.metadata_schema}"
    before = _count(where)
    csv = tmp_path / "products.csv"
    csv.write_text(PRODUCTS_CSV, encoding="utf-8")
    with ExitStack() as stack:
        urls = [stack.enter_context(streamlit_server(target)) for _ in range(2)]
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        stack.callback(context.close)
        pages = [context.new_page() for _ in urls]
        for page, url in zip(pages, urls, strict=True):  # both servers draw at once
            page.goto(f"{url}/data?lang=en", wait_until="commit")
        assert [_products(p) for p in pages] == [before, before]
        drawn = time.monotonic()
        print(f"both Data pages drawn after {drawn - started:.1f} s")
        assert flywheel_cli.main(["import", str(csv), "--kind", "products", "--db", target]) == 0
        assert _count(where) == before + 2
        time.sleep(1.1)  # the servers ask the lake's snapshot at most once a second
        pages[1].reload(wait_until="commit")
        pages[1].locator(METRIC, has_text="Products").locator(
            '[data-testid="stMetricValue"]', has_text=f"{before + 2:,}"
        ).first.wait_for(timeout=60_000)
        assert _products(pages[1]) == before + 2
    print(
        f"two servers: drawn after {drawn - started:.1f} s, "
        f"whole test {time.monotonic() - started:.1f} s"
    )
