"""Touchpoints of the sample company: the marketing and sales touches on each lead's way to a
deal, so that multi-touch attribution has paths to split (rules in PARAMETERS.md, "Touches").

Drawn from their own random stream after every other table is made, so adding them changed no
other table. Vectorised; campaigns are matched to touches in chunks so the eligibility matrix
stays small at large scales.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sample_data import params as P
from sample_data import timeline as T
from sample_data.draws import make_ids

# Mean number of touches per lead (Poisson, capped at MAX_EXTRA each):
PRE_MEAN_PULL = 0.6  # before the lead exists (anonymous: an ad, a page, a webinar): pull only
PRE_MEAN_DAYS = 21.0  # how long before the lead's creation, exponential
POST_BASE = 0.3  # after creation: nurture, more content, events...
POST_MQL, POST_SQL, POST_DEAL = 0.9, 0.8, 0.8  # extra mean touches per stage reached
POST_WINDOW_DAYS = 30.0  # a lead without a deal is nurtured for 30 days after its last stage
MAX_EXTRA = 4
PRE_OBJECTIVES = ("awareness", "consideration")
POST_OBJECTIVES = ("consideration", "purchase")
PRE_FALLBACK = "Content/SEO"  # no campaign running: an organic visit
POST_FALLBACK = "Email Nurture"  # no campaign running: the always-on nurture stream
CHUNK = 200_000
COLUMNS = (
    "touch_id",
    "lead_id",
    "deal_id",
    "campaign_id",
    "channel",
    "touched_at",
    "touch_type",
    "import_id",
)


def _days(ts: pd.Series) -> np.ndarray:
    """Days since START as floats (NaT -> NaN)."""
    start = np.datetime64(P.START, "us")
    values = ts.to_numpy(dtype="datetime64[us]")
    out = (values - start).astype("timedelta64[us]").astype(np.float64) / 86_400e6
    out[np.isnat(values)] = np.nan
    return out


def _pick_campaign(
    when: np.ndarray,
    segment: np.ndarray,
    u: np.ndarray,
    camp_start: np.ndarray,
    camp_end: np.ndarray,
    camp_segment: np.ndarray,
    allowed: np.ndarray,
) -> np.ndarray:
    """Per touch, a campaign (row index, −1 = none) drawn uniformly among the allowed ones
    running at ``when`` and aimed at the lead's segment (or at all segments)."""
    out = np.full(len(when), -1, dtype=np.int64)
    # rows per step: CHUNK at the sample's 70 campaigns, fewer with more campaigns so that the
    # [rows, campaigns] matrices stay ~100 MB (the picks do not depend on the step)
    step = max(1_000, CHUNK * 70 // max(len(camp_start), 70))
    for lo in range(0, len(when), step):
        hi = min(lo + step, len(when))
        w = when[lo:hi, None]
        seg = segment[lo:hi, None]
        ok = (
            allowed[None, :]
            & (camp_start[None, :] <= w)
            & (w < camp_end[None, :])
            & ((camp_segment[None, :] == "") | (camp_segment[None, :] == seg))
        )
        count = ok.sum(axis=1)
        k = np.minimum((u[lo:hi] * count).astype(np.int64), np.maximum(count - 1, 0))
        idx = np.argmax(np.cumsum(ok, axis=1) > k[:, None], axis=1)
        out[lo:hi] = np.where(count > 0, idx, -1)
    return out


def make_touches(
    raw_leads: pd.DataFrame,
    raw_deals: pd.DataFrame,
    campaigns: pd.DataFrame,
    rng: np.random.Generator,
    first_id: int = 1,
) -> pd.DataFrame:
    """One row per touch (columns ``COLUMNS``), sorted by time; ids ``T-00000001 …``
    (from ``first_id``: a later chunk of a large build)."""
    n = len(raw_leads)
    lead_ids = raw_leads["lead_id"].to_numpy(dtype=object)
    source = raw_leads["source"].to_numpy(dtype=object)
    segment = raw_leads["segment"].fillna("").to_numpy(dtype=object)
    is_pull = np.isin(source, P.PULL_SOURCES)
    created = _days(raw_leads["created_at"])
    mql, sql = _days(raw_leads["mql_at"]), _days(raw_leads["sql_at"])
    lead_deals = raw_deals[raw_deals["lead_id"].notna()].drop_duplicates("lead_id")
    pos = pd.Index(raw_leads["lead_id"]).get_indexer(lead_deals["lead_id"])
    deal_of = np.full(n, None, dtype=object)
    deal_of[pos] = lead_deals["deal_id"].to_numpy(dtype=object)
    deal_at = np.full(n, np.nan)
    deal_at[pos] = _days(lead_deals["created_at"])
    has_deal = ~np.isnan(deal_at)

    camp_start = _days(campaigns["start_date"])
    camp_end = _days(campaigns["end_date"]) + 1.0
    camp_segment = campaigns["segment"].fillna("").to_numpy(dtype=object)
    camp_channel = campaigns["channel"].to_numpy(dtype=object)
    camp_ids = campaigns["campaign_id"].to_numpy(dtype=object)
    objective = campaigns["objective"].to_numpy(dtype=object)

    # -- the draws, in a fixed order ------------------------------------------------------------
    k_pre = np.minimum(rng.poisson(np.where(is_pull, PRE_MEAN_PULL, 0.0)), MAX_EXTRA)
    post_mean = (
        POST_BASE + POST_MQL * ~np.isnan(mql) + POST_SQL * ~np.isnan(sql) + POST_DEAL * has_deal
    )
    k_post = np.minimum(rng.poisson(post_mean), MAX_EXTRA)
    pre_lead = np.repeat(np.arange(n), k_pre)
    post_lead = np.repeat(np.arange(n), k_post)
    pre_age = rng.exponential(PRE_MEAN_DAYS, len(pre_lead))
    post_u = rng.random(len(post_lead))
    pre_pick = rng.random(len(pre_lead))
    post_pick = rng.random(len(post_lead))

    # -- before the lead: anonymous touches of awareness and consideration campaigns -----------
    pre_at = created[pre_lead] - pre_age
    keep = pre_at >= 0  # the CRM starts on START: nothing is recorded before it
    pre_lead, pre_at, pre_pick = pre_lead[keep], pre_at[keep], pre_pick[keep]
    pre_camp = _pick_campaign(
        pre_at,
        segment[pre_lead],
        pre_pick,
        camp_start,
        camp_end,
        camp_segment,
        np.isin(objective, PRE_OBJECTIVES),
    )

    # -- after it: nurture up to the deal's creation, or for a month after the last stage ------
    last_stage = np.fmax(np.fmax(created, mql), sql)
    end = np.where(has_deal, deal_at, np.minimum(last_stage + POST_WINDOW_DAYS, T.N_DAYS - 1e-6))
    post_at = created[post_lead] + post_u * (end[post_lead] - created[post_lead])
    post_camp = _pick_campaign(
        post_at,
        segment[post_lead],
        post_pick,
        camp_start,
        camp_end,
        camp_segment,
        np.isin(objective, POST_OBJECTIVES),
    )

    def part(
        lead: np.ndarray, at: np.ndarray, camp: np.ndarray, fallback: str, kind: str
    ) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "lead": lead,
                "at": at,
                "campaign_id": np.where(camp >= 0, camp_ids[np.maximum(camp, 0)], None),
                "channel": np.where(camp >= 0, camp_channel[np.maximum(camp, 0)], fallback),
                "touch_type": kind,
            }
        )

    origin = pd.DataFrame(
        {
            "lead": np.arange(n),
            "at": created,
            "campaign_id": raw_leads["campaign_id"].to_numpy(dtype=object),
            "channel": source,
            "touch_type": "lead_created",
        }
    )
    touches = pd.concat(
        [
            part(pre_lead, pre_at, pre_camp, PRE_FALLBACK, "before_lead"),
            origin,
            part(post_lead, post_at, post_camp, POST_FALLBACK, "nurture"),
        ],
        ignore_index=True,
    )
    # Timestamps in whole seconds; a lead's own touch keeps its created_at to the microsecond.
    at = T.to_timestamp(touches["at"].to_numpy())
    is_origin = (touches["touch_type"] == "lead_created").to_numpy()
    at[is_origin] = raw_leads["created_at"].to_numpy(dtype="datetime64[us]")[
        touches["lead"].to_numpy()[is_origin]
    ]
    touches["touched_at"] = at
    touches = touches.sort_values(["touched_at", "lead"], kind="stable", ignore_index=True)
    lead = touches["lead"].to_numpy()
    return pd.DataFrame(
        {
            "touch_id": make_ids("T-", len(touches), 8, first_id).to_pandas(),
            "lead_id": pd.Series(lead_ids[lead], dtype="str"),
            "deal_id": pd.Series(deal_of[lead], dtype="str"),
            "campaign_id": pd.Series(touches["campaign_id"].to_numpy(), dtype="str"),
            "channel": pd.Series(touches["channel"].to_numpy(), dtype="str"),
            "touched_at": touches["touched_at"].to_numpy(dtype="datetime64[us]"),
            "touch_type": pd.Series(touches["touch_type"].to_numpy(), dtype="str"),
            "import_id": pd.Series([None] * len(touches), dtype="str"),
        }
    )
