"""The 4P page's editing pieces: the plan's cards, the plan editor (saved as a new version),
the comparison of two versions and the budget plan editor. Streamlit widgets over
``views.strategy_4p`` (what is shown) and ``queries.plans`` (what is saved); every write goes
through ``page.saved`` (one flash) or ``page.refuse`` (field by field)."""

from __future__ import annotations

import html
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.i18n import t
from components.ui import auth, page, state
from planning import budget_mix, plan_versions
from queries import plans
from views import kpi_tracker
from views import strategy_4p as views
from views.spec import Context

# coloured dots in markdown (emoji need a font headless browsers and some desktops lack)
LIGHT_ICONS = {"green": ":green[●]", "amber": ":orange[●]", "red": ":red[●]", "grey": ":gray[●]"}
DIFF_COLOURS = {"changed": "#FFF3BF", "added": "#D3F9D8", "removed": "#FFE3E3"}


def field_labels() -> dict[str, str]:
    """The plan's and the budget's fields in the reader's language (refusals, the diff)."""
    return {
        **{f: t(f"strategy_4p.field.{f}") for f in plan_versions.ITEM_FIELDS},
        "label": t("strategy_4p.version_label"),
        "p": "P",
        "total": t("strategy_4p.budget_total"),
        "amount": t("strategy_4p.budget_planned"),
        "line": t("strategy_4p.budget_line"),
    }


def plan_header(ctx: Context, plan: views.Plan) -> str | None:
    """Which version is in force, the target segments, and the segment chooser (None when
    there is no segment to plan for)."""
    if plan.latest_id is None:
        st.info(t("strategy_4p.no_plan"))
    else:
        head = plan.versions.iloc[0]
        st.caption(
            t(
                "strategy_4p.version_in_force",
                version=plan.latest_id,
                label=html.escape(str(head["label"])),
                date=ctx.fmt.date(pd.Timestamp(head["saved_at"]).date()),
                author=html.escape(views.segment_text(head["author"])),
            )
            + " "
            + t("auth.saved_by", who=html.escape(auth.by_user_label(head.get("by_user"))))
        )
    if plan.targets:
        st.caption(t("strategy_4p.targets_note", segments=html.escape(", ".join(plan.targets))))
    if not plan.segments:
        return None
    return st.selectbox(t("strategy_4p.plan_segment"), plan.segments, key="mix_plan_segment")


def plan_card(ctx: Context, plan: views.Plan, segment: str | None, p: str) -> None:
    """The plan's card for one P of the chosen segment: decisions, rationale, KPI with its
    target, actual, traffic light and trend, owner and due date ("—" for what is missing)."""
    with st.container(border=True):
        title = views.card_title(ctx, p, segment)
        items = plan.items
        row = items[(items["segment"] == segment) & (items["p"] == p)]
        if row.empty:
            st.markdown(f"**{title}**  \n{t('strategy_4p.card_empty')}")
            return
        r = row.iloc[0]
        cols = st.columns([3, 3, 2, 2], gap="medium")
        labels = field_labels()

        def text(v: object) -> str:
            return html.escape(str(v)) if isinstance(v, str) and v.strip() else "—"

        cols[0].markdown(f"**{title}**  \n{text(r['decisions'])}")
        cols[1].markdown(f"**{labels['rationale']}**  \n{text(r['rationale'])}")
        kpi = r["kpi"] if isinstance(r["kpi"], str) else None
        if kpi in plan_versions.KPI_METRICS:
            track = views.kpi_track(ctx, plan.items)
            hit = track[(track["segment"] == segment) & (track["p"] == p)]
            light = hit["light"].iloc[0] if not hit.empty else "grey"
            actual = hit["actual"].iloc[0] if not hit.empty else None
            arrow = views.TREND_ICONS[hit["trend"].iloc[0]] if not hit.empty else ""
            kpi_value = lambda v: kpi_tracker.kpi_text(kpi, v, ctx.fmt, t)  # noqa: E731
            cols[2].markdown(
                f"**{kpi_tracker.kpi_names(t)[kpi]}**  \n"
                + t("strategy_4p.card_kpi", target=kpi_value(r["target"]), actual=kpi_value(actual))
                + f"  \n{LIGHT_ICONS[light]} {kpi_tracker.light_names(t)[light]} {arrow}"
            )
        else:
            cols[2].markdown(f"**{labels['kpi']}**  \n—")
        due = r["due_date"]
        due_text = ctx.fmt.date(pd.Timestamp(due).date()) if not views.is_blank(due) else "—"
        cols[3].markdown(
            f"**{labels['owner']}**  \n{text(r['owner'])}  \n**{labels['due_date']}**  \n{due_text}"
        )


