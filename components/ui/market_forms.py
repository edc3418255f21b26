"""The Market analysis page's pickers and forms: the market assumptions of a year, the
competitor table (edited or imported from CSV), the positioning map, the target market.

Each form checks nothing itself: ``queries.plans`` refuses an invalid edit field by field
(``page.refuse``) and saves a valid one in one transaction (``page.saved``).
"""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from components.i18n import t
from components.ui import auth, filter_bar, page
from queries import market, plans
from views import market as views
from views.spec import Context

ALL = "__all__"  # the "all segments" choice of a segment selectbox


def segment_picker(label_key: str, key: str, segments: list[str]) -> str | None:
    """A segment, or None for all of them."""
    choice = st.selectbox(
        t(label_key),
        options=[ALL, *segments],
        format_func=lambda s: t("market.all_segments") if s == ALL else s,
        key=key,
    )
    return None if choice == ALL else choice


def axis_pickers(ctx: Context, axes: list[str]) -> tuple[str, str]:
    """The two axes of the positioning map (price across, quality up, to start with)."""

    def name(axis: str) -> str:
        return views.axis_name(ctx, axis)

    x_axis = st.selectbox(t("market.x_axis"), axes, format_func=name, key="market_x_axis")
    y_index = 1 if len(axes) > 1 else 0
    y_axis = st.selectbox(
        t("market.y_axis"), axes, index=y_index, format_func=name, key="market_y_axis"
    )
    st.caption(t("market.axes_help"))
    return x_axis, y_axis


