"""Issue 16 on Funnel health, Market and 4P: one-sided data and outlier deals put a caveat on
the figures they distort, "best" only where one value is ahead, and every funnel tab opens on
workspaces without first touches, lost deals, spend or leads.

Hand-computed from the tiny workspace (tests/fixtures.py): January closes 5 deals — won D1
10,000 (Enterprise), D2 5,000 (SMB), D4 2,000 (SMB), D7 3,000 (Enterprise); lost D3
(Enterprise) — so 5 closed, 1 lost, 2 segments.
"""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from planning import data_checks as dc
from queries import data_checks as checks_q
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.degenerate import build_variant
from tests.fixtures import build_tiny_workspace
from views import funnel as fv
from views import market as mv
from views.spec import context

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
SMB = Filters(date(2025, 1, 1), date(2025, 1, 31), segments=("SMB",))
THIN5 = "Only 5 deals closed in the period (fewer than 30): one deal moves this figure a lot."
NO_LOST = "No lost deals imported: 100% may only mean lost deals were not exported."


# -- the pure rules ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "lowest", "kind"),
    [
        ({}, False, "none"),
        ({"a": 1.0}, False, "one"),
        ({"a": 1.0, "b": 1.0, "c": 1.0}, False, "level"),  # Olist: every category at 100 %
        ({"a": 0.8, "b": 0.8, "c": 0.5}, False, "tied"),
        ({"a": 0.8, "b": 0.7}, False, "best"),
        ({"a": 10.0, "b": 10.0, "c": 30.0}, True, "tied"),  # two shortest cycles
        ({"a": 0.5, "b": float("nan")}, False, "one"),  # NaN is no value
    ],
)
def test_leaders_says_whether_one_value_is_ahead(values, lowest, kind):
    assert dc.leaders(pd.Series(values, dtype=float), lowest=lowest) == kind


def test_deal_caveats_from_the_balance_of_closed_deals():
    codes = lambda b: [w.code for w in dc.deal_caveats(b)]  # noqa: E731
    balance = {"count_closed": 5, "count_won": 4, "count_lost": 1, "count_segments": 2}
    assert codes(balance) == ["thin_closed"]
    assert codes({**balance, "count_closed": 30, "count_won": 29}) == []  # 30 is enough
    assert codes({**balance, "count_lost": 0}) == ["no_lost", "thin_closed"]
    assert codes({**balance, "count_segments": 1}) == ["thin_closed", "one_segment"]
    assert codes({"count_closed": 0, "count_lost": 0, "count_segments": 0}) == []  # no figure


# -- the tiny workspace --------------------------------------------------------------------------
@pytest.fixture
def big_deal(tmp_path: Path):
    """The tiny workspace with one more January win of 50,000,000 (SMB, pull)."""
    ws = Workspace(build_tiny_workspace(tmp_path / "big.duckdb"))
    with ws.transaction() as cur:
        cur.execute(
            "insert into raw_deals (deal_id, account, created_at, closed_at, stage, outcome, "
            "amount, product, segment, region, owner, source, currency) values ('DBIG', 'ABIG', "
            "'2025-01-02', '2025-01-20', 'Closed Won', 'won', 50000000, 'Core', 'SMB', 'EMEA', "
            "'Ann', 'Webinar', 'USD')"
        )
        refresh_lead_facts(cur)
    yield ws
    ws.close()


def test_the_balance_query_counts_the_periods_closed_deals(tiny_ws):
    assert checks_q.deal_balance(tiny_ws, JAN) == {
        "count_closed": 5,
        "count_won": 4,
        "count_lost": 1,
        "count_segments": 2,
    }
    # SMB alone: D2 and D4 won, nothing lost, one segment
    assert checks_q.deal_balance(tiny_ws, SMB) == {
        "count_closed": 2,
        "count_won": 2,
        "count_lost": 0,
        "count_segments": 1,
    }


def test_no_lost_deals_puts_a_caveat_on_the_win_rate_not_on_revenue(tiny_ws):
    ctx = context(tiny_ws, SMB)
    assert fv.caveat(ctx, "win_rate") == (
        NO_LOST + " Only 2 deals closed in the period (fewer than 30): one deal moves this "
        "figure a lot."
    )
    assert fv.caveat(ctx, "won_amount") == ""  # revenue is not distorted by missing losses
    badges = fv.trust(ctx).badges
    assert any(b.startswith("No lost deals among the 2 closed") for b in badges)
    assert any("All 2 closed deals are in one segment" in b for b in badges)


def test_under_30_closed_deals_caveat_win_rate_velocity_and_ltv(tiny_ws):
    ctx = context(tiny_ws, JAN)
    for metric in ("win_rate", "pipeline_velocity", "ltv", "avg_deal_size"):
        assert fv.caveat(ctx, metric) == THIN5
    assert fv.velocity_cards(ctx)[0].caption == THIN5


