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

import pandas as pd
import pytest

from planning import attribution
from planning.handoff import MqlDefinition
from queries import campaigns, data_checks, workspaces
from queries.ingest import write
from queries.workspace import Workspace
from tests import test_attribution_sql as paths
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
