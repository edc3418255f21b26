"""Headline metrics of DESIGN.md ("Metric definitions"), computed once, in SQL.

The definitions live in ``sql/metrics.sql``; this module only binds parameters and shapes the
result. The CLI, the Overview page and the tests all go through ``headline``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from locales import translate
from planning import fiscal
from planning.handoff import MqlDefinition, mql_definition
from queries.filters import Filters
from queries.workspace import Workspace

MOTION_GROUPS = ("overall", "pull", "push")

# The keys `flywheel metrics --json` prints for each group, in order.
METRIC_KEYS = (
    "leads",
    "mqls",
    "sqls",
    "opportunities",
    "won",
    "lost",
    "win_rate",
    "won_amount",
    "avg_deal_size",
    "sales_cycle_days",
    "open_opportunities",
    "open_pipeline_amount",
    "pipeline_velocity",
    "new_customers",
    "marketing_spend",
    "sales_spend",
    "cac",
)


def pull_share_of_sales(ws: Workspace) -> float:
    """Share (0..1) of sales spend charged to pull in CAC; a workspace setting, default 0."""
    raw = ws.settings().get("pull_share_of_sales", "0")
    try:
        value = float(raw)
    except ValueError:
        return 0.0
    return min(max(value, 0.0), 1.0)


# What the engines' figures are counted from, leads and deals apart: with none of it in pull or
# push but some in "unmapped", no lead (or deal) source has a motion yet and a per-engine 0
# would be a made-up figure.
LEAD_KEYS = ("leads", "mqls", "sqls")
DEAL_ACTIVITY_KEYS = ("opportunities", "won", "lost", "open_opportunities")
SPEND_KEYS = ("marketing_spend", "sales_spend")
DEAL_KEYS = tuple(k for k in METRIC_KEYS if k not in LEAD_KEYS + SPEND_KEYS)

# How many records (under the segment/region/product/owner filters, whatever the period) carry
# the date a period counts them by: a record without it falls in no period at all.
DATE_FACTS = (
    "lead_total",
    "leads_dated",
    "leads_mql_dated",
    "leads_mql_input",
    "leads_sql_dated",
    "deal_total",
    "deals_dated",
    "closed_total",
    "closed_dated",
    "open_total",
    "open_dated",
)
# the figures counted by a deal's close date, and by an open deal's creation date
CLOSED_KEYS = (
    "won",
    "lost",
    "win_rate",
    "won_amount",
    "avg_deal_size",
    "sales_cycle_days",
    "new_customers",
    "pipeline_velocity",
    "cac",
)
OPEN_KEYS = ("open_opportunities", "open_pipeline_amount", "pipeline_velocity")


def undated(row: Mapping[str, object]) -> dict[str, tuple[str, int]]:
    """Per figure no period can count because none of its records has the date it is counted
    by: (the reason's ``kpi.note`` key, how many records lack the date). A figure missing here
    is counted from every record, or from the dated ones only (``notes`` then says how many
    are left out)."""

    def n(key: str) -> int:
        value = row.get(key)
        return 0 if _missing(value) else int(value)  # type: ignore[arg-type]

    out: dict[str, tuple[str, int]] = {}
    leads, deals, open_deals, closed = (
        n("lead_total"),
        n("deal_total"),
        n("open_total"),
        n("closed_total"),
    )
    if leads and not n("leads_mql_dated"):
        out["mqls"] = ("no_lead_dates", leads)
    elif leads and "leads_mql_input" in row and not n("leads_mql_input"):
        out["mqls"] = ("no_mql_input", leads)  # the definition reads a field no lead has
    if leads and not n("leads_sql_dated"):  # no SQL date imported: 0 SQLs would be made up
        out["sqls"] = ("no_sql_dates" if n("leads_dated") else "no_lead_dates", leads)
    if leads and not n("leads_dated"):
        out["leads"] = ("no_lead_dates", leads)
    if deals and not n("deals_dated"):
        out["opportunities"] = ("no_deal_dates", deals)
    if open_deals and not n("open_dated"):
        out |= dict.fromkeys(OPEN_KEYS, ("no_open_dates", open_deals))
    if closed and not n("closed_dated"):  # the closed deals' reason outweighs (velocity)
        out |= dict.fromkeys(CLOSED_KEYS, ("no_close_dates", closed))
    return out


def headline(ws: Workspace, filters: Filters, mql: MqlDefinition | None = None) -> pd.DataFrame:
    """One row per motion group (overall, pull, push, maybe unmapped), indexed by group.

    MQLs follow ``mql`` (the workspace's saved definition, planning.handoff, when None), as on
    Funnel health. A figure whose input is absent is NaN, never 0 (DESIGN.md, "Missing
    inputs"); ``notes`` says why. ``leads_motion_unknown`` (``deals_motion_unknown``) is True
    on every row when no lead (deal) of the period has a pull or push source but some have
    none: the engines' lead (deal) figures are then NaN, not 0. Without any
    lead in the workspace the lead counts (leads, MQLs, SQLs) are NaN too, and so is every
    figure none of whose records has the date a period counts it by (``undated``).
    ``DATE_FACTS`` hold how many records have those dates, the same on every row."""
    definition = mql if mql is not None else mql_definition(ws.settings())
    df = ws.query(
        "headline_metrics",
        **filters.params(),
        **definition.params(),
        pull_share_of_sales=pull_share_of_sales(ws),
        live=False,  # the kept period facts answer where they can (migration 025)
    )
    df = df.set_index("motion_group")
    # A group beyond overall/pull/push (deals of unmapped sources) with nothing counted says
    # nothing: whether such a row comes back depends on which records the query read.
    counted = list(LEAD_KEYS + DEAL_ACTIVITY_KEYS + ("new_customers",))
    idle = [
        g
        for g in df.index
        if g not in MOTION_GROUPS and not df.loc[g, counted].fillna(0).astype(float).any()
    ]
    df = df.drop(index=idle)
    # Groups with no rows at all still appear, with zero counts and undefined ratios.
    for group in MOTION_GROUPS:
        if group not in df.index:
            df.loc[group] = {k: 0 for k in df.columns}
            for ratio in (
                "win_rate",
                "avg_deal_size",
                "sales_cycle_days",
                "pipeline_velocity",
                "cac",
                "marketing_spend",
                "sales_spend",
                "group_spend",
            ):
                df.loc[group, ratio] = float("nan")
    for flag in ("has_marketing_spend", "has_sales_spend", "has_leads", "has_deals"):
        df[flag] = bool(df[flag].fillna(False).astype(bool).any())  # workspace-wide facts
    for fact in DATE_FACTS:
        df[fact] = int(df[fact].fillna(0).max())
    # records no period can include: their figures are unknown, not 0
    gone = list(undated(df.iloc[0].to_dict()))
    if gone:
        df[gone] = df[gone].astype(float)
        df[gone] = float("nan")
    # no lead (deal) imported: the lead (deal) figures are unknown, not 0
    for flag, keys in (("has_leads", LEAD_KEYS), ("has_deals", DEAL_KEYS)):
        if not df[flag].iloc[0]:
            df[list(keys)] = df[list(keys)].astype(float)
            df[list(keys)] = float("nan")

    def active(group: str, keys: tuple[str, ...]) -> bool:
        return group in df.index and bool(df.loc[group, list(keys)].fillna(0).sum() > 0)

    for flag, activity, keys in (
        ("leads_motion_unknown", LEAD_KEYS, LEAD_KEYS),
        ("deals_motion_unknown", DEAL_ACTIVITY_KEYS, DEAL_KEYS),
    ):
        unknown = (
            not active("pull", activity)
            and not active("push", activity)
            and active("unmapped", activity)
        )
        df[flag] = unknown
        if unknown:
            df[list(keys)] = df[list(keys)].astype(float)
            df.loc[["pull", "push"], list(keys)] = float("nan")
    return df


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        return math.isnan(float(value))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False


def notes(
    row: Mapping[str, object], group: str, filters: Filters, lang: str = "en"
) -> dict[str, str]:
    """Why a figure of ``row`` (one group of ``headline``) is absent ("—"), or what distorts
    it, keyed by metric: one sentence each, in ``lang``. Figures without a note are plain."""

    def t(key: str, **kwargs: object) -> str:
        return translate(f"kpi.note.{key}", lang, **kwargs)

    def count(key: str) -> int:
        value = row.get(key)
        return 0 if _missing(value) else int(value)  # type: ignore[arg-type]

    out: dict[str, str] = {}
    # the reasons that outweigh every other one for the figures they concern
    first: dict[str, str] = {}
    if group in ("pull", "push"):
        if bool(row.get("leads_motion_unknown")):
            first.update(dict.fromkeys(LEAD_KEYS, t("no_lead_motion")))
        if bool(row.get("deals_motion_unknown")):
            first.update(dict.fromkeys(DEAL_KEYS, t("no_deal_motion")))

    # no record has the date a period counts it by: every group's figure is absent for it
    for key, (reason, without) in undated(row).items():
        first[key] = t(reason, count=f"{without:,}")

    if "has_leads" in row and not bool(row.get("has_leads")):
        first.update(dict.fromkeys(LEAD_KEYS, t("no_leads")))
    if "has_deals" in row and not bool(row.get("has_deals")):
        first.update(dict.fromkeys(DEAL_KEYS, t("no_deals")))

    # spend and CAC
    if group == "unmapped":  # spend is charged to the engines only
        sentence = t("unmapped_spend")
        out.update(marketing_spend=sentence, sales_spend=sentence, cac=sentence)
    has_mkt, has_sales = bool(row.get("has_marketing_spend")), bool(row.get("has_sales_spend"))
    no_mkt = t("no_marketing_spend") if not has_mkt else t("no_marketing_spend_period")
    no_sales = t("no_sales_spend") if not has_sales else t("no_sales_spend_period")
    mkt_absent, sales_absent = (
        _missing(row.get("marketing_spend")),
        _missing(row.get("sales_spend")),
    )
    # the spend charged to the group: push is charged no marketing spend, and pull no sales
    # spend unless a share of it is set; those zeros are the rule, not an absent input
    if group in ("overall", "pull") and mkt_absent:
        out["marketing_spend"] = no_mkt
    if group in ("overall", "push") and sales_absent:
        out["sales_spend"] = no_sales
    if group == "pull" and _missing(row.get("sales_spend")):
        out["sales_spend"] = no_sales
    filtered = any((filters.segments, filters.regions, filters.products, filters.owners))
    if filtered:
        out["cac"] = t("cac_filtered")
    elif group == "overall" and mkt_absent and sales_absent:
        out["cac"] = t("no_spend") if not (has_mkt or has_sales) else t("no_spend_period")
    elif group == "unmapped":
        pass
    elif group == "pull" and mkt_absent:
        out["cac"] = no_mkt
    elif group == "push" and _missing(row.get("group_spend")):
        out["cac"] = no_sales if sales_absent else t("push_no_share")
    elif count("new_customers") == 0:
        out["cac"] = t("no_customers")
    elif group == "overall" and (mkt_absent or sales_absent):
        out["cac"] = t("cac_sales_only") if mkt_absent else t("cac_marketing_only")

    # amounts
    open_total, open_blank = count("open_opportunities"), count("open_without_amount")
    if open_blank:
        out["open_pipeline_amount"] = t(
            "open_without_amount", count=f"{open_blank:,}", total=f"{open_total:,}"
        )
    won_total, won_blank = count("won"), count("won_without_amount")
    if won_blank:
        sentence = t("won_without_amount", count=f"{won_blank:,}", total=f"{won_total:,}")
        out["won_amount"] = out["avg_deal_size"] = sentence
        if _missing(row.get("avg_deal_size")):
            out["pipeline_velocity"] = sentence

    if not won_total and "won" in row and not _missing(row.get("won")):
        out["avg_deal_size"] = out["sales_cycle_days"] = t("no_won")
    elif won_total and _missing(row.get("sales_cycle_days")):
        out["sales_cycle_days"] = t("no_created", total=f"{won_total:,}")

    # win rate
    lost = count("lost")
    if won_total + lost == 0:
        out["win_rate"] = t("no_closed")
    elif lost == 0:
        out["win_rate"] = t("no_lost")

    # some records lack the date a period counts them by: the figure stands, counted from the
    # dated ones, and says how many no period includes (the totals are not split by engine)
    if group == "overall":
        for key, dated, total, reason in (
            ("leads", "leads_dated", "lead_total", "some_lead_dates"),
            ("opportunities", "deals_dated", "deal_total", "some_deal_dates"),
            ("open_pipeline_amount", "open_dated", "open_total", "some_open_dates"),
            ("won", "closed_dated", "closed_total", "some_close_dates"),
        ):
            have, of = count(dated), count(total)
            if 0 < have < of:
                sentence = t(reason, count=f"{of - have:,}", total=f"{of:,}")
                space = "" if lang == "zh" else " "  # Chinese sentences run on unspaced
                out[key] = f"{out[key]}{space}{sentence}" if key in out else sentence
    return out | first


COUNT_KEYS = frozenset(
    {"leads", "mqls", "sqls", "opportunities", "won", "lost", "open_opportunities", "new_customers"}
)


def as_json_dict(df: pd.DataFrame, filters: Filters | None = None) -> dict[str, dict[str, object]]:
    """``{"overall": {...}, "pull": {...}, "push": {...}}``: counts as ints, an absent figure
    as null (never 0 or NaN), and ``notes``: for each null or distorted figure, why (English)."""
    out: dict[str, dict[str, object]] = {}
    for group in df.index:
        row: dict[str, object] = {}
        for key in METRIC_KEYS:
            value = df.loc[group, key]
            if _missing(value) or not math.isfinite(float(value)):
                row[key] = None
            elif key in COUNT_KEYS:
                row[key] = int(value)
            else:
                row[key] = float(value)
        row["notes"] = notes(df.loc[group].to_dict(), str(group), filters or Filters())
        out[str(group)] = row
    return out


def won_revenue_by_month(ws: Workspace, filters: Filters) -> pd.DataFrame:
    """One row per month and motion: won_amount (null when no won deal has one) and won."""
    return ws.query("won_revenue_by_month", **filters.params(), live=False)


DEAL_DIMENSIONS = (
    "segment",
    "region",
    "product",
    "owner",
    "source",
    "campaign_id",
    "closed_quarter",
    "discount_band",
)


PAIR_DIMENSIONS = ("segment", "region", "product", "source")


def deal_metrics_by(
    ws: Workspace,
    filters: Filters,
    dimension: str,
    *,
    pair: str | None = None,
    lang: str = "en",
    opportunities: bool = True,
    cycle: bool = True,
) -> pd.DataFrame:
    """Win rate, deal size, cycle and won amount per value of one dimension and motion group.

    The same definitions as ``headline``, grouped: use it wherever a page splits these
    metrics, so each metric keeps one implementation. ``pair`` adds a second dimension
    (column ``pair_value``): one pass over the deals instead of one call per value of it.

    'closed_quarter' buckets by the workspace's fiscal quarters (``fiscal_year_start_month``,
    as the engines by quarter do): ``dimension_value`` is the quarter's label (``2025-Q3`` for
    calendar quarters, ``FY2025/26 Q1`` for fiscal ones, in ``lang``), ``quarter_start`` its
    first day, and rows are in time order. Other dimensions have no ``quarter_start`` column.

    ``opportunities=False`` / ``cycle=False``: for a caller that reads neither, the pass that
    counts opportunities / the median sales cycle is skipped and the frame has no such column
    (without opportunities, a value with no deal closed in the period has no row).
    """
    if dimension not in DEAL_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}; expected one of {DEAL_DIMENSIONS}")
    if pair is not None and pair not in PAIR_DIMENSIONS:
        raise ValueError(f"unknown pair {pair!r}; expected one of {PAIR_DIMENSIONS}")
    by_quarter = dimension == "closed_quarter"
    # the setting is read only when it matters (the other dimensions ignore it)
    start = fiscal.start_month(ws.settings()) if by_quarter else 1
    df = ws.query(
        "deal_metrics_by",
        **filters.params(),
        dimension=dimension,
        pair=pair,
        fiscal_start_month=start,
        with_opportunities=opportunities,
        with_cycle=cycle,
        live=False,  # the kept period facts answer where they can (migration 025)
    )
    # not counted: no column that would read as none or zero
    skipped = [
        c for c, on in (("opportunities", opportunities), ("sales_cycle_days", cycle)) if not on
    ]
    df = df.drop(columns=skipped)
    if by_quarter:
        days = pd.to_datetime(df["quarter_start"]).dt.date
        df["quarter_start"] = days
        df["dimension_value"] = [
            None if pd.isna(d) else fiscal.quarter_label(d, start, lang) for d in days
        ]
        df = df.sort_values(["quarter_start", "pair_value", "motion_group"], na_position="last")
        return df.reset_index(drop=True)
    # the other dimensions have no quarter: no empty column for a page's data table to show
    return df.drop(columns="quarter_start")
