"""Campaign calendar: what runs next, budget pacing and credit by model."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd

from components import (
    campaign_charts,
)
from planning import attribution, campaign_plan
from planning import pacing as pacing_model
from queries import campaigns, period
from views.registry import view
from views.spec import ChartSpec, Context

MAX_PACING_ROWS = 15  # rows a slide shows readably


def _campaign_as_of(ctx: Context) -> date:
    """The page's "to date": today, or the data's last day when the data stop before it."""
    return campaigns.as_of_day(date.today(), ctx.ask(period.data_span)[1])


def next_quarter_window(as_of: date) -> tuple[date, date]:
    """From the first day of ``as_of``'s month to the last day of the calendar quarter after
    ``as_of``'s: what runs now and what is planned through next quarter."""
    start = as_of.replace(day=1)
    _, this_quarter_end = campaigns.zoom_window("quarter", as_of)
    _, next_quarter_end = campaigns.zoom_window("quarter", this_quarter_end + timedelta(days=1))
    return start, next_quarter_end


@view("campaigns", "next_quarter")
def next_quarter(ctx: Context) -> ChartSpec:
    key = "campaigns.next_quarter"
    as_of = _campaign_as_of(ctx)
    view_from, view_to = next_quarter_window(as_of)
    window = replace(ctx.filters, date_from=view_from, date_to=view_to)
    plan = ctx.ask(campaigns.calendar, window, as_of)
    pairs = campaign_plan.overlaps(plan)
    plan = plan.assign(count_overlaps=campaign_plan.overlap_counts(plan, pairs).to_numpy())
    title = ctx.t(
        "pack.campaigns_timeline_title",
        start=ctx.fmt.date(view_from),
        end=ctx.fmt.date(view_to),
        count=len(plan),
    )
    at_today = as_of == date.today()
    caption = (
        ctx.t(
            "pack.campaigns_timeline_window",
            start=ctx.fmt.date(view_from),
            end=ctx.fmt.date(view_to),
            as_of=ctx.fmt.date(as_of),
        )
        + " "
        + ctx.t(
            "campaigns.timeline_caption",
            marker=ctx.t("campaigns.marker_today" if at_today else "campaigns.marker_data"),
            upcoming="",
        )
    )
    if plan.empty:
        return ctx.empty(key, title, caption)
    stage_labels = {s: ctx.t(f"campaigns.stage.{s}") for s in campaigns.JOURNEY_STAGES}
    fig = campaign_charts.campaign_timeline(
        plan,
        title=title,
        group_by="channel",
        color_by="objective",
        stage_labels=stage_labels,
        motion_labels=ctx.motion_labels,
        hover_labels={
            k: ctx.t(f"campaigns.hover.{k}")
            for k in ("budget", "spend", "owner", "segment", "status", "all_segments", "overlaps")
        },
        money=ctx.fmt.money,
        day=ctx.fmt.date,
        today=as_of,
        today_label=(
            ctx.t("campaigns.today")
            if at_today
            else ctx.t("campaigns.data_end", date=ctx.fmt.date(as_of))
        ),
        x_range=(view_from, view_to + timedelta(days=1)),
    )
    busiest = plan.groupby("channel")["budget"].sum().sort_values(ascending=False)
    takeaway = ctx.t(
        "campaigns.timeline_takeaway",
        count=len(plan),
        budget=ctx.money(float(plan["budget"].sum())),
        channel=busiest.index[0],
        share=ctx.fmt.pct(float(busiest.iloc[0] / max(busiest.sum(), 1e-9))),
    )
    cur = ctx.fmt.currency
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.campaign"): plan["name"].astype(str),
            ctx.t("campaigns.col.channel"): plan["channel"].astype(str),
            ctx.t("campaigns.col.stage"): plan["objective"].map(
                lambda s: stage_labels.get(s, s) if isinstance(s, str) else "—"
            ),
            ctx.t("campaigns.field.start_date"): plan["start_date"].dt.date,
            ctx.t("campaigns.field.end_date"): plan["end_date"].dt.date,
            f"{ctx.t('campaigns.field.budget')} ({cur})": plan["budget"].astype(float),
            f"{ctx.t('campaigns.hover.spend')} ({cur})": plan["spend_to_date"].astype(float),
            ctx.t("campaigns.field.status"): plan["status"].map(
                lambda s: ctx.t(f"campaigns.status.{s}") if s in campaign_plan.STATUSES else s
            ),
            ctx.t("campaigns.field.owner"): plan["owner"],
            ctx.t("campaigns.field.segment"): plan["segment"].fillna(
                ctx.t("campaigns.hover.all_segments")
            ),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


