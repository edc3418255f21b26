"""Campaign calendar: what runs when, budget pacing, results under an attribution model and the
expected pipeline of a planned campaign — one function per chart, called by the page, present
mode, the meeting pack and ``flywheel export`` alike.

The page's controls (rows, colours, zoom; the attribution model; the planned campaign) are
keyword arguments; their defaults draw the meeting pack's slides.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import NamedTuple

import pandas as pd

from components.charts import campaign as campaign_charts
from planning import attribution, campaign_forecast, campaign_plan, fiscal
from planning import pacing as pacing_model
from planning.handoff import mql_definition
from queries import campaigns, period
from queries.filters import Filters
from views import funnel as funnel_views
from views.registry import view
from views.spec import ChartSpec, Context

MAX_PACING_ROWS = 15  # rows a slide shows readably
TOP_CAMPAIGNS = 10
NEXT_QUARTER = "next_quarter"  # the pack's window: this month to the end of next quarter
ZOOMS = (NEXT_QUARTER, *campaign_plan.ZOOMS)
HOVER_KEYS = ("budget", "spend", "owner", "segment", "status", "all_segments", "overlaps")


class Kpi(NamedTuple):
    """One headline figure above a chart: label, value ("—" when its input is absent), help."""

    label: str
    value: str
    help: str | None = None


def as_of(ctx: Context) -> date:
    """The page's "to date": today, or the data's last day when the data stop before it."""
    return campaign_plan.as_of_day(date.today(), ctx.ask(period.data_span)[1])


def next_quarter_window(as_of: date, fiscal_start_month: int = 1) -> tuple[date, date]:
    """From the first day of ``as_of``'s month to the last day of the (fiscal) quarter after
    ``as_of``'s: what runs now and what is planned through next quarter."""
    start = as_of.replace(day=1)
    _, this_end = campaign_plan.zoom_window("quarter", as_of, fiscal_start_month)
    _, next_end = campaign_plan.zoom_window(
        "quarter", this_end + timedelta(days=1), fiscal_start_month
    )
    return start, next_end


def _stage_labels(ctx: Context) -> dict[str, str]:
    return {s: ctx.t(f"campaigns.stage.{s}") for s in campaign_plan.OBJECTIVES}


def stage_label(ctx: Context, stage: object) -> str:
    """A journey stage in the reader's language; "—" when the campaign names none."""
    if stage is None or (not isinstance(stage, str) and pd.isna(stage)):
        return "—"
    return _stage_labels(ctx).get(str(stage), str(stage))


def _status(ctx: Context, status: object) -> str:
    return ctx.t(f"campaigns.status.{status}") if status in campaign_plan.STATUSES else str(status)


# == the calendar =================================================================================
@dataclass(frozen=True)
class Window:
    """The days the timeline lists and the sentence saying which they are."""

    filters: Filters  # the sidebar's filters with the window's days
    as_of: date
    zoom: str
    extends_period: bool  # the window runs past the sidebar's period (upcoming campaigns)


def window(
    ctx: Context, *, zoom: str = NEXT_QUARTER, anchor: date | None = None, upcoming: bool = True
) -> Window:
    """The calendar's window: the pack's next-quarter view, the sidebar's period (plus six
    months of upcoming campaigns when ``upcoming``), or the year, quarter or month holding
    ``anchor`` (default: the as-of day)."""
    day = as_of(ctx)
    fiscal_start = fiscal.start_month(ctx.settings)  # quarters and years follow the setting
    if zoom == NEXT_QUARTER:
        start, end = next_quarter_window(day, fiscal_start)
    elif zoom == "all":
        f = ctx.filters
        start, end = campaign_plan.calendar_window(f.date_from, f.date_to, day, upcoming=upcoming)
    else:
        start, end = campaign_plan.zoom_window(zoom, anchor or day, fiscal_start)
    extends = zoom == "all" and end > ctx.filters.date_to
    return Window(replace(ctx.filters, date_from=start, date_to=end), day, zoom, extends)


def no_campaigns_reason(ctx: Context) -> str | None:
    """Why every campaign view is empty when the workspace holds no campaign at all (none
    imported, none created): the missing input and where to add it; None when it holds one."""
    if ctx.ask(campaigns.campaign_count) > 0:
        return None
    return ctx.t(
        "campaigns.none_imported",
        data=ctx.t("nav.data"),
        importer=ctx.t("wizard.header"),
        kind=ctx.t("wizard.kind.campaigns"),
        edit=ctx.t("campaigns.tab.edit"),
    )


