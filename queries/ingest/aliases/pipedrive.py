"""Pipedrive: the UI export, whose headers carry the record type ("Deal - Title", "Person -
Email", or without the prefix when one type is exported), and the API's snake_case fields
(``add_time``, ``won_time``, ``stage_id``, ``org_id``, ``user_id``), as integrations and the
API export write them."""

from __future__ import annotations

LABEL = "Pipedrive"
DAY_FIRST = False
DECIMAL_COMMA = False

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    # Leads (the Leads inbox) and persons
    "leads": {
        "lead_id": ("Lead - ID", "Person - ID", "id"),
        "email": ("Person - Email", "Lead - Email", "Email", "primary_email", "email"),
        "created_at": (
            "Lead - Lead created",
            "Person - Person created",
            "Lead created",
            "add_time",
        ),
        "source": (
            "Lead - Source channel",
            "Lead - Source",
            "Person - Source channel",
            "Source channel",
            "Lead - Source origin",
            "Source origin",
            "channel",
            "origin",
            "source_name",
        ),
        "owner": ("Lead - Owner", "Person - Owner", "Owner", "owner_name", "owner_id"),
        "account": ("Lead - Organization", "Person - Organization", "org_name", "org_id"),
    },
    "deals": {
        "deal_id": ("Deal - ID", "ID", "id"),
        "name": ("Deal - Title", "Title", "title"),
        "account": ("Deal - Organization", "Organization", "org_name"),
        "account_id": ("Deal - Organization ID", "org_id"),
        "lead_id": ("Deal - Contact person", "Contact person", "person_id", "person_name"),
        "email": ("Person - Email", "Deal - Contact person email"),
        "created_at": ("Deal - Deal created", "Deal created", "add_time"),
        # close_time is when the deal was won or lost; expected_close_date the plan for open
        # deals (the engine uses close_date only for closed deals).
        "close_date": (
            "Deal - Deal closed on",
            "Deal closed on",
            "close_time",
            "Deal - Expected close date",
            "Expected close date",
            "expected_close_date",
        ),
        "won_at": ("Deal - Won time", "Won time", "won_time"),
        "lost_at": ("Deal - Lost time", "Lost time", "lost_time"),
        "stage": ("Deal - Stage", "Stage", "stage_name", "stage_id"),
        "status": ("Deal - Status", "Status", "status"),
        "amount": ("Deal - Value", "Value", "value"),
        "currency": ("Deal - Currency", "Currency", "currency"),
        "owner": ("Deal - Owner", "Owner", "owner_name", "user_id"),
        "source": (
            "Deal - Source channel",
            "Source channel",
            "Deal - Source origin",
            "Source origin",
            "channel",
            "origin",
        ),
        "lost_reason": ("Deal - Lost reason", "Lost reason", "lost_reason"),
        "product": ("Deal - Product name", "Product name"),
    },
    "accounts": {
        "account_id": ("Organization - ID", "id"),
        "name": ("Organization - Name", "Name", "name"),
        "owner": ("Organization - Owner", "owner_name", "owner_id"),
        "created_at": ("Organization - Organization created", "add_time"),
        "country": ("Organization - Address - Country", "address_country"),
        "region": ("Organization - Address - State/County", "address_admin_area_level_1"),
        "industry": ("Organization - Industry", "industry"),
        "employees": ("Organization - Number of employees", "employee_count"),
        "annual_revenue": ("Organization - Annual revenue", "annual_revenue"),
    },
    # Users
    "reps": {
        "owner": ("Name", "name"),
        "rep_id": ("User ID", "id"),
        "email": ("Email", "email"),
        "role": ("Role", "role_id"),
        "hired_on": ("created",),
    },
    "products": {
        "product_id": ("Product - ID", "id", "Product code", "code"),
        "name": ("Product - Name", "Name", "name"),
        "family": ("Product - Category", "Category", "category"),
        # "prices" is the API's list of {currency, price}; a flattened export writes price.
        "list_price": ("Product - Unit price", "Unit price", "price", "prices"),
        "currency": ("Product - Currency", "currency"),
    },
}

MARKERS: dict[str, tuple[str, ...]] = {
    "leads": (
        "Lead - Title",
        "Lead created",
        "Source origin",
        "Source channel",
        "Person - Name",
        "Person - Email",
    ),
    "deals": (
        "Title",
        "Value",
        "Won time",
        "Lost time",
        "Deal created",
        "Deal closed on",
        "Expected close date",
        "Organization",
        "Lost reason",
        "Source channel",
        "Source origin",
        "Next activity date",
    ),
    "accounts": ("Organization - Name", "Organization - Owner", "Organization - ID"),
    "products": ("Product - Name", "Product - Unit price", "Product - Category"),
}

API_MARKERS: dict[str, tuple[str, ...]] = {
    "leads": ("person_id", "org_id", "owner_id", "primary_email", "source_name", "label_ids"),
    "deals": (
        "stage_id",
        "pipeline_id",
        "won_time",
        "lost_time",
        "close_time",
        "expected_close_date",
        "org_id",
        "org_name",
        "person_id",
        "person_name",
        "user_id",
        "owner_name",
        "lost_reason",
        "stage_change_time",
        "weighted_value",
    ),
    "accounts": ("address_country", "people_count", "open_deals_count", "won_deals_count"),
    "reps": ("role_id", "is_admin", "active_flag", "last_login", "icon_url", "is_you"),
    "products": ("prices", "unit", "tax", "is_deleted", "selectable", "visible_to"),
}
COMMON_API_MARKERS: tuple[str, ...] = ("add_time", "update_time", "active_flag", "owner_id")

STAGES: dict[str, tuple[str, ...]] = {
    # status: won / lost / open. "deleted" is left undecided on purpose: a deleted deal is
    # neither won nor lost but removed (a duplicate, a test); the user decides whether it
    # counts as lost or stays out.
    "won": ("won",),
    "lost": ("lost",),
    "open": (
        "open",
        # The default pipeline
        "Lead In",
        "Qualified",
        "Contact Made",
        "Demo Scheduled",
        "Needs Defined",
        "Proposal Made",
        "Negotiations Started",
    ),
}

# Origin (how the record got into Pipedrive, API values and labels) and source channels.
SOURCES: dict[str, tuple[str, ...]] = {
    "pull": (
        "WebForms",
        "Web forms",
        "Web Visitors",
        "WebVisitors",
        "LiveChat",
        "Live chat",
        "Chatbot",
        "LeadBooster",  # Pipedrive's chatbot/web forms add-on: inbound capture
        "Marketing",
        "Campaigns",
        "Event",
        "Events",
        "Organic search",
        "Paid search",
        "Social media",
        "Email marketing",
        "Direct traffic",
        "Referral",
    ),
    "push": (
        "Prospector",  # leads bought from Pipedrive's prospect database for outreach
        "Lead Suggestions",
        "LeadSuggestions",
        "Cold outreach",
    ),
    # Manually created (a rep typed it in: like HubSpot's OFFLINE, mostly but not only
    # sales), Import, API, Marketplace apps and messaging inboxes could be either: undecided.
}
