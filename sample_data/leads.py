"""The lead model: marketing mix + brand stock (pull), rep activity (push), then the funnel.

Every step is vectorised over all leads; only months (36), channels and campaign-months loop.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from sample_data import params as P
from sample_data import timeline as T
from sample_data.company import SDR, Marketing, Reps
from sample_data.draws import (
    categorical,
    group_table,
    lognormal,
    pick_uniform,
    pick_weighted,
    sigmoid,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

SOURCES = P.PULL_SOURCES + P.PUSH_SOURCES
N_PULL = len(P.PULL_SOURCES)
# Lead streams: the 6 paid Hill terms, the organic part of Content/SEO, Referral,
# Organic/Direct, then the 4 push sources. STREAM_SOURCE maps a stream to its source index.
STREAM_SOURCE = np.asarray(
    [SOURCES.index(c) for c in P.PAID_CHANNELS]
    + [SOURCES.index("Content/SEO"), SOURCES.index("Referral"), SOURCES.index("Organic/Direct")]
    + [N_PULL + j for j in range(len(P.PUSH_SOURCES))]
)
N_PAID = len(P.PAID_CHANNELS)
FIRST_PUSH_STREAM = N_PAID + 3


def lead_season(months: IntArray) -> FloatArray:
    return np.asarray(P.LEAD_SEASON)[T.CAL_MONTH[months] - 1]


def brand_stock(x: FloatArray, scale: float) -> FloatArray:
    """B_t = delta*B_{t-1} + (1-delta)*M_t, M_t = all paid-channel spend in month t / scale."""
    delta, b = P.BRAND["delta"], P.BRAND["B0"]
    m = x.sum(axis=0) / scale
    out = np.empty(m.size)
    for t in range(m.size):  # 36 months
        b = delta * b + (1.0 - delta) * m[t]
        out[t] = b
    return out


def expected_pull_leads(x: FloatArray, scale: float) -> FloatArray:
    """Expected pull leads per stream and month, [N_PAID + 3, months], from spend x[channel, t].

    Paid channel c: scale * beta_c * Hill(adstock(x_c)) * season; the organic streams are
    linear in the brand stock (see PARAMETERS.md for the exact formulas)."""
    months = np.arange(x.shape[1])
    season = lead_season(months)
    lam = np.zeros((N_PAID + 3, x.shape[1]))
    for c, ch in enumerate(P.PAID_CHANNELS):
        p = P.CHANNELS[ch]
        a, ad = x[c, 0], np.empty(x.shape[1])  # warm start: A_{-1} = x_0
        for t in range(x.shape[1]):
            a = p["theta"] * a + (1.0 - p["theta"]) * x[c, t]
            ad[t] = a
        k = p["K"] * scale
        lam[c] = scale * p["beta"] * ad ** p["s"] / (ad ** p["s"] + k ** p["s"]) * season
    brand = brand_stock(x, scale) / 100_000.0
    lam[N_PAID] = scale * P.BRAND["content_b"] * brand * season
    lam[N_PAID + 1] = scale * (P.BRAND["referral_a"] + P.BRAND["referral_b"] * brand) * season
    lam[N_PAID + 2] = scale * (P.BRAND["organic_a"] + P.BRAND["organic_b"] * brand) * season
    return lam


@dataclass
class Leads:
    n: int
    source: IntArray
    campaign: IntArray  # -1 = none
    segment: IntArray
    region: IntArray
    owner: IntArray
    q: FloatArray
    score: FloatArray
    created: FloatArray
    mql: FloatArray  # NaN = not reached
    sql: FloatArray
    touch: FloatArray
    deal: FloatArray  # opportunity created at (NaN = none)


def lead_rates(scale: float, reps: Reps, mkt: Marketing) -> FloatArray:
    """Expected leads per stream and month, [streams, months]: pull and push."""
    months = np.arange(P.N_MONTHS)
    lam = np.zeros((len(STREAM_SOURCE), P.N_MONTHS))
    lam[:FIRST_PUSH_STREAM] = expected_pull_leads(mkt.x, scale)
    # push: nu * sum(activity_weight * ramp) over active reps, split by push source
    push = P.PUSH_NU * reps.headcount_factor * reps.activity().sum(axis=1) * lead_season(months)
    lam[FIRST_PUSH_STREAM:] = np.outer(list(P.PUSH_SOURCE_P.values()), push)
    return lam


def make_leads(
    scale: float,
    r_opp: float,
    reps: Reps,
    mkt: Marketing,
    rng: np.random.Generator,
    months: BoolArray | None = None,
) -> Leads:
    """The leads; ``months`` (a mask over the 36 months) draws only the leads created in those
    months, for a large build made a chunk of months at a time."""
    lam = lead_rates(scale, reps, mkt)
    if months is not None:
        lam[:, ~months] = 0.0
    counts = rng.poisson(lam)
    cell = np.repeat(np.arange(lam.size), counts.ravel())
    stream, month = cell // P.N_MONTHS, cell % P.N_MONTHS
    n = cell.size
    is_push = stream >= FIRST_PUSH_STREAM
    day = np.empty(n, dtype=np.int64)
    u = rng.random(n)
    day[~is_push] = T.pick_days(
        month[~is_push], u[~is_push], T.day_weights(P.DOW_PULL, P.HOLIDAY_WEIGHT)
    )
    day[is_push] = T.pick_days(
        month[is_push], u[is_push], T.day_weights(P.DOW_PUSH, P.HOLIDAY_WEIGHT)
    )
    hour = np.where(
        is_push,
        np.clip(rng.normal(*P.HOUR_PUSH, n), 7.0, 19.0),
        np.clip(rng.normal(*P.HOUR_PULL, n), 0.5, 23.5),
    )
    created = day + hour / 24.0
    order = np.argsort(created, kind="stable")  # lead ids follow creation time
    stream, month, is_push, created = stream[order], month[order], is_push[order], created[order]
    source = STREAM_SOURCE[stream]

    # owners: push leads belong to the rep who prospected them (by activity); pull leads go to
    # an SDR of the lead's region (any SDR, then an AE, when the region has none that month)
    act = reps.activity()
    push_rep = pick_weighted(month, rng.random(n), act)
    region = np.where(is_push, reps.region[push_rep], categorical(rng.random(n), P.REGION_P))
    active = reps.active_mid()
    sdr = active & (reps.team == SDR)[None, :]
    sdr = np.where(sdr.any(axis=1, keepdims=True), sdr, active)
    owner = np.where(
        is_push,
        push_rep,
        pick_uniform(month, region, rng.random(n), group_table(sdr, reps.region)),
    )

    # campaign: share of the channel-month spend; the always-on share leaves it null
    campaign = np.full(n, -1, dtype=np.int64)
    paid = stream < N_PAID
    width = int(np.bincount(mkt.cell_channel * P.N_MONTHS + mkt.cell_month).max(initial=0)) + 1
    ids = np.full((N_PAID, P.N_MONTHS, width), -1, dtype=np.int64)
    cum = np.full((N_PAID, P.N_MONTHS, width), 2.0)
    slot = np.zeros((N_PAID, P.N_MONTHS), dtype=np.int64)
    acc = np.zeros((N_PAID, P.N_MONTHS))
    for c, m, k, s in zip(
        mkt.cell_channel, mkt.cell_month, mkt.cell_campaign, mkt.cell_spend, strict=True
    ):  # campaign-months: a few hundred
        acc[c, m] += s / mkt.x[c, m]
        ids[c, m, slot[c, m]], cum[c, m, slot[c, m]] = k, acc[c, m]
        slot[c, m] += 1
    up = rng.random(n)[paid]
    sc, sm = stream[paid], month[paid]
    kk = (cum[sc, sm] <= up[:, None]).sum(axis=1)
    campaign[paid] = ids[sc, sm, kk]

    seg_key = np.where(is_push, N_PULL, source)
    seg_table = [P.SEGMENT_P[s] for s in P.PULL_SOURCES] + [P.SEGMENT_P["push"]]
    segment = categorical(rng.random(n), seg_table, seg_key)
    camp_seg = np.where(campaign >= 0, mkt.campaign_segment[np.maximum(campaign, 0)], -1)
    segment = np.where(
        (camp_seg >= 0) & (rng.random(n) < P.CAMPAIGN_SEGMENT_PULL), camp_seg, segment
    )

    mu = np.asarray([P.QUALITY_MU[s] for s in SOURCES])[source]
    brand = brand_stock(mkt.x, scale)[month]
    q = (
        mu
        + rng.standard_normal(n)
        + np.where(is_push, 0.0, P.BRAND["quality_b"] * (brand - 100_000.0) / 100_000.0)
    )
    sc_ = P.SCORE
    score = np.round(
        100.0 * sigmoid(sc_["a"] + sc_["b"] * (q + sc_["noise"] * rng.standard_normal(n)))
    )

    def stage_p(stage: str) -> FloatArray:
        pull_i, pull_s = P.FUNNEL["pull"][stage]
        push_i, push_s = P.FUNNEL["push"][stage]
        return sigmoid(np.where(is_push, push_i + push_s * q, pull_i + pull_s * q))

    lp, lq = P.LAGS["pull"], P.LAGS["push"]
    mql_lag = np.where(
        is_push,
        lognormal(rng, lq["mql"][0], lq["mql"][1], n),
        np.where(
            rng.random(n) < lp["instant_mql_share"],
            rng.exponential(lp["instant_mql_mean"], n),
            lognormal(rng, lp["mql"][0], lp["mql"][1], n),
        ),
    )
    mql = np.where(rng.random(n) < stage_p("mql"), created + mql_lag, np.nan)
    mql[mql >= T.N_DAYS] = np.nan
    # first touch: push at creation; pull after MQL (weekend MQLs wait for Monday 08:00)
    wd = T.weekday(np.nan_to_num(mql))
    wait = np.where(
        wd == 5, np.floor(mql) + 2 + 8 / 24, np.where(wd == 6, np.floor(mql) + 1 + 8 / 24, mql)
    )
    resp = lognormal(rng, lp["response_hours"][0], lp["response_hours"][1], n) / 24.0
    touch = np.where(
        is_push, created + rng.exponential(lq["touch_mean_minutes"], n) / 1440.0, wait + resp
    )
    touch[touch >= T.N_DAYS] = np.nan
    sql_lag = np.where(
        is_push,
        lognormal(rng, lq["sql"][0], lq["sql"][1], n),
        lognormal(rng, lp["sql"][0], lp["sql"][1], n),
    )
    sql = np.where(rng.random(n) < stage_p("sql"), np.where(is_push, mql, touch) + sql_lag, np.nan)
    sql[np.isnan(mql) | (sql >= T.N_DAYS)] = np.nan
    # deals_scale != scale, r = deals_scale/scale: p' = r*p when r <= 1 (proportional),
    # p' = 1 - (1 - p)^r when r > 1 (stays below 1); direct AE deals make up the rest
    p_opp = stage_p("opp")
    p_opp = r_opp * p_opp if r_opp <= 1.0 else 1.0 - (1.0 - p_opp) ** r_opp
    deal_lag = np.where(
        is_push,
        rng.exponential(lq["deal_mean"], n),
        lognormal(rng, lp["deal"][0], lp["deal"][1], n),
    )
    deal = np.where(rng.random(n) < p_opp, sql + deal_lag, np.nan)
    deal[deal >= T.N_DAYS] = np.nan
    return Leads(
        n, source, campaign, segment, region, owner, q, score, created, mql, sql, touch, deal
    )
