"""The planner fitted to the sample company: it recovers the generator's true parameters
within the stated tolerances, sees the brand, backtests, and keeps its invariants (zero spend
leaves only carry-over and the push engine; more spend never fewer leads; the optimiser never
exceeds the budget and refuses bounds that cannot hold it)."""

from __future__ import annotations

import shutil
from dataclasses import replace

import numpy as np
import pytest

from planning import optimiser, projection, sensitivity, validation
from queries import scenarios
from queries.workspace import Workspace
from sample_data.localise import true_channels
from sample_data.params import TRUE_PARAMETERS


@pytest.fixture(scope="module")
def sample_ws(sample_path, tmp_path_factory):
    copy = tmp_path_factory.mktemp("planner") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy)
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def model(sample_ws):
    return scenarios.fitted_model(sample_ws)


# -- recovery of the truth ----------------------------------------------------------------------
def test_fit_recovers_true_adstock_and_saturation_within_stated_tolerances(model, sample_names):
    # the truth as the sample names its channels (百度推广 and K in yuan in the Chinese one)
    rec = validation.parameter_recovery(model, true_channels(sample_names.locale), 1.0)
    assert len(rec) == 18
    required = rec[rec["required"]]
    assert len(required) == 14  # θ and s of the two noisy channels are not required
    failed = required[~required["within"]][["channel", "parameter", "fitted", "true"]]
    assert failed.empty, failed.to_string()
    # the big channels are recovered much closer than the tolerance
    search, events = sample_names.label("Paid Search"), sample_names.label("Events")
    big = rec[rec["channel"].isin([search, events])].set_index(["channel", "parameter"])
    assert abs(big.loc[(search, "theta"), "error"]) < 0.05
    assert abs(big.loc[(events, "k"), "error"]) < 0.05


def test_the_truth_lies_in_the_bootstrap_band_for_most_parameters(model, sample_names):
    rec = validation.parameter_recovery(model, true_channels(sample_names.locale), 1.0)
    assert len(rec) == 18
    covered = ((rec["true"] >= rec["low"]) & (rec["true"] <= rec["high"])).mean()
    assert covered >= 0.6  # a p10–p90 band should hold the truth about 80% of the time


def test_seasonality_is_estimated_close_to_the_generators(model):
    true = np.array(TRUE_PARAMETERS["lead_season"])
    true = true / true.mean()
    assert model.season_estimated
    assert np.max(np.abs(model.season - true)) < 0.08


def test_brand_carry_over_is_supported_and_slow(model):
    brand = model.point.brand
    assert brand.supported
    assert brand.delta >= 0.9  # the generator keeps 0.96 of the stock each month


def test_push_engine_ramp_and_productivity_are_plausible(model):
    push = model.point.push
    # generator: SDRs ramp over 3 months, AEs over 5
    assert 2.0 <= push.ramp_months <= 7.0
    assert push.reps_now == 32  # PARAMETERS.md: 32 reps employed at the end
    assert 0.5 < push.opps_per_rep < 5


def test_backtest_reports_mape_per_engine(sample_ws):
    monthly, errors = scenarios.backtest(sample_ws)
    assert set(zip(errors["engine"], errors["metric"], strict=True)) == {
        ("pull", "leads"),
        ("push", "leads"),
        ("pull", "revenue"),
        ("push", "revenue"),
    }
    assert len(monthly) == 4 * 12  # the last 12 months, four series
    err = errors.set_index(["engine", "metric"])
    # leads are projected closely; revenue is lumpy (a few large deals) and reported as is
    assert err.loc[("pull", "leads"), "mape_monthly"] < 0.12
    assert err.loc[("push", "leads"), "mape_monthly"] < 0.15
    assert err.loc[("pull", "revenue"), "mape_quarterly"] < 0.5
    assert err.loc[("push", "revenue"), "mape_quarterly"] < 0.6


