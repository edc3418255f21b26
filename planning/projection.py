"""Project both engines forward under a plan: leads, opportunities, pipeline, won deals,
revenue and spend per month, for the point estimate and every bootstrap draw at once.

A plan holds a constant monthly spend per channel and a sales headcount from its first month.
Everything in flight carries on: adstock and the brand stock carried out of the history decay
into the plan, leads and opportunities created before it still convert by the fitted lags.
Improvements apply to what the plan creates: a higher MQL → SQL rate to its pull leads, a
higher win rate to its opportunities.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from planning.funnel_flow import flow
from planning.model import PlannerModel
from planning.push_engine import ramped_future
from planning.response import hill

ENGINES = ("pull", "push")
METRICS = ("leads", "opps", "pipeline", "won", "revenue", "spend")
BAND = (10, 90)

# -- the bounds of the evidence: a projection outside them is refused, not shown -------------
# A projected quarter of an engine's won revenue above this multiple of the best calendar
# quarter that engine had in the history is not something the history supports: the fitted
# curves, rep productivity and conversion would be carried far beyond anything observed (the
# way a rep rate fitted on an empty roster once projected hundreds of trillions).
MAX_QUARTER_MULTIPLE = 10.0
# Moving one input by ±20% cannot honestly swing won revenue over the horizon by more than this
# share of the history's entire won revenue: a larger swing means a parameter rests on almost
# no data, and the sensitivity chart would rank noise.
MAX_SWING_SHARE = 1.0
# the summary's "first year" and "last year": the first and the last this many months
YEAR_MONTHS = 12


@dataclass(frozen=True)
class Scenario:
    """What an owner decides: a quarterly budget, its marketing share, the channel mix and
    improvements. Shares are fractions; the mix is renormalised over the model's channels."""

    budget_per_quarter: float
    marketing_share: float
    mix: dict[str, float] = field(default_factory=dict)
    quarters: int = 8
    mql_sql_uplift: float = 0.0  # relative: 0.10 = MQL → SQL rate × 1.10
    win_rate_uplift: float = 0.0  # relative, both engines

    def __hash__(self) -> int:
        # by value, mix included (a dict field leaves the generated hash failing): the app
        # keeps what it built for a scenario (its charts, its projection) under it
        return hash(
            (
                self.budget_per_quarter,
                self.marketing_share,
                tuple(sorted(self.mix.items())),
                self.quarters,
                self.mql_sql_uplift,
                self.win_rate_uplift,
            )
        )

    def channel_spend(self, channels: tuple[str, ...]) -> np.ndarray:
        """Monthly spend per channel."""
        weights = np.array([max(float(self.mix.get(c, 0.0)), 0.0) for c in channels])
        if weights.sum() <= 0:
            weights = np.ones(len(channels))
        return self.marketing_per_month * weights / weights.sum()

    @property
    def marketing_per_month(self) -> float:
        return self.budget_per_quarter / 3 * self.marketing_share

    @property
    def sales_per_month(self) -> float:
        return self.budget_per_quarter / 3 * (1 - self.marketing_share)

    def to_dict(self) -> dict:
        return {
            "budget_per_quarter": float(self.budget_per_quarter),
            "marketing_share": float(self.marketing_share),
            "mix": {k: float(v) for k, v in self.mix.items()},
            "quarters": int(self.quarters),
            "mql_sql_uplift": float(self.mql_sql_uplift),
            "win_rate_uplift": float(self.win_rate_uplift),
        }

    @classmethod
    def from_dict(cls, d: dict) -> Scenario:
        return cls(
            budget_per_quarter=float(d["budget_per_quarter"]),
            marketing_share=float(d["marketing_share"]),
            mix={str(k): float(v) for k, v in dict(d.get("mix", {})).items()},
            quarters=int(d.get("quarters", 8)),
            mql_sql_uplift=float(d.get("mql_sql_uplift", 0.0)),
            win_rate_uplift=float(d.get("win_rate_uplift", 0.0)),
        )


def current_scenario(model: PlannerModel, quarters: int = 8) -> Scenario:
    """Today's plan: the average spend, split and mix of the last TODAY_MONTHS."""
    today = model.today_spend  # a mean over the history's last months: taken once
    marketing = float(today.sum())
    sales = model.today_sales_spend
    total = marketing + sales
    share = marketing / total if total > 0 else 0.5
    mix = {
        c: float(v / marketing) if marketing > 0 else 1 / max(len(model.channels), 1)
        for c, v in zip(model.channels, today, strict=True)
    }
    return Scenario(budget_per_quarter=3 * total, marketing_share=share, mix=mix, quarters=quarters)


