"""Deterministic generator of the sample company (Northwind Analytics, USD, 2023-11..2026-10).

    frames = generate(scale=1.0, seed=20231101, deals_scale=None)

returns one DataFrame per workspace table (raw_leads, raw_deals, campaigns, spend,
source_motion, sales_reps, market_segments, competitors, touches) whose columns are exactly those
of queries/migrations/001_contract.sql (touches: 007_campaign_plans.sql). Every per-lead and
per-deal step is vectorised numpy; the true parameters are in `TRUE_PARAMETERS` and the
formulas in PARAMETERS.md.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd
import pyarrow as pa

from sample_data import params as P
from sample_data import timeline as T
from sample_data.company import (
    Marketing,
    Reps,
    competitors_frame,
    make_marketing,
    make_reps,
    market_segments_frame,
    reps_frame,
    sales_spend,
    source_motion_frame,
)
from sample_data.deals import deal_rows, deals_frame
from sample_data.draws import arrow_str, make_ids
from sample_data.leads import (
    SOURCES,
    Leads,
    brand_stock,
    expected_pull_leads,
    lead_rates,
    make_leads,
)
from sample_data.params import TRUE_PARAMETERS
from sample_data.touches import make_touches

__all__ = [
    "TRUE_PARAMETERS",
    "brand_stock",
    "expected_pull_leads",
    "generate",
    "generate_chunks",
]


def generate(
    scale: float = 1.0, *, seed: int = 20231101, deals_scale: float | None = None
) -> dict[str, pd.DataFrame]:
    """All workspace tables of the sample company; same arguments -> identical frames.

    scale multiplies leads (~25,000 * scale), spend, headcount and market size; deals_scale
    (default: scale) sets the deal count (~3,000 * deals_scale)."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    d_scale = scale if deals_scale is None else float(deals_scale)
    if d_scale <= 0:
        raise ValueError("deals_scale must be positive")
    # A sixth stream for the touches: spawn(6) hands out the same first five streams as
    # spawn(5) did, so adding touches left every other table exactly as it was.
    rng_reps, rng_mkt, rng_leads, rng_deals, rng_rows, rng_touches = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)
    )
    reps = make_reps(scale, rng_reps)
    mkt = make_marketing(scale, rng_mkt)
    leads = make_leads(scale, d_scale / scale, reps, mkt, rng_leads)
    target = round(P.TARGET_DEALS * d_scale)
    rows = deal_rows(leads, target, reps, rng_deals)

    campaign_ids = mkt.campaigns["campaign_id"].tolist()
    lead_ids = make_ids("L-", leads.n, 8)
    raw_leads = _leads_frame(leads, lead_ids, campaign_ids, reps)
    raw_deals = deals_frame(rows, lead_ids, campaign_ids, reps, rng_rows)
    spend = pd.concat([mkt.spend, sales_spend(reps, scale)], ignore_index=True)
    return {
        "raw_leads": raw_leads,
        "raw_deals": raw_deals,
        "campaigns": mkt.campaigns,
        "spend": spend,
        "source_motion": source_motion_frame(),
        "sales_reps": reps_frame(reps),
        "market_segments": market_segments_frame(scale),
        "competitors": competitors_frame(),
        "touches": make_touches(raw_leads, raw_deals, mkt.campaigns, rng_touches),
    }


def _leads_frame(
    leads: Leads, lead_ids: pa.Array, campaign_ids: list[str], reps: Reps
) -> pd.DataFrame:
    n = leads.n
    return pd.DataFrame(
        {
            "lead_id": lead_ids.to_pandas(),
            "created_at": T.to_timestamp(leads.created),
            "source": arrow_str(leads.source, SOURCES),
            "campaign_id": arrow_str(leads.campaign, campaign_ids),
            "segment": arrow_str(leads.segment, P.SEGMENTS),
            "region": arrow_str(leads.region, P.REGIONS),
            "lead_score": leads.score,
            "mql_at": T.to_timestamp(leads.mql),
            "sql_at": T.to_timestamp(leads.sql),
            "first_touch_at": T.to_timestamp(leads.touch),
            "owner": arrow_str(leads.owner, reps.name),
            "import_id": arrow_str(np.full(n, -1, dtype=np.int64), ["-"]),
        }
    )


