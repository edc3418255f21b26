"""The planner's history queries against the tiny workspace (figures by hand from
tests/fixtures.py), and saving named scenarios."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from planning.funnel_flow import fit_funnel
from planning.handoff import MqlDefinition
from planning.history import Cohort, Outcomes
from queries import scenarios
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace


def _rows(df: pd.DataFrame, *cols: str) -> set[tuple]:
    return {tuple(r) for r in df[list(cols)].itertuples(index=False)}


def test_monthly_streams_pair_channel_spend_with_its_leads_and_group_the_rest(tiny_ws):
    df = tiny_ws.query("planner_monthly_streams", as_of=date(2025, 2, 1))
    df["month"] = pd.to_datetime(df["month"]).dt.strftime("%Y-%m")
    # February's sales spend and the unmapped lead L5 are out; L3 (Outbound) is push
    assert _rows(df, "month", "stream", "kind", "spend_amount", "count_leads") == {
        ("2024-12", "Webinar", "paid", 999.0, 1),
        ("2025-01", "Webinar", "paid", 3000.0, 1),
        ("2025-01", "Paid Search", "paid", 1500.0, 1),
        ("2025-01", "(sales)", "sales", 6000.0, 0),
        ("2025-01", "(push)", "push", 0.0, 1),
    }


def test_funnel_cohort_counts_stages_and_lags_of_mature_leads(tiny_ws):
    df = tiny_ws.query(
        "planner_funnel_cohort",
        as_of=date(2025, 3, 1),
        mature_from=date(2024, 12, 1),
        mature_to=date(2025, 2, 1),
        **MqlDefinition().params(),  # the CRM's MQL date (no definition saved)
    )
    head = df[df["lag_months"] == -1].set_index("motion")
    # pull: L1 (MQL, SQL, deal D2), L2 (nothing), L4 (MQL, SQL 3 Feb, deal D1); push: L3
    assert head.loc["pull", ["count_leads", "count_mql", "count_sql", "count_deals"]].tolist() == [
        3,
        2,
        2,
        2,
    ]
    assert head.loc["push", ["count_leads", "count_mql", "count_sql", "count_deals"]].tolist() == [
        1,
        1,
        1,
        1,
    ]
    lags = df[df["lag_months"] >= 0]
    # D1 was logged before its lead L4: it counts in the lead's own month (lag 0)
    assert _rows(lags, "motion", "lag_months", "count_deals") == {("pull", 0, 2), ("push", 0, 1)}
    # by the CRM's date every SQL of the cohort is an MQL too
    assert head["count_mql_sql"].to_dict() == {"pull": 2, "push": 1}


def test_the_mql_to_sql_rate_counts_the_sqls_among_the_mqls(tiny_ws):
    # "score >= 85": of the pull cohort only L4 (score 90) is an MQL; L1 (score 80) is an SQL
    # but no MQL, so all SQLs ÷ MQLs would read 2 ÷ 1 = 200 %; the SQLs among the MQLs: L4,
    # 1 ÷ 1 = 100 %. Push: L3 (score 60) is an SQL and no MQL: no MQL, no rate.
    strict = MqlDefinition("score", 85.0)
    df = tiny_ws.query(
        "planner_funnel_cohort",
        as_of=date(2025, 3, 1),
        mature_from=date(2024, 12, 1),
        mature_to=date(2025, 2, 1),
        **strict.params(),
    )
    head = df[df["lag_months"] == -1].set_index("motion")
    cols = ["count_leads", "count_mql", "count_sql", "count_mql_sql"]
    assert head.loc["pull", cols].tolist() == [3, 1, 2, 1]
    assert head.loc["push", cols].tolist() == [1, 0, 1, 0]
    pull = Cohort(count_leads=3, count_mql=1, count_sql=2, count_mql_sql=1, count_deals=2)
    funnel = fit_funnel(pull, Outcomes())
    assert funnel.mql_sql == 1.0  # not 2.0
    assert funnel.sql_opp == 1.0  # deals per SQL still over every SQL: 2 ÷ 2


def test_deal_outcomes_count_wins_by_months_to_close_and_censor_at_as_of(tiny_ws):
    df = tiny_ws.query(
        "planner_deal_outcomes",
        as_of=date(2025, 3, 1),
        mature_from=date(2024, 10, 1),
        mature_to=date(2025, 2, 1),
    )
    head = df[df["lag_months"] == -1].set_index("motion")
    # pull: D1, D2, D6, D7 all won (22,000); push: D3 lost, D4 won, D5 open, D8 lost
    assert head.loc["pull", ["count_deals", "count_won", "count_lost"]].tolist() == [4, 4, 0]
    assert head.loc["pull", "won_amount"] == pytest.approx(22000)
    assert head.loc["push", ["count_deals", "count_won", "count_lost"]].tolist() == [4, 1, 2]
    assert head.loc["push", "mean_amount"] == pytest.approx((8000 + 2000 + 7000 + 1000) / 4)
    lags = df[df["lag_months"] >= 0]
    # D2 and D7 close the month they open; D1 (Nov → Jan) and D6 (Dec → Feb) two months on
    assert _rows(lags, "motion", "lag_months", "count_won", "won_amount") == {
        ("pull", 0, 2, 8000.0),
        ("pull", 2, 2, 14000.0),
        ("push", 0, 1, 2000.0),
    }
    early = tiny_ws.query(
        "planner_deal_outcomes",
        as_of=date(2025, 2, 1),
        mature_from=date(2024, 10, 1),
        mature_to=date(2025, 2, 1),
    )
    # seen from 1 February, D6 (won 15 February) is still open
    assert (
        early[(early["motion"] == "pull") & (early["lag_months"] == -1)]["count_won"].iloc[0] == 3
    )


def test_won_months_count_deals_by_close_month(tiny_ws):
    df = tiny_ws.query("planner_won_months", as_of=date(2025, 2, 1))
    df["month"] = pd.to_datetime(df["month"]).dt.strftime("%Y-%m")
    assert _rows(df, "month", "motion", "count_won", "won_amount") == {
        ("2025-01", "pull", 3, 18000.0),  # D1 10,000, D2 5,000, D7 3,000
        ("2025-01", "push", 1, 2000.0),  # D4
    }


def test_history_of_a_workspace_without_a_sales_team_is_not_usable(tiny_ws):
    hist = scenarios.planner_history(tiny_ws)
    assert hist is not None
    assert hist.channels == ("Paid Search", "Webinar")
    assert not hist.is_usable()  # two months and no reps: the page says so instead of fitting
    assert scenarios.fitted_model(tiny_ws) is None


def test_empty_workspace_has_no_history(tmp_path: Path):
    ws = Workspace(tmp_path / "empty.duckdb")
    try:
        assert scenarios.planner_history(ws) is None
        assert scenarios.fitted_model(ws) is None
    finally:
        ws.close()


# -- named scenarios ---------------------------------------------------------------------------
def test_saving_a_name_twice_replaces_the_scenario(tmp_path: Path):
    ws = Workspace(build_tiny_workspace(tmp_path / "s.duckdb"))
    try:
        scenarios.save_scenario(ws, " Push-heavy ", {"budget_per_quarter": 1.0})
        scenarios.save_scenario(ws, "Push-heavy", {"budget_per_quarter": 2.0})
        df = scenarios.list_scenarios(ws)
        assert df["name"].tolist() == ["Push-heavy"]
        assert df["inputs"].iloc[0] == {"budget_per_quarter": 2.0}
        scenarios.delete_scenario(ws, "Push-heavy")
        assert scenarios.list_scenarios(ws).empty
    finally:
        ws.close()


@pytest.mark.parametrize(
    ("name", "count", "error"),
    [
        ("", 0, "name_empty"),
        ("   ", 0, "name_empty"),
        ("x" * 61, 0, "name_long"),
        ("bad\nname", 0, "name_control"),
        ("ok", scenarios.MAX_SCENARIOS, "too_many"),
        ("Pull-heavy 2027", 3, None),
    ],
)
def test_scenario_names_are_validated(name, count, error):
    assert scenarios.validate_name(name, count) == error
