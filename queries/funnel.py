"""Funnel health: the lifecycle funnel (by cohort and by period), the MQL handoff and its SLA,
the lead-score threshold, stage velocity and leakage, stuck deals, and data-trust checks.

The definitions live in ``sql/funnel.sql``; this module binds parameters, reads the funnel
settings of the workspace (the MQL definition, the SLA) and shapes small results with pandas.
Win rate, deal size, cycle, pipeline velocity and CAC come from ``queries.metrics`` (one
implementation each).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from queries import sqlfiles
from queries.data_admin import FieldError
from queries.filters import Filters
from queries.workspace import Workspace

STAGES = ("lead", "mql", "sql", "opportunity", "won")
STEPS = ("lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_won")
MOTIONS = ("pull", "push", "unmapped")
SPLITS = ("none", "source", "segment", "region", "owner")
FUNNEL_COLUMNS = [
    "motion",
    "stage_order",
    "stage",
    "count_reached",
    "share_of_first",
    "step_conversion",
]

# -- workspace settings of this page (table `settings`, text values) ---------------------------
MQL_RULE_KEY = "funnel_mql_rule"
MQL_THRESHOLD_KEY = "funnel_mql_score_threshold"
SLA_HOURS_KEY = "funnel_sla_hours"
MQL_RULES = ("recorded", "score", "score_or_recorded", "score_and_recorded")
DEFAULT_SLA_HOURS = 24.0
MAX_SLA_HOURS = 720.0  # a month: beyond it an "SLA" is no handoff promise
MAX_HOURS = 168  # the response-time buckets run to a week; slower touches share the last one
# Sources that say "we do not know where this came from" (compared lower-cased): HubSpot files
# untracked leads under "Offline Sources"; other CRMs use these words.
CATCH_ALL_SOURCES = (
    "offline sources",
    "offline",
    "other",
    "others",
    "unknown",
    "none",
    "n/a",
    "(none)",
    "(not set)",
    "not provided",
    "select",
)
MIN_CLOSED_DEALS = 30  # below this a win rate moves by 3+ points with one deal


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


def _number(value: object) -> float | None:
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def mql_definition(settings: Mapping[str, str]) -> MqlDefinition:
    """The saved MQL definition; the CRM's own MQL date when none (or a broken one) is saved."""
    rule = settings.get(MQL_RULE_KEY, "recorded")
    threshold = _number(settings.get(MQL_THRESHOLD_KEY))
    if rule not in MQL_RULES or (rule != "recorded" and threshold is None):
        return MqlDefinition()
    return MqlDefinition(rule, threshold)


def sla_hours(settings: Mapping[str, str]) -> float:
    """The saved MQL -> first sales touch SLA in hours (24 when none is saved)."""
    hours = _number(settings.get(SLA_HOURS_KEY))
    return hours if hours is not None and 0 < hours <= MAX_SLA_HOURS else DEFAULT_SLA_HOURS


def validate_handoff(values: Mapping[str, object]) -> tuple[dict[str, str], list[FieldError]]:
    """Check the handoff form: ``mql_rule``, ``mql_threshold`` (text; needed when the rule uses
    the score), ``sla_hours`` (0 < h <= 720). Returns (settings to store, errors per field)."""
    out: dict[str, str] = {}
    errors: list[FieldError] = []
    rule = str(values.get("mql_rule") or "")
    if rule in MQL_RULES:
        out[MQL_RULE_KEY] = rule
    else:
        errors.append(FieldError(MQL_RULE_KEY, "rule_invalid", rule))
    raw = values.get("mql_threshold")
    blank = raw is None or not str(raw).strip()
    threshold = None if blank else _number(raw)
    if threshold is not None and threshold >= 0:
        out[MQL_THRESHOLD_KEY] = f"{threshold:g}"
    elif not (blank and rule == "recorded"):
        errors.append(FieldError(MQL_THRESHOLD_KEY, "threshold_invalid", "" if blank else str(raw)))
    hours = _number(values.get("sla_hours"))
    if hours is not None and 0 < hours <= MAX_SLA_HOURS:
        out[SLA_HOURS_KEY] = f"{hours:g}"
    else:
        errors.append(FieldError(SLA_HOURS_KEY, "sla_invalid", str(values.get("sla_hours"))))
    return out, errors


