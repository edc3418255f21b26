"""The fields each kind of import fills, their value types, and which are required.

A field is a column of the workspace table (DESIGN.md's contract) or an input the engine derives
one from (``close_date`` becomes ``closed_at`` only for closed deals; ``email`` stands in for a
lead's id). ``type`` names the value parser that reads it (queries/ingest/parsers.py).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("leads", "deals", "campaigns", "spend")
MODES = ("append", "replace", "upsert")


@dataclass(frozen=True)
class Field:
    name: str
    type: str  # text | money | number | percent | timestamp | date | outcome
    table_column: str | None  # the column it lands in; None for inputs the engine derives from


def _f(name: str, type_: str = "text", column: str | None = "") -> Field:
    return Field(name, type_, name if column == "" else column)


FIELDS: dict[str, tuple[Field, ...]] = {
    "leads": (
        _f("lead_id"),
        _f("email", column=None),  # the id when the file has no id column
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
    ),
    "deals": (
        _f("deal_id"),
        _f("name"),
        _f("account"),
        _f("lead_id"),
        _f("created_at", "timestamp"),
        # The close date as the CRM exports it: actual for closed deals, *expected* for open
        # ones (Salesforce, HubSpot, Zoho). It becomes closed_at only when the deal is closed.
        _f("close_date", "timestamp", column=None),
        _f("won_at", "timestamp", column=None),  # Pipedrive "Won time"
        _f("lost_at", "timestamp", column=None),  # Pipedrive "Lost time"
        _f("stage"),
        _f("status", "outcome", column=None),  # Pipedrive/Chinese CRMs: won/lost/open directly
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
}

# Each inner tuple is one requirement: at least one of its fields must be mapped to a column.
# (A deals file needs an id or a name, a stage or a status, and an amount; a leads file an id or
# an email and a created date.)
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "leads": (("lead_id", "email"), ("created_at",)),
    "deals": (("deal_id", "name"), ("stage", "status"), ("amount",)),
    "campaigns": (("campaign_id", "name"), ("start_date",), ("end_date",)),
    "spend": (("spent_on",), ("amount",)),
}

OBJECTIVES = ("awareness", "consideration", "purchase", "loyalty", "advocacy")
SPEND_CATEGORIES = ("marketing", "sales")


def field_names(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in FIELDS[kind])


def field(kind: str, name: str) -> Field:
    for f in FIELDS[kind]:
        if f.name == name:
            return f
    raise KeyError(f"{kind} has no field {name!r}")
