"""Which inputs move revenue most: each input moved down and up by the same relative step
(20% by default) from the plan, one at a time, the rest held; the change in won revenue over
the horizon (point estimate). Plan inputs (budget, split, improvements) and model parameters
(win rates, rep productivity, brand effect, saturation point) side by side.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from planning.model import PlannerModel
from planning.projection import (
    MAX_SWING_SHARE,
    Scenario,
    history_revenue,
    run_scenario,
    total_revenue,
)

STEP = 0.2  # each input × (1 − STEP) and × (1 + STEP)
INPUTS = (
    "budget",
    "marketing_share",
    "mql_sql_rate",
    "pull_win_rate",
    "push_win_rate",
    "rep_productivity",
    "brand_effect",
    "half_saturation",
)


def _scaled(model: PlannerModel, scenario: Scenario, key: str, f: float):
    """(model, scenario) with input ``key`` multiplied by ``f``."""
    if key == "budget":
        return model, replace(scenario, budget_per_quarter=scenario.budget_per_quarter * f)
    if key == "marketing_share":
        return model, replace(
            scenario, marketing_share=float(np.clip(scenario.marketing_share * f, 0, 1))
        )
    if key == "mql_sql_rate":
        return model, replace(scenario, mql_sql_uplift=(1 + scenario.mql_sql_uplift) * f - 1)
    if key in ("pull_win_rate", "push_win_rate"):
        engine = key.split("_")[0]
        won = {**model.won_kernel, engine: model.won_kernel[engine] * f}
        rev = {**model.revenue_kernel, engine: model.revenue_kernel[engine] * f}
        return replace(model, won_kernel=won, revenue_kernel=rev), scenario
    if key == "rep_productivity":
        return replace(
            model, opps_per_rep=model.opps_per_rep * f, leads_per_rep=model.leads_per_rep * f
        ), scenario
    if key == "brand_effect":
        return replace(
            model, brand_coef=model.brand_coef * f, organic_coef=model.organic_coef * f
        ), scenario
    if key == "half_saturation":
        return replace(model, k=model.k * f), scenario
    raise KeyError(key)


def tornado(model: PlannerModel, scenario: Scenario, step: float = STEP) -> pd.DataFrame:
    """One row per input: ``input``, ``low`` and ``high`` (revenue change, money, when the input
    is × (1 − step) and × (1 + step)), ``base`` (the plan's revenue)."""
    base = total_revenue(run_scenario(model, scenario, bands=False))
    rows = []
    for key in INPUTS:
        out = {"input": key, "base": base}
        for side, f in (("low", 1 - step), ("high", 1 + step)):
            m, s = _scaled(model, scenario, key, f)
            out[side] = total_revenue(run_scenario(m, s, bands=False)) - base
        rows.append(out)
    return pd.DataFrame(rows)


def beyond_evidence(model: PlannerModel, torn: pd.DataFrame) -> list[tuple[str, dict]]:
    """Why the tornado cannot be shown, as (code, figures): 'not_finite' when a change is not a
    number, 'swing_above_history' when an input's swing (high − low) exceeds MAX_SWING_SHARE
    of the history's whole won revenue. Empty: it can."""
    values = torn[["base", "low", "high"]].to_numpy(float)
    if not np.isfinite(values).all():
        return [("not_finite", {})]
    swing = (torn["high"] - torn["low"]).abs()
    total = history_revenue(model)
    if len(swing) and float(swing.max()) > MAX_SWING_SHARE * total:
        top = torn.loc[swing.idxmax()]
        return [
            (
                "swing_above_history",
                {"input": top["input"], "swing": float(swing.max()), "history": total},
            )
        ]
    return []
