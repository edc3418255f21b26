"""Pull vs push & scenarios: the two engines compared by quarter (short term against long term),
and the scenario planner: fit once (cached), then every slider only reprojects."""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components import charts, engines_charts, page, scenario_charts, state
from components.i18n import t
from planning import optimiser, projection, sensitivity, validation
from queries import engines, scenarios

HORIZON_MONTHS = 12
SHORT_TERM_MONTH = 3  # "this quarter": what a lead has paid back about one quarter on
MAX_COMPARE = 4
PRESETS = ("push_heavy", "balanced", "pull_heavy")
# session keys of the planner's controls
K_QUARTERS, K_BUDGET, K_SHARE = "scn_quarters", "scn_budget", "scn_share"
K_MQL, K_WIN, K_NAME = "scn_mql_uplift", "scn_win_uplift", "scn_name"

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()
currency = fmt.currency
symbol = fmt.currency_symbol

page.header("scenarios.title", "scenarios.intro")
VIEWS = ("today", "plan", "compare", "check")
# One view at a time (not st.tabs): only the chosen view runs, so opening the page does not fit
# the planner, and no chart is drawn hidden.
view = st.radio(
    t("scenarios.view"),
    VIEWS,
    format_func=lambda v: t(f"scenarios.tab.{v}"),
    horizontal=True,
    key="scn_view",
    label_visibility="collapsed",
)


def _money(value: float | None) -> str:
    # escaped: two "$" amounts in one markdown line would otherwise render as LaTeX
    return fmt.money(value, compact=True).replace("$", "\\$")


def _payback(month: float | None, months: int) -> str:
    if month is None or pd.isna(month):
        return t("scenarios.plan.not_in_horizon", n=months)
    return t("scenarios.plan.month_n", n=int(month))


# == 1. the engines today ==================================================================
if view == "today":
    st.caption(page.period_caption(f))
    st.subheader(t("scenarios.section_quarters"))
    quarters = state.call(engines.engines_by_quarter, f)
    title = t("scenarios.quarters_title", currency=currency)
    takeaway = None
    if quarters.empty:
        fig = charts.empty_figure(title=title, message=t("common.no_data"))
    else:
        fig = engines_charts.engines_by_quarter(
            quarters,
            title=title,
            panel_titles={
                key: t(f"scenarios.panel.{key}", currency=currency)
                for key in engines.ENGINE_METRICS
            },
            motion_labels=labels,
            money_prefix=symbol,
        )
        won = quarters.groupby("motion_group")["won_amount"].sum()
        if {"pull", "push"} <= set(won.index):
            takeaway = t(
                "scenarios.quarters_takeaway",
                pull=fmt.money(won["pull"], compact=True),
                push=fmt.money(won["push"], compact=True),
            )
    wide = engines.whole_quarters(f)
    share = float(state.settings().get("pull_share_of_sales", "0") or 0)
    page.chart(
        fig,
        caption=t(
            "scenarios.quarters_caption",
            start=fmt.date(wide.date_from),
            end=fmt.date(wide.date_to),
            share=fmt.pct(min(max(share, 0.0), 1.0), digits=0),
        ),
        key="scenarios_quarters",
        data=quarters,
        takeaway=takeaway,
    )

    st.subheader(t("scenarios.section_horizon"))
    value = state.call(engines.value_per_lead_by_age, f, HORIZON_MONTHS)
    title = t("scenarios.horizon_title", currency=currency)
    takeaway = None
    if value.empty:
        fig = charts.empty_figure(title=title, message=t("common.no_data"))
    else:
        fig = engines_charts.value_per_lead_curve(
            value,
            title=title,
            x_title=t("scenarios.horizon_axis_x"),
            y_title=t("scenarios.horizon_axis_y"),
            motion_labels=labels,
            cohorts_label=t("scenarios.horizon_cohorts"),
            y_prefix=symbol,
        )
        by_motion = {
            m: part.set_index("months_since")["won_per_lead"] for m, part in value.groupby("motion")
        }
        if {"pull", "push"} <= by_motion.keys():
            long = int(min(by_motion["pull"].index.max(), by_motion["push"].index.max()))
            short = min(SHORT_TERM_MONTH, long)
            if long > short:
                takeaway = t(
                    "scenarios.horizon_summary",
                    short=short,
                    long=long,
                    pull_short=fmt.money(by_motion["pull"].get(short)),
                    push_short=fmt.money(by_motion["push"].get(short)),
                    pull_long=fmt.money(by_motion["pull"].get(long)),
                    push_long=fmt.money(by_motion["push"].get(long)),
                )
    page.chart(
        fig,
        caption=t("scenarios.horizon_caption"),
        key="scenarios_horizon",
        data=value,
        takeaway=takeaway,
    )

    st.subheader(t("scenarios.section_response"))
    response = state.call(engines.channel_spend_vs_leads, f)
    title = t("scenarios.response_title")
    if response.empty:
        fig = charts.empty_figure(title=title, message=t("common.no_data"))
    else:
        fig = engines_charts.channel_response_grid(
            response,
            title=title,
            x_title=t("scenarios.response_axis_x") + f" ({currency})",
            y_title=t("scenarios.response_axis_y"),
            cost_label=t("scenarios.response_cost"),
            x_prefix=symbol,
        )
    page.chart(
        fig,
        caption=t("scenarios.response_caption"),
        key="scenarios_response",
        data=response,
        takeaway=t("scenarios.response_takeaway"),
    )


