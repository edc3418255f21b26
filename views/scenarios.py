"""Pull vs push & scenarios: the two engines today, and the planner that projects them forward.

One function per chart or figure block. The engines-today charts read the filtered period;
the planner's read the model fitted to the whole workspace (``queries.scenarios.fitted_model``,
kept for the app's process by ``kept``, so one fit serves every session until the data change)
and a ``Scenario`` whose default is today's plan: what the page shows first. A view whose model
cannot be fitted says why instead of drawing.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from components.charts import engines as engines_charts
from components.charts import scenario as scenario_charts
from components.fmt import Formatter
from planning import fiscal, lead_value, optimiser, projection, sensitivity, validation
from planning.handoff import MqlDefinition, mql_definition
from planning.history import TODAY_MONTHS
from planning.model import PlannerModel
from planning.projection import Scenario
from queries import engines, funnel, scenarios
from queries.workspace import Workspace
from views.registry import view
from views.spec import ChartSpec, Context

T = TypeVar("T")

HORIZON_MONTHS = 12  # the value-per-lead curve's default horizon
SHORT_TERM_MONTH = 3  # "this quarter": what a lead has paid back about one quarter on
MAX_COMPARE = 4  # saved scenarios compared at once
COMPARE_QUARTERS = 8  # the comparison's default horizon
PROJECTION_PANELS = ("revenue", "revenue_cum", "leads", "won", "spend", "cac")
CURVE_POINTS = 60
PLAN_QUARTERS = 8  # the horizon of today's plan, the planner's first view
FIT_DRAWS = 30  # the planner's bootstrap refits (its bands)
KEPT_PER_WORKSPACE = 32  # fits, backtests, optimums and comparisons kept per open workspace
OUTLOOKS_KEPT = 32  # projected scenarios kept (a rerun asks for the same one 3-4 times)


# == what the planner computes from the workspace, kept for the app's process ===================
# The fit takes seconds; Streamlit's query cache would hand it out pickled (a copy per ask, and
# a dozen asks per rerun) and drop it whenever any query cache is cleared. It is kept here
# instead, per open workspace object (the app opens each file once per process, so every session
# shares it) and keyed by the workspace's data version and the call's every argument: the first
# visitor after a data change fits, everyone else reads the same object.
_kept: weakref.WeakKeyDictionary[Workspace, OrderedDict[Hashable, Any]] = (
    weakref.WeakKeyDictionary()
)
_kept_lock = threading.Lock()
_building: dict[tuple[int, Hashable], threading.Lock] = {}


class Same:
    """A value a kept call depends on, compared by identity in its key: the kept fit (one
    object per data version and arguments) without hashing its arrays. The key holds the value,
    so its id is not reused while the entry is kept."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Same) and other.value is self.value

    def __hash__(self) -> int:
        return id(self.value)


def kept(ctx: Context, func: Callable[..., T], *args: Hashable, **kwargs: Hashable) -> T:
    """``func(ctx.ws, *args, **kwargs)`` kept for the app's process (see above) when the context
    is the app's (``ctx.call``); outside the app (the pack, the command line, tests) once per
    context, as ``ctx.once``. Two sessions asking at once wait for one computation."""
    if ctx.call is None:
        return ctx.once(func, *args, **kwargs)
    ws = ctx.ws
    key = (ws.data_version(), func, args, tuple(sorted(kwargs.items())))
    with _kept_lock:
        found = _kept.setdefault(ws, OrderedDict())
        if key in found:
            found.move_to_end(key)
            return found[key]
        building = _building.setdefault((id(ws), key), threading.Lock())
    try:
        with building:
            with _kept_lock:
                if key in found:  # another session computed it while this one waited
                    return found[key]
            value = func(ws, *args, **kwargs)
            with _kept_lock:
                # what an older data version computed is never asked for again: let it go
                for old in [k for k in found if k[0] != key[0]]:
                    del found[old]
                found[key] = value
                while len(found) > KEPT_PER_WORKSPACE:
                    found.popitem(last=False)
            return value
    finally:
        with _kept_lock:
            _building.pop((id(ws), key), None)


def _page_key(chart: str) -> str:
    return f"scenarios.{chart}"


def _times(fmt: Formatter, x: float) -> str:
    return f"{fmt.number(x, digits=0 if float(x).is_integer() else 1)}×"


def planner_figures(fmt: Formatter) -> dict[str, str]:
    """The planner's fixed windows and settings as its sentences state them, from the code
    constants (today's window, the summary's year, the tornado's step, the optimiser's bounds,
    the backtest's fit): every planner string takes what it names from here."""
    step = sensitivity.STEP
    return {
        "today_months": fmt.number(TODAY_MONTHS),
        "year_months": fmt.number(projection.YEAR_MONTHS),
        "step": fmt.pct(step, digits=0),
        "factor_low": fmt.number(1 - step, digits=1),
        "factor_high": fmt.number(1 + step, digits=1),
        "channel_max": _times(fmt, optimiser.CHANNEL_MAX),
        "team_min": _times(fmt, optimiser.TEAM_MIN),
        "team_max": _times(fmt, optimiser.TEAM_MAX),
        "fit_months": fmt.number(scenarios.BACKTEST_FIT_MONTHS),
    }


def _readable(ctx: Context, df: pd.DataFrame, names: dict[str, str] | None = None) -> pd.DataFrame:
    """The table behind a chart for export: engines by their labels, each column under its
    ``scenarios.col.<name>`` heading (``names`` maps a column to another heading's key)."""
    names = names or {}
    out = df.copy()
    if "engine" in out:
        out["engine"] = out["engine"].map(lambda e: ctx.motion_labels.get(e, e))
    cur = ctx.fmt.currency
    return out.rename(
        columns={
            c: ctx.t(names.get(c, f"scenarios.col.{c}"), currency=cur, **planner_figures(ctx.fmt))
            for c in out.columns
        }
    )