def _empty(
    ctx: Context, key: str, title: str, caption: str, reason: str | None = None
) -> ChartSpec:
    """``ctx.empty``, saying that no campaign exists when that is why the view is empty."""
    return ctx.empty(key, title, caption, no_campaigns_reason(ctx) or reason)


def _plan(ctx: Context, w: Window) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The campaigns of the window with their count of overlaps, and the overlapping pairs;
    once per context (the timeline and the overlaps table of one rerun both ask)."""

    def make() -> tuple[pd.DataFrame, pd.DataFrame]:
        plan = ctx.ask(campaigns.calendar, w.filters, w.as_of)
        pairs = campaign_plan.overlaps(plan)
        plan = plan.assign(count_overlaps=campaign_plan.overlap_counts(plan, pairs).to_numpy())
        return plan, pairs

    return ctx.per_run(("plan", w.filters, w.as_of), make)


@view("campaigns", "next_quarter")
def timeline(
    ctx: Context,
    *,
    group_by: str = "channel",
    color_by: str = "objective",
    zoom: str = NEXT_QUARTER,
    anchor: date | None = None,
    upcoming: bool = True,
) -> ChartSpec:
    """Campaigns on a timeline, one row per channel (or journey stage). The title names the
    rows and the days on the axis; the takeaway counts the campaigns and their budget."""
    key = "campaigns.next_quarter"
    w = window(ctx, zoom=zoom, anchor=anchor, upcoming=upcoming)
    plan, _ = _plan(ctx, w)
    start, end = w.filters.date_from, w.filters.date_to
    if zoom == "all":  # an "all time" period is clipped to the campaigns it holds
        axis = campaign_plan.axis_range(start, end, w.as_of, plan)
    else:
        axis = (start, end + timedelta(days=1))
    title = ctx.t(
        f"campaigns.timeline_title_{group_by}",
        start=ctx.fmt.date(axis[0]),
        end=ctx.fmt.date(axis[1] - timedelta(days=1)),
    )
    at_today = w.as_of == date.today()
    window_text = ctx.t(
        "campaigns.window." + ("next_quarter" if zoom == NEXT_QUARTER else "days"),
        start=ctx.fmt.date(start),
        end=ctx.fmt.date(end),
        as_of=ctx.fmt.date(w.as_of),
    )
    caption = (
        window_text
        + " "
        + ctx.t(
            "campaigns.timeline_caption",
            marker=ctx.t("campaigns.marker_today" if at_today else "campaigns.marker_data"),
            upcoming=(
                ctx.t("campaigns.timeline_upcoming", date=ctx.fmt.date(end))
                if w.extends_period
                else ""
            ),
        )
    )
    if plan.empty:
        return _empty(ctx, key, title, caption)
    fig = campaign_charts.campaign_timeline(
        plan,
        title=title,
        group_by=group_by,
        color_by=color_by,
        stage_labels=_stage_labels(ctx),
        motion_labels=ctx.motion_labels,
        hover_labels={k: ctx.t(f"campaigns.hover.{k}") for k in HOVER_KEYS},
        money=ctx.fmt.money,
        day=ctx.fmt.date,
        span=ctx.fmt.date_range,
        today=w.as_of,
        today_label=(
            ctx.t("campaigns.today")
            if at_today
            else ctx.t("campaigns.data_end", date=ctx.fmt.date(w.as_of))
        ),
        x_range=axis,
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
            ctx.t("campaigns.col.stage"): plan["objective"].map(lambda s: stage_label(ctx, s)),
            ctx.t("campaigns.field.start_date"): plan["start_date"].dt.date,
            ctx.t("campaigns.field.end_date"): plan["end_date"].dt.date,
            f"{ctx.t('campaigns.field.budget')} ({cur})": plan["budget"].astype(float),
            f"{ctx.t('campaigns.hover.spend')} ({cur})": plan["spend_to_date"].astype(float),
            ctx.t("campaigns.field.status"): plan["status"].map(lambda s: _status(ctx, s)),
            ctx.t("campaigns.field.owner"): plan["owner"],
            ctx.t("campaigns.field.segment"): plan["segment"].fillna(
                ctx.t("campaigns.hover.all_segments")
            ),
            ctx.t("campaigns.col.count_overlaps"): plan["count_overlaps"].astype(int),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


def overlaps(
    ctx: Context, *, zoom: str = NEXT_QUARTER, anchor: date | None = None, upcoming: bool = True
) -> pd.DataFrame:
    """The pairs of campaigns of the window aimed at the same segment and journey stage on a
    common day (``campaign_plan.overlaps``), stage and segment in the reader's words."""
    _, pairs = _plan(ctx, window(ctx, zoom=zoom, anchor=anchor, upcoming=upcoming))
    return pairs.assign(
        objective=pairs["objective"].map(lambda s: stage_label(ctx, s)),
        segment=pairs["segment"].map(
            lambda s: ctx.t("campaigns.hover.all_segments") if pd.isna(s) else str(s)
        ),
    )