# == 2. the planner ========================================================================
model = state.call(scenarios.fitted_model) if view != "today" else None


def _set_controls(sc: projection.Scenario) -> None:
    """Put a scenario into the controls (a callback: runs before the widgets are drawn)."""
    st.session_state[K_QUARTERS] = int(sc.quarters)
    st.session_state[K_BUDGET] = float(round(sc.budget_per_quarter, -3))
    st.session_state[K_SHARE] = round(100 * sc.marketing_share)
    st.session_state[K_MQL] = round(100 * sc.mql_sql_uplift)
    st.session_state[K_WIN] = round(100 * sc.win_rate_uplift)
    for i, c in enumerate(model.channels):
        st.session_state[f"scn_mix_{i}"] = round(100 * sc.mix.get(c, 0.0))


def _controls_scenario() -> projection.Scenario:
    mix = {c: float(st.session_state[f"scn_mix_{i}"]) for i, c in enumerate(model.channels)}
    return projection.Scenario(
        budget_per_quarter=float(st.session_state[K_BUDGET] or 0.0),
        marketing_share=st.session_state[K_SHARE] / 100,
        mix=mix,
        quarters=int(st.session_state[K_QUARTERS]),
        mql_sql_uplift=st.session_state[K_MQL] / 100,
        win_rate_uplift=st.session_state[K_WIN] / 100,
    )


def _best_split(ws, budget: float, quarters: int, mql: float, win: float):
    """The revenue-maximising split at this budget and horizon, default bounds (cached)."""
    fitted = state.call(scenarios.fitted_model)
    lo, hi = optimiser.default_bounds(fitted)
    return optimiser.max_revenue(
        fitted, budget, quarters, lo, hi, mql_sql_uplift=mql, win_rate_uplift=win
    )


