"""The Data page's link section: the sentences of the link report, the deal source rule, and the
notice every page shows while deals have no pull/push motion (AppTest, hand-made workspace).

Workspace: three deals without a source or a lead — D1 and D2 owned by Sam (an SDR), D3 by
Ada (an AE) — and the sales team file that says so.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.ui import state
from queries import links, workspaces
from queries.ingest import engine
from queries.ingest.engine import Choices

# every AppTest here starts and ends with empty Streamlit caches (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGE = "app_pages/data.py"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "team.duckdb"
    ws = workspaces.create_workspace(path, company_name="Team Co")
    deals = tmp_path / "deals.csv"
    deals.write_text(
        "Deal ID,Stage,Amount,Close Date,Owner\n"
        "D1,Closed Won,100,2024-02-01,Sam\n"
        "D2,Closed Lost,50,2024-02-02,Sam\n"
        "D3,Closed Won,300,2024-02-03,Ada\n"
    )
    team = tmp_path / "team.csv"
    team.write_text("Name,Role\nSam,SDR\nAda,Account Executive\n")
    with engine.open_import(ws, deals) as plan:
        plan.commit("append")
    with engine.open_import(
        ws, team, choices=Choices(kind="reps", mapping={"owner": "Name", "role": "Role"})
    ) as plan:
        plan.commit("append")
    ws.close()
    return path


def _page(db: Path, monkeypatch: pytest.MonkeyPatch, page: str = PAGE) -> AppTest:
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _bullets(at: AppTest) -> str:
    return " ".join(m.value for m in at.markdown)


def test_every_page_says_no_deal_has_a_motion_and_links_to_the_report(db, monkeypatch):
    for page in ("app_pages/overview.py", "app_pages/funnel.py", PAGE):
        at = _page(db, monkeypatch, page)
        warnings = " ".join(w.value for w in at.warning)
        assert "Not one of the 3 deals has a pull or push motion yet" in warnings, page


def test_the_rep_role_rule_gives_the_deals_a_source_and_the_notice_goes(db, monkeypatch):
    at = _page(db, monkeypatch)
    assert "Deals with no lead and no source: 3." in _bullets(at)
    at.radio(key="data_deal_source_rule").set_value("rep_role").run()
    at.button(key="data_save_rule").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("3 deals now take a source from it" in s.value for s in at.success)
    ws = state._open(str(db.resolve()))
    assert links.deal_source_rule(ws) == "rep_role"
    cur = ws.cursor()
    try:
        got = cur.execute("select deal_id, source from raw_deals order by 1").fetchall()
    finally:
        cur.close()
    assert got == [
        ("D1", "Rep role: SDR"),
        ("D2", "Rep role: SDR"),
        ("D3", "Rep role: Account Executive"),
    ]
    # "Rep role: SDR" reads as push; "Rep role: Account Executive" is for the team to map.
    assert links.link_state(ws)["from_rule"] == 2
    text = _bullets(at)
    assert "2 of 3 deals have a motion (2 from the deal source rule)." in text
    assert "Deals whose source has no pull/push motion yet: 1." in text
    assert "Deals without a pull or push motion: 1 of 3" in " ".join(c.value for c in at.caption)
