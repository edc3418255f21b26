"""Funnel health, the handoff: the MQL definition (saved, applied to the raw fields), the SLA
figures and the lead-score threshold tuner, against figures computed by hand.

January 2025 in the tiny workspace (tests/fixtures.py): L1 (Webinar, pull, score 80, MQL 6 Jan,
touched 4 h later, won through D2), L2 (Paid Search, pull, score 40, never MQL), L3 (Outbound,
push, score 60, MQL and touch at once, deal D3 lost), L5 (unmapped, score 10); L4 (Webinar,
pull, score 90) was created on 20 December, MQL on 2 January, touched 36 h later, won via D1.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from planning import handoff, lead_score
from queries import funnel
from queries.filters import Filters
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
RECORDED = handoff.MqlDefinition()


def _counts(df: pd.DataFrame, motion: str) -> list[int]:
    return df[df["motion"] == motion].sort_values("stage_order")["count_reached"].tolist()


@pytest.fixture
def extra_ws(tmp_path: Path):
    """The tiny workspace plus January pull leads (owner Ann, Webinar): L7 became MQL and was
    never touched; L8 was touched an hour before it became MQL (0 h). Neither has a deal."""
    path = build_tiny_workspace(tmp_path / "extra.duckdb")
    ws = Workspace(path)
    with ws.transaction() as cur:
        cur.executemany(
            "insert into raw_leads (lead_id, created_at, source, segment, region, lead_score, "
            "mql_at, first_touch_at, owner) values (?, ?, 'Webinar', 'SMB', 'EMEA', ?, ?, ?, "
            "'Ann')",
            [
                ("L7", "2025-01-16 09:00", 70.0, "2025-01-17 00:00", None),
                ("L8", "2025-01-18 09:00", 20.0, "2025-01-19 00:00", "2025-01-18 23:00"),
            ],
        )
    yield ws
    ws.close()


@pytest.fixture
def rw_ws(tmp_path: Path):
    """A writable copy of the tiny workspace (tiny_ws is read-only)."""
    ws = Workspace(build_tiny_workspace(tmp_path / "rw.duckdb"))
    yield ws
    ws.close()


# -- the MQL definition recomputes MQL counts from the raw fields ----------------------------
def test_score_rule_counts_leads_at_or_above_the_threshold_as_mql_in_the_cohort(tiny_ws):
    # pull cohort: L1 (SQL anyway), L2 (score 40): qualifies at 30, not at 50
    low = funnel.funnel_by_cohort(tiny_ws, JAN, handoff.MqlDefinition("score", 30))
    assert _counts(low, "pull") == [2, 2, 1, 1, 1]
    high = funnel.funnel_by_cohort(tiny_ws, JAN, handoff.MqlDefinition("score", 50))
    assert _counts(high, "pull") == [2, 1, 1, 1, 1]
    # L5 (unmapped, score 10) never qualifies
    assert _counts(low, "unmapped") == [1, 0, 0, 0, 0]


def test_score_and_recorded_rule_needs_both_the_mql_date_and_the_score(tiny_ws):
    both = funnel.funnel_by_cohort(tiny_ws, JAN, handoff.MqlDefinition("score_and_recorded", 30))
    assert _counts(both, "pull") == [2, 1, 1, 1, 1]  # L2 has no MQL date


def test_period_mqls_by_score_date_a_score_only_mql_at_its_creation(tiny_ws):
    # pull leads with score >= 30 whose MQL time falls in January: L1 (mql_at 6 Jan), L4
    # (mql_at 2 Jan, created in December) and L2 (no mql_at: created 10 January)
    df = funnel.funnel_by_period(tiny_ws, JAN, handoff.MqlDefinition("score", 30))
    assert _counts(df, "pull")[1] == 3
    assert _counts(funnel.funnel_by_period(tiny_ws, JAN, RECORDED), "pull")[1] == 2


def test_the_saved_definition_is_read_from_the_workspace_settings(rw_ws):
    tiny_ws = rw_ws
    assert (
        funnel.save_handoff(tiny_ws, {"mql_rule": "score", "mql_threshold": "30", "sla_hours": 12})
        == []
    )
    settings = tiny_ws.settings()
    assert handoff.mql_definition(settings) == handoff.MqlDefinition("score", 30.0)
    assert handoff.sla_hours(settings) == 12.0
    # funnel_by_cohort without a definition uses the saved one
    assert _counts(funnel.funnel_by_cohort(tiny_ws, JAN), "pull") == [2, 2, 1, 1, 1]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        (
            {"mql_rule": "score", "mql_threshold": "abc", "sla_hours": 24},
            "funnel_mql_score_threshold",
        ),
        ({"mql_rule": "score", "mql_threshold": "", "sla_hours": 24}, "funnel_mql_score_threshold"),
        (
            {"mql_rule": "score", "mql_threshold": "-5", "sla_hours": 24},
            "funnel_mql_score_threshold",
        ),
        ({"mql_rule": "recorded", "mql_threshold": "", "sla_hours": 0}, "funnel_sla_hours"),
        ({"mql_rule": "recorded", "mql_threshold": "", "sla_hours": 721}, "funnel_sla_hours"),
        ({"mql_rule": "magic", "mql_threshold": "50", "sla_hours": 24}, "funnel_mql_rule"),
    ],
)
def test_invalid_handoff_input_is_refused_and_nothing_is_saved(rw_ws, values, field):
    tiny_ws = rw_ws
    before = tiny_ws.settings()
    errors = funnel.save_handoff(tiny_ws, values)
    assert [e.field for e in errors] == [field]
    assert tiny_ws.settings() == before


def test_recorded_rule_needs_no_threshold_and_a_broken_saved_rule_falls_back(tiny_ws):
    stored, errors = funnel.validate_handoff(
        {"mql_rule": "recorded", "mql_threshold": " ", "sla_hours": "48"}
    )
    assert errors == []
    assert stored == {"funnel_mql_rule": "recorded", "funnel_sla_hours": "48"}
    assert handoff.mql_definition({"funnel_mql_rule": "score"}) == RECORDED  # no threshold
    assert handoff.sla_hours({"funnel_sla_hours": "-3"}) == handoff.DEFAULT_SLA_HOURS


# -- SLA figures -------------------------------------------------------------------------------
def _summary(ws, sla, mql=RECORDED) -> pd.DataFrame:
    return handoff.handoff_summary(funnel.handoff_detail(ws, JAN, sla, mql)).set_index("motion")


def test_sla_won_rate_within_and_outside(extra_ws):
    # pull MQLs of January: L1 (4 h, won), L4 (36 h, won), L7 (never touched), L8 (0 h)
    at_24 = _summary(extra_ws, 24)
    assert at_24.loc["pull", ["count_mqls", "count_within_sla"]].tolist() == [4, 2]
    assert at_24.loc["pull", "won_rate_within"] == pytest.approx(1 / 2)  # L1 of L1, L8
    assert at_24.loc["pull", "won_rate_outside"] == pytest.approx(1 / 2)  # L4 of L4, L7
    at_48 = _summary(extra_ws, 48)
    assert at_48.loc["pull", "won_rate_within"] == pytest.approx(2 / 3)  # L1, L4 of three
    assert at_48.loc["pull", "won_rate_outside"] == pytest.approx(0.0)  # L7
    # push: L3 touched at once, its deal lost; nothing outside the SLA
    assert at_24.loc["push", "won_rate_within"] == pytest.approx(0.0)
    assert pd.isna(at_24.loc["push", "won_rate_outside"])


def test_sla_share_counts_an_mql_qualified_by_score_from_its_creation(tiny_ws):
    # score >= 30: L2 (created 10 January, never touched) joins L1 and L4 as a pull MQL
    sla = _summary(tiny_ws, 24, handoff.MqlDefinition("score", 30))
    assert sla.loc["pull", ["count_mqls", "count_touched", "count_within_sla"]].tolist() == [
        3,
        2,
        1,
    ]
    assert sla.loc["pull", "share_within_sla"] == pytest.approx(1 / 3)


def test_response_distribution_puts_each_mql_in_its_band(extra_ws):
    dist = handoff.response_distribution(funnel.handoff_detail(extra_ws, JAN, 24, RECORDED))
    pull = dist[dist["motion"] == "pull"].set_index("band")["count_mqls"]
    # L8 0 h, L1 4 h, L4 36 h, L7 never
    assert pull[pull > 0].to_dict() == {"lt1": 1, "4to8": 1, "24to48": 1, "never": 1}
    assert dist[dist["motion"] == "pull"]["share"].sum() == pytest.approx(1.0)


def test_breaches_by_owner_count_late_and_untouched_mqls(extra_ws):
    owners = handoff.breaches_by_owner(funnel.handoff_detail(extra_ws, JAN, 24, RECORDED))
    # Ann's pull MQLs: L4 late, L7 never -> 2 of 4; Bob (push, L3 at once) has no breach
    assert owners[["owner", "motion", "count_breaches", "count_mqls"]].values.tolist() == [
        ["Ann", "pull", 2, 4]
    ]
    assert owners["breach_share"].tolist() == [pytest.approx(0.5)]


# -- lead-score threshold ----------------------------------------------------------------------
@pytest.fixture
def tiny_bins(tiny_ws) -> pd.DataFrame:
    # January leads: L1 80 pull won, L2 40 pull, L3 60 push (lost), L5 10 unmapped
    return funnel.lead_score_bins(tiny_ws, JAN, 10.0)


def test_threshold_table_won_share_above_and_below(tiny_bins):
    table = lead_score.threshold_table(tiny_bins)
    overall = table[table["motion"] == "overall"].set_index("threshold")
    assert overall["count_above"].to_dict() == {10.0: 4, 40.0: 3, 60.0: 2, 80.0: 1}
    assert overall.loc[60.0, "won_share_above"] == pytest.approx(1 / 2)  # L1 of L1, L3
    assert overall.loc[60.0, "won_share_below"] == pytest.approx(0.0)  # L2, L5
    assert pd.isna(overall.loc[10.0, "won_share_below"])  # nobody below the lowest score
    # Youden's J: won above / all won - others above / all others (1 won, 3 others)
    assert overall["youden_j"].to_dict() == pytest.approx(
        {10.0: 0.0, 40.0: 1 - 2 / 3, 60.0: 1 - 1 / 3, 80.0: 1.0}
    )
    assert lead_score.best_threshold(table) == 80.0
    assert (
        lead_score.best_threshold(table, "push") is None
        or pd.isna(  # push never won
            table[table["motion"] == "push"]["youden_j"]
        ).all()
    )


def test_at_threshold_and_qualifying_leads_per_month(tiny_bins):
    at = lead_score.at_threshold(tiny_bins, 50).set_index("motion")
    assert at.loc["overall", ["count_above", "count_below"]].tolist() == [2, 2]
    assert at.loc["pull", "won_share_above"] == pytest.approx(1.0)
    assert at.loc["pull", "won_share_below"] == pytest.approx(0.0)
    monthly = lead_score.qualifying_by_month(tiny_bins, 50).set_index("motion")
    assert monthly.loc["pull", ["count_leads", "count_qualified"]].tolist() == [2, 1]
    assert monthly.loc["push", "share_qualified"] == pytest.approx(1.0)


def test_score_bins_are_round_and_cover_the_range():
    assert lead_score.score_bin_width(1, 100) == 1.0
    assert lead_score.score_bin_width(0, 1) == pytest.approx(0.01)
    assert lead_score.score_bin_width(0, 1000) == 10.0
    assert lead_score.score_bin_width(0, 30) == pytest.approx(0.5)


def test_lead_score_bounds_of_the_period(tiny_ws):
    bounds = funnel.lead_score_bounds(tiny_ws, JAN)
    assert bounds == {"min_score": 10.0, "max_score": 80.0, "count_scored": 4, "count_leads": 4}