if view == "plan":
    if model is None:
        st.info(t("scenarios.plan.no_history"))
    else:
        today = projection.current_scenario(model)
        # first visit, or another workspace (other channels): start from today's plan
        if st.session_state.get("scn_channels") != model.channels:
            _set_controls(today)
            st.session_state["scn_channels"] = model.channels
        st.caption(t("scenarios.plan.intro", month=fmt.date(model.history.as_of)))
        load = st.columns(4)
        load[0].button(t("scenarios.plan.load_today"), on_click=_set_controls, args=(today,))
        for col, kind in zip(load[1:], PRESETS, strict=True):
            col.button(
                t(f"scenarios.preset.{kind}"),
                on_click=_set_controls,
                args=(projection.preset(model, kind, int(st.session_state[K_QUARTERS])),),
                key=f"scn_load_{kind}",
            )
        left, mid, right = st.columns([1.2, 1.2, 1])
        with left:
            st.number_input(
                t("scenarios.plan.budget", currency=currency),
                min_value=0.0,
                step=50_000.0,
                format="%.0f",
                key=K_BUDGET,
                help=t("scenarios.plan.budget_help"),
            )
            st.slider(
                t("scenarios.plan.share"),
                0,
                100,
                key=K_SHARE,
                format="%d%%",
                help=t("scenarios.plan.share_help"),
            )
            st.slider(t("scenarios.plan.quarters"), 4, 12, key=K_QUARTERS)
        with mid:
            st.markdown(f"**{t('scenarios.plan.mix')}**")
            for i, c in enumerate(model.channels):
                st.slider(c, 0, 100, key=f"scn_mix_{i}", format="%d%%")
        with right:
            st.slider(
                t("scenarios.plan.mql_uplift"),
                0,
                50,
                key=K_MQL,
                format="%+d%%",
                help=t("scenarios.plan.mql_uplift_help"),
            )
            st.slider(
                t("scenarios.plan.win_uplift"),
                -20,
                30,
                key=K_WIN,
                format="%+d%%",
                help=t("scenarios.plan.win_uplift_help"),
            )
        sc = _controls_scenario()
        reps = projection.headcount(model, sc)
        now = model.point.push.reps_now
        mix_total = sum(sc.mix.values())
        m1, m2, m3 = st.columns(3)
        m1.metric(t("scenarios.plan.marketing_month"), fmt.money(sc.marketing_per_month))
        m2.metric(t("scenarios.plan.sales_month"), fmt.money(sc.sales_per_month))
        m3.metric(
            t("scenarios.plan.reps"),
            fmt.number(reps, digits=1),
            delta=t("scenarios.plan.hires", n=fmt.number(reps - now, digits=1)),
            delta_color="off",
            help=t("scenarios.plan.reps_help", cost=fmt.money(model.point.push.cost_per_rep)),
        )
        if mix_total <= 0 and sc.marketing_share > 0:
            st.warning(t("scenarios.plan.mix_empty"))

        run = projection.run_scenario(model, sc)
        base = projection.baseline(model, 3 * sc.quarters)
        q = projection.quarterly(run)
        summ = projection.summary(run, base).set_index("engine")

        # -- headline per engine
        st.subheader(t("scenarios.plan.section_projection", n=sc.quarters))
        cols = st.columns(2)
        for col, engine in zip(cols, projection.ENGINES, strict=True):
            row = summ.loc[engine]
            pay = row["payback_month"]
            with col:
                st.markdown(f"**{labels[engine]}**")
                a, b, c_ = st.columns(3)
                a.metric(
                    t("scenarios.plan.kpi_revenue"),
                    fmt.money(row["revenue"], compact=True),
                    help=t(
                        "scenarios.plan.kpi_revenue_help",
                        low=fmt.money(row["revenue_low"], compact=True),
                        high=fmt.money(row["revenue_high"], compact=True),
                    ),
                )
                b.metric(t("scenarios.plan.kpi_cac"), fmt.money(row["cac"], compact=True))
                c_.metric(
                    t("scenarios.plan.kpi_payback"),
                    _payback(pay, 3 * sc.quarters),
                    help=t("scenarios.plan.kpi_payback_help"),
                )
                st.caption(
                    t(
                        "scenarios.plan.band_line",
                        low=_money(row["revenue_low"]),
                        high=_money(row["revenue_high"]),
                        first=_money(row["revenue_first_year"]),
                        last=_money(row["revenue_last_year"]),
                    )
                )
        panel_keys = ("revenue", "revenue_cum", "leads", "won", "spend", "cac")
        fig = scenario_charts.projection_grid(
            q,
            title=t("scenarios.plan.projection_title", n=sc.quarters, currency=currency),
            panel_titles={k: t(f"scenarios.plan.panel.{k}", currency=currency) for k in panel_keys},
            motion_labels=labels,
            band_label=t("scenarios.plan.band"),
            money_prefix=symbol,
        )
        pull, push = summ.loc["pull"], summ.loc["push"]
        takeaway = t(
            "scenarios.plan.projection_takeaway",
            n=sc.quarters,
            pull=fmt.money(pull["revenue"], compact=True),
            push=fmt.money(push["revenue"], compact=True),
            pull_first=fmt.money(pull["revenue_first_year"], compact=True),
            push_first=fmt.money(push["revenue_first_year"], compact=True),
        )
        table = q.assign(
            engine=[labels[e] for e in q["engine"]],
            metric=[t(f"scenarios.plan.panel.{m}", currency=currency) for m in q["metric"]],
        ).rename(
            columns={
                "quarter": t("scenarios.col.quarter"),
                "engine": t("scenarios.col.engine"),
                "metric": t("scenarios.col.metric"),
                "value": t("scenarios.col.value"),
                "low": t("scenarios.col.low"),
                "high": t("scenarios.col.high"),
            }
        )
        page.chart(
            fig,
            caption=t(
                "scenarios.plan.projection_caption",
                draws=len(model.draws),
                cost=fmt.money(model.point.push.cost_per_rep),
            ),
            key="scenarios_projection",
            data=table,
            takeaway=takeaway,
        )
        if not model.point.brand.supported:
            st.info(t("scenarios.plan.brand_unsupported"))
        if not model.season_estimated:
            st.info(t("scenarios.plan.season_flat"))

        # -- response curves with today and the optimum
        st.subheader(t("scenarios.plan.section_curves"))
        best = state.call(
            _best_split,
            round(sc.budget_per_quarter, -3),
            sc.quarters,
            sc.mql_sql_uplift,
            sc.win_rate_uplift,
        )
        curve_rows, marks = [], []
        plan_spend = sc.channel_spend(model.channels)
        for i, c in enumerate(model.channels):
            top = max(3 * model.today_spend[i], 1.5 * plan_spend[i], 2 * model.point.channels[i].k)
            if best.ok:
                top = max(top, 1.2 * best.channel_spend[i])
            grid = np.linspace(0, top, 60)
            leads = projection.steady_response(model, i, grid)
            low, high = (
                np.percentile(leads[1:], [10, 90], axis=0)
                if len(leads) > 1
                else (leads[0], leads[0])
            )
            curve_rows.append(
                pd.DataFrame(
                    {"channel": c, "spend": grid, "leads": leads[0], "low": low, "high": high}
                )
            )
            points = [("today", model.today_spend[i]), ("plan", plan_spend[i])]
            if best.ok:
                points.append(("optimum", best.channel_spend[i]))
            for key, x in points:
                y = float(projection.steady_response(model, i, np.array([x]))[0, 0])
                marks.append({"channel": c, "mark": key, "spend": float(x), "leads": y})
        curves = pd.concat(curve_rows, ignore_index=True)
        marks_df = pd.DataFrame(marks)
        fig = scenario_charts.response_curves(
            curves,
            marks_df,
            title=t("scenarios.plan.curves_title", currency=currency),
            x_title=t("scenarios.plan.curves_x", currency=currency),
            y_title=t("scenarios.plan.curves_y"),
            mark_labels={
                "today": t("scenarios.plan.mark_today"),
                "optimum": t("scenarios.plan.mark_optimum", n=sc.quarters),
                "plan": t("scenarios.plan.mark_plan"),
            },
            band_label=t("scenarios.plan.band"),
            x_prefix=symbol,
        )
        marginal = {
            c: 1000.0 * model.point.channels[i].marginal_leads(model.today_spend[i], 1000.0)
            for i, c in enumerate(model.channels)
        }
        top_channel = max(marginal, key=marginal.get)
        page.chart(
            fig,
            caption=t("scenarios.plan.curves_caption"),
            key="scenarios_curves",
            data=marks_df,
            takeaway=t(
                "scenarios.plan.curves_takeaway",
                channel=top_channel,
                leads=fmt.number(marginal[top_channel], digits=1),
                per=fmt.money(1000),
            ),
        )
        if best.ok:
            st.caption(
                t(
                    "scenarios.plan.optimum_line",
                    n=sc.quarters,
                    revenue=_money(best.revenue),
                    sales=_money(best.sales_spend),
                    reps=fmt.number(best.sales_spend / model.point.push.cost_per_rep, digits=1),
                )
            )

        # -- optimiser with the owner's bounds
        with st.expander(t("scenarios.opt.title")):
            lo, hi = optimiser.default_bounds(model)
            names = [*model.channels, t("scenarios.opt.sales_team")]
            bounds = pd.DataFrame(
                {
                    t("scenarios.opt.col_line"): names,
                    t("scenarios.opt.col_min"): np.round(lo, -2),
                    t("scenarios.opt.col_max"): np.round(hi, -2),
                }
            )
            edited = st.data_editor(
                bounds,
                key="scn_bounds",
                hide_index=True,
                disabled=[t("scenarios.opt.col_line")],
                width="stretch",
            )
            mode = st.radio(
                t("scenarios.opt.mode"),
                ["max_revenue", "min_cac"],
                format_func=lambda m: t(f"scenarios.opt.mode_{m}"),
                horizontal=True,
                key="scn_opt_mode",
            )
            target = st.number_input(
                t("scenarios.opt.target", currency=currency, n=sc.quarters),
                min_value=0.0,
                value=float(round(1.1 * projection.total_revenue(run), -5)),
                step=500_000.0,
                format="%.0f",
                key="scn_opt_target",
                disabled=mode != "min_cac",
            )
            if st.button(t("scenarios.opt.run"), key="scn_opt_run"):
                lo_e = edited[t("scenarios.opt.col_min")].to_numpy(float)
                hi_e = edited[t("scenarios.opt.col_max")].to_numpy(float)
                uplifts = {
                    "mql_sql_uplift": sc.mql_sql_uplift,
                    "win_rate_uplift": sc.win_rate_uplift,
                }
                if mode == "max_revenue":
                    res = optimiser.max_revenue(
                        model, sc.budget_per_quarter, sc.quarters, lo_e, hi_e, **uplifts
                    )
                else:
                    res = optimiser.min_cac(
                        model, sc.budget_per_quarter, sc.quarters, target, lo_e, hi_e, **uplifts
                    )
                st.session_state["scn_opt_result"] = res
            res = st.session_state.get("scn_opt_result")
            if res is not None:
                if not res.ok:
                    st.error(
                        t(
                            f"scenarios.opt.refused.{res.reason}",
                            budget=fmt.money(sc.budget_per_quarter / 3),
                            revenue=fmt.money(res.revenue),
                        )
                    )
                else:
                    out = pd.DataFrame(
                        {
                            t("scenarios.opt.col_line"): names,
                            t("scenarios.opt.col_best"): np.append(
                                res.channel_spend, res.sales_spend
                            ),
                        }
                    )
                    st.dataframe(out, hide_index=True, width="stretch")
                    st.caption(
                        t(
                            "scenarios.opt.result_line",
                            total=fmt.money(res.monthly_total),
                            budget=fmt.money(sc.budget_per_quarter / 3),
                            revenue=fmt.money(res.revenue),
                            cac=fmt.money(res.cac),
                        )
                    )
                    total = res.monthly_total
                    applied = projection.Scenario(
                        budget_per_quarter=3 * total,
                        marketing_share=float(res.channel_spend.sum() / total) if total else 0.0,
                        mix={
                            c: float(v / max(res.channel_spend.sum(), 1e-9))
                            for c, v in zip(model.channels, res.channel_spend, strict=True)
                        },
                        quarters=sc.quarters,
                        mql_sql_uplift=sc.mql_sql_uplift,
                        win_rate_uplift=sc.win_rate_uplift,
                    )
                    st.button(
                        t("scenarios.opt.apply"),
                        on_click=_set_controls,
                        args=(applied,),
                        key="scn_opt_apply",
                    )

        # -- sensitivity
        st.subheader(t("scenarios.plan.section_tornado"))
        torn = sensitivity.tornado(model, sc)
        torn_shown = torn.assign(input=[t(f"scenarios.input.{k}") for k in torn["input"]])
        fig = scenario_charts.tornado(
            torn_shown,
            title=t("scenarios.plan.tornado_title", n=sc.quarters, currency=currency),
            x_title=t("scenarios.plan.tornado_x", currency=currency),
            low_label=t("scenarios.plan.tornado_low"),
            high_label=t("scenarios.plan.tornado_high"),
            money_prefix=symbol,
        )
        biggest = (
            torn_shown.assign(swing=(torn["high"] - torn["low"]).abs())
            .sort_values("swing")
            .iloc[-1]
        )
        page.chart(
            fig,
            caption=t("scenarios.plan.tornado_caption"),
            key="scenarios_tornado",
            data=torn_shown,
            takeaway=t(
                "scenarios.plan.tornado_takeaway",
                input=biggest["input"],
                swing=fmt.money(biggest["swing"] / 2, compact=True),
            ),
        )

        # -- save the scenario
        st.subheader(t("scenarios.plan.section_save"))
        saved = state.call(scenarios.list_scenarios)
        with st.form("scn_save_form", clear_on_submit=False):
            name = st.text_input(t("scenarios.save.name"), key=K_NAME, max_chars=scenarios.MAX_NAME)
            submitted = st.form_submit_button(t("scenarios.save.button"))
        if submitted:
            error = scenarios.validate_name(name, len(saved))
            if error is None and sc.budget_per_quarter <= 0:
                error = "budget_zero"
            if error is None and sc.marketing_share > 0 and mix_total <= 0:
                error = "mix_empty"
            if error:
                st.error(t(f"scenarios.save.error.{error}", n=scenarios.MAX_NAME))
            else:
                scenarios.save_scenario(state.workspace(), name, sc.to_dict())
                state.data_changed()
                st.success(t("scenarios.save.saved", name=name.strip()))


