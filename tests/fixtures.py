"""The tiny hand-built workspace most tests use: every figure can be checked on paper.

The period of interest is January 2025. Expected figures (see test_metrics.py) were computed
by hand from the rows below; a comment beside each row says which figures it feeds.
"""

from __future__ import annotations

from pathlib import Path

from queries.lake import LakeTarget
from queries.workspace import Workspace, refresh_lead_facts

SOURCE_MOTION = [("Webinar", "pull"), ("Paid Search", "pull"), ("Outbound", "push")]

# lead_id, created_at, source, campaign_id, segment, region, lead_score, mql_at, sql_at,
# first_touch_at, owner
LEADS = [
    (
        "L1",
        "2025-01-05 09:00",
        "Webinar",
        "C1",
        "SMB",
        "EMEA",
        80.0,
        "2025-01-06 00:00",
        "2025-01-10 00:00",
        "2025-01-06 04:00",
        "Ann",
    ),
    (
        "L2",
        "2025-01-10 09:00",
        "Paid Search",
        "C2",
        "SMB",
        "North America",
        40.0,
        None,
        None,
        None,
        "Ann",
    ),
    (
        "L3",
        "2025-01-20 09:00",
        "Outbound",
        None,
        "Enterprise",
        "North America",
        60.0,
        "2025-01-20 09:00",
        "2025-01-21 09:00",
        "2025-01-20 09:00",
        "Bob",
    ),
    (
        "L4",
        "2024-12-20 09:00",
        "Webinar",
        "C1",
        "Enterprise",
        "EMEA",
        90.0,
        "2025-01-02 00:00",
        "2025-02-03 00:00",
        "2025-01-03 12:00",
        "Ann",
    ),
    (
        "L5",
        "2025-01-25 09:00",
        "Mystery",
        None,
        "SMB",
        "EMEA",
        10.0,
        None,
        None,
        None,
        None,
    ),  # unmapped source
]

# deal_id, account, lead_id, created_at, closed_at, stage, outcome, amount, product, segment,
# region, owner, source
DEALS = [
    (
        "D1",
        "A1",
        "L4",
        "2024-11-01 00:00",
        "2025-01-11 00:00",
        "Closed Won",
        "won",
        10000,
        "Core",
        "Enterprise",
        "EMEA",
        "Ann",
        "Webinar",
    ),  # 70 days
    (
        "D2",
        "A2",
        "L1",
        "2025-01-10 00:00",
        "2025-01-30 00:00",
        "Closed Won",
        "won",
        5000,
        "Core",
        "SMB",
        "EMEA",
        "Ann",
        "Webinar",
    ),  # 20 days
    (
        "D3",
        "A3",
        "L3",
        "2025-01-21 00:00",
        "2025-01-26 00:00",
        "Closed Lost",
        "lost",
        8000,
        "Plus",
        "Enterprise",
        "North America",
        "Bob",
        "Outbound",
    ),
    (
        "D4",
        "A4",
        None,
        "2025-01-15 00:00",
        "2025-01-25 00:00",
        "Closed Won",
        "won",
        2000,
        "Plus",
        "SMB",
        "North America",
        "Bob",
        "Outbound",
    ),  # 10 days
    (
        "D5",
        "A5",
        None,
        "2025-01-20 00:00",
        None,
        "Proposal",
        "open",
        7000,
        "Core",
        "SMB",
        "North America",
        "Bob",
        "Outbound",
    ),
    (
        "D6",
        "A6",
        None,
        "2024-12-01 00:00",
        "2025-02-15 00:00",
        "Closed Won",
        "won",
        4000,
        "Core",
        "SMB",
        "EMEA",
        "Ann",
        "Webinar",
    ),  # open at the end of January
    (
        "D7",
        "A1",
        None,
        "2025-01-03 00:00",
        "2025-01-31 12:00",
        "Closed Won",
        "won",
        3000,
        "Core",
        "Enterprise",
        "EMEA",
        "Ann",
        "Paid Search",
    ),  # 28.5 days; A1 is not new
    (
        "D8",
        "A8",
        None,
        "2024-10-01 00:00",
        "2024-12-15 00:00",
        "Closed Lost",
        "lost",
        1000,
        "Plus",
        "SMB",
        "North America",
        "Bob",
        "Outbound",
    ),  # before the period
]

# spent_on, category, channel, amount
SPEND = [
    ("2024-12-01", "marketing", "Webinar", 999),
    ("2025-01-01", "marketing", "Webinar", 3000),
    ("2025-01-15", "marketing", "Paid Search", 1500),
    ("2025-01-01", "sales", "Sales team", 6000),
    ("2025-02-01", "sales", "Sales team", 6000),
]

CAMPAIGNS = [
    (
        "C1",
        "Winter webinar series",
        "Webinar",
        "consideration",
        "2024-12-01",
        "2025-01-31",
        4000,
        "completed",
        "Cara",
        "SMB",
    ),
    (
        "C2",
        "Search always-on",
        "Paid Search",
        "awareness",
        "2025-01-01",
        "2025-03-31",
        4500,
        "active",
        "Cara",
        None,
    ),
]


def build_tiny_workspace(path: str | Path | LakeTarget) -> Path | LakeTarget:
    path = path if isinstance(path, LakeTarget) else Path(path)  # a lake too (tests/conftest.py)
    ws = Workspace(path)
    try:
        with ws.transaction() as cur:
            cur.executemany("insert into source_motion values (?, ?)", SOURCE_MOTION)
            cur.executemany(
                "insert into raw_leads (lead_id, created_at, source, campaign_id, segment, "
                "region, lead_score, mql_at, sql_at, first_touch_at, owner) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                LEADS,
            )
            cur.executemany(
                "insert into raw_deals (deal_id, account, lead_id, created_at, closed_at, stage, "
                "outcome, amount, product, segment, region, owner, source, currency) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'USD')",
                DEALS,
            )
            cur.executemany(
                "insert into spend (spent_on, category, channel, amount) values (?, ?, ?, ?)",
                SPEND,
            )
            cur.executemany(
                "insert into campaigns (campaign_id, name, channel, objective, start_date, "
                "end_date, budget, status, owner, segment) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                CAMPAIGNS,
            )
            for key, value in {
                "currency": "USD",
                "locale": "en_US",
                "is_sample": "false",
                "company_name": "Tiny Test Co",
            }.items():
                cur.execute("insert into settings values (?, ?)", [key, value])
            refresh_lead_facts(cur)
    finally:
        ws.close()
    return path
