"""The true parameters of the sample company (documented in PARAMETERS.md).

Everything the generator draws from is defined here, at scale 1, so that a fitted model
(marketing-mix, funnel, win-rate) can be checked against the truth. Money is USD.
"""

from __future__ import annotations

from typing import Any

COMPANY = "Northwind Analytics"
CURRENCY = "USD"

# The data window is fixed (never "today"): 36 whole months, END exclusive.
START = "2023-11-01"
END = "2026-11-01"
N_MONTHS = 36
# Campaigns planned after the window (status 'planned'), month offsets 36..40 = 2026-11..2027-03.
PLANNED_MONTHS = (36, 41)

SEGMENTS = ("SMB", "Mid-Market", "Enterprise")
REGIONS = ("North America", "EMEA", "APAC", "LATAM")
REGION_P = (0.46, 0.30, 0.15, 0.09)
PRODUCTS = ("Insight Core", "Insight Pro", "Forecast AI", "DataHub Connect")

PULL_SOURCES = (
    "Paid Search",
    "Paid Social",
    "Content/SEO",
    "Webinar",
    "Events",
    "Email Nurture",
    "Referral",
    "Organic/Direct",
)
PUSH_SOURCES = ("Outbound Call", "Cold Email", "SDR Prospecting", "LinkedIn Outreach")
# Paid channels: marketing spend rows use exactly these names in `spend.channel`.
PAID_CHANNELS = ("Paid Search", "Paid Social", "Content/SEO", "Webinar", "Events", "Email Nurture")

# --- Marketing mix: spend -> leads (per paid channel, scale 1) -------------------------------
# theta: geometric adstock decay (normalised: A_t = theta*A_{t-1} + (1-theta)*x_t, A_{-1} = x_0)
# K: half-saturation of the adstocked monthly spend (USD/month at scale 1; K*scale at scale s)
# s: Hill shape; beta: leads/month at full saturation (scale 1)
# always_on: baseline monthly spend, pulse: monthly spend of one campaign at scale 1
CHANNELS: dict[str, dict[str, float]] = {
    "Paid Search": {
        "theta": 0.15,
        "K": 40_000,
        "s": 1.8,
        "beta": 222,
        "always_on": 24_000,
        "pulse": 30_000,
    },
    "Paid Social": {
        "theta": 0.35,
        "K": 28_000,
        "s": 1.3,
        "beta": 163,
        "always_on": 11_000,
        "pulse": 26_000,
    },
    "Content/SEO": {
        "theta": 0.70,
        "K": 24_000,
        "s": 1.0,
        "beta": 93,
        "always_on": 14_000,
        "pulse": 15_000,
    },
    "Webinar": {
        "theta": 0.45,
        "K": 12_000,
        "s": 2.2,
        "beta": 78,
        "always_on": 3_000,
        "pulse": 15_000,
    },
    "Events": {
        "theta": 0.55,
        "K": 38_000,
        "s": 2.8,
        "beta": 108,
        "always_on": 2_000,
        "pulse": 65_000,
    },
    "Email Nurture": {
        "theta": 0.30,
        "K": 6_000,
        "s": 1.2,
        "beta": 62,
        "always_on": 4_000,
        "pulse": 5_000,
    },
}
# Campaign flights per channel (months): a flight lasts one of `lengths`, then a gap of one of
# `gaps` follows; `objectives` are the journey stages its campaigns pursue.
FLIGHTS: dict[str, dict[str, tuple[Any, ...]]] = {
    "Paid Search": {
        "lengths": (2, 3, 4),
        "gaps": (1, 2, 3),
        "objectives": ("purchase", "consideration"),
    },
    "Paid Social": {
        "lengths": (1, 2, 3),
        "gaps": (1, 2, 2),
        "objectives": ("awareness", "consideration"),
    },
    "Content/SEO": {
        "lengths": (3, 4, 6),
        "gaps": (1, 2, 3),
        "objectives": ("awareness", "consideration"),
    },
    "Webinar": {"lengths": (1,), "gaps": (0, 1, 2), "objectives": ("consideration", "purchase")},
    "Events": {
        "lengths": (1,),
        "gaps": (1, 2, 3),
        "objectives": ("awareness", "consideration", "purchase"),
    },
    "Email Nurture": {
        "lengths": (2, 3, 4),
        "gaps": (1, 2, 3),
        "objectives": ("consideration", "loyalty", "advocacy"),
    },
}
BUDGET_GROWTH = 0.08  # marketing budget grows 8%/year: trend(t) = 1.08 ** (t / 12)
# Marketing budget seasonality by calendar month (Jan..Dec), applied to always-on spend.
BUDGET_SEASON = (1.00, 1.05, 1.10, 1.00, 1.00, 0.92, 0.85, 0.85, 1.08, 1.12, 1.00, 0.75)
ALWAYS_ON_NOISE = 0.08  # lognormal sigma of the monthly always-on spend
CAMPAIGN_AMPLITUDE = (0.6, 1.6)  # uniform multiplier of a campaign's monthly budget
PACING_NOISE = 0.12  # lognormal sigma: actual monthly spend vs. planned budget / months