def preset(model: PlannerModel, kind: str, quarters: int = 8) -> Scenario:
    """Push-heavy, balanced or pull-heavy at today's total budget: the marketing share moved
    15 points down or up from today's (kept within 5–90%)."""
    base = current_scenario(model, quarters)
    shift = {"push_heavy": -0.15, "balanced": 0.0, "pull_heavy": 0.15}[kind]
    return replace(base, marketing_share=float(np.clip(base.marketing_share + shift, 0.05, 0.9)))


def headcount(model: PlannerModel, scenario: Scenario) -> float:
    """Sales reps the plan's sales budget pays for (at the loaded cost per rep-month); today's
    team when that cost is unknown (no sales spend imported): no budget buys reps then."""
    push = model.point.push
    if not push.cost_known:
        return float(push.reps_now)
    return scenario.sales_per_month / push.cost_per_rep


@functools.lru_cache(maxsize=64)
def plan_months(first: pd.Timestamp, months: int) -> tuple[tuple[pd.Timestamp, ...], np.ndarray]:
    """The plan's months from ``first`` and each one's month of the year (0 = January): the
    same for every projection of one model and horizon (the optimiser runs ~100), and date
    arithmetic costs more than the projection's arrays. The array is read-only: shared."""
    stamps = tuple(first + pd.DateOffset(months=i) for i in range(months))
    month_of_year = np.array([s.month - 1 for s in stamps], dtype=int)
    month_of_year.flags.writeable = False
    return stamps, month_of_year


@dataclass(frozen=True)
class Run:
    """Arrays [rows, months] per engine and metric: row 0 the point estimate, then draws."""

    months: tuple[pd.Timestamp, ...]
    values: dict[tuple[str, str], np.ndarray]
    headcount: float


def simulate(
    model: PlannerModel,
    spend: np.ndarray,
    reps: float,
    *,
    mql_sql_uplift: float = 0.0,
    win_rate_uplift: float = 0.0,
    bands: bool = True,
    ramped: np.ndarray | None = None,
    sales_spend: np.ndarray | None = None,
) -> Run:
    """Run a plan: ``spend`` is money per channel per month (channels × months), ``reps`` the
    sales headcount from the first month on. The backtest passes the ramped reps and the sales
    spend that actually happened instead (``ramped``, ``sales_spend``: one value per month)."""
    spend = np.asarray(spend, dtype=float)
    n_channels, months = spend.shape
    rows = slice(None) if bands else slice(0, 1)
    hist = model.history
    stamps, month_of_year = plan_months(pd.Timestamp(hist.as_of), months)
    season = model.season[month_of_year]

    theta, k, s, beta = model.theta[rows], model.k[rows], model.s[rows], model.beta[rows]
    organic_coef = model.organic_coef[rows]
    r = theta.shape[0]
    # adstock and brand stock carried out of the history, decaying into the plan
    ad = np.empty((r, n_channels, months))
    prev = model.adstock_end[rows]
    for h in range(months):
        prev = theta * prev + (1 - theta) * spend[:, h]
        ad[:, :, h] = prev
    delta = model.brand_delta[rows][:, None]
    ref = model.point.brand.ref
    stock = np.empty((r, months))
    prev_b = model.brand_end[rows]
    total = spend.sum(axis=0) / ref
    for h in range(months):
        prev_b = delta[:, 0] * prev_b + (1 - delta[:, 0]) * total[h]
        stock[:, h] = prev_b
    ratio = np.power(np.maximum(ad, 1e-12) / k[:, :, None], s[:, :, None])
    paid = beta[:, :, None] * ratio / (1 + ratio) * (ad > 0)
    paid = (paid + organic_coef[:, :, None] * stock[:, None, :]) * season
    organic = (model.brand_base[rows][:, None] + model.brand_coef[rows][:, None] * stock) * season
    pull_leads = paid.sum(axis=1) + organic
    hist_pull_leads = hist.leads.sum(axis=0) + hist.organic_leads
    # a stronger brand makes leads warmer: conversion follows the brand stock when the history
    # supports it (gamma is 0 otherwise), relative to the cohorts the kernel was measured on,
    # and never beyond the strongest brand the history has seen (no extrapolation)
    seen = np.minimum(stock, model.warmth_cap[rows][:, None])
    warmth = np.exp(model.warmth_gamma[rows][:, None] * (seen - model.warmth_ref[rows][:, None]))
    pull_opps = flow(
        hist_pull_leads * model.warmth_history[rows],
        pull_leads * (1 + mql_sql_uplift) * warmth,
        model.lead_opp[rows],
    )

    if ramped is None:
        ramped = ramped_future(
            np.array(model.point.push.tenure_now), reps, months, model.ramp[rows]
        )
    else:
        ramped = np.broadcast_to(np.asarray(ramped, dtype=float), (r, months))
    push_opps = model.opps_per_rep[rows][:, None] * ramped * season
    push_leads = model.leads_per_rep[rows][:, None] * ramped * season

    values: dict[tuple[str, str], np.ndarray] = {}
    for engine, leads, opps in (("pull", pull_leads, pull_opps), ("push", push_leads, push_opps)):
        lifted = opps * (1 + win_rate_uplift)
        values[(engine, "leads")] = leads
        values[(engine, "opps")] = opps
        values[(engine, "pipeline")] = opps * model.point.funnels[engine].mean_amount
        values[(engine, "won")] = flow(hist.opps[engine], lifted, model.won_kernel[engine][rows])
        values[(engine, "revenue")] = flow(
            hist.opps[engine], lifted, model.revenue_kernel[engine][rows]
        )
    values[("pull", "spend")] = np.broadcast_to(spend.sum(axis=0), (r, months)).copy()
    if sales_spend is None:
        # unknown cost of a rep (no sales spend imported): push spend is unknown (NaN), not 0
        cost = model.point.push.cost_per_rep if model.point.push.cost_known else np.nan
        values[("push", "spend")] = np.full((r, months), reps * cost)
    else:
        values[("push", "spend")] = np.broadcast_to(
            np.asarray(sales_spend, float), (r, months)
        ).copy()
    return Run(stamps, values, reps)


