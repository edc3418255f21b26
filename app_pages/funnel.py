"""Funnel health: where the flywheel leaks, and how pull and push each convert.

Eight tabs under the data-check badges; only the open tab runs. Every chart, takeaway and
figure is computed in ``views/funnel.py`` (the same functions present mode, the meeting pack
and ``flywheel export`` draw); the MQL definition, the SLA and the unit-economics assumptions
are edited in ``components/ui/funnel_forms.py``. This file only lays them out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from components.export import tables as exports
from components.i18n import t
from components.ui import funnel_forms, page
from queries import funnel
from views import funnel as views
from views.spec import ChartSpec, Context

ctx = page.context()
BADGES = {"empty": "gray", "ok": "green", "warnings": "orange"}
ICONS = {"empty": ":material/info:", "ok": ":material/verified:", "warnings": ":material/warning:"}

page.header("funnel.title", "funnel.intro")
st.caption(page.period_caption(ctx.filters) + " · " + views.definitions(ctx))
split = st.columns([1, 3])[0].selectbox(
    t("funnel.split"),
    options=list(funnel.SPLITS),
    format_func=lambda s: t(f"funnel.split.{s}"),
    key="funnel_split",
    help=t("funnel.split_help"),
)

checks = views.trust(ctx, split=split)
with st.container(horizontal=True):
    for text in checks.badges:
        st.badge(text, color=BADGES[checks.state], icon=ICONS[checks.state])
st.caption(checks.caption)


def cards(shown: Sequence[views.Card], *, border: bool = False) -> None:
    """A row of figures over a tab's charts, each with the line under it."""
    for col, card in zip(st.columns(max(len(shown), 1)), shown, strict=False):
        with col.container(border=border) if border else col:
            st.metric(card.label, card.value, help=card.help)
            if card.caption:
                st.caption(card.caption)


def side_by_side(*charts: Callable[[Context], ChartSpec]) -> None:
    for col, chart in zip(st.columns(len(charts), gap="large"), charts, strict=True):
        with col:
            page.show(chart(ctx))


def lifecycle() -> None:
    mode = st.segmented_control(
        t("funnel.view"),
        options=["cohort", "period"],
        format_func=lambda v: t(f"funnel.view_{v}"),
        default="cohort",
        key="funnel_view",
    )
    mode = mode or "cohort"  # the control can be cleared; cohort is the default (DESIGN.md)
    page.show(views.lifecycle(ctx, mode=mode, split=split))
    page.show(views.monthly_conversion(ctx, mode=mode, split=split))
    if split != "none":
        page.show(views.conversion_by_split(ctx, split=split, mode=mode))


def handoff() -> None:
    funnel_forms.handoff_form(ctx)
    # a toggle, not an expander: a collapsed expander would still run the comparison
    if st.toggle(t("funnel.compare.heading"), key="funnel_compare_on"):
        with st.container(border=True):
            choice = funnel_forms.compare_choice(ctx)
            if choice is not None:
                page.show(views.mql_comparison(ctx, **choice))
    shown = views.handoff_cards(ctx)
    if not shown:
        st.info(t("funnel.no_mqls"))
        return
    cards(shown)
    side_by_side(views.response_curve, views.response_distribution)
    side_by_side(views.breaches_by_owner, views.won_by_sla)


def score() -> None:
    scores = views.score_range(ctx)
    if scores is None:
        st.info(t("funnel.no_scores"))
        return
    threshold = st.slider(
        t("funnel.threshold"),
        min_value=scores.low,
        max_value=scores.high,
        value=scores.start,
        step=scores.width,
        key="funnel_score_threshold",
        format="%g",
        help=t("funnel.threshold_help"),
    )
    cards(views.score_cards(ctx, threshold=threshold))
    page.show(views.threshold_tuner(ctx, threshold=threshold))
    page.show(views.qualified_by_month(ctx, threshold=threshold))


def cohorts() -> None:
    motion = st.segmented_control(
        t("funnel.cohort_motion"),
        options=["pull", "push"],
        format_func=ctx.motion_labels.get,
        default="pull",
        key="funnel_cohort_motion",
    )
    page.show(views.cohort_heatmap(ctx, motion=motion or "pull"))


def velocity() -> None:
    page.show(views.stage_velocity(ctx))
    side_by_side(views.leakage, views.lost_reasons)


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
    deals = views.stuck_deals(ctx, multiple=multiple)
    st.caption(deals.caption)
    if deals.table.empty:
        st.info(t("funnel.no_stuck"))
        return
    cards(deals.cards)
    formats = {c: st.column_config.NumberColumn(format=f) for c, f in deals.formats.items()}
    st.dataframe(deals.table, hide_index=True, column_config=formats, key="funnel_stuck_table")
    st.download_button(
        t("funnel.export_csv"),
        data=lambda: exports.csv_bytes(deals.table),
        file_name="stuck_deals.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="funnel_stuck_csv",
    )


def pipeline() -> None:
    cards(views.velocity_cards(ctx))
    page.show(views.open_pipeline(ctx))
    side_by_side(views.quarterly_win_rate, views.quarterly_deal_size, views.quarterly_cycle)


def economics() -> None:
    funnel_forms.assumptions_form(ctx)
    st.caption(views.assumptions_text(ctx))
    shown = views.unit_cards(ctx)
    if not shown:
        st.info(t("common.no_data"))
        return
    cards(shown, border=True)
    side_by_side(views.ltv_to_cac, views.payback)


page.tabs(
    "funnel_tab",
    {
        "funnel": lifecycle,
        "handoff": handoff,
        "score": score,
        "cohorts": cohorts,
        "velocity": velocity,
        "stuck": stuck,
        "pipeline": pipeline,
        "economics": economics,
    },
    "funnel.tab.",
)
