"""Sign-in end to end: a real OpenID Connect provider (oidc-provider-mock) on 127.0.0.1, the app
served with an [auth] section pointing at it and an [access] allow-list, and Chromium.

An editor signs in and sees the app with their role; a viewer signs in and the import is
refused on the server (nothing reaches the workspace); an unknown address is refused before
anything is drawn; signing out brings back the sign-in screen.

With CI=true a missing browser fails the run; elsewhere the test is skipped with the reason.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from queries import workspaces
from queries.workspace import Workspace
from tests.browser import free_port, streamlit_server, wait_for_page

pytestmark = pytest.mark.browser

DEALS_CSV = """Deal Name,Stage,Amount,Created Date,Close Date
Acme renewal,Closed Won,12500,2025-01-05,2025-02-10
Beta pilot,Closed Lost,3000,2025-01-06,2025-03-01
"""


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """The mock provider on 127.0.0.1 (any client id and secret; the subject typed on its
    authorization page becomes the e-mail claim)."""
    import oidc_provider_mock  # dev extra: a missing package fails, it does not skip
    import werkzeug.serving

    server = werkzeug.serving.make_server(
        "127.0.0.1", free_port(), oidc_provider_mock.app(), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(5)


def _secrets(path: Path, provider: str) -> Path:
    path.write_text(
        "[auth]\n"
        'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-secret-of-enough-length-0123456789"\n'
        'client_id = "flywheel"\n'
        'client_secret = "flywheel-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n'
        "\n[access]\n"
        'admins = ["ana@acme.com"]\n'
        'editors = ["@acme.com"]\n'
        'viewers = ["vic@partner.org"]\n',
        encoding="utf-8",
    )
    return path


def _sign_in(page, url: str, email: str, *, then: str | None = "data") -> None:
    """From the sign-in screen through the provider's page, typing ``email`` as the subject;
    then open the page ``then`` (the provider sends the browser back to the home page)."""
    if page.get_by_role("button", name="Sign in").count() == 0:
        page.goto(f"{url}/?lang=en", wait_until="domcontentloaded")
    page.get_by_role("button", name="Sign in").click()
    page.locator('input[name="sub"]').fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(re.escape(url)), timeout=30_000)
    if then is not None:  # straight on: the home page need not finish drawing
        page.goto(f"{url}/{then}?lang=en", wait_until="domcontentloaded")
    wait_for_page(page)


def _deal_count(db: Path) -> int:
    ws = Workspace(db, read_only=True)
    try:
        return int(ws.scalar("select count(*) from raw_deals"))
    finally:
        ws.close()


def test_sign_in_roles_refusal_and_sign_out(browser, provider, tmp_path, monkeypatch):
    db = tmp_path / "team.duckdb"
    workspaces.create_workspace(db, company_name="Acme Tools").close()
    csv_path = tmp_path / "deals.csv"
    csv_path.write_text(DEALS_CSV, encoding="utf-8")
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(_secrets(tmp_path / "s.toml", provider)))
    with streamlit_server(db) as url:
        # nobody signed in: the sign-in screen and nothing of the app
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/data?lang=en", wait_until="domcontentloaded")
        wait_for_page(page)
        assert page.get_by_role("button", name="Sign in").is_visible()
        assert page.get_by_text("Acme Tools").count() == 0

        # an editor: the app, their address and role in the sidebar
        _sign_in(page, url, "bob@acme.com", then=None)
        sidebar = page.get_by_test_id("stSidebar")
        assert "Signed in: bob@acme.com · editor" in sidebar.inner_text()
        assert "Acme Tools" in sidebar.inner_text()  # the workspace, opened after sign-in
        assert sidebar.get_by_text("Open workspace").count() == 0  # switching is for admins

        # sign out: the provider ends its session too, then the sign-in screen again
        sidebar.get_by_role("button", name="Sign out").click()
        page.get_by_role("button", name="End session").click()
        page.get_by_role("button", name="Sign in").wait_for(timeout=30_000)
        assert page.get_by_text("bob@acme.com").count() == 0
        context.close()

        # a viewer: the import is refused on the server, the workspace keeps no deal
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        _sign_in(page, url, "vic@partner.org")
        assert "vic@partner.org · viewer" in page.get_by_test_id("stSidebar").inner_text()
        page.get_by_test_id("stFileUploader").filter(has_text="CRM export files").locator(
            'input[type="file"]'
        ).set_input_files(str(csv_path))
        button = page.get_by_role("button", name=re.compile(r"^Import 2 deal rows$"))
        button.wait_for(timeout=60_000)
        button.click()
        refusal = page.get_by_text("importing data needs the editor role", exact=False)
        refusal.wait_for(timeout=30_000)
        assert "you are signed in as viewer" in refusal.inner_text()
        context.close()

        # an address in no list: refused with a sentence and a way out, nothing else drawn
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        _sign_in(page, url, "eve@evil.com", then=None)
        main = page.get_by_test_id("stMain")
        assert "eve@evil.com is not on this Flywheel's allow-list" in main.inner_text()
        assert main.get_by_role("button", name="Sign out").is_visible()
        assert page.get_by_text("CRM export files").count() == 0
        context.close()
    assert _deal_count(db) == 0  # the viewer's click wrote nothing
