"""The fitted planner: response curves, brand, push engine, funnels and seasonality, with
bootstrap draws, packed as arrays so a projection needs no refit.

Fitting order (two passes, so seasonality and the curves agree): brand on organic leads, each
channel's adstock + Hill (Content/SEO-like channels also carry the brand term, as organic
search does), the push engine, then the seasonal index from all lead streams together.
Seasonality (12 monthly indices, mean 1) is estimated only from two full years of history or
more; with less, every month is 1 and the model says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from planning import uncertainty
from planning.blas import single_thread
from planning.brand import BrandFit, WarmthFit, brand_stock, fit_brand, fit_warmth
from planning.funnel_flow import Funnel, fit_funnel
from planning.history import MOTIONS, TODAY_MONTHS, History
from planning.push_engine import PushFit, fit_push, ramped_history
from planning.response import ChannelFit, adstock, fit_channel, hill

MIN_MONTHS_FOR_SEASON = 24
# Channels whose leads hold organic search, in English and in Chinese: 内容营销 (content
# marketing, the Chinese sample's Content/SEO), 搜索优化 / 搜索引擎优化 (SEO), 自然搜索.
ORGANIC_SEARCH_WORDS = ("content", "seo", "内容", "搜索优化", "搜索引擎优化", "自然搜索")


def has_organic_term(channel: str) -> bool:
    """Channels whose leads include organic search, which grows with the brand."""
    return any(w in channel.lower() for w in ORGANIC_SEARCH_WORDS)


@dataclass(frozen=True)
class Params:
    """One set of fitted parameters (the point estimate or a bootstrap draw)."""

    channels: tuple[ChannelFit, ...]
    brand: BrandFit
    push: PushFit
    funnels: dict[str, Funnel]
    warmth: WarmthFit | None = None


@dataclass(frozen=True)
class PlannerModel:
    history: History
    season: np.ndarray  # 12 indices, January first
    season_estimated: bool
    point: Params
    draws: tuple[Params, ...]
    fit_seconds: float
    # arrays for projection: row 0 is the point estimate, then the draws
    theta: np.ndarray
    k: np.ndarray
    s: np.ndarray
    beta: np.ndarray
    organic_coef: np.ndarray  # brand leads of each channel per unit of stock
    adstock_end: np.ndarray  # adstock carried out of the last month of history
    brand_delta: np.ndarray
    brand_base: np.ndarray
    brand_coef: np.ndarray
    brand_end: np.ndarray
    ramp: np.ndarray
    opps_per_rep: np.ndarray
    leads_per_rep: np.ndarray
    lead_opp: np.ndarray  # pull lead → opportunity kernels
    warmth_gamma: np.ndarray  # brand → conversion (0 when the history does not support it)
    warmth_ref: np.ndarray
    warmth_history: np.ndarray  # conversion multiplier of each history month (rows × months)
    warmth_cap: np.ndarray  # the highest brand stock of the history: no extrapolation beyond
    won_kernel: dict[str, np.ndarray]
    revenue_kernel: dict[str, np.ndarray]

    @property
    def channels(self) -> tuple[str, ...]:
        return self.history.channels

    @property
    def today_spend(self) -> np.ndarray:
        """Mean monthly spend per channel over the last TODAY_MONTHS."""
        return self.history.spend[:, -TODAY_MONTHS:].mean(axis=1)

    @property
    def today_sales_spend(self) -> float:
        """Today's sales team at its loaded cost per rep-month (0 when that cost is unknown: the
        budget then holds marketing only and the plan keeps today's team)."""
        push = self.point.push
        return push.reps_now * push.cost_per_rep if push.cost_known else 0.0

    def season_of(self, months: np.ndarray) -> np.ndarray:
        return self.season[np.asarray(months) % 12]


def _season_series(season: np.ndarray, hist: History) -> np.ndarray:
    return season[hist.month_of_year]


def fit_point(
    hist: History, season: np.ndarray, guess: Params | None = None, *, quick: bool = False
) -> Params:
    """One fit of every part. ``guess``: a previous fit to start from; ``quick``: a bootstrap
    refit (start only there, looser tolerance)."""
    s_t = _season_series(season, hist)
    marketing = hist.marketing_spend
    brand = fit_brand(hist.organic_leads, marketing, s_t)
    stock = brand_stock(marketing, brand.delta, brand.ref, brand.stock_start)
    channels = []
    for i, name in enumerate(hist.channels):
        g = guess.channels[i] if guess is not None else None
        channels.append(
            fit_channel(
                name,
                hist.spend[i],
                hist.leads[i],
                s_t,
                brand=stock if has_organic_term(name) else None,
                guess=g,
                quick=quick,
            )
        )
    push = fit_push(hist.opps["push"], hist.push_leads, hist.rep_months, hist.sales_spend, s_t)
    funnels = {m: fit_funnel(hist.cohorts[m], hist.outcomes[m]) for m in MOTIONS}
    warmth = fit_warmth(hist.pull_cohort_leads, hist.pull_cohort_deals, stock, hist.cohort_window)
    return Params(tuple(channels), brand, push, funnels, warmth)