def plan_editor(plan: views.Plan, segment: str) -> None:
    """The four cards of ``segment`` as one table; saving stores the whole plan (every
    segment) as a new version."""
    p_names = kpi_tracker.p_names(t)
    kpi_names = kpi_tracker.kpi_names(t)
    labels = field_labels()
    mine = plan.items[plan.items["segment"] == segment]
    with st.expander(t("strategy_4p.edit_plan", segment=segment)):
        st.caption(t("strategy_4p.edit_plan_help"))
        start = plan_versions.blank_items(segment).set_index("p")
        if not mine.empty:
            start.update(mine.set_index("p")[list(plan_versions.ITEM_FIELDS)])
        table = pd.DataFrame(
            {
                "p": [p_names[p] for p in plan_versions.PS],
                "decisions": start["decisions"].fillna("").tolist(),
                "rationale": start["rationale"].fillna("").tolist(),
                "kpi": [kpi_names.get(k) if isinstance(k, str) else None for k in start["kpi"]],
                "target": pd.to_numeric(start["target"]).tolist(),
                "owner": start["owner"].fillna("").tolist(),
                "due_date": [
                    None if views.is_blank(d) else pd.Timestamp(d).date() for d in start["due_date"]
                ],
            }
        )
        text_col = st.column_config.TextColumn
        edited = st.data_editor(
            table,
            key=f"mix_plan_editor_{segment}_{plan.latest_id}",
            hide_index=True,
            width="stretch",
            num_rows="fixed",
            disabled=["p"],
            column_config={
                "p": text_col("P"),
                "decisions": text_col(labels["decisions"], width="large", max_chars=2000),
                "rationale": text_col(labels["rationale"], width="large", max_chars=2000),
                "kpi": st.column_config.SelectboxColumn(
                    labels["kpi"], options=list(kpi_names.values())
                ),
                "target": st.column_config.NumberColumn(
                    labels["target"], help=t("strategy_4p.target_help")
                ),
                "owner": text_col(labels["owner"]),
                "due_date": st.column_config.DateColumn(labels["due_date"], format="YYYY-MM-DD"),
            },
        )
        left, mid, right = st.columns([2, 2, 1], vertical_alignment="bottom")
        label = left.text_input(
            t("strategy_4p.version_label"),
            key="mix_version_label",
            placeholder=t("strategy_4p.version_label_placeholder"),
        )
        author = mid.text_input(t("strategy_4p.version_author"), key="mix_version_author")
        if not right.button(t("strategy_4p.save_version"), type="primary", key="mix_save_version"):
            return
        kpi_by_label = {v: k for k, v in kpi_names.items()}
        mine = edited.assign(
            segment=segment,
            p=list(plan_versions.PS),
            kpi=[kpi_by_label.get(v, v) if isinstance(v, str) else None for v in edited["kpi"]],
        )
        cols = ["segment", "p", *plan_versions.ITEM_FIELDS]
        others = plan.items.loc[plan.items["segment"] != segment, cols]
        whole = pd.concat([others, mine[cols]], ignore_index=True)
        if not auth.require("edit_plans"):
            return
        try:
            new_id = plans.save_version(state.workspace(), whole, label, author)
        except plans.PlanError as error:
            rows = {i + 1: p_names[p] for i, p in enumerate(plan_versions.PS)}
            page.refuse(error.errors, labels, rows)
        else:
            page.saved(t("strategy_4p.saved_version", version=new_id))


def compare_versions(ctx: Context, plan: views.Plan) -> None:
    """Two versions side by side: the fields that differ (or every field), coloured by kind
    of change."""
    if plan.versions.empty:
        return
    with st.expander(t("strategy_4p.compare_versions")):
        ids = plan.versions["version_id"].astype(int).tolist()
        names = {
            int(r.version_id): t(
                "strategy_4p.version_option",
                version=int(r.version_id),
                label=str(r.label),
                date=ctx.fmt.date(pd.Timestamp(r.saved_at).date()),
            )
            for r in plan.versions.itertuples()
        }
        c1, c2, c3 = st.columns([2, 2, 1], vertical_alignment="bottom")
        a = c1.selectbox(
            t("strategy_4p.version_a"),
            ids,
            index=min(1, len(ids) - 1),
            format_func=names.get,
            key=f"mix_version_a_{plan.latest_id}",
        )
        b = c2.selectbox(
            t("strategy_4p.version_b"),
            ids,
            index=0,
            format_func=names.get,
            key=f"mix_version_b_{plan.latest_id}",
        )
        show_all = c3.toggle(t("strategy_4p.show_unchanged"), key="mix_show_unchanged")
        diff = plan_versions.diff_versions(ctx.ask(plans.items, a), ctx.ask(plans.items, b))
        changed = diff[diff["change"] != "same"]
        st.caption(
            t("strategy_4p.diff_summary", n=len(changed), a=a, b=b)
            if a != b
            else t("strategy_4p.diff_same_version")
        )
        shown = diff if show_all else changed
        if shown.empty:
            return
        kpi_names = kpi_tracker.kpi_names(t)

        def side(values: pd.Series) -> pd.Series:
            return values.where(shown["field"] != "kpi", values.map(kpi_names).fillna(""))

        view = pd.DataFrame(
            {
                t("filters.segment"): shown["segment"].map(views.segment_text),
                "P": shown["p"].map(kpi_tracker.p_names(t)),
                t("strategy_4p.diff_field"): shown["field"].map(field_labels()),
                names[a]: side(shown["before"]),
                names[b]: side(shown["after"]),
                t("strategy_4p.diff_change"): shown["change"].map(
                    lambda c: t(f"strategy_4p.change.{c}")
                ),
            }
        ).reset_index(drop=True)
        kinds = shown["change"].tolist()
        styled = view.style.apply(
            lambda r: [f"background-color: {DIFF_COLOURS.get(kinds[r.name], '')}"] * len(r),
            axis=1,
        )
        st.dataframe(styled, hide_index=True, width="stretch")