@view("campaigns", "pacing")
def pacing(ctx: Context) -> ChartSpec:
    key = "campaigns.pacing"
    cur = ctx.fmt.currency
    as_of = _campaign_as_of(ctx)
    in_period = pacing_model.pace(ctx.ask(campaigns.calendar, ctx.filters, as_of))
    page_caption = ctx.t("campaigns.pacing_caption", date=ctx.fmt.date(as_of))
    # A slide holds about fifteen readable rows: the campaigns a meeting acts on are those
    # still running and those off pace; the others ended on pace (all stay in the data).
    focus = in_period[
        (in_period["share_elapsed"] < 1) | in_period["pace_status"].isin(["over", "under"])
    ].nlargest(MAX_PACING_ROWS, "budget")
    if focus.empty:
        focus = in_period.nlargest(MAX_PACING_ROWS, "budget")
        title = ctx.t("campaigns.pacing_title", currency=cur)
        caption = page_caption
    else:
        title = ctx.t("pack.pacing_title", currency=cur)
        caption = (
            ctx.t(
                "pack.pacing_subset",
                shown=len(focus),
                total=len(in_period),
                date=ctx.fmt.date(as_of),
            )
            + " "
            + page_caption
        )
    if in_period.empty:
        return ctx.empty(key, ctx.t("campaigns.pacing_title", currency=cur), page_caption)
    fig = campaign_charts.budget_pacing(
        focus,
        title=title,
        labels={
            k: ctx.t(f"campaigns.pacing.{k}")
            for k in ("budget", "spend", "planned", "projected", "under")
        }
        | {"over_budget": ctx.t("campaigns.pacing.over")},
        motion_labels=ctx.motion_labels,
        money_prefix=ctx.fmt.currency_symbol,
        value_title=ctx.t("campaigns.pacing_axis") + f" ({cur})",
    )
    variance = float(in_period["projected_variance"].sum())
    takeaway = ctx.t(
        "pack.pacing_takeaway",
        total=len(in_period),
        over=int((in_period["pace_status"] == "over").sum()),
        under=int((in_period["pace_status"] == "under").sum()),
        projected=ctx.money(float(in_period["projected_spend"].sum())),
        budget=ctx.money(float(in_period["budget"].sum())),
        variance=ctx.money(abs(variance)),
        direction=ctx.t("campaigns.over" if variance > 0 else "campaigns.under"),
    )
    shown = in_period.sort_values(["start_date", "campaign_id"])
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.campaign"): shown["name"].astype(str),
            ctx.t("campaigns.col.channel"): shown["channel"].astype(str),
            f"{ctx.t('campaigns.pacing.budget')} ({cur})": shown["budget"].astype(float),
            f"{ctx.t('campaigns.pacing.planned')} ({cur})": shown["planned_to_date"].astype(float),
            f"{ctx.t('campaigns.pacing.spend')} ({cur})": shown["spend_to_date"].astype(float),
            f"{ctx.t('campaigns.pacing.projected')} ({cur})": shown["projected_spend"].astype(
                float
            ),
            ctx.t("campaigns.col.pace"): shown["pace_status"].map(
                lambda s: ctx.t(f"campaigns.pace.{s}")
            ),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


@view("campaigns", "credit_by_model")
def credit_by_model(ctx: Context) -> ChartSpec:
    key = "campaigns.credit_by_model"
    cur = ctx.fmt.currency
    as_of = _campaign_as_of(ctx)
    half_life = attribution.HALF_LIFE_DAYS
    title = ctx.t("campaigns.compare_title", currency=cur)
    caption = ctx.t(
        "campaigns.compare_caption", date=ctx.fmt.date(as_of), half_life=f"{half_life:g}"
    )
    multi = ctx.ask(campaigns.has_touch_paths, as_of)
    allowed = tuple(attribution.MODELS if multi else attribution.SINGLE_TOUCH_MODELS)
    credit = ctx.ask(campaigns.channel_credit, as_of, allowed, half_life)
    if credit.empty or credit["won_amount"].sum() <= 0:
        return ctx.empty(key, title, caption)
    model_labels = {m: ctx.t(f"campaigns.model.{m}") for m in allowed}
    fig = campaign_charts.model_comparison(
        credit,
        title=title,
        model_labels=model_labels,
        channel_motion=ctx.ask(campaigns.channel_motions),
        money_prefix=ctx.fmt.currency_symbol,
        value_title=ctx.t("campaigns.compare_axis", currency=cur),
    )
    grid = credit.pivot_table(index="channel", columns="model", values="won_amount")
    spread = (grid.max(axis=1) - grid.min(axis=1)).sort_values(ascending=False)
    ch = spread.index[0]
    takeaway = ctx.t(
        "campaigns.compare_takeaway",
        channel=ch,
        low=ctx.money(float(grid.loc[ch].min())),
        low_model=model_labels[grid.loc[ch].idxmin()],
        high=ctx.money(float(grid.loc[ch].max())),
        high_model=model_labels[grid.loc[ch].idxmax()],
    )
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.channel"): credit["channel"].astype(str),
            ctx.t("pack.col_model"): credit["model"].map(model_labels),
            ctx.t("campaigns.compare_axis", currency=cur): credit["won_amount"].astype(float),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)