def field_labels() -> dict[str, str]:
    """The fields a refusal names, in the reader's language."""
    return {
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


def _refuse(error: plans.PlanError) -> None:
    page.refuse(error.errors, field_labels())


def _sizes(ctx: Context) -> pd.DataFrame:
    return ctx.ask(market.segment_sizes, ctx.filters)


def sizes_editor(ctx: Context, year: int, *, expanded: bool = False) -> None:
    """The market assumptions of ``year``, one row per segment (``expanded``: open, as when the
    workspace has none yet and this is where the page starts)."""
    with st.expander(t("market.edit_sizes", year=year), expanded=expanded):
        st.caption(t("market.edit_sizes_help"))
        sizes = _sizes(ctx)
        columns = ["segment", "tam", "sam", "som", "growth_pct", "target_accounts", "expected_acv"]
        money = {
            c: st.column_config.NumberColumn(t(f"market.size.{c}"), format="%,.0f")
            for c in ("tam", "sam", "som")
        }
        edited = st.data_editor(
            sizes[sizes["year"] == year][columns].reset_index(drop=True),
            num_rows="dynamic",
            key=f"market_sizes_editor_{year}",
            hide_index=True,
            width="stretch",
            column_config={
                "segment": st.column_config.TextColumn(t("filters.segment"), required=True),
                **money,
                "growth_pct": st.column_config.NumberColumn(t("market.growth_axis"), format="%.1f"),
                "target_accounts": st.column_config.NumberColumn(
                    t("market.col_accounts"), format="%d", step=1
                ),
                "expected_acv": st.column_config.NumberColumn(t("market.col_acv"), format="%,.0f"),
            },
        )
        if st.button(
            t("market.save_sizes"), key="market_save_sizes", type="primary"
        ) and auth.require("edit_plans"):
            try:
                plans.save_market_year(ctx.ws, year, edited)
            except plans.PlanError as error:
                _refuse(error)
            else:
                page.saved(t("market.saved_sizes", year=year))


def first_sizes(ctx: Context) -> None:
    """The start of the Market size tab on a workspace without market assumptions: what the
    tab needs, a year to enter them for (``views.first_year`` by default) and its editor."""
    st.info(t("market.sizing_needs"))
    start = views.first_year(ctx)
    year = int(
        st.number_input(
            t("market.new_year"),
            min_value=start - 50,
            max_value=start + 50,
            value=start,
            step=1,
            key="market_new_year",
            help=t("market.new_year_help"),
        )
    )
    sizes_editor(ctx, year, expanded=True)


def competitors_editor(ctx: Context, segment: str | None, scope_names: list[str]) -> None:
    """The competitor rows of ``segment`` (every segment in scope when None), and a CSV import
    that replaces rows of the same competitor, segment and year."""
    with st.expander(t("market.edit_competitors")):
        scope = t("market.all_segments") if segment is None else segment
        st.caption(t("market.edit_competitors_help", scope=scope))
        rows = ctx.ask(plans.competitor_rows, ctx.filters, segment)
        known = sorted(set(scope_names) | set(_sizes(ctx)["segment"].astype(str)))
        edited = st.data_editor(
            rows,
            num_rows="dynamic",
            key=f"market_competitor_editor_{segment}",
            hide_index=True,
            width="stretch",
            column_config={
                "competitor": st.column_config.TextColumn(
                    t("market.col_competitor"), required=True
                ),
                "segment": st.column_config.SelectboxColumn(
                    t("filters.segment"), options=known or None, required=True, default=segment
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
        ) and auth.require("edit_plans"):
            try:
                plans.save_competitors(ctx.ws, edited, segment)
            except plans.PlanError as error:
                _refuse(error)
            else:
                page.saved(t("market.saved_competitors", rows=len(edited)))
        st.markdown(f"**{t('market.csv_title')}**")
        st.caption(t("market.csv_help"))
        upload = st.file_uploader(t("market.csv_file"), type=["csv"], key="market_competitor_csv")
        if (
            upload is not None
            and st.button(t("market.csv_import"), key="market_csv_import")
            and auth.require("edit_plans")
        ):
            try:
                count = plans.import_competitors(
                    ctx.ws, plans.parse_competitors_csv(upload.getvalue())
                )
            except plans.PlanError as error:
                _refuse(error)
            else:
                page.saved(t("market.csv_imported", rows=count))


def positions_editor(ctx: Context, segment: str | None, axes: list[str]) -> None:
    """The positioning map as a table: us, the target position and each competitor, one column
    per axis; a new axis is named in the text box and filled in."""
    roles = {
        "us": t("market.role.us"),
        "target": t("market.role.target"),
        "competitor": t("market.role.competitor"),
    }
    with st.expander(t("market.edit_positions")):
        st.caption(t("market.edit_positions_help"))
        st.text_input(t("market.new_axis"), key="market_new_axis", max_chars=60)
        wide = views.positions_wide(ctx, segment, axes)
        table = wide.reset_index()
        for kind in ("us", "target"):  # a row to fill in even before either is placed
            if (kind, "") not in wide.index:
                blank = pd.DataFrame([{"kind": kind, "player": ""}])
                table = pd.concat([table, blank], ignore_index=True)
        table["role"] = table["kind"].map(roles)
        order = {"us": 0, "target": 1, "competitor": 2}
        table = table.sort_values(
            by=["kind", "player"], key=lambda c: c.map(order) if c.name == "kind" else c
        )
        edited = st.data_editor(
            table[["role", "player", *axes]].reset_index(drop=True),
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
                    a: st.column_config.NumberColumn(views.axis_name(ctx, a), format="%.1f")
                    for a in axes
                },
            },
        )
        if st.button(
            t("market.save_positions"), key="market_save_positions", type="primary"
        ) and auth.require("edit_plans"):
            long = edited.melt(
                id_vars=["role", "player"], value_vars=axes, var_name="axis", value_name="value"
            )
            long["kind"] = long["role"].map({v: k for k, v in roles.items()})
            long = long[long["value"].notna()]
            try:
                plans.save_positioning(ctx.ws, long[["kind", "player", "axis", "value"]])
            except plans.PlanError as error:
                _refuse(error)
            else:
                page.saved(t("market.saved_positions"))


def target_decision(ctx: Context) -> None:
    """The target market in force, the decisions before it, and the form that replaces it."""
    fmt = ctx.fmt
    decisions = ctx.ask(plans.target_decisions)
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
                history = [
                    {
                        t("market.target_date"): fmt.date(pd.Timestamp(r.decided_at).date()),
                        t("market.target_segments"): ", ".join(r.segments),
                        t("market.target_rationale"): r.rationale,
                        t("market.target_by"): r.decided_by or "",
                    }
                    for r in decisions.itertuples()
                ]
                st.dataframe(history, hide_index=True, width="stretch")
    # every segment of the workspace, not only those the sidebar filter leaves (it defaults to
    # the targets already chosen)
    candidates = sorted(
        set(_sizes(ctx)["segment"].astype(str))
        | set(ctx.ask(filter_bar.options)["segment"])
        | set(ctx.ask(market.segment_names, ctx.filters))
    )
    in_force = decisions.iloc[0]["segments"] if not decisions.empty else []
    with st.form("market_target_form"):
        chosen = st.multiselect(
            t("market.target_segments"),
            options=candidates,
            default=[s for s in in_force if s in candidates],
            key="market_target_segments",
        )
        rationale = st.text_area(t("market.target_rationale"), key="market_target_rationale")
        decided_by = st.text_input(t("market.target_by"), key="market_target_by")
        if st.form_submit_button(t("market.save_target"), type="primary") and auth.require(
            "edit_plans"
        ):
            try:
                plans.save_target_decision(ctx.ws, chosen, rationale, decided_by)
            except plans.PlanError as error:
                _refuse(error)
            else:
                # the sidebar applies it before drawing its widgets on the next run (the segment
                # widget already exists in this one): see components/ui/filter_bar.py
                st.session_state[filter_bar.SEGMENT_PENDING_KEY] = list(chosen)
                page.saved(t("market.saved_target"))