def save_settings(ws: Workspace, stored: Mapping[str, str]) -> None:
    """Write checked settings in one transaction."""
    q = sqlfiles.get("set_setting")
    with ws.transaction() as cur:
        for key, value in stored.items():
            cur.execute(q.sql, q.bind({"key": key, "value": value}))


def save_handoff(ws: Workspace, values: Mapping[str, object]) -> list[FieldError]:
    """Validate the handoff form and store it; nothing is written when any field is invalid."""
    stored, errors = validate_handoff(values)
    if errors:
        return errors
    save_settings(ws, stored)
    return []


PULL_SHARE_KEY = "pull_share_of_sales"  # read by queries.metrics.pull_share_of_sales


def validate_unit_assumptions(
    values: Mapping[str, object],
) -> tuple[dict[str, str], list[FieldError]]:
    """Check the unit-economics form, all in percent: ``gross_margin_pct`` (0..100),
    ``annual_churn_pct`` (above 0, up to 100) and ``pull_share_pct`` (0..100, the share of sales
    spend charged to pull CAC). Stored as fractions under the planning.unit_economics keys and
    ``pull_share_of_sales`` (the setting the Data page also edits)."""
    from planning import unit_economics as ue

    out: dict[str, str] = {}
    errors: list[FieldError] = []
    fields = (
        ("gross_margin_pct", ue.GROSS_MARGIN_KEY, True, "margin_invalid"),
        ("annual_churn_pct", ue.ANNUAL_CHURN_KEY, False, "churn_invalid"),
        ("pull_share_pct", PULL_SHARE_KEY, True, "share_invalid"),
    )
    for field, key, allow_zero, code in fields:
        number = _number(values.get(field))
        if number is not None and (number > 0 or (allow_zero and number == 0)) and number <= 100:
            out[key] = f"{round(number / 100, 6):g}"
        else:
            errors.append(FieldError(key, code, str(values.get(field))))
    return out, errors


def save_unit_assumptions(ws: Workspace, values: Mapping[str, object]) -> list[FieldError]:
    """Validate the unit-economics form and store it; nothing is written when a field is bad."""
    stored, errors = validate_unit_assumptions(values)
    if errors:
        return errors
    save_settings(ws, stored)
    return []


def _definition(ws: Workspace, mql: MqlDefinition | None) -> MqlDefinition:
    return mql if mql is not None else mql_definition(ws.settings())


def _split(split: str) -> str:
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}; expected one of {SPLITS}")
    return split


# -- lifecycle funnel --------------------------------------------------------------------------
def cohort_stage_counts(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None, split: str = "none"
) -> pd.DataFrame:
    """One row per motion, split value, monthly lead cohort and stage: leads of the cohort that
    ever reached the stage (see ``cohort_stage_counts`` in sql/funnel.sql)."""
    return ws.query(
        "cohort_stage_counts",
        **filters.params(),
        **_definition(ws, mql).params(),
        split=_split(split),
    )


def period_stage_counts(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None, split: str = "none"
) -> pd.DataFrame:
    """One row per motion, split value, month and stage: how many reached the stage in it."""
    return ws.query(
        "period_stage_counts",
        **filters.params(),
        **_definition(ws, mql).params(),
        split=_split(split),
    )


def summarise_stages(counts: pd.DataFrame, by: tuple[str, ...] = ("motion",)) -> pd.DataFrame:
    """Stage counts summed over the other columns, with the share of the first stage and the
    conversion from the previous stage; groups whose stages are all zero are left out. Of the
    query's two grains, the 'split' rows are used when ``by`` holds split_value, else 'month'."""
    columns = [*by, *FUNNEL_COLUMNS[1:]]
    if "grain" in counts:  # month rows and split rows each hold every lead once
        counts = counts[counts["grain"] == ("split" if "split_value" in by else "month")]
    if counts.empty:
        return pd.DataFrame(columns=list(dict.fromkeys(["motion", *columns])))
    keys = list(by)
    grid = (
        counts.pivot_table(
            index=keys, columns="stage_order", values="count_reached", aggfunc="sum", dropna=False
        )
        .reindex(columns=range(1, len(STAGES) + 1))
        .fillna(0)
        .astype("int64")
    )
    grid = grid[grid.sum(axis=1) > 0]
    rows = []
    for key, values in grid.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        counts_ = values.tolist()
        for order, stage in enumerate(STAGES, start=1):
            count = counts_[order - 1]
            previous = counts_[order - 2] if order > 1 else None
            rows.append(
                {
                    **dict(zip(keys, key, strict=True)),
                    "stage_order": order,
                    "stage": stage,
                    "count_reached": int(count),
                    "share_of_first": count / counts_[0] if counts_[0] else float("nan"),
                    "step_conversion": count / previous if previous else float("nan"),
                }
            )
    return pd.DataFrame(rows, columns=columns)


