"""The best split of a budget across marketing channels and the sales team.

Two questions: **maximum revenue** — spend exactly the budget so that won revenue over the
horizon is highest; **minimum CAC** — reach a revenue target over the horizon at the lowest
acquisition cost (spend ÷ won deals), spending at most the budget. Each channel and the sales
team have monthly bounds; when the bounds cannot add up to the budget the optimiser refuses
with a reason instead of quietly breaking a bound (google/lightweight_mmm#233). The result
never spends more than the budget: after SLSQP the allocation is clipped to the bounds and
scaled back onto the budget.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import minimize

from planning.blas import single_thread
from planning.funnel_flow import flow
from planning.model import PlannerModel
from planning.projection import ENGINES, plan_months, simulate
from planning.push_engine import ramped_future

EPS = 1e-6
# default bounds, as multiples of today's monthly spend: a channel from 0 to CHANNEL_MAX ×,
# the sales team from TEAM_MIN × to TEAM_MAX ×
CHANNEL_MAX = 3.0
TEAM_MIN = 0.5
TEAM_MAX = 2.0


@dataclass(frozen=True)
class Allocation:
    ok: bool
    reason: str | None  # 'bounds_above_budget', 'bounds_below_budget', 'target_unreachable',
    # 'budget_not_positive', 'cost_unknown' (no sales spend: a rep's cost is unknown) or None
    channel_spend: np.ndarray  # monthly, per model channel
    sales_spend: float  # monthly
    revenue: float  # over the horizon, point estimate
    won: float
    spend: float  # over the horizon

    @property
    def monthly_total(self) -> float:
        return float(self.channel_spend.sum() + self.sales_spend)

    @property
    def cac(self) -> float:
        return self.spend / self.won if self.won > 0 else float("nan")


def default_bounds(model: PlannerModel) -> tuple[np.ndarray, np.ndarray]:
    """Monthly bounds per channel, then the sales team: 0 to CHANNEL_MAX × today's spend for a
    channel, TEAM_MIN × to TEAM_MAX × today's team."""
    today = model.today_spend
    sales = model.today_sales_spend
    lo = np.append(np.zeros_like(today), TEAM_MIN * sales)
    hi = np.append(CHANNEL_MAX * today, TEAM_MAX * sales)
    return lo, hi


def check_bounds(budget_month: float, lo: np.ndarray, hi: np.ndarray, *, exact: bool) -> str | None:
    """Why the bounds cannot hold the budget, or None. ``exact``: the whole budget must be
    spent (maximum revenue); otherwise only the lower bounds must fit in it."""
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    if budget_month <= 0:
        return "budget_not_positive"
    if np.any(lo > hi + EPS) or np.any(lo < 0):
        return "bounds_invalid"
    if lo.sum() > budget_month * (1 + EPS):
        return "bounds_above_budget"
    if exact and hi.sum() < budget_month * (1 - EPS):
        return "bounds_below_budget"
    return None


def _evaluate(
    model: PlannerModel, x: np.ndarray, months: int, uplifts: dict
) -> tuple[float, float, float]:
    channels, sales = x[:-1], x[-1]
    spend = np.repeat(channels[:, None], months, axis=1)
    push = model.point.push
    reps = sales / push.cost_per_rep if push.cost_known else float(push.reps_now)
    run = simulate(model, spend, reps, bands=False, **uplifts)
    revenue = sum(float(run.values[(e, "revenue")][0].sum()) for e in ENGINES)
    won = sum(float(run.values[(e, "won")][0].sum()) for e in ENGINES)
    return revenue, won, float(x.sum()) * months


