"""The deal model: opportunities from leads plus direct AE deals, then price, outcome, cycle."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sample_data import params as P
from sample_data import timeline as T
from sample_data.company import AE, Reps
from sample_data.draws import (
    arrow_str,
    categorical,
    group_table,
    lognormal,
    make_ids,
    pick_uniform,
    pick_weighted,
    sigmoid,
)
from sample_data.leads import N_PULL, SOURCES, Leads, lead_season
from sample_data.names import account_names

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


@dataclass
class Deals:
    created: FloatArray
    lead: IntArray  # -1 = created directly by an AE
    source: IntArray
    campaign: IntArray
    segment: IntArray
    region: IntArray
    owner: IntArray
    q: FloatArray


def deal_rows(
    leads: Leads,
    target: int,
    reps: Reps,
    rng: np.random.Generator,
    months: BoolArray | None = None,
) -> Deals:
    """Opportunities from leads plus direct AE opportunities (push) up to the target count;
    ``months`` (a chunk of a large build) keeps the direct ones in those months."""
    li = np.flatnonzero(~np.isnan(leads.deal))
    n_direct = max(round(P.DIRECT_SHARE * target), target - li.size)
    ae_ramp = reps.ramp() * (reps.team == AE)[None, :]
    months_all = np.arange(P.N_MONTHS)
    w = ae_ramp.sum(axis=1) * lead_season(months_all)
    if months is not None:
        w = np.where(months, w, 0.0)
    dm = np.repeat(months_all, rng.multinomial(n_direct, w / w.sum()))
    dday = T.pick_days(dm, rng.random(n_direct), T.day_weights(P.DOW_PUSH, P.HOLIDAY_WEIGHT))
    d_created = dday + np.clip(rng.normal(*P.HOUR_PUSH, n_direct), 7.0, 19.0) / 24.0
    d_owner = pick_weighted(dm, rng.random(n_direct), ae_ramp)
    d_source = N_PULL + categorical(rng.random(n_direct), list(P.PUSH_SOURCE_P.values()))
    mu = np.asarray([P.QUALITY_MU[s] for s in SOURCES])
    created = np.concatenate([leads.deal[li], d_created])
    month = T.month_of(created)
    region = np.concatenate([leads.region[li], reps.region[d_owner]])
    # lead deals go to an AE of the region (the lead's owner when an AE still employed)
    active = reps.active_mid()
    ae_tab = group_table(active & (reps.team == AE)[None, :], reps.region)
    lo = leads.owner[li]
    keep = (reps.team[lo] == AE) & active[month[: li.size], lo]
    owner_l = np.where(
        keep, lo, pick_uniform(month[: li.size], region[: li.size], rng.random(li.size), ae_tab)
    )
    d_seg = categorical(rng.random(n_direct), P.SEGMENT_P["push"])
    return Deals(
        created=created,
        lead=np.concatenate([li, np.full(n_direct, -1)]),
        source=np.concatenate([leads.source[li], d_source]),
        campaign=np.concatenate([leads.campaign[li], np.full(n_direct, -1)]),
        segment=np.concatenate([leads.segment[li], d_seg]),
        region=region,
        owner=np.concatenate([owner_l, d_owner]),
        q=np.concatenate([leads.q[li], mu[d_source] + rng.standard_normal(n_direct)]),
    )


def _quarter_push(created: FloatArray, close: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Won deals closing early in a quarter are often pulled into the previous quarter's end."""
    qp = P.QUARTER_PUSH
    mi = (T.START_D + np.floor(close).astype(np.int64)).astype("datetime64[M]").astype(np.int64)
    qmi = mi - mi % 3  # months since 1970-01: quarters start at multiples of 3
    q_start = (
        (qmi.astype("datetime64[M]").astype("datetime64[D]") - T.START_D)
        .astype(np.int64)
        .astype(np.float64)
    )
    p = np.where(qmi % 12 == 0, qp["p_q4"], qp["p"])
    moved = q_start - rng.uniform(0.5, 7.0, close.size)
    hit = (close - q_start < qp["window"]) & (rng.random(close.size) < p) & (moved >= created + 1)
    return np.where(hit, moved, close)


