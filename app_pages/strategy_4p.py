"""4P strategy: the plan per target segment (one card per P, versioned), the evidence from the
data beside each P — product, price, place, promotion — the budget split across the mix
against last period's spend, and the KPI tracker."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components import charts, kpi_tracker, mix_charts, page, state
from components.i18n import t
from planning import budget_mix, plan_versions
from queries import data_admin, market, mix, plans

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()
money = fmt.currency_symbol
cur = fmt.currency


def compact_money(value: float) -> str:
    return fmt.money(value, compact=True)


def money_or_zero(value: float | None) -> str:
    """Money without cents; a plain zero rather than "$0.00" for a channel with no spend."""
    return f"{money}0" if value == 0 else fmt.money(value)


def show(
    fig_or_none,
    *,
    title: str,
    caption: str,
    key: str,
    height: int = 420,
    data: pd.DataFrame | None = None,
    takeaway: str | None = None,
) -> None:
    """The chart, or a titled empty figure when there is nothing to draw."""
    fig = fig_or_none or charts.empty_figure(
        title=title, message=t("common.no_data"), height=height
    )
    page.chart(
        fig,
        caption=caption,
        key=key,
        data=data,
        takeaway=takeaway if fig_or_none is not None else None,
    )


def evidence(df: pd.DataFrame, category: str, value: str) -> pd.DataFrame:
    """The rows behind a pull-vs-push chart, as shown."""
    part = df[df["motion_group"].isin(["pull", "push"]) & df[category].notna()]
    return part[[category, "motion_group", value]].reset_index(drop=True)


def leader(
    df: pd.DataFrame, category: str, value: str, key: str, *, lowest: bool = False
) -> str | None:
    """One line for the meeting: the category with the best overall ``value``."""
    overall = df[(df["motion_group"] == "overall") & df[category].notna() & df[value].notna()]
    if overall.empty:
        return None
    best = overall.sort_values(value, ascending=lowest).iloc[0]
    return t(key, name=str(best[category]), metric=t(f"kpi.{value}"))


def motion_split(df, category: str, value: str, *, title: str, value_title: str, **kw):
    """Pull vs push bars per category, or None when there is no value to draw."""
    data = df[df["motion_group"].isin(["pull", "push"]) & df[value].notna()]
    data = data[data[category].notna()]
    if data.empty:
        return None
    return charts.motion_bars(
        data.assign(**{category: data[category].map(lambda v: html.escape(str(v)))}),
        category=category,
        value=value,
        title=title,
        value_title=value_title,
        motion_labels=labels,
        motion="motion_group",
        **kw,
    )


FIELD_LABELS = {
    "decisions": t("strategy_4p.field.decisions"),
    "rationale": t("strategy_4p.field.rationale"),
    "kpi": t("strategy_4p.field.kpi"),
    "target": t("strategy_4p.field.target"),
    "owner": t("strategy_4p.field.owner"),
    "due_date": t("strategy_4p.field.due_date"),
    "label": t("strategy_4p.version_label"),
    "p": "P",
    "total": t("strategy_4p.budget_total"),
    "amount": t("strategy_4p.budget_planned"),
    "line": t("strategy_4p.budget_line"),
}
P_NAMES = kpi_tracker.p_names(t)
KPI_NAMES = kpi_tracker.kpi_names(t)
LIGHT_NAMES = kpi_tracker.light_names(t)
# coloured dots in markdown (emoji need a font headless browsers and some desktops lack)
LIGHT_ICONS = {"green": ":green[●]", "amber": ":orange[●]", "red": ":red[●]", "grey": ":gray[●]"}
TREND_ICONS = {"up": "↑", "down": "↓", "flat": "→", "": ""}


def refuse(error: plans.PlanError, row_labels: dict[int, str] | None = None) -> None:
    """Say, field by field, why an edit was refused (nothing was saved)."""
    lines = plans.messages(error.errors, t, FIELD_LABELS, row_labels)
    st.error(t("market.refused") + "\n\n" + "\n".join(f"- {html.escape(x)}" for x in lines))


def saved(message_key: str, **kw: object) -> None:
    state.data_changed()
    st.session_state["mix_flash"] = t(message_key, **kw)
    st.rerun()


def kpi_text(kpi: str, value: float | None) -> str:
    """A KPI value in its unit (targets and actuals are in display units)."""
    return kpi_tracker.kpi_text(kpi, value, fmt, t)


page.header("strategy_4p.title", "strategy_4p.intro")
st.caption(page.period_caption(f))
if "mix_flash" in st.session_state:
    st.success(st.session_state.pop("mix_flash"))

# -- the plan ---------------------------------------------------------------------------------
st.subheader(t("strategy_4p.section_plan"))
version_list = state.call(plans.versions)
latest_id = None if version_list.empty else int(version_list["version_id"].iloc[0])
plan_now = state.call(plans.items, latest_id)
targets = state.call(plans.target_segments)
plan_segments = list(dict.fromkeys([*targets, *plan_now["segment"].tolist()]))
if not plan_segments:
    plan_segments = state.call(market.segment_names, f)
# the KPI tracker: each plan KPI's metric for its segment, this period and the one before
# (deal_metrics_by by segment: the same definitions as everywhere)
by_segment = state.call(mix.by_dimension, f, "segment")
by_segment_before = state.call(mix.by_dimension, f.previous_period(), "segment")
track = plan_versions.tracker(
    plan_now,
    plan_versions.kpi_actuals(by_segment),
    plan_versions.kpi_actuals(by_segment_before),
)
if latest_id is None:
    st.info(t("strategy_4p.no_plan"))
else:
    head = version_list.iloc[0]
    st.caption(
        t(
            "strategy_4p.version_in_force",
            version=latest_id,
            label=html.escape(str(head["label"])),
            date=fmt.date(pd.Timestamp(head["saved_at"]).date()),
            author=html.escape(str(head["author"] or "—")),
        )
    )
if targets:
    st.caption(t("strategy_4p.targets_note", segments=html.escape(", ".join(targets))))
plan_segment = (
    st.selectbox(t("strategy_4p.plan_segment"), plan_segments, key="mix_plan_segment")
    if plan_segments
    else None
)
segment_items = (
    plan_now[plan_now["segment"] == plan_segment] if plan_segment is not None else plan_now
)


def plan_card(p: str) -> None:
    """The plan's card for one P of the chosen segment: decisions, rationale, KPI with its
    target, actual, traffic light and trend, owner and due date."""
    with st.container(border=True):
        row = segment_items[segment_items["p"] == p]
        # Without a segment in the data or the plan, the card is the P alone (never "· None").
        title = (
            t("strategy_4p.card_title", p=P_NAMES[p], segment=html.escape(str(plan_segment)))
            if plan_segment is not None
            else P_NAMES[p]
        )
        if row.empty or plan_segment is None:
            st.markdown(f"**{title}**  \n{t('strategy_4p.card_empty')}")
            return
        r = row.iloc[0]
        cols = st.columns([3, 3, 2, 2], gap="medium")

        def text(v: object) -> str:
            return html.escape(str(v)) if isinstance(v, str) and v.strip() else "—"

        cols[0].markdown(f"**{title}**  \n{text(r['decisions'])}")
        cols[1].markdown(f"**{FIELD_LABELS['rationale']}**  \n{text(r['rationale'])}")
        kpi = r["kpi"] if isinstance(r["kpi"], str) else None
        if kpi in plan_versions.KPI_METRICS:
            hit = track[(track["segment"] == plan_segment) & (track["p"] == p)]
            light = hit["light"].iloc[0] if not hit.empty else "grey"
            actual = hit["actual"].iloc[0] if not hit.empty else None
            arrow = TREND_ICONS[hit["trend"].iloc[0]] if not hit.empty else ""
            cols[2].markdown(
                f"**{KPI_NAMES[kpi]}**  \n"
                + t(
                    "strategy_4p.card_kpi",
                    target=kpi_text(kpi, r["target"]),
                    actual=kpi_text(kpi, actual),
                )
                + f"  \n{LIGHT_ICONS[light]} {LIGHT_NAMES[light]} {arrow}"
            )
        else:
            cols[2].markdown(f"**{FIELD_LABELS['kpi']}**  \n—")
        due = r["due_date"]
        due_text = fmt.date(pd.Timestamp(due).date()) if due is not None and pd.notna(due) else "—"
        cols[3].markdown(
            f"**{FIELD_LABELS['owner']}**  \n{text(r['owner'])}  \n"
            f"**{FIELD_LABELS['due_date']}**  \n{due_text}"
        )


if plan_segment is not None:
    with st.expander(t("strategy_4p.edit_plan", segment=plan_segment)):
        st.caption(t("strategy_4p.edit_plan_help"))
        current = segment_items.set_index("p") if not segment_items.empty else None
        start = plan_versions.blank_items(plan_segment).set_index("p")
        if current is not None:
            start.update(current[list(plan_versions.ITEM_FIELDS)])
        kpi_by_label = {v: k for k, v in KPI_NAMES.items()}
        table = pd.DataFrame(
            {
                "p": [P_NAMES[p] for p in plan_versions.PS],
                "decisions": start["decisions"].fillna("").tolist(),
                "rationale": start["rationale"].fillna("").tolist(),
                "kpi": [KPI_NAMES.get(k) if isinstance(k, str) else None for k in start["kpi"]],
                "target": pd.to_numeric(start["target"]).tolist(),
                "owner": start["owner"].fillna("").tolist(),
                "due_date": [
                    pd.Timestamp(d).date() if d is not None and pd.notna(d) else None
                    for d in start["due_date"]
                ],
            }
        )
        edited = st.data_editor(
            table,
            key=f"mix_plan_editor_{plan_segment}_{latest_id}",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=["p"],
            column_config={
                "p": st.column_config.TextColumn("P"),
                "decisions": st.column_config.TextColumn(
                    FIELD_LABELS["decisions"], width="large", max_chars=2000
                ),
                "rationale": st.column_config.TextColumn(
                    FIELD_LABELS["rationale"], width="large", max_chars=2000
                ),
                "kpi": st.column_config.SelectboxColumn(
                    FIELD_LABELS["kpi"], options=list(KPI_NAMES.values())
                ),
                "target": st.column_config.NumberColumn(
                    FIELD_LABELS["target"], help=t("strategy_4p.target_help")
                ),
                "owner": st.column_config.TextColumn(FIELD_LABELS["owner"]),
                "due_date": st.column_config.DateColumn(
                    FIELD_LABELS["due_date"], format="YYYY-MM-DD"
                ),
            },
        )
        left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
        label = left.text_input(
            t("strategy_4p.version_label"),
            key="mix_version_label",
            placeholder=t("strategy_4p.version_label_placeholder"),
        )
        author = mid.text_input(t("strategy_4p.version_author"), key="mix_version_author")
        if right.button(t("strategy_4p.save_version"), type="primary", key="mix_save_version"):
            mine = edited.assign(
                segment=plan_segment,
                p=list(plan_versions.PS),
                kpi=[kpi_by_label.get(v, v) if isinstance(v, str) else None for v in edited["kpi"]],
            )
            cols = ["segment", "p", *plan_versions.ITEM_FIELDS]
            others = plan_now.loc[plan_now["segment"] != plan_segment, cols]
            plan = pd.concat([others, mine[cols]], ignore_index=True)
            try:
                new_id = plans.save_version(state.workspace(), plan, label, author)
            except plans.PlanError as error:
                refuse(error, {i + 1: P_NAMES[p] for i, p in enumerate(plan_versions.PS)})
            else:
                saved("strategy_4p.saved_version", version=new_id)

if len(version_list) >= 1:
    with st.expander(t("strategy_4p.compare_versions")):
        ids = version_list["version_id"].astype(int).tolist()
        names = {
            int(r.version_id): t(
                "strategy_4p.version_option",
                version=int(r.version_id),
                label=str(r.label),
                date=fmt.date(pd.Timestamp(r.saved_at).date()),
            )
            for r in version_list.itertuples()
        }
        c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
        version_a = c1.selectbox(
            t("strategy_4p.version_a"),
            ids,
            index=min(1, len(ids) - 1),
            format_func=names.get,
            key=f"mix_version_a_{latest_id}",
        )
        version_b = c2.selectbox(
            t("strategy_4p.version_b"),
            ids,
            index=0,
            format_func=names.get,
            key=f"mix_version_b_{latest_id}",
        )
        show_all = c3.toggle(t("strategy_4p.show_unchanged"), key="mix_show_unchanged")
        diff = plan_versions.diff_versions(
            state.call(plans.items, version_a), state.call(plans.items, version_b)
        )
        changed = diff[diff["change"] != "same"]
        st.caption(
            t("strategy_4p.diff_summary", n=len(changed), a=version_a, b=version_b)
            if version_a != version_b
            else t("strategy_4p.diff_same_version")
        )
        shown = diff if show_all else changed
        if not shown.empty:
            view = pd.DataFrame(
                {
                    t("filters.segment"): shown["segment"],
                    "P": shown["p"].map(P_NAMES),
                    t("strategy_4p.diff_field"): shown["field"].map(FIELD_LABELS),
                    names[version_a]: shown["before"].where(
                        shown["field"] != "kpi", shown["before"].map(KPI_NAMES).fillna("")
                    ),
                    names[version_b]: shown["after"].where(
                        shown["field"] != "kpi", shown["after"].map(KPI_NAMES).fillna("")
                    ),
                    t("strategy_4p.diff_change"): shown["change"].map(
                        lambda c: t(f"strategy_4p.change.{c}")
                    ),
                }
            ).reset_index(drop=True)
            colours = {"changed": "#FFF3BF", "added": "#D3F9D8", "removed": "#FFE3E3"}
            kinds = shown["change"].tolist()
            styled = view.style.apply(
                lambda r: [f"background-color: {colours.get(kinds[r.name], '')}"] * len(r),
                axis=1,
            )
            st.dataframe(styled, hide_index=True, width="stretch")

# One lazy tab per P and one for the budget: only the open tab runs its queries and draws its
# charts, so an interaction stays fast on a large workspace (a meeting gets every chart through
# present mode and the meeting pack instead).
TAB_KEY = "strategy_4p_tab"
# one colour per channel on the whole page (promotion bars, budget donut) whichever tab is open:
# from every lead source and spend channel, not from what one tab happens to show
channel_colors = mix_charts.category_colors(
    list(state.call(data_admin.source_motion)["source"])
    + list(state.call(mix.budget_split, f)["channel"].dropna())
)
kpi_tab, product_tab, price_tab, place_tab, promotion_tab, budget_tab = st.tabs(
    [
        t(f"strategy_4p.tab_{k}")
        for k in ("kpis", "product", "price", "place", "promotion", "budget")
    ],
    key=TAB_KEY,
    on_change="rerun",
)

# -- Product ---------------------------------------------------------------------------------
with product_tab:
    if product_tab.open:  # only the open tab's queries run
        st.markdown(t("strategy_4p.product_question"))
        plan_card("product")
        by_product = state.call(mix.by_dimension, f, "product")
        left, mid, right = st.columns(3, gap="medium")
        with left:
            title = t("strategy_4p.product_revenue_title", currency=cur)
            fig = motion_split(
                by_product,
                "product",
                "won_amount",
                title=title,
                value_title=t("kpi.won_amount"),
                value_prefix=money,
            )
            show(
                fig,
                title=title,
                caption=t("strategy_4p.product_revenue_caption"),
                key="p_rev",
                data=evidence(by_product, "product", "won_amount"),
                takeaway=leader(by_product, "product", "won_amount", "strategy_4p.takeaway_top"),
            )
        with mid:
            title = t("strategy_4p.product_win_rate_title")
            fig = motion_split(
                by_product,
                "product",
                "win_rate",
                title=title,
                value_title=t("kpi.win_rate"),
                value_format=".0%",
            )
            show(
                fig,
                title=title,
                caption=t("strategy_4p.win_rate_caption"),
                key="p_win",
                data=evidence(by_product, "product", "win_rate"),
                takeaway=leader(by_product, "product", "win_rate", "strategy_4p.takeaway_best"),
            )
        with right:
            title = t("strategy_4p.product_deal_size_title", currency=cur)
            fig = motion_split(
                by_product,
                "product",
                "avg_deal_size",
                title=title,
                value_title=t("kpi.avg_deal_size"),
                value_prefix=money,
            )
            show(
                fig,
                title=title,
                caption=t("strategy_4p.deal_size_caption"),
                key="p_size",
                data=evidence(by_product, "product", "avg_deal_size"),
                takeaway=leader(by_product, "product", "avg_deal_size", "strategy_4p.takeaway_top"),
            )
        trend_metric = (
            st.segmented_control(
                t("strategy_4p.trend_metric"),
                options=["won_amount", "win_rate"],
                format_func=lambda m: t(f"kpi.{m}"),
                default="won_amount",
                key="mix_trend_metric",
            )
            or "won_amount"
        )
        # the products of the chart above: the split by product is not asked for twice
        trend = state.call(mix.product_trend, f, mix.product_names(by_product))
        trend = trend[trend[trend_metric].notna()].assign(
            quarter=lambda d: [
                t("strategy_4p.partial_quarter", quarter=q) if p else q
                for q, p in zip(d["quarter"], d["is_partial"], strict=True)
            ]
        )
        is_money = trend_metric == "won_amount"
        title = t(f"strategy_4p.trend_{trend_metric}_title", currency=cur)
        fig = None
        if not trend.empty:
            fig = mix_charts.category_lines(
                trend,
                x="quarter",
                y=trend_metric,
                series="product",
                title=title,
                y_title=t(f"kpi.{trend_metric}"),
                y_prefix=money if is_money else "",
                y_format="~s" if is_money else ".0%",
                hover_format=",.0f" if is_money else ".1%",
            )
        show(
            fig,
            title=title,
            caption=t("strategy_4p.trend_caption"),
            key="p_trend",
            data=trend[["product", "quarter", trend_metric]],
            takeaway=None,
        )

# -- Price -----------------------------------------------------------------------------------
with price_tab:
    if price_tab.open:  # only the open tab's queries run
        st.markdown(t("strategy_4p.price_question"))
        plan_card("price")
        curve = state.call(mix.discount_curve, f)
        band_labels = {}
        for row in curve.drop_duplicates("band_index").itertuples():
            if row.band_index == 0:
                band_labels[0] = t("strategy_4p.band_none")
            elif pd.isna(row.band_high_pct):
                band_labels[row.band_index] = t("strategy_4p.band_above", low=int(row.band_low_pct))
            else:
                band_labels[row.band_index] = t(
                    "strategy_4p.band_range", low=int(row.band_low_pct), high=int(row.band_high_pct)
                )
        left, right = st.columns(2, gap="large")
        for col, metric, prefix, tick, hover in (
            (left, "win_rate", "", ".0%", ".1%"),
            (right, "avg_deal_size", money, "~s", ",.0f"),
        ):
            with col:
                title = t(f"strategy_4p.discount_{metric}_title", currency=cur)
                data = curve[curve[metric].notna()]
                fig = None
                if not data.empty:
                    fig = mix_charts.discount_curve(
                        data,
                        y=metric,
                        title=title,
                        y_title=t(f"kpi.{metric}"),
                        x_title=t("strategy_4p.discount_axis"),
                        band_labels=band_labels,
                        motion_labels=labels,
                        closed_label=t("strategy_4p.closed_deals"),
                        y_prefix=prefix,
                        y_format=tick,
                        hover_format=hover,
                    )
                overall_curve = data[data["motion_group"] == "overall"]
                show(
                    fig,
                    title=title,
                    caption=t(f"strategy_4p.discount_{metric}_caption"),
                    key=f"price_{metric}",
                    data=data[["band_index", "motion_group", "closed", metric]],
                    takeaway=(
                        t(
                            "strategy_4p.discount_takeaway",
                            metric=t(f"kpi.{metric}"),
                            band=band_labels[
                                int(overall_curve.sort_values(metric).iloc[-1].band_index)
                            ],
                        )
                        if not overall_curve.empty
                        else None
                    ),
                )
        bins = state.call(mix.won_deal_size_bins, f)
        title = t("strategy_4p.sizes_title", currency=cur)
        fig = None
        if not bins.empty:
            bin_labels = {
                int(r.bin_index): f"{compact_money(r.low)}–{compact_money(r.high)}"
                for r in bins.drop_duplicates("bin_index").itertuples()
            }
            fig = mix_charts.deal_size_histogram(
                bins,
                title=title,
                x_title=t("strategy_4p.sizes_axis", currency=cur),
                y_title=t("strategy_4p.won_deals"),
                bin_labels=bin_labels,
                motion_labels=labels,
            )
        realisation = state.call(mix.price_realisation, f)
        left, right = st.columns([3, 2], gap="large")
        with left:
            show(
                fig,
                title=title,
                caption=t("strategy_4p.sizes_caption"),
                key="price_sizes",
                data=bins,
                takeaway=None,
            )
        with right:
            title = t("strategy_4p.realisation_title")
            real = realisation[realisation["realisation"].notna()]
            fig = None
            if not real.empty:
                fig = mix_charts.value_bars(
                    real,
                    category="product",
                    value="realisation",
                    title=title,
                    x_title=t("strategy_4p.realisation_axis"),
                    text=[fmt.pct(v, digits=1) for v in real["realisation"]],
                    value_format=".0%",
                    x_range=(0.0, 1.0),
                )
            overall_real = (
                float(real["won_amount"].sum() / real["list_amount"].sum())
                if not real.empty
                else None
            )
            show(
                fig,
                title=title,
                caption=t("strategy_4p.realisation_caption"),
                key="price_realisation",
                data=real,
                takeaway=(
                    t("strategy_4p.realisation_takeaway", pct=fmt.pct(overall_real, digits=1))
                    if overall_real is not None
                    else None
                ),
            )

# -- Place -----------------------------------------------------------------------------------
with place_tab:
    if place_tab.open:  # only the open tab's queries run
        st.markdown(t("strategy_4p.place_question"))
        plan_card("place")
        place_dim = (
            st.segmented_control(
                t("strategy_4p.place_by"),
                options=["region", "source"],
                format_func=lambda d: t(f"strategy_4p.place_dim.{d}"),
                default="region",
                key="mix_place_dimension",
            )
            or "region"
        )
        by_region = state.call(mix.by_dimension, f, place_dim)
        dim_name = t(f"strategy_4p.place_dim.{place_dim}")
        columns = st.columns(3, gap="medium")
        specs = (
            ("won_amount", money, "~s", "strategy_4p.region_revenue_caption"),
            ("win_rate", "", ".0%", "strategy_4p.win_rate_caption"),
            ("sales_cycle_days", "", ",.0f", "strategy_4p.cycle_caption"),
        )
        for col, (metric, prefix, tick, caption_key) in zip(columns, specs, strict=True):
            with col:
                title = t(f"strategy_4p.place_{metric}_title", currency=cur, dimension=dim_name)
                fig = motion_split(
                    by_region,
                    place_dim,
                    metric,
                    title=title,
                    value_title=t(f"kpi.{metric}"),
                    value_prefix=prefix,
                    value_format=tick,
                    height=380,
                )
                show(
                    fig,
                    title=title,
                    caption=t(caption_key),
                    key=f"place_{metric}",
                    height=380,
                    data=evidence(by_region, place_dim, metric),
                    takeaway=leader(
                        by_region,
                        place_dim,
                        metric,
                        "strategy_4p.takeaway_best",
                        lowest=metric == "sales_cycle_days",
                    ),
                )
        grid = state.call(mix.place_grid, f)
        grid = grid[grid["win_rate"].notna()].assign(closed=lambda d: d["won"] + d["lost"])
        title = t("strategy_4p.grid_title")
        fig = None
        if not grid.empty:
            fig = mix_charts.heatmap(
                grid,
                rows="region",
                cols="segment",
                value="win_rate",
                count="closed",
                title=title,
                value_label=t("kpi.win_rate"),
                count_label=t("strategy_4p.closed_deals"),
            )
        show(
            fig,
            title=title,
            caption=t("strategy_4p.grid_caption"),
            key="place_grid",
            data=grid,
            takeaway=None,
        )

# -- Promotion -------------------------------------------------------------------------------
with promotion_tab:
    if promotion_tab.open:  # only the open tab's queries run
        st.markdown(t("strategy_4p.promotion_question"))
        plan_card("promotion")
        promo = mix.with_cac(state.call(mix.promotion, f))
        active = promo[
            (promo["spend"] > 0) | (promo["leads"] > 0) | (promo["pipeline_created"] > 0)
        ]
        left, right = st.columns([3, 2], gap="large")
        with left:
            title = t("strategy_4p.promotion_title", currency=cur)
            fig = None
            if not active.empty:
                fig = mix_charts.promotion_bars(
                    active,
                    title=title,
                    labels={
                        "spend": t("strategy_4p.spend"),
                        "pipeline_created": t("strategy_4p.pipeline_created"),
                        "won_amount": t("kpi.won_amount"),
                    },
                    x_title=t("strategy_4p.amount_axis", currency=cur),
                    money_prefix=money,
                    height=max(420, 70 * len(active) + 140),
                )
            show(
                fig,
                title=title,
                caption=t("strategy_4p.promotion_caption"),
                key="promo_bars",
                data=active[["channel", "spend", "pipeline_created", "won_amount"]],
                takeaway=(
                    t(
                        "strategy_4p.promotion_takeaway",
                        name=str(active.sort_values("pipeline_created").iloc[-1]["channel"]),
                    )
                    if not active.empty
                    else None
                ),
            )
        with right:
            title = t("strategy_4p.cpl_title", currency=cur)
            fig = None
            if active["cost_per_lead"].notna().any():
                fig = mix_charts.cost_per_lead_bars(
                    active,
                    title=title,
                    x_title=t("strategy_4p.cpl_axis", currency=cur),
                    leads_label=t("kpi.leads"),
                    money_prefix=money,
                    colors=channel_colors,
                    height=max(420, 70 * len(active) + 140),
                )
            paid = active[active["cost_per_lead"].notna()]
            show(
                fig,
                title=title,
                caption=t("strategy_4p.cpl_caption"),
                key="promo_cpl",
                data=paid[["channel", "spend", "leads", "cost_per_lead"]],
                takeaway=(
                    t(
                        "strategy_4p.cpl_takeaway",
                        name=str(paid.sort_values("cost_per_lead").iloc[0]["channel"]),
                        cpl=fmt.money(paid["cost_per_lead"].min()),
                    )
                    if not paid.empty
                    else None
                ),
            )
        if not active.empty:
            st.dataframe(
                [
                    {
                        t("strategy_4p.channel"): r.channel,
                        t("strategy_4p.spend"): money_or_zero(r.spend),
                        t("kpi.leads"): fmt.number(r.leads),
                        t("strategy_4p.cost_per_lead"): fmt.money(r.cost_per_lead),
                        t("kpi.opportunities"): fmt.number(r.opportunities),
                        t("strategy_4p.pipeline_created"): fmt.money(r.pipeline_created),
                        t("kpi.won"): fmt.number(r.won),
                        t("kpi.won_amount"): fmt.money(r.won_amount),
                        t("strategy_4p.cost_per_won_deal"): fmt.money(r.cost_per_won_deal),
                        t("strategy_4p.won_per_spend"): fmt.number(r.won_per_spend, digits=1),
                    }
                    for r in active.itertuples()
                ],
                hide_index=True,
                width="stretch",
            )
            st.caption(t("strategy_4p.promotion_table_caption"))

# -- Budget split ----------------------------------------------------------------------------
with budget_tab:
    if budget_tab.open:  # only the open tab's queries run
        st.markdown(t("strategy_4p.budget_question"))
        split = state.call(mix.budget_split, f)
        # the plan is set against each channel's spend, leads and conversion (as Promotion)
        promo = mix.with_cac(state.call(mix.promotion, f))
        marketing = split[split["category"] == "marketing"]
        sales_total = float(split.loc[split["category"] == "sales", "amount"].sum())
        marketing_total = float(marketing["amount"].sum())
        left, right = st.columns([3, 2], gap="large")
        with left:
            title = t("strategy_4p.budget_title", currency=cur)
            fig = None
            if marketing_total > 0:
                fig = mix_charts.budget_donut(
                    marketing,
                    title=title,
                    center_text=f"{compact_money(marketing_total)}",
                    money_prefix=money,
                    colors=channel_colors,
                    height=460,
                )
            show(
                fig,
                title=title,
                caption=t("strategy_4p.budget_caption"),
                key="budget_donut",
                data=marketing[["channel", "amount", "share"]],
                takeaway=(
                    t(
                        "strategy_4p.budget_takeaway",
                        name=str(marketing.sort_values("amount").iloc[-1]["channel"]),
                        pct=fmt.pct(float(marketing["share"].max())),
                    )
                    if marketing_total > 0
                    else None
                ),
            )
        with right:
            title = t("strategy_4p.engines_title")
            fig = None
            if marketing_total + sales_total > 0:
                fig = mix_charts.engine_split_bar(
                    marketing_total,
                    sales_total,
                    title=title,
                    motion_labels=labels,
                    money_prefix=money,
                )
            show(
                fig,
                title=title,
                caption=t(
                    "strategy_4p.engines_caption",
                    marketing=fmt.money(marketing_total),
                    sales=fmt.money(sales_total),
                ),
                key="budget_engines",
                height=200,
            )
            if marketing_total > 0:
                st.dataframe(
                    [
                        {
                            t("strategy_4p.channel"): r.channel,
                            t("strategy_4p.spend"): fmt.money(r.amount),
                            t("strategy_4p.share_of_marketing"): fmt.pct(r.share),
                        }
                        for r in marketing.itertuples()
                    ],
                    hide_index=True,
                    width="stretch",
                )

        # -- the budget plan: lines of the mix against last period's actual spend ------------------
        st.markdown(f"#### {t('strategy_4p.budget_plan_title')}")
        default_year = f.date_to.year + 1
        plan_year = st.selectbox(
            t("strategy_4p.plan_year"),
            options=[default_year - 1, default_year, default_year + 1],
            index=1,
            key="mix_plan_year",
        )
        saved_total, saved_lines = state.call(plans.budget, plan_year)
        channels = promo.loc[promo["spend"] > 0, "channel"].tolist()
        actual_by_channel = dict(zip(promo["channel"], promo["spend"], strict=True))
        if saved_lines.empty:
            lines = budget_mix.default_lines(channels, actual_by_channel)
            st.caption(t("strategy_4p.budget_unsaved"))
        else:
            lines = saved_lines
            # channels with spend that the saved plan lacks start at zero
            missing = [
                c for c in channels if c not in set(lines.loc[lines["kind"] == "channel", "line"])
            ]
            if missing:
                lines = pd.concat(
                    [lines, pd.DataFrame({"kind": "channel", "line": missing, "amount": 0.0})],
                    ignore_index=True,
                )
        planned = budget_mix.plan_against_history(lines, promo)
        line_names = {p: P_NAMES[p] for p in budget_mix.MIX_LINES}
        table = pd.DataFrame(
            {
                "line": [
                    line_names.get(r.line, r.line) if r.kind == "mix" else r.line
                    for r in planned.itertuples()
                ],
                "kind": planned["kind"].map(
                    lambda k: (
                        t("strategy_4p.line_kind.channel")
                        if k == "channel"
                        else t("strategy_4p.line_kind.mix")
                    )
                ),
                # shown as text: a line without spend history reads "—", not "None"
                "actual": [fmt.money(v) if pd.notna(v) else "—" for v in planned["actual"]],
                "amount": planned["amount"],
            }
        )
        c1, c2 = st.columns([3, 1], gap="large")
        with c2:
            total_input = st.number_input(
                t("strategy_4p.budget_total"),
                min_value=None,
                value=float(
                    saved_total if saved_total is not None else round(planned["amount"].sum(), 2)
                ),
                step=1000.0,
                format="%.2f",
                key=f"mix_budget_total_{plan_year}",
            )
        with c1:
            edited_lines = st.data_editor(
                table,
                key=f"mix_budget_editor_{plan_year}",
                hide_index=True,
                width="stretch",
                num_rows="fixed",
                disabled=["line", "kind", "actual"],
                column_config={
                    "line": st.column_config.TextColumn(t("strategy_4p.budget_line")),
                    "kind": st.column_config.TextColumn(t("strategy_4p.budget_kind")),
                    "actual": st.column_config.TextColumn(t("strategy_4p.budget_actual")),
                    "amount": st.column_config.NumberColumn(
                        t("strategy_4p.budget_planned"), format="%,.2f"
                    ),
                },
            )
        edited_plan = lines.assign(amount=edited_lines["amount"].to_numpy())
        check = budget_mix.validate_budget(total_input, edited_plan)
        line_sum = float(pd.to_numeric(edited_plan["amount"], errors="coerce").fillna(0).sum())
        with c2:
            gap = float(total_input) - line_sum
            if abs(gap) <= budget_mix.TOLERANCE:
                st.success(t("strategy_4p.budget_balanced", total=fmt.money(line_sum)))
            else:
                st.warning(
                    t(
                        "strategy_4p.budget_unbalanced",
                        lines=fmt.money(line_sum),
                        total=fmt.money(float(total_input)),
                        gap=fmt.money(gap),
                    )
                )
            if st.button(t("strategy_4p.save_budget"), type="primary", key="mix_save_budget"):
                try:
                    plans.save_budget(state.workspace(), plan_year, total_input, edited_plan)
                except plans.PlanError as error:
                    refuse(error, dict(enumerate(table["line"].tolist(), start=1)))
                else:
                    saved("strategy_4p.saved_budget", year=plan_year)
        if not check or all(e.code == "total_mismatch" for e in check):
            implied = budget_mix.plan_against_history(
                edited_plan.assign(amount=pd.to_numeric(edited_plan["amount"], errors="coerce")),
                promo,
            )
            implied["label"] = table["line"].tolist()
            sums = budget_mix.totals(implied)
            left, right = st.columns([1, 1], gap="large")
            with left:
                title = t("strategy_4p.budget_vs_actual_title", year=plan_year, currency=cur)
                has_numbers = bool(implied["amount"].fillna(0).any()) or bool(
                    implied["actual"].fillna(0).any()
                )
                fig = (
                    None
                    if not has_numbers
                    else mix_charts.budget_vs_actual(
                        implied,
                        title=title,
                        labels={
                            "amount": t("strategy_4p.budget_planned_year", year=plan_year),
                            "actual": t("strategy_4p.budget_actual"),
                        },
                        x_title=t("strategy_4p.amount_axis", currency=cur),
                        money_prefix=money,
                        height=max(380, 44 * len(implied) + 140),
                    )
                )
                moved = implied.assign(delta=implied["change"].abs()).dropna(subset=["delta"])
                biggest = moved.sort_values("delta").iloc[-1] if not moved.empty else None
                show(
                    fig,
                    title=title,
                    caption=t(
                        "strategy_4p.budget_vs_actual_caption",
                        start=fmt.date(f.date_from),
                        end=fmt.date(f.date_to),
                    ),
                    key="budget_plan",
                    data=implied.drop(columns="label"),
                    takeaway=(
                        t(
                            "strategy_4p.budget_plan_takeaway",
                            name=str(biggest["label"]),
                            change=fmt.money(float(biggest["change"])),
                        )
                        if biggest is not None
                        else None
                    ),
                )
            with right:
                st.dataframe(
                    [
                        {
                            t("strategy_4p.budget_line"): r.label,
                            t("strategy_4p.cost_per_lead"): fmt.money(r.cost_per_lead),
                            t("strategy_4p.implied_leads"): fmt.number(r.implied_leads),
                            t("strategy_4p.implied_opportunities"): fmt.number(
                                r.implied_opportunities
                            ),
                            t("strategy_4p.implied_pipeline"): fmt.money(r.implied_pipeline),
                        }
                        for r in implied.itertuples()
                    ],
                    hide_index=True,
                    width="stretch",
                )
                st.markdown(
                    t(
                        "strategy_4p.implied_totals",
                        leads=fmt.number(sums["implied_leads"]),
                        opps=fmt.number(sums["implied_opportunities"]),
                        pipeline=fmt.money(sums["implied_pipeline"]),
                    )
                )
                st.caption(t("strategy_4p.implied_caption"))

# -- KPI tracker -------------------------------------------------------------------------------
with kpi_tab:
    if kpi_tab.open:  # the first tab: how the plan is doing
        st.subheader(t("strategy_4p.section_tracker"))
        st.caption(page.period_caption(f))
        if track.empty:
            st.info(t("strategy_4p.no_kpis"))
        else:
            shown = kpi_tracker.tracker_rows(track, fmt, t)
            left = right = st.container()
            with left:
                title = t("strategy_4p.tracker_title")
                fig = mix_charts.kpi_attainment(
                    shown,
                    title=title,
                    x_title=t("strategy_4p.attainment_axis"),
                    light_labels=LIGHT_NAMES,
                )
                reds = int((shown["light"] == "red").sum())
                show(
                    fig,
                    title=title,
                    caption=t(
                        "strategy_4p.tracker_caption", band=fmt.pct(plan_versions.AMBER_BAND)
                    ),
                    key="kpi_tracker",
                    data=track,
                    takeaway=t(
                        "strategy_4p.tracker_takeaway",
                        green=int((shown["light"] == "green").sum()),
                        total=len(shown),
                        red=reds,
                    ),
                )
            with right:
                st.dataframe(
                    [
                        {
                            t("filters.segment"): r.segment,
                            "P": P_NAMES[r.p],
                            t("strategy_4p.field.kpi"): KPI_NAMES[r.kpi],
                            t("strategy_4p.field.target"): kpi_text(r.kpi, r.target),
                            t("strategy_4p.actual"): kpi_text(r.kpi, r.actual),
                            t("strategy_4p.light_col"): f"● {LIGHT_NAMES[r.light]}",
                            t("strategy_4p.trend_col"): (
                                f"{TREND_ICONS[r.trend]} {kpi_text(r.kpi, r.previous)}"
                                if r.trend
                                else "—"
                            ),
                        }
                        for r in shown.itertuples()
                    ],
                    hide_index=True,
                    width="stretch",
                )
                st.caption(t("strategy_4p.tracker_table_caption"))