# == the engines today =========================================================================
@view("scenarios", "engines_by_quarter")
def engines_by_quarter(ctx: Context) -> ChartSpec:
    """Six panels per whole quarter; the takeaway reads the last quarter the data cover
    entirely (a partial quarter would understate both engines)."""
    key = _page_key("engines_by_quarter")
    cur = ctx.fmt.currency
    title = ctx.t("scenarios.quarters_title", currency=cur)
    # quarters are the workspace's fiscal ones (the query buckets by the same setting)
    wide = engines.whole_quarters(ctx.filters, fiscal.start_month(ctx.settings))
    share = float(ctx.settings.get("pull_share_of_sales", "0") or 0)
    caption = ctx.t(
        "scenarios.quarters_caption",
        start=ctx.fmt.date(wide.date_from),
        end=ctx.fmt.date(wide.date_to),
        share=ctx.fmt.pct(min(max(share, 0.0), 1.0), digits=0),
    )
    df = ctx.ask(engines.engines_by_quarter, ctx.filters, lang=ctx.lang)
    if df.empty:
        return ctx.empty(key, title, caption)
    # a CAC of 0 is a quarter with no spend charged to the engine: unknown, not free
    df = df.assign(cac=df["cac"].where(df["cac"] > 0))
    labels = ctx.motion_labels
    fig = engines_charts.engines_by_quarter(
        df,
        title=title,
        panel_titles={
            k: ctx.t(f"scenarios.panel.{k}", currency=cur) for k in engines.ENGINE_METRICS
        },
        motion_labels=labels,
        money_prefix=ctx.fmt.currency_symbol,
    )
    shown = df[df["motion_group"].isin(["pull", "push"])]
    data = pd.DataFrame(
        {
            ctx.t("scenarios.col.quarter"): shown["quarter"],
            ctx.t("scenarios.col.engine"): shown["motion_group"].map(lambda m: labels.get(m, m)),
        }
        | {
            ctx.t(f"scenarios.panel.{k}", currency=cur): shown[k].astype(float)
            for k in engines.ENGINE_METRICS
        }
        | {ctx.t("scenarios.col.partial"): shown["is_partial"].astype(bool)}
    )
    return ChartSpec(key, "scenarios", title, fig, data, caption, quarters_takeaway(ctx, df))


def quarters_takeaway(ctx: Context, df: pd.DataFrame) -> str:
    """CAC and won revenue of each engine in the last whole quarter ("" when neither engine
    has a row there); a missing figure is "—", not 0."""
    complete = df[~df["is_partial"].astype(bool)]
    last_q = (complete if not complete.empty else df)["quarter"].max()
    q = df[df["quarter"] == last_q].set_index("motion_group")
    if not {"pull", "push"} & set(q.index):
        return ""
    # no whole quarter in the period: say the one read is partial rather than call it whole
    text = "scenarios.quarters_takeaway" if not complete.empty else "scenarios.quarters_partial"

    def money(m: str, col: str) -> str:
        value = q.loc[m, col] if m in q.index else None
        return ctx.money(None if value is None or pd.isna(value) else float(value))

    return ctx.t(
        text,
        quarter=last_q,
        pull_cac=money("pull", "cac"),
        push_cac=money("push", "cac"),
        pull_won=money("pull", "won_amount"),
        push_won=money("push", "won_amount"),
    )


@view("scenarios", "value_per_lead")
def value_per_lead(ctx: Context, *, horizon: int = HORIZON_MONTHS) -> ChartSpec:
    """Won revenue per lead by months since creation (chain-ladder over monthly cohorts)."""
    key = _page_key("value_per_lead")
    cur = ctx.fmt.currency
    title = ctx.t("scenarios.horizon_title", currency=cur)
    caption = ctx.t("scenarios.horizon_caption")
    df = lead_value.value_by_age(ctx.ask(funnel.lead_cohort_wins, ctx.filters, horizon))
    if df.empty:
        return ctx.empty(key, title, caption)
    labels = ctx.motion_labels
    fig = engines_charts.value_per_lead_curve(
        df,
        title=title,
        x_title=ctx.t("scenarios.horizon_axis_x"),
        y_title=ctx.t("scenarios.horizon_axis_y"),
        motion_labels=labels,
        cohorts_label=ctx.t("scenarios.horizon_cohorts"),
        y_prefix=ctx.fmt.currency_symbol,
    )
    data = pd.DataFrame(
        {
            ctx.t("scenarios.col.engine"): df["motion"].map(lambda m: labels.get(m, m)),
            ctx.t("scenarios.horizon_axis_x"): df["months_since"].astype(int),
            ctx.t("scenarios.col.per_lead", currency=cur): df["won_per_lead"].astype(float),
            ctx.t("scenarios.horizon_cohorts"): df["count_cohorts"].astype(int),
        }
    )
    return ChartSpec(key, "scenarios", title, fig, data, caption, horizon_takeaway(ctx, df))


def horizon_takeaway(ctx: Context, df: pd.DataFrame) -> str:
    """Both engines at month 3 and at the last month BOTH curves reach: comparing pull at
    month 12 with push carried on from month 8 would credit push with months nobody saw.
    "" when an engine is missing or the common range is no longer than the short term."""
    curves = {m: part.set_index("months_since")["won_per_lead"] for m, part in df.groupby("motion")}
    if not {"pull", "push"} <= curves.keys():
        return ""
    long = int(min(curves["pull"].index.max(), curves["push"].index.max()))
    short = min(SHORT_TERM_MONTH, long)
    if long <= short:
        return ""

    def at(m: str, month: int) -> str:
        # the value a lead has brought by ``month``: the last observed age at or before it
        seen = curves[m][curves[m].index <= month]
        return ctx.fmt.money(float(seen.sort_index().iloc[-1]) if len(seen) else None)

    return ctx.t(
        "scenarios.horizon_summary",
        short=short,
        long=long,
        pull_short=at("pull", short),
        push_short=at("push", short),
        pull_long=at("pull", long),
        push_long=at("push", long),
    )


