"""The import wizard in a real browser: a CSV goes through the real file uploader of the Data
page, is checked and imported, and the page shows it in the history and in its counts.

With CI=true a missing browser fails the run; elsewhere the test is skipped with the reason.
The screenshot lands in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from queries import workspaces
from tests.browser import (
    full_screenshot,
    streamlit_server,
    wait_for_page,
)

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = pytest.mark.browser

# Four deals; "n/a" is not an amount, so row 3 is rejected and three load.
DEALS_CSV = """Deal Name,Stage,Amount,Created Date,Close Date
Acme renewal,Closed Won,"$12,500.00",2025-01-05,2025-02-10
Beta pilot,Closed Lost,3000,2025-01-06,2025-03-01
Gamma rollout,Closed Won,n/a,2025-01-07,2025-02-20
Delta upsell,Negotiation,4200,2025-01-08,2025-06-30
"""


def _metric(page, label: str) -> str:
    """The value of the bordered metric whose label is ``label`` (the Data page's counts)."""
    box = page.locator('[data-testid="stMetric"]').filter(
        has=page.get_by_test_id("stMetricLabel").get_by_text(label, exact=True)
    )
    return box.first.get_by_test_id("stMetricValue").inner_text().strip()


def test_a_csv_uploaded_in_the_browser_is_imported_and_listed(browser, tmp_path):
    db = tmp_path / "acme.duckdb"
    workspaces.create_workspace(db, company_name="Acme Tools").close()
    csv_path = tmp_path / "deals.csv"
    csv_path.write_text(DEALS_CSV, encoding="utf-8")
    with streamlit_server(db) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(f"{url}/data?lang=en", wait_until="domcontentloaded")
            wait_for_page(page)
            assert _metric(page, "Deals") == "0"
            assert _metric(page, "Imports") == "0"

            uploader = (
                page.get_by_test_id("stFileUploader")
                .filter(has_text="CRM export files")
                .locator('input[type="file"]')
            )
            uploader.set_input_files(str(csv_path))
            page.get_by_text("Rows that will load", exact=True).wait_for(timeout=60_000)
            wait_for_page(page)
            assert page.get_by_text("1 · What the file is").is_visible()
            main = page.get_by_test_id("stMain")
            assert (
                main.locator('[data-testid="stMetric"]')
                .filter(has_text="Rows that will load")
                .get_by_test_id("stMetricValue")
                .inner_text()
                .strip()
                == "3"
            )
            ARTIFACTS.mkdir(exist_ok=True)
            full_screenshot(page, str(ARTIFACTS / "import-wizard-check-en.png"))
            page.set_viewport_size({"width": 1600, "height": 1000})

            page.get_by_role("button", name=re.compile(r"^Import 3 deal rows$")).click()
            page.get_by_text("3 deal rows imported", exact=False).first.wait_for(timeout=60_000)
            wait_for_page(page)
            assert _metric(page, "Deals") == "3"
            assert _metric(page, "Imports") == "1"
            history = page.get_by_test_id("stExpander").filter(has_text="deals.csv")
            assert history.count() == 1
            assert "3 loaded, 1 rejected" in history.first.inner_text()
            assert page.locator('[data-testid="stException"]').count() == 0
            assert page.locator('[data-testid="stAlertContentError"]').count() == 0
            full_screenshot(page, str(ARTIFACTS / "import-wizard-done-en.png"))
            assert errors == []
        finally:
            page.close()
