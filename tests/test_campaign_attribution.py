"""Results per campaign and credit per channel under each attribution model (queries.campaigns
over planning.attribution), on the tiny workspace with touches added here, and the page's model
control through AppTest.

Added to tests/fixtures.py's workspace: deals D1 and D2 tagged C1, D7 tagged C2, and four
touches of lead L1 (created 2025-01-05 09:00, deal D2 created 2025-01-10, won 5,000):
  T1 2024-12-26 09:00 Paid Search C2  (before the lead)
  T2 2025-01-05 09:00 Webinar C1      (created the lead)
  T3 2025-01-08 09:00 Email Nurture   (no campaign)
  T4 2025-01-12 09:00 Paid Search C2  (after the deal: on no path)
D2's path is T1, T2, T3; L1's path is T1, T2. Every other lead and deal has one touch, from its
own record. Won deals: D1 10,000 (C1), D2 5,000, D4 2,000 (Outbound), D6 4,000 (Webinar),
D7 3,000 (C2): 24,000.

By hand, D2's 5,000 goes to (C2, C1, no campaign): first touch (5000, 0, 0); last touch
(0, 0, 5000); linear and W-shaped (T2 is the lead touch: three key touches of 30%) a third
each; U-shaped (2000, 1000, 2000).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.i18n import translate
from planning import attribution
from queries import campaigns
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.apptest_utils import open_tab
from tests.fixtures import build_tiny_workspace

APP = str(Path(__file__).resolve().parent.parent / "app.py")
VIEW = Filters(date(2024, 12, 1), date(2025, 4, 30))
LATE = date(2025, 12, 31)
TOUCHES = [
    ("T1", "L1", "D2", "C2", "Paid Search", "2024-12-26 09:00", "before_lead"),
    ("T2", "L1", "D2", "C1", "Webinar", "2025-01-05 09:00", "lead_created"),
    ("T3", "L1", "D2", None, "Email Nurture", "2025-01-08 09:00", "nurture"),
    ("T4", "L1", None, "C2", "Paid Search", "2025-01-12 09:00", "nurture"),
]


def _tag(path: Path, *, touches: bool) -> Path:
    ws = Workspace(path)
    try:
        with ws.transaction() as cur:
            cur.execute("update raw_deals set campaign_id = 'C1' where deal_id in ('D1', 'D2')")
            cur.execute("update raw_deals set campaign_id = 'C2' where deal_id = 'D7'")
            if touches:
                cur.executemany(
                    "insert into touches (touch_id, lead_id, deal_id, campaign_id, channel, "
                    "touched_at, touch_type) values (?, ?, ?, ?, ?, ?, ?)",
                    TOUCHES,
                )
            refresh_lead_facts(cur)
    finally:
        ws.close()
    return path


@pytest.fixture(scope="module")
def touch_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = build_tiny_workspace(tmp_path_factory.mktemp("attr") / "touch.duckdb")
    return _tag(base, touches=True)


@pytest.fixture(scope="module")
def single_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = build_tiny_workspace(tmp_path_factory.mktemp("attr1") / "single.duckdb")
    return _tag(base, touches=False)


@pytest.fixture
def ws(touch_path: Path, tmp_path: Path) -> Iterator[Workspace]:
    copy = tmp_path / "t.duckdb"
    shutil.copy(touch_path, copy)
    w = Workspace(copy, read_only=True)
    yield w
    w.close()


def _won(ws: Workspace, model: str) -> dict[str, float]:
    df = campaigns.attributed_results(ws, VIEW, LATE, model).set_index("campaign_id")
    return df["won_amount"].round(2).to_dict()


def test_paths_stop_at_the_conversion_and_mark_the_lead_touch(ws: Workspace):
    credit = campaigns.attribution_credit(ws, LATE)
    deals = credit[credit["kind"] == "deal"]
    # D2's path is T1 (C2), T2 (C1, created the lead), T3 (no campaign): W-shaped gives each of
    # the three key touches a third; T4 comes after the deal and is on no path
    w = deals[deals["model"] == "w_shaped"]
    d2 = w[w["channel"].isin(["Email Nurture"])]
    assert d2["campaign_id"].isna().all() and d2["count_credited"].sum() == pytest.approx(1 / 3)
    # a deal without touches has one, from its record: D7 -> C2 on Paid Search
    first = deals[deals["model"] == "first_touch"].set_index(["campaign_id", "channel"])
    assert first.loc[("C2", "Paid Search"), "won_amount"] == pytest.approx(5000 + 3000)
    # L1's path is T1, T2 (T3 and T4 come after the lead): linear halves it
    leads = credit[(credit["kind"] == "lead") & (credit["model"] == "linear")]
    by_channel = leads.groupby("channel")["count_credited"].sum()
    assert "Email Nurture" not in by_channel.index


def test_the_page_reuses_one_credit_frame_for_table_and_channels(ws: Workspace):
    credit = campaigns.attribution_credit(ws, LATE)
    for model in attribution.MODELS:
        with_frame = campaigns.attributed_results(ws, VIEW, LATE, model, credit=credit)
        alone = campaigns.attributed_results(ws, VIEW, LATE, model)
        assert with_frame.equals(alone)
    both = campaigns.channel_credit(ws, LATE, attribution.MODELS, credit=credit)
    won_only = campaigns.channel_credit(ws, LATE, attribution.MODELS)
    assert both["won_amount"].tolist() == pytest.approx(won_only["won_amount"].tolist())
    assert both[["channel", "model"]].equals(won_only[["channel", "model"]])


def test_unknown_model_is_refused(ws: Workspace):
    with pytest.raises(ValueError, match="unknown attribution model"):
        campaigns.attributed_results(ws, VIEW, LATE, "data_driven")


@pytest.mark.parametrize(
    ("model", "c1", "c2"),
    [
        ("first_touch", 10000, 8000),  # D1; D2 + D7
        ("last_touch", 10000, 3000),  # D2 goes to the nurture email
        ("linear", 10000 + 5000 / 3, 3000 + 5000 / 3),
        ("u_shaped", 11000, 5000),
        ("w_shaped", 10000 + 5000 / 3, 3000 + 5000 / 3),
    ],
)
def test_won_revenue_per_campaign_under_each_model(ws: Workspace, model: str, c1, c2):
    assert _won(ws, model) == pytest.approx({"C1": c1, "C2": c2}, abs=0.01)


def test_time_decay_credits_d2_by_age_with_a_seven_day_half_life(ws: Workspace):
    ages = [14.625, 4.625, 1.625]  # days from T1, T2, T3 to D2's creation
    w = [2 ** (-a / 7) for a in ages]
    c1 = 10000 + 5000 * w[1] / sum(w)
    assert _won(ws, "time_decay")["C1"] == pytest.approx(c1, abs=0.01)


def test_leads_and_opportunities_are_credited_over_their_own_paths(ws: Workspace):
    first = campaigns.attributed_results(ws, VIEW, LATE, "first_touch").set_index("campaign_id")
    # L1's first touch is C2; L4 (C1) and L2 (C2) have one touch each
    assert first.loc["C1", ["count_leads", "count_mqls"]].tolist() == [1, 1]
    assert first.loc["C2", ["count_leads", "count_mqls"]].tolist() == [2, 1]
    assert first.loc["C2", ["count_opportunities", "pipeline"]].tolist() == [2, 8000]
    linear = campaigns.attributed_results(ws, VIEW, LATE, "linear").set_index("campaign_id")
    assert linear.loc["C1", "count_leads"] == pytest.approx(1.5)


@pytest.mark.parametrize("model", attribution.MODELS)
def test_channel_credit_sums_to_the_won_revenue_under_every_model(ws: Workspace, model: str):
    df = campaigns.channel_credit(ws, LATE, (model,))
    assert df["won_amount"].sum() == pytest.approx(24000)


def test_last_touch_credit_per_channel(ws: Workspace):
    df = campaigns.channel_credit(ws, LATE, ("last_touch",)).set_index("channel")
    assert df["won_amount"].to_dict() == pytest.approx(
        {"Email Nurture": 5000, "Webinar": 14000, "Paid Search": 3000, "Outbound": 2000}
    )


def test_multi_touch_models_apply_only_with_touch_paths(
    ws: Workspace, single_path: Path, tmp_path: Path
):
    assert campaigns.has_touch_paths(ws, LATE)
    copy = tmp_path / "s.duckdb"
    shutil.copy(single_path, copy)
    single = Workspace(copy, read_only=True)
    try:
        assert not campaigns.has_touch_paths(single, LATE)
        # without touches first and last touch agree: the campaign on the record
        assert _won(single, "first_touch") == _won(single, "last_touch")
    finally:
        single.close()


def test_a_touch_import_and_its_undo_keep_the_paths_current(single_path: Path, tmp_path: Path):
    # the import engine refreshes the touch facts (migration 022) in its transaction: L1's two
    # touches before its creation make paths of two touches for L1 and its deal D2 (created
    # 2025-01-10); undo takes them back to the record's single touch
    from queries.ingest import engine
    from queries.ingest.engine import Choices

    copy = tmp_path / "import.duckdb"
    shutil.copy(single_path, copy)
    csv = tmp_path / "touches.csv"
    csv.write_text(
        "TouchId,LeadId,CampaignId,Channel,TouchedAt\n"
        "X1,L1,C2,Paid Search,2024-12-20 09:00\n"
        "X2,L1,C1,Webinar,2025-01-05 09:00\n"
    )
    ws = Workspace(copy)
    try:
        assert not campaigns.has_touch_paths(ws, LATE)
        with engine.open_import(
            ws,
            csv,
            choices=Choices(
                kind="touches",
                preset="generic",
                mapping={
                    "touch_id": "TouchId",
                    "lead_id": "LeadId",
                    "campaign_id": "CampaignId",
                    "channel": "Channel",
                    "touched_at": "TouchedAt",
                },
            ),
        ) as plan:
            result = plan.commit("append")
        assert result.rows_loaded == 2
        assert campaigns.has_touch_paths(ws, LATE)
        first = _won(ws, "first_touch")
        assert first["C2"] == pytest.approx(5000 + 3000)  # D2 now starts on C2's touch (+ D7)
        engine.undo(ws, result.import_id)
        assert not campaigns.has_touch_paths(ws, LATE)
        assert _won(ws, "first_touch") == _won(ws, "last_touch")
    finally:
        ws.close()


# -- the page ------------------------------------------------------------------------------------
def _page(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    copy = tmp_path / path.name
    shutil.copy(path, copy)
    monkeypatch.setenv("FLYWHEEL_DB", str(copy))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page("app_pages/campaigns.py").run()
    open_tab(at, "campaigns_tab", translate("campaigns.tab.results", "en"))
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_page_offers_every_model_when_the_workspace_has_touches(
    touch_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    at = _page(touch_path, tmp_path, monkeypatch)
    control = at.segmented_control(key="campaigns_model")
    assert list(control.options) == [
        "First touch",
        "Last touch",
        "Linear",
        "U-shaped",
        "W-shaped",
        "Time decay",
    ]
    assert not any("only single-touch models apply" in i.value for i in at.info)
    control.set_value("time_decay").run()
    assert not at.exception
    assert any("Model: Time decay" in c.value for c in at.caption)
    assert any("half-life 7 days" in c.value for c in at.caption)
    st.cache_resource.clear()


def test_page_says_only_single_touch_models_apply_without_touches(
    single_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    at = _page(single_path, tmp_path, monkeypatch)
    assert list(at.segmented_control(key="campaigns_model").options) == [
        "First touch",
        "Last touch",
    ]
    assert any("only single-touch models apply" in i.value for i in at.info)
    st.cache_resource.clear()
