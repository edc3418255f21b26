"""CRM exports written with API field names (Salesforce Data Loader, HubSpot and Zoho API and
integration exports, Pipedrive's API), and the new kinds (accounts, reps, products, touches):
detection and mapping with no flags.

Each file of tests/data/api is a small export in one CRM's API shape, its headers exactly as the
CRM writes them and a few made-up rows. The public datasets in /work/shared/data are read from
their first 200 rows, as the import's sample would be.
"""

from __future__ import annotations

import time
from pathlib import Path
from types import ModuleType

import pandas as pd
import pytest

from queries.ingest import presets
from queries.ingest.aliases import (
    chinese_crm,
    dingtalk,
    fxiaoke,
    generic,
    hubspot,
    jiandaoyun,
    kingdee_yonyou,
    neocrm,
    pipedrive,
    salesforce,
    zoho,
)
from queries.ingest.fields import FIELDS, KINDS, missing_required

API = Path(__file__).resolve().parents[1] / "data" / "api"
REAL = Path("/work/shared/data")


def read(path: Path, nrows: int | None = None) -> tuple[list[str], dict[str, list[str]]]:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=nrows)
    df.columns = [str(c).lstrip("\ufeff") for c in df.columns]
    headers = list(df.columns)
    return headers, {h: [v for v in df[h].tolist() if v.strip()] for h in headers}


