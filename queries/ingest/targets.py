"""Where each kind of import lands in the workspace: its table, its record key, the columns it
writes, where an id comes from when the file has none, and which fields feed each stored
column, so that one function says which columns a file does not feed.
"""

from __future__ import annotations

from collections.abc import Collection

from queries.ingest.fields import field_type, sql_type

# The record key per kind (None: spend rows have no id; they are appended or replaced).
KEYS = {
    "leads": "lead_id",
    "deals": "deal_id",
    "campaigns": "campaign_id",
    "spend": None,
    "accounts": "account_id",
    "reps": "owner",
    "products": "product_id",
    "touches": "touch_id",
}
TABLES = {
    "leads": "raw_leads",
    "deals": "raw_deals",
    "campaigns": "campaigns",
    "spend": "spend",
    "accounts": "accounts",
    "reps": "sales_reps",
    "products": "products",
    "touches": "touches",
}
# Writing these changes what linked records say about each other (a lead's deals, a deal's
# lead source, an account's segment, a rep's role; migrations 011, 013, 014): refresh before
# commit.
LEAD_FACT_TABLES = ("raw_leads", "raw_deals", "accounts", "sales_reps")
# The columns each kind writes, in the table's order (import_id is added by the engine).
COLUMNS = {
    "leads": (
        "lead_id",
        "created_at",
        "source",
        "campaign_id",
        "segment",
        "region",
        "lead_score",
        "mql_at",
        "sql_at",
        "first_touch_at",
        "owner",
        "email",
        "account",
        "converted",
        "converted_deal_id",
    ),
    "deals": (
        "deal_id",
        "name",
        "account",
        "lead_id",
        "created_at",
        "closed_at",
        "stage",
        "outcome",
        "amount",
        "currency",
        "product",
        "segment",
        "region",
        "owner",
        "source",
        "campaign_id",
        "discount_pct",
        "lost_reason",
        "account_id",
        "contact_email",
        "deal_type",
    ),
    "campaigns": (
        "campaign_id",
        "name",
        "channel",
        "objective",
        "start_date",
        "end_date",
        "budget",
        "status",
        "owner",
        "segment",
    ),
    "spend": ("spent_on", "category", "channel", "campaign_id", "amount"),
    "accounts": (
        "account_id",
        "name",
        "industry",
        "segment",
        "region",
        "country",
        "employees",
        "annual_revenue",
        "created_at",
        "owner",
        "parent",
    ),
    "reps": (
        "owner",
        "rep_id",
        "email",
        "role",
        "team",
        "manager",
        "region",
        "hired_on",
        "left_on",
        "quota",
        "monthly_cost",
    ),
    "products": ("product_id", "name", "family", "list_price", "currency"),
    "touches": (
        "touch_id",
        "lead_id",
        "deal_id",
        "campaign_id",
        "channel",
        "touched_at",
        "touch_type",
    ),
}

# Where a record's id comes from when the file has no id column.
ID_FALLBACK = {
    "leads": ("email",),
    "deals": ("name",),
    "campaigns": ("name",),
    "accounts": ("name",),
    "reps": ("email", "rep_id"),
    "products": ("name",),
    "touches": ("lead_id", "email"),
}

# The fields a stored column is read from, where they are not just the field of its own name:
# a deal's close date is its won or lost time; its stage may come from a status column; a
# campaign, account or product without a name takes its id; a touch without a lead id, the
# lead's e-mail. The first one names the column's type.
FED_BY = {
    ("deals", "closed_at"): ("close_date", "won_at", "lost_at"),
    ("deals", "stage"): ("stage", "status"),
    ("deals", "contact_email"): ("email",),
    ("campaigns", "name"): ("name", "campaign_id"),
    ("accounts", "name"): ("name", "account_id"),
    ("products", "name"): ("name", "product_id"),
    ("touches", "lead_id"): ("lead_id", "email"),
}
# Columns set in every row whatever the file maps, besides the key: a deal's outcome (open when
# nothing says otherwise), a spend row's category (marketing when the file has none).
ALWAYS_SET = frozenset({("deals", "outcome"), ("spend", "category")})


def fed_by(kind: str, column: str) -> tuple[str, ...]:
    """The fields a stored column of ``kind`` is read from."""
    return FED_BY.get((kind, column), (column,))


def columns_not_fed(kind: str, mapped: Collection[str]) -> dict[str, str]:
    """The stored columns of ``kind`` that no mapped field feeds, each with its SQL type: null
    in every row of the file. The checked rows leave them out; an insert and the preview read
    them as typed nulls; an upsert keeps the record's earlier values (Salesforce's Product2
    gives products' names and families, its PricebookEntry the prices of the same products)."""
    return {
        col: sql_type(field_type(kind, fed_by(kind, col)[0]))
        for col in COLUMNS[kind]
        if col != KEYS[kind]
        and (kind, col) not in ALWAYS_SET
        and not any(f in mapped for f in fed_by(kind, col))
    }
