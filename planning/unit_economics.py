"""Unit economics of the two engines: LTV, LTV:CAC and CAC payback (DESIGN.md, "Metric
definitions"), from the headline metrics and the workspace's margin and churn assumptions.

Pure: no SQL, no Streamlit. CAC itself is the headline metric (queries/sql/metrics.sql); the
formulas here only combine it with the assumptions.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

GROSS_MARGIN_KEY = "unit_gross_margin"
ANNUAL_CHURN_KEY = "unit_annual_churn"
DEFAULT_GROSS_MARGIN = 0.75  # a typical B2B software margin; the owner sets their own
DEFAULT_ANNUAL_CHURN = 0.15

# The usual benchmark bands (SaaS rules of thumb): LTV:CAC of 3 or more is healthy, under 1 the
# engine loses money on every customer; CAC paid back within 12 months is good, beyond 24 poor.
LTV_CAC_GOOD = 3.0
LTV_CAC_POOR = 1.0
PAYBACK_GOOD_MONTHS = 12.0
PAYBACK_POOR_MONTHS = 24.0

GROUPS = ("overall", "pull", "push")


def _fraction(raw: object, default: float, *, allow_zero: bool) -> float:
    try:
        value = float(str(raw))
    except (TypeError, ValueError):
        return default
    if not math.isfinite(value) or value > 1 or value < 0 or (value == 0 and not allow_zero):
        return default
    return value


def assumptions(settings: Mapping[str, str]) -> tuple[float, float]:
    """(gross margin, annual churn) as fractions; the defaults when unset or out of range."""
    margin = _fraction(settings.get(GROSS_MARGIN_KEY), DEFAULT_GROSS_MARGIN, allow_zero=True)
    churn = _fraction(settings.get(ANNUAL_CHURN_KEY), DEFAULT_ANNUAL_CHURN, allow_zero=False)
    return margin, churn


def ltv(annual_revenue: float, gross_margin: float, annual_churn: float) -> float:
    """Lifetime value = annual revenue per customer × gross margin ÷ annual churn."""
    if not annual_churn > 0:
        return math.nan
    return annual_revenue * gross_margin / annual_churn


def payback_months(cac: float, annual_revenue: float, gross_margin: float) -> float:
    """CAC payback = CAC ÷ (monthly revenue per customer × gross margin), in months; NaN
    (never 0) without a CAC (no spend: a CAC of 0 is an absent input, not a free customer)
    or without revenue and margin."""
    if cac is None or not cac > 0:
        return math.nan
    monthly_margin = annual_revenue / 12 * gross_margin
    if not monthly_margin > 0:
        return math.nan
    return cac / monthly_margin


def ratio(numerator: float, denominator: float) -> float:
    """numerator ÷ denominator; NaN when either is absent or the denominator is not > 0."""
    if denominator is None or not denominator > 0 or numerator is None:
        return math.nan
    return numerator / denominator


def _value(row: Mapping[str, object], key: str) -> float:
    """A headline figure as a float; NaN (never 0) when absent or missing from the frame."""
    value = row.get(key)
    if value is None:
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _known(value: object) -> float | None:
    """``value`` as a finite number, or None when it is absent (None, NaN, ±inf, not a number):
    an unknown figure has no band, not the band its placeholder would fall in."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def band_ltv_cac(value: float | None) -> str | None:
    """'good' (>= 3), 'ok' (1..3), 'poor' (< 1); None when the ratio is unknown."""
    known = _known(value)
    if known is None:
        return None
    if known >= LTV_CAC_GOOD:
        return "good"
    return "ok" if known >= LTV_CAC_POOR else "poor"


def band_payback(months: float | None) -> str | None:
    """'good' (<= 12 months), 'ok' (12..24), 'poor' (> 24); None when payback is unknown."""
    known = _known(months)
    if known is None:
        return None
    if known <= PAYBACK_GOOD_MONTHS:
        return "good"
    return "ok" if known <= PAYBACK_POOR_MONTHS else "poor"


def unit_economics(head: pd.DataFrame, gross_margin: float, annual_churn: float) -> pd.DataFrame:
    """One row per motion group (overall, pull, push) from the headline metrics (indexed by
    motion group): new customers, spend charged, CAC, annual revenue per customer (the average
    won deal, taken as a year of revenue), LTV, LTV:CAC, payback months and their bands.

    An absent input stays absent: without spend (headline CAC null) CAC, LTV:CAC and payback
    are NaN and their bands None, never 0 in the 'good' band; without won amounts so are
    the revenue, LTV and payback. ``spend`` is the spend the group's CAC divides (NaN when the
    spend it needs is absent)."""
    rows = []
    for group in GROUPS:
        if group not in head.index:
            continue
        row = head.loc[group].to_dict()
        cac = _value(row, "cac")
        if not cac > 0:
            cac = math.nan
        revenue = _value(row, "avg_deal_size")
        value = ltv(revenue, gross_margin, annual_churn)
        to_cac = ratio(value, cac)
        payback = payback_months(cac, revenue, gross_margin)
        marketing, sales = _value(row, "marketing_spend"), _value(row, "sales_spend")
        spend = _value(row, "group_spend") if "group_spend" in row else marketing + sales
        customers = _value(row, "new_customers")
        rows.append(
            {
                "motion": group,
                "new_customers": customers,
                "marketing_spend": marketing,
                "sales_spend": sales,
                "spend": spend,
                "cac": cac,
                "annual_revenue": revenue,
                "ltv": value,
                "ltv_to_cac": to_cac,
                "payback_months": payback,
                "ltv_cac_band": band_ltv_cac(to_cac),
                "payback_band": band_payback(payback),
            }
        )
    return pd.DataFrame(rows)
