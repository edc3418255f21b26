"""The push engine: sales headcount → opportunities, with a ramp for new reps.

``ramped reps[t] = Σ_reps min(tenure_r[t] / R, 1)``; push leads and push opportunities
(deals from push leads plus deals AEs open directly) per month are proportional to the ramped
reps times the seasonal index. The ramp R (months) is chosen on a grid by Poisson likelihood
of monthly push opportunities; productivity is then the closed-form Poisson estimate. All reps
count the same here (SDR and AE alike), and attrition is not projected.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planning.history import TODAY_MONTHS

RAMP_GRID = np.arange(1.0, 12.5, 0.5)


@dataclass(frozen=True)
class PushFit:
    ramp_months: float
    opps_per_rep: float  # opportunities per fully ramped rep-month, seasonal index 1
    leads_per_rep: float  # push leads per fully ramped rep-month, seasonal index 1
    # loaded sales spend per rep-month (pay plus tooling), last TODAY_MONTHS; NaN when no sales
    # spend was imported for them: the cost of a rep is then unknown, not zero
    cost_per_rep: float
    reps_now: int
    tenure_now: tuple[float, ...]  # tenure (months) of the reps employed in the last month

    @property
    def cost_known(self) -> bool:
        return bool(np.isfinite(self.cost_per_rep) and self.cost_per_rep > 0)


def ramped_history(rep_months: pd.DataFrame, n_months: int, ramp: float) -> np.ndarray:
    out = np.zeros(n_months)
    if len(rep_months):
        weights = np.clip(rep_months["tenure_months"].to_numpy(float) / ramp, 0, 1)
        np.add.at(out, rep_months["t"].to_numpy(int), weights)
    return out


def ramped_future(
    tenure_now: np.ndarray, headcount: float, months: int, ramp: float | np.ndarray
) -> np.ndarray:
    """Ramped reps in each future month (rows: ramps when ``ramp`` is an array) for a team
    brought to ``headcount`` at the start: new hires start at tenure zero; a smaller team keeps
    a proportional share of today's reps."""
    ramp = np.atleast_1d(np.asarray(ramp, dtype=float))[:, None, None]
    step = np.arange(1, months + 1)[None, :, None]
    tenure_now = np.asarray(tenure_now, dtype=float)
    n_now = len(tenure_now)
    existing = np.clip((tenure_now[None, None, :] + step) / ramp, 0, 1).sum(axis=2)
    if headcount <= n_now:
        scale = headcount / n_now if n_now else 0.0
        return existing * scale
    hires = headcount - n_now
    new = np.clip((step[..., 0] - 0.5) / ramp[..., 0], 0, 1) * hires
    return existing + new


def fit_push(
    push_opps: np.ndarray,
    push_leads: np.ndarray,
    rep_months: pd.DataFrame,
    sales_spend: np.ndarray,
    season: np.ndarray,
) -> PushFit:
    n = len(push_opps)
    best = None
    for ramp in RAMP_GRID:
        x = ramped_history(rep_months, n, ramp) * season
        p = push_opps.sum() / x.sum() if x.sum() > 0 else 0.0  # no capacity: no rate
        mu = np.maximum(p * x, 1e-9)
        safe = np.where(push_opps > 0, push_opps, 1.0)
        dev = float(np.sum(np.where(push_opps > 0, safe * np.log(safe / mu), 0) - (push_opps - mu)))
        if best is None or dev < best[0]:
            best = (dev, ramp, p, x)
    _, ramp, p, x = best
    q = push_leads.sum() / x.sum() if x.sum() > 0 else 0.0
    last = rep_months[rep_months["t"] == n - 1] if len(rep_months) else rep_months
    recent = rep_months[rep_months["t"] >= n - TODAY_MONTHS] if len(rep_months) else rep_months
    sales = float(sales_spend[-TODAY_MONTHS:].sum())
    cost = sales / len(recent) if len(recent) and sales > 0 else float("nan")
    return PushFit(
        ramp_months=float(ramp),
        opps_per_rep=float(p),
        leads_per_rep=float(q),
        cost_per_rep=cost,
        reps_now=len(last),
        tenure_now=tuple(float(v) for v in (last["tenure_months"] if len(last) else [])),
    )