def run_scenario(model: PlannerModel, scenario: Scenario, *, bands: bool = True) -> Run:
    months = 3 * scenario.quarters
    per_month = scenario.channel_spend(model.channels)
    spend = np.repeat(per_month[:, None], months, axis=1)
    return simulate(
        model,
        spend,
        headcount(model, scenario),
        mql_sql_uplift=scenario.mql_sql_uplift,
        win_rate_uplift=scenario.win_rate_uplift,
        bands=bands,
    )


def quarterly(run: Run) -> pd.DataFrame:
    """One row per plan quarter (1, 2, …), engine and metric (plus ``cac`` and the cumulative
    ``revenue_cum``): the point estimate ``value`` and the bootstrap ``low``–``high`` band
    (10th–90th percentiles of the draws; equal to the value when the model has no draws)."""
    months = len(run.months)
    q_of = np.arange(months) // 3
    n_q = int(q_of.max()) + 1
    labels = [
        f"{run.months[3 * q].year}-Q{(run.months[3 * q].month - 1) // 3 + 1}" for q in range(n_q)
    ]
    starts = np.arange(0, months, 3)  # each quarter's first month (the last may be short)
    names, blocks = [], []
    for engine in ENGINES:
        sums = {
            metric: np.add.reduceat(run.values[(engine, metric)], starts, axis=1)
            for metric in METRICS
        }
        with np.errstate(divide="ignore", invalid="ignore"):
            sums["cac"] = np.where(sums["won"] > 0.5, sums["spend"] / sums["won"], np.nan)
        sums["revenue_cum"] = np.cumsum(sums["revenue"], axis=1)
        sums["spend_cum"] = np.cumsum(sums["spend"], axis=1)
        for metric, arr in sums.items():
            names.append((engine, metric))
            blocks.append(arr)
    # every (engine, metric) at once: rows × blocks × quarters; the band over the draws
    stacked = np.stack(blocks, axis=1)
    point = stacked[0]
    if stacked.shape[0] > 1:
        with warnings.catch_warnings():  # CAC of a quarter without wins is NaN
            warnings.simplefilter("ignore", RuntimeWarning)
            low, high = np.nanpercentile(stacked[1:], BAND, axis=0)
    else:
        low, high = point, point
    n = len(names)
    return pd.DataFrame(
        {
            "quarter_index": np.tile(np.arange(1, n_q + 1), n),
            "quarter": np.tile(np.array(labels, dtype=object), n),
            "engine": np.repeat(np.array([e for e, _ in names], dtype=object), n_q),
            "metric": np.repeat(np.array([m for _, m in names], dtype=object), n_q),
            "value": point.reshape(-1).astype(float),
            "low": np.asarray(low, dtype=float).reshape(-1),
            "high": np.asarray(high, dtype=float).reshape(-1),
        }
    )


def baseline(model: PlannerModel, months: int) -> Run:
    """The plan of spending nothing and keeping no sales team: what the history still brings
    (pipeline in flight, adstock and brand carry-over). Point estimate only."""
    return simulate(model, np.zeros((len(model.channels), months)), 0.0, bands=False)


