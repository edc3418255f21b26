"""The planner on histories a real team has (issue 16): each unmet requirement named with its
count, the deal owners standing in for a missing reps roster, an unknown cost of a rep kept
unknown (no division by zero, "—" not $0.00), and projections held to the bounds of the
history they were fitted on."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from planning import history as planning_history
from planning import optimiser, projection, sensitivity
from queries import scenarios
from tests.degenerate import build_variant

STREAM_COLS = ["month", "stream", "kind", "spend_amount", "count_leads"]
EMPTY = {
    "opportunities": pd.DataFrame(columns=["month", "motion", "count_opps", "count_direct"]),
    "won": pd.DataFrame(columns=["month", "motion", "count_won", "won_amount"]),
    "funnel": pd.DataFrame(columns=["motion", "lag_months", "count_leads"]),
    "outcomes": pd.DataFrame(columns=["motion", "lag_months", "count_won"]),
    "rep_months": pd.DataFrame(columns=["month", "owner", "team", "tenure_months"]),
}


def _history(months: int, **frames) -> planning_history.History:
    parts = {**EMPTY, **frames}
    return planning_history.build_history(
        streams=parts.pop("streams", pd.DataFrame(columns=STREAM_COLS)),
        first_month=date(2025, 1, 1),
        as_of=(pd.Timestamp("2025-01-01") + pd.DateOffset(months=months)).date(),
        **parts,
    )


# -- the refusal names each requirement with its count ----------------------------------------
def test_an_empty_three_month_history_lists_every_unmet_requirement_with_its_count():
    hist = _history(3)
    assert hist.n_months == 3
    assert hist.capacity_source == "none"
    codes = planning_history.unmet(hist)
    assert codes[:3] == [
        ("short", {"months": 3, "need": 6}),
        ("no_spend", {"months": 0}),
        ("no_capacity", {}),
    ]
    motions = [(c, f["motion"]) for c, f in codes[3:]]
    assert motions == [
        ("no_cohort_leads", "pull"),
        ("no_won", "pull"),
        ("no_cohort_leads", "push"),
        ("no_won", "push"),
    ]
    assert all(f["count"] == 0 for _, f in codes[3:])
    assert not hist.is_usable()
    assert planning_history.unmet(None) == [("no_data", {})]


def test_spend_without_matching_leads_is_counted_as_zero_paid_leads():
    streams = pd.DataFrame(
        [[date(2025, m, 1), "Events", "paid", 1000.0, 0] for m in range(1, 8)]
        + [[date(2025, 1, 1), "Ads", "paid", 500.0, 0]],
        columns=STREAM_COLS,
    )
    hist = _history(7, streams=streams)
    codes = dict(planning_history.unmet(hist))
    assert "no_spend" not in codes and "short" not in codes
    assert codes["no_paid_leads"] == {"leads": 0, "channels": 2}


def test_capacity_per_month_is_the_mean_headcount_over_the_last_twelve_months():
    # 14 months; owner A active in all, B only in the last two: last 12 months hold 12 + 2 rows
    rows = [[date(2025, 1, 1) + pd.DateOffset(months=i), "A", None, 1.0] for i in range(14)]
    rows += [[date(2026, 1, 1), "B", None, 1.0], [date(2026, 2, 1), "B", None, 1.0]]
    reps = pd.DataFrame(rows, columns=["month", "owner", "team", "tenure_months"])
    reps["month"] = [pd.Timestamp(m).date() for m in reps["month"]]
    hist = planning_history.build_history(
        **{**EMPTY, "rep_months": reps},
        streams=pd.DataFrame(columns=STREAM_COLS),
        first_month=date(2025, 1, 1),
        as_of=date(2026, 3, 1),
        capacity_source="owners",
    )
    assert hist.capacity_source == "owners"
    assert hist.capacity_per_month == pytest.approx(14 / 12)
    assert "no_capacity" not in dict(planning_history.unmet(hist))


def test_without_a_roster_the_deal_owners_active_each_month_are_the_sales_team(tiny_ws):
    # tiny deals: Bob creates D8 on 1 October (the first month of data), closes it in December
    # and creates D3, D4, D5 in January; Ann creates D1 (Nov), D6 (Dec), D2 and D7 (Jan). The
    # data end on 15 February, so the history is the whole months October - January (February's
    # activity is cut). No sales_reps rows.
    hist = scenarios.planner_history(tiny_ws)
    assert hist.capacity_source == "owners"
    got = [
        (hist.months[t].isoformat(), o)
        for t, o in zip(hist.rep_months["t"], hist.rep_months["owner"], strict=True)
    ]
    assert got == [
        ("2024-10-01", "Bob"),
        ("2024-11-01", "Ann"),
        ("2024-12-01", "Ann"),
        ("2024-12-01", "Bob"),
        ("2025-01-01", "Ann"),
        ("2025-01-01", "Bob"),
    ]
    # Bob's tenure in December: 1 October to 16 December = 76 days of 30.44
    bob_dec = hist.rep_months[(hist.rep_months["owner"] == "Bob") & (hist.rep_months["t"] == 2)]
    assert float(bob_dec["tenure_months"].iloc[0]) == pytest.approx(76 / 30.44)
    assert hist.capacity_per_month == pytest.approx(6 / 4)


@pytest.mark.parametrize(
    ("variant", "present", "absent"),
    [
        ("no_spend", {"no_spend"}, {"no_capacity", "short"}),
        ("no_spend_no_reps", {"no_spend"}, {"no_capacity"}),  # the deal owners stand in
        ("deals_only", {"no_spend", "no_cohort_leads"}, {"no_capacity"}),
        ("no_leads", {"no_paid_leads", "no_cohort_leads"}, {"no_spend"}),
        ("no_reps", set(), {"no_capacity", "no_spend"}),
    ],
)
def test_degenerate_workspaces_name_what_they_lack(sample_path, tmp_path, variant, present, absent):
    ws_path = build_variant(sample_path, tmp_path, variant)
    from queries.workspace import Workspace

    ws = Workspace(ws_path)
    try:
        gaps = scenarios.planner_gaps(ws)
        codes = {c for c, _ in gaps}
        assert present <= codes
        assert not absent & codes
        if "no_spend" in codes:
            assert dict(gaps)["no_spend"] == {"months": 0}
        hist = scenarios.planner_history(ws)
        if variant in ("no_reps", "no_spend_no_reps", "deals_only"):
            assert hist.capacity_source == "owners"
            assert hist.capacity_per_month > 0
    finally:
        ws.close()


# -- an unknown cost of a rep stays unknown ---------------------------------------------------
@pytest.fixture(scope="module")
def sample_model(sample_path):
    from queries.workspace import Workspace

    ws = Workspace(sample_path)
    try:
        return scenarios.fitted_model(ws, draws=3)
    finally:
        ws.close()


def _without_sales_cost(model):
    push = replace(model.point.push, cost_per_rep=float("nan"))
    return replace(model, point=replace(model.point, push=push))


def test_reps_without_sales_spend_give_an_unknown_cost_not_a_division_by_zero(sample_model):
    from planning.push_engine import fit_push

    hist = sample_model.history
    fit = fit_push(
        hist.opps["push"],
        hist.push_leads,
        hist.rep_months,
        np.zeros(hist.n_months),
        np.ones(hist.n_months),
    )
    assert np.isnan(fit.cost_per_rep) and not fit.cost_known
    assert fit.opps_per_rep > 0 and np.isfinite(fit.opps_per_rep)

    model = _without_sales_cost(sample_model)
    assert model.today_sales_spend == 0.0
    sc = projection.current_scenario(model, 4)
    assert sc.marketing_share == pytest.approx(1.0)
    # no budget buys reps: the plan keeps today's team
    assert projection.headcount(model, sc) == model.point.push.reps_now
    run = projection.run_scenario(model, sc)
    summ = projection.summary(run, projection.baseline(model, 12)).set_index("engine")
    assert np.isnan(summ.loc["push", "cac"]) and not summ.loc["push", "spend_known"]
    assert summ.loc["pull", "spend_known"] and np.isfinite(summ.loc["pull", "cac"])
    assert summ.loc["push", "revenue"] > 0
    lo, hi = optimiser.default_bounds(model)
    best = optimiser.max_revenue(model, sc.budget_per_quarter, 4, lo, hi)
    assert not best.ok and best.reason == "cost_unknown"
    assert optimiser.min_cac(model, sc.budget_per_quarter, 4, 1.0, lo, hi).reason == "cost_unknown"


def test_a_push_fit_without_capacity_has_no_rate_rather_than_a_huge_one():
    from planning.push_engine import fit_push

    empty = pd.DataFrame(columns=["t", "owner", "team", "tenure_months"])
    fit = fit_push(np.full(6, 10.0), np.full(6, 20.0), empty, np.zeros(6), np.ones(6))
    assert fit.opps_per_rep == 0.0 and fit.leads_per_rep == 0.0
    assert not fit.cost_known and fit.reps_now == 0


# -- projections held to the evidence ---------------------------------------------------------
def test_best_history_quarter_and_the_refusal_above_ten_times_it():
    # pull won 100 in January, 200 in February, 50 in April: Q1 300, Q2 50 -> best 300, bound 3,000
    won = pd.DataFrame(
        [
            [date(2025, 1, 1), "pull", 1, 100.0],
            [date(2025, 2, 1), "pull", 1, 200.0],
            [date(2025, 4, 1), "pull", 1, 50.0],
            [date(2025, 5, 1), "push", 1, 40.0],
        ],
        columns=["month", "motion", "count_won", "won_amount"],
    )
    model = SimpleNamespace(history=_history(6, won=won))
    assert projection.best_history_quarter(model, "pull") == 300.0
    assert projection.best_history_quarter(model, "push") == 40.0
    assert projection.history_revenue(model) == 390.0

    def q(pull: float, push: float) -> pd.DataFrame:
        return pd.DataFrame(
            [
                {
                    "quarter": "2025-Q3",
                    "engine": e,
                    "metric": "revenue",
                    "value": v,
                    "low": v,
                    "high": v,
                }
                for e, v in (("pull", pull), ("push", push))
            ]
        )

    assert projection.beyond_evidence(model, q(3000.0, 400.0)) == []
    found = projection.beyond_evidence(model, q(3001.0, 400.0))
    assert found == [
        (
            "above_history",
            {
                "engine": "pull",
                "quarter": "2025-Q3",
                "value": 3001.0,
                "best": 300.0,
                "multiple": 10.0,
            },
        )
    ]
    assert projection.beyond_evidence(model, q(float("inf"), 0.0))[0] == (
        "not_finite",
        {"engine": "pull"},
    )
    # a sensitivity swing above all the history's won revenue (390) is refused
    torn = pd.DataFrame(
        {
            "input": ["budget", "brand_effect"],
            "base": 1000.0,
            "low": [-100.0, -200.0],
            "high": [100.0, 191.0],
        }
    )
    assert sensitivity.beyond_evidence(model, torn) == [
        ("swing_above_history", {"input": "brand_effect", "swing": 391.0, "history": 390.0})
    ]
    assert sensitivity.beyond_evidence(model, torn.assign(high=[100.0, 189.0])) == []


def test_a_budget_far_beyond_the_history_is_refused_by_the_bounds(sample_model):
    sc = projection.current_scenario(sample_model, 4)
    fine = projection.quarterly(projection.run_scenario(sample_model, sc))
    assert projection.beyond_evidence(sample_model, fine) == []
    huge = replace(sc, budget_per_quarter=sc.budget_per_quarter * 1e6)
    out = projection.beyond_evidence(
        sample_model, projection.quarterly(projection.run_scenario(sample_model, huge))
    )
    assert out and {c for c, _ in out} <= {"above_history", "not_finite"}