def expected_leads(hist: History, params: Params, season: np.ndarray) -> dict[str, np.ndarray]:
    """Fitted monthly leads per stream (channels by name, 'organic', 'push')."""
    s_t = _season_series(season, hist)
    b = params.brand
    stock = brand_stock(hist.marketing_spend, b.delta, b.ref, b.stock_start)
    out = {}
    for i, fit in enumerate(params.channels):
        mu = fit.beta * hill(adstock(hist.spend[i], fit.theta), fit.k, fit.s) + fit.brand * stock
        out[fit.channel] = mu * s_t
    out["organic"] = (b.base + b.coef * stock) * s_t
    ramped = ramped_history(hist.rep_months, hist.n_months, params.push.ramp_months)
    out["push"] = params.push.leads_per_rep * ramped * s_t
    out["push_opps"] = params.push.opps_per_rep * ramped * s_t
    return out


def _estimate_season(hist: History, params: Params, season: np.ndarray) -> np.ndarray:
    fitted = expected_leads(hist, params, season)
    s_t = _season_series(season, hist)
    pred = (sum(fitted[c] for c in hist.channels) + fitted["organic"] + fitted["push"]) / s_t
    actual = hist.leads.sum(axis=0) + hist.organic_leads + hist.push_leads
    moy = hist.month_of_year
    out = np.ones(12)
    for j in range(12):
        sel = moy == j
        # a month of the year with no leads keeps index 1: an index of 0 would later divide
        if sel.any() and pred[sel].sum() > 0 and actual[sel].sum() > 0:
            out[j] = actual[sel].sum() / pred[sel].sum()
    return out / out.mean()


def fit_model(hist: History, *, draws: int = 30, seed: int = 7) -> PlannerModel:
    """Fit the point estimate (with seasonality) and ``draws`` bootstrap refits."""
    with single_thread():
        return _fit_model(hist, draws=draws, seed=seed)


def _fit_model(hist: History, *, draws: int, seed: int) -> PlannerModel:
    started = time.perf_counter()
    season = np.ones(12)
    estimated = hist.n_months >= MIN_MONTHS_FOR_SEASON
    params = fit_point(hist, season)
    if estimated:
        for _ in range(2):
            season = _estimate_season(hist, params, season)
            params = fit_point(hist, season, guess=params)
    reps = uncertainty.bootstrap(hist, params, season, draws=draws, seed=seed, refit=fit_point)
    model = pack(hist, season, estimated, params, tuple(reps), time.perf_counter() - started)
    return model


def _gamma(p: Params) -> float:
    return p.warmth.gamma if p.warmth is not None and p.warmth.supported else 0.0


def pack(
    hist: History,
    season: np.ndarray,
    estimated: bool,
    point: Params,
    draws: tuple[Params, ...],
    seconds: float,
) -> PlannerModel:
    rows = (point, *draws)

    def channel_array(attr: str) -> np.ndarray:
        return np.array([[getattr(c, attr) for c in p.channels] for p in rows])

    theta = channel_array("theta")
    ad_end = np.array(
        [[adstock(hist.spend[i], c.theta)[-1] for i, c in enumerate(p.channels)] for p in rows]
    )
    stocks = [
        brand_stock(hist.marketing_spend, p.brand.delta, p.brand.ref, p.brand.stock_start)
        for p in rows
    ]
    brand_end = np.array([s[-1] for s in stocks])
    return PlannerModel(
        history=hist,
        season=season,
        season_estimated=estimated,
        point=point,
        draws=draws,
        fit_seconds=seconds,
        theta=theta,
        k=channel_array("k"),
        s=channel_array("s"),
        beta=channel_array("beta"),
        organic_coef=channel_array("brand"),
        adstock_end=ad_end,
        brand_delta=np.array([p.brand.delta for p in rows]),
        brand_base=np.array([p.brand.base for p in rows]),
        brand_coef=np.array([p.brand.coef for p in rows]),
        brand_end=brand_end,
        ramp=np.array([p.push.ramp_months for p in rows]),
        opps_per_rep=np.array([p.push.opps_per_rep for p in rows]),
        leads_per_rep=np.array([p.push.leads_per_rep for p in rows]),
        lead_opp=np.array([p.funnels["pull"].lead_opp_kernel for p in rows]),
        warmth_gamma=np.array([_gamma(p) for p in rows]),
        warmth_ref=np.array([p.warmth.ref if p.warmth else 0.0 for p in rows]),
        warmth_cap=np.array([s.max() for s in stocks]),
        warmth_history=np.array(
            [
                np.exp(_gamma(p) * (stock - (p.warmth.ref if p.warmth else 0.0)))
                for p, stock in zip(rows, stocks, strict=True)
            ]
        ),
        won_kernel={m: np.array([p.funnels[m].won_kernel for p in rows]) for m in MOTIONS},
        revenue_kernel={m: np.array([p.funnels[m].revenue_kernel for p in rows]) for m in MOTIONS},
    )