@dataclass(frozen=True)
class BudgetEdit:
    """The budget plan as edited: its year, its lines (kind, line, amount), whether they are
    the saved plan, and whether they are valid enough to draw (amounts numbers ≥ 0; lines
    not yet adding up to the total are drawn)."""

    year: int
    lines: pd.DataFrame
    is_saved: bool
    drawable: bool


def budget_editor(ctx: Context) -> BudgetEdit:
    """The plan year, the lines against last period's spend, the total, the balance check and
    the save button."""
    default_year = views.default_plan_year(ctx)
    year = st.selectbox(
        t("strategy_4p.plan_year"),
        options=[default_year - 1, default_year, default_year + 1],
        index=1,
        key="mix_plan_year",
    )
    start = views.budget_start(ctx, year)
    if not start.is_saved:
        st.caption(t("strategy_4p.budget_unsaved"))
    planned = views.implied_plan(ctx, start.lines)
    table = pd.DataFrame(
        {
            "line": planned["label"],
            "kind": planned["kind"].map(lambda k: t(f"strategy_4p.line_kind.{k}")),
            # shown as text: a line without spend history reads "—", not "None"
            "actual": [ctx.fmt.money(v) for v in planned["actual"]],
            "amount": planned["amount"],
        }
    )
    c1, c2 = st.columns([3, 1], gap="large")
    total = c2.number_input(
        t("strategy_4p.budget_total"),
        min_value=None,
        value=float(start.total if start.total is not None else round(planned["amount"].sum(), 2)),
        step=1000.0,
        format="%.2f",
        key=f"mix_budget_total_{year}",
    )
    with c1:
        edited = st.data_editor(
            table,
            key=f"mix_budget_editor_{year}",
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
    lines = start.lines.assign(amount=edited["amount"].to_numpy())
    check = budget_mix.validate_budget(total, lines)
    line_sum = float(pd.to_numeric(lines["amount"], errors="coerce").fillna(0).sum())
    with c2:
        gap = float(total) - line_sum
        if abs(gap) <= budget_mix.TOLERANCE:
            st.success(t("strategy_4p.budget_balanced", total=ctx.fmt.money(line_sum)))
        else:
            st.warning(
                t(
                    "strategy_4p.budget_unbalanced",
                    lines=ctx.fmt.money(line_sum),
                    total=ctx.fmt.money(float(total)),
                    gap=ctx.fmt.money(gap),
                )
            )
        if st.button(
            t("strategy_4p.save_budget"), type="primary", key="mix_save_budget"
        ) and auth.require("edit_plans"):
            try:
                plans.save_budget(state.workspace(), year, total, lines)
            except plans.PlanError as error:
                rows = dict(enumerate(table["line"].tolist(), start=1))
                page.refuse(error.errors, field_labels(), rows)
            else:
                page.saved(t("strategy_4p.saved_budget", year=year))
    same = start.is_saved and start.total is not None and abs(float(total) - start.total) < 0.005
    same = same and _same_amounts(lines["amount"], start.lines["amount"])
    drawable = not check or all(e.code == "total_mismatch" for e in check)
    return BudgetEdit(year, lines, same, drawable)


def _same_amounts(edited: pd.Series, saved: pd.Series) -> bool:
    a = pd.to_numeric(edited, errors="coerce").fillna(0).to_numpy(dtype=float)
    b = pd.to_numeric(saved, errors="coerce").fillna(0).to_numpy(dtype=float)
    return len(a) == len(b) and bool((abs(a - b) <= budget_mix.TOLERANCE).all())
