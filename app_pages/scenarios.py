"""Pull vs push & scenarios: the two engines compared by quarter (short term against long term),
and the scenario planner: fit once (cached), then every control only reprojects.

Layout only: the charts are views (views/scenarios.py), the forms components/ui/scenario_forms.py.
"""

from __future__ import annotations

import streamlit as st

from components.i18n import t
from components.ui import page, state
from components.ui import scenario_forms as forms
from views import scenarios as views

f = page.filters()
fmt = state.formatter()
ctx = page.context()

page.header("scenarios.title", "scenarios.intro")


def _no_model():
    """The fitted planner, or None after listing once what the history lacks, with counts."""
    model = views.model(ctx)
    if model is None:
        gaps = views.gaps(ctx)
        if gaps:
            lines = "\n".join(f"- {page.escape_md(g)}" for g in gaps)
            st.info(t("scenarios.plan.page_cannot_fit") + "\n\n" + lines)
        else:
            st.info(t("scenarios.plan.no_history"))
    return model


def today() -> None:
    st.caption(page.period_caption(f))
    st.subheader(t("scenarios.section_quarters"))
    page.show(views.engines_by_quarter(ctx), key="scenarios_quarters")
    st.subheader(t("scenarios.section_horizon"))
    page.show(views.value_per_lead(ctx, horizon=views.HORIZON_MONTHS), key="scenarios_horizon")
    st.subheader(t("scenarios.section_response"))
    page.show(views.channel_response(ctx), key="scenarios_response")


def plan() -> None:
    model = _no_model()
    if model is None:
        return
    sc = forms.plan_controls(model)

    st.subheader(t("scenarios.plan.section_projection", n=sc.quarters))
    heads = views.engine_headlines(ctx, scenario=sc)
    refused = views.plan_refusal(ctx, scenario=sc) if heads is None else None
    if refused:
        # the projection is outside the evidence: said once here, its charts say it too
        st.warning(page.escape_md(refused))
    for col, head in zip(st.columns(2), heads or [], strict=False):
        with col:
            st.markdown(f"**{head['label']}**")
            a, b, c = st.columns(3)
            a.metric(t("scenarios.plan.kpi_revenue"), head["revenue"], help=head["revenue_help"])
            b.metric(t("scenarios.plan.kpi_cac"), head["cac"], help=head["cac_help"])
            c.metric(
                t("scenarios.plan.kpi_payback"),
                head["payback"],
                help=t("scenarios.plan.kpi_payback_help"),
            )
            st.caption(page.escape_md(head["band_line"]))
    page.show(views.plan_projection(ctx, scenario=sc), key="scenarios_projection")
    if not model.point.brand.supported:
        st.info(t("scenarios.plan.brand_unsupported"))
    if not model.season_estimated:
        st.info(t("scenarios.plan.season_flat"))

    st.subheader(t("scenarios.plan.section_curves"))
    page.show(views.response_curves(ctx, scenario=sc), key="scenarios_curves")
    optimum = views.optimum_line(ctx, scenario=sc)
    if optimum:
        st.caption(page.escape_md(optimum))
    forms.optimiser_form(model, sc)

    st.subheader(t("scenarios.plan.section_tornado"))
    page.show(views.tornado(ctx, scenario=sc), key="scenarios_tornado")

    st.subheader(t("scenarios.plan.section_save"))
    forms.save_form(sc)


def compare() -> None:
    model = _no_model()
    if model is None:
        return
    choice = forms.compare_choice(model)
    if choice is not None:
        names, quarters = choice
        if names:
            chosen = {"names": names, "quarters": quarters}
            page.show(views.compare_bars(ctx, **chosen), key="scenarios_compare_bars")
            page.show(views.compare_lines(ctx, **chosen), key="scenarios_compare_lines")
            st.dataframe(views.compare_table(ctx, **chosen), hide_index=True, width="stretch")
    forms.delete_form()


def _sample_truth() -> tuple[dict[str, dict], float] | None:
    """The generator's true channel parameters and scale when the workspace is the sample
    company (only the app, which built it, knows them); None for a real workspace."""
    settings = state.settings()
    if settings.get("is_sample", "").lower() != "true":
        return None
    from sample_data.localise import LOCALES, true_channels

    try:
        scale = float(settings.get("sample_scale", "1") or 1)
    except ValueError:
        scale = 1.0
    # the Chinese sample names its channels in Chinese and counts K in yuan
    locale = settings.get("sample_locale") or "en"
    return true_channels(locale if locale in LOCALES else "en"), scale


def check() -> None:
    model = _no_model()
    if model is None:
        return
    for line in views.model_lines(ctx):
        st.markdown(line)
    number = st.column_config.NumberColumn
    col = lambda k, **kw: t(f"scenarios.col.{k}", **kw)  # noqa: E731
    st.dataframe(
        views.fitted_parameters(ctx),
        hide_index=True,
        width="stretch",
        column_config={
            "channel": col("channel"),
            "theta": number(col("theta"), format="%.2f"),
            "k": number(col("k", currency=fmt.currency), format="%,.0f"),
            "s": number(col("s"), format="%.2f"),
            "beta": number(col("beta"), format="%.0f"),
        },
    )
    truth = _sample_truth()
    recovery = views.parameter_recovery(ctx, *truth) if truth else None
    if recovery is not None:
        st.subheader(t("scenarios.check.recovery_title"))
        rec, caption = recovery
        decimals = {k: number(col(k), format="%.2f") for k in ("fitted", "low", "high", "true")}
        st.dataframe(
            rec,
            hide_index=True,
            width="stretch",
            column_config=decimals
            | {k: col(k) for k in ("channel", "parameter", "tolerance", "within", "required")}
            | {"error": number(col("error"), format="%+.2f")},
        )
        st.caption(caption)
    st.subheader(t("scenarios.check.backtest_title", **views.planner_figures(ctx.fmt)))
    spec = views.backtest(ctx)
    if spec.is_empty:
        st.info(spec.empty_reason)
        return
    page.show(spec, key="scenarios_backtest")
    percent, money = number(format="percent"), number(format="%,.0f")
    st.dataframe(
        views.backtest_errors(ctx),
        hide_index=True,
        width="stretch",
        column_config={col("mape_monthly"): percent, col("mape_quarterly"): percent}
        | {col("total_predicted"): money, col("total_actual"): money},
    )


page.tabs(
    "scn_view",
    {"today": today, "plan": plan, "compare": compare, "check": check},
    "scenarios.tab.",
)
