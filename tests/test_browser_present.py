"""Present mode and the export control in Debian's Chromium, with screenshots for a person to
look at (tests/artifacts/present-*.png, export-popover.png)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser import streamlit_server, wait_for_page

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(sample_path, tmp_path_factory):
    db = tmp_path_factory.mktemp("browser_present") / "sample.duckdb"
    shutil.copy(sample_path, db)
    with streamlit_server(db) as url:
        yield url


def _chart_title(page) -> str:
    return page.locator(".fw-present-title").first.text_content()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_present_link_shows_one_chart_full_width_and_steps_with_next(browser, server, lang):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page.goto(f"{server}/?present=1&lang={lang}", wait_until="domcontentloaded")
        wait_for_page(page)
        assert page.locator('[data-testid="stException"]').count() == 0
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 1
        box = page.locator('[data-testid="stPlotlyChart"]').bounding_box()
        assert box["width"] > 1400  # the chart takes the screen
        first = _chart_title(page)
        page.screenshot(path=str(ARTIFACTS / f"present-1-{lang}.png"))
        page.get_by_role("button", name="Next" if lang == "en" else "下一张").click()
        page.wait_for_timeout(500)
        wait_for_page(page)
        assert _chart_title(page) != first
        page.screenshot(path=str(ARTIFACTS / f"present-2-{lang}.png"))
        page.keyboard.press("ArrowLeft")  # the Previous button's shortcut
        page.wait_for_timeout(500)
        wait_for_page(page)
        assert _chart_title(page) == first
        assert errors == []
    finally:
        page.close()


def test_export_popover_offers_images_and_data(browser, server):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    try:
        page.goto(f"{server}/", wait_until="domcontentloaded")
        wait_for_page(page)
        page.locator('[data-testid="stPopover"] button').first.click()
        page.wait_for_timeout(600)
        body = page.locator('[data-testid="stPopoverBody"]')
        assert body.get_by_text("PNG (slide, 1920×1080)").is_visible()
        assert body.get_by_text("SVG (vector)").is_visible()
        page.screenshot(path=str(ARTIFACTS / "export-popover.png"))
    finally:
        page.close()