def deals_frame(
    d: Deals,
    lead_ids: pa.Array,
    campaign_ids: list[str],
    reps: Reps,
    rng: np.random.Generator,
    first_id: int = 1,
) -> pd.DataFrame:
    order = np.argsort(d.created, kind="stable")  # deal ids follow creation time
    for f in ("created", "lead", "source", "campaign", "segment", "region", "owner", "q"):
        setattr(d, f, getattr(d, f)[order])
    n = d.created.size
    is_push = d.source >= N_PULL
    seg = d.segment
    product = categorical(rng.random(n), P.PRODUCT_P, seg)
    zero = rng.random(n) < np.where(
        is_push, P.DISCOUNT["zero_p"]["push"], P.DISCOUNT["zero_p"]["pull"]
    )
    mean = np.where(
        is_push,
        np.asarray(P.DISCOUNT["mean"]["push"])[seg],
        np.asarray(P.DISCOUNT["mean"]["pull"])[seg],
    )
    disc = np.where(zero, 0.0, np.round(np.clip(rng.gamma(2.0, mean / 2.0), 1.0, 40.0) * 2) / 2)
    list_acv = lognormal(
        rng,
        np.asarray(P.ACV["median"])[seg] * np.asarray(P.PRODUCT_MULT)[product],
        P.ACV["sigma"],
        n,
    )
    amount = np.round(list_acv * (1.0 - disc / 100.0), 2)
    w = P.WIN
    alpha = np.where(
        is_push, np.asarray(w["alpha"]["push"])[seg], np.asarray(w["alpha"]["pull"])[seg]
    )
    logit = (
        alpha
        + np.asarray([w["region"][r] for r in P.REGIONS])[d.region]
        + w["q_slope"] * d.q
        + w["disc_slope"] * (disc - 10.0)
    )
    won = rng.random(n) < sigmoid(logit)
    cy = P.CYCLE
    med = np.asarray(cy["median"])[seg] * np.where(
        is_push, cy["motion_mult"]["push"], cy["motion_mult"]["pull"]
    )
    cycle = np.where(
        won,
        lognormal(rng, med, cy["sigma"], n),
        lognormal(rng, med * cy["lost_mult"], cy["sigma_lost"], n),
    )
    close = d.created + cycle
    close = np.where(won, _quarter_push(d.created, close, rng), close)
    is_open = close >= T.N_DAYS
    outcome = np.where(is_open, 0, np.where(won, 1, 2))  # open / won / lost
    age = (T.N_DAYS - d.created) / med
    open_stage = np.searchsorted(np.asarray([t for _, t in P.OPEN_STAGES[:-1]]), age, side="right")
    stage = np.where(is_open, open_stage, np.where(won, 4, 5))
    lost_w = np.where(
        is_push[:, None],
        np.asarray(P.LOST_P["push"])[None, :],
        np.asarray(P.LOST_P["pull"])[None, :],
    )
    lo_d, hi_m, lo_m = P.LOST_PRICE_LOW_DISCOUNT
    lost_w[:, 0] *= np.where(disc < lo_d, hi_m, lo_m)
    lost_w /= lost_w.sum(axis=1, keepdims=True)
    u = rng.random(n)
    reason = (u[:, None] >= np.cumsum(lost_w, axis=1)[:, :-1]).sum(axis=1)
    reason = np.where(outcome == 2, reason, -1)
    accounts = account_names(n, rng)
    prod_names = pa.array(P.PRODUCTS).take(pa.array(product))
    stages = [s for s, _ in P.OPEN_STAGES] + ["Closed Won", "Closed Lost"]
    lead_id = lead_ids.take(pa.array(np.maximum(d.lead, 0)))
    lead_id = pc.if_else(pa.array(d.lead < 0), pa.scalar(None, pa.string()), lead_id)
    return pd.DataFrame(
        {
            "deal_id": make_ids("D-", n, 7, first_id).to_pandas(),
            "name": pc.binary_join_element_wise(accounts, prod_names, " - ").to_pandas(),
            "account": accounts.to_pandas(),
            "lead_id": lead_id.to_pandas(),
            "created_at": T.to_timestamp(d.created),
            "closed_at": T.to_timestamp(np.where(is_open, np.nan, close)),
            "stage": arrow_str(stage, stages),
            "outcome": arrow_str(outcome, ["open", "won", "lost"]),
            "amount": amount,
            "currency": arrow_str(np.zeros(n, dtype=np.int64), [P.CURRENCY]),
            "product": arrow_str(product, P.PRODUCTS),
            "segment": arrow_str(seg, P.SEGMENTS),
            "region": arrow_str(d.region, P.REGIONS),
            "owner": arrow_str(d.owner, reps.name),
            "source": arrow_str(d.source, SOURCES),
            "campaign_id": arrow_str(d.campaign, campaign_ids),
            "discount_pct": disc,
            "lost_reason": arrow_str(reason, P.LOST_REASONS),
            "import_id": arrow_str(np.full(n, -1, dtype=np.int64), ["-"]),
        }
    )
