"""Campaign calendar views: given these rows → this spec, without Streamlit.

The tiny workspace (tests/fixtures.py) plus the campaign rows below. Its data end on
2025-02-15, before today, so "to date" (as of) is 2025-02-15 in every test.

Campaigns (budget; spend recorded against them):
- C1 Webinar, consideration, SMB, 2024-12-01 .. 2025-01-31, 4,000; spent 1,500 + 3,000 = 4,500
- C2 Paid Search, awareness, every segment, 2025-01-01 .. 2025-03-31 (90 days), 4,500; spent 1,200
- C3 Outbound, purchase, Enterprise, 2025-04-01 .. 2025-04-30, 1,000 (planned)
- C4 Paid Search, awareness, every segment, 2025-05-01 .. 2025-05-31, 1,500 (planned)
- C5 Webinar, awareness, SMB, 2025-05-20 .. 2025-06-10, 500 (planned): overlaps C4 on
  May 20 .. 31 (same stage; C4 aims at every segment, SMB included) = 12 days

Deals won by Feb 15: D1 10,000 and D2 5,000 (tagged C1, Webinar leads), D7 3,000 (tagged C2,
Paid Search), D4 2,000 (Outbound, no lead), D6 4,000 (Webinar, no lead): 24,000. The workspace
records no touch paths, so only first and last touch apply and they agree.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.fixtures import build_tiny_workspace
from views import campaigns as v
from views import registry
from views.spec import Context, context

JANUARY = Filters(date(2025, 1, 1), date(2025, 1, 31))
NO_CAMPAIGN = Filters(date(2026, 6, 1), date(2026, 6, 30))
AS_OF = date(2025, 2, 15)


@pytest.fixture(scope="module")
def camp_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_tiny_workspace(tmp_path_factory.mktemp("campaign_views") / "camp.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:
        cur.execute(
            "insert into spend (spent_on, category, channel, campaign_id, amount) values "
            "('2024-12-15', 'marketing', 'Webinar', 'C1', 1500), "
            "('2025-01-15', 'marketing', 'Webinar', 'C1', 3000), "
            "('2025-01-20', 'marketing', 'Paid Search', 'C2', 1200)"
        )
        cur.execute(
            "insert into campaigns (campaign_id, name, channel, objective, start_date, end_date, "
            "budget, status, owner, segment) values "
            "('C3', 'Outbound blitz', 'Outbound', 'purchase', '2025-04-01', '2025-04-30', 1000, "
            "'planned', 'Bob', 'Enterprise'), "
            "('C4', 'May search push', 'Paid Search', 'awareness', '2025-05-01', '2025-05-31', "
            "1500, 'planned', 'Cara', null), "
            "('C5', 'SMB webinar', 'Webinar', 'awareness', '2025-05-20', '2025-06-10', 500, "
            "'planned', 'Ann', 'SMB')"
        )
        cur.execute("update raw_deals set campaign_id = 'C1' where deal_id in ('D1', 'D2')")
        cur.execute("update raw_deals set campaign_id = 'C2' where deal_id = 'D7'")
        # as every writer of deals does: the kept facts (the touch facts' deal paths, 022)
        # follow the new campaigns
        refresh_lead_facts(cur)
    ws.close()
    return path


@pytest.fixture
def ws(camp_path: Path) -> Iterator[Workspace]:
    w = Workspace(camp_path, read_only=True)
    yield w
    w.close()


@pytest.fixture
def ctx(ws: Workspace) -> Context:
    return context(ws, JANUARY)


def test_to_date_is_the_last_day_with_data_when_the_data_stop_before_today(ctx):
    assert v.as_of(ctx) == AS_OF


# -- the registry ------------------------------------------------------------------------------
def test_every_campaign_chart_is_registered_and_only_the_packs_three_go_in_the_pack():
    mine = [e for e in registry.entries() if e.page == "campaigns"]
    assert [e.key for e in mine] == [
        "campaigns.next_quarter",
        "campaigns.coverage",
        "campaigns.pacing",
        "campaigns.channel_month",
        "campaigns.top_campaigns",
        "campaigns.credit_by_model",
        "campaigns.forecast",
    ]
    assert registry.preset("campaigns") == [
        "campaigns.next_quarter",
        "campaigns.pacing",
        "campaigns.credit_by_model",
    ]
    for e in mine:  # a control of the page is a keyword argument with the slide's default
        extra = list(inspect.signature(e.build).parameters.values())[1:]
        assert all(p.default is not inspect.Parameter.empty for p in extra), e.key


# -- the calendar ------------------------------------------------------------------------------
def test_timeline_by_default_is_the_packs_view_from_this_month_to_the_end_of_next_quarter(ctx):
    spec = v.timeline(ctx)
    # as of Feb 15: Feb 1 .. Jun 30 holds C2 (to Mar 31), C3, C4, C5 — not C1 (ended Jan 31)
    assert spec.title == "Campaign calendar by channel, Feb 1, 2025 – Jun 30, 2025"
    assert spec.figure.layout.title.text == spec.title
    assert sorted(spec.data["Campaign"]) == [
        "May search push",
        "Outbound blitz",
        "SMB webinar",
        "Search always-on",
    ]
    # 4,500 + 1,000 + 1,500 + 500 = 7,500; Paid Search 6,000 of it = 80%
    assert spec.takeaway == (
        "4 campaigns with $7,500 of budget; Paid Search holds the largest share (80.0%)."
    )
    assert spec.caption.startswith("Campaigns running on at least one day from Feb 1, 2025")
    assert "(the end of next quarter)" in spec.caption


def test_timeline_zoomed_to_a_quarter_by_journey_stage(ctx):
    spec = v.timeline(ctx, group_by="objective", zoom="quarter", anchor=date(2025, 1, 15))
    assert spec.title == "Campaign calendar by journey stage, Jan 1, 2025 – Mar 31, 2025"
    assert list(spec.figure.layout.xaxis.range) == ["2025-01-01", "2025-04-01"]
    # C1 4,000 + C2 4,500 = 8,500; Paid Search 4,500 / 8,500 = 52.9%
    assert spec.takeaway == (
        "2 campaigns with $8,500 of budget; Paid Search holds the largest share (52.9%)."
    )


def test_the_period_view_adds_six_months_of_upcoming_campaigns_and_says_so(ctx):
    with_upcoming = v.timeline(ctx, zoom="all")
    # Jan 1 .. Feb 15 + 183 days = Aug 17; the axis is clipped to the last campaign (Jun 10)
    assert with_upcoming.title.endswith("Jan 1, 2025 – Jun 10, 2025")
    assert len(with_upcoming.data) == 5
    assert "Upcoming campaigns to Aug 17, 2025 are included." in with_upcoming.caption
    period_only = v.timeline(ctx, zoom="all", upcoming=False)
    # C1 and C2 in January; the axis reaches a week past the as-of day, Feb 15 + 7
    assert period_only.title.endswith("Jan 1, 2025 – Feb 22, 2025")
    assert len(period_only.data) == 2
    assert "Upcoming" not in period_only.caption


def test_overlaps_pair_campaigns_of_one_stage_and_segment_on_common_days(ctx):
    pairs = v.overlaps(ctx)
    assert len(pairs) == 1
    pair = pairs.iloc[0]
    assert {pair["name_a"], pair["name_b"]} == {"May search push", "SMB webinar"}
    assert pair["objective"] == "Awareness"
    assert pair["count_days"] == 12  # May 20 .. May 31
    counts = v.timeline(ctx).data.set_index("Campaign")["Overlaps"]
    assert counts.to_dict() == {
        "Search always-on": 0,
        "Outbound blitz": 0,
        "May search push": 1,
        "SMB webinar": 1,
    }


def test_coverage_counts_the_quarter_stage_gaps_of_the_calendars_window(ctx):
    spec = v.coverage(ctx)
    # Feb .. Mar: awareness (C2) only, 4 gaps; Apr .. Jun: awareness (C4, C5) and purchase
    # (C3), 3 gaps; consideration, loyalty and advocacy miss both quarters
    cells = spec.data.set_index(["Quarter", "Journey stage"]).iloc[:, 0]
    assert int((cells == 0).sum()) == 7
    assert int(cells.sum()) == 4
    assert spec.takeaway.startswith("7 quarter-stage gaps;")
    assert spec.takeaway.endswith("has no campaign in 2 of 2 quarters.")


# -- pacing ------------------------------------------------------------------------------------
def test_pacing_takeaway_adds_up_every_campaign_of_the_period(ctx):
    spec = v.pacing(ctx)
    # C1 ended: projects its 4,500 spent, over its 4,000 (+500). C2 ran 46 of 90 days with
    # 1,200 spent: projects 1,200 × 90/46 = 2,347.83, under 90% of 4,500 (−2,152.17).
    # Together 6,847.83 against 8,500: 1,652.17 under.
    assert spec.takeaway == (
        "Of 2 campaigns in the period, 1 pace over budget and 1 under; together they project "
        "$6,848 against $8,500 of budget ($1,652 under)."
    )
    assert spec.data["Projected end spend (USD)"].round(2).tolist() == [4500.0, 2347.83]
    assert spec.data["Pace"].tolist() == ["Over", "Under"]


def test_pacing_title_says_when_only_the_running_or_off_pace_campaigns_are_drawn(ctx):
    assert v.pacing(ctx).title == (
        "Budget against spend to date: the campaigns still running or off pace (USD)"
    )
    assert v.pacing(ctx, rows=None).title == "Budget against spend to date per campaign (USD)"


def test_pacing_kpis_sum_the_period_and_say_dash_without_campaigns(ws):
    kpis = v.pacing_kpis(context(ws, JANUARY))
    assert [k.value for k in kpis] == ["$8,500", "$5,700", "$6,848", "1 over · 1 under"]
    none = context(ws, NO_CAMPAIGN)
    assert [k.value for k in v.pacing_kpis(none)] == ["—", "—", "—", "—"]
    assert v.pacing(none).is_empty


def test_channel_pacing_flags_each_channels_sum(ctx):
    table = v.channel_pacing(ctx).set_index("channel")
    assert table.loc["Webinar", "projected_variance"] == 500
    assert table.loc["Webinar", "pace_status"] == "Over"
    assert table.loc["Paid Search", "pace_status"] == "Under"


# -- results -----------------------------------------------------------------------------------
def test_without_touch_paths_only_single_touch_models_apply(ctx):
    assert v.models(ctx) == ["first_touch", "last_touch"]


def test_top_campaigns_rank_the_won_revenue_credited_under_the_model(ctx):
    spec = v.top_campaigns(ctx, model="first_touch")
    assert spec.title == "Top 10 campaigns by won revenue (First touch), against their spend (USD)"
    # C1: D1 + D2 = 15,000 against 4,500 spent, ROI 10,500 / 4,500; C2: D7 3,000 against 1,200
    assert spec.takeaway == "Winter webinar series earned the most under First touch: $15K."
    rows = spec.data.set_index("Campaign")
    assert rows["Won revenue (USD)"].to_dict() == {
        "Winter webinar series": 15000.0,
        "Search always-on": 3000.0,
    }
    assert rows["ROI"].round(4).to_dict() == {
        "Winter webinar series": 2.3333,
        "Search always-on": 1.5,
    }


def test_credit_by_model_sums_the_won_revenue_and_says_when_the_models_agree(ctx):
    spec = v.credit_by_model(ctx)
    credit = spec.data.pivot_table(
        index="Channel", columns="Attribution model", values=spec.data.columns[2]
    )
    assert credit["First touch"].to_dict() == {
        "Outbound": 2000.0,
        "Paid Search": 3000.0,
        "Webinar": 19000.0,  # D1 + D2 + D6
    }
    assert credit["Last touch"].equals(credit["First touch"])
    # not "$2,000 under First touch against $2,000 under First touch"
    assert spec.takeaway.startswith("Every model credits each channel the same won revenue")


def test_results_views_are_empty_with_a_reason_when_nothing_was_won(ws):
    none = context(ws, NO_CAMPAIGN)
    top = v.top_campaigns(none)
    assert top.is_empty and top.empty_reason == "No campaign in this view has won revenue yet"


# -- forecast ----------------------------------------------------------------------------------
def test_forecast_defaults_to_the_first_planned_campaign_and_says_when_its_channel_has_no_past(
    ctx,
):
    assert v.planned_campaigns(ctx).index.tolist() == ["C3", "C4", "C5"]
    spec = v.forecast(ctx)
    assert spec.title.startswith("Expected pipeline and won revenue of “Outbound blitz”")
    assert spec.is_empty
    assert spec.empty_reason == "No past campaign of the channel Outbound to learn from."
    assert v.forecast_kpis(ctx) == []


def test_quarter_and_year_zooms_follow_the_fiscal_year(ctx: Context):
    from dataclasses import replace

    april = replace(ctx, settings={**ctx.settings, "fiscal_year_start_month": "4"})
    w = v.window(april, zoom="quarter", anchor=date(2026, 5, 10))
    assert (w.filters.date_from, w.filters.date_to) == (date(2026, 4, 1), date(2026, 6, 30))
    w = v.window(april, zoom="year", anchor=date(2026, 5, 10))
    assert (w.filters.date_from, w.filters.date_to) == (date(2026, 4, 1), date(2027, 3, 31))
    # calendar quarters without the setting; next quarter from February under an April year:
    # this quarter is Jan-Mar (Q4), the next Apr-Jun
    w = v.window(ctx, zoom="quarter", anchor=date(2026, 5, 10))
    assert (w.filters.date_from, w.filters.date_to) == (date(2026, 4, 1), date(2026, 6, 30))
    assert v.next_quarter_window(date(2026, 2, 14), 4) == (date(2026, 2, 1), date(2026, 6, 30))
    assert v.next_quarter_window(date(2026, 2, 14), 2) == (date(2026, 2, 1), date(2026, 7, 31))