# file -> (kind, preset, the key fields' headers: the suggestion must hold exactly these pairs)
API_FILES: dict[str, tuple[str, str, dict[str, str]]] = {
    # Salesforce (Data Loader / API names)
    "salesforce_lead.csv": (
        "leads",
        "salesforce",
        {
            "lead_id": "Id",
            "email": "Email",
            "created_at": "CreatedDate",
            "source": "LeadSource",
            "campaign_id": "CampaignId",
            "owner": "OwnerId",
            "account": "Company",
            "converted": "IsConverted",
            "converted_deal_id": "ConvertedOpportunityId",
            "region": "Country",
            "segment": "Industry",
        },
    ),
    "salesforce_contact.csv": (
        "leads",
        "salesforce",
        {
            "lead_id": "Id",
            "email": "Email",
            "created_at": "CreatedDate",
            "source": "LeadSource",
            "account": "AccountId",
            "region": "MailingCountry",
        },
    ),
    "salesforce_opportunity.csv": (
        "deals",
        "salesforce",
        {
            "deal_id": "Id",
            "name": "Name",
            "account": "Account.Name",
            "account_id": "AccountId",
            "amount": "Amount",
            "stage": "StageName",
            "is_won": "IsWon",
            "is_closed": "IsClosed",
            "close_date": "CloseDate",
            "created_at": "CreatedDate",
            "source": "LeadSource",
            "deal_type": "Type",
            "owner": "Owner.Name",
            "campaign_id": "CampaignId",
            "currency": "CurrencyIsoCode",
            "lead_id": "LeadId",
        },
    ),
    "salesforce_campaign.csv": (
        "campaigns",
        "salesforce",
        {
            "campaign_id": "Id",
            "name": "Name",
            "channel": "Type",
            "status": "Status",
            "start_date": "StartDate",
            "end_date": "EndDate",
            "budget": "BudgetedCost",
        },
    ),
    "salesforce_campaign_member.csv": (
        "touches",
        "salesforce",
        {
            "touch_id": "Id",
            "campaign_id": "CampaignId",
            "lead_id": "LeadId",
            "touch_type": "Status",
            "touched_at": "CreatedDate",
        },
    ),
    "salesforce_account.csv": (
        "accounts",
        "salesforce",
        {
            "account_id": "Id",
            "name": "Name",
            "industry": "Industry",
            "employees": "NumberOfEmployees",
            "annual_revenue": "AnnualRevenue",
            "country": "BillingCountry",
            "region": "BillingState",
            "parent": "ParentId",
            "owner": "OwnerId",
            "created_at": "CreatedDate",
        },
    ),
    "salesforce_user.csv": (
        "reps",
        "salesforce",
        {
            "rep_id": "Id",
            "owner": "Name",
            "email": "Email",
            "role": "UserRole.Name",
            "manager": "ManagerId",
            "team": "Department",
        },
    ),
    "salesforce_product2.csv": (
        "products",
        "salesforce",
        {"product_id": "Id", "name": "Name", "family": "Family"},
    ),
    "salesforce_pricebookentry.csv": (
        "products",
        "salesforce",
        {
            "product_id": "Product2Id",
            "name": "Product2.Name",
            "list_price": "UnitPrice",
            "currency": "CurrencyIsoCode",
        },
    ),
    # HubSpot (internal property names)
    "hubspot_deals.csv": (
        "deals",
        "hubspot",
        {
            "deal_id": "hs_object_id",
            "name": "dealname",
            "stage": "dealstage",
            "amount": "amount",
            "currency": "deal_currency_code",
            "close_date": "closedate",
            "created_at": "createdate",
            "owner": "hubspot_owner_id",
            "deal_type": "dealtype",
            "lost_reason": "closed_lost_reason",
            "source": "hs_analytics_source",
            "is_won": "hs_is_closed_won",
            "is_closed": "hs_is_closed",
            "account_id": "associatedcompanyid",
            "lead_id": "associated_contact_ids",
        },
    ),
    "hubspot_contacts.csv": (
        "leads",
        "hubspot",
        {
            "lead_id": "hs_object_id",
            "email": "email",
            "created_at": "createdate",  # epoch milliseconds in this file
            "source": "hs_analytics_source",
            "mql_at": "hs_lifecyclestage_marketingqualifiedlead_date",
            "sql_at": "hs_lifecyclestage_salesqualifiedlead_date",
            "lead_score": "hubspotscore",
            "owner": "hubspot_owner_id",
            "first_touch_at": "hs_sa_first_engagement_date",
            "account": "associatedcompanyid",
            "region": "country",
            "segment": "industry",
        },
    ),
    "hubspot_companies.csv": (
        "accounts",
        "hubspot",
        {
            "account_id": "hs_object_id",
            "name": "name",
            "industry": "industry",
            "employees": "numberofemployees",
            "annual_revenue": "annualrevenue",
            "country": "country",
            "region": "city",
            "created_at": "createdate",
            "owner": "hubspot_owner_id",
        },
    ),
    "hubspot_owners.csv": (
        "reps",
        "hubspot",
        {"rep_id": "id", "email": "email", "team": "teams"},
    ),
    "hubspot_form_submissions.csv": (
        "touches",
        "hubspot",
        {
            "touch_id": "conversionId",
            "lead_id": "contact_id",
            "email": "email",
            "campaign_id": "formName",
            "touched_at": "submittedAt",  # epoch milliseconds
        },
    ),
    # Pipedrive (API fields)
    "pipedrive_deals.csv": (
        "deals",
        "pipedrive",
        {
            "deal_id": "id",
            "name": "title",
            "amount": "value",
            "currency": "currency",
            "status": "status",
            "created_at": "add_time",
            "won_at": "won_time",
            "lost_at": "lost_time",
            "close_date": "close_time",
            "account": "org_name",
            "account_id": "org_id",
            "lead_id": "person_id",
            "owner": "owner_name",
            "lost_reason": "lost_reason",
            "source": "channel",
        },
    ),
    "pipedrive_persons.csv": (
        "leads",
        "pipedrive",
        {
            "lead_id": "id",
            "email": "primary_email",
            "created_at": "add_time",
            "owner": "owner_name",
            "account": "org_name",
        },
    ),
    "pipedrive_organizations.csv": (
        "accounts",
        "pipedrive",
        {
            "account_id": "id",
            "name": "name",
            "country": "address_country",
            "owner": "owner_name",
            "created_at": "add_time",
        },
    ),
    "pipedrive_users.csv": (
        "reps",
        "pipedrive",
        {"rep_id": "id", "owner": "name", "email": "email", "role": "role_id"},
    ),
    "pipedrive_products.csv": (
        "products",
        "pipedrive",
        {
            "product_id": "id",
            "name": "name",
            "family": "category",
            "list_price": "price",
            "currency": "currency",
        },
    ),
    # Zoho CRM (API names)
    "zoho_deals.csv": (
        "deals",
        "zoho",
        {
            "deal_id": "id",
            "name": "Deal_Name",
            "stage": "Stage",
            "amount": "Amount",
            "close_date": "Closing_Date",
            "created_at": "Created_Time",
            "source": "Lead_Source",
            "account": "Account_Name",
            "owner": "Owner",
            "campaign_id": "Campaign_Source",
            "lead_id": "Contact_Name",
            "deal_type": "Type",
        },
    ),
    "zoho_leads.csv": (
        "leads",
        "zoho",
        {
            "lead_id": "id",
            "email": "Email",
            "created_at": "Created_Time",
            "source": "Lead_Source",
            "account": "Company",
            "segment": "Industry",
            "region": "Country",
            "owner": "Owner",
            "converted": "Converted__s",
        },
    ),
    "zoho_accounts.csv": (
        "accounts",
        "zoho",
        {
            "account_id": "id",
            "name": "Account_Name",
            "industry": "Industry",
            "employees": "Employees",
            "annual_revenue": "Annual_Revenue",
            "country": "Billing_Country",
            "region": "Billing_State",
            "owner": "Owner",
        },
    ),
    "zoho_users.csv": (
        "reps",
        "zoho",
        {
            "rep_id": "id",
            "owner": "full_name",
            "email": "email",
            "role": "role",
            "manager": "Reporting_To",
        },
    ),
    "zoho_products.csv": (
        "products",
        "zoho",
        {
            "product_id": "Product_Code",
            "name": "Product_Name",
            "family": "Product_Category",
            "list_price": "Unit_Price",
        },
    ),
    "zoho_campaigns.csv": (
        "campaigns",
        "zoho",
        {
            "campaign_id": "id",
            "name": "Campaign_Name",
            "channel": "Type",
            "status": "Status",
            "start_date": "Start_Date",
            "end_date": "End_Date",
            "budget": "Budgeted_Cost",
        },
    ),
}