# == 3. compare saved scenarios ============================================================
if view == "compare":
    if model is None:
        st.info(t("scenarios.plan.no_history"))
    else:
        saved = state.call(scenarios.list_scenarios)
        if st.button(t("scenarios.compare.add_presets"), key="scn_add_presets"):
            quarters_now = int(st.session_state.get(K_QUARTERS, 8))
            for kind in PRESETS:
                scenarios.save_scenario(
                    state.workspace(),
                    t(f"scenarios.preset.{kind}"),
                    projection.preset(model, kind, quarters_now).to_dict(),
                )
            state.data_changed()
            saved = state.call(scenarios.list_scenarios)
        if saved.empty:
            st.info(t("scenarios.compare.none"))
        else:
            names = list(saved["name"])
            chosen = st.multiselect(
                t("scenarios.compare.pick", n=MAX_COMPARE),
                names,
                default=names[-MAX_COMPARE:],
                max_selections=MAX_COMPARE,
                key="scn_compare",
            )
            horizon = st.slider(t("scenarios.plan.quarters"), 4, 12, 8, key="scn_compare_quarters")
            bars, lines, kpis = [], [], []
            for name in chosen:
                inputs = saved.loc[saved["name"] == name, "inputs"].iloc[0]
                sc_saved = projection.Scenario.from_dict({**inputs, "quarters": horizon})
                run_saved = projection.run_scenario(model, sc_saved)
                summ_saved = projection.summary(run_saved, projection.baseline(model, 3 * horizon))
                totals = sum(
                    run_saved.values[(e, "revenue")].sum(axis=1) for e in projection.ENGINES
                )
                low, high = (
                    np.percentile(totals[1:], [10, 90])
                    if len(totals) > 1
                    else (totals[0], totals[0])
                )
                for row in summ_saved.itertuples():
                    bars.append(
                        {
                            "scenario": name,
                            "engine": row.engine,
                            "revenue": row.revenue,
                            "total_low": low,
                            "total_high": high,
                        }
                    )
                qq = projection.quarterly(run_saved)
                cum = (
                    qq[qq["metric"] == "revenue_cum"].groupby("quarter", sort=False)["value"].sum()
                )
                lines += [
                    {"scenario": name, "quarter": k, "revenue_cum": v} for k, v in cum.items()
                ]
                by = summ_saved.set_index("engine")
                kpis.append(
                    {
                        t("scenarios.col.scenario"): name,
                        t("scenarios.col.budget"): fmt.money(sc_saved.budget_per_quarter),
                        t("scenarios.col.share"): fmt.pct(sc_saved.marketing_share, digits=0),
                        t("scenarios.col.reps"): fmt.number(
                            projection.headcount(model, sc_saved), digits=1
                        ),
                        t("scenarios.col.revenue"): fmt.money(totals[0], compact=True),
                        t(
                            "scenarios.col.band"
                        ): f"{fmt.money(low, compact=True)} – {fmt.money(high, compact=True)}",
                        t("scenarios.col.first_year"): fmt.money(
                            by["revenue_first_year"].sum(), compact=True
                        ),
                        t("scenarios.col.cac_pull"): fmt.money(by.loc["pull", "cac"], compact=True),
                        t("scenarios.col.cac_push"): fmt.money(by.loc["push", "cac"], compact=True),
                        t("scenarios.col.payback_pull"): _payback(
                            by.loc["pull", "payback_month"], 3 * horizon
                        ),
                        t("scenarios.col.payback_push"): _payback(
                            by.loc["push", "payback_month"], 3 * horizon
                        ),
                    }
                )
            if chosen:
                bars_df = pd.DataFrame(bars)
                fig = scenario_charts.scenario_revenue(
                    bars_df,
                    title=t("scenarios.compare.bars_title", n=horizon, currency=currency),
                    y_title=t("scenarios.compare.bars_y", currency=currency),
                    motion_labels=labels,
                    band_label=t("scenarios.plan.band"),
                    money_prefix=symbol,
                )
                best_name = bars_df.groupby("scenario")["revenue"].sum().idxmax()
                page.chart(
                    fig,
                    caption=t("scenarios.compare.bars_caption"),
                    key="scenarios_compare_bars",
                    data=bars_df,
                    takeaway=t("scenarios.compare.bars_takeaway", name=best_name, n=horizon),
                )
                lines_df = pd.DataFrame(lines)
                fig = scenario_charts.scenario_cumulative(
                    lines_df,
                    title=t("scenarios.compare.lines_title", currency=currency),
                    y_title=t("scenarios.compare.lines_y", currency=currency),
                    money_prefix=symbol,
                )
                first_q = lines_df.groupby("scenario")["revenue_cum"].first().idxmax()
                page.chart(
                    fig,
                    caption=t("scenarios.compare.lines_caption"),
                    key="scenarios_compare_lines",
                    data=lines_df,
                    takeaway=t("scenarios.compare.lines_takeaway", first=first_q, last=best_name),
                )
                st.dataframe(pd.DataFrame(kpis), hide_index=True, width="stretch")
            with st.expander(t("scenarios.compare.delete_title")):
                victim = st.selectbox(t("scenarios.compare.delete_pick"), names, key="scn_delete")
                if st.button(t("scenarios.compare.delete"), key="scn_delete_button"):
                    scenarios.delete_scenario(state.workspace(), victim)
                    state.data_changed()
                    st.rerun()


