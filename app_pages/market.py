"""Market analysis: sizing, segment attractiveness, share against competitors, positioning,
and customer insight from the CRM — the market the two engines compete for."""

from __future__ import annotations

import html

import streamlit as st

from components import charts, market_charts, page, state
from components.i18n import t
from queries import market, metrics

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

# -- 1. market sizing ------------------------------------------------------------------------
if year is not None:
    st.subheader(t("market.section_sizing"))
    sizing = market.sizing_table(sizes, won_in(year), year)
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
                labels={k: t(f"market.size.{k}") for k in ("tam", "sam", "som", "bottom_up")},
                y_title=t("market.market_size_axis", currency=fmt.currency),
                money_prefix=money,
                money_text=compact_money,
                log_y=log_y,
            )
        page.chart(fig, caption=t("market.sizing_caption"), key="market_sizing")
    with right:
        title = t("market.som_title", year=year, currency=fmt.currency)
        if sizing.empty:
            fig = charts.empty_figure(title=title, message=t("common.no_data"))
        else:
            fig = market_charts.som_check(
                sizing,
                title=title,
                som_label=t("market.size.som"),
                motion_labels=labels,
                status_labels={
                    s: t(f"market.som_status.{s}") for s in ("below", "near", "above", "no_som")
                },
                coverage_texts={r.segment: _pct(r.som_coverage) for r in sizing.itertuples()},
                x_title=t("market.won_vs_som_axis", currency=fmt.currency),
                money_prefix=money,
                money_text=compact_money,
            )
        page.chart(
            fig,
            caption=t("market.som_caption", threshold=_pct(market.SOM_FAR_BELOW)),
            key="market_som",
        )

# -- 2. segment attractiveness ---------------------------------------------------------------
if year is not None:
    st.subheader(t("market.section_segments"))
    segments = market.attractiveness_table(sizes, won_in(year), year)
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
                        f"{t('market.won_revenue')}: {fmt.money(r.won_amount, compact=True)}",
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
        page.chart(fig, caption=t("market.bubbles_caption"), key="market_bubbles")
    with right:
        st.markdown(f"**{t('market.ranked_title', year=year)}**")
        if segments.empty:
            st.info(t("common.no_data"))
        else:
            rows = [
                {
                    t("market.col_rank"): int(r.rank),
                    t("filters.segment"): str(r.segment),
                    t("kpi.win_rate"): _pct(r.win_rate),
                    labels["pull"]: _pct(r.win_rate_pull),
                    labels["push"]: _pct(r.win_rate_push),
                    t("market.col_closed"): fmt.number(r.won + r.lost),
                }
                for r in segments.itertuples()
            ]
            st.dataframe(rows, hide_index=True, width="stretch")
            st.caption(t("market.ranked_caption"))

# -- 3. share against competitors and 4. positioning -----------------------------------------
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
    won_by_year = {y: won_in(y) for y in market.share_years(sizes, segment, first_day, last_day)}
    shares = market.share_table(competitors, sizes, segment, won_by_year)
    rivals_share = shares[shares["kind"] == "competitor"]
    research_name = market.our_competitor_name(
        sorted(rivals_share["player"].unique()), state.settings().get("company_name")
    )
    positions = market.latest_positions(competitors)
    no_position = set(
        positions.loc[
            positions["price_index"].isna() | positions["quality_index"].isna(), "competitor"
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
        page.chart(fig, caption=t("market.share_caption"), key="market_share")
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
        page.chart(fig, caption=t("market.our_share_caption"), key="market_our_share")

    st.subheader(t("market.section_positioning"))
    start = market.map_start(positions, research_name)
    if start is None:
        st.info(t("market.no_positions"))
    else:
        pos_year = int(positions["year"].iloc[0])
        left, right = st.columns([3, 1], gap="large")
        with right:
            st.markdown(f"**{t('market.place_us')}**")
            key = f"{choice}_{pos_year}"  # new scope, new starting point
            us_price = st.slider(
                t("market.price_index"),
                min_value=start.price_bounds[0],
                max_value=start.price_bounds[1],
                value=round(start.price * 2) / 2,
                step=0.5,
                format="%.1f",
                key=f"market_us_price_{key}",
            )
            us_quality = st.slider(
                t("market.quality_index"),
                min_value=start.quality_bounds[0],
                max_value=start.quality_bounds[1],
                value=round(start.quality * 2) / 2,
                step=0.5,
                format="%.1f",
                key=f"market_us_quality_{key}",
            )
            st.caption(
                t("market.place_us_research", name=research_name)
                if start.is_research
                else t("market.place_us_average")
            )
        with left:
            crm = ours[(ours["player"] == "us") & (ours["year"] == pos_year)]
            hover_lines = [f"<b>{html.escape(t('market.us'))}</b>"]
            if not crm.empty:
                share_text = fmt.number(crm["share_pct"].iloc[0], digits=2)
                hover_lines.append(f"{t('market.us_crm')}: {share_text}%")
            if start.research_share_pct is not None:
                share_text = fmt.number(start.research_share_pct, digits=1)
                hover_lines.append(f"{t('market.research_share')}: {share_text}%")
            fig = market_charts.positioning_map(
                market.placed_rivals(positions, research_name),
                title=t("market.positioning_title", scope=scope, year=pos_year),
                x_title=t("market.price_index"),
                y_title=t("market.quality_index"),
                us_label=t("market.us"),
                us_price=us_price,
                us_quality=us_quality,
                us_hover="<br>".join(hover_lines),
                average_label=t("market.market_average"),
                share_label=t("market.share"),
            )
            page.chart(fig, caption=t("market.positioning_caption"), key="market_positioning")
elif years:
    st.info(t("market.no_competitors"))

# -- 5. customer insight from the CRM ---------------------------------------------------------
st.subheader(t("market.section_insight"))
st.caption(page.period_caption(f))
dimension = (
    st.segmented_control(
        t("market.insight_by"),
        options=["segment", "region"],
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
columns = st.columns(3, gap="medium")
specs = (
    ("win_rate", t("kpi.win_rate"), "", ".0%", "market.insight_win_rate_caption"),
    ("avg_deal_size", t("kpi.avg_deal_size"), money, "~s", "market.insight_deal_size_caption"),
    ("sales_cycle_days", t("kpi.sales_cycle_days"), "", ",.0f", "market.insight_cycle_caption"),
)
for col, (metric, metric_label, prefix, tick, caption_key) in zip(columns, specs, strict=True):
    with col:
        unit = fmt.currency if metric == "avg_deal_size" else ""
        title = t(
            f"market.insight_{metric}_title", dimension=t(f"market.dim.{dimension}"), currency=unit
        )
        data = insight[insight[metric].notna()]
        if data.empty:
            fig = charts.empty_figure(title=title, message=t("common.no_data"), height=380)
        else:
            fig = charts.motion_bars(
                data.assign(**{dimension: data[dimension].map(lambda v: html.escape(str(v)))}),
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
        page.chart(fig, caption=t(caption_key), key=f"market_insight_{metric}")
