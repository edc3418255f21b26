"""Funnel health: queries against figures computed by hand from tests/fixtures.py, the chart
builders read back from their JSON, and the page driven through AppTest.

January 2025 in the tiny workspace: leads L1 (Webinar, pull), L2 (Paid Search, pull), L3
(Outbound, push) and L5 (unmapped) were created in it; L4 (pull) was created on 20 December.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from components.charts import funnel as funnel_charts
from components.charts.theme import PULL_COLOR, PUSH_COLOR
from planning import handoff, lifecycle
from queries import funnel, metrics
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.apptest_utils import plain
from tests.fixtures import build_tiny_workspace

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
DEC_JAN = Filters(date(2024, 12, 1), date(2025, 1, 31))
MOTION_LABELS = {"pull": "Pull", "push": "Push", "unmapped": "Unmapped"}


def _counts(df: pd.DataFrame, motion: str) -> list[int]:
    return df[df["motion"] == motion].sort_values("stage_order")["count_reached"].tolist()


@pytest.fixture
def extra_ws(tmp_path: Path):
    """The tiny workspace plus three January pull leads that exercise the edge rules:
    L6 has a won deal but no MQL or SQL date (a skipped stage); L7 became MQL and was never
    touched; L8 was touched by sales an hour before it became MQL."""
    path = build_tiny_workspace(tmp_path / "extra.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:
        cur.executemany(
            "insert into raw_leads (lead_id, created_at, source, segment, region, mql_at, "
            "sql_at, first_touch_at, owner) values (?, ?, 'Webinar', 'SMB', 'EMEA', ?, ?, ?, "
            "'Ann')",
            [
                ("L6", "2025-01-15 09:00", None, None, "2025-01-15 10:00"),
                ("L7", "2025-01-16 09:00", "2025-01-17 00:00", None, None),
                ("L8", "2025-01-18 09:00", "2025-01-19 00:00", None, "2025-01-18 23:00"),
            ],
        )
        cur.execute(
            "insert into raw_deals (deal_id, account, lead_id, created_at, closed_at, stage, "
            "outcome, amount, product, segment, region, owner, source, currency) values "
            "('D9', 'A9', 'L6', '2025-01-16', '2025-01-28', 'Closed Won', 'won', 1000, 'Core', "
            "'SMB', 'EMEA', 'Ann', 'Webinar', 'USD')"
        )
        refresh_lead_facts(cur)
    yield ws
    ws.close()


# -- lifecycle funnel by cohort --------------------------------------------------------------
def test_cohort_funnel_counts_leads_created_in_the_period_that_ever_reached_each_stage(tiny_ws):
    df = funnel.funnel_by_cohort(tiny_ws, JAN)
    # pull: L1 reached every stage (deal D2 won), L2 stayed a lead; L4 was created in December
    assert _counts(df, "pull") == [2, 1, 1, 1, 1]
    # push: L3's only deal (D3) was lost
    assert _counts(df, "push") == [1, 1, 1, 1, 0]
    assert _counts(df, "unmapped") == [1, 0, 0, 0, 0]


def test_cohort_funnel_step_conversion_divides_by_the_previous_stage(tiny_ws):
    df = funnel.funnel_by_cohort(tiny_ws, JAN)
    pull = df[df["motion"] == "pull"].sort_values("stage_order")
    assert pull["step_conversion"].tolist()[1:] == pytest.approx([0.5, 1.0, 1.0, 1.0])
    assert pd.isna(pull["step_conversion"].iloc[0])
    assert pull["share_of_first"].tolist() == pytest.approx([1.0, 0.5, 0.5, 0.5, 0.5])
    push = df[df["motion"] == "push"].sort_values("stage_order")
    assert push["step_conversion"].iloc[4] == pytest.approx(0.0)


def test_cohort_funnel_counts_a_skipped_stage_as_passed(extra_ws):
    # L6 has no MQL or SQL date but a won deal: it counts at every stage up to won.
    df = funnel.funnel_by_cohort(extra_ws, JAN)
    assert _counts(df, "pull") == [5, 4, 2, 2, 2]


def test_cohort_funnel_product_filter_applies_to_the_deals(tiny_ws):
    plus = Filters(JAN.date_from, JAN.date_to, products=("Plus",))
    df = funnel.funnel_by_cohort(tiny_ws, plus)
    assert _counts(df, "pull") == [2, 1, 1, 0, 0]  # L1's deal is a Core deal
    assert _counts(df, "push") == [1, 1, 1, 1, 0]  # L3's deal D3 is a Plus deal


# -- lifecycle funnel by period --------------------------------------------------------------
def test_period_funnel_uses_the_headline_counts_of_each_stage(tiny_ws):
    df = funnel.funnel_by_period(tiny_ws, JAN)
    # pull: leads L1, L2; MQLs L1, L4; SQL L1; deals created D2, D7; won D1, D2, D7
    assert _counts(df, "pull") == [2, 2, 1, 2, 3]
    assert _counts(df, "push") == [1, 1, 1, 3, 1]
    head = metrics.headline(tiny_ws, JAN)
    assert _counts(df, "push")[3] == head.loc["push", "opportunities"]


def test_period_funnel_step_can_exceed_one_when_stages_fall_in_other_periods(tiny_ws):
    df = funnel.funnel_by_period(tiny_ws, JAN)
    pull = df[df["motion"] == "pull"].sort_values("stage_order")
    assert pull["step_conversion"].tolist()[1:] == pytest.approx([1.0, 0.5, 2.0, 1.5])


def test_period_funnel_is_empty_when_nothing_happened(tiny_ws):
    df = funnel.funnel_by_period(tiny_ws, Filters(date(2030, 1, 1), date(2030, 1, 31)))
    assert df.empty
    assert list(df.columns) == lifecycle.FUNNEL_COLUMNS


# -- stage velocity --------------------------------------------------------------------------
def _velocity(df: pd.DataFrame, motion: str, step: str) -> pd.Series:
    return df[(df["motion"] == motion) & (df["step"] == step)].iloc[0]


def test_velocity_counts_steps_whose_later_stage_was_reached_in_the_period(tiny_ws):
    df = funnel.stage_velocity(tiny_ws, JAN)
    lead_to_mql = _velocity(df, "pull", "lead_to_mql")
    # L1: 15 hours; L4 (created in December, MQL on 2 January): 12 days 15 hours
    assert lead_to_mql["count_steps"] == 2
    assert lead_to_mql["median_days"] == pytest.approx((0.625 + 12.625) / 2)
    assert lead_to_mql["p80_days"] == pytest.approx(0.625 + 0.8 * 12)
    # L4's SQL came in February, so only L1's 4 days count
    assert _velocity(df, "pull", "mql_to_sql")["median_days"] == pytest.approx(4.0)
    # D3 was created 9 hours before L3's SQL date: a negative step is kept as recorded
    assert _velocity(df, "push", "sql_to_opportunity")["median_days"] == pytest.approx(-0.375)


def test_velocity_mql_steps_follow_the_mql_definition(tiny_ws):
    # score >= 50: January MQLs L1 (80, MQL date 6 Jan: 15 h) and L4 (90: 12 days 15 h) as
    # recorded; L2 (40) never; push L3 (60, MQL date at creation: 0 days)
    by_score = funnel.stage_velocity(tiny_ws, JAN, handoff.MqlDefinition("score", 50))
    assert _velocity(by_score, "pull", "lead_to_mql")["count_steps"] == 2
    # score >= 30 or recorded: L2 (40, no MQL date, created 10 Jan) qualifies at creation: 0 days
    either = funnel.stage_velocity(tiny_ws, JAN, handoff.MqlDefinition("score_or_recorded", 30))
    row = _velocity(either, "pull", "lead_to_mql")
    assert row["count_steps"] == 3
    assert row["median_days"] == pytest.approx(0.625)  # of 0, 0.625 and 12.625
    # score >= 85 and recorded: only L4 (90) is an MQL; its SQL came in February, so no pull
    # MQL reached SQL in January, and L1's 4 days no longer count
    both = funnel.stage_velocity(tiny_ws, JAN, handoff.MqlDefinition("score_and_recorded", 85))
    assert _velocity(both, "pull", "lead_to_mql")["median_days"] == pytest.approx(12.625)
    pull_steps = set(both.loc[both["motion"] == "pull", "step"])
    assert "mql_to_sql" not in pull_steps


def test_velocity_opportunity_to_won_is_the_headline_sales_cycle(tiny_ws):
    df = funnel.stage_velocity(tiny_ws, JAN)
    head = metrics.headline(tiny_ws, JAN)
    for motion in ("pull", "push"):
        row = _velocity(df, motion, "opportunity_to_won")
        assert row["median_days"] == pytest.approx(head.loc[motion, "sales_cycle_days"])
    assert _velocity(df, "pull", "opportunity_to_won")["median_days"] == pytest.approx(28.5)


# -- MQL handoff SLA -------------------------------------------------------------------------
def test_handoff_share_within_sla_counts_touches_up_to_the_sla_hours(tiny_ws):
    # January MQLs: L1 touched after 4 h, L4 after 36 h (pull); L3 at once (push)
    sla = funnel.handoff_sla(tiny_ws, JAN, 24).set_index("motion")
    assert sla.loc["pull", ["count_mqls", "count_within_sla"]].tolist() == [2, 1]
    assert sla.loc["pull", "share_within_sla"] == pytest.approx(0.5)
    assert sla.loc["pull", "median_hours"] == pytest.approx(20.0)
    assert sla.loc["push", "share_within_sla"] == pytest.approx(1.0)
    wider = funnel.handoff_sla(tiny_ws, JAN, 36).set_index("motion")
    assert wider.loc["pull", "share_within_sla"] == pytest.approx(1.0)


def test_handoff_untouched_mqls_miss_the_sla_and_early_touches_count_as_zero(extra_ws):
    sla = funnel.handoff_sla(extra_ws, JAN, 24).set_index("motion")
    # pull MQLs: L1 (4 h), L4 (36 h), L7 (never touched), L8 (touched before its MQL: 0 h)
    assert sla.loc["pull", ["count_mqls", "count_touched", "count_within_sla"]].tolist() == [
        4,
        3,
        2,
    ]
    assert sla.loc["pull", "share_within_sla"] == pytest.approx(0.5)
    assert sla.loc["pull", "median_hours"] == pytest.approx(4.0)


def test_response_curve_is_cumulative_share_of_all_mqls(extra_ws):
    curve = funnel.handoff_response_curve(extra_ws, JAN, 168)
    pull = curve[curve["motion"] == "pull"].set_index("bucket_start_hours")
    assert pull["count_mqls"].to_dict() == {0: 1, 4: 1, 36: 1}
    # the untouched L7 stays in the denominator: the curve ends at 3 of 4
    assert pull["cumulative_share"].tolist() == pytest.approx([0.25, 0.5, 0.75])


def test_response_curve_leaves_out_touches_beyond_max_hours(tiny_ws):
    curve = funnel.handoff_response_curve(tiny_ws, JAN, 24)
    pull = curve[curve["motion"] == "pull"]
    assert pull["bucket_start_hours"].tolist() == [4]
    assert pull["cumulative_share"].tolist() == pytest.approx([0.5])


# -- lead cohorts ----------------------------------------------------------------------------
def _cell(df: pd.DataFrame, month: str, motion: str, months_since: int) -> pd.Series:
    hit = df[
        (df["cohort_month"] == pd.Timestamp(month))
        & (df["motion"] == motion)
        & (df["months_since"] == months_since)
    ]
    return hit.iloc[0]


def test_cohort_wins_are_cumulative_by_months_since_creation(tiny_ws):
    df = funnel.lead_cohort_wins(tiny_ws, DEC_JAN, 2)
    # December cohort: L4 alone, won through D1 on 11 January (month 1)
    assert _cell(df, "2024-12-01", "pull", 0)["share_won"] == pytest.approx(0.0)
    dec_1 = _cell(df, "2024-12-01", "pull", 1)
    assert dec_1["share_won"] == pytest.approx(1.0)
    assert dec_1["won_amount"] == pytest.approx(10000)
    # January cohort: L1 won in January (D2, 5000), L2 not
    jan_0 = _cell(df, "2025-01-01", "pull", 0)
    assert (jan_0["count_leads"], jan_0["count_won_leads"]) == (2, 1)
    assert jan_0["share_won"] == pytest.approx(0.5)


def test_cohort_months_beyond_the_data_are_not_observed(tiny_ws):
    # the data end on 15 February 2025: February is not a whole observed month
    df = funnel.lead_cohort_wins(tiny_ws, DEC_JAN, 2)
    assert bool(_cell(df, "2024-12-01", "pull", 1)["is_observed"])
    jan_1 = _cell(df, "2025-01-01", "pull", 1)
    assert not jan_1["is_observed"]
    assert pd.isna(jan_1["share_won"])
    assert len(df[df["motion"] == "pull"]) == 2 * 3  # two cohorts × months 0..2


# -- edge rules the fast queries must keep ----------------------------------------------------
# The queries read raw_leads / raw_deals, count by source and look the motion up afterwards, and
# find first deals with range tests; these rows pin the rules that rewrite must not change.
@pytest.fixture
def edge_ws(tmp_path: Path):
    """The tiny workspace plus January leads with several deals each, an unmapped and a
    source-less lead:
    E1 (pull): SQL on 4 January; deal DE1 created on 28 December (lost), DE2 created on
    10 January (won 20 January, 1,000) and DE5 (won 10 February, 700): its first deal came
    before January, so it is no January opportunity step, but it is a won lead of the cohort.
    E2 (push): SQL on 6 January; DE3 created on 8 January (lost), DE4 on 12 January (open).
    E3 ('Mystery', unmapped): MQL at 10:00 on 7 January, touched two hours later.
    E4 (no source): a lead only."""
    path = build_tiny_workspace(tmp_path / "edge.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:
        cur.executemany(
            "insert into raw_leads (lead_id, created_at, source, segment, region, mql_at, "
            "sql_at, first_touch_at, owner) values (?, ?, ?, 'SMB', 'EMEA', ?, ?, ?, 'Ann')",
            [
                ("E1", "2025-01-03 09:00", "Webinar", "2025-01-03 10:00", "2025-01-04", None),
                (
                    "E2",
                    "2025-01-05 00:00",
                    "Outbound",
                    "2025-01-05 06:00",
                    "2025-01-06",
                    "2025-01-05 06:30",
                ),
                ("E3", "2025-01-07 00:00", "Mystery", "2025-01-07 10:00", None, "2025-01-07 12:00"),
                ("E4", "2025-01-08 00:00", None, None, None, None),
            ],
        )
        cur.executemany(
            "insert into raw_deals (deal_id, account, lead_id, created_at, closed_at, outcome, "
            "amount, product, segment, region, owner, source, currency) "
            "values (?, ?, ?, ?, ?, ?, ?, 'Core', 'SMB', 'EMEA', 'Ann', ?, 'USD')",
            [
                ("DE1", "AE1", "E1", "2024-12-28", "2024-12-30", "lost", 100, "Webinar"),
                ("DE2", "AE1", "E1", "2025-01-10", "2025-01-20", "won", 1000, "Webinar"),
                ("DE5", "AE1", "E1", "2025-01-25", "2025-02-10", "won", 700, "Webinar"),
                ("DE3", "AE2", "E2", "2025-01-08", "2025-01-09", "lost", 300, "Outbound"),
                ("DE4", "AE2", "E2", "2025-01-12", None, "open", 400, "Outbound"),
            ],
        )
        refresh_lead_facts(cur)
    yield ws
    ws.close()


def test_cohort_funnel_counts_each_lead_once_at_its_furthest_stage(edge_ws):
    df = funnel.funnel_by_cohort(edge_ws, JAN)
    assert _counts(df, "pull") == [3, 2, 2, 2, 2]  # E1 (three deals, two won) counts once
    assert _counts(df, "push") == [2, 2, 2, 2, 0]  # E2: a lost and an open deal
    assert _counts(df, "unmapped") == [3, 1, 0, 0, 0]  # L5, E3 (MQL) and E4 (no source)
    assert df["count_reached"].dtype == "int64"


def test_velocity_counts_a_lead_in_the_period_of_its_first_deal_only(edge_ws):
    df = funnel.stage_velocity(edge_ws, JAN)
    # E1's first deal came in December: its January deals are no new opportunity
    pull = _velocity(df, "pull", "sql_to_opportunity")
    assert (pull["count_steps"], pull["median_days"]) == (1, pytest.approx(0.0))  # L1 alone
    # E2: SQL on 6 January, first deal two days later; L3's is -0.375 days
    push = _velocity(df, "push", "sql_to_opportunity")
    assert push["count_steps"] == 2
    assert push["median_days"] == pytest.approx((2 - 0.375) / 2)
    assert _velocity(df, "unmapped", "lead_to_mql")["median_days"] == pytest.approx(10 / 24)
    assert df["step"].tolist() == [
        "lead_to_mql",
        "mql_to_sql",
        "sql_to_opportunity",
        "opportunity_to_won",
        "lead_to_mql",
        "mql_to_sql",
        "sql_to_opportunity",
        "opportunity_to_won",
        "lead_to_mql",
    ]


def test_velocity_percentiles_interpolate_between_steps(edge_ws):
    df = funnel.stage_velocity(edge_ws, JAN)
    # pull lead_to_mql in January: L1 15 h, L4 12 d 15 h (created in December), E1 1 h
    row = _velocity(df, "pull", "lead_to_mql")
    days = sorted([15 / 24, 12 + 15 / 24, 1 / 24])
    assert row["count_steps"] == 3
    assert row["median_days"] == pytest.approx(days[1])
    assert row["p80_days"] == pytest.approx(days[1] + 0.6 * (days[2] - days[1]))


def test_handoff_groups_unmapped_sources_and_counts_every_mql_of_a_motion(edge_ws):
    sla = funnel.handoff_sla(edge_ws, JAN, 24).set_index("motion")
    # pull: L1 (4 h), L4 (36 h), E1 never touched
    assert sla.loc["pull", ["count_mqls", "count_touched", "count_within_sla"]].tolist() == [
        3,
        2,
        1,
    ]
    assert sla.loc["push", ["count_mqls", "count_within_sla"]].tolist() == [2, 2]  # 0 h, 0.5 h
    assert sla.loc["unmapped", "median_hours"] == pytest.approx(2.0)
    curve = funnel.handoff_response_curve(edge_ws, JAN, 24)
    pull = curve[curve["motion"] == "pull"]
    # L4's 36 hours lie beyond the curve, E1 was never touched: both stay in the denominator
    assert pull["bucket_start_hours"].tolist() == [4]
    assert pull["cumulative_share"].tolist() == pytest.approx([1 / 3])
    push = curve[curve["motion"] == "push"]
    assert push[["bucket_start_hours", "count_mqls"]].values.tolist() == [[0, 2]]


def test_cohort_wins_count_a_lead_once_and_each_won_amount_in_its_month(edge_ws):
    df = funnel.lead_cohort_wins(edge_ws, DEC_JAN, 2)
    jan_0 = _cell(df, "2025-01-01", "pull", 0)
    # L1 (D2, 5,000) and E1 (DE2, 1,000) won in January
    assert (jan_0["count_leads"], jan_0["count_won_leads"]) == (3, 2)
    assert jan_0["won_amount"] == pytest.approx(6000)
    jan_1 = _cell(df, "2025-01-01", "pull", 1)
    # E1's second win (DE5, 700, February) adds money, not a won lead
    assert (jan_1["count_won_leads"], jan_1["won_amount"]) == (2, pytest.approx(6700))
    unmapped = _cell(df, "2025-01-01", "unmapped", 0)
    assert (unmapped["count_leads"], unmapped["count_won_leads"]) == (3, 0)


# -- chart builders --------------------------------------------------------------------------
def _spec(fig) -> dict:
    return plain(json.loads(fig.to_json()))


def test_funnel_chart_has_one_funnel_per_motion_in_its_colour_with_step_conversion():
    df = pd.DataFrame(
        {
            "motion": ["pull"] * 3 + ["push"] * 3,
            "stage_order": [1, 2, 3] * 2,
            "stage": ["lead", "mql", "sql"] * 2,
            "count_reached": [100, 40, 10, 50, 10, 5],
            "share_of_first": [1, 0.4, 0.1, 1, 0.2, 0.1],
            "step_conversion": [None, 0.4, 0.25, None, 0.2, 0.5],
        }
    )
    spec = _spec(
        funnel_charts.lifecycle_funnel(
            df,
            title="Funnel by cohort",
            stage_labels={"lead": "Lead", "mql": "MQL", "sql": "SQL"},
            motion_labels=MOTION_LABELS,
            step_label="of previous",
        )
    )
    assert [t["type"] for t in spec["data"]] == ["funnel", "funnel"]
    assert [t["marker"]["color"] for t in spec["data"]] == [PULL_COLOR, PUSH_COLOR]
    assert spec["data"][0]["y"] == ["Lead", "MQL", "SQL"]
    assert spec["data"][0]["text"] == ["100", "40 · 40% of previous", "10 · 25% of previous"]
    assert spec["layout"]["title"]["text"] == "Funnel by cohort"
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["Pull", "Push"]


def test_velocity_chart_pairs_median_bars_with_p80_ticks_per_motion():
    df = pd.DataFrame(
        {
            "motion": ["pull", "pull", "push"],
            "step_order": [1, 4, 4],
            "step": ["lead_to_mql", "opportunity_to_won", "opportunity_to_won"],
            "count_steps": [5, 3, 2],
            "median_days": [2.0, 40.0, 20.0],
            "p80_days": [5.0, 80.0, 30.0],
        }
    )
    spec = _spec(
        funnel_charts.stage_velocity(
            df,
            title="Days per stage",
            step_labels={"lead_to_mql": "Lead → MQL", "opportunity_to_won": "Opp → won"},
            motion_labels=MOTION_LABELS,
            median_label="median",
            p80_label="80th percentile",
            x_title="Days",
        )
    )
    bars = [t for t in spec["data"] if t["type"] == "bar"]
    ticks = [t for t in spec["data"] if t["type"] == "scatter" and t.get("x") != [None]]
    assert [b["marker"]["color"] for b in bars] == [PULL_COLOR, PUSH_COLOR]
    assert bars[0]["x"] == [2.0, 40.0]
    assert ticks[0]["x"] == [5.0, 80.0]
    assert ticks[0]["text"] == ["2.0–5.0", "40.0–80.0"]
    assert spec["layout"]["xaxis"]["title"]["text"] == "Days"
    assert spec["layout"]["xaxis"]["range"][1] >= 80 * 1.3


def test_response_curve_chart_marks_the_sla_and_each_motions_share_on_it():
    df = pd.DataFrame(
        {
            "motion": ["pull", "pull", "push"],
            "bucket_start_hours": [2, 30, 0],
            "count_mqls": [1, 1, 1],
            "cumulative_share": [0.5, 1.0, 1.0],
        }
    )
    spec = _spec(
        funnel_charts.response_curve(
            df,
            title="Touched within X hours",
            motion_labels=MOTION_LABELS,
            sla_hours=24,
            sla_label="SLA 24 h",
            x_title="Hours",
            y_title="Share of MQLs",
            sla_shares={"pull": 0.5, "push": 1.0},
        )
    )
    curves = [t for t in spec["data"] if t["mode"] == "lines"]
    assert [c["line"]["color"] for c in curves] == [PULL_COLOR, PUSH_COLOR]
    # between touches the share holds: by hour 3 half the pull MQLs, still half by hour 30
    pull_y = dict(zip(curves[0]["x"], curves[0]["y"], strict=True))
    assert (pull_y[0], pull_y[3], pull_y[30], pull_y[31]) == (0.0, 0.5, 0.5, 1.0)
    marks = [t for t in spec["data"] if t["mode"] == "markers+text"]
    assert [(m["x"], m["y"]) for m in marks] == [([24], [0.5]), ([24], [1.0])]
    assert spec["layout"]["shapes"][0]["x0"] == 24
    assert spec["layout"]["yaxis"]["tickformat"] == ".0%"


def test_cohort_heatmap_shades_in_the_motion_colour_and_leaves_unobserved_cells_blank():
    df = pd.DataFrame(
        {
            "cohort_month": pd.to_datetime(["2025-01-01"] * 3 + ["2025-02-01"] * 3),
            "motion": ["push"] * 6,
            "months_since": [0, 1, 2] * 2,
            "count_leads": [10] * 3 + [20] * 3,
            "share_won": [0.0, 0.1, 0.2, 0.05, 0.15, None],
        }
    )
    spec = _spec(
        funnel_charts.cohort_heatmap(
            df,
            title="Cohorts",
            motion="push",
            x_title="Months",
            y_title="Cohort",
            colorbar_title="Won",
        )
    )
    heat = spec["data"][0]
    assert heat["type"] == "heatmap"
    assert heat["y"] == ["2025-01", "2025-02"]
    assert heat["z"][0] == [0.0, 0.1, 0.2]
    assert np.isnan(heat["z"][1][2])  # a gap: plotly leaves it blank
    assert heat["colorscale"][-1][1] == PUSH_COLOR
