"""Funnel health: the lifecycle funnel and the stages between lead and won deal, one function
per chart, each split pull against push.

The page lays these out in eight tabs; present mode, the meeting pack and ``flywheel export``
draw the same functions (only ``lifecycle`` is in the page's preset pack). A view's keyword
arguments are the page's in-tab controls; their defaults are what the pack (or the page, when
the pack does not show the chart) draws first. Besides charts, a few functions return what the
page lays out around them: the data checks (``trust``), the figures over a tab's charts
(``Card`` lists) and the stuck-deal table.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import pandas as pd
import plotly.graph_objects as go

from components.charts import base as charts
from components.charts import funnel as funnel_charts
from planning import data_checks, lead_score
from planning import handoff as handoff_model
from planning import lifecycle as lifecycle_model
from planning import unit_economics as ue
from queries import data_checks as checks_q
from queries import funnel, metrics
from queries.filters import Filters
from queries.workspace import Workspace
from views.registry import view
from views.spec import ChartSpec, Context

PAGE = "funnel"
ENGINES = ("pull", "push")
COHORT_MONTHS = 12  # rows of the cohort heatmap: a year of monthly lead cohorts
SPLIT_TOP = 12  # split values drawn, the largest by leads (the caption says how many)
BREACH_OWNERS = 15  # owners drawn in the SLA breaches chart, most breaches first


@dataclass(frozen=True)
class Card:
    """One figure over a tab's charts: a label, the value ("—" when it has no input), a help
    text and the line under it."""

    label: str
    value: str
    help: str | None = None
    caption: str | None = None


# -- shared helpers ----------------------------------------------------------------------------
def mql(ctx: Context) -> handoff_model.MqlDefinition:
    """The workspace's saved MQL definition: every view of the page counts MQLs by it."""
    return handoff_model.mql_definition(ctx.settings)


def sla_hours(ctx: Context) -> float:
    return handoff_model.sla_hours(ctx.settings)


def short(ctx: Context, value: float | None) -> str:
    """A threshold or an hour count as typed: 24, 2.5, 0.35 (no trailing zeros); "—" if none."""
    if value is None or pd.isna(value):
        return ctx.fmt.number(None)
    if float(value).is_integer():
        return ctx.fmt.number(value)
    # two decimals at most, without trailing zeros (in the locale's decimal mark)
    return ctx.fmt.number(value, digits=2).rstrip("0").rstrip(".,")


def rule_text(ctx: Context, definition: handoff_model.MqlDefinition) -> str:
    """An MQL definition in words, with its threshold when it uses the score."""
    if definition.rule == "recorded":
        return ctx.t("funnel.mql_rule.recorded")
    return ctx.t(f"funnel.mql_rule.{definition.rule}") + f" (≥ {short(ctx, definition.threshold)})"


def mql_text(ctx: Context) -> str:
    """The saved MQL definition in words, with its threshold when it uses the score."""
    return rule_text(ctx, mql(ctx))


def definitions(ctx: Context) -> str:
    """'MQL: … · SLA: … h', the definitions every tab counts by (shown under the page title)."""
    return (
        ctx.t("funnel.mql_now", rule=mql_text(ctx))
        + " · "
        + ctx.t("funnel.sla_now", hours=short(ctx, sla_hours(ctx)))
    )


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    """The table behind a chart with readable column names (for export and present mode)."""
    return df.rename(columns=lambda c: str(c).replace("_", " ").capitalize())


def _engines(df: pd.DataFrame, column: str = "motion") -> pd.DataFrame:
    """Pull and push rows only: the charts compare the two engines (unmapped rows stay in the
    data behind the lifecycle funnel, and the page header counts them)."""
    return df[df[column].isin(ENGINES)] if not df.empty else df


def compare(
    ctx: Context,
    values: Mapping[str, float] | pd.Series,
    key: str,
    format_value: Callable[[float], str] | None = None,
) -> str:
    """'Pull … 2.1× push' from a per-motion value where bigger is better; "" when either engine
    has no value (or a non-positive one: no ratio to state)."""
    format_value = format_value or (lambda v: ctx.fmt.pct(v, digits=1))
    pull, push = values.get("pull"), values.get("push")
    if pull is None or push is None or pd.isna(pull) or pd.isna(push) or min(pull, push) <= 0:
        return ""
    if data_checks.leaders(pd.Series({"pull": pull, "push": push})) == "level":
        # no engine is ahead: say they are level rather than crown one at 1.0×
        return ctx.t(
            f"{key}_level",
            pull=ctx.motion_labels["pull"],
            push=ctx.motion_labels["push"],
            value=format_value(pull),
        )
    better, worse = ("pull", "push") if pull >= push else ("push", "pull")
    labels = ctx.motion_labels
    return ctx.t(
        key,
        better=labels[better],
        worse=labels[worse],
        better_value=format_value(values[better]),
        worse_value=format_value(values[worse]),
        ratio=ctx.fmt.number(values[better] / values[worse], digits=1),
    )


def _spec(key: str, title: str, fig, data: pd.DataFrame, caption: str, takeaway: str = ""):
    return ChartSpec(f"{PAGE}.{key}", PAGE, title, fig, data, caption, takeaway)


def _stage_counts(ctx: Context, mode: str, split: str) -> pd.DataFrame:
    """The stage counts of the cohort or the period view. ``split`` only widens the query with
    the split rows, so the funnel, the monthly and the split chart share one cached result."""
    query = funnel.cohort_stage_counts if mode == "cohort" else funnel.period_stage_counts
    return ctx.ask(query, ctx.filters, mql(ctx), split)


def _check_mode(mode: str) -> None:
    if mode not in ("cohort", "period"):
        raise ValueError(f"unknown funnel view {mode!r}; expected 'cohort' or 'period'")


# -- data checks ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Trust:
    """The data-check badges: ``state`` 'empty' (no leads or deals), 'ok' or 'warnings'."""

    state: str
    badges: list[str]
    caption: str


def trust(ctx: Context, *, split: str = "none") -> Trust:
    """Can these figures be trusted: a badge per warning the data checks raise."""
    # two cached halves: leads have no product, so one lead result serves every product filter
    checks = data_checks.combine_trust(
        ctx.ask(funnel.lead_trust, replace(ctx.filters, products=()), split),
        ctx.ask(funnel.deal_trust, ctx.filters, split),
    )
    warnings = data_checks.trust_warnings(checks, mql=mql(ctx))
    labels = ctx.motion_labels
    badges = []
    for w in warnings:
        detail = w.detail
        if w.code == "never_timestamped":
            detail = ctx.t(f"funnel.field.{w.detail}")
        elif w.code == "thin_motion":
            detail = labels.get(w.detail, w.detail)
        badges.append(
            ctx.t(
                f"funnel.trust.{w.code}",
                share=ctx.fmt.pct(w.share, digits=0),
                count=ctx.fmt.number(w.count),
                detail=detail,
                minimum=data_checks.MIN_CLOSED_DEALS,
            )
        )
    balance = ctx.ask(checks_q.deal_balance, ctx.filters)
    for w in data_checks.deal_caveats(balance):
        if w.code != "thin_closed" or not any(x.code == "thin_motion" for x in warnings):
            badges.append(_caveat_text(ctx, w, badge=True))
    for w in data_checks.outlier_warnings(_outliers(ctx)):
        badges.append(_caveat_text(ctx, w, badge=True))
    state = "empty" if checks.empty else ("warnings" if badges else "ok")
    if state != "warnings":
        badges = [ctx.t(f"funnel.trust.{state}")]
    caption = ctx.t("funnel.trust.caption", minimum=data_checks.MIN_CLOSED_DEALS)
    caption += " " + ctx.t(
        "funnel.trust.caption_balance", multiple=ctx.fmt.number(data_checks.OUTLIER_MULTIPLE)
    )
    return Trust(state, badges, caption)