# == 4. how far to trust it ================================================================
if view == "check":
    if model is None:
        st.info(t("scenarios.plan.no_history"))
    else:
        brand = model.point.brand
        st.markdown(
            t(
                "scenarios.check.model_line",
                months=model.history.n_months,
                seconds=f"{model.fit_seconds:.1f}",
                draws=len(model.draws),
                ramp=fmt.number(model.point.push.ramp_months, digits=1),
                per_rep=fmt.number(model.point.push.opps_per_rep, digits=2),
            )
        )
        st.markdown(
            t(
                "scenarios.check.brand_supported"
                if brand.supported
                else "scenarios.check.brand_not_supported",
                delta=fmt.number(brand.delta, digits=2),
                half_life=fmt.number(np.log(0.5) / np.log(brand.delta), digits=0),
                lr=fmt.number(brand.lr_stat, digits=1),
            )
        )
        warmth = model.point.warmth
        if warmth is not None:
            st.markdown(
                t(
                    "scenarios.check.warmth_supported"
                    if warmth.supported
                    else "scenarios.check.warmth_not_supported",
                    gamma=fmt.number(warmth.gamma, digits=2),
                    lr=fmt.number(warmth.lr_stat, digits=1),
                )
            )
        fitted = pd.DataFrame(
            {
                "channel": model.channels,
                "theta": model.theta[0],
                "k": model.k[0],
                "s": model.s[0],
                "beta": model.beta[0],
            }
        )
        st.dataframe(
            fitted,
            hide_index=True,
            width="stretch",
            column_config={
                "channel": t("scenarios.col.channel"),
                "theta": st.column_config.NumberColumn(t("scenarios.col.theta"), format="%.2f"),
                "k": st.column_config.NumberColumn(
                    t("scenarios.col.k", currency=currency), format="%,.0f"
                ),
                "s": st.column_config.NumberColumn(t("scenarios.col.s"), format="%.2f"),
                "beta": st.column_config.NumberColumn(t("scenarios.col.beta"), format="%.0f"),
            },
        )
        truth = state.call(scenarios.sample_truth)
        if truth is not None:
            st.subheader(t("scenarios.check.recovery_title"))
            rec = validation.parameter_recovery(model, truth[0], truth[1])
            number = st.column_config.NumberColumn
            st.dataframe(
                rec,
                hide_index=True,
                width="stretch",
                column_config={
                    "channel": t("scenarios.col.channel"),
                    "parameter": t("scenarios.col.parameter"),
                    "fitted": number(t("scenarios.col.fitted"), format="%.2f"),
                    "low": number(t("scenarios.col.low"), format="%.2f"),
                    "high": number(t("scenarios.col.high"), format="%.2f"),
                    "true": number(t("scenarios.col.true"), format="%.2f"),
                    "error": number(t("scenarios.col.error"), format="%+.2f"),
                    "tolerance": t("scenarios.col.tolerance"),
                    "within": t("scenarios.col.within"),
                    "required": t("scenarios.col.required"),
                },
            )
            required = rec[rec["required"]]
            st.caption(
                t(
                    "scenarios.check.recovery_caption",
                    ok=int(required["within"].sum()),
                    n=len(required),
                )
            )
        st.subheader(t("scenarios.check.backtest_title"))
        bt = state.call(scenarios.backtest)
        if bt is None or bt[0].empty:
            st.info(t("scenarios.check.backtest_short"))
        else:
            monthly, errors = bt
            keys = [(e, m) for m in ("leads", "revenue") for e in projection.ENGINES]
            fig = scenario_charts.backtest_grid(
                monthly,
                title=t("scenarios.check.backtest_chart", currency=currency),
                panel_titles={
                    (e, m): f"{labels[e]} · {t(f'scenarios.check.metric.{m}', currency=currency)}"
                    for e, m in keys
                },
                predicted_label=t("scenarios.check.predicted"),
                actual_label=t("scenarios.check.actual"),
                money_prefix=symbol,
            )
            err = errors.set_index(["engine", "metric"])
            page.chart(
                fig,
                caption=t("scenarios.check.backtest_caption"),
                key="scenarios_backtest",
                data=monthly,
                takeaway=t(
                    "scenarios.check.backtest_takeaway",
                    pull_leads=fmt.pct(err.loc[("pull", "leads"), "mape_monthly"], digits=0),
                    push_leads=fmt.pct(err.loc[("push", "leads"), "mape_monthly"], digits=0),
                    pull_rev=fmt.pct(err.loc[("pull", "revenue"), "mape_quarterly"], digits=0),
                    push_rev=fmt.pct(err.loc[("push", "revenue"), "mape_quarterly"], digits=0),
                ),
            )
            shown = errors.assign(
                engine=[labels[e] for e in errors["engine"]],
                metric=[
                    t(f"scenarios.check.metric.{m}", currency=currency) for m in errors["metric"]
                ],
            ).rename(
                columns={
                    "engine": t("scenarios.col.engine"),
                    "metric": t("scenarios.col.metric"),
                    "mape_monthly": t("scenarios.col.mape_monthly"),
                    "mape_quarterly": t("scenarios.col.mape_quarterly"),
                    "total_predicted": t("scenarios.col.total_predicted"),
                    "total_actual": t("scenarios.col.total_actual"),
                }
            )
            st.dataframe(
                shown,
                hide_index=True,
                width="stretch",
                column_config={
                    t("scenarios.col.mape_monthly"): st.column_config.NumberColumn(
                        format="percent"
                    ),
                    t("scenarios.col.mape_quarterly"): st.column_config.NumberColumn(
                        format="percent"
                    ),
                    t("scenarios.col.total_predicted"): st.column_config.NumberColumn(
                        format="%,.0f"
                    ),
                    t("scenarios.col.total_actual"): st.column_config.NumberColumn(format="%,.0f"),
                },
            )