def test_every_api_file_is_listed_and_every_crm_and_new_kind_covered() -> None:
    assert {p.name for p in API.glob("*.csv")} == set(API_FILES)
    pairs = {(kind, preset) for kind, preset, _ in API_FILES.values()}
    for preset in ("salesforce", "hubspot", "pipedrive", "zoho"):
        for kind in ("leads", "deals", "accounts", "reps"):
            assert (kind, preset) in pairs
    for kind in ("campaigns", "products", "touches"):
        assert any(k == kind for k, _ in pairs)


@pytest.mark.parametrize("name", sorted(API_FILES))
def test_api_export_is_detected_with_its_kind_and_crm(name: str) -> None:
    kind, preset, _ = API_FILES[name]
    headers, samples = read(API / name)
    found = presets.detect(headers, samples)
    assert (found[0].kind, found[0].preset) == (kind, preset), found[:3]
    # Not a coin toss: the best reading of any other kind scores clearly lower.
    other = [d for d in found if d.kind != kind]
    if other:
        assert found[0].score - other[0].score >= 0.1, (found[0], other[0])


@pytest.mark.parametrize("name", sorted(API_FILES))
def test_api_export_is_detected_from_its_headers_alone(name: str) -> None:
    kind, preset, _ = API_FILES[name]
    headers, _ = read(API / name)
    found = presets.detect(headers)
    assert (found[0].kind, found[0].preset) == (kind, preset), found[:3]


@pytest.mark.parametrize("name", sorted(API_FILES))
def test_api_export_maps_its_key_fields(name: str) -> None:
    kind, preset, expected = API_FILES[name]
    headers, samples = read(API / name)
    mapping = presets.suggest_mapping(kind, preset, headers, samples)
    assert {f: mapping.get(f) for f in expected} == expected
    assert not missing_required(kind, mapping)
    assert len(set(mapping.values())) == len(mapping)  # a header feeds one field


def test_pipedrive_stage_ids_are_kept_as_the_stage_when_no_name_is_exported() -> None:
    headers, samples = read(API / "pipedrive_deals.csv")
    mapping = presets.suggest_mapping("deals", "pipedrive", headers, samples)
    assert mapping["stage"] == "stage_id"
    assert "expected_close_date" not in mapping.values()  # close_time is the actual close


