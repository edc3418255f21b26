"""The marketing → sales handoff: the agreed definition of a marketing-qualified lead, the SLA
for the first sales touch, and what the handoff measures (DESIGN.md, "MQL handoff SLA").

Pure: the settings come in as a mapping, the handoff detail as the DataFrame that
``queries.funnel.handoff_detail`` reads; no SQL, no Streamlit.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

# -- workspace settings of the funnel (table `settings`, text values) --------------------------
MQL_RULE_KEY = "funnel_mql_rule"
MQL_THRESHOLD_KEY = "funnel_mql_score_threshold"
SLA_HOURS_KEY = "funnel_sla_hours"
MQL_RULES = ("recorded", "score", "score_or_recorded", "score_and_recorded")
DEFAULT_SLA_HOURS = 24.0
MAX_SLA_HOURS = 720.0  # a month: beyond it an "SLA" is no handoff promise
MAX_HOURS = 168  # the response-time buckets run to a week; slower touches share the last one


@dataclass(frozen=True)
class MqlDefinition:
    """The agreed definition of a marketing-qualified lead (see the top of sql/funnel.sql)."""

    rule: str = "recorded"
    threshold: float | None = None

    def params(self) -> dict[str, object]:
        # the SQL compares lead_score with the threshold only when the rule uses it
        return {"mql_rule": self.rule, "mql_threshold": float(self.threshold or 0.0)}

    @property
    def uses_score(self) -> bool:
        return self.rule != "recorded"

    def normalised(self) -> MqlDefinition:
        """The same definition without a threshold its rule ignores: two definitions count the
        same MQLs exactly when their normalised forms are equal."""
        return self if self.uses_score else MqlDefinition(self.rule)


def number(value: object) -> float | None:
    """A finite number from typed text ("2,5" reads 2.5), else None."""
    try:
        parsed = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None
    return parsed if math.isfinite(parsed) else None


def mql_definition(settings: Mapping[str, str]) -> MqlDefinition:
    """The saved MQL definition; the CRM's own MQL date when none (or a broken one) is saved."""
    rule = settings.get(MQL_RULE_KEY, "recorded")
    threshold = number(settings.get(MQL_THRESHOLD_KEY))
    if rule not in MQL_RULES or (rule != "recorded" and threshold is None):
        return MqlDefinition()
    return MqlDefinition(rule, threshold)


def sla_hours(settings: Mapping[str, str]) -> float:
    """The saved MQL -> first sales touch SLA in hours (24 when none is saved)."""
    hours = number(settings.get(SLA_HOURS_KEY))
    return hours if hours is not None and 0 < hours <= MAX_SLA_HOURS else DEFAULT_SLA_HOURS


# -- what the handoff measures -------------------------------------------------------------------
def _rows(detail: pd.DataFrame, kind: str) -> pd.DataFrame:
    return detail[detail["row_kind"] == kind] if not detail.empty else detail


def handoff_summary(detail: pd.DataFrame) -> pd.DataFrame:
    """One row per motion: MQLs, touched, within SLA, the share within SLA (untouched MQLs count
    as missed), median and p80 response hours, and the won rate of MQLs handled within and
    outside the SLA (won = the lead has a won deal)."""
    columns = [
        "motion",
        "count_mqls",
        "count_touched",
        "count_within_sla",
        "share_within_sla",
        "median_hours",
        "p80_hours",
        "count_won_within",
        "count_won_outside",
        "won_rate_within",
        "won_rate_outside",
    ]
    if detail.empty:
        return pd.DataFrame(columns=columns)
    cells = _rows(detail, "hours")
    n, within, won = cells["count_mqls"], cells["is_within_sla"], cells["is_won"]
    # one group sum over the columns (named aggregations cost several times more)
    df = (
        pd.DataFrame(
            {
                "motion": cells["motion"],
                "count_mqls": n,
                "count_touched": n.where(cells["bucket_hours"].notna(), 0),
                "count_within_sla": n.where(within, 0),
                "count_outside": n.where(~within, 0),
                "count_won_within": n.where(within & won, 0),
                "count_won_outside": n.where(~within & won, 0),
            }
        )
        .groupby("motion", as_index=False)
        .sum()
    )
    totals = _rows(detail, "total").set_index("motion")
    df["median_hours"] = df["motion"].map(totals["median_hours"])
    df["p80_hours"] = df["motion"].map(totals["p80_hours"])
    df["share_within_sla"] = df["count_within_sla"] / df["count_mqls"]
    df["won_rate_within"] = df["count_won_within"] / df["count_within_sla"].where(
        df["count_within_sla"] > 0
    )
    df["won_rate_outside"] = df["count_won_outside"] / df["count_outside"].where(
        df["count_outside"] > 0
    )
    for col in ("count_mqls", "count_touched", "count_within_sla"):
        df[col] = df[col].astype("int64")
    return df[columns]