def _outliers(ctx: Context) -> pd.DataFrame:
    return ctx.ask(checks_q.deal_outliers, ctx.filters, data_checks.OUTLIER_MULTIPLE)


def _caveat_text(ctx: Context, w: data_checks.TrustWarning, *, badge: bool = False) -> str:
    """One caveat in words: a badge of the data checks, or a sentence after a takeaway."""
    if w.code.startswith("outlier_"):
        one = w.count == 1
        stem = "outlier_left_out" if w.code.endswith("_left_out") else "outlier"
        key = f"funnel.caveat.{stem}_{'one' if one else 'many'}"
        if badge:
            key = f"funnel.trust.{w.code}" + ("" if one else "_many")
        return ctx.t(
            key,
            amount=ctx.fmt.money(float(w.detail)),
            times=ctx.fmt.number(w.share, digits=0),
            count=ctx.fmt.number(w.count),
            multiple=ctx.fmt.number(data_checks.OUTLIER_MULTIPLE),
        )
    area = "trust" if badge else "caveat"
    return ctx.t(
        f"funnel.{area}.{w.code}",
        count=ctx.fmt.number(w.count),
        minimum=data_checks.MIN_CLOSED_DEALS,
        total=ctx.fmt.number(int(w.detail)) if w.detail.isdigit() else "",
    )


def caveat(ctx: Context, metric: str, *, by_segment: bool = False) -> str:
    """The caveats a figure of ``metric`` carries on this period's data, as sentences to put
    after its takeaway ("" when none): no lost deals (win rate), fewer than 30 closed deals
    (win rate, velocity, deal size, cycle, LTV), one segment only (when ``by_segment``: the
    figure compares segments), a won deal above 20× the median amount (revenue, deal size,
    LTV, velocity; "left out" when the workspace leaves outliers out), and won deals with an
    amount of 0 (revenue, deal size, LTV). Market and 4P put the same sentences on their
    takeaways."""
    parts = []
    for w in data_checks.deal_caveats(ctx.ask(checks_q.deal_balance, ctx.filters)):
        applies = (
            by_segment if w.code == "one_segment" else metric in data_checks.CAVEAT_METRICS[w.code]
        )
        if applies:
            parts.append(_caveat_text(ctx, w))
    if metric in data_checks.CAVEAT_METRICS["outlier"]:
        for w in data_checks.outlier_warnings(_outliers(ctx)):
            if w.code.startswith("outlier_won"):
                parts.append(_caveat_text(ctx, w))
    if metric in data_checks.CAVEAT_METRICS["zero_amount"]:
        zero = data_checks.zero_amount_warning(
            ctx.ask(checks_q.zero_amount_balance, ctx.filters),
            zero_is_missing=checks_q.is_on(ctx.settings, checks_q.ZERO_IS_MISSING),
        )
        if zero is not None:
            parts.append(_caveat_text(ctx, zero))
    return " ".join(parts)


def with_caveat(ctx: Context, takeaway: str, metric: str, *, by_segment: bool = False) -> str:
    """``takeaway`` followed by the caveats of ``metric`` (the caveats alone without one)."""
    note = caveat(ctx, metric, by_segment=by_segment)
    if not note:
        return takeaway
    if takeaway and takeaway[-1] not in ".!?。！？":
        takeaway += "。" if ctx.lang == "zh" else "."
    return " ".join(p for p in (takeaway, note) if p)


# -- 1. lifecycle funnel -----------------------------------------------------------------------
@view(PAGE, "lifecycle")
def lifecycle(ctx: Context, *, mode: str = "period", split: str = "none") -> ChartSpec:
    """Leads → MQL → SQL → opportunity → won, pull beside push. ``mode`` 'period' (the pack's
    view: what reached each stage in the period) or 'cohort' (the page's first view: of the
    period's leads, how many ever reached each stage)."""
    _check_mode(mode)
    key = "funnel.lifecycle"
    title = ctx.t(f"funnel.chart_{mode}_title")
    # the counts depend on the saved MQL definition: the caption says which it is
    caption = ctx.t(f"funnel.caption_{mode}")
    caption += " " + ctx.t("funnel.caption_mql", rule=mql_text(ctx))
    df = lifecycle_model.summarise_stages(_stage_counts(ctx, mode, split))
    shown = _engines(df)
    if shown.empty:
        return ctx.empty(key, title, caption)
    labels = ctx.motion_labels
    stage_labels = {s: ctx.t(f"funnel.stage.{s}") for s in lifecycle_model.STAGES}
    fig = funnel_charts.lifecycle_funnel(
        shown,
        title=title,
        stage_labels=stage_labels,
        motion_labels=labels,
        step_label=ctx.t("funnel.of_previous"),
        format_pct=lambda v: ctx.fmt.pct(v, digits=0),
        format_count=ctx.fmt.number,
    )
    won = shown[shown["stage"] == "won"].set_index("motion")["share_of_first"]
    if mode == "cohort":  # the share of a cohort's leads that won: "turns X of its leads into wins"
        takeaway = compare(ctx, won, "funnel.takeaway_funnel")
    else:  # wins and leads of one period are not the same people (it can pass 100%): say so
        pull, push = float(won.get("pull", math.nan)), float(won.get("push", math.nan))
        ratio = pull / push if push and not (math.isnan(pull) or math.isnan(push)) else math.nan
        # without a ratio (an engine with no leads or no wins) the sentence states no "—×"
        ratio_ok = math.isfinite(ratio) and ratio > 0
        no_leads = math.isnan(pull) and math.isnan(push)
        takeaway = (
            ctx.t("funnel.takeaway_period_no_leads")
            if no_leads
            else ctx.t(
                "funnel.takeaway_period" if ratio_ok else "funnel.takeaway_period_no_ratio",
                pull=ctx.fmt.pct(pull, digits=1),
                push=ctx.fmt.pct(push, digits=1),
                ratio=ctx.fmt.number(ratio, digits=1),
            )
        )
    data = pd.DataFrame(
        {
            ctx.t("funnel.col.motion"): df["motion"].map(lambda m: labels.get(m, m)),
            ctx.t("funnel.col.stage"): df["stage"].map(lambda s: stage_labels.get(s, s)),
            ctx.t("funnel.col.reached"): df["count_reached"].astype(int),
            ctx.t("funnel.col.step"): df["step_conversion"].astype(float),
            ctx.t("funnel.col.of_first"): df["share_of_first"].astype(float),
        }
    )
    return ChartSpec(key, PAGE, title, fig, data, caption, takeaway)