CHUNK_TABLES = ("raw_leads", "raw_deals", "touches")


def company(scale: float, seed: int) -> tuple[Reps, Marketing, dict[str, pd.DataFrame]]:
    """The sales team, the marketing plan and the company tables, as ``generate`` draws them."""
    rng_reps, rng_mkt = (
        np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)[:2]
    )
    reps = make_reps(scale, rng_reps)
    mkt = make_marketing(scale, rng_mkt)
    return (
        reps,
        mkt,
        {
            "campaigns": mkt.campaigns,
            "spend": pd.concat([mkt.spend, sales_spend(reps, scale)], ignore_index=True),
            "source_motion": source_motion_frame(),
            "sales_reps": reps_frame(reps),
            "market_segments": market_segments_frame(scale),
            "competitors": competitors_frame(),
        },
    )


def chunk_frames(
    scale: float,
    d_scale: float,
    seed: int,
    months_per_chunk: int,
    k: int,
    reps: Reps,
    mkt: Marketing,
    first: tuple[int, int, int] = (1, 1, 1),
) -> dict[str, pd.DataFrame]:
    """Chunk ``k``: the leads created in months [k * months_per_chunk, ...), their deals and
    touches, from the chunk's own random streams; lead, deal and touch ids from ``first``."""
    months = np.zeros(P.N_MONTHS, dtype=bool)
    months[k * months_per_chunk : (k + 1) * months_per_chunk] = True
    rng_leads, rng_deals, rng_rows, rng_touches = (
        np.random.default_rng(s) for s in np.random.SeedSequence([seed, k]).spawn(4)
    )
    campaign_ids = mkt.campaigns["campaign_id"].tolist()
    leads = make_leads(scale, d_scale / scale, reps, mkt, rng_leads, months)
    lam = lead_rates(scale, reps, mkt).sum(axis=0)
    target = round(P.TARGET_DEALS * d_scale * lam[months].sum() / lam.sum())
    rows = deal_rows(leads, target, reps, rng_deals, months)
    lead_ids = make_ids("L-", leads.n, 8, first[0])
    raw_leads = _leads_frame(leads, lead_ids, campaign_ids, reps)
    raw_deals = deals_frame(rows, lead_ids, campaign_ids, reps, rng_rows, first[1])
    touches = make_touches(raw_leads, raw_deals, mkt.campaigns, rng_touches, first[2])
    return {"raw_leads": raw_leads, "raw_deals": raw_deals, "touches": touches}


def n_chunks(months_per_chunk: int) -> int:
    return -(-P.N_MONTHS // months_per_chunk)


def generate_chunks(
    scale: float,
    *,
    seed: int = 20231101,
    deals_scale: float | None = None,
    months_per_chunk: int = 1,
) -> Iterator[dict[str, pd.DataFrame]]:
    """The sample company a chunk of months at a time, for scales too large to hold in memory
    (50M leads: ~2 KB of Python memory per lead in one piece).

    The first item holds the company tables (campaigns, spend, reps, ...), exactly those of
    ``generate``; each next one the leads created in ``months_per_chunk`` months (``CHUNK_TABLES``:
    raw_leads, their deals and touches, ids continuing from the chunk before). The same model
    and parameters, but not the same draws as ``generate``: each chunk has its own random
    streams, its deal target is its share of the expected leads, its direct deals fall in its
    months, and deal and touch ids follow creation time within a chunk only."""
    if scale <= 0:
        raise ValueError("scale must be positive")
    d_scale = scale if deals_scale is None else float(deals_scale)
    if d_scale <= 0:
        raise ValueError("deals_scale must be positive")
    reps, mkt, tables = company(scale, seed)
    yield tables
    first = (1, 1, 1)
    for k in range(n_chunks(months_per_chunk)):
        frames = chunk_frames(scale, d_scale, seed, months_per_chunk, k, reps, mkt, first)
        first = (
            first[0] + len(frames["raw_leads"]),
            first[1] + len(frames["raw_deals"]),
            first[2] + len(frames["touches"]),
        )
        yield frames
