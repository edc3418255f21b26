"""The Data page's sections: what the workspace holds, the deal checks (outliers, amounts of 0),
the source → motion mapping, how the records link up, the workspace settings, the import
history and who changed which setting. Each draws one section and
saves through ``queries.data_admin`` / ``queries.links``; the page only orders them."""

from __future__ import annotations

import streamlit as st
from babel.dates import get_month_names

from components.fmt import Formatter
from components.i18n import current_language, t
from components.ui import auth, import_history, page, state
from components.ui import import_wizard as wizard
from components.ui.link_report import link_lines
from planning import data_checks as planning_checks
from queries import data_admin, links, period
from queries import data_checks as checks_q
from queries.workspace import Workspace
from views import data as data_views

MAPPING_EDITOR_PREFIX = "data_source_motion_editor_"


def _show_errors(errors: list[data_admin.FieldError]) -> None:
    st.error(t("data.not_saved"))
    for e in errors:
        st.error(t(f"data.error.{e.code}", field=e.field, value=e.value))


def import_wizard(ws: Workspace, settings: dict[str, str], fmt: Formatter) -> None:
    """Upload files, map their columns, import them (components/ui/import_wizard.py draws the
    steps). Test hook: ``st.session_state["wizard_test_files"] = [path, ...]`` opens files from
    disk as if uploaded."""
    st.subheader(t("wizard.header"))
    st.caption(t("wizard.intro"))
    page.show_flash("wizard")
    uploads = st.file_uploader(
        t("wizard.upload"),
        type=wizard.UPLOAD_TYPES,
        accept_multiple_files=True,
        key="wizard_uploader",
        help=t("wizard.upload_help"),
    )
    test_files = st.session_state.get(wizard.TEST_FILES_KEY) or []
    files_now: list[wizard.Entry] = []
    try:
        files_now = wizard.sync_entries(ws, uploads or [], test_files)
    except Exception:
        wizard.log.exception("import wizard: reading the uploads failed")
        st.error(t("wizard.failed"))
    blocked = ws.is_sample
    if files_now and blocked and any(e.result is None for e in files_now):
        wizard.guarded("own workspace", lambda: wizard.render_own_workspace(ws, settings))
    if len(files_now) == 1:
        entry = files_now[0]
        wizard.guarded(entry.name, lambda: wizard.render_entry(entry, ws, fmt, blocked=blocked))
    elif files_now:
        for tab, entry in zip(st.tabs([e.name for e in files_now]), files_now, strict=True):
            with tab:
                wizard.guarded(
                    entry.name,
                    lambda entry=entry: wizard.render_entry(entry, ws, fmt, blocked=blocked),
                )


def readiness_panel(fmt: Formatter) -> None:
    """What this workspace can answer: per page, ready or what it lacks; per need, what the
    workspace holds and the one step that fills a gap (views/readiness.py, one cached query)."""
    from queries import readiness as readiness_queries
    from views import readiness

    lang = current_language()
    counts = state.call(readiness_queries.counts)
    st.subheader(t("readiness.header"))
    st.caption(t("readiness.intro"))
    lines = []
    for name, status, ready in readiness.page_lines(counts, lang):
        mark = ":green[**✓**]" if ready else ":orange[**—**]"
        lines.append(f"{mark} **{page.escape_md(name)}**: {page.escape_md(status)}")
    st.markdown("  \n".join(lines))
    table = readiness.panel(counts, fmt, lang)
    # a table, not a grid: every step reads in full, wrapped; the index column is ✓ or —
    st.table(table.set_index(table.columns[0]))
    st.caption(t("readiness.caption"))


def deal_checks(ws: Workspace) -> None:
    """The outlier deals (their rows, and a toggle that leaves them out of every figure) and
    the won deals with an amount of 0 (a toggle that reads 0 as "not entered"): two settings
    that the `deals` view applies to every page, pack and the command line (migration 016)."""
    ctx = page.context()
    multiple = ctx.fmt.number(planning_checks.OUTLIER_MULTIPLE)
    st.subheader(t("data.checks.header"))
    st.caption(t("data.checks.intro"))
    page.show_flash("checks")
    outliers = data_views.outlier_check(ctx)
    st.markdown(page.escape_md(outliers.summary))
    if not outliers.table.empty:
        st.dataframe(outliers.table, hide_index=True, width="stretch")
    exclude = st.toggle(
        t("data.checks.exclude_toggle"),
        value=outliers.excluding,
        help=t("data.checks.exclude_help", multiple=multiple),
        # keyed by the saved value: a change saved elsewhere redraws the toggle, never saves
        key=f"data_exclude_outliers_{int(outliers.excluding)}",
    )
    if exclude != outliers.excluding and auth.require("settings"):
        left_out = checks_q.set_exclude_outliers(ws, exclude)
        message = (
            t("data.checks.exclude_saved_on", count=ctx.fmt.number(left_out))
            if exclude
            else t("data.checks.exclude_saved_off")
        )
        page.saved(message, section="checks")
    zero = data_views.zero_amount_check(ctx)
    st.markdown(page.escape_md(zero.summary))
    missing = st.toggle(
        t("data.checks.zero_toggle"),
        value=zero.zero_is_missing,
        help=t("data.checks.zero_help"),
        key=f"data_zero_amount_missing_{int(zero.zero_is_missing)}",
    )
    if missing != zero.zero_is_missing and auth.require("settings"):
        checks_q.set_zero_amount_missing(ws, missing)
        key = "data.checks.zero_saved_on" if missing else "data.checks.zero_saved_off"
        page.saved(t(key), section="checks")


