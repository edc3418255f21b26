"""The real public datasets (copied from ../shared/data into tests/data/shared, with their
SOURCE.txt), imported through the engine, checked against figures computed independently
with pandas from the same files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from queries import workspaces
from queries.ingest import engine
from queries.ingest.engine import Choices
from queries.workspace import Workspace

DATA = Path(__file__).resolve().parents[1] / "data" / "shared"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = workspaces.create_workspace(tmp_path / "own.duckdb")
    yield w
    w.close()


def one(ws: Workspace, sql: str) -> tuple:
    cur = ws.cursor()
    try:
        return cur.execute(sql).fetchone()
    finally:
        cur.close()


def test_maven_sales_pipeline_loads_exactly(ws):
    path = DATA / "maven_crm" / "sales_pipeline.csv"
    expected = pd.read_csv(path)
    with engine.open_import(ws, path) as plan:
        assert plan.kind == "deals"
        assert plan.mapping["deal_id"] == "opportunity_id"
        assert plan.mapping["amount"] == "close_value"
        plan.configure(Choices(stage_outcomes={"Engaging": "open"}))
        result = plan.commit("append")
    assert result.rows_rejected == 0
    assert result.rows_loaded == len(expected) == 8800
    stage = expected["deal_stage"]
    counts = one(
        ws,
        "select count_if(outcome = 'won'), count_if(outcome = 'lost'), count_if(outcome = 'open'),"
        " sum(amount) filter (where outcome = 'won') from raw_deals",
    )
    won = expected[stage == "Won"]
    assert counts[:3] == (
        (stage == "Won").sum(),
        (stage == "Lost").sum(),
        stage.isin(["Engaging", "Prospecting"]).sum(),
    )
    assert counts[3] == Decimal(str(int(won["close_value"].sum())))
    cycle = (pd.to_datetime(won["close_date"]) - pd.to_datetime(won["engage_date"])).dt.days
    assert one(
        ws,
        "select median(date_diff('day', created_at, closed_at)) from raw_deals "
        "where outcome = 'won'",
    )[0] == pytest.approx(cycle.median())
    # Open deals keep no closed_at; prospecting deals have no engage date (stored empty).
    assert (
        one(ws, "select count(*) from raw_deals where outcome = 'open' and closed_at is not null")[
            0
        ]
        == 0
    )
    assert one(ws, "select count(*) from raw_deals where created_at is null")[0] == int(
        expected["engage_date"].isna().sum()
    )


def test_olist_marketing_qualified_leads_load_with_their_origin(ws):
    path = DATA / "olist_marketing_funnel" / "olist_marketing_qualified_leads_dataset.csv"
    expected = pd.read_csv(path)
    with engine.open_import(ws, path) as plan:
        assert plan.kind == "leads"
        assert plan.mapping["lead_id"] == "mql_id"
        assert plan.mapping["created_at"] == "first_contact_date"
        result = plan.commit("append")
    assert (result.rows_loaded, result.rows_rejected) == (8000, 0)
    first, last = one(
        ws, "select min(created_at)::date::varchar, max(created_at)::date::varchar from raw_leads"
    )
    assert (first, last) == (
        expected["first_contact_date"].min(),
        expected["first_contact_date"].max(),
    )
    if "source" in plan.mapping:
        social = one(ws, "select count(*) from raw_leads where source = 'social'")[0]
        assert social == (expected["origin"] == "social").sum()


def test_olist_closed_deals_are_won_on_their_won_date(ws):
    path = DATA / "olist_marketing_funnel" / "olist_closed_deals_dataset.csv"
    expected = pd.read_csv(path)
    choices = Choices(
        kind="deals",
        mapping={
            "deal_id": "mql_id",
            "lead_id": "mql_id",
            "won_at": "won_date",
            "amount": "declared_monthly_revenue",
            "segment": "business_segment",
        },
    )
    # lead_id and deal_id both come from mql_id: the later mapping takes the column, so map
    # lead_id alone and let the id fall back to it only if the engine allows it.
    choices.mapping.pop("lead_id")
    with engine.open_import(ws, path, choices=choices) as plan:
        result = plan.commit("append")
    assert (result.rows_loaded, result.rows_rejected) == (842, 0)
    won, total, last = one(
        ws,
        "select count_if(outcome = 'won'), sum(amount), max(closed_at)::varchar from raw_deals",
    )
    assert won == 842
    assert total == Decimal(str(round(expected["declared_monthly_revenue"].sum(), 2)))
    assert last == expected["won_date"].max()


@pytest.mark.parametrize(
    "name",
    [
        "src_ads_bing_all_data.csv",
        "src_ads_tiktok_ads_all_data.csv",
        "src_promoted_tweets_twitter_all_data.csv",
        "src_ads_creative_facebook_all_data.csv",
    ],
)
def test_ad_platform_exports_load_as_spend_with_the_same_total(ws, name):
    path = DATA / "improvado_mcdm_ads" / name
    expected = pd.read_csv(path)
    with engine.open_import(ws, path) as plan:  # no kind given: detected as spend
        assert plan.kind == "spend"
        assert plan.mapping["spent_on"] == "date"
        assert plan.mapping["amount"] == "spend"
        result = plan.commit("append")
    assert result.rows_rejected == 0
    assert result.rows_loaded == len(expected)
    total = one(ws, "select sum(amount), count_if(category = 'marketing') from spend")
    assert total[0] == Decimal(str(round(expected["spend"].sum(), 2)))
    assert total[1] == len(expected)


def test_x_education_leads_without_dates_import_with_their_converted_flag(ws):
    """No date column at all: the leads import with empty dates (outside period views) and
    the Converted flag is kept, with no flags on the command."""
    path = DATA / "xeducation_leads" / "Leads.csv"
    expected = pd.read_csv(path)
    with engine.open_import(ws, path) as plan:
        assert plan.kind == "leads"
        assert plan.mapping["converted"] == "Converted"
        assert plan.mapping["source"] == "Lead Source"
        result = plan.commit("append")
    assert result.rows_rejected == 0
    assert result.rows_loaded == len(expected) == 9240
    assert one(ws, "select count(*), count(created_at) from raw_leads") == (9240, 0)
    assert one(ws, "select count_if(converted), count_if(not converted) from raw_leads") == (
        int((expected["Converted"] == 1).sum()),
        int((expected["Converted"] == 0).sum()),
    )
    assert one(ws, "select count(distinct source) from raw_leads")[0] == (
        expected["Lead Source"].nunique()
    )