@view("campaigns", "coverage", pack=False)
def coverage(
    ctx: Context, *, zoom: str = NEXT_QUARTER, anchor: date | None = None, upcoming: bool = True
) -> ChartSpec:
    """Campaigns running per quarter and journey stage over the calendar's window: a 0 is a
    stage of the customer journey nobody pursued that quarter."""
    key = "campaigns.coverage"
    title = ctx.t("campaigns.coverage_title")
    caption = ctx.t("campaigns.coverage_caption")
    w = window(ctx, zoom=zoom, anchor=anchor, upcoming=upcoming)
    grid = ctx.ask(campaigns.journey_coverage, w.filters, lang=ctx.lang)
    if grid.empty or not grid["count_campaigns"].any():  # all gaps is no calendar, not a finding
        return _empty(ctx, key, title, caption, ctx.t("campaigns.no_campaigns"))
    fig = campaign_charts.journey_coverage(
        grid,
        title=title,
        stage_labels=_stage_labels(ctx),
        colorbar_title=ctx.t("campaigns.coverage_colorbar"),
    )
    n_quarters = grid["quarter_start"].nunique()
    gaps = grid[grid["count_campaigns"] == 0]
    if gaps.empty:
        takeaway = ctx.t("campaigns.coverage_takeaway_none", quarters=n_quarters)
    else:
        worst = gaps.groupby("objective").size().sort_values(ascending=False)
        takeaway = ctx.t(
            "campaigns.coverage_takeaway",
            gaps=len(gaps),
            stage=stage_label(ctx, worst.index[0]),
            missing=int(worst.iloc[0]),
            quarters=n_quarters,
        )
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.quarter"): grid["quarter_label"],
            ctx.t("campaigns.col.stage"): grid["objective"].map(lambda s: stage_label(ctx, s)),
            ctx.t("campaigns.coverage_colorbar"): grid["count_campaigns"].astype(int),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


# == budget pacing ================================================================================
def _paced(ctx: Context) -> tuple[pd.DataFrame, date]:
    day = as_of(ctx)
    return pacing_model.pace(ctx.ask(campaigns.calendar, ctx.filters, day)), day


def pacing_kpis(ctx: Context) -> list[Kpi]:
    """Budget, spend to date, projected end spend and the pace flags of the period's campaigns
    ("—" when no campaign runs in the period: a sum over nothing is not a measured zero)."""
    paced, _ = _paced(ctx)

    def total(col: str) -> str:
        return "—" if paced.empty else ctx.money(float(paced[col].sum()))

    flags = (
        "—"
        if paced.empty
        else ctx.t(
            "campaigns.kpi.flags_value",
            over=int((paced["pace_status"] == "over").sum()),
            under=int((paced["pace_status"] == "under").sum()),
        )
    )
    return [
        Kpi(ctx.t("campaigns.kpi.budget"), total("budget"), ctx.t("campaigns.kpi.budget.help")),
        Kpi(
            ctx.t("campaigns.kpi.spend"), total("spend_to_date"), ctx.t("campaigns.kpi.spend.help")
        ),
        Kpi(
            ctx.t("campaigns.kpi.projected"),
            total("projected_spend"),
            ctx.t("campaigns.kpi.projected.help"),
        ),
        Kpi(
            ctx.t("campaigns.kpi.flags"),
            flags,
            ctx.t("campaigns.kpi.flags.help", **_pace_bounds(ctx)),
        ),
    ]


