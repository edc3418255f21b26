"""The campaign channels' median lags kept by the refresh (migration 035) for the calendar's
forecast: figures by hand in both forms; the kept rows equal their macro; they are read for a
day on or after the last one they counted, and the records otherwise, after a campaign edit
(the campaigns' fingerprint changes) or after a write that skipped the refresh; and the kept
rows are what is read."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from queries import campaigns
from queries.workspace import Workspace, refresh_lead_facts
from tests.kept_rows import assert_kept_as_now

KEPT = {
    "kept_channel_lags": "channel_lags_at('infinity'::date)",
    "kept_channel_lags_stamp": "channel_lags_stamp_now()",
}


def _lags(path: Path) -> Workspace:
    """Campaign C1 (Webinar) starts Jan 1: its leads L1, L2, L3 come 2, 4 and 10 days later;
    D1 (L1's) is created 10 days after L1 and won 10 days after that, D2 (L3's) a day after L3
    and still open. LN, untagged, comes later (Feb 20)."""
    ws = Workspace(path)
    with ws.transaction() as cur:
        cur.execute(
            "insert into campaigns (campaign_id, name, channel, start_date, end_date, budget) "
            "values ('C1', 'Launch', 'Webinar', '2025-01-01', '2025-01-31', 1000)"
        )
        cur.execute(
            "insert into raw_leads (lead_id, created_at, source, campaign_id) values "
            "('L1', '2025-01-03', 'Webinar', 'C1'), ('L2', '2025-01-05', 'Webinar', 'C1'), "
            "('L3', '2025-01-11', 'Webinar', 'C1'), ('LN', '2025-02-20', 'Webinar', null)"
        )
        cur.execute(
            "insert into raw_deals (deal_id, lead_id, campaign_id, created_at, closed_at, "
            "outcome, amount) values "
            "('D1', 'L1', 'C1', '2025-01-13', '2025-01-23', 'won', 100), "
            "('D2', 'L3', 'C1', '2025-01-12', null, 'open', 50)"
        )
        refresh_lead_facts(cur)
    return ws


def _kept(ws: Workspace, day: date) -> bool:
    return bool(ws.query("channel_lags_kept", as_of=day)["is_fresh"].iloc[0])


def test_the_lags_by_hand_in_both_forms(tmp_path: Path):
    ws = _lags(tmp_path / "lags.duckdb")
    try:
        assert_kept_as_now(ws, KEPT)
        cur = ws.cursor()
        assert cur.execute("select last_day from kept_channel_lags_stamp").fetchone() == (
            date(2025, 2, 20),
        )
        cur.close()
        for day, read_kept in ((date(2025, 2, 20), True), (date(2026, 1, 1), True)):
            assert _kept(ws, day) is read_kept
            for live in (False, True):
                row = campaigns.channel_lags(ws, day, live=live).iloc[0]
                assert (row["channel"], row["days_to_lead"]) == ("Webinar", 4.0)
                assert (row["days_to_deal"], row["days_to_won"]) == (5.5, 10.0)
        # on Jan 12, the day before D1: L3 and D2 only have come; the records are read
        assert not _kept(ws, date(2025, 1, 12))
        row = campaigns.channel_lags(ws, date(2025, 1, 12)).iloc[0]
        assert (row["days_to_lead"], row["days_to_deal"]) == (4.0, 1.0)
        assert pd.isna(row["days_to_won"])
    finally:
        ws.close()


def test_a_campaign_edit_or_an_unrefreshed_write_reads_the_records(tmp_path: Path):
    ws = _lags(tmp_path / "lags.duckdb")
    day = date(2025, 3, 1)
    try:
        campaigns.save_changes(
            ws,
            action="edit",
            summary="moved",
            upserts=[
                {
                    "campaign_id": "C1",
                    "name": "Launch",
                    "channel": "Webinar",
                    "start_date": date(2024, 12, 30),
                    "end_date": date(2025, 1, 31),
                    "budget": 1000.0,
                    "status": "done",
                }
            ],
        )
        assert not _kept(ws, day)
        # two days earlier: 4, 6 and 12 days to the leads
        assert campaigns.channel_lags(ws, day)["days_to_lead"].tolist() == [6.0]
        with ws.transaction() as cur:
            refresh_lead_facts(cur)
        assert _kept(ws, day)
        assert campaigns.channel_lags(ws, day)["days_to_lead"].tolist() == [6.0]
        with ws.transaction() as cur:
            cur.execute(
                "insert into raw_leads (lead_id, created_at, campaign_id) "
                "values ('L4', '2025-01-20', 'C1')"
            )
        # 4, 6, 12 and 21 days: the records give the new median
        assert campaigns.channel_lags(ws, day)["days_to_lead"].tolist() == [9.0]
    finally:
        ws.close()


def test_the_kept_rows_are_what_is_read(tmp_path: Path):
    ws = _lags(tmp_path / "lags.duckdb")
    day = date(2025, 3, 1)
    try:
        live = campaigns.channel_lags(ws, day, live=True)
        with ws.transaction() as cur:
            cur.execute("update kept_channel_lags set days_to_lead = 99")
        assert campaigns.channel_lags(ws, day)["days_to_lead"].tolist() == [99.0]
        pd.testing.assert_frame_equal(campaigns.channel_lags(ws, day, live=True), live)
    finally:
        ws.close()