@view(PAGE, "monthly", pack=False)
def monthly_conversion(ctx: Context, *, mode: str = "cohort", split: str = "none") -> ChartSpec:
    """Lead → won by month: by lead cohort (maturing cohorts shaded) or by period."""
    _check_mode(mode)
    counts = _stage_counts(ctx, mode, split)
    monthly = _engines(lifecycle_model.monthly_conversion(counts, mode=mode))
    title = ctx.t(f"funnel.monthly_{mode}_title")
    maturing = lifecycle_model.maturing_from(counts) if mode == "cohort" else None
    caption = ctx.t(f"funnel.monthly_{mode}_caption")
    if maturing is not None:  # a maturity measured from this period's won leads, never assumed
        caption += " " + ctx.t(
            "funnel.maturing_caption",
            days=ctx.fmt.number(counts["maturity_days"].dropna().iloc[0]),
            month=ctx.fmt.date(maturing),
        )
    if monthly.empty:
        return ctx.empty("funnel.monthly", title, caption)
    fig = funnel_charts.monthly_conversion(
        monthly,
        title=title,
        motion_labels=ctx.motion_labels,
        y_title=ctx.t("funnel.monthly_axis_y"),
        x_title=ctx.t(f"funnel.monthly_{mode}_axis_x"),
        maturing_from=maturing,
        maturing_label=ctx.t("funnel.maturing"),
    )
    return _spec("monthly", title, fig, _readable(monthly), caption)


def split_conversion(counts: pd.DataFrame, blank: str) -> pd.DataFrame:
    """Lead → won per split value and engine, from the stage counts' 'split' rows; a missing
    value is named ``blank``."""
    if counts.empty:
        return pd.DataFrame()
    df = counts[
        (counts["grain"] == "split")
        & counts["motion"].isin(ENGINES)
        & counts["stage"].isin(["lead", "won"])
    ]
    df = df.assign(split_value=df["split_value"].fillna(blank))
    wide = df.pivot_table(
        index=["split_value", "motion"], columns="stage", values="count_reached", aggfunc="sum"
    ).reindex(columns=["lead", "won"])
    wide = wide.fillna(0).reset_index()
    wide = wide.rename(columns={"lead": "count_leads", "won": "count_won"})
    wide["conversion"] = wide["count_won"] / wide["count_leads"].where(wide["count_leads"] > 0)
    return wide


@view(PAGE, "by_split", pack=False)
def conversion_by_split(ctx: Context, *, split: str = "source", mode: str = "cohort") -> ChartSpec:
    """Lead → won per value of ``split`` (source, segment, region, owner), pull vs push."""
    _check_mode(mode)
    title = ctx.t("funnel.split_title", split=ctx.t(f"funnel.split.{split}"))
    caption = ctx.t(f"funnel.split_caption_{mode}", top=SPLIT_TOP)
    by_split = split_conversion(_stage_counts(ctx, mode, split), ctx.t("funnel.split_blank"))
    if by_split.empty:
        return ctx.empty("funnel.by_split", title, caption)
    fig = funnel_charts.conversion_by_split(
        by_split,
        title=title,
        motion_labels=ctx.motion_labels,
        x_title=ctx.t("funnel.monthly_axis_y"),
        top=SPLIT_TOP,
    )
    return _spec("by_split", title, fig, _readable(by_split), caption)


# -- 2. the handoff --------------------------------------------------------------------------------
def _once_per_run(ctx: Context, func: Callable, *args):
    """``ctx.once``, and kept on the context too: the app's cache hands out a fresh copy of a
    result on every call, which a tab's several readers need not pay for."""
    return ctx.per_run(("run", func, args), lambda: ctx.once(func, *args))


