"""The Data page's import history: one line per import, its rejected rows, and undo.

Undo goes through the engine (``engine.undo``), which refuses while a later import still holds
the rows; the wizard's own "done" view of an undone import is reopened so it can be imported
again.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components.fmt import Formatter
from components.i18n import current_language, t
from components.ui import auth, page, retention_forms, state
from components.ui import import_wizard as wizard
from queries import data_admin, retention
from queries.ingest import currency, engine, presets
from queries.ingest.fields import KINDS, MODES
from queries.ingest.history import UndoExpired
from queries.workspace import Workspace


def history_label(row: pd.Series, fmt: Formatter) -> str:
    preset = presets.PRESETS.get(str(row["preset"]))
    return t(
        "wizard.history_item",
        file=row["file_name"],
        when=pd.Timestamp(row["imported_at"]).strftime("%Y-%m-%d %H:%M"),
        kind=t(f"wizard.kind.{row['kind']}") if row["kind"] in KINDS else row["kind"],
        preset=preset.label if preset else (row["preset"] or "—"),
        mode=t(f"wizard.mode.{row['mode']}") if row["mode"] in MODES else row["mode"],
        read=fmt.number(int(row["rows_read"])),
        loaded=fmt.number(int(row["rows_loaded"])),
        rejected=fmt.number(int(row["rows_rejected"])),
    )


def render_history_item(ws: Workspace, row: pd.Series, fmt: Formatter) -> None:
    import_id = str(row["import_id"])
    st.caption(t("wizard.history_id", import_id=import_id))
    st.caption(t("auth.imported_by", who=page.escape_md(auth.by_user_label(row.get("by_user")))))
    # what the import warned of then (migration 021), the same sentence as the wizard and the CLI
    for mismatch in currency.from_warnings(row.get("warnings")):
        st.warning(mismatch.message(current_language()))
    if int(row["rows_rejected"]):
        rejects = state.call(data_admin.import_rejects, import_id)
        wizard.render_rejects(
            wizard.translated_rejects(rejects),
            key=f"wizard_history_rejects_{import_id}",
            file_name=str(row["file_name"]),
        )
    expired_at = state.call(retention.expired).get(import_id)
    if expired_at is not None:  # compaction dropped its undo data: say so, offer no undo
        st.caption(t("retention.undo_expired", date=fmt.date(expired_at.date())))
        return
    sure = st.checkbox(
        t("wizard.undo_confirm", loaded=fmt.number(int(row["rows_loaded"]))),
        key=undo_confirm_key(import_id),
    )
    if st.button(
        t("wizard.undo"),
        key=undo_button_key(import_id),
        disabled=not sure,
        icon=":material/undo:",
    ) and auth.require("undo"):
        try:
            undone = engine.undo(ws, import_id)
        except KeyError:
            st.warning(t("wizard.undo_gone"))
            return
        except UndoExpired as exc:  # expired since the page was drawn
            st.warning(retention_forms.undo_expired_text(exc))
            return
        state.data_changed()
        state.reset_filters()  # the data's date range may have changed
        for entry in wizard.entries().values():  # the wizard's own "done" view of it goes too
            if entry.result is not None and entry.result.import_id == import_id:
                entry.result = None
                entry.open(ws)
        page.flash(t("wizard.undone", **undone), section="history")
        st.rerun()


def undo_button_key(import_id: str) -> str:
    return f"wizard_undo_{import_id}"


def undo_confirm_key(import_id: str) -> str:
    return f"wizard_undo_sure_{import_id}"