# -- invariants ---------------------------------------------------------------------------------
def test_zero_spend_leaves_only_carry_over_and_the_push_engine(model):
    months = 24
    reps = float(model.point.push.reps_now)
    zero = projection.simulate(model, np.zeros((len(model.channels), months)), reps)
    spend = np.repeat(model.today_spend[:, None], months, axis=1)
    today = projection.simulate(model, spend, reps)
    pull_zero = zero.values[("pull", "leads")][0]
    # the push engine does not depend on marketing spend
    for metric in ("leads", "opps", "won", "revenue"):
        assert zero.values[("push", metric)] == pytest.approx(today.values[("push", metric)])
    # paid leads only from the adstock carried in: it decays by θ each month, so pull leads
    # fall towards the organic (brand) floor, which itself decays slowly
    assert pull_zero[-1] < pull_zero[0]
    assert pull_zero[-1] < 0.5 * today.values[("pull", "leads")][0][-1]
    organic_floor = model.brand_base[0] * model.season.min()
    assert pull_zero[-1] > organic_floor
    assert zero.values[("pull", "spend")][0].sum() == 0


def test_more_spend_never_gives_fewer_leads_in_any_month_or_draw(model):
    months = 12
    previous = None
    for f in (0.0, 0.25, 0.5, 1.0, 1.5, 2.0, 4.0):
        spend = np.repeat(model.today_spend[:, None] * f, months, axis=1)
        leads = projection.simulate(model, spend, 10.0).values[("pull", "leads")]
        if previous is not None:
            assert np.all(leads >= previous - 1e-9)
        previous = leads


def test_more_reps_never_give_fewer_push_opportunities(model):
    a = projection.simulate(model, np.zeros((len(model.channels), 12)), 20.0)
    b = projection.simulate(model, np.zeros((len(model.channels), 12)), 40.0)
    assert np.all(b.values[("push", "opps")] >= a.values[("push", "opps")])
    # new hires ramp: the gap widens over the first months
    gap = b.values[("push", "opps")][0] / model.season_of(np.arange(10, 22))
    gap -= a.values[("push", "opps")][0] / model.season_of(np.arange(10, 22))
    assert gap[0] < gap[5]


def test_a_better_handoff_raises_pull_revenue_only(model):
    sc = projection.current_scenario(model)
    base = projection.run_scenario(model, sc, bands=False)
    better = projection.run_scenario(model, replace(sc, mql_sql_uplift=0.2), bands=False)
    assert better.values[("pull", "revenue")][0].sum() > base.values[("pull", "revenue")][0].sum()
    assert better.values[("push", "revenue")][0] == pytest.approx(
        base.values[("push", "revenue")][0]
    )


def test_bands_contain_the_point_estimate_mostly(model):
    q = projection.quarterly(projection.run_scenario(model, projection.current_scenario(model)))
    revenue = q[q["metric"] == "revenue"]
    assert (revenue["low"] <= revenue["high"]).all()
    inside = ((revenue["value"] >= revenue["low"]) & (revenue["value"] <= revenue["high"])).mean()
    assert inside >= 0.8


def test_pull_pays_back_later_than_its_carry_over_suggests(model):
    sc = projection.current_scenario(model, quarters=8)
    run = projection.run_scenario(model, sc)
    summ = projection.summary(run, projection.baseline(model, 24)).set_index("engine")
    # revenue from deals in flight does not pay the plan back: payback is months away
    assert summ.loc["pull", "payback_month"] is not None
    assert summ.loc["pull", "payback_month"] > 2


@pytest.mark.parametrize("uplifts", [{}, {"mql_sql_uplift": 0.1, "win_rate_uplift": -0.05}])
def test_the_optimisers_batched_projection_is_the_projection(model, uplifts):
    # its finite differences project eight allocations in one call: each row must be the very
    # figure one projection gives (equal, not close: SLSQP's path follows every bit)
    today = np.append(model.today_spend, model.today_sales_spend)
    xs = today * np.array([[1.0], [0.5], [1.7]]) + np.arange(len(today)) * 100.0
    xs[1, 0] = 0.0  # a channel stopped
    for months in (12, 24):
        batched = optimiser._revenues(model, xs, months, uplifts)
        one_by_one = [optimiser._evaluate(model, x, months, uplifts)[0] for x in xs]
        assert batched.tolist() == one_by_one