def _pace_bounds(ctx: Context) -> dict[str, str]:
    """The pacing rule's thresholds as the captions state them: over above budget × (1 +
    tolerance), under below budget × (1 − tolerance)."""
    tol = pacing_model.TOLERANCE
    return {"over": ctx.fmt.pct(tol, digits=0), "under": ctx.fmt.pct(1 - tol, digits=0)}


@view("campaigns", "pacing")
def pacing(ctx: Context, *, rows: int | None = MAX_PACING_ROWS) -> ChartSpec:
    """Budget against spend to date per campaign of the period. ``rows``: at most that many
    campaigns drawn — those still running or off pace, largest budgets first (a slide holds
    about fifteen readable rows); None draws every campaign. The title says which are drawn;
    the takeaway always adds up every campaign of the period (all are in the data)."""
    key = "campaigns.pacing"
    cur = ctx.fmt.currency
    paced, day = _paced(ctx)
    caption = ctx.t("campaigns.pacing_caption", date=ctx.fmt.date(day), **_pace_bounds(ctx))
    title = ctx.t("campaigns.pacing_title", currency=cur)
    if paced.empty:
        return _empty(ctx, key, title, caption)
    shown = paced
    if rows is not None:
        focus = paced[(paced["share_elapsed"] < 1) | paced["pace_status"].isin(["over", "under"])]
        if not focus.empty:
            shown = focus.nlargest(rows, "budget")
            title = ctx.t("campaigns.pacing_title_focus", currency=cur)
            caption = (
                ctx.t(
                    "campaigns.pacing_subset",
                    shown=len(shown),
                    total=len(paced),
                    date=ctx.fmt.date(day),
                )
                + " "
                + caption
            )
        else:  # every campaign ended on pace: the largest budgets
            shown = paced.nlargest(rows, "budget")
    fig = campaign_charts.budget_pacing(
        shown,
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
    variance = float(paced["projected_variance"].sum())
    takeaway = ctx.t(
        "campaigns.pacing_takeaway",
        total=len(paced),
        over=int((paced["pace_status"] == "over").sum()),
        under=int((paced["pace_status"] == "under").sum()),
        projected=ctx.money(float(paced["projected_spend"].sum())),
        budget=ctx.money(float(paced["budget"].sum())),
        variance=ctx.money(abs(variance)),
        direction=ctx.t("campaigns.over" if variance > 0 else "campaigns.under"),
    )
    table = paced.sort_values(["start_date", "campaign_id"])
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.campaign"): table["name"].astype(str),
            ctx.t("campaigns.col.channel"): table["channel"].astype(str),
            f"{ctx.t('campaigns.pacing.budget')} ({cur})": table["budget"].astype(float),
            f"{ctx.t('campaigns.pacing.planned')} ({cur})": table["planned_to_date"].astype(float),
            f"{ctx.t('campaigns.pacing.spend')} ({cur})": table["spend_to_date"].astype(float),
            f"{ctx.t('campaigns.pacing.projected')} ({cur})": table["projected_spend"].astype(
                float
            ),
            ctx.t("campaigns.col.pace"): table["pace_status"].map(
                lambda s: ctx.t(f"campaigns.pace.{s}")
            ),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


def channel_pacing(ctx: Context) -> pd.DataFrame:
    """One row per channel: its campaigns' budget, planned and spent to date, projected end
    spend and flag (``pacing.by_channel``), money rounded to whole units, flag in words."""
    paced, _ = _paced(ctx)
    money = ("budget", "planned_to_date", "spend_to_date", "projected_spend", "projected_variance")
    per_channel = pacing_model.by_channel(paced).round(dict.fromkeys(money, 0))
    return per_channel.assign(
        pace_status=per_channel["pace_status"].map(lambda s: ctx.t(f"campaigns.pace.{s}"))
    )


@view("campaigns", "channel_month", pack=False)
def channel_month(ctx: Context) -> ChartSpec:
    """Campaign spend against the budget planned for each month, one panel per channel."""
    key = "campaigns.channel_month"
    title = ctx.t("campaigns.channel_month_title", currency=ctx.fmt.currency)
    caption = ctx.t("campaigns.channel_month_caption")
    by_month = ctx.ask(campaigns.budget_by_channel_month, ctx.filters)
    if by_month.empty:
        return _empty(ctx, key, title, caption, ctx.t("campaigns.no_campaigns"))
    gap = by_month.groupby("channel")[["spend", "planned_budget"]].sum()
    widest = (gap["spend"] - gap["planned_budget"]).abs().idxmax()
    takeaway = ctx.t(
        "campaigns.channel_month_takeaway",
        channel=widest,
        spend=ctx.money(float(gap.loc[widest, "spend"])),
        planned=ctx.money(float(gap.loc[widest, "planned_budget"])),
    )
    paced, _ = _paced(ctx)
    fig = campaign_charts.channel_month_pacing(
        by_month,
        title=title,
        labels={
            "spend": ctx.t("campaigns.channel_month.spend"),
            "planned": ctx.t("campaigns.channel_month.planned"),
        },
        channel_motion=dict(zip(paced["channel"], paced["motion"], strict=True)),
        money_prefix=ctx.fmt.currency_symbol,
    )
    cur = ctx.fmt.currency
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.channel"): by_month["channel"].astype(str),
            ctx.t("campaigns.col.month"): by_month["month"].dt.strftime("%Y-%m"),
            f"{ctx.t('campaigns.channel_month.planned')} ({cur})": by_month["planned_budget"],
            f"{ctx.t('campaigns.channel_month.spend')} ({cur})": by_month["spend"],
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


# == results under an attribution model ===========================================================
def models(ctx: Context) -> list[str]:
    """The attribution models the workspace's touches support: every model when some lead or
    deal has several touches, else first and last touch only."""
    multi = ctx.ask(campaigns.has_touch_paths, as_of(ctx))
    return list(attribution.MODELS if multi else attribution.SINGLE_TOUCH_MODELS)


def _model_labels(ctx: Context) -> dict[str, str]:
    return {m: ctx.t(f"campaigns.model.{m}") for m in attribution.MODELS}


def _credit(ctx: Context, half_life: float) -> pd.DataFrame:
    # every model's credit in one pass over the touch paths, weighed in SQL and cached: the
    # results table, the top campaigns and the channel comparison all read this one frame
    # MQLs by the saved definition (Funnel health), passed so the cache keys on it
    mql = mql_definition(ctx.settings)
    return ctx.ask(campaigns.attribution_credit, as_of(ctx), half_life, mql=mql)


def campaign_results(
    ctx: Context, *, model: str = "first_touch", half_life: float = attribution.HALF_LIFE_DAYS
) -> pd.DataFrame:
    """One row per campaign of the period with its results credited under ``model``
    (``planning.attribution.campaign_results``), best first. Computed once per context: the
    results table and the top campaigns chart of one rerun both show it."""

    def make() -> pd.DataFrame:
        day = as_of(ctx)
        return attribution.campaign_results(
            ctx.ask(campaigns.calendar, ctx.filters, day),
            _credit(ctx, half_life),
            ctx.ask(campaigns.campaign_spend, day),
            model,
        )

    # keyed on the filters too: a context replaced with other filters shares the memo
    return ctx.per_run(("campaign_results", ctx.filters, model, half_life), make)


def results_caption(ctx: Context, *, model: str = "first_touch") -> str:
    """The results table's caption: the model, the as-of day and the MQL definition the MQL
    counts use (the saved one, as on Funnel health)."""
    return ctx.t(
        "campaigns.results_caption",
        date=ctx.fmt.date(as_of(ctx)),
        model=_model_labels(ctx)[model],
        rule=funnel_views.mql_text(ctx),
    )


@view("campaigns", "top_campaigns", pack=False)
def top_campaigns(
    ctx: Context, *, model: str = "first_touch", half_life: float = attribution.HALF_LIFE_DAYS
) -> ChartSpec:
    """The ten campaigns that won the most under ``model``, beside what each spent."""
    key = "campaigns.top_campaigns"
    cur = ctx.fmt.currency
    label = _model_labels(ctx)[model]
    title = ctx.t("campaigns.top_title", n=TOP_CAMPAIGNS, currency=cur, model=label)
    caption = ctx.t("campaigns.top_caption", date=ctx.fmt.date(as_of(ctx)), model=label)
    results = campaign_results(ctx, model=model, half_life=half_life)
    if results.empty or not (results["won_amount"] > 0).any():
        return _empty(ctx, key, title, caption, ctx.t("campaigns.no_wins"))
    fig = campaign_charts.top_campaigns(
        results,
        title=title,
        labels={"won": ctx.t("campaigns.top.won"), "spend": ctx.t("campaigns.top.spend")},
        motion_labels=ctx.motion_labels,
        top=TOP_CAMPAIGNS,
        money_prefix=ctx.fmt.currency_symbol,
        value_title=ctx.t("campaigns.pacing_axis") + f" ({cur})",
    )
    best = results.iloc[0]
    takeaway = ctx.t(
        "campaigns.top_takeaway",
        name=best["name"],
        won=ctx.money(float(best["won_amount"])),
        model=label,
    )
    top = results[results["won_amount"] > 0].head(TOP_CAMPAIGNS)
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.campaign"): top["name"].astype(str),
            ctx.t("campaigns.col.channel"): top["channel"].astype(str),
            ctx.t("campaigns.col.won_amount", currency=cur): top["won_amount"],
            ctx.t("campaigns.col.spend", currency=cur): top["spend"],
            ctx.t("campaigns.col.roi"): top["roi"],
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


@view("campaigns", "credit_by_model")
def credit_by_model(ctx: Context, *, half_life: float = attribution.HALF_LIFE_DAYS) -> ChartSpec:
    """Won revenue credited to each channel under every model the touches support: where a
    channel's bars differ widely, the choice of model decides its budget."""
    key = "campaigns.credit_by_model"
    cur = ctx.fmt.currency
    title = ctx.t("campaigns.compare_title", currency=cur)
    caption = ctx.t(
        "campaigns.compare_caption", date=ctx.fmt.date(as_of(ctx)), half_life=f"{half_life:g}"
    )
    allowed = models(ctx)
    credit = attribution.credit_by_channel(_credit(ctx, half_life), allowed)
    if credit.empty or credit["won_amount"].sum() <= 0:
        return ctx.empty(key, title, caption)
    labels = {m: _model_labels(ctx)[m] for m in allowed}
    fig = campaign_charts.model_comparison(
        credit,
        title=title,
        model_labels=labels,
        channel_motion=ctx.ask(campaigns.channel_motions),
        money_prefix=ctx.fmt.currency_symbol,
        value_title=ctx.t("campaigns.compare_axis", currency=cur),
    )
    grid = credit.pivot_table(index="channel", columns="model", values="won_amount")
    spread = (grid.max(axis=1) - grid.min(axis=1)).sort_values(ascending=False)
    ch = spread.index[0]
    low, high = ctx.money(float(grid.loc[ch].min())), ctx.money(float(grid.loc[ch].max()))
    # when even the widest spread shows as one figure (one model per touch, or paths of one
    # touch), "X under A against X under B" would be no finding: say that the models agree
    takeaway = (
        ctx.t("campaigns.compare_takeaway_same")
        if low == high
        else ctx.t(
            "campaigns.compare_takeaway",
            channel=ch,
            low=low,
            low_model=labels[grid.loc[ch].idxmin()],
            high=high,
            high_model=labels[grid.loc[ch].idxmax()],
        )
    )
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.channel"): credit["channel"].astype(str),
            ctx.t("campaigns.col.model"): credit["model"].map(labels),
            ctx.t("campaigns.compare_axis", currency=cur): credit["won_amount"].astype(float),
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)