# -- the exports the brief names, headers only -------------------------------------------------
@pytest.mark.parametrize(
    ("headers", "kind", "expected"),
    [
        # A Salesforce Campaign export: Budget, not BudgetedCost, and no end date. Campaigns,
        # not deals (Name, Status and StartDate could be a deal's).
        (
            ["Id", "Name", "Type", "Status", "StartDate", "Budget"],
            "campaigns",
            {"campaign_id": "Id", "name": "Name", "start_date": "StartDate", "budget": "Budget"},
        ),
        (
            ["Id", "Name", "Amount", "StageName", "LeadId", "CloseDate", "CreatedDate"],
            "deals",
            {
                "deal_id": "Id",
                "name": "Name",
                "amount": "Amount",
                "stage": "StageName",
                "lead_id": "LeadId",
                "close_date": "CloseDate",
                "created_at": "CreatedDate",
            },
        ),
        (
            ["Id", "FirstName", "LastName", "Company", "LeadSource", "CreatedDate", "CampaignId"],
            "leads",
            {
                "lead_id": "Id",
                "account": "Company",
                "source": "LeadSource",
                "created_at": "CreatedDate",
                "campaign_id": "CampaignId",
            },
        ),
        (
            ["Id", "FirstName", "LastName", "Company", "Source", "CreatedDate", "CampaignId"],
            "leads",
            {"lead_id": "Id", "source": "Source", "account": "Company"},
        ),
    ],
)
def test_salesforce_objects_by_their_api_names(
    headers: list[str], kind: str, expected: dict[str, str]
) -> None:
    found = presets.detect(headers)
    assert found[0].kind == kind, found[:3]
    assert found[0].preset == "salesforce"
    mapping = presets.suggest_mapping(kind, found[0].preset, headers)
    assert {f: mapping.get(f) for f in expected} == expected


@pytest.mark.parametrize(
    "headers",
    [
        ["deal_id", "name", "stage", "amount", "source", "created_at"],
        ["Deal ID", "Deal Name", "Stage", "Amount", "Source", "Close Date"],
        ["Deal Name", "Deal Stage", "Deal owner", "Amount", "Source"],
        ["Title", "Value", "Status", "Won time", "source"],
    ],
)
def test_a_deals_column_named_source_is_the_source(headers: list[str]) -> None:
    samples = {h: [] for h in headers}
    src = next(h for h in headers if h.lower() == "source")
    samples[src] = ["Web", "Cold Call", "ORGANIC_SEARCH"]
    found = presets.detect(headers, samples)
    assert found[0].kind == "deals"
    assert presets.suggest_mapping("deals", found[0].preset, headers, samples)["source"] == src


def test_hubspot_deal_type_is_the_deal_type_not_the_segment() -> None:
    headers = ["Record ID", "Deal Name", "Deal Stage", "Amount", "Deal Type", "Pipeline"]
    mapping = presets.suggest_mapping("deals", "hubspot", headers)
    assert mapping["deal_type"] == "Deal Type"
    assert "segment" not in mapping


def test_hubspot_associated_contact_ids_stay_the_lead_id() -> None:
    headers = ["Record ID", "Deal Name", "Deal Stage", "Amount", "Associated Contact IDs"]
    assert presets.suggest_mapping("deals", "hubspot", headers)["lead_id"] == (
        "Associated Contact IDs"
    )


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Company", "account"),
        ("Company Name", "account"),
        ("associatedcompanyid", "account"),
        ("IsConverted", "converted"),
        ("Converted", "converted"),
        ("ConvertedOpportunityId", "converted_deal_id"),
    ],
)
def test_lead_account_and_conversion_columns(header: str, field: str) -> None:
    headers = ["Lead ID", "Email", header]
    preset = "hubspot" if header == "associatedcompanyid" else "generic"
    assert presets.suggest_mapping("leads", preset, headers).get(field) == header


def test_a_yes_no_column_feeds_a_flag_field_only_with_yes_no_values() -> None:
    headers = ["Lead ID", "Email", "Converted"]
    samples = {"Lead ID": ["1", "2"], "Email": ["a@b.co", "c@d.co"], "Converted": ["1", "0"]}
    assert presets.suggest_mapping("leads", "generic", headers, samples)["converted"] == (
        "Converted"
    )
    samples["Converted"] = ["2024-03-05", "2024-04-01"]  # a date: not the flag
    assert "converted" not in presets.suggest_mapping("leads", "generic", headers, samples)