# --- Brand stock: pull compounds ------------------------------------------------------------
# B_t = delta*B_{t-1} + (1-delta)*M_t, B_{-1} = B0, M_t = total marketing spend in month t / scale
BRAND = {
    "delta": 0.96,
    "B0": 50_000.0,
    # leads/month at scale 1 = (a + b * B_t / 100_000) * season
    "organic_a": 8.0,
    "organic_b": 46.0,  # Organic/Direct
    "referral_a": 6.0,
    "referral_b": 22.0,  # Referral
    "content_b": 25.0,  # Content/SEO organic part (added to its Hill term; no campaign)
    # latent quality shift of pull leads: q += quality_b * (B_t - 100_000) / 100_000
    "quality_b": 0.65,
}

# Lead creation seasonality by calendar month (Jan..Dec): summer and December dips.
LEAD_SEASON = (1.05, 1.08, 1.10, 1.02, 1.00, 0.95, 0.82, 0.78, 1.04, 1.10, 1.02, 0.72)
# Day-of-week weights (Mon..Sun) for the creation day inside a month.
DOW_PULL = (1.0, 1.0, 1.0, 1.0, 0.95, 0.35, 0.30)
DOW_PUSH = (1.0, 1.0, 1.0, 1.0, 0.90, 0.03, 0.02)
HOLIDAY_WEIGHT = 0.35  # Dec 24..Jan 1
HOUR_PULL = (13.0, 3.0)  # normal(mean, sd) hour of day (UTC), clipped to [0.5, 23.5]
HOUR_PUSH = (11.5, 2.2)  # clipped to [7, 19]

# --- Sales team -----------------------------------------------------------------------------
REPS = {
    "initial": 16,  # active on START (scale 1; headcount scales with `scale`)
    "final": 32,  # planned headcount at END, net of attrition
    "sdr_share": 0.35,
    "attrition_per_year": 0.12,  # exponential tenure; a leaver is backfilled 30..75 days later
    "ramp_months": {"SDR": 3.0, "AE": 5.0},  # ramp(tenure) = min(1, tenure_months / ramp)
    "activity_weight": {"SDR": 1.0, "AE": 0.4},  # share of a ramped rep's time on prospecting
    "monthly_cost": {"SDR": (7_500, 9_500), "AE": (12_500, 16_500)},  # uniform, loaded USD
    "tooling_per_rep": 450.0,  # SDR tooling row: per active rep + platform fee * scale
    "tooling_platform": 2_500.0,
}
# Push leads/month = nu * sum over active reps of activity_weight * ramp, times LEAD_SEASON.
PUSH_NU = 17.5
PUSH_SOURCE_P = {
    "Outbound Call": 0.25,
    "Cold Email": 0.35,
    "SDR Prospecting": 0.25,
    "LinkedIn Outreach": 0.15,
}
# Share of deals created directly by AEs without a lead record (lead_id null, push sources).
DIRECT_SHARE = 0.10