@view("scenarios", "response", pack=False)
def channel_response(ctx: Context) -> ChartSpec:
    """Monthly spend against leads the same month, one small scatter per marketing channel."""
    key = _page_key("response")
    title = ctx.t("scenarios.response_title")
    caption = ctx.t("scenarios.response_caption")
    df = ctx.ask(engines.channel_spend_vs_leads, ctx.filters)
    if df.empty:
        codes = {code for code, _ in ctx.once(scenarios.planner_gaps, mql=_mql(ctx))}
        reason = ctx.t("scenarios.response_no_spend") if "no_spend" in codes else None
        return ctx.empty(key, title, caption, reason=reason)
    fig = engines_charts.channel_response_grid(
        df,
        title=title,
        x_title=ctx.t("scenarios.response_axis_x") + f" ({ctx.fmt.currency})",
        y_title=ctx.t("scenarios.response_axis_y"),
        cost_label=ctx.t("scenarios.response_cost"),
        x_prefix=ctx.fmt.currency_symbol,
    )
    data = _readable(ctx, df)
    return ChartSpec(key, "scenarios", title, fig, data, caption, response_takeaway(ctx))


# a channel is "nearer its ceiling" than another only by at least this many points of the share
# of its fitted ceiling it reaches at today's spend; closer than that, the fits do not tell
SATURATION_GAP = 0.10


def response_takeaway(ctx: Context) -> str:
    """From the planner's fit: at today's spend (last 12 months), the share of its fitted
    ceiling each channel reaches; names the channel nearest saturation and the one with the
    most room when they differ by SATURATION_GAP or more, else says how far the one channel
    is. "" without a fit."""
    fitted = model(ctx)
    if fitted is None or not fitted.channels:
        return ""
    share = {}
    for i, fit in enumerate(fitted.point.channels):
        if fit.beta > 0 and np.isfinite(fit.beta):
            share[fit.channel] = float(fit.steady_leads(fitted.today_spend[i]) / fit.beta)
    share = {c: v for c, v in share.items() if np.isfinite(v)}
    if not share:
        return ""
    near = max(share, key=share.get)
    room = min(share, key=share.get)
    if len(share) == 1 or share[near] - share[room] < SATURATION_GAP:
        return ctx.t(
            "scenarios.response_takeaway_even",
            **planner_figures(ctx.fmt),
            n=len(share),
            low=ctx.fmt.pct(share[room], digits=0),
            high=ctx.fmt.pct(share[near], digits=0),
        )
    i_near, i_room = fitted.channels.index(near), fitted.channels.index(room)
    return ctx.t(
        "scenarios.response_takeaway",
        **planner_figures(ctx.fmt),
        near=near,
        near_share=ctx.fmt.pct(share[near], digits=0),
        near_spend=ctx.money(float(fitted.today_spend[i_near])),
        room=room,
        room_share=ctx.fmt.pct(share[room], digits=0),
        room_spend=ctx.money(float(fitted.today_spend[i_room])),
    )


# == the planner ===============================================================================
def _mql(ctx: Context) -> MqlDefinition:
    """The saved MQL definition the planner's funnel cohorts count by (as on Funnel health),
    passed to every planner query so a cached fit keys on it."""
    return mql_definition(ctx.settings)


def model(ctx: Context) -> PlannerModel | None:
    """The planner fitted to the workspace, None when history is short: fitted once per data
    version in the app's process (``kept``; once per context in a pack), however many views and
    sessions read it. Every argument of the fit is passed, so every one is in the key."""
    return kept(ctx, scenarios.fitted_model, as_of=None, draws=FIT_DRAWS, mql=_mql(ctx))


def _scenario(fitted: PlannerModel, scenario: Scenario | None) -> Scenario:
    return scenario if scenario is not None else projection.current_scenario(fitted, PLAN_QUARTERS)


def _gap_text(ctx: Context, code: str, figures: dict) -> str:
    """One unmet requirement as a phrase with its count."""
    f = dict(figures)
    if "motion" in f:
        f["engine"] = ctx.motion_labels.get(f["motion"], f["motion"])
    if code in ("no_won", "no_cohort_leads") and f.get("first") is None:
        code = f"{code}_any"
    for k in ("first", "last"):
        if f.get(k) is not None:
            f[k] = ctx.fmt.month(f[k])
    return ctx.t(f"scenarios.gap.{code}", **{k: v for k, v in f.items() if k != "motion"})


def gaps(ctx: Context) -> list[str]:
    """Each requirement the planner's history does not meet, as a phrase with its count
    (e.g. "no marketing spend imported (0 months)"); [] when the planner can fit."""
    return [_gap_text(ctx, code, f) for code, f in ctx.once(scenarios.planner_gaps, mql=_mql(ctx))]


def no_history_reason(ctx: Context) -> str:
    """The one sentence a planner chart says when there is no model: every unmet requirement."""
    found = gaps(ctx)
    if not found:
        return ctx.t("scenarios.plan.no_history")
    return ctx.t("scenarios.plan.cannot_fit", reasons="; ".join(found))


def _no_history(ctx: Context, key: str, title: str, caption: str) -> ChartSpec:
    return ctx.empty(key, title, caption, reason=no_history_reason(ctx))


def _beyond_text(ctx: Context, code: str, figures: dict) -> str:
    f = dict(figures)
    if "engine" in f:
        f["engine"] = ctx.motion_labels.get(f["engine"], f["engine"])
    if "input" in f:
        f["input"] = ctx.t(f"scenarios.input.{f['input']}")
    for k in ("value", "best", "swing", "history"):
        if k in f:
            f[k] = ctx.money(f[k])
    if "multiple" in f:
        f["multiple"] = ctx.fmt.number(f["multiple"], digits=0)
    return ctx.t(f"scenarios.beyond.{code}", **{**planner_figures(ctx.fmt), **f})


def beyond_reason(ctx: Context, found: list[tuple[str, dict]]) -> str | None:
    """The refusal of a projection outside the evidence (None when it is within)."""
    if not found:
        return None
    reasons = "; ".join(_beyond_text(ctx, code, f) for code, f in found)
    return ctx.t("scenarios.plan.beyond", reasons=reasons)


