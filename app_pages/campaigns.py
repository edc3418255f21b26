"""Campaign calendar: plan campaigns across the customer journey, edit the plan, pace the spend,
judge results under an attribution model, and forecast what a planned campaign should bring."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from components import campaign_charts, charts, exports, page, state
from components.i18n import current_language, t
from planning import attribution, campaign_forecast, campaign_plan, pacing
from queries import campaigns, period
from queries.ingest.engine import Choices, open_import
from queries.ingest.errors import ImportRefused

f = page.filters()
fmt = state.formatter()
labels = page.motion_labels()
stage_labels = {s: t(f"campaigns.stage.{s}") for s in campaigns.JOURNEY_STAGES}
model_labels = {m: t(f"campaigns.model.{m}") for m in attribution.MODELS}
money_prefix = fmt.currency_symbol
cur = fmt.currency
EDIT_VERSION = "campaigns_editor_version"
FLASH = "campaigns_flash"
TAB_KEY = "campaigns_tab"
# The columns behind the timeline and the pacing chart, as exported with them.
TIMELINE_COLUMNS = [
    *("campaign_id", "name", "channel", "objective", "start_date", "end_date", "budget"),
    *("spend_to_date", "owner", "segment", "status", "motion", "count_overlaps"),
]
PACING_COLUMNS = [
    *("campaign_id", "name", "channel", "budget", "planned_to_date", "spend_to_date"),
    *("projected_spend", "pace_status"),
]

page.header("campaigns.title", "campaigns.intro")

today = date.today()
_, last_day = state.call(period.data_range)
as_of = campaigns.as_of_day(today, last_day)
as_of_text = (
    t("campaigns.as_of_today", date=fmt.date(as_of))
    if as_of == today
    else t("campaigns.as_of_data", date=fmt.date(as_of))
)
st.caption(page.period_caption(f) + " · " + t("campaigns.scope") + " " + as_of_text)
if flash := st.session_state.pop(FLASH, None):
    st.success(flash)

# lazy tabs: only the open tab runs (attribution over every lead's path is not cheap)
tab_plan, tab_edit, tab_pace, tab_results, tab_forecast = st.tabs(
    [t(f"campaigns.tab.{k}") for k in ("plan", "edit", "pacing", "results", "forecast")],
    key=TAB_KEY,
    on_change="rerun",
)


def _stage(s: object) -> str:
    return stage_labels.get(str(s), str(s)) if s is not None and not pd.isna(s) else "—"


def _status(s: object) -> str:
    return t(f"campaigns.status.{s}") if s in campaign_plan.STATUSES else str(s)


def _segment(s: object) -> str:
    return t("campaigns.hover.all_segments") if s is None or pd.isna(s) else str(s)


# == 1. the calendar ==============================================================================
with tab_plan:
    if tab_plan.open:  # only the open tab's queries run
        c1, c2, c3, c4 = st.columns([3, 3, 3, 3], vertical_alignment="bottom")
        group_by = c1.segmented_control(
            t("campaigns.rows"),
            options=["channel", "objective"],
            format_func=lambda k: t(f"campaigns.rows.{k}"),
            default="channel",
            key="campaigns_group_by",
        )
        color_by = c2.segmented_control(
            t("campaigns.colour"),
            options=["objective", "motion"],
            format_func=lambda k: t(f"campaigns.colour.{k}"),
            default="objective",
            key="campaigns_color_by",
        )
        zoom = c3.segmented_control(
            t("campaigns.zoom"),
            options=list(campaigns.ZOOMS),
            format_func=lambda k: t(f"campaigns.zoom.{k}"),
            default="all",
            key="campaigns_zoom",
        )
        group_by = group_by or "channel"  # a segmented control can be cleared
        color_by = color_by or "objective"
        zoom = zoom or "all"
        if zoom == "all":
            upcoming = c4.toggle(
                t("campaigns.upcoming"),
                value=True,
                help=t("campaigns.upcoming_help", date=fmt.date(as_of)),
                key="campaigns_upcoming",
            )
            view_from, view_to = campaigns.calendar_window(f, as_of, upcoming=upcoming)
        else:
            anchor = c4.date_input(
                t("campaigns.zoom_anchor"), value=as_of, key="campaigns_zoom_anchor"
            )
            view_from, view_to = campaigns.zoom_window(zoom, anchor)
        view = replace(f, date_from=view_from, date_to=view_to)
        plan = state.call(campaigns.calendar, view, as_of)
        pairs = campaign_plan.overlaps(plan)
        plan = plan.assign(count_overlaps=campaign_plan.overlap_counts(plan, pairs).to_numpy())
        timeline_title = t(f"campaigns.timeline_title_{group_by}", count=len(plan))
        if plan.empty:
            fig = charts.empty_figure(title=timeline_title, message=t("campaigns.no_campaigns"))
            takeaway = None
        else:
            x_range = (
                campaigns.axis_range(view_from, view_to, as_of, plan)
                if zoom == "all"
                else (view_from, view_to + timedelta(days=1))
            )
            fig = campaign_charts.campaign_timeline(
                plan,
                title=timeline_title,
                group_by=group_by,
                color_by=color_by,
                stage_labels=stage_labels,
                motion_labels=labels,
                hover_labels={
                    k: t(f"campaigns.hover.{k}")
                    for k in (
                        "budget",
                        "spend",
                        "owner",
                        "segment",
                        "status",
                        "all_segments",
                        "overlaps",
                    )
                },
                money=fmt.money,
                day=fmt.date,
                today=as_of,
                today_label=(
                    t("campaigns.today")
                    if as_of == today
                    else t("campaigns.data_end", date=fmt.date(as_of))
                ),
                x_range=x_range,
            )
            busiest = plan.groupby("channel")["budget"].sum().sort_values(ascending=False)
            takeaway = t(
                "campaigns.timeline_takeaway",
                count=len(plan),
                budget=fmt.money(float(plan["budget"].sum()), compact=True),
                channel=busiest.index[0],
                share=fmt.pct(float(busiest.iloc[0] / max(busiest.sum(), 1e-9))),
            )
        page.chart(
            fig,
            caption=t(
                "campaigns.timeline_caption",
                marker=t("campaigns.marker_today" if as_of == today else "campaigns.marker_data"),
                upcoming=(
                    t("campaigns.timeline_upcoming", date=fmt.date(view_to))
                    if view_to > f.date_to
                    else ""
                ),
            ),
            key="campaigns_timeline",
            data=plan[TIMELINE_COLUMNS],
            takeaway=takeaway,
        )

        # -- 4. overlaps and gaps ----
        st.subheader(t("campaigns.overlaps_header"))
        if pairs.empty:
            st.success(t("campaigns.no_overlaps"))
        else:
            st.warning(t("campaigns.overlaps_found", count=len(pairs)))
            st.dataframe(
                pairs.assign(
                    objective=pairs["objective"].map(_stage),
                    segment=pairs["segment"].map(_segment),
                ),
                column_config={
                    "campaign_id_a": None,
                    "campaign_id_b": None,
                    "name_a": st.column_config.TextColumn(
                        t("campaigns.col.campaign"), width="medium"
                    ),
                    "channel_a": st.column_config.TextColumn(t("campaigns.col.channel")),
                    "name_b": st.column_config.TextColumn(
                        t("campaigns.col.overlaps_with"), width="medium"
                    ),
                    "channel_b": st.column_config.TextColumn(t("campaigns.col.channel")),
                    "objective": st.column_config.TextColumn(t("campaigns.col.stage")),
                    "segment": st.column_config.TextColumn(t("campaigns.col.segment")),
                    "overlap_start": st.column_config.DateColumn(t("campaigns.col.from")),
                    "overlap_end": st.column_config.DateColumn(t("campaigns.col.to")),
                    "count_days": st.column_config.NumberColumn(t("campaigns.col.days")),
                },
                hide_index=True,
                width="stretch",
                key="campaigns_overlaps_table",
            )
        st.caption(t("campaigns.overlaps_caption"))

        coverage = state.call(campaigns.journey_coverage, view)
        coverage_title = t("campaigns.coverage_title")
        gaps = coverage[coverage["count_campaigns"] == 0] if not coverage.empty else coverage
        if coverage.empty:
            fig = charts.empty_figure(title=coverage_title, message=t("common.no_data"))
            takeaway = None
        else:
            fig = campaign_charts.journey_coverage(
                coverage,
                title=coverage_title,
                stage_labels=stage_labels,
                colorbar_title=t("campaigns.coverage_colorbar"),
            )
            n_quarters = coverage["quarter_start"].nunique()
            if gaps.empty:
                takeaway = t("campaigns.coverage_takeaway_none", quarters=n_quarters)
            else:
                worst = gaps.groupby("objective").size().sort_values(ascending=False)
                takeaway = t(
                    "campaigns.coverage_takeaway",
                    gaps=len(gaps),
                    stage=_stage(worst.index[0]),
                    missing=int(worst.iloc[0]),
                    quarters=n_quarters,
                )
        page.chart(
            fig,
            caption=t("campaigns.coverage_caption"),
            key="campaigns_coverage",
            data=coverage.assign(objective=coverage["objective"].map(_stage))[
                ["quarter_label", "objective", "count_campaigns"]
            ]
            if not coverage.empty
            else coverage,
            takeaway=takeaway,
        )


# == 2. editing ===================================================================================
def _problem_lines(problems: dict[str, str]) -> list[str]:
    return [
        t(
            "campaigns.invalid.line",
            field=t(f"campaigns.field.{k}"),
            message=t(f"campaigns.invalid.{v}"),
        )
        for k, v in problems.items()
    ]


def _save(action: str, summary: str, *, upserts=(), deletes=()) -> None:
    ws = state.workspace()
    campaigns.save_changes(
        ws, action=action, summary=summary, upserts=list(upserts), deletes=list(deletes)
    )
    state.data_changed()
    st.session_state[FLASH] = t(f"campaigns.saved.{action}", summary=summary)
    st.session_state[EDIT_VERSION] = st.session_state.get(EDIT_VERSION, 0) + 1


with tab_edit:
    if tab_edit.open:  # only the open tab's queries run
        rows = state.call(campaigns.plan_rows)
        known = state.call(campaigns.known_values)
        channels, segments = known["channel"], known["segment"]
        existing_ids = rows["campaign_id"].tolist()

        last = state.call(campaigns.last_change)
        u1, u2 = st.columns([4, 1], vertical_alignment="center")
        if last is None:
            u1.caption(t("campaigns.undo_none"))
        else:
            u1.caption(
                t(
                    "campaigns.undo_last",
                    action=t(f"campaigns.action.{last['action']}"),
                    summary=last["summary"] or "",
                    when=str(last["changed_at"])[:16],
                )
            )
        if u2.button(
            t("campaigns.undo"), disabled=last is None, key="campaigns_undo", width="stretch"
        ):
            try:
                undone = campaigns.undo_last_change(state.workspace())
            except Exception as exc:  # an import that a later import displaced (engine refuses)
                st.error(t("campaigns.undo_failed", reason=str(exc)))
            else:
                state.data_changed()
                if undone:
                    st.session_state[FLASH] = t("campaigns.undone", summary=undone["summary"] or "")
                st.session_state[EDIT_VERSION] = st.session_state.get(EDIT_VERSION, 0) + 1
                st.rerun()

        # -- the form: one campaign ----
        st.subheader(t("campaigns.form_header"))
        NEW = "__new__"
        choice = st.selectbox(
            t("campaigns.form_pick"),
            options=[NEW, *existing_ids],
            format_func=lambda c: (
                t("campaigns.form_new")
                if c == NEW
                else f"{rows.set_index('campaign_id').loc[c, 'name']} ({c})"
            ),
            key="campaigns_form_pick",
        )
        current = (
            {}
            if choice == NEW
            else rows.set_index("campaign_id").loc[choice].to_dict() | {"campaign_id": choice}
        )
        version = st.session_state.get(EDIT_VERSION, 0)

        def fk(field: str) -> str:
            """A form widget's key: new for each campaign and after each save, so it shows the
            stored values instead of what was typed before."""
            return f"campaigns_f_{field}_{choice}_{version}"

        with st.form(key=f"campaigns_form_{choice}_{version}", border=True):
            a1, a2 = st.columns([3, 1])
            name = a1.text_input(
                t("campaigns.field.name"), value=current.get("name") or "", key=fk("name")
            )
            new_id = a2.text_input(
                t("campaigns.field.campaign_id"),
                value=current.get("campaign_id") or campaign_plan.next_id(existing_ids),
                disabled=choice != NEW,
                key=fk("campaign_id"),
            )
            b1, b2, b3 = st.columns(3)
            channel_options = sorted(set(channels) | {current.get("channel") or ""} - {""})
            channel = b1.selectbox(
                t("campaigns.field.channel"),
                options=channel_options,
                index=channel_options.index(current["channel"]) if current.get("channel") else None,
                placeholder=t("campaigns.form_choose"),
                key=fk("channel"),
            )
            objective = b2.selectbox(
                t("campaigns.field.objective"),
                options=list(campaign_plan.OBJECTIVES),
                format_func=_stage,
                index=(
                    campaign_plan.OBJECTIVES.index(current["objective"])
                    if current.get("objective") in campaign_plan.OBJECTIVES
                    else None
                ),
                placeholder=t("campaigns.form_choose"),
                key=fk("objective"),
            )
            status_options = list(campaign_plan.STATUSES)
            status = b3.selectbox(
                t("campaigns.field.status"),
                options=status_options,
                format_func=_status,
                index=status_options.index(current["status"])
                if current.get("status") in status_options
                else 0,
                key=fk("status"),
            )
            d1, d2, d3 = st.columns(3)
            start = d1.date_input(
                t("campaigns.field.start_date"),
                value=current.get("start_date") or as_of,
                key=fk("start_date"),
            )
            end = d2.date_input(
                t("campaigns.field.end_date"),
                value=current.get("end_date") or (as_of + timedelta(days=30)),
                key=fk("end_date"),
            )
            budget = d3.number_input(
                t("campaigns.field.budget") + f" ({cur})",
                value=float(current.get("budget") or 0.0),
                step=1000.0,
                format="%.2f",
                key=fk("budget"),
            )
            e1, e2 = st.columns(2)
            owner = e1.text_input(
                t("campaigns.field.owner"), value=current.get("owner") or "", key=fk("owner")
            )
            seg_options = ["", *sorted(set(segments) | {current.get("segment") or ""} - {""})]
            segment = e2.selectbox(
                t("campaigns.field.segment"),
                options=seg_options,
                format_func=lambda s: s or t("campaigns.hover.all_segments"),
                index=seg_options.index(current.get("segment") or ""),
                key=fk("segment"),
            )
            s1, s2, s3, _ = st.columns([1, 1, 1, 2])
            do_save = s1.form_submit_button(
                t("campaigns.save"), type="primary", width="stretch", key=fk("save")
            )
            do_copy = s2.form_submit_button(
                t("campaigns.duplicate"), disabled=choice == NEW, width="stretch", key=fk("copy")
            )
            do_delete = s3.form_submit_button(
                t("campaigns.delete"), disabled=choice == NEW, width="stretch", key=fk("delete")
            )

        entered = {
            "campaign_id": new_id,
            "name": name,
            "channel": channel,
            "objective": objective,
            "start_date": start,
            "end_date": end,
            "budget": budget,
            "status": status,
            "owner": owner,
            "segment": segment,
        }
        if do_save or do_copy:
            row = campaign_plan.clean(entered)
            if do_copy:
                row["campaign_id"] = campaign_plan.next_id(existing_ids)
                row["name"] = t("campaigns.copy_name", name=row["name"] or "")
            taken = [c for c in existing_ids if c != (choice if do_save else None)]
            problems = campaign_plan.problems(
                row, channels=channel_options, segments=segments, taken_ids=taken
            )
            if problems:
                st.error(
                    t("campaigns.invalid.header")
                    + "\n\n"
                    + "\n".join(f"- {line}" for line in _problem_lines(problems))
                )
            else:
                action = "duplicate" if do_copy else ("add" if choice == NEW else "edit")
                _save(action, f"{row['name']} ({row['campaign_id']})", upserts=[row])
                st.rerun()
        if do_delete and choice != NEW:
            _save("delete", f"{current.get('name')} ({choice})", deletes=[choice])
            st.rerun()

        # -- the table: many campaigns at once ----
        st.subheader(t("campaigns.table_header"))
        st.caption(t("campaigns.table_help"))
        editor_key = f"campaigns_editor_{version}"
        # Latest first: a planner edits what is coming, not what ran two years ago.
        table = (
            rows[list(campaigns.PLAN_COLUMNS)]
            .sort_values(["start_date", "campaign_id"], ascending=False)
            .reset_index(drop=True)
        )
        st.data_editor(
            table,
            key=editor_key,
            num_rows="dynamic",
            hide_index=True,
            width="stretch",
            height=360,
            column_config={
                "campaign_id": st.column_config.TextColumn(t("campaigns.field.campaign_id")),
                "name": st.column_config.TextColumn(t("campaigns.field.name"), width="medium"),
                "channel": st.column_config.SelectboxColumn(
                    t("campaigns.field.channel"), options=sorted(set(channels))
                ),
                "objective": st.column_config.SelectboxColumn(
                    t("campaigns.field.objective"),
                    options=list(campaign_plan.OBJECTIVES),
                    format_func=_stage,
                ),
                "start_date": st.column_config.DateColumn(t("campaigns.field.start_date")),
                "end_date": st.column_config.DateColumn(t("campaigns.field.end_date")),
                "budget": st.column_config.NumberColumn(
                    t("campaigns.field.budget") + f" ({cur})", format="localized"
                ),
                "status": st.column_config.SelectboxColumn(
                    t("campaigns.field.status"),
                    options=list(campaign_plan.STATUSES),
                    format_func=_status,
                ),
                "owner": st.column_config.TextColumn(t("campaigns.field.owner")),
                "segment": st.column_config.SelectboxColumn(
                    t("campaigns.field.segment"), options=sorted(set(segments))
                ),
            },
        )
        edits = st.session_state.get(editor_key) or {}
        n_changes = (
            len(edits.get("edited_rows", {}))
            + len(edits.get("added_rows", []))
            + len(edits.get("deleted_rows", []))
        )
        if st.button(
            t("campaigns.table_save", count=n_changes),
            disabled=n_changes == 0,
            key="campaigns_table_save",
            type="primary",
        ):
            upserts: list[dict] = []
            deletes = [
                str(table.iloc[int(i)]["campaign_id"]) for i in edits.get("deleted_rows", [])
            ]
            report: list[str] = []
            final_ids = [c for c in existing_ids if c not in deletes]
            fresh = list(existing_ids)
            for i, change in edits.get("edited_rows", {}).items():
                base = table.iloc[int(i)].to_dict()
                if base["campaign_id"] in deletes:
                    continue
                row = campaign_plan.clean(base | change)
                if row["campaign_id"] != base["campaign_id"]:  # renamed id: the old one goes
                    deletes.append(str(base["campaign_id"]))
                upserts.append(row)
            for added in edits.get("added_rows", []):
                row = campaign_plan.clean(added)
                if not row["campaign_id"]:
                    row["campaign_id"] = campaign_plan.next_id(fresh)
                fresh.append(str(row["campaign_id"]))
                upserts.append(row)
            ids = [r["campaign_id"] for r in upserts]
            for row in upserts:
                others = [c for c in final_ids if c not in ids] + [
                    c for c in ids if c != row["campaign_id"]
                ]
                problems = campaign_plan.problems(
                    row, channels=channels, segments=segments, taken_ids=others
                )
                if problems:
                    report.append(
                        f"**{row['campaign_id'] or '—'}**: " + "; ".join(_problem_lines(problems))
                    )
            if report:
                st.error(
                    t("campaigns.invalid.table_header")
                    + "\n\n"
                    + "\n".join(f"- {line}" for line in report)
                )
            else:
                _save(
                    "table",
                    t("campaigns.table_summary", changed=len(upserts), deleted=len(deletes)),
                    upserts=upserts,
                    deletes=deletes,
                )
                st.rerun()

        # -- import and export ----
        st.subheader(t("campaigns.import_header"))
        st.caption(t("campaigns.import_help"))
        upload = st.file_uploader(
            t("campaigns.import_file"),
            type=["csv", "xlsx", "txt"],
            key=f"campaigns_import_{version}",
        )
        if upload is not None:
            folder = Path(tempfile.mkdtemp(prefix="flywheel-campaigns-"))
            path = folder / Path(upload.name).name
            path.write_bytes(upload.getvalue())
            ws = state.workspace()
            try:
                with open_import(
                    ws, path, name=upload.name, choices=Choices(kind="campaigns")
                ) as imp:
                    rep = imp.validate("upsert")
                    st.write(
                        t(
                            "campaigns.import_report",
                            ok=rep.rows_ok,
                            rejected=rep.rows_rejected,
                            existing=rep.existing,
                        )
                    )
                    if rep.rows_rejected:
                        st.dataframe(rep.rejects.head(50), hide_index=True, width="stretch")
                    if rep.rows_ok and st.button(
                        t("campaigns.import_go", count=rep.rows_ok),
                        key="campaigns_import_go",
                        type="primary",
                    ):
                        res = imp.commit("upsert", confirm_duplicate=True)
                        campaigns.log_import(
                            ws, res.import_id, f"{upload.name} ({res.rows_loaded})"
                        )
                        state.data_changed()
                        st.session_state[FLASH] = t(
                            "campaigns.imported", count=res.rows_loaded, file=upload.name
                        )
                        st.session_state[EDIT_VERSION] = version + 1
                        st.rerun()
            except ImportRefused as exc:
                st.error(exc.message(current_language()))

        export_rows = rows[list(campaigns.PLAN_COLUMNS)]
        x1, x2, _ = st.columns([1, 1, 3])
        x1.download_button(
            t("campaigns.export_csv"),
            data=lambda: exports.csv_bytes(export_rows),
            file_name="campaign-calendar.csv",
            mime="text/csv",
            on_click="ignore",
            key="campaigns_export_csv",
            disabled=export_rows.empty,
        )

        def _describe(row: dict) -> str:
            return "\n".join(
                [
                    f"{t('campaigns.field.channel')}: {row.get('channel') or '—'}",
                    f"{t('campaigns.field.objective')}: {_stage(row.get('objective'))}",
                    f"{t('campaigns.field.budget')}: {fmt.money(row.get('budget'))}",
                    f"{t('campaigns.field.owner')}: {row.get('owner') or '—'}",
                    f"{t('campaigns.field.segment')}: {_segment(row.get('segment'))}",
                    f"{t('campaigns.field.status')}: {row.get('status') or '—'}",
                ]
            )

        x2.download_button(
            t("campaigns.export_ics"),
            data=lambda: campaign_plan.to_ics(
                export_rows,
                calendar_name=t("campaigns.title"),
                describe=_describe,
                workspace_key=str(state.workspace().path.name),
            ),
            file_name="campaign-calendar.ics",
            mime="text/calendar",
            on_click="ignore",
            key="campaigns_export_ics",
            disabled=export_rows.empty,
        )
        st.caption(t("campaigns.export_help"))


# == 3. budget pacing =============================================================================
with tab_pace:
    if tab_pace.open:  # only the open tab's queries run
        in_period = pacing.pace(state.call(campaigns.calendar, f, as_of))
        k1, k2, k3, k4 = st.columns(4)
        k1.metric(
            t("campaigns.kpi.budget"),
            fmt.money(float(in_period["budget"].sum()), compact=True),
            help=t("campaigns.kpi.budget.help"),
            border=True,
        )
        k2.metric(
            t("campaigns.kpi.spend"),
            fmt.money(float(in_period["spend_to_date"].sum()), compact=True),
            help=t("campaigns.kpi.spend.help"),
            border=True,
        )
        k3.metric(
            t("campaigns.kpi.projected"),
            fmt.money(float(in_period["projected_spend"].sum()), compact=True),
            help=t("campaigns.kpi.projected.help"),
            border=True,
        )
        k4.metric(
            t("campaigns.kpi.flags"),
            t(
                "campaigns.kpi.flags_value",
                over=int((in_period["pace_status"] == "over").sum()),
                under=int((in_period["pace_status"] == "under").sum()),
            ),
            help=t("campaigns.kpi.flags.help"),
            border=True,
        )
        pacing_title = t("campaigns.pacing_title", currency=cur)
        if in_period.empty:
            fig = charts.empty_figure(title=pacing_title, message=t("campaigns.no_campaigns"))
            takeaway = None
        else:
            fig = campaign_charts.budget_pacing(
                in_period,
                title=pacing_title,
                labels={
                    k: t(f"campaigns.pacing.{k}")
                    for k in ("budget", "spend", "planned", "projected", "under")
                }
                | {"over_budget": t("campaigns.pacing.over")},
                motion_labels=labels,
                money_prefix=money_prefix,
                value_title=t("campaigns.pacing_axis") + f" ({cur})",
            )
            variance = float(in_period["projected_variance"].sum())
            takeaway = t(
                "campaigns.pacing_takeaway",
                projected=fmt.money(float(in_period["projected_spend"].sum()), compact=True),
                budget=fmt.money(float(in_period["budget"].sum()), compact=True),
                variance=fmt.money(abs(variance), compact=True),
                direction=t("campaigns.over" if variance > 0 else "campaigns.under"),
            )
        page.chart(
            fig,
            caption=t("campaigns.pacing_caption", date=fmt.date(as_of)),
            key="campaigns_pacing",
            data=in_period[PACING_COLUMNS],
            takeaway=takeaway,
        )

        st.subheader(t("campaigns.channel_pacing_header"))
        per_channel = pacing.by_channel(in_period).round(
            {
                k: 0
                for k in (
                    "budget",
                    "planned_to_date",
                    "spend_to_date",
                    "projected_spend",
                    "projected_variance",
                )
            }
        )
        st.dataframe(
            per_channel.assign(
                pace_status=per_channel["pace_status"].map(lambda s: t(f"campaigns.pace.{s}"))
            ),
            column_config={
                "channel": st.column_config.TextColumn(t("campaigns.col.channel"), pinned=True),
                "count_campaigns": st.column_config.NumberColumn(t("campaigns.col.count")),
                "budget": st.column_config.NumberColumn(
                    t("campaigns.pacing.budget") + f" ({cur})", format="localized"
                ),
                "planned_to_date": st.column_config.NumberColumn(
                    t("campaigns.pacing.planned") + f" ({cur})", format="localized"
                ),
                "spend_to_date": st.column_config.NumberColumn(
                    t("campaigns.pacing.spend") + f" ({cur})", format="localized"
                ),
                "projected_spend": st.column_config.NumberColumn(
                    t("campaigns.pacing.projected") + f" ({cur})", format="localized"
                ),
                "projected_variance": st.column_config.NumberColumn(
                    t("campaigns.col.variance", currency=cur), format="localized"
                ),
                "pace_status": st.column_config.TextColumn(t("campaigns.col.pace")),
            },
            hide_index=True,
            width="stretch",
            key="campaigns_channel_pacing",
        )

        by_month = state.call(campaigns.budget_by_channel_month, f)
        month_title = t("campaigns.channel_month_title", currency=cur)
        takeaway = None
        if by_month.empty:
            fig = charts.empty_figure(title=month_title, message=t("campaigns.no_campaigns"))
        else:
            gap = by_month.groupby("channel")[["spend", "planned_budget"]].sum()
            gap["diff"] = gap["spend"] - gap["planned_budget"]
            widest = gap["diff"].abs().idxmax()
            takeaway = t(
                "campaigns.channel_month_takeaway",
                channel=widest,
                spend=fmt.money(float(gap.loc[widest, "spend"]), compact=True),
                planned=fmt.money(float(gap.loc[widest, "planned_budget"]), compact=True),
            )
            channel_motion = dict(zip(in_period["channel"], in_period["motion"], strict=True))
            fig = campaign_charts.channel_month_pacing(
                by_month,
                title=month_title,
                labels={
                    "spend": t("campaigns.channel_month.spend"),
                    "planned": t("campaigns.channel_month.planned"),
                },
                channel_motion=channel_motion,
                money_prefix=money_prefix,
            )
        page.chart(
            fig,
            caption=t("campaigns.channel_month_caption"),
            key="campaigns_channel_month",
            data=by_month,
            takeaway=takeaway,
        )


# == 5. results under an attribution model =========================================================
with tab_results:
    if tab_results.open:  # only the open tab's queries run
        multi = state.call(campaigns.has_touch_paths, as_of)
        allowed = list(attribution.MODELS if multi else attribution.SINGLE_TOUCH_MODELS)
        m1, m2 = st.columns([4, 1], vertical_alignment="bottom")
        model = m1.segmented_control(
            t("campaigns.model"),
            options=allowed,
            format_func=lambda m: model_labels[m],
            default="first_touch",
            key="campaigns_model",
        )
        model = model if model in allowed else "first_touch"
        half_life = attribution.HALF_LIFE_DAYS
        if model == "time_decay":
            half_life = float(
                m2.number_input(
                    t("campaigns.half_life"),
                    min_value=1.0,
                    max_value=180.0,
                    value=attribution.HALF_LIFE_DAYS,
                    step=1.0,
                    key="campaigns_half_life",
                )
            )
        if not multi:
            st.info(t("campaigns.single_touch_only"))
        st.caption(t(f"campaigns.model_help.{model}", half_life=f"{half_life:g}"))
        # every model's credit in one pass over the touch paths, weighed in SQL: switching the
        # model reuses it; the table and the channel comparison both read it
        path_credit = state.call(campaigns.attribution_credit, as_of, half_life)
        results = state.call(campaigns.attributed_results, f, as_of, model, half_life, path_credit)
        if results.empty:
            st.info(t("campaigns.no_campaigns"))
        else:
            shown = results.assign(
                objective=results["objective"].map(_stage),
                start_date=results["start_date"].dt.date,
                roi=results["roi"] * 100,
            )
            columns = {
                "name": st.column_config.TextColumn(
                    t("campaigns.col.campaign"), pinned=True, width="medium"
                ),
                "channel": st.column_config.TextColumn(t("campaigns.col.channel")),
                "objective": st.column_config.TextColumn(t("campaigns.col.stage")),
                "start_date": st.column_config.DateColumn(t("campaigns.col.start")),
                "count_leads": st.column_config.NumberColumn(
                    t("campaigns.col.leads"), format="%.1f"
                ),
                "count_mqls": st.column_config.NumberColumn(t("campaigns.col.mqls"), format="%.1f"),
                "count_sqls": st.column_config.NumberColumn(t("campaigns.col.sqls"), format="%.1f"),
                "count_opportunities": st.column_config.NumberColumn(
                    t("campaigns.col.opportunities"), format="%.1f"
                ),
                "won_amount": st.column_config.NumberColumn(
                    t("campaigns.col.won_amount", currency=cur), format="localized"
                ),
                "spend": st.column_config.NumberColumn(
                    t("campaigns.col.spend", currency=cur), format="localized"
                ),
                "cost_per_lead": st.column_config.NumberColumn(
                    t("campaigns.col.cpl", currency=cur), format="localized"
                ),
                "cost_per_opportunity": st.column_config.NumberColumn(
                    t("campaigns.col.cpo", currency=cur), format="localized"
                ),
                "roi": st.column_config.NumberColumn(t("campaigns.col.roi"), format="%.0f%%"),
            }
            st.dataframe(
                shown[list(columns)].round(
                    {"won_amount": 0, "spend": 0, "cost_per_lead": 0, "cost_per_opportunity": 0}
                ),
                column_config=columns,
                hide_index=True,
                width="stretch",
                key="campaigns_results_table",
            )
        st.caption(t("campaigns.results_caption", date=fmt.date(as_of), model=model_labels[model]))

        top_n = 10
        top_title = t("campaigns.top_title", n=top_n, currency=cur, model=model_labels[model])
        if results.empty or not (results["won_amount"] > 0).any():
            fig = charts.empty_figure(title=top_title, message=t("campaigns.no_wins"))
            takeaway = None
        else:
            fig = campaign_charts.top_campaigns(
                results,
                title=top_title,
                labels={"won": t("campaigns.top.won"), "spend": t("campaigns.top.spend")},
                motion_labels=labels,
                top=top_n,
                money_prefix=money_prefix,
                value_title=t("campaigns.pacing_axis") + f" ({cur})",
            )
            best = results.iloc[0]
            takeaway = t(
                "campaigns.top_takeaway",
                name=best["name"],
                won=fmt.money(float(best["won_amount"]), compact=True),
                model=model_labels[model],
            )
        page.chart(
            fig,
            caption=t("campaigns.top_caption", date=fmt.date(as_of), model=model_labels[model]),
            key="campaigns_top",
            data=results[["campaign_id", "name", "channel", "won_amount", "spend", "roi"]],
            takeaway=takeaway,
        )

        credit = state.call(campaigns.channel_credit, as_of, tuple(allowed), half_life, path_credit)
        compare_title = t("campaigns.compare_title", currency=cur)
        if credit.empty or credit["won_amount"].sum() <= 0:
            fig = charts.empty_figure(title=compare_title, message=t("campaigns.no_wins"))
            takeaway = None
        else:
            motion_of = state.call(campaigns.channel_motions)
            fig = campaign_charts.model_comparison(
                credit,
                title=compare_title,
                model_labels={m: model_labels[m] for m in allowed},
                channel_motion=motion_of,
                money_prefix=money_prefix,
                value_title=t("campaigns.compare_axis", currency=cur),
            )
            grid = credit.pivot_table(index="channel", columns="model", values="won_amount")
            spread = (grid.max(axis=1) - grid.min(axis=1)).sort_values(ascending=False)
            ch = spread.index[0]
            takeaway = t(
                "campaigns.compare_takeaway",
                channel=ch,
                low=fmt.money(float(grid.loc[ch].min()), compact=True),
                low_model=model_labels[grid.loc[ch].idxmin()],
                high=fmt.money(float(grid.loc[ch].max()), compact=True),
                high_model=model_labels[grid.loc[ch].idxmax()],
            )
        page.chart(
            fig,
            caption=t(
                "campaigns.compare_caption", date=fmt.date(as_of), half_life=f"{half_life:g}"
            ),
            key="campaigns_compare",
            data=credit.assign(model=credit["model"].map(model_labels)),
            takeaway=takeaway,
        )


# == 6. expected pipeline of a planned campaign ====================================================
with tab_forecast:
    if tab_forecast.open:  # only the open tab's queries run
        all_rows = state.call(campaigns.plan_rows)
        planned = all_rows[pd.to_datetime(all_rows["start_date"]).dt.date > as_of]
        if planned.empty:
            st.info(t("campaigns.forecast_none", date=fmt.date(as_of)))
        else:
            p1, p2 = st.columns([3, 1], vertical_alignment="bottom")
            pick = p1.selectbox(
                t("campaigns.forecast_pick"),
                options=planned["campaign_id"].tolist(),
                format_func=lambda c: f"{planned.set_index('campaign_id').loc[c, 'name']} ({c})",
                key="campaigns_forecast_pick",
            )
            chosen = planned.set_index("campaign_id").loc[pick]
            budget = float(
                p2.number_input(
                    t("campaigns.forecast_budget", currency=cur),
                    min_value=0.0,
                    value=float(chosen["budget"] or 0.0),
                    step=1000.0,
                    format="%.0f",
                    key=f"campaigns_forecast_budget_{pick}",
                )
            )
            history, outcomes = state.call(campaigns.forecast_history, as_of)
            channel = str(chosen["channel"])
            same = history[history["channel"] == channel]
            profile = campaign_forecast.per_spend_profile(same, outcomes, as_of=as_of)
            expected = campaign_forecast.expected_pipeline(
                profile, budget=budget, start=chosen["start_date"]
            )
            motion_of = state.call(campaigns.channel_motions)
            title = t("campaigns.forecast_title", name=chosen["name"], currency=cur)
            if expected.empty or same.empty:
                fig = charts.empty_figure(
                    title=title, message=t("campaigns.forecast_no_history", channel=channel)
                )
                takeaway = None
            else:
                total_pipe = float(expected["expected_pipeline"].sum())
                total_won = float(expected["expected_won"].sum())
                q1, q2, q3 = st.columns(3)
                q1.metric(
                    t("campaigns.forecast_kpi.pipeline", months=len(expected)),
                    fmt.money(total_pipe, compact=True),
                    border=True,
                )
                q2.metric(
                    t("campaigns.forecast_kpi.won", months=len(expected)),
                    fmt.money(total_won, compact=True),
                    border=True,
                )
                q3.metric(
                    t("campaigns.forecast_kpi.return"),
                    f"{total_won / budget:.1f}×" if budget > 0 else "—",
                    help=t("campaigns.forecast_kpi.return_help"),
                    border=True,
                )
                fig = campaign_charts.expected_pipeline(
                    expected,
                    title=title,
                    labels={
                        k: t(f"campaigns.forecast.{k}")
                        for k in ("pipeline", "cumulative_pipeline", "cumulative_won")
                    },
                    motion=motion_of.get(channel, "unmapped"),
                    money_prefix=money_prefix,
                    value_title=t("campaigns.pacing_axis") + f" ({cur})",
                )
                peak = expected.loc[expected["expected_pipeline"].idxmax(), "month"]
                takeaway = t(
                    "campaigns.forecast_takeaway",
                    pipeline=fmt.money(total_pipe, compact=True),
                    won=fmt.money(total_won, compact=True),
                    peak=pd.Timestamp(peak).strftime("%Y-%m"),
                    months=len(expected),
                )
            lags = state.call(campaigns.channel_lags, as_of).set_index("channel")
            lag_text = (
                t(
                    "campaigns.forecast_lags",
                    channel=channel,
                    lead=fmt.days(lags.loc[channel, "days_to_lead"]),
                    deal=fmt.days(lags.loc[channel, "days_to_deal"]),
                    won=fmt.days(lags.loc[channel, "days_to_won"]),
                )
                if channel in lags.index
                else ""
            )
            page.chart(
                fig,
                caption=t(
                    "campaigns.forecast_caption",
                    channel=channel,
                    count=len(same),
                    date=fmt.date(as_of),
                )
                + " "
                + lag_text,
                key="campaigns_forecast",
                data=expected,
                takeaway=takeaway,
            )