def test_an_outlier_deal_is_listed_and_named_with_its_multiple_of_the_median(big_deal):
    rows = checks_q.deal_outliers(big_deal, JAN)
    # won amounts of January: 2,000 3,000 5,000 10,000 50,000,000 → median 5,000; 50M = 10,000×
    assert rows["deal_id"].tolist() == ["DBIG"]
    assert rows.iloc[0]["median_amount"] == pytest.approx(5000)
    assert rows.iloc[0]["times_median"] == pytest.approx(10000)
    ctx = context(big_deal, JAN)
    sentence = "One deal of $50,000,000 (10,000× the median) drives this figure."
    assert fv.caveat(ctx, "won_amount") == sentence
    assert fv.caveat(ctx, "avg_deal_size").endswith(sentence)
    assert fv.caveat(ctx, "ltv").endswith(sentence)
    assert sentence not in fv.caveat(ctx, "win_rate")  # one big deal does not move a rate
    assert "One won deal of $50,000,000 (10,000× the median)" in " ".join(fv.trust(ctx).badges)
    # the market takeaway of revenue by segment says so too
    assert mv.win_rate_by_segment(ctx, metric="won_amount").takeaway.endswith(sentence)


def test_no_outlier_below_twenty_times_the_median(tiny_ws):
    # January's largest win, 10,000, is 2× the median of 5,000
    assert checks_q.deal_outliers(tiny_ws, JAN).empty
    assert "drives this figure" not in fv.caveat(context(tiny_ws, JAN), "won_amount")


# -- the degenerate workspaces: every funnel tab ---------------------------------------------------
BAD = re.compile(r"\b(None|nan|NaN|NaT|inf)\b")
TABS = ("funnel", "handoff", "score", "cohorts", "velocity", "stuck", "pipeline", "economics")


@pytest.fixture(scope="module")
def variants(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("funnel_variants")
    names = ("no_first_touch", "no_lost_deals", "no_spend", "no_leads")
    return {n: build_variant(sample_path, folder, n) for n in names}


def test_handoff_without_first_touches_says_why(variants):
    ws = Workspace(variants["no_first_touch"], read_only=True)
    try:
        ctx = context(ws, Filters())
        reason = "No first-touch dates imported: the SLA needs when sales first touched each MQL"
        cards = fv.handoff_cards(ctx)
        assert cards and all(c.value == "—" for c in cards)
        assert all(reason in c.help for c in cards)
        for chart in (fv.response_curve, fv.response_distribution, fv.breaches_by_owner):
            assert chart(ctx).empty_reason.startswith(reason)
        assert fv.won_by_sla(ctx).empty_reason.startswith(reason)
    finally:
        ws.close()


def test_unit_economics_without_spend_are_dashes_with_the_reason(variants):
    ws = Workspace(variants["no_spend"], read_only=True)
    try:
        ctx = context(ws, Filters())
        reason = "No spend imported for this period"
        cards = fv.unit_cards(ctx)
        assert cards and all(c.value == "—" and reason in c.caption for c in cards)
        # no bar in any band (an absent payback is not 0 months, "good")
        assert fv.ltv_to_cac(ctx).empty_reason.startswith(reason)
        assert fv.payback(ctx).empty_reason.startswith(reason)
    finally:
        ws.close()


def test_without_leads_the_funnel_says_so(variants):
    ws = Workspace(variants["no_leads"], read_only=True)
    try:
        ctx = context(ws, Filters())
        assert fv.lifecycle(ctx).takeaway.startswith("No leads created in the period")
        assert fv.response_curve(ctx).empty_reason.startswith("No MQLs in this period")
        assert fv.handoff_cards(ctx) == []
    finally:
        ws.close()


@pytest.mark.parametrize("name", ["no_first_touch", "no_lost_deals", "no_spend", "no_leads"])
def test_every_funnel_tab_opens_on_a_degenerate_workspace(variants, name, monkeypatch):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from components.i18n import translate
    from tests.apptest_utils import open_tab

    monkeypatch.setenv("FLYWHEEL_DB", str(variants[name]))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(str(Path(__file__).parent.parent / "app.py"), default_timeout=300)
        at.run()
        at.switch_page("app_pages/funnel.py").run()
        for tab in TABS:
            open_tab(at, "funnel_tab", translate(f"funnel.tab.{tab}", "en"))
            assert not at.exception, (name, tab, [e.value for e in at.exception])
            assert not at.error, (name, tab, [e.value for e in at.error])
            shown = (
                [m.value for m in at.markdown]
                + [c.value for c in at.caption]
                + [str(m.value) for m in at.metric]
                + [i.value for i in at.info]
            )
            bad = [t for t in shown if BAD.search(t or "")]
            assert not bad, (name, tab, bad)
            if (name, tab) == ("no_first_touch", "handoff"):  # the tab did open: "—" and why
                assert at.metric and all(m.value == "—" for m in at.metric)
            if (name, tab) == ("no_spend", "economics"):
                assert at.metric and all(m.value == "—" for m in at.metric)
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
        os.environ.pop("FLYWHEEL_DB", None)