def response_curve(detail: pd.DataFrame, max_hours: int = MAX_HOURS) -> pd.DataFrame:
    """One row per motion and hour bucket below ``max_hours``: MQLs first touched in it and the
    cumulative share of all the motion's MQLs touched by its end (untouched stay in the
    denominator)."""
    columns = ["motion", "bucket_start_hours", "count_mqls", "cumulative_share"]
    cells = _rows(detail, "hours")
    if cells.empty:
        return pd.DataFrame(columns=columns)
    totals = cells.groupby("motion")["count_mqls"].sum()
    hours = cells[cells["bucket_hours"].notna() & (cells["bucket_hours"] < max_hours)]
    df = (
        hours.groupby(["motion", "bucket_hours"], as_index=False)["count_mqls"]
        .sum()
        .rename(columns={"bucket_hours": "bucket_start_hours"})
        .sort_values(["motion", "bucket_start_hours"])
    )
    if df.empty:  # MQL dates but no first-touch dates (common in CRM exports): no curve
        return pd.DataFrame(columns=columns)
    df["bucket_start_hours"] = df["bucket_start_hours"].astype("int64")
    df["cumulative_share"] = df.groupby("motion")["count_mqls"].cumsum() / df["motion"].map(totals)
    return df[columns].reset_index(drop=True)


# Response-time bands of the distribution chart: [lower, upper) whole hours; None = untouched.
RESPONSE_BANDS: tuple[tuple[str, float, float], ...] = (
    ("lt1", 0, 1),
    ("1to4", 1, 4),
    ("4to8", 4, 8),
    ("8to24", 8, 24),
    ("24to48", 24, 48),
    ("48to72", 48, 72),
    ("72to168", 72, 168),
    ("ge168", 168, math.inf),
)


def response_distribution(detail: pd.DataFrame) -> pd.DataFrame:
    """One row per motion and response band (``RESPONSE_BANDS`` then 'never'): MQLs and their
    share of the motion's MQLs."""
    columns = ["motion", "band", "band_order", "count_mqls", "share"]
    cells = _rows(detail, "hours")
    if cells.empty:
        return pd.DataFrame(columns=columns)
    hours, n = cells["bucket_hours"], cells["count_mqls"]
    # each band's MQLs as a column, summed per motion in one pass
    bands = {
        band: n.where(hours.notna() & (hours >= lo) & (hours < hi), 0)
        for band, lo, hi in RESPONSE_BANDS
    }
    bands["never"] = n.where(hours.isna(), 0)
    sums = pd.DataFrame(bands).groupby(cells["motion"]).sum()
    totals = sums.sum(axis=1)
    rows = [
        (motion, band, order, int(count), count / totals[motion])
        for motion, counts in zip(sums.index, sums.to_numpy(), strict=True)
        for order, (band, count) in enumerate(zip(bands, counts, strict=True))
    ]
    return pd.DataFrame(rows, columns=columns)


def breaches_by_owner(detail: pd.DataFrame, top: int = 15) -> pd.DataFrame:
    """One row per owner and motion: MQLs outside the SLA (late or never touched), the owner's
    MQLs and breach share; the ``top`` owners with the most breaches, most first."""
    columns = ["owner", "motion", "count_breaches", "count_mqls", "breach_share"]
    cells = _rows(detail, "owner")
    if cells.empty:
        return pd.DataFrame(columns=columns)
    cells = cells.assign(
        owner=cells["owner"].fillna(""),
        breaches=cells["count_mqls"].where(~cells["is_within_sla"], 0),
    )
    df = cells.groupby(["owner", "motion"], as_index=False).agg(
        count_breaches=("breaches", "sum"), count_mqls=("count_mqls", "sum")
    )
    df["breach_share"] = df["count_breaches"] / df["count_mqls"]
    order = df.groupby("owner")["count_breaches"].sum().sort_values(ascending=False)
    keep = order[order > 0].head(top).index
    df = df[df["owner"].isin(keep)]
    df["rank"] = df["owner"].map({o: i for i, o in enumerate(keep)})
    return df.sort_values(["rank", "motion"])[columns].reset_index(drop=True)
