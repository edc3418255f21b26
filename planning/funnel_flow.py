"""Leads → MQL → SQL → opportunity → won, with the lags between them, from the workspace's own
mature cohorts.

A kernel ``k[j]`` is "per unit created in month t, how many of the next stage in month t + j":
the lead → opportunity kernel sums to the lead → opportunity rate, the won kernel to the share
of opportunities won, the revenue kernel to the won money per opportunity. Taking lags and
amounts together keeps the fact that large deals close later.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.history import Cohort, Outcomes


@dataclass(frozen=True)
class Funnel:
    lead_mql: float
    mql_sql: float
    sql_opp: float
    lead_opp_kernel: np.ndarray
    won_kernel: np.ndarray
    revenue_kernel: np.ndarray
    mean_amount: float  # pipeline value of one opportunity (mean amount, all deals)

    @property
    def lead_opp(self) -> float:
        return float(self.lead_opp_kernel.sum())

    @property
    def win_rate(self) -> float:
        return float(self.won_kernel.sum())

    @property
    def won_deal_size(self) -> float:
        return float(self.revenue_kernel.sum() / max(self.won_kernel.sum(), 1e-12))


def _ratio(a: float, b: float) -> float:
    return float(a) / float(b) if b else 0.0


def fit_funnel(cohort: Cohort, outcomes: Outcomes) -> Funnel:
    """Stage rates and kernels from a mature lead cohort and a mature deal cohort."""
    n_deals = max(outcomes.count_deals, 1)
    return Funnel(
        lead_mql=_ratio(cohort.count_mql, cohort.count_leads),
        # the SQLs among the MQLs: all SQLs over the MQLs of a strict definition pass 100 %
        mql_sql=_ratio(cohort.count_mql_sql, cohort.count_mql),
        sql_opp=_ratio(cohort.count_deals, cohort.count_sql),
        lead_opp_kernel=cohort.lag_counts / max(cohort.count_leads, 1),
        won_kernel=outcomes.won_lag_counts / n_deals,
        revenue_kernel=outcomes.won_lag_amounts / n_deals,
        mean_amount=outcomes.mean_amount,
    )


def resample_funnel(cohort: Cohort, outcomes: Outcomes, rng: np.random.Generator) -> Funnel:
    """A bootstrap replicate: counts redrawn (binomial/multinomial) from the observed shares,
    won amounts scaled with the redrawn count of each lag."""
    n_leads = max(cohort.count_leads, 1)
    lead_lags = rng.multinomial(n_leads, _with_rest(cohort.lag_counts / n_leads))[:-1]
    n_deals = max(outcomes.count_deals, 1)
    won_lags = rng.multinomial(n_deals, _with_rest(outcomes.won_lag_counts / n_deals))[:-1]
    per_won = np.divide(
        outcomes.won_lag_amounts,
        outcomes.won_lag_counts,
        out=np.zeros_like(outcomes.won_lag_amounts),
        where=outcomes.won_lag_counts > 0,
    )
    base = fit_funnel(cohort, outcomes)
    return Funnel(
        lead_mql=base.lead_mql,
        mql_sql=base.mql_sql,
        sql_opp=base.sql_opp,
        lead_opp_kernel=lead_lags / n_leads,
        won_kernel=won_lags / n_deals,
        revenue_kernel=won_lags * per_won / n_deals,
        mean_amount=base.mean_amount,
    )


def _with_rest(p: np.ndarray) -> np.ndarray:
    p = np.clip(p, 0, 1)
    return np.append(p, max(0.0, 1.0 - p.sum()))


def flow(history: np.ndarray, future: np.ndarray, kernel: np.ndarray) -> np.ndarray:
    """The next stage in each future month, from units created in the past (``history``,
    observed) and in the future. Rows of ``future``/``kernel`` may be draws (2-D).

    Month h of the future receives ``kernel[j] × series[h_len + h − j]`` summed over the lags
    j, where ``series`` is the history then the future: one product of the series' windows with
    the reversed kernel (a loop over the lags made ~5× as many array operations, and the
    optimiser runs this hundreds of times a click)."""
    history = np.atleast_2d(np.asarray(history, dtype=float))
    future = np.atleast_2d(np.asarray(future, dtype=float))
    kernel = np.atleast_2d(np.asarray(kernel, dtype=float))
    rows = max(history.shape[0], future.shape[0], kernel.shape[0])
    h_len, f_len = history.shape[1], future.shape[1]
    lags = kernel.shape[1]
    # the last lags − 1 months before the future (zeros before the history began), then it
    pad = lags - 1
    seen = history[:, max(h_len - pad, 0) :]
    series = np.concatenate(
        [
            np.zeros((rows, pad - seen.shape[1])),
            np.broadcast_to(seen, (rows, seen.shape[1])),
            np.broadcast_to(future, (rows, f_len)),
        ],
        axis=1,
    )
    windows = np.lib.stride_tricks.sliding_window_view(series, lags, axis=1)  # rows, f_len, lags
    reversed_kernel = np.broadcast_to(kernel[:, ::-1], (rows, lags))
    return np.einsum("rhj,rj->rh", windows, reversed_kernel)
