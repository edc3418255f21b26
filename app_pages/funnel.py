"""Funnel health: where the flywheel leaks, and how pull and push each convert.

Eight views in lazy tabs (only the open tab's queries run), under data-trust badges; the MQL
definition, the SLA and the unit-economics assumptions are workspace settings edited here.
"""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import streamlit as st

from components import charts, exports, funnel_charts, page, state
from components.i18n import t
from planning import unit_economics as ue
from queries import funnel, metrics

COHORT_MONTHS = 12
SAVED_KEY = "funnel_saved_message"

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()
settings = state.settings()
mql = funnel.mql_definition(settings)
sla_hours = funnel.sla_hours(settings)
stage_labels = {s: t(f"funnel.stage.{s}") for s in funnel.STAGES}
step_labels = {s: t(f"funnel.step.{s}") for s in funnel.STEPS}


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    """The table behind a chart with readable column names (for export and present mode)."""
    return df.rename(columns=lambda c: str(c).replace("_", " ").capitalize())


def _empty(title: str):
    return charts.empty_figure(title=title, message=t("common.no_data"))


def _short(value: float | None) -> str:
    """A threshold or an hour count as typed: 24, 2.5, 0.35 (no trailing zeros)."""
    if value is None or pd.isna(value):
        return "–"
    if float(value).is_integer():
        return fmt.number(value)
    # two decimals at most, without trailing zeros (in the locale's decimal mark)
    return fmt.number(value, digits=2).rstrip("0").rstrip(".,")


def _pct(value: float | None) -> str:
    return fmt.pct(value, digits=1)


def _mql_text() -> str:
    if mql.rule == "recorded":
        return t("funnel.mql_rule.recorded")
    return t(f"funnel.mql_rule.{mql.rule}") + f" (≥ {_short(mql.threshold)})"


def _show_errors(errors) -> None:
    for error in errors:
        st.error(t(f"funnel.error.{error.code}", value=error.value))


page.header("funnel.title", "funnel.intro")
st.caption(
    page.period_caption(f)
    + " · "
    + t("funnel.mql_now", rule=_mql_text())
    + " · "
    + t("funnel.sla_now", hours=_short(sla_hours))
)
if SAVED_KEY in st.session_state:
    st.success(st.session_state.pop(SAVED_KEY))

split = st.columns([1, 3])[0].selectbox(
    t("funnel.split"),
    options=list(funnel.SPLITS),
    format_func=lambda s: t(f"funnel.split.{s}"),
    key="funnel_split",
    help=t("funnel.split_help"),
)

# -- 9. data trust ---------------------------------------------------------------------------
# two cached halves: the lead checks do not depend on the product filter
checks = funnel.combine_trust(
    state.call(funnel.lead_trust, replace(f, products=()), split),
    state.call(funnel.deal_trust, f, split),
)
warnings = funnel.trust_warnings(checks, mql=mql)
with st.container(horizontal=True):
    if checks.empty:
        st.badge(t("funnel.trust.empty"), color="gray", icon=":material/info:")
    elif not warnings:
        st.badge(t("funnel.trust.ok"), color="green", icon=":material/verified:")
    for w in warnings:
        detail = t(f"funnel.field.{w.detail}") if w.code == "never_timestamped" else w.detail
        if w.code == "thin_motion":
            detail = labels.get(w.detail, w.detail)
        st.badge(
            t(
                f"funnel.trust.{w.code}",
                share=fmt.pct(w.share, digits=0),
                count=fmt.number(w.count),
                detail=detail,
                minimum=funnel.MIN_CLOSED_DEALS,
            ),
            color="orange",
            icon=":material/warning:",
        )
st.caption(t("funnel.trust.caption", minimum=funnel.MIN_CLOSED_DEALS))

TABS = ("funnel", "handoff", "score", "cohorts", "velocity", "stuck", "pipeline", "economics")
tabs = dict(
    zip(
        TABS,
        st.tabs([t(f"funnel.tab.{k}") for k in TABS], key="funnel_tab", on_change="rerun"),
        strict=True,
    )
)


