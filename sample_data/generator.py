"""Deterministic generator of the sample company (Northwind Analytics, USD, 2023-11..2026-10).

    frames = generate(scale=1.0, seed=20231101, deals_scale=None)

returns one DataFrame per workspace table (raw_leads, raw_deals, campaigns, spend,
source_motion, sales_reps, market_segments, competitors, touches) whose columns are exactly those
of queries/migrations/001_contract.sql (touches: 007_campaign_plans.sql). Every per-lead and
per-deal step is vectorised numpy; the true parameters are in `TRUE_PARAMETERS` and the
formulas in PARAMETERS.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data import params as P
from sample_data import timeline as T
from sample_data.company import (
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
from sample_data.leads import SOURCES, brand_stock, expected_pull_leads, make_leads
from sample_data.params import TRUE_PARAMETERS
from sample_data.touches import make_touches

__all__ = ["TRUE_PARAMETERS", "brand_stock", "expected_pull_leads", "generate"]


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
    n = leads.n
    raw_leads = pd.DataFrame(
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