def capacity_line(ctx: Context, fitted: PlannerModel) -> str:
    """Where the sales headcount comes from and whether a rep's cost is known ("" for a
    roster with sales spend, the planner's ordinary case)."""
    hist, push = fitted.history, fitted.point.push
    lines = []
    if hist.capacity_source == "owners":
        lines.append(
            ctx.t(
                "scenarios.plan.capacity_owners",
                n=ctx.fmt.number(hist.capacity_per_month, digits=0),
            )
        )
    if not push.cost_known:
        lines.append(
            ctx.t("scenarios.plan.cost_unknown", n=push.reps_now, **planner_figures(ctx.fmt))
        )
    return " ".join(lines)


def payback_text(ctx: Context, month: float | None, months: int) -> str:
    """'Month n', or '> n mo' when the engine does not pay back within the horizon."""
    if month is None or pd.isna(month):
        return ctx.t("scenarios.plan.not_in_horizon", n=months)
    return ctx.t("scenarios.plan.month_n", n=int(month))


@dataclass(frozen=True)
class Outlook:
    """One scenario projected: the simulation, its quarterly table and per-engine summary."""

    scenario: Scenario
    run: projection.Run
    quarterly: pd.DataFrame
    summary: pd.DataFrame  # indexed by engine
    beyond: list  # projection.beyond_evidence of the quarterly table: why it is refused, or []


_outlooks: OrderedDict[tuple[int, Scenario], tuple[PlannerModel, Outlook]] = OrderedDict()
_outlooks_lock = threading.Lock()


def outlook(fitted: PlannerModel, sc: Scenario) -> Outlook:
    """``sc`` projected on ``fitted``: kept for the last OUTLOOKS_KEPT (model, scenario) pairs,
    since the headlines, the refusal, the projection chart and the tornado of one rerun all
    ask for it. Keyed by the model's identity (the entry holds the model, so the id is not
    reused while it is kept) and the scenario's value; nobody may change an Outlook."""
    key = (id(fitted), sc)
    with _outlooks_lock:
        hit = _outlooks.get(key)
        if hit is not None and hit[0] is fitted:
            _outlooks.move_to_end(key)
            return hit[1]
    run = projection.run_scenario(fitted, sc)
    base = projection.baseline(fitted, 3 * sc.quarters)
    summ = projection.summary(run, base).set_index("engine")
    q = projection.quarterly(run)
    out = Outlook(sc, run, q, summ, projection.beyond_evidence(fitted, q))
    with _outlooks_lock:
        _outlooks[key] = (fitted, out)
        while len(_outlooks) > OUTLOOKS_KEPT:
            _outlooks.popitem(last=False)
    return out


def plan_refusal(ctx: Context, *, scenario: Scenario | None = None) -> str | None:
    """Why this plan's projection is not shown (outside the evidence), or None."""
    fitted = model(ctx)
    if fitted is None:
        return no_history_reason(ctx)
    o = outlook(fitted, _scenario(fitted, scenario))
    return beyond_reason(ctx, o.beyond)


def engine_headlines(ctx: Context, *, scenario: Scenario | None = None) -> list[dict] | None:
    """Per engine the headline tiles over the plan's horizon: label, revenue (with its band as
    help), CAC (with why it is "—" when the spend is unknown), payback month and the band
    line. None without a model or when the projection is outside the evidence."""
    fitted = model(ctx)
    if fitted is None:
        return None
    o = outlook(fitted, _scenario(fitted, scenario))
    if o.beyond:
        return None
    months = 3 * o.scenario.quarters
    rows = []
    for engine in projection.ENGINES:
        row = o.summary.loc[engine]
        known = bool(row["spend_known"])
        rows.append(
            {
                "engine": engine,
                "label": ctx.motion_labels[engine],
                "revenue": ctx.money(row["revenue"]),
                "revenue_help": ctx.t(
                    "scenarios.plan.kpi_revenue_help",
                    low=ctx.money(row["revenue_low"]),
                    high=ctx.money(row["revenue_high"]),
                ),
                "cac": ctx.money(row["cac"]),
                "cac_help": None if known else ctx.t("scenarios.plan.cac_unknown"),
                "payback": payback_text(ctx, row["payback_month"], months) if known else "—",
                "band_line": ctx.t(
                    "scenarios.plan.band_line",
                    **planner_figures(ctx.fmt),
                    low=ctx.money(row["revenue_low"]),
                    high=ctx.money(row["revenue_high"]),
                    first=ctx.money(row["revenue_first_year"]),
                    last=ctx.money(row["revenue_last_year"]),
                ),
            }
        )
    return rows


@view("scenarios", "projection", pack=False)
def plan_projection(ctx: Context, *, scenario: Scenario | None = None) -> ChartSpec:
    """Six quarterly panels per engine with the bootstrap band; the takeaway sets the horizon
    total against the first year (pull pays later than it costs)."""
    key = _page_key("projection")
    cur = ctx.fmt.currency
    fitted = model(ctx)
    quarters = scenario.quarters if scenario is not None else PLAN_QUARTERS
    title = ctx.t("scenarios.plan.projection_title", n=quarters, currency=cur)
    if fitted is None:
        return _no_history(ctx, key, title, ctx.t("scenarios.plan.projection_about"))
    o = outlook(fitted, _scenario(fitted, scenario))
    labels = ctx.motion_labels
    caption = ctx.t(
        "scenarios.plan.projection_caption",
        draws=len(fitted.draws),
        cost=ctx.fmt.money(fitted.point.push.cost_per_rep),
    )
    caption = " ".join(p for p in (caption, capacity_line(ctx, fitted)) if p)
    refused = beyond_reason(ctx, o.beyond)
    if refused:
        return ctx.empty(key, title, caption, reason=refused)
    fig = scenario_charts.projection_grid(
        o.quarterly,
        title=title,
        panel_titles={
            k: ctx.t(f"scenarios.plan.panel.{k}", currency=cur) for k in PROJECTION_PANELS
        },
        motion_labels=labels,
        band_label=ctx.t("scenarios.plan.band"),
        money_prefix=ctx.fmt.currency_symbol,
    )
    pull, push = o.summary.loc["pull"], o.summary.loc["push"]
    takeaway = ctx.t(
        "scenarios.plan.projection_takeaway",
        n=quarters,
        pull=ctx.money(pull["revenue"]),
        push=ctx.money(push["revenue"]),
        pull_first=ctx.money(pull["revenue_first_year"]),
        push_first=ctx.money(push["revenue_first_year"]),
    )
    q = o.quarterly
    metric = [ctx.t(f"scenarios.plan.panel.{m}", currency=cur) for m in q["metric"]]
    table = _readable(ctx, q.drop(columns="quarter_index", errors="ignore").assign(metric=metric))
    return ChartSpec(key, "scenarios", title, fig, table, caption, takeaway)


