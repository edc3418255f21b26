"""The Data page's "History and compaction" section: the workspace's size on disk, what
compaction would free now, the retention setting (undo kept for the last N imports and D days)
and a Compact button.

The running app holds the workspace, so its Compact drops the expired undo history and
rejects and checkpoints: the blocks they held are reused by later imports. Shrinking the file
itself means rewriting it, which ``flywheel compact`` does while the app is stopped.
"""

from __future__ import annotations

import streamlit as st

from components.fmt import Formatter
from components.i18n import t
from components.ui import auth, page, state
from queries import retention
from queries.ingest.history import UndoExpired
from queries.workspace import Workspace

SECTION = "retention"


def _mb(fmt: Formatter, n: int) -> str:
    return t("retention.mb", size=fmt.number(n / 1e6, digits=1))


def _bounds(fmt: Formatter, top: int) -> dict[str, str]:
    """The range a retention limit may take, for the help and the refusal."""
    return {"min": fmt.number(retention.MIN_LIMIT), "max": fmt.number(top)}


def _limit_text(value: int | None) -> str:
    return "" if value is None else str(value)


def policy_sentence(keep: retention.Retention) -> str:
    """The setting in words: both limits, one, or none."""
    if keep.imports is not None and keep.days is not None:
        return t("retention.policy_both", imports=keep.imports, days=keep.days)
    if keep.imports is not None:
        return t("retention.policy_imports", imports=keep.imports)
    if keep.days is not None:
        return t("retention.policy_days", days=keep.days)
    return t("retention.policy_forever")


def freed_sentence(freed: retention.Freed, fmt: Formatter) -> str:
    """What compaction would free, from the figures."""
    if not freed.imports:
        if freed.bytes > 0:
            return t("retention.would_free_space_only", size=_mb(fmt, freed.bytes))
        return t("retention.would_free_nothing")
    return t(
        "retention.would_free",
        imports=fmt.number(len(freed.imports)),
        replaced=fmt.number(sum(n for k, n in freed.rows.items() if k.startswith("replaced_"))),
        rejects=fmt.number(freed.rows.get("import_rejects", 0)),
        size=_mb(fmt, freed.bytes),
    )


def undo_expired_text(exc: UndoExpired) -> str:
    """What the import history says when undo is refused because its history expired (for the
    wizard's ``guarded``: ``except UndoExpired as exc: st.warning(undo_expired_text(exc))``)."""
    return t("retention.undo_expired", date=str(exc.expired_at)[:10])


def render(ws: Workspace, fmt: Formatter) -> None:
    st.subheader(t("retention.header"))
    st.caption(t("retention.intro"))
    page.show_flash(SECTION)
    keep = retention.policy(state.settings())
    freed = state.call(retention.would_free)
    size_key = "retention.size" if ws.lake is None else "lake.size"
    st.markdown(t(size_key, size=_mb(fmt, freed.file_bytes)))
    st.markdown(freed_sentence(freed, fmt))
    st.caption(policy_sentence(keep))

    with st.form("retention_form", border=True):
        c1, c2 = st.columns(2)
        imports = c1.text_input(
            t("retention.keep_imports"),
            value=_limit_text(keep.imports),
            help=t(
                "retention.keep_imports_help",
                default=retention.DEFAULT_IMPORTS,
                **_bounds(fmt, retention.MAX_IMPORTS),
            ),
            key="retention_keep_imports",
        )
        days = c2.text_input(
            t("retention.keep_days"),
            value=_limit_text(keep.days),
            help=t(
                "retention.keep_days_help",
                default=retention.DEFAULT_DAYS,
                **_bounds(fmt, retention.MAX_DAYS),
            ),
            key="retention_keep_days",
        )
        saved = st.form_submit_button(t("retention.save"), key="retention_save")
    if saved and auth.require("settings"):
        errors = retention.save(ws, {"imports": imports, "days": days})
        if errors:
            for e in errors:
                top = retention.MAX_IMPORTS if "imports" in e.code else retention.MAX_DAYS
                st.error(t(f"retention.error.{e.code}", value=e.value, **_bounds(fmt, top)))
        else:
            state.data_changed()
            page.flash(t("retention.saved"), section=SECTION)
            st.rerun()

    if st.button(
        t("retention.compact"),
        key="retention_compact",
        # a lake has DuckLake's maintenance to run even when no undo expired
        disabled=not freed.imports and ws.lake is None,
        help=t("retention.compact_help"),
        icon=":material/compress:",
    ) and auth.require("compact"):
        done = retention.compact_in_place(ws)
        state.data_changed()
        page.flash(
            t(
                "retention.compacted",
                imports=fmt.number(len(done.imports)),
                rows=fmt.number(done.total_rows),
                size=_mb(fmt, retention.workspace_bytes(ws)),
            ),
            section=SECTION,
        )
        st.rerun()
    if ws.lake is None:
        st.caption(t("retention.shrink_hint", file=ws.path.name))
    else:  # `flywheel compact` rewrites a file; a lake's files are DuckLake's to manage
        st.caption(t("lake.shrink_hint", name=ws.lake.name))