# -- the public datasets, first 200 rows -----------------------------------------------------------
PUBLIC: dict[str, tuple[str, dict[str, str]]] = {
    "maven_crm/accounts.csv": (
        "accounts",
        {
            "name": "account",
            "industry": "sector",
            "employees": "employees",
            "annual_revenue": "revenue",
            "parent": "subsidiary_of",
        },
    ),
    "maven_crm/products.csv": (
        "products",
        {"name": "product", "family": "series", "list_price": "sales_price"},
    ),
    "maven_crm/sales_teams.csv": (
        "reps",
        {"owner": "sales_agent", "manager": "manager", "region": "regional_office"},
    ),
    "maven_crm/sales_pipeline.csv": (
        "deals",
        {
            "deal_id": "opportunity_id",
            "stage": "deal_stage",
            "amount": "close_value",
            "owner": "sales_agent",
        },
    ),
    # Every row is an MQL: first_contact_date is the created and the MQL date both.
    "olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv": (
        "leads",
        {
            "lead_id": "mql_id",
            "created_at": "first_contact_date",
            "mql_at": "first_contact_date",
            "source": "origin",
        },
    ),
    "olist_marketing_funnel/olist_closed_deals_dataset.csv": (
        "deals",
        {
            "lead_id": "mql_id",
            "won_at": "won_date",
            "segment": "business_segment",
            "owner": "sr_id",
            "amount": "declared_monthly_revenue",
        },
    ),
    "xeducation_leads/Leads.csv": (
        "leads",
        {
            "lead_id": "Prospect ID",
            "source": "Lead Source",
            "converted": "Converted",
            "region": "Country",
        },
    ),
    "improvado_mcdm_ads/src_ads_bing_all_data.csv": (
        "spend",
        {"spent_on": "date", "amount": "spend", "channel": "channel"},
    ),
}


@pytest.mark.parametrize("rel", sorted(PUBLIC))
def test_public_dataset_kind_and_mapping_from_200_rows(rel: str) -> None:
    kind, expected = PUBLIC[rel]
    headers, samples = read(REAL / rel, nrows=200)
    found = presets.detect(headers, samples)
    assert (found[0].kind, found[0].preset) == (kind, "generic"), found[:3]
    mapping = presets.suggest_mapping(kind, "generic", headers, samples)
    assert {f: mapping.get(f) for f in expected} == expected


def test_olist_closed_deals_leave_lead_type_and_business_type_unmapped() -> None:
    headers, samples = read(REAL / "olist_marketing_funnel/olist_closed_deals_dataset.csv", 200)
    mapping = presets.suggest_mapping("deals", "generic", headers, samples)
    # lead_type (online_medium, industry...) and business_type (reseller, manufacturer) are
    # neither the lead's id nor a deal type such as New Business / Renewal.
    assert "lead_type" not in mapping.values()
    assert "business_type" not in mapping.values()


def test_an_mql_date_is_shared_only_by_mql_lists() -> None:
    headers = ["lead_id", "first_contact_date", "origin"]
    mapping = presets.suggest_mapping("leads", "generic", headers)
    assert "mql_at" not in mapping
    headers = ["mql_id", "first_contact_date", "origin"]
    assert presets.suggest_mapping("leads", "generic", headers)["mql_at"] == "first_contact_date"


# -- header normalisation ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("StageName", "stage name"),
        ("CreatedDate", "created date"),
        ("ConvertedOpportunityId", "converted opportunity id"),
        ("Product2Id", "product2 id"),
        ("Account.Name", "account name"),
        ("UserRole.Name", "user role name"),
        ("submittedAt", "submitted at"),
        ("hs_object_id", "hs object id"),
        ("Deal_Name", "deal name"),
        ("Associated Contact IDs", "associated contact ids"),  # IDs stays one word
        ("HTMLTitle", "html title"),
        ("商机名称", "商机名称"),
        ("dealstage", "dealstage"),
    ],
)
def test_camel_case_headers_are_split(raw: str, expected: str) -> None:
    assert presets.normalise_header(raw) == expected