def _revenues(model: PlannerModel, xs: np.ndarray, months: int, uplifts: dict) -> np.ndarray:
    """Won revenue over the horizon of many allocations at once (rows of ``xs``: monthly
    spend per channel, then the sales team), point estimate: ``simulate(bands=False)`` with
    the plans as rows, the same operations in the same order, so each row's figure is the one
    ``_evaluate`` gives (tests/test_scenarios_kept.py holds them equal). The optimiser's finite
    differences ask for one point per channel at a time: one call here instead of eight."""
    xs = np.atleast_2d(np.asarray(xs, dtype=float))
    n = xs.shape[0]
    channels, sales = xs[:, :-1], xs[:, -1]
    hist = model.history
    _, month_of_year = plan_months(pd.Timestamp(hist.as_of), months)
    season = model.season[month_of_year]
    mql_sql_uplift = uplifts.get("mql_sql_uplift", 0.0)
    win_rate_uplift = uplifts.get("win_rate_uplift", 0.0)
    theta, k, s, beta = model.theta[0], model.k[0], model.s[0], model.beta[0]
    ad = np.empty((n, channels.shape[1], months))
    prev = np.broadcast_to(model.adstock_end[0], channels.shape)
    for h in range(months):
        prev = theta * prev + (1 - theta) * channels
        ad[:, :, h] = prev
    delta = model.brand_delta[0]
    ref = model.point.brand.ref
    stock = np.empty((n, months))
    prev_b = np.full(n, model.brand_end[0])
    # the plan's spend is the same every month: the total of the channels, taken as simulate
    # takes it (a sum over the channels of each month)
    total = np.repeat(channels[:, :, None], months, axis=2).sum(axis=1) / ref
    for h in range(months):
        prev_b = delta * prev_b + (1 - delta) * total[:, h]
        stock[:, h] = prev_b
    ratio = np.power(np.maximum(ad, 1e-12) / k[None, :, None], s[None, :, None])
    paid = beta[None, :, None] * ratio / (1 + ratio) * (ad > 0)
    paid = (paid + model.organic_coef[0][None, :, None] * stock[:, None, :]) * season
    organic = (model.brand_base[0] + model.brand_coef[0] * stock) * season
    pull_leads = paid.sum(axis=1) + organic
    hist_pull_leads = hist.leads.sum(axis=0) + hist.organic_leads
    seen = np.minimum(stock, model.warmth_cap[0])
    warmth = np.exp(model.warmth_gamma[0] * (seen - model.warmth_ref[0]))
    pull_opps = flow(
        hist_pull_leads * model.warmth_history[0:1],
        pull_leads * (1 + mql_sql_uplift) * warmth,
        model.lead_opp[0:1],
    )
    push = model.point.push
    ramped = np.vstack(
        [
            ramped_future(
                np.array(push.tenure_now),
                sales_i / push.cost_per_rep if push.cost_known else float(push.reps_now),
                months,
                model.ramp[0:1],
            )
            for sales_i in sales
        ]
    )
    push_opps = model.opps_per_rep[0:1][:, None] * ramped * season
    revenue = np.zeros(n)
    for engine, opps in (("pull", pull_opps), ("push", push_opps)):
        lifted = opps * (1 + win_rate_uplift)
        rev = flow(hist.opps[engine], lifted, model.revenue_kernel[engine][0:1])
        revenue = revenue + np.array([float(r.sum()) for r in rev])
    return revenue


def _repair(x: np.ndarray, lo: np.ndarray, hi: np.ndarray, cap: float) -> np.ndarray:
    """Clip to the bounds and bring the total to at most ``cap`` by trimming what is above the
    lower bounds proportionally (feasible because sum(lo) <= cap)."""
    x = np.clip(x, lo, hi)
    total = x.sum()
    if total > cap:
        room = x - lo
        x = lo + room * max(cap - lo.sum(), 0.0) / max(room.sum(), 1e-12)
        x = np.minimum(x, hi)
    return x