def payback_month(run: Run, base: Run, engine: str) -> int | None:
    """The first plan month (1-based) by which the engine's cumulative won revenue *above the
    baseline* (stop spending) covers its cumulative spend in the plan; None if not within the
    horizon. Revenue from deals already in flight does not count as paying the plan back."""
    revenue = np.cumsum(run.values[(engine, "revenue")][0] - base.values[(engine, "revenue")][0])
    spend = np.cumsum(run.values[(engine, "spend")][0])
    hit = np.nonzero((revenue >= spend) & (spend > 0))[0]
    return int(hit[0]) + 1 if len(hit) else None


def summary(run: Run, base: Run | None = None) -> pd.DataFrame:
    """One row per engine: revenue in the first year and over the horizon (with bands), spend,
    won deals, CAC over the horizon, payback month (against ``base``, the stop-spending plan)."""
    rows = []
    year = min(YEAR_MONTHS, len(run.months))
    for engine in ENGINES:
        rev = run.values[(engine, "revenue")]
        won = run.values[(engine, "won")].sum(axis=1)
        spend = run.values[(engine, "spend")].sum(axis=1)
        total = rev.sum(axis=1)
        first = rev[:, :year].sum(axis=1)
        last = rev[:, -year:].sum(axis=1)

        def band(a: np.ndarray) -> tuple[float, float]:
            if len(a) > 1:
                lo, hi = np.percentile(a[1:], BAND)
                return float(lo), float(hi)
            return float(a[0]), float(a[0])

        rows.append(
            {
                "engine": engine,
                "revenue": float(total[0]),
                "revenue_low": band(total)[0],
                "revenue_high": band(total)[1],
                "revenue_first_year": float(first[0]),
                "revenue_last_year": float(last[0]),
                "spend": float(spend[0]),
                "won": float(won[0]),
                "cac": float(spend[0] / won[0])
                if won[0] > 0.5 and np.isfinite(spend[0])
                else float("nan"),
                "payback_month": payback_month(run, base, engine) if base else None,
                "spend_known": bool(np.isfinite(spend[0])),
            }
        )
    return pd.DataFrame(rows)


def best_history_quarter(model: PlannerModel, engine: str) -> float:
    """The engine's highest won revenue in one calendar quarter of the history (0 if none)."""
    hist = model.history
    if not hist.n_months:
        return 0.0
    keys = [(m.year, (m.month - 1) // 3) for m in hist.months]
    by_quarter: dict[tuple[int, int], float] = {}
    for key, value in zip(keys, hist.revenue[engine], strict=True):
        by_quarter[key] = by_quarter.get(key, 0.0) + float(value)
    return max(by_quarter.values(), default=0.0)


def history_revenue(model: PlannerModel) -> float:
    """All won revenue of the history, both engines."""
    return float(sum(model.history.revenue[e].sum() for e in ENGINES))


def beyond_evidence(model: PlannerModel, q: pd.DataFrame) -> list[tuple[str, dict]]:
    """Why the quarterly projection ``q`` (see ``quarterly``) cannot be shown, as (code,
    figures): 'not_finite' when a projected figure is not a number, 'above_history' when an
    engine's quarter exceeds MAX_QUARTER_MULTIPLE × its best historical quarter. Empty: the
    projection stays within the evidence."""
    out: list[tuple[str, dict]] = []
    revenue = q[q["metric"] == "revenue"]
    for engine in ENGINES:
        part = revenue[revenue["engine"] == engine]
        values = part[["value", "low", "high"]].to_numpy(float)
        if not np.isfinite(values).all():
            out.append(("not_finite", {"engine": engine}))
            continue
        best = best_history_quarter(model, engine)
        bound = MAX_QUARTER_MULTIPLE * best
        worst = part.loc[part["value"].idxmax()] if len(part) else None
        if worst is not None and worst["value"] > bound and worst["value"] > 0:
            out.append(
                (
                    "above_history",
                    {
                        "engine": engine,
                        "quarter": worst["quarter"],
                        "value": float(worst["value"]),
                        "best": best,
                        "multiple": MAX_QUARTER_MULTIPLE,
                    },
                )
            )
    return out


def total_revenue(run: Run) -> float:
    return float(sum(run.values[(e, "revenue")][0].sum() for e in ENGINES))


def steady_response(model: PlannerModel, channel: int, spend: np.ndarray) -> np.ndarray:
    """Leads per month at a constant monthly spend in the long run (normalised adstock equals
    the spend), seasonal index 1, brand leads excluded; rows: point estimate, then draws."""
    a = np.asarray(spend, dtype=float)[None, :]
    k = model.k[:, channel : channel + 1]
    s = model.s[:, channel : channel + 1]
    return model.beta[:, channel : channel + 1] * hill(a / k, 1.0, s)
