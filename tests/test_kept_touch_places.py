"""The touch facts summed per place in a path, kept by the refresh (migration 028): the kept rows
equal what touch_places_now() computes from the facts after every kind of write (imports, a
touch import and its undo, a deal with no amount, one without a created date, the outlier
toggle, clearing), and attribution_credit read from them equals the credit summed from the
facts (the form before 028) for every model, both kinds and the won deals only, on those
workspaces and on the sample. When the kept sums cannot answer (an as-of day before a fact, an
MQL rule by score, another half-life) the facts are summed as before."""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from planning import attribution
from planning.handoff import MqlDefinition
from queries import campaigns, data_checks, workspaces
from queries.ingest import engine, write
from queries.ingest.engine import Choices
from queries.workspace import Workspace, refresh_lead_facts
from tests import test_attribution_sql as paths
from tests.test_lead_facts import DEAL_MAPPING
from tests.test_touch_facts_incremental import DEALS, LEADS, MORE_TOUCHES, TOUCHES, _import

KEYS = ["kind", "campaign_id", "channel", "model"]


def _same_as_now(ws: Workspace) -> None:
    """The kept table holds exactly the rows its macro computes from the facts now (sums to
    1e-9: the same rows summed in another order)."""
    cur = ws.cursor()
    try:
        kept = cur.execute("select * from kept_touch_places order by all").df()
        now = cur.execute("select * from touch_places_now() order by all").df()
    finally:
        cur.close()
    pd.testing.assert_frame_equal(kept, now, check_exact=False, rtol=1e-12, atol=1e-9)


def _credit(ws: Workspace, as_of: date, use_kept: bool, **kw: object) -> pd.DataFrame:
    params = {
        "as_of": as_of,
        "won_deals_only": kw.get("won_deals_only", False),
        **attribution.sql_parameters(kw.get("half_life", attribution.HALF_LIFE_DAYS)),
        **campaigns._mql(ws, kw.get("mql")),
    }
    return ws.query("attribution_credit", use_kept=use_kept, **params)


def _settled(ws: Workspace) -> date:
    return pd.Timestamp(ws.query("attribution_kept_state")["settled_on"].iloc[0]).date()


def _kept_equals_the_facts(ws: Workspace, as_of: date) -> None:
    """At ``as_of`` the kept sums answer, and give the facts' credit row for row."""
    for won_only in (False, True):
        params = {"as_of": as_of, "won_deals_only": won_only, "half_life_days": 7.0}
        assert campaigns._kept_places_apply(ws, {**params, "mql_rule": "recorded"})
        kept = _credit(ws, as_of, True, won_deals_only=won_only)
        live = _credit(ws, as_of, False, won_deals_only=won_only)
        assert not live.empty
        assert kept[KEYS].astype(str).equals(live[KEYS].astype(str)), won_only
        for col in campaigns.CREDIT_MEASURES:
            assert kept[col].tolist() == pytest.approx(live[col].tolist(), rel=1e-12, abs=1e-9)
        # and what the app calls reads the kept sums with the same answer
        got = campaigns.attribution_credit(ws, as_of, won_deals_only=won_only)
        assert got["won_amount"].tolist() == pytest.approx(live["won_amount"].tolist())


@pytest.fixture
def ws(tmp_path: Path):
    w = workspaces.create_workspace(tmp_path / "w.duckdb")
    yield w
    w.close()


def test_a_new_workspace_keeps_nothing_and_sums_the_facts(ws: Workspace):
    assert ws.query("attribution_kept_state")["settled_on"].isna().all()
    params = {"as_of": date(2025, 6, 1), "mql_rule": "recorded", "half_life_days": 7.0}
    assert not campaigns._kept_places_apply(ws, params)
    assert campaigns.attribution_credit(ws, date(2025, 6, 1)).empty