# --- Leads: segment mix, quality, score -----------------------------------------------------
SEGMENT_P: dict[str, tuple[float, float, float]] = {
    "Paid Search": (0.62, 0.28, 0.10),
    "Paid Social": (0.60, 0.30, 0.10),
    "Content/SEO": (0.52, 0.34, 0.14),
    "Webinar": (0.40, 0.40, 0.20),
    "Events": (0.25, 0.42, 0.33),
    "Email Nurture": (0.50, 0.35, 0.15),
    "Referral": (0.40, 0.38, 0.22),
    "Organic/Direct": (0.55, 0.32, 0.13),
    "push": (0.45, 0.40, 0.15),
}
CAMPAIGN_SEGMENT_PULL = 0.7  # a lead of a segment-targeted campaign is in that segment w.p. 0.7
# Latent lead quality q ~ Normal(mu_source, 1) (+ brand shift for pull leads).
QUALITY_MU = {
    "Paid Search": 0.10,
    "Paid Social": -0.30,
    "Content/SEO": -0.10,
    "Webinar": 0.20,
    "Events": 0.30,
    "Email Nurture": 0.00,
    "Referral": 0.80,
    "Organic/Direct": 0.40,
    "Outbound Call": -0.20,
    "Cold Email": -0.50,
    "SDR Prospecting": -0.10,
    "LinkedIn Outreach": -0.30,
}
# lead_score = round(100 * sigmoid(a + b * (q + eps))), eps ~ Normal(0, noise)
SCORE = {"a": 0.2, "b": 1.0, "noise": 0.75}

# --- Funnel: P(stage) = sigmoid(intercept + slope * q) ---------------------------------------
FUNNEL = {
    "pull": {"mql": (-0.60, 1.0), "sql": (-1.05, 0.8), "opp": (0.15, 0.5)},
    "push": {"mql": (-1.00, 1.0), "sql": (0.20, 0.8), "opp": (1.00, 0.5)},
}
# Lags in days: lognormal(median, sigma) unless stated.
LAGS = {
    "pull": {
        "instant_mql_share": 0.30,  # hand-raisers (demo requests): MQL after Exp(mean 0.05 d)
        "instant_mql_mean": 0.05,
        "mql": (10.0, 1.0),
        "response_hours": (4.0, 1.1),  # MQL -> first touch; weekend MQLs wait for Mon 08:00
        "sql": (9.0, 0.8),  # first touch -> SQL
        "deal": (5.0, 0.8),  # SQL -> deal created
    },
    "push": {
        "touch_mean_minutes": 10.0,  # created -> first touch: Exp(mean 10 min)
        "mql": (3.0, 0.9),  # created -> engaged (MQL)
        "sql": (2.0, 0.8),  # MQL -> SQL (meeting booked)
        "deal_mean": 0.4,  # SQL -> deal created: Exp(mean 0.4 d)
    },
}
SLA_HOURS = 24.0

# --- Deals -----------------------------------------------------------------------------------
# Win: logit P(won) = alpha[motion][segment] + region_effect + q_slope*q + disc_slope*(d - 10)
WIN = {
    "alpha": {"pull": (-1.20, -1.45, -1.80), "push": (-1.75, -2.00, -2.40)},
    "region": {"North America": 0.0, "EMEA": -0.05, "APAC": -0.20, "LATAM": 0.10},
    "q_slope": 0.70,
    "disc_slope": 0.04,  # per discount point (percent); higher discount -> higher win odds
}
# Cycle (deal created -> closed), days: lognormal(median[segment] * motion_mult, sigma);
# lost deals: median * lost_mult, sigma_lost.
CYCLE = {
    "median": (28.0, 55.0, 105.0),
    "motion_mult": {"pull": 1.5, "push": 1.0},
    "sigma": 0.5,
    "lost_mult": 0.8,
    "sigma_lost": 0.6,
}
# Quarter-end push: a won deal whose natural close falls in the first `window` days of a
# quarter is pulled back into the last 0.5..7 days of the previous quarter w.p. p (p_q4 when the
# previous quarter is Q4), if that is at least 1 day after creation.
QUARTER_PUSH = {"window": 21.0, "p": 0.30, "p_q4": 0.60}
# Open deals: stage by age / median cycle.
OPEN_STAGES = (
    ("Qualification", 0.25),
    ("Discovery", 0.5),
    ("Proposal", 0.8),
    ("Negotiation", float("inf")),
)
# Discount (percent points): 0 w.p. zero_p, else clip(Gamma(2, mean/2), 1, 40), rounded to 0.5.
DISCOUNT = {
    "zero_p": {"pull": 0.40, "push": 0.20},
    "mean": {"pull": (6.0, 9.0, 13.0), "push": (10.0, 14.0, 18.0)},
}
# List ACV ~ lognormal(median[segment] * product_mult, sigma); amount = list * (1 - d/100).
ACV = {"median": (11_000.0, 42_000.0, 165_000.0), "sigma": 0.35}
PRODUCT_MULT = (1.0, 1.6, 1.35, 0.6)
PRODUCT_P = ((0.55, 0.10, 0.05, 0.30), (0.35, 0.30, 0.20, 0.15), (0.10, 0.45, 0.35, 0.10))
LOST_REASONS = ("Price", "Competitor", "No decision", "Timing", "Budget", "Missing feature")
LOST_P = {
    "pull": (0.18, 0.30, 0.18, 0.12, 0.12, 0.10),
    "push": (0.18, 0.17, 0.30, 0.18, 0.12, 0.05),
}
LOST_PRICE_LOW_DISCOUNT = (5.0, 1.6, 0.8)  # Price weight x1.6 if d < 5 else x0.8