# == expected pipeline of a planned campaign ======================================================
def planned_campaigns(ctx: Context) -> pd.DataFrame:
    """The campaigns starting after the as-of day (indexed by campaign id), in plan order."""
    rows = ctx.ask(campaigns.plan_rows)
    later = rows[pd.to_datetime(rows["start_date"]).dt.date > as_of(ctx)]
    return later.set_index("campaign_id")


@dataclass(frozen=True)
class Forecast:
    name: str
    channel: str
    budget: float
    count_history: int  # past campaigns of the channel learnt from
    expected: pd.DataFrame  # campaign_forecast.expected_pipeline (empty without history)


def _forecast(ctx: Context, campaign_id: str | None, budget: float | None) -> Forecast | None:
    planned = planned_campaigns(ctx)
    if planned.empty:
        return None
    chosen = planned.loc[campaign_id if campaign_id in planned.index else planned.index[0]]
    budget = float(chosen["budget"] or 0.0) if budget is None else float(budget)
    day = as_of(ctx)
    history, outcomes = ctx.ask(campaigns.forecast_history, day)
    channel = str(chosen["channel"])
    same = history[history["channel"] == channel]
    profile = campaign_forecast.per_spend_profile(same, outcomes, as_of=day)
    expected = campaign_forecast.expected_pipeline(
        profile, budget=budget, start=chosen["start_date"]
    )
    if same.empty:
        expected = expected.iloc[0:0]
    return Forecast(str(chosen["name"]), channel, budget, len(same), expected)


