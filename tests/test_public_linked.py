"""The public datasets (tests/data/shared, each with SOURCE.txt) imported as a new user would:
one import per file, no kind, no preset, no mapping given. The links the workspace makes are
checked against the same joins done independently with pandas on the raw files, and every page
and tab of the app opens on each workspace without an error."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from queries import links
from queries.workspace import Workspace
from tests.apptest_utils import open_tab, shown_text
from tests.public_data import MAVEN, OLIST, SETS, build

# every AppTest here starts and ends with empty Streamlit caches (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")

APP = str(Path(__file__).resolve().parent.parent / "app.py")
# The lazy tabs of each page (key, count): every one is opened.
TABS = {
    "campaigns.py": ("campaigns_tab", 5),
    "market.py": ("market_tab", 5),
    "strategy_4p.py": ("strategy_4p_tab", 6),
    "funnel.py": ("funnel_tab", 8),
    "scenarios.py": ("scn_view", 4),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("public")
    return {name: build(folder, name) for name in SETS}


def frame(path: Path, sql: str) -> pd.DataFrame:
    ws = Workspace(path)
    try:
        cur = ws.cursor()
        return cur.execute(sql).df()
    finally:
        ws.close()


def test_olist_closed_deals_take_the_origin_of_their_mql(built):
    mqls = pd.read_csv(OLIST / "olist_marketing_qualified_leads_dataset.csv")
    deals = pd.read_csv(OLIST / "olist_closed_deals_dataset.csv")
    joined = deals.merge(mqls[["mql_id", "origin"]], on="mql_id", how="left")
    got = frame(
        built["olist"],
        "select lead_id, source, source_origin from raw_deals order by lead_id",
    )
    want = joined[["mql_id", "origin"]].sort_values("mql_id").reset_index(drop=True)
    assert got["lead_id"].tolist() == want["mql_id"].tolist()
    assert got["source"].fillna("").tolist() == want["origin"].fillna("").tolist()
    assert (got["source_origin"].notna() == want["origin"].notna()).all()
    ws = Workspace(built["olist"])
    try:
        state = links.link_state(ws)
    finally:
        ws.close()
    assert state["deals"] == len(deals)
    assert state["from_lead"] + state["unmapped_source"] == int(joined["origin"].notna().sum())
    assert state["lead_without_source"] == int(joined["origin"].isna().sum())
    # Every MQL's one date is both its creation and its MQL date.
    dates = frame(built["olist"], "select count(*) as n from raw_leads where mql_at = created_at")
    assert int(dates["n"].iloc[0]) == len(mqls)


def test_maven_deals_take_segment_and_region_from_their_account_or_rep(built):
    pipeline = pd.read_csv(MAVEN / "sales_pipeline.csv")
    accounts = pd.read_csv(MAVEN / "accounts.csv")
    teams = pd.read_csv(MAVEN / "sales_teams.csv")
    want = pipeline.merge(accounts, on="account", how="left").merge(
        teams, on="sales_agent", how="left"
    )
    want["region"] = want["office_location"].fillna(want["regional_office"])
    want = want.sort_values("opportunity_id").reset_index(drop=True)
    got = frame(
        built["maven"],
        "select deal_id, segment, region, segment_origin, region_origin from raw_deals "
        "order by deal_id",
    )
    assert got["deal_id"].tolist() == want["opportunity_id"].tolist()
    assert got["segment"].fillna("").tolist() == want["sector"].fillna("").tolist()
    assert got["region"].fillna("").tolist() == want["region"].fillna("").tolist()
    assert int((got["region_origin"] == "rep").sum()) == int(
        (want["office_location"].isna() & want["regional_office"].notna()).sum()
    )
    counts = frame(
        built["maven"],
        "select (select count(*) from accounts) as a, (select count(*) from products) as p, "
        "(select count(*) from sales_reps) as r, "
        "(select count(*) from sales_reps where manager is not null) as m",
    ).iloc[0]
    assert (counts["a"], counts["p"], counts["r"], counts["m"]) == (
        len(accounts),
        len(pd.read_csv(MAVEN / "products.csv")),
        len(teams),
        int(teams["manager"].notna().sum()),
    )


def test_maven_deals_without_lead_or_source_are_named_not_split(built):
    ws = Workspace(built["maven"])
    try:
        state = links.link_state(ws)
        assert links.motion_coverage(ws) == (8800, 0)
    finally:
        ws.close()
    assert (state["deals"], state["with_motion"], state["orphan"]) == (8800, 0, 8800)


# Absence is "—" and a reason, never these words.
ABSENT_AS_TEXT = re.compile(r"\b(None|nan|NaN|NaT|null)\b")


@pytest.mark.parametrize("name", list(SETS))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_and_tab_opens_on_the_public_workspace(built, name, lang, monkeypatch):
    monkeypatch.setenv("FLYWHEEL_DB", str(built[name]))
    for page in sorted(p.name for p in (Path(APP).parent / "app_pages").glob("*.py")):
        at = AppTest.from_file(APP, default_timeout=180)
        at.session_state["lang"] = lang
        at.run()
        at.switch_page(f"app_pages/{page}").run()
        where = f"{name}/{page}"
        assert not at.exception, (where, [e.value for e in at.exception])
        assert not at.error, (where, [e.value for e in at.error])
        assert not ABSENT_AS_TEXT.search("\n".join(shown_text(at))), where
        # AppTest reruns only the page script, which drops the sidebar's language choice:
        # the tabs are opened in English (each page's default view is checked in both).
        if page in TABS and lang == "en":
            key, count = TABS[page]
            for tab in [t.label for t in at.tabs][1:count]:
                open_tab(at, key, tab)
                assert not at.exception, (where, tab, [e.value for e in at.exception])
                assert not at.error, (where, tab, [e.value for e in at.error])
                assert not ABSENT_AS_TEXT.search("\n".join(shown_text(at))), (where, tab)


def test_maven_price_realisation_reads_the_products_list_prices(built):
    from datetime import date

    from queries import mix
    from queries.filters import Filters

    pipeline = pd.read_csv(MAVEN / "sales_pipeline.csv")
    products = pd.read_csv(MAVEN / "products.csv")
    won = pipeline[pipeline["deal_stage"] == "Won"].merge(products, on="product")  # "GTXPro"
    want = won.groupby("product").agg(  # is not "GTX Pro": those deals have no list price
        won=("close_value", "size"), amount=("close_value", "sum"), listed=("sales_price", "sum")
    )
    ws = Workspace(built["maven"])
    try:
        got = mix.price_realisation(ws, Filters(date(2016, 1, 1), date(2018, 12, 31)))
    finally:
        ws.close()
    got = got.set_index("product").sort_index()
    assert got.index.tolist() == want.index.tolist()
    assert got["won"].tolist() == want["won"].tolist()
    assert got["list_from_products"].tolist() == want["won"].tolist()
    assert got["realisation"].tolist() == pytest.approx((want["amount"] / want["listed"]).tolist())