# -- 1. lifecycle funnel ---------------------------------------------------------------------
def lifecycle() -> None:
    view = st.segmented_control(
        t("funnel.view"),
        options=["cohort", "period"],
        format_func=lambda v: t(f"funnel.view_{v}"),
        default="cohort",
        key="funnel_view",
    )
    view = view or "cohort"  # the control can be cleared; cohort is the default (DESIGN.md)
    query = funnel.cohort_stage_counts if view == "cohort" else funnel.period_stage_counts
    counts = state.call(query, f, mql, split)
    stages = funnel.summarise_stages(counts)
    title = t(f"funnel.chart_{view}_title")
    shown = stages[stages["motion"].isin(["pull", "push"])]
    if shown.empty:
        fig, takeaway = _empty(title), None
    else:
        fig = funnel_charts.lifecycle_funnel(
            shown,
            title=title,
            stage_labels=stage_labels,
            motion_labels=labels,
            step_label=t("funnel.of_previous"),
            format_pct=lambda v: fmt.pct(v, digits=0),
            format_count=fmt.number,
        )
        won = shown[shown["stage"] == "won"].set_index("motion")["share_of_first"]
        takeaway = _compare_takeaway(won, "funnel.takeaway_funnel")
    page.chart(
        fig,
        caption=t(f"funnel.caption_{view}") + " " + t("funnel.caption_mql", rule=_mql_text()),
        key="funnel_lifecycle",
        data=_readable(stages),
        takeaway=takeaway,
    )

    monthly = funnel.monthly_conversion(counts, mode=view)
    monthly = monthly[monthly["motion"].isin(["pull", "push"])]
    title = t(f"funnel.monthly_{view}_title")
    maturing = funnel.maturing_from(counts) if view == "cohort" else None
    if monthly.empty:
        fig = _empty(title)
    else:
        fig = funnel_charts.monthly_conversion(
            monthly,
            title=title,
            motion_labels=labels,
            y_title=t("funnel.monthly_axis_y"),
            x_title=t(f"funnel.monthly_{view}_axis_x"),
            maturing_from=maturing,
            maturing_label=t("funnel.maturing"),
        )
    days = counts["maturity_days"].dropna() if "maturity_days" in counts else pd.Series()
    caption = t(f"funnel.monthly_{view}_caption")
    if view == "cohort":
        caption += " " + t(
            "funnel.maturing_caption",
            days=fmt.number(days.iloc[0] if len(days) else 90),
            month=fmt.date(maturing) if maturing else "–",
        )
    page.chart(fig, caption=caption, key="funnel_monthly", data=_readable(monthly))

    if split != "none":
        by_split = _conversion_by_split(counts)
        title = t("funnel.split_title", split=t(f"funnel.split.{split}"))
        if by_split.empty:
            fig = _empty(title)
        else:
            fig = funnel_charts.conversion_by_split(
                by_split, title=title, motion_labels=labels, x_title=t("funnel.monthly_axis_y")
            )
        page.chart(
            fig,
            caption=t(f"funnel.split_caption_{view}"),
            key="funnel_by_split",
            data=_readable(by_split),
        )


def _conversion_by_split(counts: pd.DataFrame) -> pd.DataFrame:
    """Lead -> won per split value and motion (pull and push), from the stage counts."""
    if counts.empty:
        return pd.DataFrame()
    df = counts[
        (counts["grain"] == "split")
        & counts["motion"].isin(["pull", "push"])
        & counts["stage"].isin(["lead", "won"])
    ]
    df = df.assign(split_value=df["split_value"].fillna(t("funnel.split_blank")))
    wide = df.pivot_table(
        index=["split_value", "motion"], columns="stage", values="count_reached", aggfunc="sum"
    ).reindex(columns=["lead", "won"])
    wide = wide.fillna(0).reset_index()
    wide = wide.rename(columns={"lead": "count_leads", "won": "count_won"})
    wide["conversion"] = wide["count_won"] / wide["count_leads"].where(wide["count_leads"] > 0)
    return wide


def _compare_takeaway(values: pd.Series, key: str, fmt_value=None) -> str | None:
    """'Pull ... 2.1× push' style takeaway from a per-motion value (bigger is better)."""
    fmt_value = fmt_value or _pct
    pull, push = values.get("pull"), values.get("push")
    if pull is None or push is None or pd.isna(pull) or pd.isna(push) or min(pull, push) <= 0:
        return None
    better, worse = ("pull", "push") if pull >= push else ("push", "pull")
    return t(
        key,
        better=labels[better],
        worse=labels[worse],
        better_value=fmt_value(values[better]),
        worse_value=fmt_value(values[worse]),
        ratio=fmt.number(values[better] / values[worse], digits=1),
    )


