"""The Funnel health page in a real browser: `streamlit run app.py` in Debian's Chromium, every
tab opened (half in English, half in Chinese), its charts drawn with titles and no error.

Screenshots land in tests/artifacts/funnel-<tab>-<lang>.png for a person to look at.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from components.i18n import translate
from tests.browser import (
    full_screenshot,
    streamlit_server,
    wait_for_page,
)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
TABS = ("funnel", "handoff", "score", "cohorts", "velocity", "stuck", "pipeline", "economics")

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(sample_path, tmp_path_factory):
    db = tmp_path_factory.mktemp("browser_funnel") / "sample.duckdb"
    shutil.copy(sample_path, db)
    with streamlit_server(db) as url:
        yield url


# Every tab is opened once, in one of the two languages (the even ones in English, the odd ones
# in Chinese): the text of each tab in both is the AppTest walks' (tests/test_reader_forms.py).
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_funnel_tab_renders_its_charts_without_errors(browser, server, lang):
    page = browser.new_page(viewport={"width": 1600, "height": 1000})
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        page.goto(f"{server}/funnel?lang={lang}", wait_until="domcontentloaded")
        wait_for_page(page)
        for tab in TABS[::2] if lang == "en" else TABS[1::2]:
            page.get_by_role("tab", name=translate(f"funnel.tab.{tab}", lang), exact=True).click()
            page.wait_for_timeout(300)
            wait_for_page(page)
            assert page.locator('[data-testid="stException"]').count() == 0, tab
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0, tab
            if tab == "stuck":
                assert page.locator('[data-testid="stDataFrame"]').count() == 1
                csv = translate("funnel.export_csv", lang)
                assert page.get_by_test_id("stDownloadButton").filter(has_text=csv).count() == 1
            else:
                charts = page.locator('[data-testid="stPlotlyChart"]:visible')
                assert charts.count() >= 1, tab
                # every chart of the tab drew its SVG with a title
                assert (
                    page.locator("[data-testid='stPlotlyChart']:visible .gtitle").count()
                    == charts.count()
                ), tab
            ARTIFACTS.mkdir(exist_ok=True)
            full_screenshot(page, str(ARTIFACTS / f"funnel-{tab}-{lang}.png"))
            page.set_viewport_size({"width": 1600, "height": 1000})
        assert errors == []
    finally:
        page.close()
