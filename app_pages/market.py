"""Market analysis: sizing, segment attractiveness, share against competitors, positioning,
and customer insight from the CRM — the market the two engines compete for.

Layout only: each chart is a function of ``views/market.py`` (the one the meeting pack and
present mode call too), each form is in ``components/ui/market_forms.py``."""

from __future__ import annotations

import streamlit as st

from components.i18n import t
from components.ui import market_forms, page
from views import market as views

page.header("market.title", "market.intro")
ctx = page.context()
years = views.years(ctx)


def choose_year() -> int | None:
    """The market year every sizing, segment and share chart is of."""
    if not years:
        st.info(
            t(
                "market.no_assumptions",
                sizing=t("market.tab.sizing"),
                insight=t("market.tab.insight"),
            )
        )
        return None
    chosen = st.selectbox(
        t("market.year"),
        options=years,
        index=years.index(views.default_year(ctx)),
        format_func=lambda y: views.year_label(ctx, y),
        key="market_year",
        help=t("market.year_help"),
    )
    months = views.months_of(ctx, chosen)
    if months < 12:
        st.warning(t("market.partial_warning", year=chosen, months=months))
    return chosen


year = choose_year()


def sizing() -> None:
    st.subheader(t("market.section_sizing"))
    if year is None:  # nothing to draw yet: say what the tab needs and start it
        market_forms.first_sizes(ctx)
        return
    log_y = st.toggle(t("market.log_scale"), value=True, key="market_log")
    left, right = st.columns(2, gap="large")
    with left:
        page.show(views.sizing(ctx, year=year, log_y=log_y), key="market_sizing")
    with right:
        sized = views.sized_segments(ctx, year)
        segment = market_forms.segment_picker(
            "market.funnel_segment", "market_funnel_segment", sized
        )
        page.show(views.sizing_funnel(ctx, year=year, segment=segment), key="market_funnel")
    page.show(views.som_check(ctx, year=year), key="market_som")
    flags = views.unreachable_flags(ctx, year)
    if flags:
        st.warning(t("market.unreachable_head") + "\n\n" + "\n".join(f"- {x}" for x in flags))
    table = views.reach_table(ctx, year)
    if not table.empty:
        st.dataframe(table, hide_index=True, width="stretch")
    market_forms.sizes_editor(ctx, year)


def segments() -> None:
    st.subheader(t("market.section_segments"))
    if year is None:
        st.info(t("market.segments_needs", tab=t("market.tab.sizing")))
        return
    left, right = st.columns([1, 1], gap="large")
    with left:
        page.show(views.attractiveness(ctx, year=year), key="market_bubbles")
    with right:
        st.markdown(f"**{t('market.ranked_title', year=year)}**")
        ranked = views.ranked_segments(ctx, year)
        if ranked.empty:
            st.info(t("common.no_data"))
        else:
            st.dataframe(ranked, hide_index=True, width="stretch")
            st.caption(t("market.ranked_score_caption"))


def competitors() -> None:
    scope_names = views.segment_names(ctx)
    segment = None
    if years and scope_names:
        st.subheader(t("market.section_share"))
        segment = market_forms.segment_picker(
            "market.share_segment", "market_share_segment", scope_names
        )
        left, right = st.columns([3, 2], gap="large")
        with left:
            page.show(views.competitor_share(ctx, segment=segment), key="market_share")
        with right:
            page.show(views.our_share(ctx, segment=segment), key="market_our_share")
    market_forms.competitors_editor(ctx, segment, scope_names)
    if years and scope_names:
        positioning(segment)
    elif years:
        st.info(t("market.no_competitors"))


def positioning(segment: str | None) -> None:
    st.subheader(t("market.section_positioning"))
    axes = views.positioning_axes(ctx, segment, st.session_state.get("market_new_axis", ""))
    left, right = st.columns([3, 1], gap="large")
    with right:
        x_axis, y_axis = market_forms.axis_pickers(ctx, axes)
    with left:
        spec = views.positioning(ctx, segment=segment, x_axis=x_axis, y_axis=y_axis)
        page.show(spec, key="market_positioning")
    market_forms.positions_editor(ctx, segment, axes)


def insight() -> None:
    st.subheader(t("market.section_insight"))
    st.caption(page.period_caption(ctx.filters))
    dimension = (
        st.segmented_control(
            t("market.insight_by"),
            options=list(views.INSIGHT_DIMENSIONS),
            format_func=lambda d: t(f"filters.{d}"),
            default="segment",
            key="market_insight_dimension",
        )
        or "segment"
    )
    grid = st.columns(2, gap="large") + st.columns(2, gap="large")
    for col, metric in zip(grid, views.INSIGHT_METRICS, strict=True):
        with col:
            spec = views.win_rate_by_segment(ctx, dimension=dimension, metric=metric)
            page.show(spec, key=f"market_insight_{metric}")
    st.caption(t("market.insight_cac_note"))


def target() -> None:
    st.subheader(t("market.section_target"))
    market_forms.target_decision(ctx)


page.tabs(
    "market_tab",
    {
        "sizing": sizing,
        "segments": segments,
        "competitors": competitors,
        "insight": insight,
        "target": target,
    },
    "market.tab.",
)