# -- 5. the handoff --------------------------------------------------------------------------
def handoff() -> None:
    with (
        st.expander(t("funnel.definition_title"), expanded=False, icon=":material/edit:"),
        st.form("funnel_handoff_form"),
    ):
        rule = st.radio(
            t("funnel.mql_rule"),
            options=list(funnel.MQL_RULES),
            index=list(funnel.MQL_RULES).index(mql.rule),
            format_func=lambda r: t(f"funnel.mql_rule.{r}"),
            key="funnel_mql_rule",
        )
        threshold = st.text_input(
            t("funnel.mql_threshold"),
            value="" if mql.threshold is None else f"{mql.threshold:g}",
            help=t("funnel.mql_threshold_help"),
            key="funnel_mql_threshold",
        )
        hours = st.number_input(
            t("funnel.sla_hours"),
            min_value=1.0,
            max_value=funnel.MAX_SLA_HOURS,
            value=float(sla_hours),
            step=1.0,
            help=t("funnel.sla_help"),
            key="funnel_sla_hours",
        )
        if st.form_submit_button(t("funnel.save"), type="primary"):
            values = {"mql_rule": rule, "mql_threshold": threshold, "sla_hours": hours}
            errors = funnel.save_handoff(state.workspace(), values)
            if errors:
                _show_errors(errors)
            else:
                state.data_changed()
                st.session_state[SAVED_KEY] = t("funnel.saved_handoff")
                st.rerun()

    detail = state.call(funnel.handoff_detail, f, sla_hours, mql)
    summary = funnel.handoff_summary(detail)
    summary = summary[summary["motion"].isin(["pull", "push"])].set_index("motion")
    if summary.empty:
        st.info(t("common.no_data"))
        return
    hours_text = _short(sla_hours)
    cols = st.columns(4)
    for i, motion in enumerate(summary.index):
        row = summary.loc[motion]
        cols[2 * i].metric(
            t("funnel.sla_share", motion=labels[motion], hours=hours_text),
            _pct(row["share_within_sla"]),
            help=t("funnel.sla_share_help"),
        )
        cols[2 * i].caption(
            t(
                "funnel.sla_detail",
                count=fmt.number(row["count_mqls"]),
                median=fmt.number(row["median_hours"], digits=1),
                untouched=fmt.number(row["count_mqls"] - row["count_touched"]),
            )
        )
        cols[2 * i + 1].metric(
            t("funnel.won_within", motion=labels[motion]),
            _pct(row["won_rate_within"]),
            help=t("funnel.won_within_help"),
        )
        cols[2 * i + 1].caption(t("funnel.won_outside_delta", value=_pct(row["won_rate_outside"])))

    left, right = st.columns(2, gap="large")
    with left:
        curve = funnel.response_curve(detail)
        curve = curve[curve["motion"].isin(["pull", "push"])]
        title = t("funnel.handoff_title")
        if curve.empty:
            fig = _empty(title)
        else:
            fig = funnel_charts.response_curve(
                curve,
                title=title,
                motion_labels=labels,
                sla_hours=float(sla_hours),
                sla_label=t("funnel.sla_line", hours=hours_text),
                x_title=t("funnel.handoff_axis_x"),
                y_title=t("funnel.handoff_axis_y"),
                sla_shares=summary["share_within_sla"].to_dict(),
                format_pct=fmt.pct,
            )
        page.chart(
            fig,
            caption=t("funnel.handoff_caption"),
            key="funnel_handoff",
            data=_readable(curve),
            takeaway=_compare_takeaway(summary["share_within_sla"], "funnel.takeaway_sla"),
        )
    with right:
        dist = funnel.response_distribution(detail)
        dist = dist[dist["motion"].isin(["pull", "push"])]
        title = t("funnel.distribution_title")
        fig = (
            _empty(title)
            if dist.empty
            else funnel_charts.motion_category_bars(
                dist,
                category="band",
                value="share",
                title=title,
                motion_labels=labels,
                category_labels={b: t(f"funnel.band.{b}") for b in dist["band"].unique()},
                value_title=t("funnel.distribution_axis_y"),
                category_title=t("funnel.handoff_axis_x"),
                count_column="count_mqls",
            )
        )
        page.chart(
            fig,
            caption=t("funnel.distribution_caption"),
            key="funnel_distribution",
            data=_readable(dist),
        )

    left, right = st.columns(2, gap="large")
    with left:
        owners = funnel.breaches_by_owner(detail)
        owners = owners[owners["motion"].isin(["pull", "push"])]
        title = t("funnel.breaches_title", hours=hours_text)
        fig = (
            _empty(title)
            if owners.empty
            else funnel_charts.motion_category_bars(
                owners.assign(owner=owners["owner"].replace("", t("funnel.no_owner"))),
                category="owner",
                value="count_breaches",
                title=title,
                motion_labels=labels,
                value_title=t("funnel.breaches_axis"),
                percent=False,
                horizontal=True,
                stacked=True,
                height=max(360, 80 + 28 * owners["owner"].nunique()),
            )
        )
        page.chart(
            fig, caption=t("funnel.breaches_caption"), key="funnel_breaches", data=_readable(owners)
        )
    with right:
        rates = summary.reset_index().melt(
            id_vars="motion",
            value_vars=["won_rate_within", "won_rate_outside"],
            var_name="handled",
            value_name="won_rate",
        )
        title = t("funnel.won_sla_title", hours=hours_text)
        fig = funnel_charts.motion_category_bars(
            rates,
            category="handled",
            value="won_rate",
            title=title,
            motion_labels=labels,
            category_labels={
                "won_rate_within": t("funnel.within", hours=hours_text),
                "won_rate_outside": t("funnel.outside", hours=hours_text),
            },
            value_title=t("funnel.won_rate_axis"),
        )
        page.chart(
            fig, caption=t("funnel.won_sla_caption"), key="funnel_won_sla", data=_readable(rates)
        )