def summary(ws: Workspace, fmt: Formatter) -> None:
    """The file, sample or own, the span of the data, the rows per table and per month."""
    st.subheader(t("data.summary_header"))
    first_day, last_day = state.call(period.data_span)
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"**{t('data.file')}**")
        st.code(str(ws.path), language=None)
    with right:
        st.markdown(f"**{t('data.kind')}**")
        if ws.is_sample:
            st.badge(t("data.kind_sample"), icon=":material/science:", color="orange")
        else:
            st.badge(t("data.kind_own"), icon=":material/database:", color="blue")
        if first_day is None or last_day is None:
            st.caption(t("data.range_empty"))
        else:
            st.caption(t("data.range", start=fmt.date(first_day), end=fmt.date(last_day)))

    counts = state.call(data_admin.table_counts)
    count_of = dict(zip(counts["table_name"], counts["count_rows"], strict=True))
    width = len(data_admin.CONTRACT_TABLES)
    for tables in (data_admin.CONTRACT_TABLES, data_admin.LINKED_TABLES):
        for col, table in zip(st.columns(width), tables, strict=False):
            col.metric(
                t(f"data.table.{table}"), fmt.number(int(count_of.get(table, 0))), border=True
            )
    st.caption(t("data.counts_caption"))
    page.show(data_views.records_per_month(page.context()), key="data_records_per_month")


def source_mapping(ws: Workspace) -> None:
    """Which lead sources are pull and which push: an editable table, saved on a click."""
    st.subheader(t("data.mapping_header"))
    st.caption(t("data.mapping_intro"))
    page.show_flash("mapping")
    labels = page.motion_labels()
    mapping = state.call(data_admin.source_motion)
    if mapping.empty:
        st.info(t("data.mapping_empty"))
        return
    unmapped = int(mapping["is_unmapped"].sum())
    if unmapped:
        st.warning(t("data.mapping_unmapped", count=unmapped))
    else:
        st.caption(t("data.mapping_all_mapped"))
    shown = mapping[["source", "motion", "count_leads", "count_deals"]]
    # A new key per mapping version: the browser keeps an editor's pending edits by row number
    # and would replay them onto the re-sorted rows after a save.
    editor_key = MAPPING_EDITOR_PREFIX + data_admin.mapping_version(mapping)
    # Styles reach only the columns that cannot be edited: paint unmapped sources' names red.
    styled = shown.style.apply(
        lambda col: [
            "background-color: #FCE4E4; color: #C92A2A" if u else "" for u in mapping["is_unmapped"]
        ],
        subset=["source"],
    )
    edited = st.data_editor(
        styled,
        key=editor_key,
        hide_index=True,
        width="stretch",
        height=35 * (min(len(shown), 20) + 1) + 3,  # every source in view, up to 20 rows
        num_rows="fixed",
        placeholder=labels["unmapped"],
        disabled=["source", "count_leads", "count_deals"],
        column_config={
            "source": st.column_config.TextColumn(t("data.col.source")),
            "motion": st.column_config.SelectboxColumn(
                t("data.col.motion"),
                options=list(data_admin.MOTIONS),
                format_func=lambda m: labels.get(m, m),
                help=t("data.motion_help"),
            ),
            "count_leads": st.column_config.NumberColumn(t("data.col.leads"), format="localized"),
            "count_deals": st.column_config.NumberColumn(t("data.col.deals"), format="localized"),
        },
    )
    if st.button(t("data.save_mapping"), key="data_save_mapping", type="primary") and auth.require(
        "settings"
    ):
        changes = data_admin.mapping_changes(mapping, edited)
        if not changes:
            st.info(t("data.mapping_no_change"))
            return
        errors = data_admin.save_source_motion(ws, changes)
        if errors:
            _show_errors(errors)
        else:
            page.saved(t("data.mapping_saved", count=len(changes)), section="mapping")


def record_links(ws: Workspace, fmt: Formatter) -> None:
    """How deals, leads, accounts and reps link up, and the rule for deals with no source."""
    st.subheader(t("data.links_header"))
    page.show_flash("links")
    link_text = link_lines(state.call(links.link_state), current_language())
    if link_text:
        st.markdown("\n".join(f"- {line}" for line in link_text))
    rule_now = state.call(links.deal_source_rule)
    rule = st.radio(
        t("data.rule.title"),
        options=list(links.DEAL_SOURCE_RULES),
        index=list(links.DEAL_SOURCE_RULES).index(rule_now),
        format_func=lambda r: t(f"data.rule.{r}"),
        help=t("data.rule.help"),
        key="data_deal_source_rule",
    )
    if (
        rule != rule_now
        and st.button(t("data.save_rule"), key="data_save_rule", type="primary")
        and auth.require("settings")
    ):
        given = links.set_deal_source_rule(ws, rule)
        page.saved(t("data.rule.saved", count=fmt.number(given)), section="links")


