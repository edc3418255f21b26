"""Marketing response per channel: geometric adstock, then Hill saturation, then seasonality.

The adstock is the **normalised** geometric form (as Google Meridian, and as the sample
generator): ``A[t] = θ·A[t−1] + (1−θ)·x[t]`` with a warm start ``A[−1] = x[0]``. Normalised,
a constant spend x has adstock x, so the half-saturation point K is in money per month and a
steady-state response curve reads directly against monthly spend. Robyn's unnormalised form
(``A = x + θ·A``) would put K in "accumulated money" instead.

``leads[t] = β · A^s / (A^s + K^s) · S[month of t]``; counts are Poisson. β is profiled out of
the Poisson likelihood (its maximum has a closed form given θ, K, s), so each channel fit is a
three-parameter search (θ, log K, s), started from a few decays to avoid local optima.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.signal import lfilter

THETA_BOUNDS = (0.0, 0.95)
SHAPE_BOUNDS = (0.5, 4.0)


def adstock(x: np.ndarray, theta: float, start: float | None = None) -> np.ndarray:
    """Normalised geometric adstock of a spend series (last axis is time).

    ``start`` is ``A[−1]`` (the carry-over entering the series); by default ``x[0]`` (warm start).
    """
    x = np.asarray(x, dtype=float)
    a0 = x[..., 0] if start is None else np.asarray(start, dtype=float)
    zi = np.asarray(theta * a0, dtype=float)[..., None]
    out, _ = lfilter([1.0 - theta], [1.0, -theta], x, axis=-1, zi=zi)
    return out


def hill(a: np.ndarray, k: float, s: float) -> np.ndarray:
    """Hill saturation in [0, 1): half of the ceiling at ``a == k``."""
    a = np.maximum(np.asarray(a, dtype=float), 0.0)
    ratio = np.power(np.maximum(a, 1e-12) / k, s)
    return np.where(a > 0, ratio / (1.0 + ratio), 0.0)


@dataclass(frozen=True)
class ChannelFit:
    channel: str
    theta: float
    k: float  # money per month at half saturation
    s: float
    beta: float  # leads per month at saturation (seasonal index 1)
    brand: float = 0.0  # leads per month per unit of brand stock (Content/SEO organic part)
    deviance: float = 0.0

    def steady_leads(self, spend: np.ndarray) -> np.ndarray:
        """Leads per month at a constant monthly spend, seasonal index 1, brand excluded."""
        return self.beta * hill(np.asarray(spend, dtype=float), self.k, self.s)

    def marginal_leads(self, spend: float, step: float = 1.0) -> float:
        """Extra leads per month from one more unit of money at a constant spend."""
        return float((self.steady_leads(spend + step) - self.steady_leads(spend)) / step)


def _poisson_deviance(y: np.ndarray, mu: np.ndarray) -> float:
    mu = np.maximum(mu, 1e-9)
    with np.errstate(divide="ignore", invalid="ignore"):
        term = np.where(y > 0, y * np.log(y / mu), 0.0)
    return float(2.0 * np.sum(term - (y - mu)))


def _design(x: np.ndarray, theta: float, k: float, s: float, season: np.ndarray) -> np.ndarray:
    return hill(adstock(x, theta), k, s) * season


def fit_channel(
    channel: str,
    spend: np.ndarray,
    leads: np.ndarray,
    season: np.ndarray,
    *,
    brand: np.ndarray | None = None,
    starts: tuple[float, ...] = (0.15, 0.45, 0.75),
    guess: ChannelFit | None = None,
    quick: bool = False,
) -> ChannelFit:
    """Fit θ, K, s (and β, and the brand coefficient when ``brand`` is given) to one channel's
    monthly spend and lead counts by Poisson maximum likelihood.

    ``season``: the seasonal index of each month. ``brand``: a brand-stock series whose leads
    add to this channel's (organic search, for content); its coefficient is fitted ≥ 0.
    ``guess``: start there too; with ``quick`` (bootstrap refits) start there only and stop at
    a looser tolerance.
    """
    x = np.asarray(spend, dtype=float)
    y = np.asarray(leads, dtype=float)
    scale = max(float(np.median(x[x > 0])) if np.any(x > 0) else 1.0, 1.0)
    xs = x / scale

    y_sum = float(y.sum())
    b = None if brand is None else np.asarray(brand, dtype=float) * season
    b_sum = 0.0 if b is None else float(b.sum())

    def linear(theta: float, k: float, s: float) -> tuple[float, float, np.ndarray]:
        h = _design(xs, theta, k, s, season)
        h_sum = float(h.sum())
        if b is None:
            beta = y_sum / max(h_sum, 1e-9)
            return beta, 0.0, beta * h
        # two non-negative coefficients: a few Poisson-EM (multiplicative) steps from OLS-ish.
        # The objective runs this thousands of times per fit: dot products and the sums taken
        # once keep each step to a handful of array operations.
        beta = gamma = y_sum / max(h_sum + b_sum, 1e-9)
        h_div, b_div = max(h_sum, 1e-9), max(b_sum, 1e-9)
        for _ in range(30):
            r = y / np.maximum(beta * h + gamma * b, 1e-9)
            beta *= float(r @ h) / h_div
            gamma *= float(r @ b) / b_div
        return beta, gamma, beta * h + gamma * b

    # _poisson_deviance with what does not depend on μ taken once: 2·Σ[y·ln(y/μ) − (y − μ)]
    pos = y > 0
    y_pos = y[pos]
    y_log_y = float(y_pos @ np.log(y_pos))

    def objective(p: np.ndarray) -> float:
        theta, logk, s = p
        _, _, mu = linear(theta, float(np.exp(logk)), s)
        mu = np.maximum(mu, 1e-9)
        return 2.0 * (y_log_y - float(y_pos @ np.log(mu[pos])) - y_sum + float(mu.sum()))

    bounds = [THETA_BOUNDS, (np.log(0.05), np.log(20.0)), SHAPE_BOUNDS]
    inits = [] if quick and guess is not None else [np.array([t, 0.0, 1.5]) for t in starts]
    if guess is not None:
        inits.insert(0, np.array([guess.theta, np.log(guess.k / scale), guess.s]))
    best = None
    # a refit from the point estimate (bootstrap) needs less precision than the point fit:
    # deviance to 1e-6 relative is far below the spread between replicates
    options = {"ftol": 1e-6, "maxiter": 60} if quick else {}
    for p0 in inits:
        res = minimize(objective, p0, method="L-BFGS-B", bounds=bounds, options=options)
        if best is None or res.fun < best.fun:
            best = res
    theta, logk, s = best.x
    k = float(np.exp(logk))
    beta, gamma, _ = linear(theta, k, s)
    return ChannelFit(
        channel=channel,
        theta=float(theta),
        k=k * scale,
        s=float(s),
        beta=float(beta),
        brand=float(gamma),
        deviance=float(best.fun),
    )


def predict_channel(
    fit: ChannelFit,
    spend: np.ndarray,
    season: np.ndarray,
    *,
    start: float | np.ndarray | None = None,
    brand: np.ndarray | None = None,
) -> np.ndarray:
    """Expected leads per month for a spend series (``start``: the adstock carried in)."""
    a = adstock(spend, fit.theta, start)
    mu = fit.beta * hill(a, fit.k, fit.s) * season
    if brand is not None and fit.brand:
        mu = mu + fit.brand * brand * season
    return mu