# -- 6. lead-score threshold -----------------------------------------------------------------
def score_tuner() -> None:
    bounds = state.call(funnel.lead_score_bounds, f)
    if bounds["count_scored"] == 0:
        st.info(t("funnel.no_scores"))
        return
    width = funnel.score_bin_width(bounds["min_score"], bounds["max_score"])
    bins = state.call(funnel.lead_score_bins, f, width)
    table = funnel.threshold_table(bins)
    low = math.floor(bounds["min_score"] / width) * width
    high = math.floor(bounds["max_score"] / width) * width
    if high <= low:
        st.info(t("funnel.no_scores"))
        return
    best = {m: funnel.best_threshold(table, m) for m in ("overall", "pull", "push")}
    start = mql.threshold if mql.threshold is not None else best["overall"]
    start = min(max(round((start or low) / width) * width, low), high)
    threshold = st.slider(
        t("funnel.threshold"),
        min_value=float(low),
        max_value=float(high),
        value=float(start),
        step=float(width),
        key="funnel_score_threshold",
        format="%g",
        help=t("funnel.threshold_help"),
    )
    at = funnel.at_threshold(bins, threshold)
    cols = st.columns(3)
    for col, motion in zip(cols, ("overall", "pull", "push"), strict=True):
        row = at[at["motion"] == motion]
        if row.empty:
            continue
        row = row.iloc[0]
        col.metric(
            t("funnel.qualify", motion=labels[motion]),
            fmt.number(row["count_above"]),
            help=t("funnel.qualify_help"),
        )
        col.caption(
            t(
                "funnel.tuner_detail",
                above=_pct(row["won_share_above"]),
                below=_pct(row["won_share_below"]),
                best=_short(best[motion]),
            )
        )
    title = t("funnel.tuner_title")
    shown = table[table["motion"].isin(["pull", "push"])]
    fig = (
        _empty(title)
        if shown.empty
        else funnel_charts.threshold_tuner(
            shown,
            title=title,
            motion_labels=labels,
            threshold=threshold,
            best=best,
            above_label=t("funnel.above"),
            below_label=t("funnel.below"),
            best_label=t("funnel.best"),
            threshold_label=t("funnel.threshold_line", value=_short(threshold)),
            x_title=t("funnel.score_axis"),
            y_title=t("funnel.won_share_axis"),
        )
    )
    takeaway = None
    if best["overall"] is not None:
        takeaway = t("funnel.takeaway_tuner", best=_short(best["overall"]))
    page.chart(
        fig,
        caption=t("funnel.tuner_caption"),
        key="funnel_tuner",
        data=_readable(table),
        takeaway=takeaway,
    )
    monthly = funnel.qualifying_by_month(bins, threshold)
    monthly = monthly[monthly["motion"].isin(["pull", "push"])]
    title = t("funnel.qualified_title", value=_short(threshold))
    fig = (
        _empty(title)
        if monthly.empty
        else charts.motion_time_series(
            monthly,
            x="month",
            y="count_qualified",
            title=title,
            y_title=t("funnel.qualified_axis"),
            motion_labels=labels,
        )
    )
    page.chart(
        fig, caption=t("funnel.qualified_caption"), key="funnel_qualified", data=_readable(monthly)
    )