def best_split(ctx: Context, sc: Scenario) -> optimiser.Allocation | None:
    """The revenue-maximising split of this plan's budget over its horizon, default bounds;
    cached on a page by budget (to the thousand), horizon and uplifts. None without a model."""
    fitted = model(ctx)
    if fitted is None:
        return None

    return kept(
        ctx,
        _best_split,
        Same(fitted),
        float(round(sc.budget_per_quarter, -3)),
        int(sc.quarters),
        float(sc.mql_sql_uplift),
        float(sc.win_rate_uplift),
    )


def _best_split(
    _ws: Workspace, fitted: Same, budget: float, quarters: int, mql: float, win: float
) -> optimiser.Allocation:
    """The optimiser at default bounds on the kept fit (kept by ``kept`` with it: the key
    holds the fit by identity, and the data version that fit belongs to)."""
    lo, hi = optimiser.default_bounds(fitted.value)
    return optimiser.max_revenue(
        fitted.value, budget, quarters, lo, hi, mql_sql_uplift=mql, win_rate_uplift=win
    )


@view("scenarios", "curves", pack=False)
def response_curves(ctx: Context, *, scenario: Scenario | None = None) -> ChartSpec:
    """Each channel's fitted steady-state response with today's spend, the plan's and the
    optimum's marked; the takeaway names the channel whose next 1,000 buys most leads."""
    key = _page_key("curves")
    cur = ctx.fmt.currency
    title = ctx.t("scenarios.plan.curves_title", currency=cur)
    caption = ctx.t("scenarios.plan.curves_caption", **planner_figures(ctx.fmt))
    fitted = model(ctx)
    if fitted is None:
        return _no_history(ctx, key, title, caption)
    sc = _scenario(fitted, scenario)
    best = best_split(ctx, sc)
    curve_rows, marks = [], []
    plan_spend = sc.channel_spend(fitted.channels)
    for i, c in enumerate(fitted.channels):
        top = max(3 * fitted.today_spend[i], 1.5 * plan_spend[i], 2 * fitted.point.channels[i].k)
        if best is not None and best.ok:
            top = max(top, 1.2 * best.channel_spend[i])
        grid = np.linspace(0, top, CURVE_POINTS)
        leads = projection.steady_response(fitted, i, grid)
        low, high = (
            np.percentile(leads[1:], [10, 90], axis=0) if len(leads) > 1 else (leads[0], leads[0])
        )
        curve_rows.append(
            pd.DataFrame({"channel": c, "spend": grid, "leads": leads[0], "low": low, "high": high})
        )
        points = [("today", fitted.today_spend[i]), ("plan", plan_spend[i])]
        if best is not None and best.ok:
            points.append(("optimum", best.channel_spend[i]))
        for mark, x in points:
            y = float(projection.steady_response(fitted, i, np.array([x]))[0, 0])
            marks.append({"channel": c, "mark": mark, "spend": float(x), "leads": y})
    marks_df = pd.DataFrame(marks)
    mark_labels = {
        "today": ctx.t("scenarios.plan.mark_today", **planner_figures(ctx.fmt)),
        "optimum": ctx.t("scenarios.plan.mark_optimum", n=sc.quarters),
        "plan": ctx.t("scenarios.plan.mark_plan"),
    }
    fig = scenario_charts.response_curves(
        pd.concat(curve_rows, ignore_index=True),
        marks_df,
        title=title,
        x_title=ctx.t("scenarios.plan.curves_x", currency=cur),
        y_title=ctx.t("scenarios.plan.curves_y"),
        mark_labels=mark_labels,
        band_label=ctx.t("scenarios.plan.band"),
        x_prefix=ctx.fmt.currency_symbol,
    )
    marginal = {
        c: 1000.0 * fitted.point.channels[i].marginal_leads(fitted.today_spend[i], 1000.0)
        for i, c in enumerate(fitted.channels)
    }
    ranked = sorted(
        (v, c) for c, v in marginal.items() if np.isfinite(v)
    )  # "the most" only where one channel really brings more than the next
    takeaway = ""
    if len(ranked) > 1 and ranked[-1][0] > 0 and ranked[-1][0] > ranked[-2][0] * 1.05:
        top_channel = ranked[-1][1]
        takeaway = ctx.t(
            "scenarios.plan.curves_takeaway",
            channel=top_channel,
            leads=ctx.fmt.number(marginal[top_channel], digits=1),
            per=ctx.fmt.money(1000),
        )
    data = _readable(ctx, marks_df.assign(mark=[mark_labels[m] for m in marks_df["mark"]]))
    return ChartSpec(key, "scenarios", title, fig, data, caption, takeaway)


def optimum_line(ctx: Context, *, scenario: Scenario | None = None) -> str | None:
    """What the optimum split wins and what it spends on the sales team (None when the
    optimiser refused or there is no model)."""
    fitted = model(ctx)
    if fitted is None:
        return None
    sc = _scenario(fitted, scenario)
    best = best_split(ctx, sc)
    if best is None or not best.ok or not fitted.point.push.cost_known:
        return None
    return ctx.t(
        "scenarios.plan.optimum_line",
        n=sc.quarters,
        revenue=ctx.money(best.revenue),
        sales=ctx.money(best.sales_spend),
        reps=ctx.fmt.number(best.sales_spend / fitted.point.push.cost_per_rep, digits=1),
    )


