"""How far to trust the planner: fitted against true parameters (on the sample company, whose
generator is known) and a backtest (fit on the first months, project the rest with the spend
and headcount that actually happened, compare with what happened).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planning.model import PlannerModel
from planning.projection import ENGINES, simulate
from planning.push_engine import ramped_history

# Stated tolerances for recovering the generator's parameters from 36 months at scale 1:
# decay within ±0.15, half-saturation within ±40%, shape within ±0.5. PARAMETERS.md warns that
# at scale 1 the small channels (Email Nurture, Webinar) are noisy: for them only K is held to
# its tolerance, θ and s are reported.
TOLERANCE = {"theta": ("abs", 0.15), "k": ("rel", 0.40), "s": ("abs", 0.5)}
NOISY_CHANNELS = ("Email Nurture", "Webinar")


def parameter_recovery(
    model: PlannerModel, truth: dict[str, dict], scale: float = 1.0
) -> pd.DataFrame:
    """One row per channel and parameter (theta, k, s): fitted, bootstrap p10–p90, true value,
    tolerance, whether the fit is within it and whether that is required (not a noisy channel).
    ``truth``: channel → {"theta", "K", "s"} at scale 1 (K scales with ``scale``), and
    optionally "noisy" (θ and s not required; by default the channels of NOISY_CHANNELS)."""
    rows = []
    for i, channel in enumerate(model.channels):
        if channel not in truth:
            continue
        true = {
            "theta": truth[channel]["theta"],
            "k": truth[channel]["K"] * scale,
            "s": truth[channel]["s"],
        }
        for param, arr in (("theta", model.theta), ("k", model.k), ("s", model.s)):
            kind, tol = TOLERANCE[param]
            fitted = float(arr[0, i])
            error = fitted - true[param] if kind == "abs" else fitted / true[param] - 1
            low, high = (
                np.percentile(arr[1:, i], [10, 90]) if arr.shape[0] > 1 else (fitted, fitted)
            )
            rows.append(
                {
                    "channel": channel,
                    "parameter": param,
                    "fitted": fitted,
                    "low": float(low),
                    "high": float(high),
                    "true": float(true[param]),
                    "error": float(error),
                    "tolerance": f"±{tol:.2f}" if kind == "abs" else f"±{tol:.0%}",
                    "within": bool(abs(error) <= tol),
                    "required": param == "k"
                    or not truth[channel].get("noisy", channel in NOISY_CHANNELS),
                }
            )
    return pd.DataFrame(rows)


def _mape(pred: np.ndarray, actual: np.ndarray) -> float:
    sel = actual > 0
    return (
        float(np.mean(np.abs(pred[sel] - actual[sel]) / actual[sel])) if sel.any() else float("nan")
    )


def backtest(model: PlannerModel, full) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Project the months of ``full`` (a History) after the model's history with the spend and
    headcount that happened. Returns (monthly frame: month, engine, metric, predicted, actual;
    error frame: engine, metric, MAPE monthly and MAPE quarterly)."""
    start = model.history.n_months
    months = full.n_months - start
    if months <= 0:
        return pd.DataFrame(), pd.DataFrame()
    spend = full.spend[:, start:]
    ramp = model.point.push.ramp_months
    ramped = ramped_history(full.rep_months, full.n_months, ramp)[start:]
    run = simulate(
        model, spend, 0.0, bands=False, ramped=ramped, sales_spend=full.sales_spend[start:]
    )
    actual = {
        ("pull", "leads"): full.leads.sum(axis=0)[start:] + full.organic_leads[start:],
        ("push", "leads"): full.push_leads[start:],
        ("pull", "revenue"): full.revenue["pull"][start:],
        ("push", "revenue"): full.revenue["push"][start:],
    }
    rows, errors = [], []
    for (engine, metric), act in actual.items():
        pred = run.values[(engine, metric)][0]
        for i in range(months):
            rows.append(
                {
                    "month": pd.Timestamp(full.months[start + i]),
                    "engine": engine,
                    "metric": metric,
                    "predicted": float(pred[i]),
                    "actual": float(act[i]),
                }
            )
        q = np.arange(months) // 3
        whole = [k for k in np.unique(q) if (q == k).sum() == 3]
        pq = np.array([pred[q == k].sum() for k in whole])
        aq = np.array([act[q == k].sum() for k in whole])
        errors.append(
            {
                "engine": engine,
                "metric": metric,
                "mape_monthly": _mape(pred, act),
                "mape_quarterly": _mape(pq, aq),
                "total_predicted": float(pred.sum()),
                "total_actual": float(act.sum()),
            }
        )
    return pd.DataFrame(rows), pd.DataFrame(errors)


__all__ = ["ENGINES", "backtest", "parameter_recovery"]