# -- 2. cohort heatmap -----------------------------------------------------------------------
def cohorts() -> None:
    motion = st.segmented_control(
        t("funnel.cohort_motion"),
        options=["pull", "push"],
        format_func=labels.get,
        default="pull",
        key="funnel_cohort_motion",
    )
    motion = motion or "pull"
    df = state.call(funnel.lead_cohort_wins, f, COHORT_MONTHS)
    title = t("funnel.cohort_title", motion=labels[motion])
    if df.empty or not (df["motion"] == motion).any():
        fig = _empty(title)
    else:
        fig = funnel_charts.cohort_heatmap(
            df,
            title=title,
            motion=motion,
            x_title=t("funnel.cohort_axis_x"),
            y_title=t("funnel.cohort_axis_y"),
            colorbar_title=t("funnel.cohort_colorbar"),
        )
    page.chart(
        fig,
        caption=t("funnel.cohort_caption"),
        key="funnel_cohorts",
        data=_readable(df[df["motion"] == motion]) if not df.empty else None,
    )


# -- 3. stage velocity and leakage -----------------------------------------------------------
def velocity() -> None:
    df = state.call(funnel.stage_velocity, f, mql)
    df = df[df["motion"].isin(["pull", "push"])]
    title = t("funnel.velocity_title")
    if df.empty:
        fig = _empty(title)
    else:
        fig = funnel_charts.stage_velocity(
            df,
            title=title,
            step_labels=step_labels,
            motion_labels=labels,
            median_label=t("funnel.median"),
            p80_label=t("funnel.p80"),
            x_title=t("funnel.velocity_axis"),
        )
    page.chart(fig, caption=t("funnel.velocity_caption"), key="funnel_velocity", data=_readable(df))

    left, right = st.columns(2, gap="large")
    with left:
        counts = state.call(funnel.cohort_stage_counts, f, mql, "none")
        leak = funnel.leakage(funnel.summarise_stages(counts))
        leak = leak[leak["motion"].isin(["pull", "push"])]
        title = t("funnel.leakage_title")
        fig = (
            _empty(title)
            if leak.empty
            else funnel_charts.motion_category_bars(
                leak,
                category="stage",
                value="share_of_leads",
                title=title,
                motion_labels=labels,
                category_labels={s: t(f"funnel.stopped.{s}") for s in funnel.STAGES},
                value_title=t("funnel.leakage_axis"),
                count_column="count_stopped",
            )
        )
        page.chart(
            fig, caption=t("funnel.leakage_caption"), key="funnel_leakage", data=_readable(leak)
        )
    with right:
        lost = state.call(funnel.lost_reasons, f)
        lost = lost[lost["motion"].isin(["pull", "push"])]
        title = t("funnel.lost_title")
        if lost.empty:
            fig = _empty(title)
        else:
            lost = lost.assign(
                lost_reason=lost["lost_reason"].replace("", t("funnel.no_reason")),
                share=lost["count_lost"] / lost.groupby("motion")["count_lost"].transform("sum"),
            )
            order = lost.groupby("lost_reason")["count_lost"].sum().sort_values(ascending=False)
            lost = lost.set_index("lost_reason").loc[order.index].reset_index()
            fig = funnel_charts.motion_category_bars(
                lost,
                category="lost_reason",
                value="share",
                title=title,
                motion_labels=labels,
                value_title=t("funnel.lost_axis"),
                horizontal=True,
                count_column="count_lost",
                height=max(360, 90 + 40 * order.size),
            )
        page.chart(fig, caption=t("funnel.lost_caption"), key="funnel_lost", data=_readable(lost))