@view("scenarios", "tornado", pack=False)
def tornado(ctx: Context, *, scenario: Scenario | None = None) -> ChartSpec:
    """Each input ±20%, one at a time; the takeaway names the widest swing (half of it: the
    change either way)."""
    key = _page_key("tornado")
    cur = ctx.fmt.currency
    fitted = model(ctx)
    quarters = scenario.quarters if scenario is not None else PLAN_QUARTERS
    figures = planner_figures(ctx.fmt)
    title = ctx.t("scenarios.plan.tornado_title", n=quarters, currency=cur, **figures)
    caption = ctx.t("scenarios.plan.tornado_caption", **figures)
    if fitted is None:
        return _no_history(ctx, key, title, caption)
    sc = _scenario(fitted, scenario)
    refused = plan_refusal(ctx, scenario=sc)
    torn = None if refused else kept(ctx, _tornado, Same(fitted), sc)
    if torn is not None:
        refused = beyond_reason(ctx, sensitivity.beyond_evidence(fitted, torn))
    if refused:
        return ctx.empty(key, title, caption, reason=refused)
    shown = torn.assign(input=[ctx.t(f"scenarios.input.{k}") for k in torn["input"]])
    fig = scenario_charts.tornado(
        shown,
        title=title,
        x_title=ctx.t("scenarios.plan.tornado_x", currency=cur),
        low_label=ctx.t("scenarios.plan.tornado_low", **figures),
        high_label=ctx.t("scenarios.plan.tornado_high", **figures),
        money_prefix=ctx.fmt.currency_symbol,
    )
    ordered = shown.assign(swing=(torn["high"] - torn["low"]).abs()).sort_values("swing")
    biggest = ordered.iloc[-1]
    # "moves revenue most" only when one input really moves it more than the next
    runner_up = ordered["swing"].iloc[-2] if len(ordered) > 1 else 0.0
    takeaway = (
        ctx.t(
            "scenarios.plan.tornado_takeaway",
            **figures,
            input=biggest["input"],
            swing=ctx.money(biggest["swing"] / 2),
        )
        if biggest["swing"] > 0 and biggest["swing"] > 1.05 * runner_up
        else ""
    )
    data = _readable(
        ctx,
        shown,
        {"low": "scenarios.plan.tornado_low", "high": "scenarios.plan.tornado_high"},
    )
    return ChartSpec(key, "scenarios", title, fig, data, caption, takeaway)


def _tornado(_ws: Workspace, fitted: Same, sc: Scenario) -> pd.DataFrame:
    """``sensitivity.tornado`` of the plan on the kept fit (kept by ``kept`` with it: 13
    projections, asked again on every rerun that changes no input of the plan)."""
    return sensitivity.tornado(fitted.value, sc)


# == saved scenarios compared ==================================================================
@dataclass(frozen=True)
class Comparison:
    bars: pd.DataFrame  # scenario, engine, revenue, total_low, total_high
    lines: pd.DataFrame  # scenario, quarter, revenue_cum
    rows: list[dict]  # per scenario: its inputs and the figures its table shows
    refused: tuple[tuple[str, list], ...] = ()  # (name, why) of scenarios outside the evidence


def default_names(saved: pd.DataFrame) -> list[str]:
    """The scenarios compared first: the last ``MAX_COMPARE`` saved."""
    return list(saved["name"])[-MAX_COMPARE:]


def comparison(
    ctx: Context, names: Sequence[str] | None = None, quarters: int = COMPARE_QUARTERS
) -> Comparison | None:
    """The chosen saved scenarios, each projected over the same horizon (cached on a page);
    None without a model."""
    fitted = model(ctx)
    if fitted is None:
        return None
    saved = ctx.ask(scenarios.list_scenarios)
    chosen = tuple(default_names(saved) if names is None else names)
    return kept(ctx, _compare, Same(fitted), chosen, int(quarters))


def _compare(ws: Workspace, same: Same, chosen: tuple[str, ...], quarters: int) -> Comparison:
    """The saved scenarios ``chosen`` projected on the kept fit ``same`` (see ``kept``); their
    inputs are read from the workspace, whose data version is in the key."""
    fitted: PlannerModel = same.value
    listed = scenarios.list_scenarios(ws).set_index("name")["inputs"]
    bars, lines, rows, refused = [], [], [], []
    for name in (n for n in chosen if n in listed.index):
        sc = Scenario.from_dict({**listed[name], "quarters": quarters})
        o = outlook(fitted, sc)
        beyond = o.beyond
        if beyond:
            refused.append((name, beyond))
            continue
        totals = sum(o.run.values[(e, "revenue")].sum(axis=1) for e in projection.ENGINES)
        low, high = (
            np.percentile(totals[1:], [10, 90]) if len(totals) > 1 else (totals[0], totals[0])
        )
        for engine, row in o.summary.iterrows():
            bars.append(
                {
                    "scenario": name,
                    "engine": engine,
                    "revenue": row["revenue"],
                    "total_low": float(low),
                    "total_high": float(high),
                }
            )
        q = o.quarterly
        cum = q[q["metric"] == "revenue_cum"].groupby("quarter", sort=False)["value"].sum()
        lines += [{"scenario": name, "quarter": k, "revenue_cum": v} for k, v in cum.items()]
        rows.append(
            {
                "scenario": sc,
                "name": name,
                "reps": projection.headcount(fitted, sc),
                "total": float(totals[0]),
                "low": float(low),
                "high": float(high),
                "summary": o.summary,
            }
        )
    return Comparison(pd.DataFrame(bars), pd.DataFrame(lines), rows, tuple(refused))


def refused_line(ctx: Context, c: Comparison | None) -> str:
    """The compared scenarios left out because their projection is outside the evidence."""
    if c is None or not c.refused:
        return ""
    return " ".join(
        ctx.t("scenarios.compare.refused", name=name, reason=beyond_reason(ctx, found))
        for name, found in c.refused
    )