def funnel_by_cohort(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion and stage: leads created in the period that ever reached the stage."""
    return summarise_stages(cohort_stage_counts(ws, filters, mql))


def funnel_by_period(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion and stage: how many reached the stage in the period, and that count
    divided by the previous stage's (which can exceed 1: the stages of one lead fall in
    different periods). Motions with nothing in the period are left out."""
    return summarise_stages(period_stage_counts(ws, filters, mql))


def monthly_conversion(counts: pd.DataFrame, *, mode: str) -> pd.DataFrame:
    """One row per motion and month: leads, won, and the lead -> won conversion.

    ``mode`` 'cohort': of the month's leads, the share with a won deal (``cohort_month``);
    'period': deals won in the month ÷ leads created in it (``month``)."""
    month = "cohort_month" if mode == "cohort" else "month"
    columns = ["motion", "month", "count_leads", "count_won", "conversion"]
    if "grain" in counts:
        counts = counts[counts["grain"] == "month"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    wide = (
        counts[counts["stage"].isin(["lead", "won"])]
        .pivot_table(
            index=["motion", month], columns="stage", values="count_reached", aggfunc="sum"
        )
        .reindex(columns=["lead", "won"])
        .fillna(0)
        .reset_index()
        .rename(columns={month: "month", "lead": "count_leads", "won": "count_won"})
    )
    wide["conversion"] = wide["count_won"] / wide["count_leads"].where(wide["count_leads"] > 0)
    return wide[columns].sort_values(["motion", "month"]).reset_index(drop=True)


def maturing_from(counts: pd.DataFrame) -> date | None:
    """The first cohort month that is still maturing: cohorts that started less than
    ``maturity_days`` (80% of this period's won leads were won within it) before the data end."""
    if counts.empty or counts["data_end"].isna().all():
        return None
    days = counts["maturity_days"].dropna()
    maturity = float(days.iloc[0]) if len(days) else 90.0
    end = pd.Timestamp(counts["data_end"].dropna().iloc[0])
    cutoff = end - pd.Timedelta(days=maturity)
    return (cutoff.to_period("M") + 1).to_timestamp().date() if cutoff.day > 1 else cutoff.date()


def leakage(cohort: pd.DataFrame) -> pd.DataFrame:
    """Where the cohort's leads stopped: one row per motion and furthest stage reached, the
    count that stopped there (reached it, not the next) and its share of the motion's leads."""
    columns = ["motion", "stage_order", "stage", "count_stopped", "share_of_leads"]
    if cohort.empty:
        return pd.DataFrame(columns=columns)
    df = cohort.sort_values(["motion", "stage_order"]).copy()
    following = df.groupby("motion")["count_reached"].shift(-1).fillna(0)
    df["count_stopped"] = (df["count_reached"] - following).astype("int64")
    first = df.groupby("motion")["count_reached"].transform("first")
    df["share_of_leads"] = df["count_stopped"] / first.where(first > 0)
    return df[columns].reset_index(drop=True)


# -- the handoff -------------------------------------------------------------------------------
def handoff_detail(
    ws: Workspace,
    filters: Filters,
    sla_hours: float,
    mql: MqlDefinition | None = None,
    max_hours: int = MAX_HOURS,
) -> pd.DataFrame:
    """MQLs of the period counted by motion and response-hour bucket with the within-SLA and won
    flags (row_kind 'hours'), by owner ('owner'), and one 'total' row per motion with its exact
    median and p80 response hours."""
    if max_hours < 1:
        raise ValueError("max_hours must be at least 1")
    return ws.query(
        "handoff_detail",
        **filters.params(),
        **_definition(ws, mql).params(),
        sla_hours=float(sla_hours),
        max_hours=int(max_hours),
    )


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
    cells = _rows(detail, "hours").assign(
        touched=lambda d: d["count_mqls"].where(d["bucket_hours"].notna(), 0),
        within=lambda d: d["count_mqls"].where(d["is_within_sla"], 0),
        outside=lambda d: d["count_mqls"].where(~d["is_within_sla"], 0),
        won_within=lambda d: d["count_mqls"].where(d["is_within_sla"] & d["is_won"], 0),
        won_outside=lambda d: d["count_mqls"].where(~d["is_within_sla"] & d["is_won"], 0),
    )
    df = cells.groupby("motion", as_index=False).agg(
        count_mqls=("count_mqls", "sum"),
        count_touched=("touched", "sum"),
        count_within_sla=("within", "sum"),
        count_outside=("outside", "sum"),
        count_won_within=("won_within", "sum"),
        count_won_outside=("won_outside", "sum"),
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
    rows = []
    for motion, part in cells.groupby("motion"):
        total = part["count_mqls"].sum()
        for order, (band, lo, hi) in enumerate(RESPONSE_BANDS):
            hours = part["bucket_hours"]
            n = part.loc[hours.notna() & (hours >= lo) & (hours < hi), "count_mqls"].sum()
            rows.append((motion, band, order, int(n), n / total))
        never = part.loc[part["bucket_hours"].isna(), "count_mqls"].sum()
        rows.append((motion, "never", len(RESPONSE_BANDS), int(never), never / total))
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


def handoff_sla(
    ws: Workspace, filters: Filters, sla_hours: float, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion: MQLs of the period and the share first touched within the SLA."""
    return handoff_summary(handoff_detail(ws, filters, sla_hours, mql))


def handoff_response_curve(
    ws: Workspace, filters: Filters, max_hours: int = MAX_HOURS, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion and hour after MQL (up to ``max_hours``): MQLs first touched in that
    hour, and the cumulative share of all the motion's MQLs touched by its end."""
    detail = handoff_detail(ws, filters, DEFAULT_SLA_HOURS, mql, max_hours)
    return response_curve(detail, max_hours)


# -- lead-score threshold ----------------------------------------------------------------------
def lead_score_bounds(ws: Workspace, filters: Filters) -> dict[str, float | int | None]:
    row = ws.query("lead_score_bounds", **filters.params()).iloc[0]
    return {
        "min_score": None if pd.isna(row["min_score"]) else float(row["min_score"]),
        "max_score": None if pd.isna(row["max_score"]) else float(row["max_score"]),
        "count_scored": int(row["count_scored"]),
        "count_leads": int(row["count_leads"]),
    }


def score_bin_width(min_score: float, max_score: float, max_bins: int = 100) -> float:
    """A round bin width (1, 2 or 5 × 10^k) giving at most ``max_bins`` bins over the range."""
    span = max(max_score - min_score, 1e-9)
    raw = span / max_bins
    exponent = math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        width = step * 10.0**exponent
        if width >= raw:
            return width
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns


def lead_score_bins(ws: Workspace, filters: Filters, bin_width: float) -> pd.DataFrame:
    """Scored leads created in the period by motion, month, score bin and won flag."""
    if not bin_width > 0:
        raise ValueError("bin_width must be positive")
    return ws.query("lead_score_bins", **filters.params(), bin_width=float(bin_width))


def threshold_table(bins: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate threshold t (each bin edge) and motion group ('overall' and each
    motion): leads with score >= t, the won share above and below t, and Youden's J (share of
    won leads above t minus share of not-won leads above t): the threshold with the largest J
    separates leads that win from those that do not best."""
    columns = [
        "motion",
        "threshold",
        "count_above",
        "count_below",
        "won_share_above",
        "won_share_below",
        "youden_j",
    ]
    if bins.empty:
        return pd.DataFrame(columns=columns)
    frames = [bins.assign(motion="overall"), bins]
    out = []
    for motion, part in pd.concat(frames).groupby("motion"):
        g = (
            part.pivot_table(
                index="score_bin", columns="is_won", values="count_leads", aggfunc="sum"
            )
            .reindex(columns=[False, True])
            .fillna(0)
            .sort_index()
        )
        won, lost = g[True], g[False]
        # counts at or above each edge: reverse cumulative sums
        won_above = won[::-1].cumsum()[::-1]
        lost_above = lost[::-1].cumsum()[::-1]
        total_won, total_lost = won.sum(), lost.sum()
        above = won_above + lost_above
        below = (total_won + total_lost) - above
        won_below = total_won - won_above
        df = pd.DataFrame(
            {
                "motion": motion,
                "threshold": g.index.astype(float),
                "count_above": above.astype("int64").to_numpy(),
                "count_below": below.astype("int64").to_numpy(),
                "won_share_above": (won_above / above.where(above > 0)).to_numpy(),
                "won_share_below": (won_below / below.where(below > 0)).to_numpy(),
                "youden_j": (
                    won_above / (total_won or float("nan"))
                    - lost_above / (total_lost or float("nan"))
                ).to_numpy(),
            }
        )
        out.append(df)
    return pd.concat(out, ignore_index=True)[columns]


def best_threshold(table: pd.DataFrame, motion: str = "overall") -> float | None:
    """The threshold with the largest Youden's J for ``motion`` (the lowest on a tie)."""
    part = table[(table["motion"] == motion) & table["youden_j"].notna()]
    if part.empty:
        return None
    return float(
        part.sort_values(["youden_j", "threshold"], ascending=[False, True]).iloc[0]["threshold"]
    )


def at_threshold(bins: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """One row per motion group ('overall' and each motion) for one threshold: scored leads at
    or above it and below it, and the won share of each."""
    columns = ["motion", "count_above", "count_below", "won_share_above", "won_share_below"]
    if bins.empty:
        return pd.DataFrame(columns=columns)
    df = pd.concat([bins.assign(motion="overall"), bins])
    df = df.assign(
        is_above=df["score_bin"] >= threshold - 1e-9,
        won=df["count_leads"].where(df["is_won"], 0),
    )
    out = df.pivot_table(
        index="motion", columns="is_above", values=["count_leads", "won"], aggfunc="sum"
    ).fillna(0)
    rows = []
    for motion in out.index:

        def get(value: str, above: bool, motion: str = motion) -> float:
            key = (value, above)
            return float(out.loc[motion, key]) if key in out.columns else 0.0

        above, below = get("count_leads", True), get("count_leads", False)
        rows.append(
            {
                "motion": motion,
                "count_above": int(above),
                "count_below": int(below),
                "won_share_above": get("won", True) / above if above else float("nan"),
                "won_share_below": get("won", False) / below if below else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def qualifying_by_month(bins: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """One row per motion and month: scored leads created, and those with score >= threshold."""
    columns = ["motion", "month", "count_leads", "count_qualified", "share_qualified"]
    if bins.empty:
        return pd.DataFrame(columns=columns)
    df = bins.assign(qualified=bins["count_leads"].where(bins["score_bin"] >= threshold - 1e-9, 0))
    out = df.groupby(["motion", "month"], as_index=False).agg(
        count_leads=("count_leads", "sum"), count_qualified=("qualified", "sum")
    )
    out["share_qualified"] = out["count_qualified"] / out["count_leads"]
    return out[columns]


# -- velocity, leakage, stuck deals ------------------------------------------------------------
def stage_velocity(
    ws: Workspace, filters: Filters, mql: MqlDefinition | None = None
) -> pd.DataFrame:
    """One row per motion and step: steps completed in the period, median and p80 days; the
    MQL steps by the MQL definition (the saved one unless ``mql`` is given)."""
    return ws.query("stage_velocity", **filters.params(), **_definition(ws, mql).params())


def lost_reasons(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per motion and lost reason ('' = none recorded): deals lost in the period."""
    return ws.query("lost_reasons", **filters.params())


def open_deals_by_stage(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per motion and stage of the open deals: count, amount, median and p80 age."""
    return ws.query("open_deals_by_stage", **filters.params())


def stuck_deals(ws: Workspace, filters: Filters, multiple: float) -> pd.DataFrame:
    """Open deals older than ``multiple`` × the median age of the open deals in their stage."""
    if not multiple > 0:
        raise ValueError("multiple must be positive")
    return ws.query("stuck_deals", **filters.params(), multiple=float(multiple))


# -- lead cohorts ------------------------------------------------------------------------------
def lead_cohort_wins(ws: Workspace, filters: Filters, max_months: int = 12) -> pd.DataFrame:
    """One row per monthly lead cohort, motion and months since creation (0..max_months)."""
    if max_months < 0:
        raise ValueError("max_months must be 0 or more")
    return ws.query("lead_cohort_wins", **filters.params(), max_months=int(max_months))


# -- data trust --------------------------------------------------------------------------------
TRUST_LEAD_COUNTS = (
    "count_leads",
    "count_no_source",
    "count_catch_all",
    "count_mql_at",
    "count_sql_at",
    "count_first_touch",
    "count_scored",
)
TRUST_DEAL_COUNTS = ("count_deals", "count_no_created", "count_closed", "count_closed_undated")


def lead_trust(ws: Workspace, filters: Filters, split: str = "none") -> pd.DataFrame:
    """The lead checks behind the data-trust badges, per motion and split value. Leads have no
    product, so the product filter is dropped: a cached result serves every product choice."""
    return ws.query(
        "funnel_lead_trust",
        **replace(filters, products=()).params(),
        split=_split(split),
        catch_all_sources=list(CATCH_ALL_SOURCES),
    )


def deal_trust(ws: Workspace, filters: Filters, split: str = "none") -> pd.DataFrame:
    """The deal checks behind the data-trust badges, per motion and split value."""
    return ws.query("funnel_deal_trust", **filters.params(), split=_split(split))


def combine_trust(leads: pd.DataFrame, deals: pd.DataFrame) -> pd.DataFrame:
    """One row per motion and split value with the lead and the deal checks (0 where a side
    has no row)."""
    keys = ["motion", "split_value"]
    out = leads.merge(deals, on=keys, how="outer")
    counts = [*TRUST_LEAD_COUNTS, *TRUST_DEAL_COUNTS]
    out[counts] = out[counts].fillna(0).astype("int64")
    return out[keys + counts].sort_values(keys, na_position="last").reset_index(drop=True)


def data_trust(ws: Workspace, filters: Filters, split: str = "none") -> pd.DataFrame:
    """The counts behind the data-trust badges, per motion and split value."""
    return combine_trust(lead_trust(ws, filters, split), deal_trust(ws, filters, split))


@dataclass(frozen=True)
class TrustWarning:
    """One badge: ``code`` names the check (the page shows t(f"funnel.trust.{code}"))."""

    code: str
    share: float = 0.0
    count: int = 0
    detail: str = ""


def trust_warnings(
    checks: pd.DataFrame, *, mql: MqlDefinition, thin_share: float = 0.05
) -> list[TrustWarning]:
    """The warnings the checks raise: leads without a source or in a catch-all source (above
    ``thin_share``), deals without a created date, lifecycle stages never timestamped, and
    motions or split values with fewer than ``MIN_CLOSED_DEALS`` closed deals."""
    out: list[TrustWarning] = []
    if checks.empty:
        return out
    total = checks.sum(numeric_only=True)
    leads = int(total["count_leads"])
    if leads:
        for code in ("no_source", "catch_all"):
            n = int(total[f"count_{code}"])
            if n / leads > thin_share:
                out.append(TrustWarning(code, n / leads, n))
        stages = {"mql_at": "count_mql_at", "sql_at": "count_sql_at"}
        stages["first_touch_at"] = "count_first_touch"
        if mql.uses_score:
            stages["lead_score"] = "count_scored"
        for field, column in stages.items():
            if int(total[column]) == 0:
                out.append(TrustWarning("never_timestamped", detail=field))
    deals = int(total["count_deals"])
    if deals and int(total["count_no_created"]):
        n = int(total["count_no_created"])
        out.append(TrustWarning("no_created", n / deals, n))
    if int(total["count_closed_undated"]):
        out.append(TrustWarning("closed_undated", count=int(total["count_closed_undated"])))
    by_motion = checks[checks["motion"].isin(["pull", "push"])].groupby("motion")["count_closed"]
    for motion, n in by_motion.sum().items():
        if n < MIN_CLOSED_DEALS:
            out.append(TrustWarning("thin_motion", count=int(n), detail=str(motion)))
    if checks["split_value"].notna().any():
        split = checks.groupby("split_value")["count_closed"].sum()
        thin = split[split < MIN_CLOSED_DEALS]
        if len(thin):
            out.append(
                TrustWarning(
                    "thin_split",
                    count=len(thin),
                    detail=", ".join(str(v) for v in thin.index[:5]),
                )
            )
    return out
