"""The fields each kind of import fills, their value types, and which are required.

A field is a column of the workspace table (DESIGN.md's contract) or an input the engine derives
one from (``close_date`` becomes ``closed_at`` only for closed deals; ``email`` stands in for a
lead's id). ``type`` names the value parser that reads it (queries/ingest/parsers.py).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = (
    "leads",
    "deals",
    "campaigns",
    "spend",
    "accounts",
    "reps",
    "products",
    "touches",
)
MODES = ("append", "replace", "upsert")


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text | money | number | percent | timestamp | date | outcome | flag
    table_column: str | None  # the column it lands in; None for inputs the engine derives from


def _f(name: str, type_: str = "text", column: str | None = "") -> Field:
    return Field(name, type_, name if column == "" else column)


FIELDS: dict[str, tuple[Field, ...]] = {
    "leads": (
        _f("lead_id"),
        _f("email"),  # also the id when the file has no id column
        _f("created_at", "timestamp"),
        _f("source"),
        _f("campaign_id"),
        _f("segment"),
        _f("region"),
        _f("lead_score", "number"),
        _f("mql_at", "timestamp"),
        _f("sql_at", "timestamp"),
        _f("first_touch_at", "timestamp"),
        _f("owner"),
        _f("account"),  # the company the lead works for (name or id): links it to accounts
        _f("converted", "flag"),  # the CRM says the lead became a customer/opportunity
        _f("converted_deal_id"),  # Salesforce ConvertedOpportunityId: links it to its deal
    ),
    "deals": (
        _f("deal_id"),
        _f("name"),
        _f("account"),
        _f("account_id"),  # links the deal to accounts when the file has ids, not names
        _f("lead_id"),
        _f("email", column="contact_email"),  # the contact's e-mail: links the deal to a lead
        _f("created_at", "timestamp"),
        # The close date as the CRM exports it: actual for closed deals, *expected* for open
        # ones (Salesforce, HubSpot, Zoho). It becomes closed_at only when the deal is closed.
        _f("close_date", "timestamp", column=None),
        _f("won_at", "timestamp", column=None),  # Pipedrive "Won time"
        _f("lost_at", "timestamp", column=None),  # Pipedrive "Lost time"
        _f("stage"),
        _f("status", "outcome", column=None),  # Pipedrive/Chinese CRMs: won/lost/open directly
        _f("is_won", "flag", column=None),  # Salesforce IsWon
        _f("is_closed", "flag", column=None),  # Salesforce IsClosed
        _f("deal_type"),  # New Business, Renewal... (a rule may set the motion by it)
        _f("amount", "money"),
        _f("currency"),
        _f("product"),
        _f("segment"),
        _f("region"),
        _f("owner"),
        _f("source"),
        _f("campaign_id"),
        _f("discount_pct", "percent"),
        _f("lost_reason"),
    ),
    "campaigns": (
        _f("campaign_id"),
        _f("name"),
        _f("channel"),
        _f("objective"),
        _f("start_date", "date"),
        _f("end_date", "date"),
        _f("budget", "money"),
        _f("status"),
        _f("owner"),
        _f("segment"),
    ),
    "spend": (
        _f("spent_on", "date"),
        _f("category"),
        _f("channel"),
        _f("campaign_id"),
        _f("amount", "money"),
    ),
    "accounts": (
        _f("account_id"),
        _f("name"),
        _f("industry"),
        _f("segment"),
        _f("region"),
        _f("country"),
        _f("employees", "number"),
        _f("annual_revenue", "money"),
        _f("created_at", "timestamp"),
        _f("owner"),
        _f("parent"),
    ),
    # The sales team: who sells, in which role, for whom, from when (sales_reps).
    "reps": (
        _f("owner"),  # the name deals and leads carry in their owner column
        _f("rep_id"),  # the CRM's user id (OwnerId, hubspot_owner_id, user_id)
        _f("email"),
        _f("role"),  # SDR, BDR, AE, manager...
        _f("team"),
        _f("manager"),
        _f("region"),
        _f("hired_on", "date"),
        _f("left_on", "date"),
        _f("quota", "money"),
        _f("monthly_cost", "money"),
    ),
    "products": (
        _f("product_id"),
        _f("name"),
        _f("family"),
        _f("list_price", "money"),
        _f("currency"),
    ),
    # One marketing or sales touch of a lead: a campaign membership, a form submission...
    "touches": (
        _f("touch_id"),
        _f("lead_id"),
        _f("email", column=None),  # the lead's id when the file has no lead id
        _f("campaign_id"),
        _f("channel"),
        _f("touched_at", "timestamp"),
        _f("touch_type"),
        _f("deal_id"),
    ),
}

# Each inner tuple is one requirement: at least one of its fields must be mapped to a column.
# (A deals file needs an id or a name, a stage or a status, and an amount; a leads file an id or
# an email. A lead's created date is not required: a file without one imports, its leads outside
# every period view, and the import says so.)
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "leads": (("lead_id", "email"),),
    "deals": (("deal_id", "name"), ("stage", "status"), ("amount",)),
    "campaigns": (("campaign_id", "name"), ("start_date",), ("end_date",)),
    "spend": (("spent_on",), ("amount",)),
    "accounts": (("account_id", "name"),),
    "reps": (("owner", "rep_id", "email"),),
    "products": (("product_id", "name"),),
    "touches": (("lead_id", "email"), ("touched_at",), ("campaign_id", "channel")),
}

OBJECTIVES = ("awareness", "consideration", "purchase", "loyalty", "advocacy")
SPEND_CATEGORIES = ("marketing", "sales")
# The words files use for them (matched on the lowercased, trimmed value).
OBJECTIVE_SYNONYMS = {
    **{o: o for o in OBJECTIVES},
    "brand": "awareness",
    "reach": "awareness",
    "认知": "awareness",
    "品牌": "awareness",
    "interest": "consideration",
    "lead generation": "consideration",
    "考虑": "consideration",
    "兴趣": "consideration",
    "conversion": "purchase",
    "decision": "purchase",
    "购买": "purchase",
    "转化": "purchase",
    "retention": "loyalty",
    "忠诚": "loyalty",
    "留存": "loyalty",
    "referral": "advocacy",
    "推荐": "advocacy",
    "口碑": "advocacy",
}
CATEGORY_SYNONYMS = {
    "marketing": "marketing",
    "media": "marketing",
    "ads": "marketing",
    "advertising": "marketing",
    "市场": "marketing",
    "营销": "marketing",
    "sales": "sales",
    "销售": "sales",
}

# The SQL type a value of each typed field is stored as; every other field is text (varchar).
SQL_TYPES = {
    "money": "decimal(18,2)",
    "number": "double",
    "percent": "double",
    "timestamp": "timestamp",
    "date": "date",
    "outcome": "varchar",
    "flag": "boolean",
}


def field_names(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in FIELDS[kind])


def field_type(kind: str, name: str) -> str:
    """The value type of a field of ``kind`` ("text" for a name the kind lacks)."""
    return next((f.type for f in FIELDS[kind] if f.name == name), "text")


def sql_type(value_type: str) -> str:
    """The SQL type a value of this type is stored as."""
    return SQL_TYPES.get(value_type, "varchar")


def field(kind: str, name: str) -> Field:
    for f in FIELDS[kind]:
        if f.name == name:
            return f
    raise KeyError(f"{kind} has no field {name!r}")


# Fields that say a deal's outcome as well as a stage or status would: a won time (Pipedrive,
# Olist's closed deals), Salesforce's IsWon/IsClosed flags.
OUTCOME_STANDINS = ("won_at", "is_won", "is_closed")


def missing_required(kind: str, mapped: object) -> list[str]:
    """The requirements of ``kind`` that no mapped field meets, each as "a or b" (empty: all
    met). ``mapped`` is any container of field names. The one check the engine and the
    detection share."""
    missing = []
    for group in REQUIRED[kind]:
        if any(f in mapped for f in group):
            continue
        if group == ("stage", "status") and any(f in mapped for f in OUTCOME_STANDINS):
            continue
        missing.append(" or ".join(group))
    return missing
