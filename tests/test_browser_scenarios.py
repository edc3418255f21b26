"""The scenario planner in a real browser (Debian's Chromium): every view draws its charts
without errors in English and Chinese, a slider moves the projection, and a named scenario is
saved and compared. Screenshots land in tests/artifacts/ for a person to look at."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.browser import (
    full_screenshot,
    streamlit_server,
    wait_for_page,
)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(sample_path, tmp_path_factory):
    db = tmp_path_factory.mktemp("browser_scenarios") / "sample.duckdb"
    shutil.copy(sample_path, db)
    with streamlit_server(db) as url:
        yield url


def _open(browser, server, lang: str):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{server}/scenarios?lang={lang}", wait_until="domcontentloaded")
    wait_for_page(page)
    return page, errors


def _view(page, index: int) -> None:
    page.get_by_role("tab").nth(index).click()
    wait_for_page(page)


def _no_errors(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentError"]').count() == 0


# In Chinese (the CJK text and 万 axes are what a browser adds to the AppTest walks); the
# English views are drawn by the slider test below and by tests/test_scenarios_page.py.
@pytest.mark.parametrize("lang", ["zh"])
def test_every_view_draws_its_charts(browser, server, lang):
    page, errors = _open(browser, server, lang)
    try:
        expected = {0: 3, 1: 3, 2: 0, 3: 1}  # compare has no chart until scenarios are saved
        for index, charts in expected.items():
            _view(page, index)
            _no_errors(page)
            assert page.locator('[data-testid="stPlotlyChart"]').count() == charts
            ARTIFACTS.mkdir(exist_ok=True)
            full_screenshot(page, str(ARTIFACTS / f"scenarios-view{index}-{lang}.png"))
            page.set_viewport_size({"width": 1600, "height": 1000})
        assert errors == []
    finally:
        page.close()


def test_a_slider_moves_the_projection_and_a_scenario_is_saved_and_compared(browser, server):
    page, errors = _open(browser, server, "en")
    try:
        _view(page, 1)
        metric = page.locator('[data-testid="stMetricValue"]').first
        before = metric.inner_text()
        slider = page.get_by_role("slider").first  # marketing share of the budget
        slider.focus()
        for _ in range(3):  # each step reruns the page: three are enough to move the figures
            slider.press("ArrowRight")
        wait_for_page(page)
        assert metric.inner_text() != before  # marketing per month followed the slider
        page.get_by_label("Scenario name").fill("Browser plan")
        page.get_by_role("button", name="Save scenario", exact=True).click()
        wait_for_page(page)
        assert page.get_by_text("Saved “Browser plan”").count() == 1
        _view(page, 2)
        _no_errors(page)
        assert page.locator('[data-testid="stPlotlyChart"]').count() == 2
        assert errors == []
    finally:
        page.close()