def test_every_writer_keeps_the_sums_of_the_facts(ws: Workspace, tmp_path: Path):
    _import(ws, tmp_path, "leads", LEADS)
    _import(ws, tmp_path, "deals", DEALS)
    _import(ws, tmp_path, "touches", TOUCHES)
    _same_as_now(ws)
    # D5 of L3 is won on 2025-03-20: the latest date of any fact
    assert _settled(ws) == date(2025, 3, 20)
    _kept_equals_the_facts(ws, date(2025, 3, 20))

    more = _import(ws, tmp_path, "touches", MORE_TOUCHES)
    _same_as_now(ws)
    _kept_equals_the_facts(ws, date(2025, 4, 1))
    write.undo(ws, more)
    _same_as_now(ws)
    _kept_equals_the_facts(ws, date(2025, 4, 1))

    # a won deal without an amount (0 in the facts), one closed without a created date, and one
    # far above the others, left out by the outlier setting
    deals = _import(
        ws,
        tmp_path,
        "deals",
        "Deal ID,Lead ID,Status,Amount,Created,Closed\n"
        "D6,L1,won,,2025-01-25,2025-02-15\n"
        "D7,L2,won,80,,2025-04-02\n"
        "D8,L2,won,10000,2025-02-03,2025-02-20\n",
    )
    _same_as_now(ws)
    assert _settled(ws) == date(2025, 4, 2)  # D7's close is its conversion and its win
    _kept_equals_the_facts(ws, date(2025, 4, 2))
    assert data_checks.set_exclude_outliers(ws, True) == 1
    _same_as_now(ws)
    _kept_equals_the_facts(ws, date(2025, 4, 2))
    credit = campaigns.attribution_credit(ws, date(2025, 4, 2))
    first = credit[(credit["model"] == "first_touch") & (credit["kind"] == "deal")]
    # D1 100, D5 120, D6 0 (no amount), D7 80; D8 left out; D2 open and D3 lost win nothing
    assert first["won_amount"].sum() == pytest.approx(300.0)
    assert first["won"].sum() == pytest.approx(4.0)
    data_checks.set_exclude_outliers(ws, False)
    _same_as_now(ws)
    write.undo(ws, deals)
    _same_as_now(ws)
    _kept_equals_the_facts(ws, date(2025, 4, 2))


def test_an_old_workspace_is_filled_by_the_migration(ws: Workspace, tmp_path: Path):
    """A workspace made before 028 gets the sums its touch facts give, as it opens."""
    from queries import migrations

    _import(ws, tmp_path, "leads", LEADS)
    _import(ws, tmp_path, "deals", DEALS)
    _import(ws, tmp_path, "touches", TOUCHES)
    path = ws.path
    ws.close()
    # back to before 028: its table and macro gone, its version unrecorded
    con = duckdb.connect(str(path))
    con.execute("drop table kept_touch_places")
    con.execute("drop macro table touch_places_now")
    con.execute("delete from schema_version where version = 28")
    con.close()
    old = Workspace(path)
    try:
        assert 28 in migrations.applied_versions(old.cursor())
        _same_as_now(old)
        _kept_equals_the_facts(old, date(2025, 3, 20))
    finally:
        old.close()


def test_the_facts_are_summed_when_the_kept_sums_cannot_answer(tmp_path: Path):
    paths._write(tmp_path / "paths.duckdb")
    ws = Workspace(tmp_path / "paths.duckdb")
    try:
        _same_as_now(ws)
        settled = _settled(ws)
        assert settled <= paths.AS_OF
        _kept_equals_the_facts(ws, paths.AS_OF)
        base = {"as_of": paths.AS_OF, "mql_rule": "recorded", "half_life_days": 7.0}
        assert campaigns._kept_places_apply(ws, base)
        # a day before the last fact: later conversions must be left out
        assert not campaigns._kept_places_apply(ws, {**base, "as_of": settled - timedelta(1)})
        assert not campaigns._kept_places_apply(ws, {**base, "mql_rule": "score"})
        assert not campaigns._kept_places_apply(ws, {**base, "half_life_days": paths.HALF_LIFE})
        # the app's call answers those from the facts: the oracle's figures
        early = campaigns.attribution_credit(ws, paths.DAY0.date() + timedelta(days=15))
        first = early[early["model"] == "first_touch"]
        assert first.groupby("kind")["count_credited"].sum().to_dict() == {
            "deal": 2.0,
            "lead": 3.0,
        }
        by_score = MqlDefinition(rule="score", threshold=50.0)
        scored = campaigns.attribution_credit(ws, paths.AS_OF, mql=by_score)
        assert scored["count_mqls"].sum() == 0  # no lead of the fixture has a score
    finally:
        ws.close()


def test_the_sample_reads_the_same_credit_from_the_kept_sums(sample_path: Path, tmp_path: Path):
    shutil.copy(sample_path, tmp_path / "sample.duckdb")
    ws = Workspace(tmp_path / "sample.duckdb")
    try:
        _same_as_now(ws)
        _kept_equals_the_facts(ws, _settled(ws))
        workspaces.clear_sample(ws)
        assert ws.query("attribution_kept_state")["settled_on"].isna().all()
    finally:
        ws.close()


