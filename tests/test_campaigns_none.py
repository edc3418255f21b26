"""A workspace without any campaign (none imported, none created, as the public ad-spend data):
every campaign view whose emptiness that causes says so and where to add one, instead of "No
data for these filters"; a workspace with campaigns but none in the period keeps the filter
message. The results caption names the MQL definition its MQL counts use."""

from __future__ import annotations

from datetime import date

import pytest

from queries import campaigns, funnel
from queries.filters import Filters
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace
from views import campaigns as v
from views.spec import context

PERIOD = Filters(date(2024, 12, 1), date(2025, 2, 15))
NONE = (
    "No campaigns imported: on the Data page, under “Import CRM data”, import a file that holds "
    "Campaigns, or create one in the “Edit the plan” tab."
)


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory):
    """The tiny workspace with its two campaigns (C1, C2) deleted: leads, deals and spend stay."""
    path = build_tiny_workspace(tmp_path_factory.mktemp("no_campaigns") / "bare.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:
        cur.execute("delete from campaigns")
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    ws = Workspace(build_tiny_workspace(tmp_path_factory.mktemp("campaigns") / "t.duckdb"))
    yield ws
    ws.close()


def test_no_campaign_at_all_is_the_reason_of_every_empty_campaign_view(bare):
    assert campaigns.campaign_count(bare) == 0
    ctx = context(bare, PERIOD)
    assert v.no_campaigns_reason(ctx) == NONE
    specs = [
        v.timeline(ctx),
        v.timeline(ctx, zoom="all"),
        v.coverage(ctx),
        v.pacing(ctx),
        v.channel_month(ctx),
        v.top_campaigns(ctx),
        v.forecast(ctx),
    ]
    for spec in specs:
        assert spec.is_empty, spec.key
        assert spec.empty_reason == NONE, spec.key
    assert ctx.t("common.no_data") not in {s.empty_reason for s in specs}
    # the Chinese says the same, with the same step names
    zh = context(bare, PERIOD, "zh")
    assert v.timeline(zh).empty_reason == zh.t(
        "campaigns.none_imported",
        data="数据",
        importer="导入 CRM 数据",
        kind="营销活动",
        edit="编辑计划",
    )


def test_campaigns_outside_the_period_keep_the_filter_message(tiny):
    assert campaigns.campaign_count(tiny) == 2
    ctx = context(tiny, Filters(date(2026, 6, 1), date(2026, 6, 30)))
    assert v.no_campaigns_reason(ctx) is None
    pacing = v.pacing(ctx)
    assert pacing.is_empty and pacing.empty_reason == "No data for these filters"
    assert v.channel_month(ctx).empty_reason == ctx.t("campaigns.no_campaigns")


def test_the_results_caption_names_the_mql_definition_in_use(tiny):
    ctx = context(tiny, PERIOD)
    assert "Funnel health: the CRM records an MQL date (a lead" in v.results_caption(ctx)
    assert (
        funnel.save_handoff(tiny, {"mql_rule": "score", "mql_threshold": "35", "sla_hours": 24})
        == []
    )
    ctx = context(tiny, PERIOD)  # the settings are read when the context is made
    caption = v.results_caption(ctx, model="last_touch")
    assert caption.startswith("Model: Last touch.")
    assert "Funnel health: its lead score reaches the threshold (≥ 35) (a lead" in caption
