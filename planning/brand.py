"""Brand carry-over: marketing builds a slowly decaying stock of demand that brings organic and
referral leads without spend of their own.

``stock[t] = δ·stock[t−1] + (1−δ)·M[t] / M̄`` (normalised geometric adstock of all marketing
spend M, in units of the mean monthly spend M̄, so a steady budget gives a stock of 1);
``organic leads[t] = (a + b·stock[t]) · S[month]``. δ and the starting stock are chosen on a
grid by Poisson likelihood, a and b ≥ 0 in closed-form EM steps. The effect is called
*supported* only when the likelihood-ratio test of b > 0 against b = 0 passes (χ², 1 df,
5%); otherwise the planner still shows the fitted line but says the data do not show a brand
effect.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from planning.response import adstock

DELTA_GRID = (0.80, 0.85, 0.90, 0.93, 0.95, 0.96, 0.97, 0.98)
# The stock carried into the first month, in units of the mean spend: a company may start its
# CRM history with a young brand (low) or an established one (about 1), so it is fitted too.
START_GRID = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25)
CHI2_1DF_95 = 3.841


@dataclass(frozen=True)
class BrandFit:
    delta: float
    base: float  # organic leads per month without brand (seasonal index 1)
    coef: float  # organic leads per month per unit of brand stock
    ref: float  # M̄: money per month that is one unit of brand stock
    lr_stat: float
    stock_start: float  # stock carried into the first month (fitted on a grid)

    @property
    def supported(self) -> bool:
        return self.coef > 0 and self.lr_stat >= CHI2_1DF_95


def brand_stock(marketing: np.ndarray, delta: float, ref: float, start: float | None = None):
    m = np.asarray(marketing, dtype=float) / ref
    return adstock(m, delta, start)


def _deviance(y: np.ndarray, mu: np.ndarray) -> float:
    mu = np.maximum(mu, 1e-9)
    return float(2 * np.sum(np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mu), 0) - (y - mu)))


def _fit_ab(y: np.ndarray, stocks: np.ndarray, season: np.ndarray) -> tuple[np.ndarray, ...]:
    """Poisson fit of ``(a + b·stock)·season`` with a, b ≥ 0 for each row of ``stocks`` at
    once (multiplicative EM steps, which keep both non-negative)."""
    u = np.broadcast_to(season, stocks.shape)
    v = stocks * season
    a = np.full(len(stocks), max(y.sum(), 1e-9)) / np.maximum(u.sum(1) + v.sum(1), 1e-9)
    b = a.copy()
    for _ in range(150):
        mu = np.maximum(a[:, None] * u + b[:, None] * v, 1e-9)
        a = a * np.sum(y * u / mu, axis=1) / np.maximum(u.sum(1), 1e-9)
        b = b * np.sum(y * v / mu, axis=1) / np.maximum(v.sum(1), 1e-9)
    mu = np.maximum(a[:, None] * u + b[:, None] * v, 1e-9)
    dev = 2 * np.sum(np.where(y > 0, y * np.log(np.where(y > 0, y, 1) / mu), 0) - (y - mu), axis=1)
    return a, b, dev


def fit_brand(organic: np.ndarray, marketing: np.ndarray, season: np.ndarray) -> BrandFit:
    y = np.asarray(organic, dtype=float)
    ref = float(np.mean(marketing)) or 1.0
    base_only = y.sum() / max(season.sum(), 1e-9)
    dev0 = _deviance(y, base_only * season)
    grid = [(d, s0) for d in DELTA_GRID for s0 in START_GRID]
    stocks = np.vstack([brand_stock(marketing, d, ref, s0) for d, s0 in grid])
    a, b, dev = _fit_ab(y, stocks, season)
    i = int(np.argmin(dev))
    (delta, start), a, b, dev = grid[i], float(a[i]), float(b[i]), float(dev[i])
    return BrandFit(
        delta=delta, base=a, coef=b, ref=ref, lr_stat=max(dev0 - dev, 0.0), stock_start=start
    )


@dataclass(frozen=True)
class WarmthFit:
    """Does the brand make leads warmer? Pull lead → opportunity conversion of each monthly
    cohort modelled as ``r · exp(γ · (stock − ref))``; ``ref`` is the mean stock over the
    cohorts the funnel kernel was measured on, so the kernel holds at ``stock == ref``."""

    gamma: float
    ref: float
    lr_stat: float

    @property
    def supported(self) -> bool:
        return self.gamma > 0 and self.lr_stat >= CHI2_1DF_95

    def multiplier(self, stock: np.ndarray) -> np.ndarray:
        """Conversion relative to the kernel's cohorts; 1 when the effect is not supported."""
        if not self.supported:
            return np.ones_like(np.asarray(stock, dtype=float))
        return np.exp(self.gamma * (np.asarray(stock, dtype=float) - self.ref))


# cohorts younger than this many months are left out: their deals are not all created yet
WARMTH_MATURE_MONTHS = 3


def fit_warmth(
    leads: np.ndarray, deals: np.ndarray, stock: np.ndarray, window: tuple[int, int]
) -> WarmthFit:
    """Binomial fit of the monthly pull cohort conversion against the brand stock, with a
    likelihood-ratio test of γ against γ = 0."""
    from scipy.optimize import minimize

    n_months = len(leads)
    use = np.arange(n_months) < n_months - WARMTH_MATURE_MONTHS
    use &= np.asarray(leads) > 0
    lo, hi = window
    ref = float(np.mean(stock[lo:hi])) if hi > lo else float(np.mean(stock))
    n, d, x = np.asarray(leads)[use], np.asarray(deals)[use], np.asarray(stock)[use] - ref
    if len(n) < 6 or d.sum() <= 0:
        return WarmthFit(0.0, ref, 0.0)

    def nll(p: np.ndarray) -> float:
        rate = np.clip(np.exp(p[0] + p[1] * x), 1e-9, 1 - 1e-9)
        return float(-np.sum(d * np.log(rate) + (n - d) * np.log1p(-rate)))

    r0 = np.log(d.sum() / n.sum())
    null = nll(np.array([r0, 0.0]))
    res = minimize(nll, np.array([r0, 0.0]), method="L-BFGS-B", bounds=[(-12, 0), (-3, 3)])
    return WarmthFit(gamma=float(res.x[1]), ref=ref, lr_stat=max(2 * (null - res.fun), 0.0))
