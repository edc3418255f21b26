"""The scenario planner's editing forms: the plan's controls, the optimiser with the owner's
bounds, saving a named scenario, and choosing or deleting saved ones.

Each returns what the page needs to draw (a ``Scenario``, the names to compare); the charts
themselves are views (``views/scenarios.py``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import streamlit as st

from components.i18n import t
from components.ui import auth, page, state
from planning import optimiser, projection
from planning.model import PlannerModel
from planning.projection import Scenario
from queries import scenarios
from views import scenarios as views

PRESETS = ("push_heavy", "balanced", "pull_heavy")
# session keys of the planner's controls (the tests drive them)
K_QUARTERS, K_BUDGET, K_SHARE = "scn_quarters", "scn_budget", "scn_share"
K_MQL, K_WIN, K_NAME = "scn_mql_uplift", "scn_win_uplift", "scn_name"
K_CHANNELS, K_OPT_RESULT = "scn_channels", "scn_opt_result"
SAVE_SECTION = "scenarios.save"


def _mix_key(i: int) -> str:
    return f"scn_mix_{i}"


def set_controls(model: PlannerModel, sc: Scenario) -> None:
    """Put a scenario into the controls (a callback: runs before the widgets are drawn)."""
    st.session_state[K_QUARTERS] = int(sc.quarters)
    st.session_state[K_BUDGET] = float(round(sc.budget_per_quarter, -3))
    st.session_state[K_SHARE] = round(100 * sc.marketing_share)
    st.session_state[K_MQL] = round(100 * sc.mql_sql_uplift)
    st.session_state[K_WIN] = round(100 * sc.win_rate_uplift)
    for i, c in enumerate(model.channels):
        st.session_state[_mix_key(i)] = round(100 * sc.mix.get(c, 0.0))


def controls_scenario(model: PlannerModel) -> Scenario:
    """The scenario the controls hold now."""
    ss = st.session_state
    return Scenario(
        budget_per_quarter=float(ss[K_BUDGET] or 0.0),
        marketing_share=ss[K_SHARE] / 100,
        mix={c: float(ss[_mix_key(i)]) for i, c in enumerate(model.channels)},
        quarters=int(ss[K_QUARTERS]),
        mql_sql_uplift=ss[K_MQL] / 100,
        win_rate_uplift=ss[K_WIN] / 100,
    )


def plan_controls(model: PlannerModel) -> Scenario:
    """Budget, marketing share, horizon, channel mix and uplifts, with buttons that load
    today's plan or a preset; the cost lines and headcount the plan implies under them."""
    fmt = state.formatter()
    currency = fmt.currency
    today = projection.current_scenario(model)
    # first visit, or another workspace (other channels): start from today's plan
    if st.session_state.get(K_CHANNELS) != model.channels:
        set_controls(model, today)
        st.session_state[K_CHANNELS] = model.channels
    st.caption(t("scenarios.plan.intro", month=fmt.date(model.history.as_of)))
    load = st.columns(4)
    load[0].button(t("scenarios.plan.load_today"), on_click=set_controls, args=(model, today))
    for col, kind in zip(load[1:], PRESETS, strict=True):
        col.button(
            t(f"scenarios.preset.{kind}"),
            on_click=set_controls,
            args=(model, projection.preset(model, kind, int(st.session_state[K_QUARTERS]))),
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
            st.slider(c, 0, 100, key=_mix_key(i), format="%d%%")
    with right:
        st.slider(
            t("scenarios.plan.mql_uplift"),
            0,
            50,
            key=K_MQL,
            format="%+d%%",
            help=_mql_help(model),
        )
        st.slider(
            t("scenarios.plan.win_uplift"),
            -20,
            30,
            key=K_WIN,
            format="%+d%%",
            help=t("scenarios.plan.win_uplift_help"),
        )
    sc = controls_scenario(model)
    reps = projection.headcount(model, sc)
    m1, m2, m3 = st.columns(3)
    m1.metric(t("scenarios.plan.marketing_month"), fmt.money(sc.marketing_per_month))
    cost_known = model.point.push.cost_known
    # with no sales spend the team's cost is unknown: "—", not the budget's remainder
    m2.metric(
        t("scenarios.plan.sales_month"),
        fmt.money(sc.sales_per_month if cost_known else None),
        help=None if cost_known else t("scenarios.plan.cac_unknown"),
    )
    m3.metric(
        t("scenarios.plan.reps"),
        fmt.number(reps, digits=1),
        delta=t("scenarios.plan.hires", n=fmt.number(reps - model.point.push.reps_now, digits=1)),
        delta_color="off",
        help=t(
            "scenarios.plan.reps_help",
            cost=fmt.money(model.point.push.cost_per_rep),
            **views.planner_figures(fmt),
        ),
    )
    if _mix_empty(sc):
        st.warning(t("scenarios.plan.mix_empty"))
    return sc


def _mql_help(model) -> str:
    """The MQL uplift's help with today's fitted pull MQL → SQL rate as its example (no example
    when the history has no MQLs to measure it on)."""
    rate = model.point.funnels["pull"].mql_sql
    if not rate or rate <= 0:
        return t("scenarios.plan.mql_uplift_help_plain")
    fmt = state.formatter()
    return t(
        "scenarios.plan.mql_uplift_help",
        rate=fmt.pct(rate, digits=1),
        lifted=fmt.pct(min(rate * 1.1, 1.0), digits=1),
    )


def _mix_empty(sc: Scenario) -> bool:
    return sc.marketing_share > 0 and sum(sc.mix.values()) <= 0


def optimiser_form(model: PlannerModel, sc: Scenario) -> None:
    """The optimiser with the owner's bounds per line: maximise revenue at this budget, or
    reach a revenue target at the lowest CAC; its answer can be loaded into the controls."""
    fmt = state.formatter()
    with st.expander(t("scenarios.opt.title")):
        lo, hi = optimiser.default_bounds(model)
        names = [*model.channels, t("scenarios.opt.sales_team")]
        col_line, col_min, col_max = (t(f"scenarios.opt.col_{c}") for c in ("line", "min", "max"))
        bounds = pd.DataFrame(
            {col_line: names, col_min: np.round(lo, -2), col_max: np.round(hi, -2)}
        )
        edited = st.data_editor(
            bounds, key="scn_bounds", hide_index=True, disabled=[col_line], width="stretch"
        )
        mode = st.radio(
            t("scenarios.opt.mode"),
            ["max_revenue", "min_cac"],
            format_func=lambda m: t(f"scenarios.opt.mode_{m}"),
            horizontal=True,
            key="scn_opt_mode",
        )
        plan_revenue = projection.total_revenue(projection.run_scenario(model, sc, bands=False))
        target = st.number_input(
            t("scenarios.opt.target", currency=fmt.currency, n=sc.quarters),
            min_value=0.0,
            value=float(round(1.1 * plan_revenue, -5)),
            step=500_000.0,
            format="%.0f",
            key="scn_opt_target",
            disabled=mode != "min_cac",
        )
        if st.button(t("scenarios.opt.run"), key="scn_opt_run"):
            lo_e, hi_e = edited[col_min].to_numpy(float), edited[col_max].to_numpy(float)
            uplifts = {"mql_sql_uplift": sc.mql_sql_uplift, "win_rate_uplift": sc.win_rate_uplift}
            budget, quarters = sc.budget_per_quarter, sc.quarters
            st.session_state[K_OPT_RESULT] = (
                optimiser.max_revenue(model, budget, quarters, lo_e, hi_e, **uplifts)
                if mode == "max_revenue"
                else optimiser.min_cac(model, budget, quarters, target, lo_e, hi_e, **uplifts)
            )
        res = st.session_state.get(K_OPT_RESULT)
        if res is None:
            return
        if not res.ok:
            st.error(
                t(
                    f"scenarios.opt.refused.{res.reason}",
                    budget=fmt.money(sc.budget_per_quarter / 3),
                    revenue=fmt.money(res.revenue),
                )
            )
            return
        best = np.append(res.channel_spend, res.sales_spend)
        out = pd.DataFrame({col_line: names, t("scenarios.opt.col_best"): best})
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
        st.button(
            t("scenarios.opt.apply"),
            on_click=set_controls,
            args=(model, _applied(model, sc, res)),
            key="scn_opt_apply",
        )


def _applied(model: PlannerModel, sc: Scenario, res: optimiser.Allocation) -> Scenario:
    """The optimiser's answer as a scenario (same horizon and uplifts)."""
    total = res.monthly_total
    marketing = float(res.channel_spend.sum())
    return Scenario(
        budget_per_quarter=3 * total,
        marketing_share=marketing / total if total else 0.0,
        mix={
            c: float(v / max(marketing, 1e-9))
            for c, v in zip(model.channels, res.channel_spend, strict=True)
        },
        quarters=sc.quarters,
        mql_sql_uplift=sc.mql_sql_uplift,
        win_rate_uplift=sc.win_rate_uplift,
    )


def save_form(sc: Scenario) -> None:
    """Save the plan under a name; refused (nothing saved) for an empty, long or control-
    character name, a zero budget or an empty channel mix."""
    page.show_flash(SAVE_SECTION)
    with st.form("scn_save_form", clear_on_submit=False):
        name = st.text_input(t("scenarios.save.name"), key=K_NAME, max_chars=scenarios.MAX_NAME)
        submitted = st.form_submit_button(t("scenarios.save.button"))
    if not submitted:
        return
    saved = state.call(scenarios.list_scenarios)
    error = scenarios.validate_name(name, len(saved))
    if error is None and sc.budget_per_quarter <= 0:
        error = "budget_zero"
    if error is None and _mix_empty(sc):
        error = "mix_empty"
    if error:
        st.error(t(f"scenarios.save.error.{error}", n=scenarios.MAX_NAME))
        return
    if not auth.require("edit_scenarios"):
        return
    scenarios.save_scenario(state.workspace(), name, sc.to_dict())
    page.saved(t("scenarios.save.saved", name=name.strip()), section=SAVE_SECTION)


def compare_choice(model: PlannerModel) -> tuple[list[str], int] | None:
    """A button adding the three presets, then which saved scenarios to compare (the last
    four by default) over which horizon; None when nothing is saved."""
    if st.button(t("scenarios.compare.add_presets"), key="scn_add_presets") and auth.require(
        "edit_scenarios"
    ):
        quarters_now = int(st.session_state.get(K_QUARTERS, views.COMPARE_QUARTERS))
        for kind in PRESETS:
            scenarios.save_scenario(
                state.workspace(),
                t(f"scenarios.preset.{kind}"),
                projection.preset(model, kind, quarters_now).to_dict(),
            )
        page.saved(t("scenarios.compare.presets_added"))
    saved = state.call(scenarios.list_scenarios)
    if saved.empty:
        st.info(t("scenarios.compare.none"))
        return None
    names = list(saved["name"])
    chosen = st.multiselect(
        t("scenarios.compare.pick", n=views.MAX_COMPARE),
        names,
        default=views.default_names(saved),
        max_selections=views.MAX_COMPARE,
        key="scn_compare",
    )
    horizon = st.slider(
        t("scenarios.plan.quarters"), 4, 12, views.COMPARE_QUARTERS, key="scn_compare_quarters"
    )
    return chosen, horizon


def delete_form() -> None:
    """Delete one saved scenario."""
    names = list(state.call(scenarios.list_scenarios)["name"])
    if not names:
        return
    with st.expander(t("scenarios.compare.delete_title")):
        victim = st.selectbox(t("scenarios.compare.delete_pick"), names, key="scn_delete")
        if st.button(t("scenarios.compare.delete"), key="scn_delete_button") and auth.require(
            "edit_scenarios"
        ):
            scenarios.delete_scenario(state.workspace(), victim)
            page.saved(t("scenarios.compare.deleted", name=victim))
