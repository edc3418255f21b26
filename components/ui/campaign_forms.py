"""The Campaign calendar's Streamlit pieces: the editor (one campaign in a form, many in a
table, a plan file imported, undo) and the tables shown beside the charts.

Every write goes through ``queries.campaigns`` (logged, so undo can take it back) and ends with
``page.saved``: cached results dropped, the message shown once in the page header.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
import streamlit as st

from components.export import tables as exports
from components.i18n import current_language, t
from components.ui import auth, page, state
from planning import attribution, campaign_plan
from queries import campaigns
from queries.ingest.engine import Choices, open_import
from queries.ingest.errors import ImportRefused

EDIT_VERSION = "campaigns_editor_version"  # bumped by each write: forms show the stored values
NEW = "__new__"


def version() -> int:
    return st.session_state.get(EDIT_VERSION, 0)


def _saved(message: str) -> None:
    st.session_state[EDIT_VERSION] = version() + 1
    page.saved(message)


def _save(action: str, summary: str, *, upserts=(), deletes=()) -> None:
    if not auth.require("edit_campaigns"):  # every form and table write passes here
        return
    campaigns.save_changes(
        state.workspace(),
        action=action,
        summary=summary,
        upserts=list(upserts),
        deletes=list(deletes),
    )
    _saved(t(f"campaigns.saved.{action}", summary=summary))


def _problem_lines(problems: dict[str, str]) -> list[str]:
    return [
        t(
            "campaigns.invalid.line",
            field=t(f"campaigns.field.{k}"),
            message=t(f"campaigns.invalid.{v}"),
        )
        for k, v in problems.items()
    ]


def _refuse(header_key: str, lines: list[str]) -> None:
    st.error(t(header_key) + "\n\n" + "\n".join(f"- {line}" for line in lines))


def _status(s: object) -> str:
    return t(f"campaigns.status.{s}") if s in campaign_plan.STATUSES else str(s)


# == controls =====================================================================================
def _choice(col, label: str, options, default: str, key: str) -> str:
    """A segmented control that falls back to its default when cleared."""
    picked = col.segmented_control(
        t(label),
        options=list(options),
        format_func=lambda k: t(f"{label}.{k}"),
        default=default,
        key=key,
    )
    return picked or default


def calendar_controls(as_of: date) -> tuple[str, str, dict[str, object]]:
    """The timeline's rows, colours and window (the keyword arguments of the calendar views:
    zoom, and the upcoming toggle or the zoom's anchor day)."""
    c1, c2, c3, c4 = st.columns(4, vertical_alignment="bottom")
    rows = ("channel", "objective")
    group_by = _choice(c1, "campaigns.rows", rows, "channel", "campaigns_group_by")
    colours = ("objective", "motion")
    color_by = _choice(c2, "campaigns.colour", colours, "objective", "campaigns_color_by")
    zoom = _choice(c3, "campaigns.zoom", campaign_plan.ZOOMS, "all", "campaigns_zoom")
    window: dict[str, object] = {"zoom": zoom}
    if zoom == "all":
        window["upcoming"] = c4.toggle(
            t("campaigns.upcoming"),
            value=True,
            key="campaigns_upcoming",
            help=t("campaigns.upcoming_help", date=state.formatter().date(as_of)),
        )
    else:
        window["anchor"] = c4.date_input(
            t("campaigns.zoom_anchor"), value=as_of, key="campaigns_zoom_anchor"
        )
    return group_by, color_by, window


def model_controls(allowed: list[str]) -> tuple[str, float]:
    """The attribution model (of those the touches support) and, for time decay, its
    half-life in days."""
    m1, m2 = st.columns([4, 1], vertical_alignment="bottom")
    model = m1.segmented_control(
        t("campaigns.model"),
        options=allowed,
        format_func=lambda m: t(f"campaigns.model.{m}"),
        default="first_touch",
        key="campaigns_model",
    )
    model = model if model in allowed else "first_touch"
    if model != "time_decay":
        return model, attribution.HALF_LIFE_DAYS
    half_life = m2.number_input(
        t("campaigns.half_life"),
        min_value=1.0,
        max_value=180.0,
        value=attribution.HALF_LIFE_DAYS,
        step=1.0,
        key="campaigns_half_life",
    )
    return model, float(half_life)


