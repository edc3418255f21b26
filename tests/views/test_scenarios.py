"""The scenario page's views, given rows → spec, without Streamlit: the tiny workspace
(tests/fixtures.py) for the engines today, hand-built frames for the takeaway rules, and the
planner's views explaining themselves when the history is too short to fit."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from planning import sensitivity
from queries.filters import Filters
from views import registry, spec
from views import scenarios as views

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
Q4_Q1 = Filters(date(2024, 10, 1), date(2025, 3, 31))
DEC_JAN = Filters(date(2024, 12, 1), date(2025, 1, 31))
NOTHING = Filters(date(2040, 1, 1), date(2040, 3, 31))


def _ctx(ws, filters: Filters, lang: str = "en") -> spec.Context:
    return spec.context(ws, filters, lang)


# -- registry ---------------------------------------------------------------------------------
def test_the_pack_keeps_its_two_scenario_charts_and_the_page_views_stay_out_of_it():
    assert registry.preset("scenarios") == [
        "scenarios.engines_by_quarter",
        "scenarios.value_per_lead",
    ]
    page_only = {
        "scenarios.response",
        "scenarios.projection",
        "scenarios.curves",
        "scenarios.tornado",
        "scenarios.compare_bars",
        "scenarios.compare_lines",
        "scenarios.backtest",
    }
    assert page_only <= set(registry.REGISTRY)
    assert not any(registry.REGISTRY[k].pack for k in page_only)


# -- engines by quarter -----------------------------------------------------------------------
def test_engines_takeaway_reads_the_quarter_the_chart_shows_and_says_it_is_partial(tiny_ws):
    ctx = _ctx(tiny_ws, JAN)  # January widens to 2025-Q1, which the data end in (15 February)
    s = views.engines_by_quarter(ctx)
    # pull in Q1: won D1 10,000 + D2 5,000 + D6 4,000 + D7 3,000; new customers A1, A2, A6;
    # marketing spend 3,000 + 1,500 -> CAC 1,500. push: D4 2,000 won, A4 new, sales 12,000.
    assert s.takeaway == ctx.t(
        "scenarios.quarters_partial",
        quarter="2025-Q1",
        pull_cac=ctx.money(1500),
        push_cac=ctx.money(12000),
        pull_won=ctx.money(22000),
        push_won=ctx.money(2000),
    )
    assert not s.is_empty
    assert s.title == ctx.t("scenarios.quarters_title", currency="USD")
    engine = ctx.t("scenarios.col.engine")
    assert set(s.data[engine]) == {ctx.t("motion.pull"), ctx.t("motion.push")}


def test_engines_takeaway_prefers_the_last_whole_quarter_and_shows_a_missing_cac_as_a_dash(
    tiny_ws,
):
    ctx = _ctx(tiny_ws, Q4_Q1)
    s = views.engines_by_quarter(ctx)
    # 2024-Q4 is whole; Q4 won nothing and won no new customer in either engine (D8 lost),
    # so there is no CAC to state: "—", not 0; won revenue is a measured 0
    assert s.takeaway == ctx.t(
        "scenarios.quarters_takeaway",
        quarter="2024-Q4",
        pull_cac="—",
        push_cac="—",
        pull_won=ctx.money(0),
        push_won=ctx.money(0),
    )


def test_engines_chart_without_data_says_so(tiny_ws):
    s = views.engines_by_quarter(_ctx(tiny_ws, NOTHING))
    assert s.is_empty
    assert s.data.empty


def test_engines_caption_names_the_whole_quarters_shown(tiny_ws):
    ctx = _ctx(tiny_ws, JAN)
    s = views.engines_by_quarter(ctx)
    assert ctx.fmt.date(date(2025, 1, 1)) in s.caption
    assert ctx.fmt.date(date(2025, 3, 31)) in s.caption


# -- value per lead ---------------------------------------------------------------------------
def _curve(motion: str, values: dict[int, float]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "motion": motion,
            "months_since": list(values),
            "count_cohorts": 1,
            "count_leads": 10,
            "won_per_lead": list(values.values()),
        }
    )


def test_horizon_takeaway_stops_at_the_last_month_both_engines_reach(tiny_ws):
    ctx = _ctx(tiny_ws, JAN)
    pull = _curve("pull", {0: 10.0, 1: 20.0, 2: 30.0, 4: 50.0, 8: 90.0, 12: 130.0})
    push = _curve("push", {0: 40.0, 3: 70.0, 8: 75.0})
    text = views.horizon_takeaway(ctx, pd.concat([pull, push]))
    # long = min(12, 8) = 8; pull has no month 3 row: by month 3 it has brought month 2's 30
    assert text == ctx.t(
        "scenarios.horizon_summary",
        short=3,
        long=8,
        pull_short=ctx.fmt.money(30.0),
        push_short=ctx.fmt.money(70.0),
        pull_long=ctx.fmt.money(90.0),
        push_long=ctx.fmt.money(75.0),
    )


def test_horizon_takeaway_is_silent_without_both_engines_or_a_long_term():
    ctx = spec.Context(ws=None, filters=JAN)  # type: ignore[arg-type]
    pull = _curve("pull", {0: 10.0, 1: 20.0, 6: 60.0})
    assert views.horizon_takeaway(ctx, pull) == ""
    short_push = _curve("push", {0: 5.0, 2: 8.0})
    assert views.horizon_takeaway(ctx, pd.concat([pull, short_push])) == ""


def test_value_per_lead_on_the_tiny_workspace_has_no_long_term_to_tell(tiny_ws):
    ctx = _ctx(tiny_ws, DEC_JAN)
    s = views.value_per_lead(ctx, horizon=2)
    per_lead = ctx.t("scenarios.col.per_lead", currency="USD")
    months = ctx.t("scenarios.horizon_axis_x")
    pull = s.data[s.data[ctx.t("scenarios.col.engine")] == ctx.t("motion.pull")]
    # month 0: 5,000 over 3 leads; month 1: + December's one lead's 10,000
    assert list(pull[months]) == [0, 1]
    assert list(pull[per_lead]) == pytest.approx([5000 / 3, 5000 / 3 + 10000])
    # push is observed at month 0 only: no short-against-long comparison to make
    assert s.takeaway == ""


def test_value_per_lead_without_leads_is_empty(tiny_ws):
    assert views.value_per_lead(_ctx(tiny_ws, NOTHING)).is_empty


def test_channel_response_without_spend_is_empty_and_with_it_keeps_the_rows(tiny_ws):
    assert views.channel_response(_ctx(tiny_ws, NOTHING)).is_empty
    ctx = _ctx(tiny_ws, DEC_JAN)
    s = views.channel_response(ctx)
    assert set(s.data[ctx.t("scenarios.col.channel")]) == {"Webinar", "Paid Search"}


# -- the planner without enough history -------------------------------------------------------
@pytest.mark.parametrize(
    "build",
    [
        views.plan_projection,
        views.response_curves,
        views.tornado,
        views.compare_bars,
        views.compare_lines,
    ],
)
def test_planner_views_say_the_history_is_too_short_on_the_tiny_workspace(tiny_ws, build):
    # was: one generic sentence; now each unmet requirement with its count. The tiny workspace
    # runs 1 October 2024 - 15 February 2025: the whole months October - January = 4; no
    # cohort is 240 days old, so neither engine has mature leads or won deals to learn from.
    ctx = _ctx(tiny_ws, JAN)
    s = build(ctx)
    assert s.is_empty
    pull, push = ctx.motion_labels["pull"], ctx.motion_labels["push"]
    reasons = [
        ctx.t("scenarios.gap.short", months=4, need=6),
        ctx.t("scenarios.gap.no_cohort_leads_any", engine=pull, count=0),
        ctx.t("scenarios.gap.no_won_any", engine=pull, count=0),
        ctx.t("scenarios.gap.no_cohort_leads_any", engine=push, count=0),
        ctx.t("scenarios.gap.no_won_any", engine=push, count=0),
    ]
    assert views.gaps(ctx) == reasons
    assert s.empty_reason == ctx.t("scenarios.plan.cannot_fit", reasons="; ".join(reasons))
    assert "whole months of history: 4, 6 needed" in s.empty_reason


def test_planner_blocks_have_nothing_to_say_without_a_model(tiny_ws):
    ctx = _ctx(tiny_ws, JAN)
    assert views.engine_headlines(ctx) is None
    assert views.optimum_line(ctx) is None
    assert views.model_lines(ctx) == []
    assert views.fitted_parameters(ctx).empty
    assert views.compare_table(ctx).empty
    assert views.parameter_recovery(ctx, {}, 1.0) is None
    assert views.backtest(ctx).empty_reason == views.no_history_reason(ctx)


def test_payback_beyond_the_horizon_is_said_not_shown_as_a_month():
    ctx = spec.Context(ws=None, filters=JAN)  # type: ignore[arg-type]
    assert views.payback_text(ctx, None, 24) == ctx.t("scenarios.plan.not_in_horizon", n=24)
    assert views.payback_text(ctx, float("nan"), 24) == ctx.t("scenarios.plan.not_in_horizon", n=24)
    assert views.payback_text(ctx, 7.0, 24) == ctx.t("scenarios.plan.month_n", n=7)


def test_views_speak_chinese(tiny_ws):
    s = views.engines_by_quarter(_ctx(tiny_ws, JAN, "zh"))
    assert any("\u4e00" <= ch <= "\u9fff" for ch in s.title + s.takeaway)


# -- the planner on the sample company ----------------------------------------------------------
@pytest.fixture(scope="module")
def planner_names(each_sample):
    """The names of the sample the planner runs on (tests/planner_names.py)."""
    from tests.sample_names import names

    return names(each_sample[0])


@pytest.fixture(scope="module")
def planner(each_sample, tmp_path_factory):
    """A context on a writable copy of the sample with two saved scenarios, whose calls are
    memoised (as the app's cache does) and whose model is fitted without bootstrap draws
    (the point estimate: fast, and the views read the same figures). On each sample, English
    and Chinese (CI's core on both samples: tests/conftest.py each_sample)."""
    sample_path = each_sample[1]
    import shutil
    from dataclasses import replace

    from planning import projection
    from queries import period, scenarios
    from queries.workspace import Workspace

    copy = tmp_path_factory.mktemp("scn_views") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy)
    fitted = scenarios.fitted_model(ws, None, 0)
    for kind in ("push_heavy", "pull_heavy"):
        scenarios.save_scenario(ws, kind, projection.preset(fitted, kind).to_dict())
    memo: dict = {scenarios.fitted_model.__qualname__: fitted}

    def call(func, *args, **kwargs):
        key = (func.__qualname__, args, tuple(sorted(kwargs.items())))
        if func is scenarios.fitted_model:
            return fitted
        if key not in memo:
            memo[key] = func(ws, *args, **kwargs)
        return memo[key]

    f = Filters(*period.default_period(*period.data_range(ws)))
    yield replace(spec.context(ws, f), call=call)
    ws.close()


def _col(ctx: spec.Context, name: str, **kw) -> str:
    return ctx.t(f"scenarios.col.{name}", **kw)


def test_projection_takeaway_states_the_revenue_the_chart_adds_up_to(planner, planner_names):
    ctx = planner
    s = views.plan_projection(ctx)
    d = s.data
    revenue = ctx.t("scenarios.plan.panel.revenue", currency=planner_names.currency)
    rows = d[d[_col(ctx, "metric")] == revenue]
    by_engine = rows.groupby(_col(ctx, "engine"))[_col(ctx, "value")].sum()
    assert ctx.money(by_engine[ctx.t("motion.pull")]) in s.takeaway
    assert ctx.money(by_engine[ctx.t("motion.push")]) in s.takeaway
    assert not any(c.startswith("scenarios.") for c in d.columns)


def test_a_scenario_with_more_marketing_projects_more_pull_revenue(planner):
    from dataclasses import replace

    from planning import projection

    fitted = views.model(planner)
    today = projection.current_scenario(fitted)
    more = replace(today, marketing_share=min(today.marketing_share + 0.2, 1.0))
    heads = {h["engine"]: h for h in views.engine_headlines(planner, scenario=today)}
    assert heads["pull"]["revenue"] in views.plan_projection(planner).takeaway
    pull_now = views.plan_projection(planner, scenario=today).data
    pull_more = views.plan_projection(planner, scenario=more).data
    value = _col(planner, "value")
    assert pull_more[value].sum() != pull_now[value].sum()


def test_tornado_takeaway_names_the_input_with_the_widest_swing(planner):
    ctx = planner
    s = views.tornado(ctx)
    d = s.data
    # the step comes from the code: ±20 % today, "−20%" / "+20%" in the headings
    assert sensitivity.STEP == 0.2
    low, high = "Input −20%", "Input +20%"
    swing = (d[high] - d[low]).abs()
    widest = d.loc[swing.idxmax(), _col(ctx, "input")]
    assert (
        s.takeaway == f"{widest} moves revenue most: about ±{ctx.money(swing.max() / 2)} for ±20%."
    )
    assert "multiplied by 0.8 and by 1.2" in s.caption


def test_curves_mark_today_and_the_plan_on_every_channel(planner):
    ctx = planner
    s = views.response_curves(ctx)
    marks = s.data.groupby(_col(ctx, "channel"))[_col(ctx, "mark")].apply(set)
    today, plan = "Today (last 12 months)", ctx.t("scenarios.plan.mark_plan")
    assert all({today, plan} <= m for m in marks)
    assert set(marks.index) == set(views.model(ctx).channels)


def test_compare_names_the_scenario_whose_bars_add_up_highest(planner, planner_names):
    ctx = planner
    currency = planner_names.currency
    bars = views.compare_bars(ctx)
    d = bars.data
    totals = d.groupby(_col(ctx, "scenario"))[
        ctx.t("scenarios.col.revenue_money", currency=currency)
    ]
    best = totals.sum().idxmax()
    assert bars.takeaway == ctx.t("scenarios.compare.bars_takeaway", name=best, n=8)
    lines = views.compare_lines(ctx)
    cum = lines.data.groupby(_col(ctx, "scenario"), sort=False)[
        _col(ctx, "revenue_cum", currency=currency)
    ]
    first = cum.first().idxmax()
    assert lines.takeaway == ctx.t("scenarios.compare.lines_takeaway", first=first, last=best)
    assert cum.last().idxmax() == best  # the cumulative lines end where the bars are highest
    table = views.compare_table(ctx)
    assert list(table[_col(ctx, "scenario")]) == ["push_heavy", "pull_heavy"]
    only = views.compare_bars(ctx, names=["push_heavy"], quarters=4)
    assert set(only.data[_col(ctx, "scenario")]) == {"push_heavy"}
    assert only.title == ctx.t("scenarios.compare.bars_title", n=4, currency=currency)


def test_recovery_counts_the_required_checks_it_shows(planner, planner_names):
    from sample_data.localise import true_channels

    rec, caption = views.parameter_recovery(planner, true_channels(planner_names.locale), 1.0)
    assert len(rec) == 18
    required = rec[rec["required"]]
    ok = int(required["within"].sum())
    # the tolerances from planning.validation.TOLERANCE, the noisy channels from the table
    assert caption.startswith(
        f"{ok} of {len(required)} required checks within tolerance. Tolerances: decay θ ±0.15, "
        "half-saturation K ±40%, shape s ±0.5."
    )
    noisy = sorted(set(rec.loc[~rec["required"], "channel"]))
    assert noisy == sorted(planner_names.label(c) for c in ("Email Nurture", "Webinar"))
    assert caption.endswith(planner.t("scenarios.check.recovery_noisy", channels=", ".join(noisy)))
    assert "36 months" not in caption


def test_engines_takeaway_says_dash_not_zero_cac_without_spend(tiny_path, tmp_path):
    # the tiny workspace without spend: Q1 2025 still wins 22,000 (pull) and 2,000 (push), but
    # no spend is charged to either engine, so their CAC is unknown ("—"), not $0.00
    import shutil

    from queries.workspace import Workspace

    db = tmp_path / "tiny_no_spend.duckdb"
    shutil.copy(tiny_path, db)
    ws = Workspace(db)
    try:
        with ws.transaction() as cur:
            cur.execute("delete from spend")
        ctx = _ctx(ws, JAN)
        s = views.engines_by_quarter(ctx)
        assert s.takeaway == ctx.t(
            "scenarios.quarters_partial",
            quarter="2025-Q1",
            pull_cac="—",
            push_cac="—",
            pull_won=ctx.money(22000),
            push_won=ctx.money(2000),
        )
        assert "$0.00" not in s.takeaway
    finally:
        ws.close()


def test_engines_by_quarter_follows_the_fiscal_year_in_its_data_and_caption(tiny_path, tmp_path):
    import shutil

    from queries.workspace import Workspace

    calendar = Workspace(shutil.copy(tiny_path, tmp_path / "calendar.duckdb"))
    february = Workspace(shutil.copy(tiny_path, tmp_path / "february.duckdb"))
    try:
        february.set_setting("fiscal_year_start_month", "2")
        by_calendar = views.engines_by_quarter(spec.context(calendar, JAN))
        by_fiscal = views.engines_by_quarter(spec.context(february, JAN))
    finally:
        calendar.close()
        february.close()
    # a February year: January 2025 falls in Nov 2024 - Jan 2025, the last quarter of FY2024/25
    assert "Jan 1, 2025" in by_calendar.caption and "Mar 31, 2025" in by_calendar.caption
    assert "Nov 1, 2024" in by_fiscal.caption and "Jan 31, 2025" in by_fiscal.caption
    assert set(by_calendar.data.iloc[:, 0]) == {"2025-Q1"}
    assert set(by_fiscal.data.iloc[:, 0]) == {"FY2024/25 Q4"}