# -- 4. stuck deals --------------------------------------------------------------------------
def stuck() -> None:
    multiple = st.slider(
        t("funnel.stuck_multiple"),
        min_value=1.0,
        max_value=5.0,
        value=2.0,
        step=0.25,
        key="funnel_stuck_multiple",
        format="%g×",
        help=t("funnel.stuck_multiple_help"),
    )
    df = state.call(funnel.stuck_deals, f, multiple)
    st.caption(t("funnel.stuck_caption", multiple=fmt.number(multiple, digits=2)))
    if df.empty:
        st.info(t("funnel.no_stuck"))
        return
    cols = st.columns(2)
    for col, motion in zip(cols, ("pull", "push"), strict=True):
        part = df[df["motion"] == motion]
        col.metric(t("funnel.stuck_count", motion=labels[motion]), fmt.number(len(part)))
        col.caption(t("funnel.stuck_amount", amount=fmt.money(part["amount"].sum())))
    table = pd.DataFrame(
        {
            t("funnel.col.deal"): df["name"].fillna(df["deal_id"]),
            t("funnel.col.account"): df["account"],
            t("funnel.col.owner"): df["owner"],
            t("funnel.col.stage"): df["stage"],
            t("funnel.col.motion"): df["motion"].map(labels),
            t("funnel.col.amount"): df["amount"],
            t("funnel.col.age"): df["age_days"].round(0),
            t("funnel.col.stage_median"): df["stage_median_days"].round(0),
            t("funnel.col.ratio"): df["age_ratio"].round(1),
        }
    )
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={
            t("funnel.col.amount"): st.column_config.NumberColumn(
                format=f"{fmt.currency_symbol}%,.0f"
            ),
            t("funnel.col.age"): st.column_config.NumberColumn(format="%d"),
            t("funnel.col.stage_median"): st.column_config.NumberColumn(format="%d"),
            t("funnel.col.ratio"): st.column_config.NumberColumn(format="%.1f×"),
        },
        key="funnel_stuck_table",
    )
    st.download_button(
        t("funnel.export_csv"),
        data=lambda: exports.csv_bytes(table),
        file_name="stuck_deals.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="funnel_stuck_csv",
    )


# -- 7. pipeline and win ---------------------------------------------------------------------
def pipeline() -> None:
    head = state.call(metrics.headline, f)
    cols = st.columns(2)
    for col, motion in zip(cols, ("pull", "push"), strict=True):
        col.metric(
            t("funnel.velocity_kpi", motion=labels[motion]),
            fmt.money(head.loc[motion, "pipeline_velocity"]),
            help=t("kpi.pipeline_velocity.help"),
        )
    stages = state.call(funnel.open_deals_by_stage, f)
    stages = stages[stages["motion"].isin(["pull", "push"])]
    title = t("funnel.pipeline_title", currency=fmt.currency)
    fig = (
        _empty(title)
        if stages.empty
        else funnel_charts.motion_category_bars(
            stages,
            category="stage",
            value="open_amount",
            title=title,
            motion_labels=labels,
            value_title=t("funnel.pipeline_axis", currency=fmt.currency),
            percent=False,
            value_prefix=fmt.currency_symbol,
            count_column="count_open",
        )
    )
    page.chart(
        fig, caption=t("funnel.pipeline_caption"), key="funnel_pipeline", data=_readable(stages)
    )

    quarters = state.call(metrics.deal_metrics_by, f, "closed_quarter")
    quarters = quarters.rename(columns={"dimension_value": "quarter"})
    quarters = quarters[quarters["quarter"].notna()]
    specs = (
        ("win_rate", t("funnel.q_win_title"), t("kpi.win_rate"), ".0%", ""),
        (
            "avg_deal_size",
            t("funnel.q_size_title", currency=fmt.currency),
            t("kpi.avg_deal_size"),
            "~s",
            fmt.currency_symbol,
        ),
        ("sales_cycle_days", t("funnel.q_cycle_title"), t("kpi.sales_cycle_days"), "", ""),
    )
    for col, (value, title, y_title, tickformat, prefix) in zip(st.columns(3), specs, strict=True):
        with col:
            fig = (
                _empty(title)
                if quarters.empty
                else funnel_charts.quarterly_lines(
                    quarters,
                    value=value,
                    title=title,
                    motion_labels=labels,
                    y_title=y_title,
                    tickformat=tickformat,
                    tickprefix=prefix,
                )
            )
            page.chart(
                fig,
                caption=t(f"kpi.{value}.help"),
                key=f"funnel_q_{value}",
                data=_readable(quarters[["quarter", "motion_group", value]]),
            )