# channel_lags read from raw_leads and raw_deals since 028's branch; the form it replaced read
# the views (leads, deals), which only add a motion to them: the same rows
CHANNEL_LAGS_BY_VIEWS = """
with
lead_lags as (
    select c.channel, date_diff('second', c.start_date::timestamp, l.created_at) / 86400.0 as days
    from leads as l inner join campaigns as c on l.campaign_id = c.campaign_id
    where l.created_at < $as_of::date + 1
),
deal_lags as (
    select
        c.channel,
        date_diff('second', l.created_at, d.created_at) / 86400.0 as to_deal_days,
        case
            when d.outcome = 'won' and d.closed_at < $as_of::date + 1
                then date_diff('second', d.created_at, d.closed_at) / 86400.0
        end as to_won_days
    from deals as d
    inner join leads as l on d.lead_id = l.lead_id
    inner join campaigns as c on d.campaign_id = c.campaign_id
    where d.created_at < $as_of::date + 1
),
lead_medians as (select channel, median(days) as days_to_lead from lead_lags group by channel),
deal_medians as (
    select channel, median(to_deal_days) as days_to_deal, median(to_won_days) as days_to_won
    from deal_lags group by channel
)
select lm.channel, lm.days_to_lead, dm.days_to_deal, dm.days_to_won
from lead_medians as lm left join deal_medians as dm on lm.channel = dm.channel
order by lm.channel
"""


def _lags_by_views(ws: Workspace, as_of: date) -> pd.DataFrame:
    cur = ws.cursor()
    try:
        return cur.execute(CHANNEL_LAGS_BY_VIEWS, {"as_of": as_of}).df()
    finally:
        cur.close()


def test_channel_lags_equal_the_form_read_from_the_views(sample_path: Path, tmp_path: Path):
    shutil.copy(sample_path, tmp_path / "sample.duckdb")
    ws = Workspace(tmp_path / "sample.duckdb")
    try:
        for as_of in (_settled(ws), _settled(ws) - timedelta(days=200)):
            got = campaigns.channel_lags(ws, as_of)
            assert len(got) > 0
            pd.testing.assert_frame_equal(got, _lags_by_views(ws, as_of))
    finally:
        ws.close()


def test_channel_lags_leave_out_excluded_deals_and_need_the_lead(ws: Workspace, tmp_path: Path):
    _import(ws, tmp_path, "leads", LEADS)
    with ws.transaction() as cur:
        cur.execute(
            "insert into campaigns (campaign_id, name, channel, start_date, end_date) "
            "values ('C1', 'C1', 'Web', '2025-01-01', '2025-03-31')"
        )
    # D1 of L1 (created 01-10) opened 01-20 and won 02-10; D9 names no lead; D8 is 100x the
    # others: left out by the outlier setting
    path = tmp_path / "tagged-deals.csv"
    path.write_text(
        "Deal ID,Lead ID,Status,Amount,Created,Closed,Campaign\n"
        "D1,L1,won,100,2025-01-20,2025-02-10,C1\n"
        "D2,L1,won,90,2025-01-21,2025-02-11,\n"
        "D9,,won,110,2025-01-22,2025-02-12,C1\n"
        "D8,L1,won,10000,2025-01-30,2025-03-01,C1\n",
        encoding="utf-8",
    )
    mapping = {**DEAL_MAPPING, "campaign_id": "Campaign"}
    with engine.open_import(ws, path, choices=Choices("deals", "generic", mapping)) as plan:
        plan.commit("append")
    assert data_checks.set_exclude_outliers(ws, True) == 1
    got = campaigns.channel_lags(ws, date(2025, 3, 31))
    pd.testing.assert_frame_equal(got, _lags_by_views(ws, date(2025, 3, 31)))
    # L1 is 9 days after C1's start; D1 10 days after L1, won 21 days later (D8 left out)
    assert got.to_dict("records") == [
        {"channel": "Web", "days_to_lead": 9.0, "days_to_deal": 10.0, "days_to_won": 21.0}
    ]


def test_channel_lags_find_a_deal_s_lead_by_its_lead_key(tmp_path: Path):
    # D1 carries no lead id; its contact's e-mail is L1's (case aside), so its lead key names
    # L1, as on every other page: L1 came 9 days after C1's start, D1 10 days after L1, won 21
    # days later
    ws = Workspace(tmp_path / "email.duckdb")
    try:
        with ws.transaction() as cur:
            cur.execute(
                "insert into campaigns (campaign_id, name, channel, start_date, end_date) "
                "values ('C1', 'C1', 'Web', '2025-01-01', '2025-03-31')"
            )
            cur.execute(
                "insert into raw_leads (lead_id, created_at, source, campaign_id, email) "
                "values ('L1', '2025-01-10', 'Web', 'C1', 'ana@example.com')"
            )
            cur.execute(
                "insert into raw_deals (deal_id, contact_email, created_at, closed_at, outcome, "
                "amount, campaign_id, stage, currency) values ('D1', 'Ana@Example.com', "
                "'2025-01-20', '2025-02-10', 'won', 100, 'C1', 'Won', 'USD')"
            )
            refresh_lead_facts(cur)
        got = campaigns.channel_lags(ws, date(2025, 3, 31))
        assert got.to_dict("records") == [
            {"channel": "Web", "days_to_lead": 9.0, "days_to_deal": 10.0, "days_to_won": 21.0}
        ]
    finally:
        ws.close()