def _start(model: PlannerModel, budget_month: float, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    today = np.append(model.today_spend, model.today_sales_spend)
    x = today * budget_month / today.sum() if today.sum() > 0 else np.full(len(today), 0.0)
    for _ in range(50):  # push today's mix inside the bounds, keeping the total
        x = np.clip(x, lo, hi)
        gap = budget_month - x.sum()
        free = (x < hi - EPS) if gap > 0 else (x > lo + EPS)
        if abs(gap) < budget_month * 1e-9 or not free.any():
            break
        x[free] += gap / free.sum()
    return x


def max_revenue(
    model: PlannerModel,
    budget_per_quarter: float,
    quarters: int,
    lo: np.ndarray,
    hi: np.ndarray,
    **uplifts: float,
) -> Allocation:
    """Spend ``budget_per_quarter`` (every quarter of the horizon) for the most won revenue."""
    budget = budget_per_quarter / 3
    months = 3 * quarters
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    reason = "cost_unknown" if not model.point.push.cost_known else None
    reason = reason or check_bounds(budget, lo, hi, exact=True)
    if reason:
        return _refused(model, reason)
    scale = budget
    w_lo, w_hi = lo / scale, hi / scale
    known: dict[bytes, float] = {}  # revenue of the points already projected, by their bytes

    def neg_revenue(w: np.ndarray) -> float:
        revenue = known.get(w.tobytes())
        if revenue is None:
            revenue = _evaluate(model, w * scale, months, uplifts)[0]
        return -revenue / (scale * months)

    def batched(fun, points) -> list:
        """SLSQP's map for its finite differences (``workers``): every point projected in one
        call first, then asked one by one as before (the objective finds them known; the
        constraint's differences just pay one spare call). Points as the objective will see
        them: clipped to the bounds, as scipy clips them."""
        points = list(points)
        clipped = [np.clip(w, w_lo, w_hi) for w in points]
        for w, revenue in zip(
            clipped, _revenues(model, np.array(clipped) * scale, months, uplifts), strict=True
        ):
            known[w.tobytes()] = float(revenue)
        return [fun(w) for w in points]

    with single_thread():
        # one BLAS thread: SLSQP's tiny BLAS calls are slower with a spinning pool (planning/blas)
        res = minimize(
            neg_revenue,
            _start(model, budget, lo, hi) / scale,
            method="SLSQP",
            bounds=list(zip(w_lo, w_hi, strict=True)),
            constraints=[{"type": "eq", "fun": lambda w: w.sum() - 1.0}],
            options={"maxiter": 200, "ftol": 1e-9, "workers": batched},
        )
    x = _repair(res.x * scale, lo, hi, budget)
    return _result(model, x, months, uplifts)


def min_cac(
    model: PlannerModel,
    budget_per_quarter: float,
    quarters: int,
    target_revenue: float,
    lo: np.ndarray,
    hi: np.ndarray,
    **uplifts: float,
) -> Allocation:
    """Reach ``target_revenue`` over the horizon at the lowest CAC, spending at most the
    budget each quarter; refused when even the best split cannot reach the target."""
    budget = budget_per_quarter / 3
    months = 3 * quarters
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    reason = "cost_unknown" if not model.point.push.cost_known else None
    reason = reason or check_bounds(budget, lo, hi, exact=False)
    if reason:
        return _refused(model, reason)
    scale = budget

    def cac(w: np.ndarray) -> float:
        _, won, spend = _evaluate(model, w * scale, months, uplifts)
        return spend / max(won, 1e-6) / scale

    def reach(w: np.ndarray) -> float:
        return _evaluate(model, w * scale, months, uplifts)[0] / max(target_revenue, 1.0) - 1.0

    with single_thread():
        res = minimize(
            cac,
            _start(model, budget, lo, hi) / scale,
            method="SLSQP",
            bounds=list(zip(lo / scale, hi / scale, strict=True)),
            constraints=[
                {"type": "ineq", "fun": lambda w: 1.0 - w.sum()},
                {"type": "ineq", "fun": reach},
            ],
            options={"maxiter": 200, "ftol": 1e-9},
        )
    x = _repair(res.x * scale, lo, hi, budget)
    out = _result(model, x, months, uplifts)
    if out.revenue < target_revenue * (1 - 1e-3):
        return Allocation(
            False, "target_unreachable", x[:-1], float(x[-1]), out.revenue, out.won, out.spend
        )
    return out


def _result(model: PlannerModel, x: np.ndarray, months: int, uplifts: dict) -> Allocation:
    revenue, won, spend = _evaluate(model, x, months, uplifts)
    return Allocation(True, None, x[:-1], float(x[-1]), revenue, won, spend)


def _refused(model: PlannerModel, reason: str) -> Allocation:
    zeros = np.zeros(len(model.channels))
    return Allocation(False, reason, zeros, 0.0, 0.0, 0.0, 0.0)
