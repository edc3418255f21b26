"""Linked records: accounts, leads, opportunities, the sales team and touches imported as
separate files, linked by the workspace (migration 014, the refresh in queries/sql/workspace.sql).

Every figure is worked out by hand from the small files below:

    accounts   001A Acme (Manufacturing, Germany), 001B Beta (Software, France)
    leads      L1 Acme, Web; L2 Beta, Cold Call, converted into opportunity 006C;
               L3 Webinar, cy@x.com; L4 no source
    deals      006A, 006B  lead L1, account 001A             → Web (from the lead): pull
               006C        no lead id; L2 converted into it  → Cold Call (lead): push
               006D        contact e-mail CY@x.com           → L3, Webinar (lead): pull
               006E        own source Partner, lead L4        → Partner (own): push
               006F        no lead, no source                → no motion (orphan)
               006G        lead L9, which is not imported    → no motion (lead missing)
               006H        closed before it was created      → rejected
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from components.ui.link_report import link_lines
from queries import links, workspaces
from queries.ingest import engine
from queries.ingest.engine import Choices
from queries.workspace import Workspace

ACCOUNTS = """Id,Name,Industry,BillingCountry
001A,Acme,Manufacturing,Germany
001B,Beta,Software,France
"""
LEADS = """Id,Email,Company,LeadSource,CreatedDate,ConvertedOpportunityId
L1,ann@acme.com,Acme,Web,2024-01-02,
L2,bob@beta.io,001B,Cold Call,2024-01-03,006C
L3,cy@x.com,,Webinar,2024-01-04,
L4,dee@y.com,,,2024-01-05,
"""
DEALS = """Id,Name,AccountId,StageName,Amount,CloseDate,CreatedDate,LeadSource,LeadId,ContactEmail
006A,Acme one,001A,Closed Won,1000,2024-02-01,2024-01-10,,L1,
006B,Acme two,001A,Closed Lost,500,2024-02-02,2024-01-11,,L1,
006C,Beta one,001B,Closed Won,2000,2024-02-03,2024-01-12,,,
006D,Cy deal,,Prospecting,300,2024-06-30,2024-01-13,,,CY@x.com
006E,Own source,,Closed Won,400,2024-02-05,2024-01-14,Partner,L4,
006F,Orphan,,Prospecting,100,2024-07-01,2024-01-15,,,
006G,Missing lead,,Prospecting,100,2024-07-01,2024-01-15,,L9,
006H,Backwards,,Closed Won,100,2023-12-01,2024-01-15,,L1,
"""
MOTIONS = {"Web": "pull", "Cold Call": "push", "Webinar": "pull", "Partner": "push"}

CHOICES = {
    "accounts": Choices(
        kind="accounts",
        preset="generic",
        mapping={
            "account_id": "Id",
            "name": "Name",
            "industry": "Industry",
            "country": "BillingCountry",
        },
    ),
    "leads": Choices(
        kind="leads",
        preset="generic",
        mapping={
            "lead_id": "Id",
            "email": "Email",
            "account": "Company",
            "source": "LeadSource",
            "created_at": "CreatedDate",
            "converted_deal_id": "ConvertedOpportunityId",
        },
        source_motions=MOTIONS,
    ),
    "deals": Choices(
        kind="deals",
        preset="generic",
        mapping={
            "deal_id": "Id",
            "name": "Name",
            "account_id": "AccountId",
            "stage": "StageName",
            "amount": "Amount",
            "close_date": "CloseDate",
            "created_at": "CreatedDate",
            "source": "LeadSource",
            "lead_id": "LeadId",
            "email": "ContactEmail",
        },
        source_motions=MOTIONS,
    ),
}
TEXTS = {"accounts": ACCOUNTS, "leads": LEADS, "deals": DEALS}


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = workspaces.create_workspace(tmp_path / "linked.duckdb")
    yield w
    w.close()


def rows(ws: Workspace, sql: str) -> list[tuple]:
    cur = ws.cursor()
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def load(
    ws: Workspace, tmp_path: Path, kind: str, text: str | None = None, choices=None
) -> engine.Result:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text if text is not None else TEXTS[kind], encoding="utf-8")
    with engine.open_import(ws, path, choices=choices or CHOICES.get(kind)) as plan:
        return plan.commit("append")


def deal_links(ws: Workspace) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in rows(
            ws,
            "select deal_id, source, source_origin, motion, account, segment, region "
            "from deals order by deal_id",
        )
    }


EXPECTED_DEALS = {
    "006A": ("Web", "lead", "pull", "Acme", "Manufacturing", "Germany"),
    "006B": ("Web", "lead", "pull", "Acme", "Manufacturing", "Germany"),
    "006C": ("Cold Call", "lead", "push", "Beta", "Software", "France"),
    "006D": ("Webinar", "lead", "pull", None, None, None),
    "006E": ("Partner", None, "push", None, None, None),
    "006F": (None, None, None, None, None, None),
    "006G": (None, None, None, None, None, None),
}


@pytest.mark.parametrize("order", [("accounts", "leads", "deals"), ("deals", "leads", "accounts")])
def test_deals_take_their_leads_source_and_accounts_segment_in_any_import_order(
    ws, tmp_path, order
):
    results = {kind: load(ws, tmp_path, kind) for kind in order}
    assert results["deals"].rows_loaded == 7
    assert results["deals"].rows_rejected == 1
    reject = rows(ws, "select row_number, code, column_name from import_rejects")
    assert reject == [(8, "closed_before_created", "CloseDate")]
    assert deal_links(ws) == EXPECTED_DEALS
    # Leads take their account's segment and region (by name for L1, by id for L2).
    assert rows(ws, "select lead_id, segment, region from raw_leads order by 1") == [
        ("L1", "Manufacturing", "Germany"),
        ("L2", "Software", "France"),
        ("L3", None, None),
        ("L4", None, None),
    ]
    # Each lead's deals, linked by id, converted-opportunity id or e-mail (migration 011 facts).
    assert rows(
        ws, "select lead_id, deal_count, won_deal_count, first_won_at from raw_leads order by 1"
    ) == [
        ("L1", 2, 1, datetime(2024, 2, 1)),
        ("L2", 1, 1, datetime(2024, 2, 3)),
        ("L3", 1, 0, None),
        ("L4", 1, 1, datetime(2024, 2, 5)),
    ]


def test_the_link_report_counts_where_each_deals_motion_comes_from(ws, tmp_path):
    for kind in ("accounts", "leads", "deals"):
        load(ws, tmp_path, kind)
    state = links.link_state(ws)
    keys = ("deals", "with_motion", "own", "from_lead", "from_rule", "with_account")
    assert {k: state[k] for k in keys} == {
        "deals": 7,
        "with_motion": 5,  # A, B, C, D from their leads; E its own
        "own": 1,
        "from_lead": 4,
        "from_rule": 0,
        "with_account": 3,
    }
    assert (state["orphan"], state["lead_missing"], state["lead_without_source"]) == (1, 1, 0)
    assert (state["account_linked"], state["accounts"]) == (3, 2)
    assert link_lines(state, "en")[:3] == [
        "5 of 7 deals have a motion (1 from their own source, 4 from their lead).",
        "Deals naming a lead the workspace does not hold: 1 (import the leads file to link them).",
        "Deals with no lead and no source: 1. Map a source column, import their leads, or set a "
        "deal source rule on the Data page.",
    ]
    assert link_lines(state, "zh")[0] == (
        "7 个商机中有 5 个有推拉归属（1 个来自自身来源，4 个来自其线索）。"
    )


def test_undoing_the_leads_takes_back_what_the_deals_inherited(ws, tmp_path):
    for kind in ("accounts", "leads", "deals"):
        load(ws, tmp_path, kind)
    lead_import = rows(ws, "select import_id from imports where kind = 'leads'")[0][0]
    engine.undo(ws, lead_import)
    got = deal_links(ws)
    # Only the deal with a source of its own keeps a motion; the accounts still give segments.
    assert {d: v[:3] for d, v in got.items() if v[0] is not None} == {
        "006E": ("Partner", None, "push")
    }
    assert got["006A"][3:] == ("Acme", "Manufacturing", "Germany")
    state = links.link_state(ws)
    assert (state["with_motion"], state["lead_missing"], state["orphan"]) == (1, 3, 3)
    account_import = rows(ws, "select import_id from imports where kind = 'accounts'")[0][0]
    engine.undo(ws, account_import)
    # Without the accounts a deal shows its account id, and no inherited segment or region.
    assert deal_links(ws)["006A"][3:] == ("001A", None, None)
    assert rows(ws, "select count(*) from raw_deals where segment_origin is not null") == [(0,)]


def test_a_deal_source_rule_gives_deals_without_any_source_one_by_the_owners_role(ws, tmp_path):
    load(
        ws,
        tmp_path,
        "deals",
        "Deal ID,Stage,Amount,Close Date,Owner,Type\n"
        "D1,Closed Won,100,2024-02-01,Sam,New Business\n"
        "D2,Closed Won,200,2024-02-02,Ada,Renewal\n"
        "D3,Prospecting,300,,Nobody,\n",
        Choices(kind="deals", preset="generic"),
    )
    reps = tmp_path / "team.csv"
    reps.write_text("Name,Role,Manager\nSam,SDR,Kim\nAda,Account Executive,Kim\n")
    with engine.open_import(
        ws,
        reps,
        choices=Choices(
            kind="reps",
            preset="generic",
            mapping={"owner": "Name", "role": "Role", "manager": "Manager"},
        ),
    ) as plan:
        assert plan.commit("append").rows_loaded == 2
    assert rows(ws, "select count(*) from raw_deals where source is not null") == [(0,)]
    links.set_deal_source_rule(ws, "rep_role")
    assert rows(ws, "select deal_id, source, source_origin from raw_deals order by 1") == [
        ("D1", "Rep role: SDR", "rule"),
        ("D2", "Rep role: Account Executive", "rule"),
        ("D3", None, None),
    ]
    links.set_deal_source_rule(ws, "none")
    assert rows(ws, "select count(*) from raw_deals where source is not null") == [(0,)]


def test_touches_link_to_leads_and_repeat_touches_are_rejected(ws, tmp_path):
    load(ws, tmp_path, "leads")
    path = tmp_path / "members.csv"
    path.write_text(
        "LeadId,CampaignId,FirstRespondedDate\n"
        "L1,701A,2024-01-01\n"
        "L3,701A,2024-01-02\n"
        "L1,701A,2024-01-01\n"  # the same membership twice
        "L9,701B,2024-01-03\n"  # a lead the workspace does not hold: stored, not linked
        ",701B,2024-01-03\n"  # no lead: rejected
    )
    with engine.open_import(
        ws,
        path,
        choices=Choices(
            kind="touches",
            preset="generic",
            mapping={
                "lead_id": "LeadId",
                "campaign_id": "CampaignId",
                "touched_at": "FirstRespondedDate",
            },
        ),
    ) as plan:
        result = plan.commit("append")
    assert (result.rows_loaded, result.rows_rejected) == (3, 2)
    assert rows(ws, "select row_number, code from import_rejects order by 1") == [
        (3, "duplicate_in_file"),
        (5, "missing_value"),
    ]
    assert rows(ws, "select touch_id from touches order by 1")[0] == (
        "L1 · 701A · 2024-01-01 00:00:00",
    )
    state = links.link_state(ws)
    assert (state["touches"], state["touches_linked"]) == (3, 2)


def test_products_accounts_and_reps_undo_exactly(ws, tmp_path):
    path = tmp_path / "products.csv"
    path.write_text("Product,Series,Price\nGTX Basic,GTX,550\nMG Special,MG,55\n")
    choices = Choices(
        kind="products",
        preset="generic",
        mapping={"name": "Product", "family": "Series", "list_price": "Price"},
    )
    with engine.open_import(ws, path, choices=choices) as plan:
        first = plan.commit("append")
    assert rows(ws, "select product_id, name, family, list_price from products order by 1") == [
        ("GTX Basic", "GTX Basic", "GTX", Decimal("550.00")),
        ("MG Special", "MG Special", "MG", Decimal("55.00")),
    ]
    path.write_text("Product,Series,Price\nGTX Basic,GTX,600\n")
    with engine.open_import(ws, path, choices=choices) as plan:
        second = plan.commit("upsert")
    assert rows(ws, "select list_price from products where name = 'GTX Basic'") == [
        (Decimal("600.00"),)
    ]
    engine.undo(ws, second.import_id)
    assert rows(ws, "select list_price from products where name = 'GTX Basic'") == [
        (Decimal("550.00"),)
    ]
    engine.undo(ws, first.import_id)
    assert rows(ws, "select count(*) from products") == [(0,)]


def test_one_column_may_feed_two_fields(ws, tmp_path):
    path = tmp_path / "mqls.csv"
    path.write_text("mql_id,first_contact_date,origin\nm1,2018-02-01,social\n")
    choices = Choices(
        kind="leads",
        preset="generic",
        mapping={"lead_id": "mql_id", "created_at": "first_contact_date", "source": "origin"},
    )
    with engine.open_import(ws, path, choices=choices) as plan:
        plan.configure(
            Choices(
                kind="leads",
                preset="generic",
                mapping={**choices.mapping, "mql_at": "first_contact_date"},
            )
        )
        assert plan.mapping["created_at"] == plan.mapping["mql_at"] == "first_contact_date"
        plan.commit("append")
    assert rows(ws, "select created_at, mql_at from raw_leads") == [
        (datetime(2018, 2, 1), datetime(2018, 2, 1))
    ]


def test_an_unknown_field_lists_the_fields_of_the_kind(ws, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("Deal ID,Stage,Amount\nD1,Open,5\n")
    with pytest.raises(engine.ImportRefused) as refused:
        engine.open_import(ws, path, choices=Choices(kind="deals", mapping={"closed_at": "Stage"}))
    message = refused.value.message("en")
    assert "closed_at" in message and "close_date, won_at, lost_at" in message


def test_invisible_characters_are_removed_from_ids_and_text(ws, tmp_path):
    path = tmp_path / "d.csv"
    path.write_bytes(
        "Deal ID,Deal Name,Stage,Amount\n"
        "ID-1,Acme\x1b[31m red,Open,100\n"
        "ID-1\u200b,Acme two,Open,100\n"
        "ID-2,Nul\x0bVT,Open,5\n".encode()
    )
    with engine.open_import(ws, path, choices=Choices(kind="deals")) as plan:
        report = plan.validate("append")
        # "ID-1" with a zero-width space is the same id: a repeat, not a second deal.
        assert report.rejects[["row_number", "code"]].values.tolist() == [[2, "duplicate_in_file"]]
        plan.commit("append")
    assert rows(ws, "select deal_id, name from raw_deals order by 1") == [
        ("ID-1", "Acme[31m red"),
        ("ID-2", "NulVT"),
    ]


def test_an_amount_beyond_the_money_range_rejects_its_row(ws, tmp_path):
    path = tmp_path / "d.csv"
    path.write_text("Deal ID,Stage,Amount\nD1,Open,99999999999999999999\nD2,Open,5\n")
    with engine.open_import(ws, path, choices=Choices(kind="deals")) as plan:
        report = plan.validate("append")
    assert report.rejects[["row_number", "code"]].values.tolist() == [[1, "bad_money"]]
    assert report.rows_ok == 1


def test_an_upsert_keeps_the_columns_its_file_does_not_have(ws, tmp_path):
    """Salesforce's Product2 gives names and families, PricebookEntry the prices of the same
    products: the second file, upserted, fills the prices and keeps the families."""
    api = Path(__file__).resolve().parents[1] / "data" / "api"
    with engine.open_import(ws, api / "salesforce_product2.csv") as plan:
        assert plan.kind == "products"
        plan.commit("append")
    with engine.open_import(ws, api / "salesforce_pricebookentry.csv") as plan:
        assert plan.kind == "products"
        with pytest.raises(engine.ImportRefused) as refused:
            plan.commit("append")
        assert refused.value.code == "all_existing"
        result = plan.commit("upsert")
    assert result.rows_replaced == 3
    assert rows(ws, "select name, family, list_price from products order by 1") == [
        ("Onboarding Package", "Services", Decimal("5000.00")),
        ("Platform Licence", "Software", Decimal("24000.00")),
        ("Premium Support", "Support", Decimal("3600.00")),
    ]
    engine.undo(ws, result.import_id)
    assert rows(ws, "select count(*), count(list_price), count(family) from products") == [
        (3, 0, 3)
    ]


def test_a_column_the_remembered_mapping_did_not_know_is_still_suggested(ws, tmp_path):
    """The team's first deals export had no source; the next one has: a remembered mapping
    must not hide the new column."""
    first = tmp_path / "first.csv"
    first.write_text("Deal ID,Stage,Amount,Close Date\nD1,Closed Won,100,2024-02-01\n")
    with engine.open_import(ws, first) as plan:
        assert "source" not in plan.mapping
        plan.commit("append")
    second = tmp_path / "second.csv"
    second.write_text("Deal ID,Stage,Amount,Close Date,source\nD2,Closed Won,200,2024-02-02,Web\n")
    with engine.open_import(ws, second) as plan:
        assert plan.mapping_origin == "remembered"
        assert plan.mapping["source"] == "source"
        plan.commit("append")
    assert rows(ws, "select deal_id, source from raw_deals order by 1") == [
        ("D1", None),
        ("D2", "Web"),
    ]
