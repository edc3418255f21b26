"""The wizard in a real browser with a linked set: accounts, leads, opportunities and the sales
team exported the way Salesforce's Data Loader writes them (API names), dropped on the Data page
at once and imported with no mapping given. The link report then says, from the workspace's
counts, where each deal's motion comes from (figures worked out in tests/ingest/test_linked.py:
five of seven deals have one, four of them from their lead).

With CI=true a missing browser fails the run; elsewhere the test is skipped with the reason.
Screenshots land in tests/artifacts/ for a person to look at.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from queries import workspaces
from tests.browser import full_screenshot, streamlit_server, wait_for_page
from tests.ingest.test_linked import ACCOUNTS, DEALS, LEADS

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
USERS = """Id,Name,Email,UserRole.Name,Manager.Name
005A,Sam Seller,sam@example.com,SDR,Kim Boss
005B,Ada Closer,ada@example.com,Account Executive,Kim Boss
"""

pytestmark = pytest.mark.browser


def test_four_linked_files_dropped_at_once_import_and_report_their_links(browser, tmp_path):
    db = tmp_path / "linked.duckdb"
    workspaces.create_workspace(db, company_name="Linked Co").close()
    files = {
        "accounts.csv": ACCOUNTS,
        "leads.csv": LEADS,
        # "Trade Show" is a source Flywheel reads as pull without being told.
        "opportunities.csv": DEALS.replace("Partner", "Trade Show"),
        "users.csv": USERS,
    }
    paths = []
    for name, text in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    with streamlit_server(db) as url:
        page = browser.new_page(viewport={"width": 1600, "height": 1100})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        try:
            page.goto(f"{url}/data?lang=en", wait_until="domcontentloaded")
            wait_for_page(page)
            uploader = (
                page.get_by_test_id("stFileUploader")
                .filter(has_text="CRM export files")
                .locator('input[type="file"]')
            )
            uploader.set_input_files(paths)
            page.get_by_role("tab", name="users.csv").wait_for(timeout=60_000)
            wait_for_page(page)
            for name in files:
                page.get_by_role("tab", name=name).click()
                wait_for_page(page)
                panel = page.locator('[role="tabpanel"]:visible')
                button = panel.get_by_role("button", name=re.compile(r"^Import \d+ .+ rows$"))
                button.click()
                panel.get_by_role("button", name="Undo this import").wait_for(timeout=60_000)
                wait_for_page(page)
            # The report under the last import, and the Data page's own section below.
            panel = page.locator('[role="tabpanel"]:visible')
            report = panel.get_by_text("5 of 7 deals have a motion", exact=False).first
            report.wait_for(timeout=30_000)
            assert "4 from their lead" in report.inner_text()
            text = panel.inner_text()
            assert "Deals with no lead and no source: 1." in text
            assert "3 of 3 deals with an account are linked to an imported account." in text
            section = page.get_by_test_id("stMain").locator("li:visible")
            assert section.filter(has_text="5 of 7 deals have a motion").count() >= 2
            assert page.locator('[data-testid="stException"]').count() == 0
            ARTIFACTS.mkdir(exist_ok=True)
            full_screenshot(page, str(ARTIFACTS / "import-linked-en.png"))
            assert errors == []
        finally:
            page.close()