# -- values ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "type_", "share"),
    [
        (
            [
                "2024-03-05T14:30:00.000Z",
                "2024-03-05T14:30:00+08:00",
                "2024-03-05T14:30:00.000+0000",
                "2024-03-05T14:30:00Z",
            ],
            "timestamp",
            1.0,
        ),
        (["1709649000000"], "timestamp", 0.0),  # epoch ms only for API date names
        (["true", "false", "Yes", "no", "1", "0", "Y", "n", "是", "否", "checked"], "flag", 1.0),
        (["maybe", "true"], "flag", 0.5),
    ],
)
def test_looks_like_api_values(values: list[str], type_: str, share: float) -> None:
    assert presets.looks_like(values, type_) == pytest.approx(share)


def test_epoch_milliseconds_only_under_api_date_names() -> None:
    assert presets.looks_like(["1709649000000", "1710144000000"], "timestamp", epoch_ms=True) == 1
    for header in ("createdate", "hs_lifecyclestage_marketingqualifiedlead_date", "submittedAt"):
        assert presets.epoch_ms_header(header)
    for header in ("Create Date", "amount", "hs_object_id", "phone", "format"):
        assert not presets.epoch_ms_header(header)
    # An id column of 13-digit numbers is not a date; a HubSpot createdate of them is.
    headers = ["hs_object_id", "email", "createdate"]
    samples = {
        "hs_object_id": ["1709649000001"],
        "email": ["a@b.co"],
        "createdate": ["1709649000000"],
    }
    mapping = presets.suggest_mapping("leads", "hubspot", headers, samples)
    assert mapping["created_at"] == "createdate"
    assert mapping["lead_id"] == "hs_object_id"


@pytest.mark.parametrize(
    ("stage", "outcome"),
    [
        ("closedwon", "won"),
        ("closedlost", "lost"),
        ("ClosedWon", "won"),
        ("Closed Won", "won"),
        ("contractsent", "open"),
        ("won", "won"),  # Pipedrive status
        ("lost", "lost"),
        ("open", "open"),
        ("deleted", None),  # removed, not lost: the user decides
    ],
)
def test_api_stage_values(stage: str, outcome: str | None) -> None:
    assert presets.stage_outcome(stage) == outcome


@pytest.mark.parametrize(
    ("source", "motion"),
    [
        # HubSpot hs_analytics_source
        ("ORGANIC_SEARCH", "pull"),
        ("PAID_SEARCH", "pull"),
        ("EMAIL_MARKETING", "pull"),
        ("SOCIAL_MEDIA", "pull"),
        ("PAID_SOCIAL", "pull"),
        ("REFERRALS", "pull"),
        ("DIRECT_TRAFFIC", "pull"),
        ("OTHER_CAMPAIGNS", "pull"),
        ("OFFLINE", None),  # mostly sales-entered but mixed; a catch-all for the funnel
        # Salesforce LeadSource
        ("Web", "pull"),
        ("Phone Inquiry", "pull"),
        ("Partner Referral", "pull"),
        ("Purchased List", "push"),
        ("Other", None),
        ("Advertisement", "pull"),
        ("Employee Referral", "pull"),
        ("External Referral", "pull"),
        ("Partner", None),
        ("Public Relations", "pull"),
        ("Seminar - Internal", "pull"),
        ("Seminar - Partner", "pull"),
        ("Trade Show", "pull"),
        ("Word of mouth", "pull"),
        # Pipedrive origin and channel
        ("WebForms", "pull"),
        ("LiveChat", "pull"),
        ("Chatbot", "pull"),
        ("Prospector", "push"),
        ("LeadSuggestions", "push"),
        ("ManuallyCreated", None),
        ("Import", None),
        ("API", None),
        ("Organic search", "pull"),
        ("Channel Sales", "push"),
        # Olist origins
        ("organic_search", "pull"),
        ("paid_search", "pull"),
        ("social", "pull"),
        ("direct_traffic", "pull"),
        ("email", "pull"),
        ("referral", "pull"),
        ("display", "pull"),
        ("unknown", None),
        ("other", None),
        ("other_publicities", "pull"),
        # X Education lead sources
        ("Google", "pull"),
        ("Direct Traffic", "pull"),
        ("Olark Chat", "pull"),
        ("Organic Search", "pull"),
        ("Reference", "pull"),
        ("Welingak Website", "pull"),
        ("Referral Sites", "pull"),
        ("Facebook", "pull"),
        ("bing", "pull"),
        ("Click2call", "pull"),
        ("Live Chat", "pull"),
        ("Press_Release", "pull"),
        ("Social Media", "pull"),
        ("WeLearn", "pull"),
        ("youtubechannel", "pull"),
        ("testone", None),
        ("Pay per Click Ads", "pull"),
        ("blog", "pull"),
        ("welearnblog_Home", "pull"),
        ("NC_EDM", "pull"),
        # Zoho Lead Source
        ("Cold Call", "push"),
        ("Web Download", "pull"),
        ("Chat", "pull"),
    ],
)
def test_api_source_motions(source: str, motion: str | None) -> None:
    assert presets.guess_motion(source) == motion


