"""Market analysis and 4P strategy in a real browser (Debian's Chromium): both pages draw every
chart in English and Chinese with the sample's starting plan, and an invalid edit is refused
on screen. Screenshots land in tests/artifacts/ for a person to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from components.i18n import translate
from queries import plans
from queries.workspace import Workspace
from tests.browser import (
    full_screenshot,
    streamlit_server,
    wait_for_page,
)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(sample_path, tmp_path_factory):
    db = tmp_path_factory.mktemp("browser_market") / "sample.duckdb"
    shutil.copy(sample_path, db)
    ws = Workspace(db)
    plans.seed_sample_plans(ws)
    ws.close()
    with streamlit_server(db) as url:
        yield url


TABS = {
    "market": [
        f"market.tab.{k}" for k in ("sizing", "segments", "competitors", "insight", "target")
    ],
    "strategy_4p": [
        f"strategy_4p.tab_{k}" for k in ("kpis", "product", "price", "place", "promotion", "budget")
    ],
}


# Each page in one language (Market in Chinese, 4P in English): every chart of both pages is
# drawn in a browser and both languages render; the text of each in the other language is the
# AppTest walks' (tests/test_reader_forms.py, tests/test_app.py). Two pages × two languages
# cost a minute of CI for no check the other tests lack.
@pytest.mark.parametrize(
    ("stem", "min_charts", "lang"), [("market", 11, "zh"), ("strategy_4p", 18, "en")]
)
def test_market_and_4p_pages_draw_every_chart(browser, server, stem, min_charts, lang):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{server}/{stem}?lang={lang}", wait_until="domcontentloaded")
        wait_for_page(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert page.locator('[data-testid="stAlertContentError"]').count() == 0
        ARTIFACTS.mkdir(exist_ok=True)
        full_screenshot(page, str(ARTIFACTS / f"plans-{stem}-{lang}.png"))
        # lazy tabs: each draws its own charts when opened
        tabs, outside = TABS[stem], 0
        drawn = 0
        for i, key in enumerate(tabs):
            page.get_by_role("tab", name=translate(key, lang), exact=True).click()
            wait_for_page(page)
            assert page.locator('[data-testid="stException"]').count() == 0
            drawn += page.locator('[data-testid="stPlotlyChart"]:visible').count() - outside
            full_screenshot(page, str(ARTIFACTS / f"plans-{stem}-{lang}-{i}.png"))
            page.set_viewport_size({"width": 1600, "height": 1000})
        assert drawn + outside >= min_charts
        assert errors == []
    finally:
        page.close()


def test_a_target_decision_without_rationale_is_refused_on_screen(browser, server):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        page.goto(f"{server}/market?lang=en", wait_until="domcontentloaded")
        wait_for_page(page)
        page.get_by_role("tab", name="Target market", exact=True).click()
        wait_for_page(page)
        page.get_by_role("button", name="Save the target decision", exact=True).click()
        alert = page.locator('[data-testid="stAlertContentError"]')
        alert.first.wait_for(timeout=30_000)
        assert "Rationale: required" in alert.first.inner_text()
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.close()


def test_the_4p_plan_shows_its_version_and_compares_two_versions(browser, server):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        page.goto(f"{server}/strategy_4p?lang=en", wait_until="domcontentloaded")
        wait_for_page(page)
        assert page.get_by_text("Plan in force: version 1").count() == 1
        page.get_by_text("Compare two versions").click()
        page.get_by_text("Both sides show the same version").first.wait_for(timeout=30_000)
    finally:
        page.close()