# == editing ======================================================================================
def undo_bar() -> None:
    """The latest change to the plan and a button that takes it back."""
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
            + " "
            + t("auth.changed_by", who=page.escape_md(auth.by_user_label(last.get("by_user"))))
        )
    if u2.button(
        t("campaigns.undo"), disabled=last is None, key="campaigns_undo", width="stretch"
    ) and auth.require("undo"):
        try:
            undone = campaigns.undo_last_change(state.workspace())
        except Exception as exc:  # an import that a later import displaced (engine refuses)
            st.error(t("campaigns.undo_failed", reason=str(exc)))
        else:
            _saved(t("campaigns.undone", summary=(undone or {}).get("summary") or ""))


def campaign_form(rows: pd.DataFrame, as_of: date, stage: Callable[[object], str]) -> None:
    """One campaign: pick one (or a new one), edit its fields, save, duplicate or delete it.
    Refused input names each field's problem and saves nothing."""
    known = state.call(campaigns.known_values)
    channels, segments = known["channel"], known["segment"]
    existing_ids = rows["campaign_id"].tolist()
    by_id = rows.set_index("campaign_id")
    st.subheader(t("campaigns.form_header"))
    choice = st.selectbox(
        t("campaigns.form_pick"),
        options=[NEW, *existing_ids],
        format_func=lambda c: (
            t("campaigns.form_new") if c == NEW else f"{by_id.loc[c, 'name']} ({c})"
        ),
        key="campaigns_form_pick",
    )
    current = {} if choice == NEW else by_id.loc[choice].to_dict() | {"campaign_id": choice}
    v = version()

    def fk(field: str) -> str:
        """A widget's key: new for each campaign and after each save, so it shows the stored
        values instead of what was typed before."""
        return f"campaigns_f_{field}_{choice}_{v}"

    with st.form(key=f"campaigns_form_{choice}_{v}", border=True):
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
        objectives = list(campaign_plan.OBJECTIVES)
        objective = b2.selectbox(
            t("campaigns.field.objective"),
            options=objectives,
            format_func=stage,
            index=objectives.index(current["objective"])
            if current.get("objective") in objectives
            else None,
            placeholder=t("campaigns.form_choose"),
            key=fk("objective"),
        )
        statuses = list(campaign_plan.STATUSES)
        status = b3.selectbox(
            t("campaigns.field.status"),
            options=statuses,
            format_func=_status,
            index=statuses.index(current["status"]) if current.get("status") in statuses else 0,
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
            t("campaigns.field.budget") + f" ({state.formatter().currency})",
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

    if do_save or do_copy:
        row = campaign_plan.clean(
            {
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
        )
        if do_copy:
            row["campaign_id"] = campaign_plan.next_id(existing_ids)
            row["name"] = t("campaigns.copy_name", name=row["name"] or "")
        taken = [c for c in existing_ids if c != (choice if do_save else None)]
        problems = campaign_plan.problems(
            row, channels=channel_options, segments=segments, taken_ids=taken
        )
        if problems:
            _refuse("campaigns.invalid.header", _problem_lines(problems))
        else:
            action = "duplicate" if do_copy else ("add" if choice == NEW else "edit")
            _save(action, f"{row['name']} ({row['campaign_id']})", upserts=[row])
    if do_delete and choice != NEW:
        _save("delete", f"{current.get('name')} ({choice})", deletes=[choice])


def _table_changes(
    table: pd.DataFrame, edits: dict, existing_ids: list[str]
) -> tuple[list[dict], list[str]]:
    """The rows a data-editor session writes (edited and added, cleaned; a new row without an
    id gets the next free one) and the ids it deletes (a renamed id deletes the old one)."""
    upserts: list[dict] = []
    deletes = [str(table.iloc[int(i)]["campaign_id"]) for i in edits.get("deleted_rows", [])]
    fresh = list(existing_ids)
    for i, change in edits.get("edited_rows", {}).items():
        base = table.iloc[int(i)].to_dict()
        if base["campaign_id"] in deletes:
            continue
        row = campaign_plan.clean(base | change)
        if row["campaign_id"] != base["campaign_id"]:
            deletes.append(str(base["campaign_id"]))
        upserts.append(row)
    for added in edits.get("added_rows", []):
        row = campaign_plan.clean(added)
        if not row["campaign_id"]:
            row["campaign_id"] = campaign_plan.next_id(fresh)
        fresh.append(str(row["campaign_id"]))
        upserts.append(row)
    return upserts, deletes


def plan_table(rows: pd.DataFrame, stage: Callable[[object], str]) -> None:
    """Many campaigns at once: edit, add and delete rows, then save them in one change, or
    nothing when a row is refused (each refused row named with its problems)."""
    known = state.call(campaigns.known_values)
    channels, segments = known["channel"], known["segment"]
    existing_ids = rows["campaign_id"].tolist()
    st.subheader(t("campaigns.table_header"))
    st.caption(t("campaigns.table_help"))
    editor_key = f"campaigns_editor_{version()}"
    # Latest first: a planner edits what is coming, not what ran two years ago.
    table = (
        rows[list(campaigns.PLAN_COLUMNS)]
        .sort_values(["start_date", "campaign_id"], ascending=False)
        .reset_index(drop=True)
    )
    money = t("campaigns.field.budget") + f" ({state.formatter().currency})"
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
                format_func=stage,
            ),
            "start_date": st.column_config.DateColumn(t("campaigns.field.start_date")),
            "end_date": st.column_config.DateColumn(t("campaigns.field.end_date")),
            "budget": st.column_config.NumberColumn(money, format="localized"),
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
    n_changes = sum(len(edits.get(k) or ()) for k in ("edited_rows", "added_rows", "deleted_rows"))
    if not st.button(
        t("campaigns.table_save", count=n_changes),
        disabled=n_changes == 0,
        key="campaigns_table_save",
        type="primary",
    ):
        return
    upserts, deletes = _table_changes(table, edits, existing_ids)
    final_ids = [c for c in existing_ids if c not in deletes]
    ids = [r["campaign_id"] for r in upserts]
    report = []
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
        _refuse("campaigns.invalid.table_header", report)
        return
    summary = t("campaigns.table_summary", changed=len(upserts), deleted=len(deletes))
    _save("table", summary, upserts=upserts, deletes=deletes)


def import_plan() -> None:
    """A campaign plan file through the import engine (checked, then upserted on a click)."""
    st.subheader(t("campaigns.import_header"))
    st.caption(t("campaigns.import_help"))
    upload = st.file_uploader(
        t("campaigns.import_file"), type=["csv", "xlsx", "txt"], key=f"campaigns_import_{version()}"
    )
    if upload is None:
        return
    path = Path(tempfile.mkdtemp(prefix="flywheel-campaigns-")) / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    ws = state.workspace()
    try:
        with open_import(ws, path, name=upload.name, choices=Choices(kind="campaigns")) as imp:
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
            if (
                rep.rows_ok
                and st.button(
                    t("campaigns.import_go", count=rep.rows_ok),
                    key="campaigns_import_go",
                    type="primary",
                )
                and auth.require("edit_campaigns")
            ):
                res = imp.commit("upsert", confirm_duplicate=True)
                campaigns.log_import(ws, res.import_id, f"{upload.name} ({res.rows_loaded})")
                _saved(t("campaigns.imported", count=res.rows_loaded, file=upload.name))
    except ImportRefused as exc:
        st.error(exc.message(current_language()))


def export_plan(rows: pd.DataFrame, stage: Callable[[object], str]) -> None:
    """The plan as CSV and as an iCalendar file (made on click only)."""
    export_rows = rows[list(campaigns.PLAN_COLUMNS)]
    fmt = state.formatter()
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

    def describe(row: dict) -> str:
        segment = row.get("segment")
        return "\n".join(
            [
                f"{t('campaigns.field.channel')}: {row.get('channel') or '—'}",
                f"{t('campaigns.field.objective')}: {stage(row.get('objective'))}",
                f"{t('campaigns.field.budget')}: {fmt.money(row.get('budget'))}",
                f"{t('campaigns.field.owner')}: {row.get('owner') or '—'}",
                f"{t('campaigns.field.segment')}: "
                + (t("campaigns.hover.all_segments") if pd.isna(segment) else str(segment)),
                f"{t('campaigns.field.status')}: {row.get('status') or '—'}",
            ]
        )

    x2.download_button(
        t("campaigns.export_ics"),
        data=lambda: campaign_plan.to_ics(
            export_rows,
            calendar_name=t("campaigns.title"),
            describe=describe,
            workspace_key=str(state.workspace().path.name),
        ),
        file_name="campaign-calendar.ics",
        mime="text/calendar",
        on_click="ignore",
        key="campaigns_export_ics",
        disabled=export_rows.empty,
    )
    st.caption(t("campaigns.export_help"))


# == tables beside the charts =====================================================================
def overlaps_table(pairs: pd.DataFrame) -> None:
    """The overlapping pairs of campaigns (``views.campaigns.overlaps``), or that there are none."""
    st.subheader(t("campaigns.overlaps_header"))
    if pairs.empty:
        st.success(t("campaigns.no_overlaps"))
    else:
        st.warning(t("campaigns.overlaps_found", count=len(pairs)))
        text = st.column_config.TextColumn
        st.dataframe(
            pairs,
            column_config={
                "campaign_id_a": None,
                "campaign_id_b": None,
                "name_a": text(t("campaigns.col.campaign"), width="medium"),
                "channel_a": text(t("campaigns.col.channel")),
                "name_b": text(t("campaigns.col.overlaps_with"), width="medium"),
                "channel_b": text(t("campaigns.col.channel")),
                "objective": text(t("campaigns.col.stage")),
                "segment": text(t("campaigns.col.segment")),
                "overlap_start": st.column_config.DateColumn(t("campaigns.col.from")),
                "overlap_end": st.column_config.DateColumn(t("campaigns.col.to")),
                "count_days": st.column_config.NumberColumn(t("campaigns.col.days")),
            },
            hide_index=True,
            width="stretch",
            key="campaigns_overlaps_table",
        )
    st.caption(t("campaigns.overlaps_caption"))


def kpi_row(kpis) -> None:
    """Headline figures (``views.campaigns.Kpi``) side by side."""
    for col, kpi in zip(st.columns(len(kpis)), kpis, strict=True):
        col.metric(kpi.label, kpi.value, help=kpi.help, border=True)


def channel_pacing_table(per_channel: pd.DataFrame) -> None:
    """Pacing per channel (``views.campaigns.channel_pacing``)."""
    st.subheader(t("campaigns.channel_pacing_header"))
    cur = state.formatter().currency

    def money(label: str) -> st.column_config.NumberColumn:
        return st.column_config.NumberColumn(label, format="localized")

    st.dataframe(
        per_channel,
        column_config={
            "channel": st.column_config.TextColumn(t("campaigns.col.channel"), pinned=True),
            "count_campaigns": st.column_config.NumberColumn(t("campaigns.col.count")),
            "budget": money(t("campaigns.pacing.budget") + f" ({cur})"),
            "planned_to_date": money(t("campaigns.pacing.planned") + f" ({cur})"),
            "spend_to_date": money(t("campaigns.pacing.spend") + f" ({cur})"),
            "projected_spend": money(t("campaigns.pacing.projected") + f" ({cur})"),
            "projected_variance": money(t("campaigns.col.variance", currency=cur)),
            "pace_status": st.column_config.TextColumn(t("campaigns.col.pace")),
        },
        hide_index=True,
        width="stretch",
        key="campaigns_channel_pacing",
    )


def results_table(results: pd.DataFrame, stage: Callable[[object], str]) -> None:
    """Each campaign's credited results (``views.campaigns.campaign_results``), sortable."""
    if results.empty:
        st.info(t("campaigns.no_campaigns"))
        return
    cur = state.formatter().currency
    shown = results.assign(
        objective=results["objective"].map(stage),
        start_date=results["start_date"].dt.date,
        roi=results["roi"] * 100,
    )
    num = st.column_config.NumberColumn
    columns = {
        "name": st.column_config.TextColumn(
            t("campaigns.col.campaign"), pinned=True, width="medium"
        ),
        "channel": st.column_config.TextColumn(t("campaigns.col.channel")),
        "objective": st.column_config.TextColumn(t("campaigns.col.stage")),
        "start_date": st.column_config.DateColumn(t("campaigns.col.start")),
        "count_leads": num(t("campaigns.col.leads"), format="%.1f"),
        "count_mqls": num(t("campaigns.col.mqls"), format="%.1f"),
        "count_sqls": num(t("campaigns.col.sqls"), format="%.1f"),
        "count_opportunities": num(t("campaigns.col.opportunities"), format="%.1f"),
        "won_amount": num(t("campaigns.col.won_amount", currency=cur), format="localized"),
        "spend": num(t("campaigns.col.spend", currency=cur), format="localized"),
        "cost_per_lead": num(t("campaigns.col.cpl", currency=cur), format="localized"),
        "cost_per_opportunity": num(t("campaigns.col.cpo", currency=cur), format="localized"),
        "roi": num(t("campaigns.col.roi"), format="%.0f%%"),
    }
    money = ("won_amount", "spend", "cost_per_lead", "cost_per_opportunity")
    st.dataframe(
        shown[list(columns)].round(dict.fromkeys(money, 0)),
        column_config=columns,
        hide_index=True,
        width="stretch",
        key="campaigns_results_table",
    )