# -- 8. unit economics -----------------------------------------------------------------------
def economics() -> None:
    margin, churn = ue.assumptions(settings)
    share = metrics.pull_share_of_sales(state.workspace())
    with (
        st.expander(t("funnel.assumptions_title"), expanded=False, icon=":material/tune:"),
        st.form("funnel_unit_form"),
    ):
        c1, c2, c3 = st.columns(3)
        margin_in = c1.number_input(
            t("funnel.gross_margin"), 0.0, 100.0, margin * 100, 1.0, key="funnel_margin"
        )
        churn_in = c2.number_input(
            t("funnel.annual_churn"), 0.0, 100.0, churn * 100, 1.0, key="funnel_churn"
        )
        share_in = c3.number_input(
            t("funnel.pull_share"),
            0.0,
            100.0,
            share * 100,
            5.0,
            key="funnel_pull_share",
            help=t("funnel.pull_share_help"),
        )
        if st.form_submit_button(t("funnel.save"), type="primary"):
            errors = funnel.save_unit_assumptions(
                state.workspace(),
                {
                    "gross_margin_pct": margin_in,
                    "annual_churn_pct": churn_in,
                    "pull_share_pct": share_in,
                },
            )
            if errors:
                _show_errors(errors)
            else:
                state.data_changed()
                st.session_state[SAVED_KEY] = t("funnel.saved_assumptions")
                st.rerun()
    head = state.call(metrics.headline, f)
    table = ue.unit_economics(head, margin, churn)
    st.caption(
        t(
            "funnel.assumptions_now",
            margin=fmt.pct(margin, digits=0),
            churn=fmt.pct(churn, digits=0),
            share=fmt.pct(share, digits=0),
        )
    )
    if table.empty or table["new_customers"].sum() == 0:
        st.info(t("common.no_data"))
        return
    cols = st.columns(len(table))
    for col, row in zip(cols, table.itertuples(), strict=True):
        with col.container(border=True):
            st.metric(t("funnel.cac_of", motion=labels[row.motion]), fmt.money(row.cac))
            st.caption(
                t(
                    "funnel.unit_detail",
                    ltv=fmt.money(row.ltv),
                    ratio=fmt.number(row.ltv_to_cac, digits=1),
                    payback=fmt.number(row.payback_months, digits=1),
                    customers=fmt.number(row.new_customers),
                )
            )
    band_labels = {b: t(f"funnel.band_{b}") for b in ("good", "ok", "poor")}
    left, right = st.columns(2, gap="large")
    with left:
        fig = funnel_charts.benchmark_bars(
            table,
            value="ltv_to_cac",
            title=t("funnel.ltv_cac_title"),
            motion_labels=labels,
            bands=[
                (0, ue.LTV_CAC_POOR, "poor"),
                (ue.LTV_CAC_POOR, ue.LTV_CAC_GOOD, "ok"),
                (ue.LTV_CAC_GOOD, math.inf, "good"),
            ],
            band_labels=band_labels,
            value_title=t("funnel.ltv_cac_axis"),
            format_value=lambda v: f"{fmt.number(v, digits=1)}×",
        )
        ratios = table.set_index("motion")["ltv_to_cac"]
        page.chart(
            fig,
            caption=t("funnel.ltv_cac_caption"),
            key="funnel_ltv_cac",
            data=_readable(table),
            takeaway=_compare_takeaway(
                ratios, "funnel.takeaway_ltv_cac", lambda v: f"{fmt.number(v, digits=1)}×"
            ),
        )
    with right:
        fig = funnel_charts.benchmark_bars(
            table,
            value="payback_months",
            title=t("funnel.payback_title"),
            motion_labels=labels,
            bands=[
                (0, ue.PAYBACK_GOOD_MONTHS, "good"),
                (ue.PAYBACK_GOOD_MONTHS, ue.PAYBACK_POOR_MONTHS, "ok"),
                (ue.PAYBACK_POOR_MONTHS, math.inf, "poor"),
            ],
            band_labels=band_labels,
            value_title=t("funnel.payback_axis"),
            format_value=lambda v: fmt.number(v, digits=1),
        )
        page.chart(
            fig, caption=t("funnel.payback_caption"), key="funnel_payback", data=_readable(table)
        )


VIEWS = {
    "funnel": lifecycle,
    "handoff": handoff,
    "score": score_tuner,
    "cohorts": cohorts,
    "velocity": velocity,
    "stuck": stuck,
    "pipeline": pipeline,
    "economics": economics,
}
for name, tab in tabs.items():
    with tab:
        if tab.open:
            VIEWS[name]()