def handoff_tables(
    ws: Workspace, filters: Filters, sla: float, definition: handoff_model.MqlDefinition
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(the handoff detail, its per-engine summary indexed by motion)."""
    detail = funnel.handoff_detail(ws, filters, sla, definition)
    summary = _engines(handoff_model.handoff_summary(detail)).set_index("motion")
    return detail, summary


def _handoff(ctx: Context) -> tuple[pd.DataFrame, pd.DataFrame]:
    # through the app's cache: the tab's cards and four charts each read both, and the summary
    # costs more than the cached query behind it at 5M leads (~8,000 owners' rows)
    return _once_per_run(ctx, handoff_tables, ctx.filters, sla_hours(ctx), mql(ctx))


def no_first_touch(summary: pd.DataFrame) -> bool:
    """MQLs but not one first-touch date among them (normal in CRM exports): the SLA has no
    input, so no share within it, no response time and no breach can be measured."""
    return (
        not summary.empty
        and summary["count_mqls"].sum() > 0
        and (summary["count_touched"].sum() == 0)
    )


def _handoff_reason(ctx: Context, summary: pd.DataFrame) -> str:
    """Why a handoff chart is empty: no MQL in the period, or no first-touch date."""
    return ctx.t("funnel.no_first_touch" if not summary.empty else "funnel.no_mqls")


def handoff_cards(ctx: Context) -> list[Card]:
    """Per engine: the share of MQLs touched within the SLA, and the won rate within it ("—"
    with the reason when no MQL has a first-touch date)."""
    _, summary = _handoff(ctx)
    hours = short(ctx, sla_hours(ctx))
    cards = []
    untimed = no_first_touch(summary)
    for motion in summary.index:
        row = summary.loc[motion]
        label = ctx.motion_labels[motion]
        if untimed:
            reason = ctx.t("funnel.no_first_touch")
            count = ctx.t("funnel.sla_mqls", count=ctx.fmt.number(row["count_mqls"]))
            none = ctx.fmt.number(None)
            cards.append(
                Card(ctx.t("funnel.sla_share", motion=label, hours=hours), none, reason, count)
            )
            cards.append(Card(ctx.t("funnel.won_within", motion=label), none, reason, reason))
            continue
        untouched = row["count_mqls"] - row["count_touched"]
        cards.append(
            Card(
                ctx.t("funnel.sla_share", motion=label, hours=hours),
                ctx.fmt.pct(row["share_within_sla"], digits=1),
                ctx.t("funnel.sla_share_help"),
                ctx.t(
                    "funnel.sla_detail",
                    count=ctx.fmt.number(row["count_mqls"]),
                    median=ctx.fmt.number(row["median_hours"], digits=1),
                    untouched=ctx.fmt.number(untouched),
                ),
            )
        )
        cards.append(
            Card(
                ctx.t("funnel.won_within", motion=label),
                ctx.fmt.pct(row["won_rate_within"], digits=1),
                ctx.t("funnel.won_within_help"),
                ctx.t(
                    "funnel.won_outside_delta",
                    value=ctx.fmt.pct(row["won_rate_outside"], digits=1),
                ),
            )
        )
    return cards


@view(PAGE, "handoff", pack=False)
def response_curve(ctx: Context) -> ChartSpec:
    """The share of MQLs first touched within X hours, with the SLA line."""
    detail, summary = _handoff(ctx)
    hours = sla_hours(ctx)
    title = ctx.t("funnel.handoff_title")
    caption = ctx.t("funnel.handoff_caption")
    if no_first_touch(summary) or summary.empty:
        return ctx.empty("funnel.handoff", title, caption, _handoff_reason(ctx, summary))
    curve = _engines(handoff_model.response_curve(detail))
    if curve.empty:
        return ctx.empty("funnel.handoff", title, caption)
    fig = funnel_charts.response_curve(
        curve,
        title=title,
        motion_labels=ctx.motion_labels,
        sla_hours=float(hours),
        sla_label=ctx.t("funnel.sla_line", hours=short(ctx, hours)),
        x_title=ctx.t("funnel.handoff_axis_x"),
        y_title=ctx.t("funnel.handoff_axis_y"),
        sla_shares=summary["share_within_sla"].to_dict(),
        format_pct=ctx.fmt.pct,
    )
    takeaway = compare(ctx, summary["share_within_sla"], "funnel.takeaway_sla")
    return _spec("handoff", title, fig, _readable(curve), caption, takeaway)


@view(PAGE, "distribution", pack=False)
def response_distribution(ctx: Context) -> ChartSpec:
    """MQLs by response-time band (and never touched), as a share of each engine's MQLs."""
    detail, summary = _handoff(ctx)
    title = ctx.t("funnel.distribution_title")
    caption = ctx.t("funnel.distribution_caption")
    if no_first_touch(summary) or summary.empty:
        return ctx.empty("funnel.distribution", title, caption, _handoff_reason(ctx, summary))
    dist = _engines(handoff_model.response_distribution(detail))
    if dist.empty:
        return ctx.empty("funnel.distribution", title, caption)
    fig = funnel_charts.motion_category_bars(
        dist,
        category="band",
        value="share",
        title=title,
        motion_labels=ctx.motion_labels,
        category_labels={b: ctx.t(f"funnel.band.{b}") for b in dist["band"].unique()},
        value_title=ctx.t("funnel.distribution_axis_y"),
        category_title=ctx.t("funnel.handoff_axis_x"),
        count_column="count_mqls",
    )
    return _spec("distribution", title, fig, _readable(dist), caption)


@view(PAGE, "breaches", pack=False)
def breaches_by_owner(ctx: Context) -> ChartSpec:
    """MQLs handled late or never, by the lead's owner (the 15 with most breaches)."""
    detail, summary = _handoff(ctx)
    title = ctx.t("funnel.breaches_title", hours=short(ctx, sla_hours(ctx)))
    caption = ctx.t("funnel.breaches_caption", top=BREACH_OWNERS)
    if no_first_touch(summary) or summary.empty:
        return ctx.empty("funnel.breaches", title, caption, _handoff_reason(ctx, summary))
    owners = _engines(handoff_model.breaches_by_owner(detail, top=BREACH_OWNERS))
    if owners.empty:
        return ctx.empty("funnel.breaches", title, caption)
    fig = funnel_charts.motion_category_bars(
        owners.assign(owner=owners["owner"].replace("", ctx.t("funnel.no_owner"))),
        category="owner",
        value="count_breaches",
        title=title,
        motion_labels=ctx.motion_labels,
        value_title=ctx.t("funnel.breaches_axis"),
        percent=False,
        horizontal=True,
        stacked=True,
        height=max(360, 80 + 28 * owners["owner"].nunique()),
    )
    return _spec("breaches", title, fig, _readable(owners), caption)


@view(PAGE, "won_sla", pack=False)
def won_by_sla(ctx: Context) -> ChartSpec:
    """The won rate of MQLs handled within the SLA against those handled later or never."""
    _, summary = _handoff(ctx)
    hours = short(ctx, sla_hours(ctx))
    title = ctx.t("funnel.won_sla_title", hours=hours)
    caption = ctx.t("funnel.won_sla_caption")
    if no_first_touch(summary) or summary.empty:
        return ctx.empty("funnel.won_sla", title, caption, _handoff_reason(ctx, summary))
    if summary.empty:
        return ctx.empty("funnel.won_sla", title, caption)
    rates = summary.reset_index().melt(
        id_vars="motion",
        value_vars=["won_rate_within", "won_rate_outside"],
        var_name="handled",
        value_name="won_rate",
    )
    fig = funnel_charts.motion_category_bars(
        rates,
        category="handled",
        value="won_rate",
        title=title,
        motion_labels=ctx.motion_labels,
        category_labels={
            "won_rate_within": ctx.t("funnel.within", hours=hours),
            "won_rate_outside": ctx.t("funnel.outside", hours=hours),
        },
        value_title=ctx.t("funnel.won_rate_axis"),
    )
    return _spec("won_sla", title, fig, _readable(rates), caption)


# -- 2b. the MQL definition compared -------------------------------------------------------------
def mql_versions(ctx: Context) -> pd.DataFrame:
    """The saved MQL definitions, newest first (version, rule, threshold, saved_at, saved_by)."""
    return ctx.ask(funnel.mql_versions)


def rule_name(ctx: Context, definition: handoff_model.MqlDefinition) -> str:
    """An MQL definition named in a few words, for a sentence: 'Score ≥ 70', 'CRM MQL date'."""
    return ctx.t(
        f"funnel.compare.rule.{definition.rule}", threshold=short(ctx, definition.threshold)
    )


def version_label(ctx: Context, row: Mapping[str, object]) -> str:
    """'Version 2 (Score ≥ 70, saved 7 Dec 2026)'."""
    threshold = row["threshold"]
    definition = handoff_model.MqlDefinition(
        str(row["rule"]), None if pd.isna(threshold) else float(threshold)
    )
    return ctx.t(
        "funnel.compare.version",
        version=int(row["version"]),
        date=ctx.fmt.date(pd.Timestamp(row["saved_at"]).date()),
        rule=rule_name(ctx, definition),
    )


def _other_definition(
    ctx: Context, version: int | None, rule: str | None, threshold: float | None
) -> tuple[handoff_model.MqlDefinition | None, str]:
    """The definition compared with the saved one, and its name; (None, the reason) when there
    is none. A candidate (``rule``) wins over ``version``; without either, the newest saved
    version that differs from the current definition."""
    current = mql(ctx)
    if rule is not None:
        values = {"mql_rule": rule, "mql_threshold": "" if threshold is None else threshold}
        candidate, errors = funnel.candidate_definition(values)
        if candidate is None:
            error = errors[0]
            code = "compare.candidate_invalid" if error.code == "threshold_invalid" else error.code
            return None, ctx.t(f"funnel.{code}", value=error.value)
        return candidate, ctx.t("funnel.compare.candidate", rule=rule_name(ctx, candidate))
    versions = mql_versions(ctx)
    if version is not None:
        chosen = funnel.version_definition(versions, int(version))
        if chosen is None:
            return None, ctx.t("funnel.compare.no_version", version=int(version))
        row = versions[versions["version"] == int(version)].iloc[0]
        return chosen, version_label(ctx, row)
    for _, row in versions.iterrows():
        earlier = funnel.version_definition(versions, int(row["version"]))
        if earlier is not None and earlier.normalised() != current.normalised():
            return earlier, version_label(ctx, row)
    return None, ctx.t("funnel.compare.nothing_to_compare")


def _compared(table: pd.DataFrame) -> pd.DataFrame:
    """Per engine: MQLs, MQL → won rate and median days lead → MQL under both definitions, and
    the change (MQLs relative, the rate in points, days in days)."""
    df = _engines(table).set_index("motion")
    out = pd.DataFrame(index=df.index)
    for side in ("current", "other"):
        mqls = df[f"count_mqls_{side}"].astype("int64")
        out[f"count_mqls_{side}"] = mqls
        out[f"won_rate_{side}"] = df[f"count_won_{side}"] / mqls.where(mqls > 0)
        out[f"median_days_{side}"] = df[f"median_days_{side}"].astype(float)
    now = out["count_mqls_current"]
    out["mql_change"] = (out["count_mqls_other"] - now) / now.where(now > 0)
    out["won_rate_change"] = out["won_rate_other"] - out["won_rate_current"]
    out["median_days_change"] = out["median_days_other"] - out["median_days_current"]
    return out


def _compare_takeaway(ctx: Context, figures: pd.DataFrame, other_name: str) -> str:
    """One sentence from the figures, a clause per engine with MQLs under either definition:
    'MQLs under Score ≥ 70 instead of the current definition: Pull 2,599 instead of 2,807
    (−7.4%), their win rate 12.1% against 10.3%; …'. "" when no engine has any."""
    clauses = []
    for motion in ENGINES:
        if motion not in figures.index:
            continue
        row = figures.loc[motion]
        if row["count_mqls_current"] == 0 and row["count_mqls_other"] == 0:
            continue
        # no "(—)" and no "— against": a clause without its figure is left out
        key = "funnel.compare.clause"
        if row["count_mqls_current"] == 0:
            key += "_none_now"
        elif row["count_mqls_other"] == 0:
            key += "_none_other"
        clauses.append(
            ctx.t(
                key,
                motion=ctx.motion_labels[motion],
                other_count=ctx.fmt.number(row["count_mqls_other"]),
                current_count=ctx.fmt.number(row["count_mqls_current"]),
                change=ctx.fmt.signed_pct(row["mql_change"], digits=1),
                other_rate=ctx.fmt.pct(row["won_rate_other"], digits=1),
                current_rate=ctx.fmt.pct(row["won_rate_current"], digits=1),
            )
        )
    if not clauses:
        return ""
    separator = "；" if ctx.lang == "zh" else "; "
    return ctx.t("funnel.compare.takeaway", other=other_name, clauses=separator.join(clauses))


@view(PAGE, "mql_compare", pack=False)
def mql_comparison(
    ctx: Context,
    *,
    version: int | None = None,
    rule: str | None = None,
    threshold: float | None = None,
) -> ChartSpec:
    """The saved MQL definition against another over the same period and filters: an earlier
    saved ``version``, or a candidate typed but not saved (``rule`` with its ``threshold``),
    by default the newest earlier version that differs. Per engine: MQLs, MQL → won rate (won:
    the lead has a won deal) and median days from lead creation to MQL, both definitions side
    by side with the change."""
    key = "funnel.mql_compare"
    current = mql(ctx)
    title = ctx.t("funnel.compare.title")
    caption = ctx.t("funnel.compare.caption", current=rule_text(ctx, current))
    other, other_name = _other_definition(ctx, version, rule, threshold)
    if other is None:
        return ctx.empty(key, title, caption, other_name)
    if other.normalised() == current.normalised():
        return ctx.empty(key, title, caption, ctx.t("funnel.compare.same", other=other_name))
    table = ctx.ask(funnel.compare_definitions, ctx.filters, current, other)
    figures = _compared(table)
    if figures.empty:
        return ctx.empty(key, title, caption, ctx.t("funnel.compare.no_leads"))
    if (current.uses_score or other.uses_score) and table["count_scored"].sum() == 0:
        return ctx.empty(key, title, caption, ctx.t("funnel.compare.no_scores"))
    if figures[["count_mqls_current", "count_mqls_other"]].to_numpy().sum() == 0:
        return ctx.empty(key, title, caption, ctx.t("funnel.compare.no_mqls"))
    names = {"current": ctx.t("funnel.compare.current", rule=rule_name(ctx, current))}
    names["other"] = other_name
    bars = pd.DataFrame(
        [
            {
                "motion": m,
                "definition": side,
                "count_mqls": int(figures.loc[m, f"count_mqls_{side}"]),
            }
            for side in ("current", "other")
            for m in figures.index
        ]
    )
    fig = funnel_charts.motion_category_bars(
        bars,
        category="definition",
        value="count_mqls",
        title=title,
        motion_labels=ctx.motion_labels,
        category_labels=names,
        value_title=ctx.t("funnel.compare.axis"),
        percent=False,
    )
    takeaway = _compare_takeaway(ctx, figures, other_name)
    col = {c: ctx.t(f"funnel.compare.col.{c}") for c in figures.columns}
    data = figures.rename(columns=col)
    data.insert(0, ctx.t("funnel.col.motion"), [ctx.motion_labels[m] for m in figures.index])
    return ChartSpec(key, PAGE, title, fig, data.reset_index(drop=True), caption, takeaway)


# -- 3. lead-score threshold -------------------------------------------------------------------
@dataclass(frozen=True)
class ScoreRange:
    """The threshold slider: bin edges from ``low`` to ``high`` in steps of ``width``, starting
    at the saved MQL threshold (else the best one), snapped to an edge."""

    low: float
    high: float
    width: float
    start: float


def score_range(ctx: Context) -> ScoreRange | None:
    """The range of the period's lead scores; None when no lead has a score to tune."""
    bounds = ctx.ask(funnel.lead_score_bounds, ctx.filters)
    if bounds["count_scored"] == 0:
        return None
    width = lead_score.score_bin_width(bounds["min_score"], bounds["max_score"])
    low = math.floor(bounds["min_score"] / width) * width
    high = math.floor(bounds["max_score"] / width) * width
    if high <= low:
        return None
    saved = mql(ctx).threshold
    start = saved if saved is not None else _best(ctx, width)["overall"]
    start = min(max(round((start or low) / width) * width, low), high)
    return ScoreRange(float(low), float(high), float(width), float(start))


@dataclass(frozen=True)
class ScoreTables:
    """The period's score bins, the threshold table over them and the best threshold per motion
    group: what every threshold's cards and charts read, computed once per filters and width."""

    bins: pd.DataFrame
    table: pd.DataFrame
    best: dict[str, float | None]


def score_tables(ws: Workspace, filters: Filters, width: float) -> ScoreTables:
    bins = funnel.lead_score_bins(ws, filters, width)
    table = lead_score.threshold_table(bins)
    best = {m: lead_score.best_threshold(table, m) for m in ("overall", *ENGINES)}
    return ScoreTables(bins, table, best)


def _scored(ctx: Context, width: float) -> ScoreTables:
    # through the app's cache: moving the threshold slider reads these again, and building the
    # table costs more than the cached query behind it (~70 ms at 5M leads, once per view)
    return _once_per_run(ctx, score_tables, ctx.filters, width)


def _bins(ctx: Context, width: float) -> pd.DataFrame:
    return _scored(ctx, width).bins


def _best(ctx: Context, width: float) -> dict[str, float | None]:
    return _scored(ctx, width).best


def _threshold(ctx: Context, threshold: float | None) -> tuple[ScoreRange | None, float]:
    scores = score_range(ctx)
    if scores is None:
        return None, math.nan
    return scores, scores.start if threshold is None else float(threshold)


def score_cards(ctx: Context, *, threshold: float | None = None) -> list[Card]:
    """Overall, pull and push: leads at or above the threshold, and the won share above and
    below it."""
    scores, at = _threshold(ctx, threshold)
    if scores is None:
        return []
    rows = lead_score.at_threshold(_bins(ctx, scores.width), at).set_index("motion")
    best = _best(ctx, scores.width)
    cards = []
    for motion in ("overall", *ENGINES):
        if motion not in rows.index:
            continue
        row = rows.loc[motion]
        caption = ctx.t(
            "funnel.tuner_detail",
            above=ctx.fmt.pct(row["won_share_above"], digits=1),
            below=ctx.fmt.pct(row["won_share_below"], digits=1),
            best=short(ctx, best[motion]),
        )
        cards.append(
            Card(
                ctx.t("funnel.qualify", motion=ctx.motion_labels[motion]),
                ctx.fmt.number(row["count_above"]),
                ctx.t("funnel.qualify_help"),
                caption,
            )
        )
    return cards


@view(PAGE, "tuner", pack=False)
def threshold_tuner(ctx: Context, *, threshold: float | None = None) -> ChartSpec:
    """The won share of leads above and below each threshold, the best one starred;
    ``threshold`` None = the saved MQL threshold (else the best)."""
    title = ctx.t("funnel.tuner_title")
    caption = ctx.t("funnel.tuner_caption")
    scores, at = _threshold(ctx, threshold)
    if scores is None:
        return ctx.empty("funnel.tuner", title, caption, ctx.t("funnel.no_scores"))
    table, best = _scored(ctx, scores.width).table, _best(ctx, scores.width)
    shown = _engines(table)
    if shown.empty:
        return ctx.empty("funnel.tuner", title, caption, ctx.t("funnel.no_scores"))
    fig = funnel_charts.threshold_tuner(
        shown,
        title=title,
        motion_labels=ctx.motion_labels,
        threshold=at,
        best=best,
        above_label=ctx.t("funnel.above"),
        below_label=ctx.t("funnel.below"),
        best_label=ctx.t("funnel.best"),
        threshold_label=ctx.t("funnel.threshold_line", value=short(ctx, at)),
        x_title=ctx.t("funnel.score_axis"),
        y_title=ctx.t("funnel.won_share_axis"),
    )
    takeaway = ""
    if best["overall"] is not None:
        takeaway = ctx.t("funnel.takeaway_tuner", best=short(ctx, best["overall"]))
    return _spec("tuner", title, fig, _readable(table), caption, takeaway)


@view(PAGE, "qualified", pack=False)
def qualified_by_month(ctx: Context, *, threshold: float | None = None) -> ChartSpec:
    """Leads each month at or above the threshold: the MQL volume sales would receive."""
    scores, at = _threshold(ctx, threshold)
    title = ctx.t("funnel.qualified_title", value=short(ctx, at))
    caption = ctx.t("funnel.qualified_caption")
    if scores is None:
        return ctx.empty("funnel.qualified", title, caption, ctx.t("funnel.no_scores"))
    monthly = _engines(lead_score.qualifying_by_month(_bins(ctx, scores.width), at))
    if monthly.empty:
        return ctx.empty("funnel.qualified", title, caption)
    fig = charts.motion_time_series(
        monthly,
        x="month",
        y="count_qualified",
        title=title,
        y_title=ctx.t("funnel.qualified_axis"),
        motion_labels=ctx.motion_labels,
    )
    return _spec("qualified", title, fig, _readable(monthly), caption)


# -- 4. cohorts ----------------------------------------------------------------------------------
@view(PAGE, "cohorts", pack=False)
def cohort_heatmap(ctx: Context, *, motion: str = "pull") -> ChartSpec:
    """The share of each monthly lead cohort won by months since creation, for one engine."""
    title = ctx.t("funnel.cohort_title", motion=ctx.motion_labels[motion])
    caption = ctx.t("funnel.cohort_caption")
    df = ctx.ask(funnel.lead_cohort_wins, ctx.filters, COHORT_MONTHS)
    if df.empty or not (df["motion"] == motion).any():
        return ctx.empty("funnel.cohorts", title, caption)
    fig = funnel_charts.cohort_heatmap(
        df,
        title=title,
        motion=motion,
        x_title=ctx.t("funnel.cohort_axis_x"),
        y_title=ctx.t("funnel.cohort_axis_y"),
        colorbar_title=ctx.t("funnel.cohort_colorbar"),
    )
    return _spec("cohorts", title, fig, _readable(df[df["motion"] == motion]), caption)


# -- 5. velocity and leakage ---------------------------------------------------------------------
@view(PAGE, "velocity", pack=False)
def stage_velocity(ctx: Context) -> ChartSpec:
    """Median and 80th-percentile days per stage step."""
    title = ctx.t("funnel.velocity_title")
    caption = ctx.t("funnel.velocity_caption")
    df = _engines(ctx.ask(funnel.stage_velocity, ctx.filters, mql(ctx)))
    if df.empty:
        return ctx.empty("funnel.velocity", title, caption)
    fig = funnel_charts.stage_velocity(
        df,
        title=title,
        step_labels={s: ctx.t(f"funnel.step.{s}") for s in lifecycle_model.STEPS},
        motion_labels=ctx.motion_labels,
        median_label=ctx.t("funnel.median"),
        p80_label=ctx.t("funnel.p80"),
        x_title=ctx.t("funnel.velocity_axis"),
    )
    return _spec("velocity", title, fig, _readable(df), caption)


@view(PAGE, "leakage", pack=False)
def leakage(ctx: Context) -> ChartSpec:
    """Where the period's leads stop: the share whose furthest stage is each one."""
    title = ctx.t("funnel.leakage_title")
    caption = ctx.t("funnel.leakage_caption")
    counts = ctx.ask(funnel.cohort_stage_counts, ctx.filters, mql(ctx), "none")
    leak = _engines(lifecycle_model.leakage(lifecycle_model.summarise_stages(counts)))
    if leak.empty:
        return ctx.empty("funnel.leakage", title, caption)
    fig = funnel_charts.motion_category_bars(
        leak,
        category="stage",
        value="share_of_leads",
        title=title,
        motion_labels=ctx.motion_labels,
        category_labels={s: ctx.t(f"funnel.stopped.{s}") for s in lifecycle_model.STAGES},
        value_title=ctx.t("funnel.leakage_axis"),
        count_column="count_stopped",
    )
    return _spec("leakage", title, fig, _readable(leak), caption)


@view(PAGE, "lost", pack=False)
def lost_reasons(ctx: Context) -> ChartSpec:
    """Why deals are lost, as a share of each engine's lost deals (most common first)."""
    title = ctx.t("funnel.lost_title")
    caption = ctx.t("funnel.lost_caption")
    lost = _engines(ctx.ask(funnel.lost_reasons, ctx.filters))
    if lost.empty:
        return ctx.empty("funnel.lost", title, caption)
    lost = lost.assign(
        lost_reason=lost["lost_reason"].replace("", ctx.t("funnel.no_reason")),
        share=lost["count_lost"] / lost.groupby("motion")["count_lost"].transform("sum"),
    )
    order = lost.groupby("lost_reason")["count_lost"].sum().sort_values(ascending=False)
    lost = lost.set_index("lost_reason").loc[order.index].reset_index()
    fig = funnel_charts.motion_category_bars(
        lost,
        category="lost_reason",
        value="share",
        title=title,
        motion_labels=ctx.motion_labels,
        value_title=ctx.t("funnel.lost_axis"),
        horizontal=True,
        count_column="count_lost",
        height=max(360, 90 + 40 * order.size),
    )
    return _spec("lost", title, fig, _readable(lost), caption)


# -- 6. stuck deals ------------------------------------------------------------------------------
@dataclass(frozen=True)
class StuckDeals:
    """The stuck open deals as a readable table, a count and amount per engine, the caption,
    and the number format (printf style) of each numeric column of the table."""

    table: pd.DataFrame
    cards: list[Card]
    caption: str
    formats: dict[str, str]


def stuck_deals(ctx: Context, *, multiple: float = 2.0) -> StuckDeals:
    """Open deals older than ``multiple`` × the median age of the open deals in their stage."""
    df = ctx.ask(funnel.stuck_deals, ctx.filters, multiple)
    caption = ctx.t("funnel.stuck_caption", multiple=ctx.fmt.number(multiple, digits=2))
    if df.empty:
        return StuckDeals(pd.DataFrame(), [], caption, {})
    labels = ctx.motion_labels
    cards = []
    for motion in ENGINES:
        part = df[df["motion"] == motion]
        # stuck deals none of which has an amount: "—", not a measured 0
        priced = part["amount"].notna().any() or part.empty
        amount = part["amount"].sum() if priced else None
        cards.append(
            Card(
                ctx.t("funnel.stuck_count", motion=labels[motion]),
                ctx.fmt.number(len(part)),
                caption=ctx.t("funnel.stuck_amount", amount=ctx.fmt.money(amount)),
            )
        )
    table = pd.DataFrame(
        {
            ctx.t("funnel.col.deal"): df["name"].fillna(df["deal_id"]),
            ctx.t("funnel.col.account"): df["account"],
            ctx.t("funnel.col.owner"): df["owner"],
            ctx.t("funnel.col.stage"): df["stage"],
            ctx.t("funnel.col.motion"): df["motion"].map(labels),
            ctx.t("funnel.col.amount"): df["amount"],
            ctx.t("funnel.col.age"): df["age_days"].round(0),
            ctx.t("funnel.col.stage_median"): df["stage_median_days"].round(0),
            ctx.t("funnel.col.ratio"): df["age_ratio"].round(1),
        }
    )
    formats = {
        ctx.t("funnel.col.amount"): f"{ctx.fmt.currency_symbol}%,.0f",
        ctx.t("funnel.col.age"): "%d",
        ctx.t("funnel.col.stage_median"): "%d",
        ctx.t("funnel.col.ratio"): "%.1f×",
    }
    return StuckDeals(table, cards, caption, formats)


# -- 7. pipeline and win -------------------------------------------------------------------------
def velocity_cards(ctx: Context) -> list[Card]:
    """Pipeline velocity per engine (money per day, the headline metric)."""
    head = ctx.ask(metrics.headline, ctx.filters)
    return [
        Card(
            ctx.t("funnel.velocity_kpi", motion=ctx.motion_labels[m]),
            ctx.fmt.money(head.loc[m, "pipeline_velocity"]),
            ctx.t("kpi.pipeline_velocity.help"),
            # the caveats of a figure shown, none under a "—"
            (caveat(ctx, "pipeline_velocity") or None)
            if pd.notna(head.loc[m, "pipeline_velocity"])
            else None,
        )
        for m in ENGINES
    ]


@view(PAGE, "pipeline", pack=False)
def open_pipeline(ctx: Context) -> ChartSpec:
    """The amount of the deals open now, by their current stage."""
    title = ctx.t("funnel.pipeline_title", currency=ctx.fmt.currency)
    caption = ctx.t("funnel.pipeline_caption")
    stages = _engines(ctx.ask(funnel.open_deals_by_stage, ctx.filters))
    if stages.empty:
        return ctx.empty("funnel.pipeline", title, caption)
    n_open, n_amount = int(stages["count_open"].sum()), int(stages["count_with_amount"].sum())
    if n_amount == 0:  # open deals without amounts: the pipeline is unknown, not $0
        reason = ctx.t("funnel.pipeline_no_amounts", count=ctx.fmt.number(n_open))
        return ctx.empty("funnel.pipeline", title, caption, reason)
    if n_amount < n_open:
        caption += " " + ctx.t(
            "funnel.pipeline_some_amounts",
            missing=ctx.fmt.number(n_open - n_amount),
            count=ctx.fmt.number(n_open),
        )
    fig = funnel_charts.motion_category_bars(
        stages,
        category="stage",
        value="open_amount",
        title=title,
        motion_labels=ctx.motion_labels,
        value_title=ctx.t("funnel.pipeline_axis", currency=ctx.fmt.currency),
        percent=False,
        value_prefix=ctx.fmt.currency_symbol,
        count_column="count_open",
    )
    # an open deal above 20× the median open amount drives the open pipeline: say so
    outliers = data_checks.outlier_warnings(_outliers(ctx))
    takeaway = " ".join(_caveat_text(ctx, w) for w in outliers if w.code == "outlier_open")
    return _spec("pipeline", title, fig, _readable(stages), caption, takeaway)


def _quarterly(ctx: Context, value: str, title: str, tickformat: str, prefix: str) -> ChartSpec:
    """One deal metric by closing quarter, pull vs push (the headline definitions)."""
    caption = ctx.t(f"kpi.{value}.help")
    quarters = ctx.ask(metrics.deal_metrics_by, ctx.filters, "closed_quarter", lang=ctx.lang)
    quarters = quarters.rename(columns={"dimension_value": "quarter"})
    quarters = quarters[quarters["quarter"].notna()]
    if quarters.empty:
        return ctx.empty(f"funnel.q_{value}", title, caption)
    fig = funnel_charts.quarterly_lines(
        quarters,
        value=value,
        title=title,
        motion_labels=ctx.motion_labels,
        y_title=ctx.t(f"kpi.{value}"),
        tickformat=tickformat,
        tickprefix=prefix,
    )
    data = _readable(quarters[["quarter", "motion_group", value]])
    return _spec(f"q_{value}", title, fig, data, caption, caveat(ctx, value))


@view(PAGE, "q_win_rate", pack=False)
def quarterly_win_rate(ctx: Context) -> ChartSpec:
    return _quarterly(ctx, "win_rate", ctx.t("funnel.q_win_title"), ".0%", "")


@view(PAGE, "q_avg_deal_size", pack=False)
def quarterly_deal_size(ctx: Context) -> ChartSpec:
    title = ctx.t("funnel.q_size_title", currency=ctx.fmt.currency)
    return _quarterly(ctx, "avg_deal_size", title, "~s", ctx.fmt.currency_symbol)


@view(PAGE, "q_sales_cycle_days", pack=False)
def quarterly_cycle(ctx: Context) -> ChartSpec:
    return _quarterly(ctx, "sales_cycle_days", ctx.t("funnel.q_cycle_title"), "", "")


# -- 8. unit economics ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Assumptions:
    """The saved unit-economics assumptions, as fractions."""

    margin: float
    churn: float
    pull_share: float


def assumptions(ctx: Context) -> Assumptions:
    margin, churn = ue.assumptions(ctx.settings)
    return Assumptions(margin, churn, ctx.ask(metrics.pull_share_of_sales))


def assumptions_text(ctx: Context) -> str:
    a = assumptions(ctx)
    return ctx.t(
        "funnel.assumptions_now",
        margin=ctx.fmt.pct(a.margin, digits=0),
        churn=ctx.fmt.pct(a.churn, digits=0),
        share=ctx.fmt.pct(a.pull_share, digits=0),
    )


def _unit_table(ctx: Context) -> pd.DataFrame:
    """Blended, pull and push unit economics; empty when no customer was won (no CAC). A group
    with no spend charged to it has no CAC, LTV:CAC or payback (NaN, shown "—"), never 0."""
    a = assumptions(ctx)
    table = ue.unit_economics(ctx.ask(metrics.headline, ctx.filters), a.margin, a.churn)
    if table.empty or table["new_customers"].sum() <= 0:
        return pd.DataFrame()
    absent = ~(pd.to_numeric(table["spend"], errors="coerce") > 0)
    table = table.astype({"cac": float, "ltv_to_cac": float, "payback_months": float})
    table.loc[absent, ["cac", "ltv_to_cac", "payback_months"]] = math.nan
    table = table.astype({"ltv_cac_band": object, "payback_band": object})
    table.loc[absent, ["ltv_cac_band", "payback_band"]] = None
    return table


def _no_cac_reason(ctx: Context, table: pd.DataFrame, motion: str | None = None) -> str:
    """Why CAC is "—": no spend at all in the period, or none charged to this group."""
    if table.empty or not (pd.to_numeric(table["spend"], errors="coerce") > 0).any():
        return ctx.t("funnel.no_spend")
    label = ctx.motion_labels.get(motion or "", motion or "")
    return ctx.t("funnel.no_spend_group", motion=label)


def _times(ctx: Context, value: float | None) -> str:
    text = ctx.fmt.number(value, digits=1)
    return text if value is None or pd.isna(value) else f"{text}×"


def unit_cards(ctx: Context) -> list[Card]:
    """CAC per group, with LTV, LTV:CAC, payback and new customers ("—" without input)."""
    cards = []
    table = _unit_table(ctx)
    for row in table.itertuples():
        label = ctx.t("funnel.cac_of", motion=ctx.motion_labels[row.motion])
        if pd.isna(row.cac):  # no spend charged: no CAC, ratio or payback, and the reason why
            caption = ctx.t(
                "funnel.unit_detail_no_cac",
                ltv=ctx.fmt.money(row.ltv),
                customers=ctx.fmt.number(row.new_customers),
                reason=_no_cac_reason(ctx, table, row.motion),
            )
        else:
            caption = ctx.t(
                "funnel.unit_detail",
                ltv=ctx.fmt.money(row.ltv),
                ratio=ctx.fmt.number(row.ltv_to_cac, digits=1),
                payback=ctx.fmt.number(row.payback_months, digits=1),
                customers=ctx.fmt.number(row.new_customers),
            )
        if row.motion == "overall" and pd.notna(row.ltv):  # what distorts the LTV, said once
            caption = " ".join(p for p in (caption, caveat(ctx, "ltv")) if p)
        cards.append(Card(label, ctx.fmt.money(row.cac), caption=caption))
    return cards


def _band_labels(ctx: Context) -> dict[str, str]:
    return {b: ctx.t(f"funnel.band_{b}") for b in ("good", "ok", "poor")}


def _benchmark(
    ctx: Context,
    name: str,
    value: str,
    bands: list[tuple[float, float, str]],
    format_value: Callable[[float], str],
) -> tuple[pd.DataFrame, pd.DataFrame, go.Figure] | ChartSpec:
    """A unit-economics figure (blended, pull, push) against its benchmark bands: the table,
    the rows with a value, and the figure; or the empty spec saying why. An absent value
    draws no bar in any band (an absent payback is not a "good" 0)."""
    title = ctx.t(f"funnel.{name}_title")
    caption = ctx.t(f"funnel.{name}_caption")
    table = _unit_table(ctx)
    if table.empty:
        return ctx.empty(f"funnel.{name}", title, caption)
    shown = table[table[value].notna()]
    if shown.empty:
        return ctx.empty(f"funnel.{name}", title, caption, _no_cac_reason(ctx, table))
    fig = funnel_charts.benchmark_bars(
        shown,
        value=value,
        title=title,
        motion_labels=ctx.motion_labels,
        bands=bands,
        band_labels=_band_labels(ctx),
        value_title=ctx.t(f"funnel.{name}_axis"),
        format_value=format_value,
    )
    return table, shown, fig


@view(PAGE, "ltv_cac", pack=False)
def ltv_to_cac(ctx: Context) -> ChartSpec:
    """LTV:CAC, blended, pull and push, against the 1× and 3× benchmark bands."""
    drawn = _benchmark(
        ctx,
        "ltv_cac",
        "ltv_to_cac",
        [
            (0, ue.LTV_CAC_POOR, "poor"),
            (ue.LTV_CAC_POOR, ue.LTV_CAC_GOOD, "ok"),
            (ue.LTV_CAC_GOOD, math.inf, "good"),
        ],
        lambda v: _times(ctx, v),
    )
    if isinstance(drawn, ChartSpec):
        return drawn
    table, shown, fig = drawn
    ratios = shown.set_index("motion")["ltv_to_cac"]
    takeaway = compare(ctx, ratios, "funnel.takeaway_ltv_cac", lambda v: _times(ctx, v))
    takeaway = with_caveat(ctx, takeaway, "ltv")
    title, caption = ctx.t("funnel.ltv_cac_title"), ctx.t("funnel.ltv_cac_caption")
    return _spec("ltv_cac", title, fig, _readable(table), caption, takeaway)


@view(PAGE, "payback", pack=False)
def payback(ctx: Context) -> ChartSpec:
    """CAC payback in months, blended, pull and push, against the 12- and 24-month bands."""
    drawn = _benchmark(
        ctx,
        "payback",
        "payback_months",
        [
            (0, ue.PAYBACK_GOOD_MONTHS, "good"),
            (ue.PAYBACK_GOOD_MONTHS, ue.PAYBACK_POOR_MONTHS, "ok"),
            (ue.PAYBACK_POOR_MONTHS, math.inf, "poor"),
        ],
        lambda v: ctx.fmt.number(v, digits=1),
    )
    if isinstance(drawn, ChartSpec):
        return drawn
    table, _, fig = drawn
    title, caption = ctx.t("funnel.payback_title"), ctx.t("funnel.payback_caption")
    return _spec("payback", title, fig, _readable(table), caption, caveat(ctx, "ltv"))
