"""Market analysis: sizing, segment attractiveness, share against competitors, positioning,
and customer insight from the CRM — the market the two engines compete for."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import charts, filter_bar, market_charts, page, state
from components.i18n import t
from planning import market_sizing
from queries import market, metrics, plans

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()
money = fmt.currency_symbol

page.header("market.title", "market.intro")

years = state.call(market.market_years)
first_day, last_day = state.call(market.data_span)
# the market assumptions of every year, and our won revenue per segment of a calendar year:
# each asked for once and read by every section below (sizing, attractiveness, our share)
sizes = state.call(market.segment_sizes, f)
_won_by_year: dict = {}


def won_in(year: int):
    if year not in _won_by_year:  # a cache hit still copies the frame: keep it for this run
        _won_by_year[year] = state.call(market.won_by_segment, f, year)
    return _won_by_year[year]


def _year_label(year: int) -> str:
    months = market.months_covered(first_day, last_day, year)
    if months == 12:
        return str(year)
    if months == 0:
        return t("market.year_no_data", year=year)
    return t("market.year_partial", year=year, months=months)


def _year_tick(year: int) -> str:
    months = market.months_covered(first_day, last_day, year)
    return str(year) if months in (0, 12) else t("market.year_tick", year=year, months=months)


def compact_money(value: float) -> str:
    return fmt.money(value, compact=True)


def _pct(value: float | None, digits: int = 0) -> str:
    return fmt.pct(value, digits=digits)


SIZE_FIELDS = {
    "segment": t("filters.segment"),
    "tam": t("market.size.tam"),
    "sam": t("market.size.sam"),
    "som": t("market.size.som"),
    "growth_pct": t("market.growth_axis"),
    "target_accounts": t("market.col_accounts"),
    "expected_acv": t("market.col_acv"),
    "competitor": t("market.col_competitor"),
    "year": t("market.year"),
    "share_pct": t("market.share_axis"),
    "price_index": t("market.price_index"),
    "quality_index": t("market.quality_index"),
    "segments": t("market.target_segments"),
    "rationale": t("market.target_rationale"),
    "file": t("market.csv_file"),
    "player": t("market.col_player"),
    "axis": t("market.axis"),
    "value": t("market.axis_value"),
    "kind": t("market.col_role"),
}


def refuse(error: plans.PlanError) -> None:
    """Say, field by field, why an edit was refused (nothing was saved)."""
    lines = plans.messages(error.errors, t, SIZE_FIELDS)
    st.error(t("market.refused") + "\n\n" + "\n".join(f"- {html.escape(x)}" for x in lines))


def saved(message_key: str, **kw: object) -> None:
    state.data_changed()
    st.session_state["market_flash"] = t(message_key, **kw)
    st.rerun()


if "market_flash" in st.session_state:
    st.success(st.session_state.pop("market_flash"))


if not years:
    st.info(t("market.no_assumptions"))
    year = None
else:
    default = market.default_year(years, first_day, last_day)
    year = st.selectbox(
        t("market.year"),
        options=years,
        index=years.index(default),
        format_func=_year_label,
        key="market_year",
        help=t("market.year_help"),
    )
    months = market.months_covered(first_day, last_day, year)
    if months < 12:
        st.warning(t("market.partial_warning", year=year, months=months))

# One lazy tab per question: only the open tab runs its queries and draws its charts, so an
# interaction stays fast on a large workspace (present mode and the meeting pack show them all).
TAB_KEY = "market_tab"
tab_sizing, tab_segments, tab_competitors, tab_insight, tab_target = st.tabs(
    [t(f"market.tab.{k}") for k in ("sizing", "segments", "competitors", "insight", "target")],
    key=TAB_KEY,
    on_change="rerun",
)


# -- 1. market sizing ------------------------------------------------------------------------
with tab_sizing:
    if tab_sizing.open:  # noqa: SIM102 - only the open tab's queries run
        if year is not None:
            st.subheader(t("market.section_sizing"))
            sizing = market.sizing_table(sizes, won_in(year), year)
            # what the funnel can deliver, from the sidebar period: opportunities created per year ×
            # win rate × average deal size, per segment (deal_metrics_by: one implementation)
            by_segment = state.call(metrics.deal_metrics_by, f, "segment")
            open_pipe = state.call(market.open_pipeline_by_segment, f)
            reach = market_sizing.reach_table(
                sizing, market.funnel_by_segment(by_segment, open_pipe), f.days
            )
            log_y = st.toggle(t("market.log_scale"), value=True, key="market_log")
            left, right = st.columns(2, gap="large")
            with left:
                title = t("market.sizing_title", year=year, currency=fmt.currency)
                if sizing.empty:
                    fig = charts.empty_figure(title=title, message=t("common.no_data"))
                else:
                    fig = market_charts.sizing_bars(
                        sizing,
                        title=title,
                        labels={
                            k: t(f"market.size.{k}") for k in ("tam", "sam", "som", "bottom_up")
                        },
                        y_title=t("market.market_size_axis", currency=fmt.currency),
                        money_prefix=money,
                        money_text=compact_money,
                        log_y=log_y,
                    )
                biggest_gap = None
                if not sizing.empty:
                    ratio = sizing["bottom_up"] / sizing["som"].where(sizing["som"] > 0)
                    if ratio.notna().any():
                        i = (ratio.fillna(1.0) - 1.0).abs().idxmax()
                        biggest_gap = t(
                            "market.sizing_takeaway",
                            segment=sizing.loc[i, "segment"],
                            ratio=fmt.number(float(ratio[i]), digits=1),
                        )
                page.chart(
                    fig,
                    caption=t("market.sizing_caption"),
                    key="market_sizing",
                    data=sizing[["segment", "tam", "sam", "som", "bottom_up"]],
                    takeaway=biggest_gap,
                )
            with right:
                funnel_segments = reach["segment"].tolist()
                ALL_SEGMENTS = "__all__"
                funnel_choice = st.selectbox(
                    t("market.funnel_segment"),
                    options=[ALL_SEGMENTS, *funnel_segments],
                    format_func=lambda s: t("market.all_segments") if s == ALL_SEGMENTS else s,
                    key="market_funnel_segment",
                )
                rows = (
                    reach
                    if funnel_choice == ALL_SEGMENTS
                    else reach[reach["segment"] == funnel_choice]
                )
                scope_label = (
                    t("market.all_segments") if funnel_choice == ALL_SEGMENTS else funnel_choice
                )
                title = t(
                    "market.funnel_title", scope=scope_label, year=year, currency=fmt.currency
                )
                if rows.empty:
                    fig = charts.empty_figure(title=title, message=t("common.no_data"))
                else:
                    total = rows[
                        ["tam", "sam", "som", "bottom_up", "deliverable", "won_amount"]
                    ].sum(min_count=1)
                    fig = market_charts.sizing_funnel(
                        {k: total[k] for k in ("tam", "sam", "som")},
                        {k: total[k] for k in ("bottom_up", "deliverable", "won_amount")},
                        title=title,
                        top_down_title=t("market.top_down"),
                        bottom_up_title=t("market.bottom_up"),
                        labels={
                            "tam": t("market.size.tam"),
                            "sam": t("market.size.sam"),
                            "som": t("market.size.som"),
                            "bottom_up": t("market.size.bottom_up_short"),
                            "deliverable": t("market.deliverable_short"),
                            "won_amount": t("market.won_short", year=year),
                        },
                        money_text=compact_money,
                    )
                page.chart(
                    fig,
                    caption=t("market.funnel_caption"),
                    key="market_funnel",
                    data=rows[
                        ["segment", "tam", "sam", "som", "bottom_up", "deliverable", "won_amount"]
                    ],
                    takeaway=None,
                )

            title = t("market.som_title", year=year, currency=fmt.currency)
            if reach.empty:
                fig = charts.empty_figure(title=title, message=t("common.no_data"))
            else:
                coverage = {
                    r.segment: (
                        t("market.needs_growth", times=fmt.number(r.needed_growth, digits=1))
                        if pd.notna(r.needed_growth)
                        else ""
                    )
                    for r in reach.itertuples()
                }
                fig = market_charts.som_check(
                    reach.assign(som_status=reach["reach"]),
                    title=title,
                    som_label=t("market.size.som"),
                    motion_labels=labels,
                    status_labels={s: t(f"market.reach.{s}") for s in market.REACH_STATUSES},
                    coverage_texts=coverage,
                    x_title=t("market.won_vs_som_axis", currency=fmt.currency),
                    money_prefix=money,
                    money_text=compact_money,
                    deliverable_label=t("market.deliverable"),
                )
            unreachable = reach.loc[reach["reach"] == "unreachable", "segment"].tolist()
            page.chart(
                fig,
                caption=t(
                    "market.som_reach_caption",
                    limit=fmt.number(market_sizing.STRETCH_LIMIT, digits=0),
                    start=fmt.date(f.date_from),
                    end=fmt.date(f.date_to),
                ),
                key="market_som",
                data=reach[
                    [
                        "segment",
                        "som",
                        "won_amount",
                        "opportunities_per_year",
                        "win_rate",
                        "avg_deal_size",
                        "deliverable",
                        "open_pipeline",
                        "pipeline_expected",
                        "needed_growth",
                        "reach",
                    ]
                ],
                takeaway=(
                    t("market.unreachable_takeaway", segments=", ".join(unreachable))
                    if unreachable
                    else t("market.reachable_takeaway")
                ),
            )
            if unreachable:
                flags = []
                for segment in unreachable:
                    r = reach[reach["segment"] == segment].iloc[0]
                    flags.append(
                        "- "
                        + t(
                            "market.unreachable_flag",
                            segment=html.escape(str(segment)),
                            som=compact_money(r.som),
                            deliverable=compact_money(r.deliverable),
                            times=fmt.number(r.needed_growth, digits=1),
                        )
                    )
                st.warning(t("market.unreachable_head") + "\n\n" + "\n".join(flags))
            if not reach.empty:
                st.dataframe(
                    [
                        {
                            t("filters.segment"): str(r.segment),
                            t("market.size.som"): compact_money(r.som),
                            t("market.col_sam_share"): _pct(
                                market_sizing.shares(r.tam, r.sam, r.som)[0]
                            ),
                            t("market.col_som_share"): _pct(
                                market_sizing.shares(r.tam, r.sam, r.som)[1]
                            ),
                            t("market.size.bottom_up_short"): compact_money(r.bottom_up),
                            t("market.col_opps_year"): fmt.number(r.opportunities_per_year),
                            t("kpi.win_rate"): _pct(r.win_rate),
                            t("kpi.avg_deal_size"): compact_money(r.avg_deal_size),
                            t("market.deliverable"): compact_money(r.deliverable),
                            t("market.col_pipeline_expected"): compact_money(r.pipeline_expected),
                            t("market.col_reach"): t(f"market.reach.{r.reach}"),
                        }
                        for r in reach.itertuples()
                    ],
                    hide_index=True,
                    width="stretch",
                )

            with st.expander(t("market.edit_sizes", year=year)):
                st.caption(t("market.edit_sizes_help"))
                year_sizes = sizes[sizes["year"] == year][
                    [
                        "segment",
                        "tam",
                        "sam",
                        "som",
                        "growth_pct",
                        "target_accounts",
                        "expected_acv",
                    ]
                ].reset_index(drop=True)
                edited = st.data_editor(
                    year_sizes,
                    num_rows="dynamic",
                    key=f"market_sizes_editor_{year}",
                    hide_index=True,
                    width="stretch",
                    column_config={
                        "segment": st.column_config.TextColumn(t("filters.segment"), required=True),
                        "tam": st.column_config.NumberColumn(t("market.size.tam"), format="%,.0f"),
                        "sam": st.column_config.NumberColumn(t("market.size.sam"), format="%,.0f"),
                        "som": st.column_config.NumberColumn(t("market.size.som"), format="%,.0f"),
                        "growth_pct": st.column_config.NumberColumn(
                            t("market.growth_axis"), format="%.1f"
                        ),
                        "target_accounts": st.column_config.NumberColumn(
                            t("market.col_accounts"), format="%d", step=1
                        ),
                        "expected_acv": st.column_config.NumberColumn(
                            t("market.col_acv"), format="%,.0f"
                        ),
                    },
                )
                if st.button(t("market.save_sizes"), key="market_save_sizes", type="primary"):
                    try:
                        plans.save_market_year(state.workspace(), year, edited)
                    except plans.PlanError as error:
                        refuse(error)
                    else:
                        saved("market.saved_sizes", year=year)

# -- 2. segment attractiveness ---------------------------------------------------------------
with tab_segments:
    if tab_segments.open:  # noqa: SIM102 - only the open tab's queries run
        if year is not None:
            st.subheader(t("market.section_segments"))
            segments = market.attractiveness_table(sizes, won_in(year), year)
            scored = (
                market_sizing.attractiveness_scores(segments) if not segments.empty else segments
            )
            left, right = st.columns([1, 1], gap="large")
            with left:
                title = t("market.bubbles_title", year=year, currency=fmt.currency)
                if segments.empty:
                    fig = charts.empty_figure(title=title, message=t("common.no_data"))
                else:
                    hover = {
                        r.segment: "<br>".join(
                            [
                                f"<b>{html.escape(str(r.segment))}</b>",
                                f"{t('market.size.sam')}: {fmt.money(r.sam, compact=True)}",
                                f"{t('market.growth')}: {fmt.number(r.growth_pct, digits=1)}%",
                                f"{t('market.won_revenue')}: "
                                f"{fmt.money(r.won_amount, compact=True)}",
                                f"{t('kpi.win_rate')}: {_pct(r.win_rate)} "
                                f"({labels['pull']} {_pct(r.win_rate_pull)}, "
                                f"{labels['push']} {_pct(r.win_rate_push)})",
                            ]
                        )
                        for r in segments.itertuples()
                    }
                    fig = market_charts.attractiveness_bubbles(
                        segments,
                        title=title,
                        x_title=t("market.sam_axis", currency=fmt.currency),
                        y_title=t("market.growth_axis"),
                        hover_texts=hover,
                        money_prefix=money,
                        money_text=compact_money,
                    )
                page.chart(
                    fig,
                    caption=t("market.bubbles_caption"),
                    key="market_bubbles",
                    data=scored.drop(columns=["won_pull", "won_push"], errors="ignore"),
                    takeaway=(
                        t("market.bubbles_takeaway", segment=scored["segment"].iloc[0])
                        if not scored.empty
                        else None
                    ),
                )
            with right:
                st.markdown(f"**{t('market.ranked_title', year=year)}**")
                if segments.empty:
                    st.info(t("common.no_data"))
                else:
                    st.dataframe(
                        [
                            {
                                t("market.col_rank"): int(r.rank),
                                t("filters.segment"): str(r.segment),
                                t("market.col_score"): fmt.number(100 * r.score, digits=0),
                                t("market.size.sam"): compact_money(r.sam),
                                t("market.growth"): f"{fmt.number(r.growth_pct, digits=1)}%",
                                t("kpi.win_rate"): _pct(r.win_rate),
                                labels["pull"]: _pct(r.win_rate_pull),
                                labels["push"]: _pct(r.win_rate_push),
                                t("market.col_closed"): fmt.number(r.won + r.lost),
                            }
                            for r in scored.itertuples()
                        ],
                        hide_index=True,
                        width="stretch",
                    )
                    st.caption(t("market.ranked_score_caption"))

# -- 3. share against competitors and 4. positioning -----------------------------------------
with tab_competitors:
    if tab_competitors.open:  # only the open tab's queries run
        scope_names = state.call(market.segment_names, f)
        if years and scope_names:
            st.subheader(t("market.section_share"))
            ALL = "__all__"
            choice = st.selectbox(
                t("market.share_segment"),
                options=[ALL, *scope_names],
                format_func=lambda s: t("market.all_segments") if s == ALL else s,
                key="market_share_segment",
            )
            segment = None if choice == ALL else choice
            scope = t("market.all_segments") if segment is None else segment
            competitors = state.call(market.competitor_shares, f, segment)
            won_by_year = {
                y: won_in(y) for y in market.share_years(sizes, segment, first_day, last_day)
            }
            shares = market.share_table(competitors, sizes, segment, won_by_year)
            rivals_share = shares[shares["kind"] == "competitor"]
            research_name = market.our_competitor_name(
                sorted(rivals_share["player"].unique()), state.settings().get("company_name")
            )
            positions = market.latest_positions(competitors)
            no_position = set(
                positions.loc[
                    positions["price_index"].isna() | positions["quality_index"].isna(),
                    "competitor",
                ]
            )
            left, right = st.columns([3, 2], gap="large")
            with left:
                title = t("market.share_title", scope=scope)
                if rivals_share.empty:
                    fig = charts.empty_figure(title=title, message=t("common.no_data"))
                else:
                    fig = market_charts.competitor_shares(
                        rivals_share,
                        title=title,
                        y_title=t("market.share_axis"),
                        research_name=research_name,
                        research_label=(
                            t("market.us_research", name=html.escape(research_name))
                            if research_name
                            else None
                        ),
                        no_position=no_position,
                    )
                leader = (
                    rivals_share[rivals_share["year"] == rivals_share["year"].max()]
                    .sort_values("share_pct", ascending=False)
                    .head(1)
                )
                page.chart(
                    fig,
                    caption=t("market.share_caption"),
                    key="market_share",
                    data=rivals_share.drop(columns="kind"),
                    takeaway=(
                        t(
                            "market.share_takeaway",
                            name=leader["player"].iloc[0],
                            share=fmt.number(leader["share_pct"].iloc[0], digits=1),
                            year=int(leader["year"].iloc[0]),
                        )
                        if not leader.empty
                        else None
                    ),
                )
            with right:
                ours = shares[shares["kind"] == "us"]
                title = t("market.our_share_title", scope=scope)
                if ours.empty:
                    fig = charts.empty_figure(title=title, message=t("common.no_data"))
                else:
                    fig = market_charts.our_share(
                        ours,
                        title=title,
                        y_title=t("market.share_axis"),
                        motion_labels=labels,
                        total_label=t("market.us_crm"),
                        year_labels={int(y): _year_tick(int(y)) for y in ours["year"].unique()},
                    )
                latest_ours = ours[(ours["player"] == "us")].sort_values("year").tail(1)
                page.chart(
                    fig,
                    caption=t("market.our_share_caption"),
                    key="market_our_share",
                    data=ours.drop(columns="kind"),
                    takeaway=(
                        t(
                            "market.our_share_takeaway",
                            share=fmt.number(latest_ours["share_pct"].iloc[0], digits=2),
                            year=int(latest_ours["year"].iloc[0]),
                        )
                        if not latest_ours.empty
                        else None
                    ),
                )

        # -- competitor table: edit, import --------------------------------------------------------
        with st.expander(t("market.edit_competitors")):
            edit_scope = None
            if years and scope_names:
                edit_scope = segment
            st.caption(
                t(
                    "market.edit_competitors_help",
                    scope=t("market.all_segments") if edit_scope is None else edit_scope,
                )
            )
            rows = state.call(plans.competitor_rows, f, edit_scope)
            known_segments = sorted(set(scope_names) | set(sizes["segment"].astype(str)))
            edited_rivals = st.data_editor(
                rows,
                num_rows="dynamic",
                key=f"market_competitor_editor_{edit_scope}",
                hide_index=True,
                width="stretch",
                column_config={
                    "competitor": st.column_config.TextColumn(
                        t("market.col_competitor"), required=True
                    ),
                    "segment": st.column_config.SelectboxColumn(
                        t("filters.segment"),
                        options=known_segments or None,
                        required=True,
                        default=edit_scope,
                    ),
                    "year": st.column_config.NumberColumn(t("market.year"), format="%d", step=1),
                    "share_pct": st.column_config.NumberColumn(
                        t("market.share_axis"), format="%.1f", min_value=0.0, max_value=100.0
                    ),
                    "price_index": st.column_config.NumberColumn(
                        t("market.price_index"), format="%.1f"
                    ),
                    "quality_index": st.column_config.NumberColumn(
                        t("market.quality_index"), format="%.1f"
                    ),
                },
            )
            if st.button(
                t("market.save_competitors"), key="market_save_competitors", type="primary"
            ):
                try:
                    plans.save_competitors(state.workspace(), edited_rivals, edit_scope)
                except plans.PlanError as error:
                    refuse(error)
                else:
                    saved("market.saved_competitors", rows=len(edited_rivals))
            st.markdown(f"**{t('market.csv_title')}**")
            st.caption(t("market.csv_help"))
            upload = st.file_uploader(
                t("market.csv_file"), type=["csv"], key="market_competitor_csv"
            )
            if upload is not None and st.button(t("market.csv_import"), key="market_csv_import"):
                try:
                    imported = plans.parse_competitors_csv(upload.getvalue())
                    count = plans.import_competitors(state.workspace(), imported)
                except plans.PlanError as error:
                    refuse(error)
                else:
                    saved("market.csv_imported", rows=count)

        # -- 4. positioning map --------------------------------------------------------------------
        if years and scope_names:
            st.subheader(t("market.section_positioning"))
            stored = state.call(plans.positioning_values)
            BUILT_IN = ("price_index", "quality_index")

            def axis_name(axis: str) -> str:
                return t(f"market.{axis}") if axis in BUILT_IN else axis

            if stored.empty:
                # nothing saved yet: start from the research indices in the competitor table, and us
                # at research's position for us (or the market average)
                start = market.map_start(positions, research_name)
                base = [
                    {
                        "kind": "competitor",
                        "player": r.competitor,
                        "axis": a,
                        "value": getattr(r, a),
                    }
                    for r in market.placed_rivals(positions, research_name).itertuples()
                    for a in BUILT_IN
                ]
                if start is not None:
                    base += [
                        {"kind": "us", "player": "", "axis": "price_index", "value": start.price},
                        {
                            "kind": "us",
                            "player": "",
                            "axis": "quality_index",
                            "value": start.quality,
                        },
                    ]
                stored = pd.DataFrame(base, columns=["kind", "player", "axis", "value"])
            axes = list(dict.fromkeys([*BUILT_IN, *stored["axis"].tolist()]))
            extra_axis = st.session_state.get("market_new_axis", "").strip()
            if extra_axis and extra_axis not in axes:
                axes.append(extra_axis)
            left, right = st.columns([3, 1], gap="large")
            with right:
                x_axis = st.selectbox(
                    t("market.x_axis"), axes, index=0, format_func=axis_name, key="market_x_axis"
                )
                y_axis = st.selectbox(
                    t("market.y_axis"),
                    axes,
                    index=1 if len(axes) > 1 else 0,
                    format_func=axis_name,
                    key="market_y_axis",
                )
                st.caption(t("market.axes_help"))
            wide = stored.pivot_table(
                index=["kind", "player"], columns="axis", values="value", aggfunc="first"
            ).reindex(columns=axes)
            rivals_xy = pd.DataFrame(
                {
                    "competitor": [p for k, p in wide.index if k == "competitor"],
                    "price_index": [
                        wide.loc[(k, p), x_axis] for k, p in wide.index if k == "competitor"
                    ],
                    "quality_index": [
                        wide.loc[(k, p), y_axis] for k, p in wide.index if k == "competitor"
                    ],
                }
            )
            share_of = dict(zip(positions["competitor"], positions["share_pct"], strict=True))
            rivals_xy["share_pct"] = [
                float(share_of.get(c, 0.0) or 0.0) for c in rivals_xy["competitor"]
            ]

            def point(kind: str) -> tuple[float | None, float | None]:
                if (kind, "") not in wide.index:
                    return None, None
                x, y = wide.loc[(kind, ""), x_axis], wide.loc[(kind, ""), y_axis]
                return (None, None) if pd.isna(x) or pd.isna(y) else (float(x), float(y))

            us_x, us_y = point("us")
            target_x, target_y = point("target")
            with left:
                title = t(
                    "market.positioning_axes_title",
                    x=axis_name(x_axis),
                    y=axis_name(y_axis),
                    scope=scope,
                )
                placed = rivals_xy.dropna(subset=["price_index", "quality_index"])
                if placed.empty and us_x is None:
                    fig = charts.empty_figure(
                        title=title, message=t("market.no_positions"), height=520
                    )
                else:
                    fig = market_charts.positioning_map(
                        placed,
                        title=title,
                        x_title=axis_name(x_axis),
                        y_title=axis_name(y_axis),
                        us_label=t("market.us"),
                        us_price=us_x,
                        us_quality=us_y,
                        average_label=t("market.market_average"),
                        share_label=t("market.share"),
                        target_x=target_x,
                        target_y=target_y,
                        target_label=t("market.target"),
                    )
                page.chart(
                    fig,
                    caption=t("market.positioning_axes_caption"),
                    key="market_positioning",
                    data=placed.rename(columns={"price_index": x_axis, "quality_index": y_axis}),
                    takeaway=(
                        t("market.positioning_takeaway", x=axis_name(x_axis), y=axis_name(y_axis))
                        if target_x is not None and us_x is not None
                        else None
                    ),
                )
            with st.expander(t("market.edit_positions")):
                st.caption(t("market.edit_positions_help"))
                st.text_input(t("market.new_axis"), key="market_new_axis", max_chars=60)
                roles = {
                    "us": t("market.role.us"),
                    "target": t("market.role.target"),
                    "competitor": t("market.role.competitor"),
                }
                table = wide.reset_index()
                for kind in ("us", "target"):
                    if (kind, "") not in wide.index:
                        table = pd.concat(
                            [table, pd.DataFrame([{"kind": kind, "player": ""}])], ignore_index=True
                        )
                table["role"] = table["kind"].map(roles)
                order = {"us": 0, "target": 1, "competitor": 2}
                table = table.sort_values(
                    by=["kind", "player"], key=lambda c: c.map(order) if c.name == "kind" else c
                )
                table = table[["role", "player", *axes]].reset_index(drop=True)
                edited_map = st.data_editor(
                    table,
                    num_rows="dynamic",
                    hide_index=True,
                    width="stretch",
                    key="market_positions_editor",
                    column_config={
                        "role": st.column_config.SelectboxColumn(
                            t("market.col_role"),
                            options=list(roles.values()),
                            required=True,
                            default=roles["competitor"],
                        ),
                        "player": st.column_config.TextColumn(t("market.col_player")),
                        **{
                            a: st.column_config.NumberColumn(axis_name(a), format="%.1f")
                            for a in axes
                        },
                    },
                )
                if st.button(
                    t("market.save_positions"), key="market_save_positions", type="primary"
                ):
                    kind_of = {v: k for k, v in roles.items()}
                    long = edited_map.melt(
                        id_vars=["role", "player"],
                        value_vars=axes,
                        var_name="axis",
                        value_name="value",
                    )
                    long["kind"] = long["role"].map(kind_of)
                    long = long[long["value"].notna()]
                    try:
                        plans.save_positioning(
                            state.workspace(), long[["kind", "player", "axis", "value"]]
                        )
                    except plans.PlanError as error:
                        refuse(error)
                    else:
                        saved("market.saved_positions")
        elif years:
            st.info(t("market.no_competitors"))

# -- 5. customer insight from the CRM ---------------------------------------------------------
with tab_insight:
    if tab_insight.open:  # only the open tab's queries run
        st.subheader(t("market.section_insight"))
        st.caption(page.period_caption(f))
        dimension = (
            st.segmented_control(
                t("market.insight_by"),
                options=["segment", "region", "product"],
                format_func=lambda d: t(f"filters.{d}"),
                default="segment",
                key="market_insight_dimension",
            )
            or "segment"
        )
        insight = state.call(metrics.deal_metrics_by, f, dimension)
        insight = insight[insight["motion_group"].isin(["pull", "push"])].rename(
            columns={"dimension_value": dimension}
        )
        insight = insight[insight[dimension].notna()]
        specs = (
            ("won_amount", t("kpi.won_amount"), money, "~s", "market.insight_revenue_caption"),
            ("win_rate", t("kpi.win_rate"), "", ".0%", "market.insight_win_rate_caption"),
            (
                "avg_deal_size",
                t("kpi.avg_deal_size"),
                money,
                "~s",
                "market.insight_deal_size_caption",
            ),
            (
                "sales_cycle_days",
                t("kpi.sales_cycle_days"),
                "",
                ",.0f",
                "market.insight_cycle_caption",
            ),
        )
        grid = st.columns(2, gap="large") + st.columns(2, gap="large")
        for col, (metric, metric_label, prefix, tick, caption_key) in zip(grid, specs, strict=True):
            with col:
                unit = fmt.currency if metric in ("avg_deal_size", "won_amount") else ""
                title = t(
                    f"market.insight_{metric}_title",
                    dimension=t(f"market.dim.{dimension}"),
                    currency=unit,
                )
                data = insight[insight[metric].notna()]
                takeaway = None
                if data.empty:
                    fig = charts.empty_figure(title=title, message=t("common.no_data"), height=380)
                else:
                    fig = charts.motion_bars(
                        data.assign(
                            **{dimension: data[dimension].map(lambda v: html.escape(str(v)))}
                        ),
                        category=dimension,
                        value=metric,
                        title=title,
                        value_title=metric_label,
                        motion_labels=labels,
                        motion="motion_group",
                        value_prefix=prefix,
                        value_format=tick,
                        height=380,
                    )
                    best = data.sort_values(metric, ascending=metric == "sales_cycle_days").iloc[0]
                    takeaway = t(
                        "market.insight_takeaway",
                        metric=metric_label,
                        where=str(best[dimension]),
                        motion=labels.get(best["motion_group"], best["motion_group"]),
                    )
                page.chart(
                    fig,
                    caption=t(caption_key),
                    key=f"market_insight_{metric}",
                    data=data[[dimension, "motion_group", metric, "won", "lost"]],
                    takeaway=takeaway,
                )
        st.caption(t("market.insight_cac_note"))

# -- 6. target market decision -----------------------------------------------------------------
with tab_target:
    if tab_target.open:  # only the open tab's queries run
        st.subheader(t("market.section_target"))
        decisions = state.call(plans.target_decisions)
        if decisions.empty:
            st.info(t("market.no_target"))
        else:
            current = decisions.iloc[0]
            st.markdown(
                t(
                    "market.target_current",
                    segments=html.escape(", ".join(current["segments"])),
                    date=fmt.date(pd.Timestamp(current["decided_at"]).date()),
                    by=html.escape(str(current["decided_by"] or "—")),
                )
            )
            st.markdown(f"> {html.escape(str(current['rationale']))}")
            st.caption(t("market.target_filter_note"))
            if len(decisions) > 1:
                with st.expander(t("market.target_history", n=len(decisions))):
                    st.dataframe(
                        [
                            {
                                t("market.target_date"): fmt.date(
                                    pd.Timestamp(r.decided_at).date()
                                ),
                                t("market.target_segments"): ", ".join(r.segments),
                                t("market.target_rationale"): r.rationale,
                                t("market.target_by"): r.decided_by or "",
                            }
                            for r in decisions.itertuples()
                        ],
                        hide_index=True,
                        width="stretch",
                    )
        # every segment of the workspace, not only those the sidebar filter leaves (it defaults to
        # the targets already chosen)
        candidates = sorted(
            set(sizes["segment"].astype(str))
            | set(state.call(filter_bar.options)["segment"])
            | set(state.call(market.segment_names, f))
        )
        with st.form("market_target_form"):
            chosen_targets = st.multiselect(
                t("market.target_segments"),
                options=candidates,
                default=[
                    s
                    for s in (decisions.iloc[0]["segments"] if not decisions.empty else [])
                    if s in candidates
                ],
                key="market_target_segments",
            )
            rationale = st.text_area(t("market.target_rationale"), key="market_target_rationale")
            decided_by = st.text_input(t("market.target_by"), key="market_target_by")
            if st.form_submit_button(t("market.save_target"), type="primary"):
                try:
                    plans.save_target_decision(
                        state.workspace(), chosen_targets, rationale, decided_by
                    )
                except plans.PlanError as error:
                    refuse(error)
                else:
                    # the sidebar applies it before drawing its widgets on the next run (the segment
                    # widget already exists in this one): see components/filter_bar.py
                    st.session_state[filter_bar.SEGMENT_PENDING_KEY] = list(chosen_targets)
                    saved("market.saved_target")