def _setting(settings: dict[str, str], name: str, default: float) -> float:
    try:
        return float(settings.get(name, default))
    except ValueError:
        return default


def settings_form(ws: Workspace, settings: dict[str, str]) -> None:
    """Company name, fiscal year, currency, locale and the pull share of sales costs."""
    st.subheader(t("data.settings_header"))
    st.caption(t("data.settings_intro"))
    page.show_flash("settings")
    month_names = get_month_names("wide", locale="zh_CN" if current_language() == "zh" else "en")
    current_month = int(_setting(settings, "fiscal_year_start_month", 1))
    with st.form("data_settings_form", border=True):
        c1, c2 = st.columns(2)
        company = c1.text_input(
            t("data.company"), value=settings.get("company_name", ""), key="data_company"
        )
        fiscal_month = c2.selectbox(
            t("data.fiscal_month"),
            options=list(range(1, 13)),
            index=current_month - 1 if 1 <= current_month <= 12 else 0,
            format_func=lambda m: month_names[m],
            key="data_fiscal_month",
        )
        c3, c4, c5 = st.columns(3)
        currency = c3.text_input(
            t("data.currency"),
            value=settings.get("currency", "USD"),
            help=t("data.currency_help"),
            key="data_currency",
        )
        locale = c4.text_input(
            t("data.locale"),
            value=settings.get("locale", "en_US"),
            help=t("data.locale_help"),
            key="data_locale",
        )
        # No min/max on purpose: an out-of-range share gets our message, not a silent clamp.
        share = c5.number_input(
            t("data.pull_share"),
            value=_setting(settings, "pull_share_of_sales", 0.0) * 100,
            step=5.0,
            format="%.1f",
            help=t("data.pull_share_help"),
            key="data_pull_share",
        )
        submitted = st.form_submit_button(
            t("data.save_settings"), type="primary", key="data_save_settings"
        )
    if not submitted or not auth.require("settings"):
        return
    errors = data_admin.save_settings(
        ws,
        {
            "company_name": company,
            "currency": currency,
            "locale": locale,
            "fiscal_year_start_month": fiscal_month,
            "pull_share_pct": share,
        },
    )
    if errors:
        _show_errors(errors)
    else:
        page.saved(t("data.settings_saved"), section="settings")


def imports(ws: Workspace, fmt: Formatter) -> None:
    """Every import, newest first, each with its details and undo."""
    st.subheader(t("data.imports_header"))
    page.show_flash("history")
    history = state.call(data_admin.import_history)
    if history.empty:
        st.info(t("data.no_imports"))
        return
    st.caption(t("wizard.history_caption"))
    for _, row in history.iterrows():
        warned = isinstance(row.get("warnings"), str)  # kept warnings (021): flag the line
        icon = ":material/warning:" if warned else ":material/description:"
        with st.expander(import_history.history_label(row, fmt), icon=icon):
            wizard.guarded(
                str(row["file_name"]),
                lambda row=row: import_history.render_history_item(ws, row, fmt),
            )


def _log_caption(key: str, log: data_views.ChangeLog) -> str:
    if log.count_shown == log.count_all:
        return t(f"data.changes.{key}_all", count=log.count_all)
    return t(f"data.changes.{key}_some", shown=log.count_shown, count=log.count_all)


def setting_changes() -> None:
    """Who did what: the changes to the settings (before → after) and the undone imports, the
    newest first (views/data.py reads and words them; users are named as in the import
    history)."""
    ctx = page.context()
    st.subheader(t("data.changes.header"))
    log = data_views.setting_changes(ctx)
    if not log.count_all:
        st.info(t("data.changes.none"))
    else:
        st.caption(_log_caption("caption", log))
        _log_table(
            log,
            when="col_when",
            by_user="col_who",
            setting="col_setting",
            old="col_old",
            new="col_new",
        )
    undos = data_views.undone_imports(ctx)
    if not undos.count_all:
        return
    st.caption(_log_caption("undos", undos))
    _log_table(
        undos,
        when="col_undone",
        by_user="col_undone_by",
        file="col_file",
        kind="col_kind",
        rows="col_rows",
    )


def _log_table(log, **headers: str) -> None:
    """A change log's rows as a table: each column of ``headers`` titled by its
    ``data.changes.*`` text, and who did it said as auth.by_user_label says it."""
    st.dataframe(
        log.rows.assign(by_user=[auth.by_user_label(u) for u in log.rows["by_user"]]),
        hide_index=True,
        width="stretch",
        column_config={
            col: st.column_config.TextColumn(t(f"data.changes.{key}"))
            for col, key in headers.items()
        },
    )