# --- Scale targets at scale 1 ----------------------------------------------------------------
TARGET_DEALS = 3_000  # deals target = TARGET_DEALS * deals_scale (see PARAMETERS.md)


def _build() -> dict[str, Any]:
    """All of the above as one plain dict (the generator reads the constants directly)."""
    return {
        "company": COMPANY,
        "currency": CURRENCY,
        "start": START,
        "end": END,
        "n_months": N_MONTHS,
        "segments": SEGMENTS,
        "regions": REGIONS,
        "region_p": REGION_P,
        "products": PRODUCTS,
        "pull_sources": PULL_SOURCES,
        "push_sources": PUSH_SOURCES,
        "paid_channels": PAID_CHANNELS,
        "channels": CHANNELS,
        "flights": FLIGHTS,
        "budget_growth": BUDGET_GROWTH,
        "budget_season": BUDGET_SEASON,
        "brand": BRAND,
        "lead_season": LEAD_SEASON,
        "dow_pull": DOW_PULL,
        "dow_push": DOW_PUSH,
        "reps": REPS,
        "push_nu": PUSH_NU,
        "push_source_p": PUSH_SOURCE_P,
        "direct_share": DIRECT_SHARE,
        "segment_p": SEGMENT_P,
        "quality_mu": QUALITY_MU,
        "score": SCORE,
        "funnel": FUNNEL,
        "lags": LAGS,
        "sla_hours": SLA_HOURS,
        "win": WIN,
        "cycle": CYCLE,
        "quarter_push": QUARTER_PUSH,
        "discount": DISCOUNT,
        "acv": ACV,
        "product_mult": PRODUCT_MULT,
        "product_p": PRODUCT_P,
        "lost_p": LOST_P,
        "target_deals": TARGET_DEALS,
        "planned_months": PLANNED_MONTHS,
        "always_on_noise": ALWAYS_ON_NOISE,
        "campaign_amplitude": CAMPAIGN_AMPLITUDE,
        "pacing_noise": PACING_NOISE,
        "holiday_weight": HOLIDAY_WEIGHT,
        "hour_pull": HOUR_PULL,
        "hour_push": HOUR_PUSH,
        "campaign_segment_pull": CAMPAIGN_SEGMENT_PULL,
        "open_stages": OPEN_STAGES,
        "lost_reasons": LOST_REASONS,
        "lost_price_low_discount": LOST_PRICE_LOW_DISCOUNT,
        # how parameters change with generate(scale, deals_scale): spend, K, beta-driven lead
        # volume, headcount and market size are multiplied by `scale` (see PARAMETERS.md)
        "scaling": {
            "spend": "x scale",
            "K": "x scale",
            "pull_leads": "x scale",
            "headcount": "x scale",
            "deals": "TARGET_DEALS x deals_scale",
        },
    }


TRUE_PARAMETERS: dict[str, Any] = _build()