def _compare_empty(ctx: Context, key: str, title: str, caption: str, c: Comparison | None):
    if c is None:
        return _no_history(ctx, key, title, caption)
    if c.refused:
        return ctx.empty(key, title, caption, reason=refused_line(ctx, c))
    return ctx.empty(key, title, caption, reason=ctx.t("scenarios.compare.none"))


@view("scenarios", "compare_bars", pack=False)
def compare_bars(
    ctx: Context, *, names: Sequence[str] | None = None, quarters: int = COMPARE_QUARTERS
) -> ChartSpec:
    """Won revenue over the horizon per saved scenario, stacked by engine, with the band of
    the total; the takeaway names the scenario that wins most."""
    key = _page_key("compare_bars")
    cur = ctx.fmt.currency
    title = ctx.t("scenarios.compare.bars_title", n=quarters, currency=cur)
    caption = ctx.t("scenarios.compare.bars_caption")
    c = comparison(ctx, names, quarters)
    if c is None or c.bars.empty:
        return _compare_empty(ctx, key, title, caption, c)
    fig = scenario_charts.scenario_revenue(
        c.bars,
        title=title,
        y_title=ctx.t("scenarios.compare.bars_y", currency=cur),
        motion_labels=ctx.motion_labels,
        band_label=ctx.t("scenarios.plan.band"),
        money_prefix=ctx.fmt.currency_symbol,
    )
    totals = c.bars.groupby("scenario")["revenue"].sum()
    ranked = totals.sort_values()
    takeaway = (
        ctx.t("scenarios.compare.bars_takeaway", name=ranked.index[-1], n=quarters)
        if len(ranked) > 1 and ranked.iloc[-1] > ranked.iloc[-2]
        else ""
    )
    caption = " ".join(p for p in (caption, refused_line(ctx, c)) if p)
    data = _readable(ctx, c.bars, {"revenue": "scenarios.col.revenue_money"})
    return ChartSpec(key, "scenarios", title, fig, data, caption, takeaway)


@view("scenarios", "compare_lines", pack=False)
def compare_lines(
    ctx: Context, *, names: Sequence[str] | None = None, quarters: int = COMPARE_QUARTERS
) -> ChartSpec:
    """Cumulative won revenue per saved scenario; the takeaway sets the scenario ahead after
    the first quarter against the one ahead at the end."""
    key = _page_key("compare_lines")
    cur = ctx.fmt.currency
    title = ctx.t("scenarios.compare.lines_title", currency=cur)
    caption = ctx.t("scenarios.compare.lines_caption")
    c = comparison(ctx, names, quarters)
    if c is None or c.lines.empty:
        return _compare_empty(ctx, key, title, caption, c)
    fig = scenario_charts.scenario_cumulative(
        c.lines,
        title=title,
        y_title=ctx.t("scenarios.compare.lines_y", currency=cur),
        money_prefix=ctx.fmt.currency_symbol,
    )
    by = c.lines.groupby("scenario", sort=False)["revenue_cum"]
    takeaway = (
        ctx.t(
            "scenarios.compare.lines_takeaway", first=by.first().idxmax(), last=by.last().idxmax()
        )
        if by.ngroups > 1
        else ""
    )
    return ChartSpec(key, "scenarios", title, fig, _readable(ctx, c.lines), caption, takeaway)


def compare_table(
    ctx: Context, *, names: Sequence[str] | None = None, quarters: int = COMPARE_QUARTERS
) -> pd.DataFrame:
    """One row per compared scenario: its inputs, headcount, revenue with band, CAC and
    payback per engine, formatted for reading."""
    c = comparison(ctx, names, quarters)
    if c is None:
        return pd.DataFrame()
    months = 3 * quarters
    out = []
    for r in c.rows:
        sc, by = r["scenario"], r["summary"]
        col = lambda k: ctx.t(f"scenarios.col.{k}", **planner_figures(ctx.fmt))  # noqa: E731
        out.append(
            {
                col("scenario"): r["name"],
                col("budget"): ctx.fmt.money(sc.budget_per_quarter),
                col("share"): ctx.fmt.pct(sc.marketing_share, digits=0),
                col("reps"): ctx.fmt.number(r["reps"], digits=1),
                col("revenue"): ctx.money(r["total"]),
                col("band"): f"{ctx.money(r['low'])} – {ctx.money(r['high'])}",
                col("first_year"): ctx.money(by["revenue_first_year"].sum()),
                col("cac_pull"): ctx.money(by.loc["pull", "cac"]),
                col("cac_push"): ctx.money(by.loc["push", "cac"]),
                col("payback_pull"): payback_text(ctx, by.loc["pull", "payback_month"], months),
                col("payback_push"): payback_text(ctx, by.loc["push", "payback_month"], months)
                if by.loc["push", "spend_known"]
                else "—",
            }
        )
    return pd.DataFrame(out)


# == how far to trust it =======================================================================
def model_lines(ctx: Context) -> list[str]:
    """What was fitted and whether the history supports the brand and warmth effects."""
    fitted = model(ctx)
    if fitted is None:
        return []
    brand = fitted.point.brand
    lines = [
        ctx.t(
            "scenarios.check.model_line",
            months=fitted.history.n_months,
            seconds=f"{fitted.fit_seconds:.1f}",
            draws=len(fitted.draws),
            ramp=ctx.fmt.number(fitted.point.push.ramp_months, digits=1),
            per_rep=ctx.fmt.number(fitted.point.push.opps_per_rep, digits=2),
        ),
        ctx.t(
            "scenarios.check.brand_supported"
            if brand.supported
            else "scenarios.check.brand_not_supported",
            delta=ctx.fmt.number(brand.delta, digits=2),
            half_life=ctx.fmt.number(np.log(0.5) / np.log(brand.delta), digits=0),
            lr=ctx.fmt.number(brand.lr_stat, digits=1),
        ),
    ]
    warmth = fitted.point.warmth
    if warmth is not None:
        lines.append(
            ctx.t(
                "scenarios.check.warmth_supported"
                if warmth.supported
                else "scenarios.check.warmth_not_supported",
                gamma=ctx.fmt.number(warmth.gamma, digits=2),
                lr=ctx.fmt.number(warmth.lr_stat, digits=1),
            )
        )
    return lines


