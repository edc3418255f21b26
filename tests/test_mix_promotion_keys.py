"""Issue 18: mix_promotion_by_channel finds each deal's lead by its integer lead_key instead of
comparing the text lead_id of every lead; it must answer as the lead_id join it replaced
(tests/data/sql/mix_promotion_by_channel_by_lead_id.sql), also for the deals whose lead_key
points to a lead by conversion or e-mail rather than by the lead id they carry (those keep
their own source, as before). So must its kept form (migration 034: the deals counted per
day and channel), which the last tests show is what is read.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.fixtures import build_tiny_workspace

BY_LEAD_ID = (
    Path(__file__).parent / "data" / "sql" / "mix_promotion_by_channel_by_lead_id.sql"
).read_text()
JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))


def _same(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """The query from the records and, without an owner filter, from the deals kept per day
    and channel (migration 034): both as the lead_id join."""
    cur = ws.cursor()
    try:
        params = {k: v for k, v in filters.params().items() if f"${k}" in BY_LEAD_ID}
        old = cur.execute(BY_LEAD_ID, params).df()
    finally:
        cur.close()
    for kept in (False, True) if filters.owners is None else (False,):
        new = ws.query("mix_promotion_by_channel", **filters.params(), kept=kept)
        pd.testing.assert_frame_equal(new, old, check_dtype=False, obj=f"kept={kept}")
    return new


@pytest.fixture(scope="module")
def keyed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """The tiny workspace plus lead LX (Webinar) and three January wins from Paid Search of
    1,000, 2,000 and 4,000: P1 names no lead but LX's e-mail, P2 a lead the workspace lacks but
    LX converted to it, P3 names LX by id. The refresh points all three to LX's lead_key."""
    path = build_tiny_workspace(tmp_path_factory.mktemp("keys") / "keys.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:
        cur.execute(
            "insert into raw_leads (lead_id, created_at, source, segment, region, email, "
            "converted_deal_id) values ('LX', '2025-01-02', 'Webinar', 'SMB', 'EMEA', "
            "'x@example.com', 'P2')"
        )
        cur.executemany(
            "insert into raw_deals (deal_id, lead_id, contact_email, created_at, closed_at, "
            "stage, outcome, amount, product, segment, region, owner, source, currency) values "
            "(?, ?, ?, '2025-01-05', '2025-01-25', 'Closed Won', 'won', ?, 'Core', 'SMB', "
            "'EMEA', 'Ann', ?, 'USD')",
            [
                ("P1", None, "X@example.com", 1000, "Paid Search"),
                ("P2", "NOT-HELD", None, 2000, "Paid Search"),
                ("P3", "LX", None, 4000, "Paid Search"),
            ],
        )
        refresh_lead_facts(cur)
    yield ws
    ws.close()


def test_deals_pointed_by_conversion_or_email_keep_their_own_source(keyed: Workspace) -> None:
    keys = keyed.scalar(
        "select count(distinct d.lead_key) from raw_deals as d join raw_leads as l "
        "on d.lead_key = l.lead_key where d.deal_id in ('P1', 'P2', 'P3') and l.lead_id = 'LX'"
    )
    assert keys == 1  # all three point to LX: the case the lead_id check must tell apart
    df = _same(keyed, JAN).set_index("channel")
    # P3 is Webinar's (its lead's source), P1 and P2 are Paid Search's (their own source);
    # following lead_key alone would give Webinar all 7,000
    tiny = _same_without(keyed)
    for channel, extra in (("Webinar", 4000.0), ("Paid Search", 3000.0)):
        assert df.loc[channel, "won_amount"] - tiny.loc[channel, "won_amount"] == extra


def _same_without(ws: Workspace) -> pd.DataFrame:
    """The January figures without P1..P3, from the lead_id form on a copy."""
    cur = ws.cursor()
    try:
        params = {k: v for k, v in JAN.params().items() if f"${k}" in BY_LEAD_ID}
        sql = BY_LEAD_ID.replace(
            "raw_deals.is_excluded is not true",
            "raw_deals.is_excluded is not true and deal_id not in ('P1', 'P2', 'P3')",
        )
        return cur.execute(sql, params).df().set_index("channel")
    finally:
        cur.close()


@pytest.mark.parametrize(
    "filters",
    [
        JAN,
        Filters(date(2024, 10, 1), date(2025, 3, 31)),
        Filters(JAN.date_from, JAN.date_to, segments=("SMB",), owners=("Ann",)),
        Filters(JAN.date_from, JAN.date_to, products=("Plus",)),
    ],
    ids=["jan", "wide", "smb-ann", "plus"],
)
def test_same_as_the_lead_id_join(keyed: Workspace, filters: Filters) -> None:
    assert not _same(keyed, filters).empty


def test_same_as_the_lead_id_join_on_the_sample(sample_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy, read_only=True)
    try:
        last = ws.scalar("select max(created_at)::date from raw_deals")
        df = _same(ws, Filters(date(last.year - 1, last.month, 1), last))
        assert df["won_amount"].sum() > 0
    finally:
        ws.close()


def test_the_kept_rows_are_what_is_read(tmp_path: Path) -> None:
    """A row only the kept table holds shows up in the promotion table (the deals are not
    looked up again); an owner filter, or a write that skipped the refresh, reads the records."""
    from queries import mix
    from queries.workspace import kept_is_fresh

    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    try:
        before = mix.promotion(ws, JAN).set_index("channel")
        by_ann = Filters(JAN.date_from, JAN.date_to, owners=("Ann",))
        owned = mix.promotion(ws, by_ann)
        with ws.transaction() as cur:
            cur.execute(
                "insert into kept_channel_deal_days values "
                "('2025-01-09', 'won', 'Webinar', 'SMB', 'EMEA', 'Core', 2, 500)"
            )
        after = mix.promotion(ws, JAN).set_index("channel")
        assert after.loc["Webinar", "won"] - before.loc["Webinar", "won"] == 2
        assert after.loc["Webinar", "won_amount"] - before.loc["Webinar", "won_amount"] == 500
        assert mix.promotion(ws, JAN, live=True).equals(before.reset_index())
        pd.testing.assert_frame_equal(mix.promotion(ws, by_ann), owned)
        with ws.transaction() as cur:
            cur.execute(
                "insert into raw_deals (deal_id, created_at, closed_at, outcome, amount, source) "
                "values ('N1', '2025-01-03', '2025-01-04', 'won', 10, 'Webinar')"
            )
        assert not kept_is_fresh(ws)
        unrefreshed = mix.promotion(ws, JAN).set_index("channel")
        assert unrefreshed.loc["Webinar", "won"] == before.loc["Webinar", "won"] + 1
    finally:
        ws.close()