# -- the alias modules -----------------------------------------------------------------------------
MODULES: dict[str, ModuleType] = {
    "generic": generic,
    "hubspot": hubspot,
    "salesforce": salesforce,
    "pipedrive": pipedrive,
    "zoho": zoho,
    "chinese_crm": chinese_crm,
    "fxiaoke": fxiaoke,
    "neocrm": neocrm,
    "dingtalk": dingtalk,
    "jiandaoyun": jiandaoyun,
    "kingdee_yonyou": kingdee_yonyou,
}


def _is_words(value: object) -> bool:
    return isinstance(value, tuple) and all(isinstance(w, str) and w for w in value)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_alias_modules_hold_plain_data_for_known_fields(name: str) -> None:
    module = MODULES[name]
    assert isinstance(module.LABEL, str) and module.LABEL
    for kind, fields in module.ALIASES.items():
        assert kind in KINDS
        assert set(fields) <= {f.name for f in FIELDS[kind]}, (kind, set(fields))
        assert all(_is_words(v) for v in fields.values())
    for attr in ("MARKERS", "API_MARKERS"):
        for kind, words in getattr(module, attr, {}).items():
            assert kind in KINDS and _is_words(words)
    assert set(module.STAGES) <= {"won", "lost", "open"}
    assert set(module.SOURCES) <= {"pull", "push"}
    for table in (module.STAGES, module.SOURCES):
        assert all(isinstance(v, tuple) for v in table.values())


def test_presets_keep_their_shape() -> None:
    assert set(presets.PRESETS) == set(MODULES)
    assert presets.GENERIC_ALIASES["deals"]["amount"][0] == "Amount"
    for name, preset in presets.PRESETS.items():
        assert preset.label == MODULES[name].LABEL
    assert set(presets.PRESETS["salesforce"].markers) >= {"leads", "deals", "campaigns"}
    assert set(presets.PRESETS["hubspot"].markers) >= {"leads", "deals", "accounts", "reps"}


def test_every_kind_can_be_detected_by_a_plain_spreadsheet() -> None:
    examples = {
        "leads": ["Lead ID", "Email", "Lead Source"],
        "deals": ["Deal ID", "Stage", "Amount"],
        "campaigns": ["Campaign", "Start", "End", "Budget"],
        "spend": ["Date", "Channel", "Spend"],
        "accounts": ["Account ID", "Account Name", "Industry", "Employees"],
        "reps": ["Sales Rep", "Email", "Team", "Manager"],
        "products": ["Product ID", "Product Name", "List Price"],
        "touches": ["Touch ID", "Lead ID", "Campaign ID", "Touched At"],
    }
    for kind, headers in examples.items():
        found = presets.detect(headers)
        assert found and found[0].kind == kind, (kind, found[:3])


# -- speed -----------------------------------------------------------------------------------------
def test_detection_of_a_wide_file_is_fast() -> None:
    headers, samples = read(API / "salesforce_opportunity.csv")
    headers = headers + [f"Custom_Field_{i}__c" for i in range(60 - len(headers))]
    rows = 500
    samples = {
        h: (samples.get(h) or ["x"]) * (rows // max(1, len(samples.get(h) or ["x"])))
        for h in headers
    }
    presets.detect(headers, samples)  # the alias tables are built once per process
    best = float("inf")
    for i in range(3):
        renamed = [f"{h}_{i}" if h.startswith("Custom") else h for h in headers]
        data = {r: samples[h] for r, h in zip(renamed, headers, strict=True)}
        t = time.perf_counter()
        presets.detect(renamed, data)
        best = min(best, time.perf_counter() - t)
    assert best < 0.25  # ~25-50 ms on a quiet machine; the bound leaves room for a busy one