def fitted_parameters(ctx: Context) -> pd.DataFrame:
    """One row per channel: the point estimates of decay, half-saturation, shape and scale."""
    fitted = model(ctx)
    if fitted is None:
        return pd.DataFrame(columns=["channel", "theta", "k", "s", "beta"])
    return pd.DataFrame(
        {
            "channel": fitted.channels,
            "theta": fitted.theta[0],
            "k": fitted.k[0],
            "s": fitted.s[0],
            "beta": fitted.beta[0],
        }
    )


def parameter_recovery(
    ctx: Context, truth: dict[str, dict], scale: float = 1.0
) -> tuple[pd.DataFrame, str] | None:
    """The fit against known true parameters (the sample company's, passed in by the caller
    that knows them) and the caption counting the required checks within tolerance."""
    fitted = model(ctx)
    if fitted is None:
        return None
    rec = validation.parameter_recovery(fitted, truth, scale)
    required = rec[rec["required"]] if not rec.empty else rec
    tol = {p: validation.TOLERANCE[p] for p in ("theta", "k", "s")}
    tol_text = {
        # 0.15 and 0.5 as the tolerances are written (two decimals at most, no trailing zero)
        f"{p}_tol": ctx.fmt.number(v, digits=2).rstrip("0").rstrip(".,")
        if kind == "abs"
        else ctx.fmt.pct(v, digits=0)
        for p, (kind, v) in tol.items()
    }
    caption = ctx.t(
        "scenarios.check.recovery_caption",
        ok=int(required["within"].sum()) if not rec.empty else 0,
        n=len(required),
        **tol_text,
    )
    # the channels held to K only, named from the table (those of this fit), never assumed
    noisy = sorted(set(rec.loc[~rec["required"], "channel"])) if not rec.empty else []
    if noisy:
        caption += " " + ctx.t("scenarios.check.recovery_noisy", channels=", ".join(noisy))
    return rec, caption


@view("scenarios", "backtest", pack=False)
def backtest(ctx: Context) -> ChartSpec:
    """Fit on the first 24 months, project the rest with the spend and team that happened:
    projected lines against actual points per engine; the takeaway gives the errors."""
    key = _page_key("backtest")
    cur = ctx.fmt.currency
    title = ctx.t("scenarios.check.backtest_chart", currency=cur)
    caption = ctx.t("scenarios.check.backtest_caption", **planner_figures(ctx.fmt))
    if model(ctx) is None:
        return _no_history(ctx, key, title, caption)
    bt = kept(ctx, scenarios.backtest, mql=_mql(ctx))
    if bt is None or bt[0].empty:
        return ctx.empty(
            key,
            title,
            caption,
            reason=ctx.t("scenarios.check.backtest_short", **planner_figures(ctx.fmt)),
        )
    monthly, errors = bt
    labels = ctx.motion_labels
    panels = [(e, m) for m in ("leads", "revenue") for e in projection.ENGINES]
    fig = scenario_charts.backtest_grid(
        monthly,
        title=title,
        panel_titles={
            (e, m): f"{labels[e]} · {ctx.t(f'scenarios.check.metric.{m}', currency=cur)}"
            for e, m in panels
        },
        predicted_label=ctx.t("scenarios.check.predicted"),
        actual_label=ctx.t("scenarios.check.actual"),
        money_prefix=ctx.fmt.currency_symbol,
    )
    err = errors.set_index(["engine", "metric"])

    def pct(engine: str, metric: str, col: str) -> str:
        value = err[col].get((engine, metric)) if (engine, metric) in err.index else None
        return ctx.fmt.pct(value, digits=0)

    totals = (
        err["total_predicted"].get(("pull", "revenue")),
        err["total_actual"].get(("pull", "revenue")),
    )
    if all(v is not None and np.isfinite(v) for v in totals) and totals[1] > 0:
        caption = " ".join(
            (
                caption,
                ctx.t(
                    "scenarios.check.backtest_pull_total",
                    months=monthly["month"].nunique(),
                    predicted=ctx.money(float(totals[0])),
                    actual=ctx.money(float(totals[1])),
                    ratio=ctx.fmt.pct(float(totals[0]) / float(totals[1]), digits=0),
                ),
            )
        )
    takeaway = ctx.t(
        "scenarios.check.backtest_takeaway",
        pull_leads=pct("pull", "leads", "mape_monthly"),
        push_leads=pct("push", "leads", "mape_monthly"),
        pull_rev=pct("pull", "revenue", "mape_quarterly"),
        push_rev=pct("push", "revenue", "mape_quarterly"),
    )
    metric = [ctx.t(f"scenarios.check.metric.{m}", currency=cur) for m in monthly["metric"]]
    data = _readable(ctx, monthly.assign(metric=metric))
    return ChartSpec(key, "scenarios", title, fig, data, caption, takeaway)


def backtest_errors(ctx: Context) -> pd.DataFrame:
    """The backtest's errors per engine and metric, with readable labels (empty when the
    history is too short to hold months back)."""
    bt = kept(ctx, scenarios.backtest, mql=_mql(ctx))
    if bt is None or bt[0].empty:
        return pd.DataFrame()
    errors = bt[1]
    cur = ctx.fmt.currency
    return errors.assign(
        engine=[ctx.motion_labels[e] for e in errors["engine"]],
        metric=[ctx.t(f"scenarios.check.metric.{m}", currency=cur) for m in errors["metric"]],
    ).rename(
        columns={
            c: ctx.t(f"scenarios.col.{c}")
            for c in (
                "engine",
                "metric",
                "mape_monthly",
                "mape_quarterly",
                "total_predicted",
                "total_actual",
            )
        }
    )