def forecast_kpis(
    ctx: Context, *, campaign_id: str | None = None, budget: float | None = None
) -> list[Kpi]:
    """Expected pipeline and won revenue over the months shown and won revenue per unit of
    budget ("—" without a budget); none without history to learn from."""
    fc = _forecast(ctx, campaign_id, budget)
    if fc is None or fc.expected.empty:
        return []
    months = len(fc.expected)
    won = float(fc.expected["expected_won"].sum())
    return [
        Kpi(
            ctx.t("campaigns.forecast_kpi.pipeline", months=months),
            ctx.money(float(fc.expected["expected_pipeline"].sum())),
        ),
        Kpi(ctx.t("campaigns.forecast_kpi.won", months=months), ctx.money(won)),
        Kpi(
            ctx.t("campaigns.forecast_kpi.return"),
            f"{won / fc.budget:.1f}×" if fc.budget > 0 else "—",
            ctx.t("campaigns.forecast_kpi.return_help"),
        ),
    ]


@view("campaigns", "forecast", pack=False)
def forecast(
    ctx: Context, *, campaign_id: str | None = None, budget: float | None = None
) -> ChartSpec:
    """What a planned campaign should bring per month, learnt from the past campaigns of its
    channel per unit of spend. Defaults: the first planned campaign, at its planned budget."""
    key = "campaigns.forecast"
    cur = ctx.fmt.currency
    day = as_of(ctx)
    fc = _forecast(ctx, campaign_id, budget)
    if fc is None:
        title = ctx.t("campaigns.forecast_title_none", currency=cur)
        reason = no_campaigns_reason(ctx) or ctx.t(
            "campaigns.forecast_none", date=ctx.fmt.date(day)
        )
        return ctx.empty(key, title, reason, reason)
    title = ctx.t("campaigns.forecast_title", name=fc.name, currency=cur)
    lags = ctx.ask(campaigns.channel_lags, day).set_index("channel")
    caption = ctx.t(
        "campaigns.forecast_caption",
        channel=fc.channel,
        count=fc.count_history,
        date=ctx.fmt.date(day),
    )
    if fc.channel in lags.index:
        caption += " " + ctx.t(
            "campaigns.forecast_lags",
            channel=fc.channel,
            lead=ctx.fmt.days(lags.loc[fc.channel, "days_to_lead"]),
            deal=ctx.fmt.days(lags.loc[fc.channel, "days_to_deal"]),
            won=ctx.fmt.days(lags.loc[fc.channel, "days_to_won"]),
        )
    if fc.expected.empty:
        reason = ctx.t("campaigns.forecast_no_history", channel=fc.channel)
        return ctx.empty(key, title, caption, reason)
    expected = fc.expected
    fig = campaign_charts.expected_pipeline(
        expected,
        title=title,
        labels={
            k: ctx.t(f"campaigns.forecast.{k}")
            for k in ("pipeline", "cumulative_pipeline", "cumulative_won")
        },
        motion=ctx.ask(campaigns.channel_motions).get(fc.channel, "unmapped"),
        money_prefix=ctx.fmt.currency_symbol,
        value_title=ctx.t("campaigns.pacing_axis") + f" ({cur})",
    )
    peak = expected.loc[expected["expected_pipeline"].idxmax(), "month"]
    takeaway = ctx.t(
        "campaigns.forecast_takeaway",
        pipeline=ctx.money(float(expected["expected_pipeline"].sum())),
        won=ctx.money(float(expected["expected_won"].sum())),
        peak=ctx.fmt.month(pd.Timestamp(peak).date()),
        months=len(expected),
    )
    data = pd.DataFrame(
        {
            ctx.t("campaigns.col.month"): expected["month"].dt.strftime("%Y-%m"),
            ctx.t("campaigns.forecast.pipeline") + f" ({cur})": expected["expected_pipeline"],
            ctx.t("campaigns.forecast.won") + f" ({cur})": expected["expected_won"],
            ctx.t("campaigns.forecast.count_campaigns"): expected["count_campaigns"],
        }
    )
    return ChartSpec(key, "campaigns", title, fig, data, caption, takeaway)