@pytest.mark.parametrize("quarters", [4, 12])
def test_optimiser_never_exceeds_the_budget(model, quarters):
    lo, hi = optimiser.default_bounds(model)
    budget = projection.current_scenario(model).budget_per_quarter
    for f in (0.6, 1.0, 1.4):
        res = optimiser.max_revenue(model, budget * f, quarters, lo, hi)
        if res.ok:
            assert res.monthly_total <= budget * f / 3 * (1 + 1e-9)
            assert np.all(res.channel_spend >= lo[:-1] - 1e-6)
            assert np.all(res.channel_spend <= hi[:-1] + 1e-6)
    res = optimiser.max_revenue(model, budget, quarters, lo, hi)
    today = projection.total_revenue(
        projection.run_scenario(model, projection.current_scenario(model, quarters), bands=False)
    )
    assert res.ok
    assert res.revenue >= today * 0.999  # at least as good as today's split


def test_a_longer_horizon_moves_the_optimum_towards_marketing(model):
    lo, hi = optimiser.default_bounds(model)
    budget = projection.current_scenario(model).budget_per_quarter
    short = optimiser.max_revenue(model, budget, 4, lo, hi)
    long = optimiser.max_revenue(model, budget, 12, lo, hi)
    assert long.channel_spend.sum() > short.channel_spend.sum()


def test_optimiser_refuses_bounds_that_cannot_add_up_to_the_budget(model):
    lo, hi = optimiser.default_bounds(model)
    budget = projection.current_scenario(model).budget_per_quarter
    assert (
        optimiser.max_revenue(model, 3 * lo.sum() * 0.5, 8, lo, hi).reason == "bounds_above_budget"
    )
    assert (
        optimiser.max_revenue(model, 3 * hi.sum() * 1.5, 8, lo, hi).reason == "bounds_below_budget"
    )
    assert optimiser.max_revenue(model, 0.0, 8, lo, hi).reason == "budget_not_positive"
    bad = hi.copy()
    bad[0] = lo[0] - 1
    assert optimiser.max_revenue(model, budget, 8, lo, bad).reason == "bounds_invalid"
    refused = optimiser.max_revenue(model, 3 * lo.sum() * 0.5, 8, lo, hi)
    assert not refused.ok and refused.monthly_total == 0


def test_min_cac_reaches_the_target_within_the_budget_or_refuses(model):
    lo, hi = optimiser.default_bounds(model)
    sc = projection.current_scenario(model, 8)
    today = projection.total_revenue(projection.run_scenario(model, sc, bands=False))
    res = optimiser.min_cac(model, sc.budget_per_quarter, 8, 0.9 * today, lo, hi)
    assert res.ok
    assert res.revenue >= 0.9 * today * 0.999
    assert res.monthly_total <= sc.budget_per_quarter / 3 * (1 + 1e-9)
    assert optimiser.min_cac(model, sc.budget_per_quarter, 8, 10 * today, lo, hi).reason == (
        "target_unreachable"
    )


def test_tornado_moves_each_input_both_ways(model):
    df = sensitivity.tornado(model, projection.current_scenario(model))
    assert list(df["input"]) == list(sensitivity.INPUTS)
    row = df.set_index("input")
    assert row.loc["budget", "high"] > 0 > row.loc["budget", "low"]
    assert row.loc["pull_win_rate", "high"] > 0
    # a higher half-saturation point means less response for the same money
    assert row.loc["half_saturation", "high"] < 0


def test_at_scale_ten_the_fit_is_tight_for_every_channel_without_an_organic_term(tmp_path):
    """PARAMETERS.md: a Poisson fit recovers the parameters at scale >= 10. Content/SEO is left
    out: its paid response and its organic (brand) leads are confounded in 36 months, and the
    data prefer another split (a known limitation, reported on the page)."""
    from sample_data.seed import build_sample_workspace

    ws = Workspace(build_sample_workspace(tmp_path / "s10.duckdb", scale=10))
    try:
        fitted = scenarios.fitted_model(ws, None, 0)
        scale = float(ws.settings()["sample_scale"])
        assert scale == 10
        truth = TRUE_PARAMETERS["channels"]
        rec = validation.parameter_recovery(fitted, truth, scale).set_index(
            ["channel", "parameter"]
        )
        for channel in ("Paid Search", "Paid Social", "Webinar", "Events", "Email Nurture"):
            assert abs(rec.loc[(channel, "theta"), "error"]) < 0.06, channel
            assert abs(rec.loc[(channel, "k"), "error"]) < 0.15, channel
            assert abs(rec.loc[(channel, "s"), "error"]) < 0.3, channel
    finally:
        ws.close()
