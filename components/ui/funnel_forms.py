"""The Funnel health page's two forms: the MQL definition with the handoff SLA, and the
unit-economics assumptions. Both are workspace settings: saved for everyone, checked field by
field, nothing written when one field is refused. Beside the definition, the choice of what to
compare it with (an earlier saved version, or a candidate typed but not saved)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from components.i18n import t
from components.ui import auth, page, state
from planning import handoff
from queries import funnel
from queries.data_admin import FieldError
from views import funnel as funnel_views
from views.spec import Context


def _refuse(errors: Sequence[FieldError]) -> None:
    # page.refuse reads market.err.<code> messages; these codes are the funnel's own
    for error in errors:
        st.error(t(f"funnel.error.{error.code}", value=error.value))


def handoff_form(ctx: Context) -> None:
    """The agreed MQL definition and the SLA for the first sales touch."""
    mql = funnel_views.mql(ctx)
    with (
        st.expander(t("funnel.definition_title"), expanded=False, icon=":material/edit:"),
        st.form("funnel_handoff_form"),
    ):
        rule = st.radio(
            t("funnel.mql_rule"),
            options=list(handoff.MQL_RULES),
            index=list(handoff.MQL_RULES).index(mql.rule),
            format_func=lambda r: t(f"funnel.mql_rule.{r}"),
            key="funnel_mql_rule",
        )
        threshold = st.text_input(
            t("funnel.mql_threshold"),
            value="" if mql.threshold is None else f"{mql.threshold:g}",
            help=t("funnel.mql_threshold_help"),
            key="funnel_mql_threshold",
        )
        hours = st.number_input(
            t("funnel.sla_hours"),
            min_value=1.0,
            max_value=handoff.MAX_SLA_HOURS,
            value=float(funnel_views.sla_hours(ctx)),
            step=1.0,
            help=t("funnel.sla_help"),
            key="funnel_sla_hours",
        )
        if st.form_submit_button(t("funnel.save"), type="primary") and auth.require("settings"):
            values = {"mql_rule": rule, "mql_threshold": threshold, "sla_hours": hours}
            errors = funnel.save_handoff(state.workspace(), values)
            if errors:
                _refuse(errors)
            else:
                page.saved(t("funnel.saved_handoff"))


def compare_choice(ctx: Context) -> dict[str, object] | None:
    """What to compare the saved MQL definition with: the keyword arguments of
    ``views.funnel.mql_comparison`` ({} = its default, the newest earlier version that differs),
    or None when the candidate's threshold is not a number (said here, nothing drawn)."""
    st.caption(t("funnel.compare.intro"))
    versions = funnel_views.mql_versions(ctx)
    if versions.empty:
        st.caption(t("funnel.compare.no_versions_saved"))
    else:
        latest = int(versions["version"].max())
        st.caption(t("funnel.compare.versions_caption", count=len(versions), version=latest))
    modes = ["version", "candidate"]
    mode = st.segmented_control(
        t("funnel.compare.with"),
        options=modes,
        format_func=lambda m: t(f"funnel.compare.with.{m}"),
        default="version" if len(versions) > 1 else "candidate",
        key="funnel_compare_with",
    )
    if mode != "candidate":
        if len(versions) < 2:
            return {}
        labels = {
            int(r["version"]): funnel_views.version_label(ctx, r) for _, r in versions.iterrows()
        }
        # start at the newest version that counts differently from the current definition
        now = funnel_views.mql(ctx).normalised()
        options = list(labels)
        differing = [
            v for v in options if funnel.version_definition(versions, v).normalised() != now
        ]
        picked = st.selectbox(
            t("funnel.compare.pick_version"),
            options=options,
            index=options.index(differing[0]) if differing else 0,
            format_func=labels.get,
            key="funnel_compare_version",
        )
        return {"version": int(picked)}
    c1, c2 = st.columns([3, 1])
    rules = list(handoff.MQL_RULES)
    rule = c1.selectbox(
        t("funnel.compare.candidate_rule"),
        options=rules,
        index=rules.index("score"),
        format_func=lambda r: t(f"funnel.mql_rule.{r}"),
        key="funnel_compare_rule",
    )
    scores = funnel_views.score_range(ctx)  # starts at the saved threshold, else the best one
    raw = c2.text_input(
        t("funnel.compare.candidate_threshold"),
        value="" if scores is None else funnel_views.short(ctx, scores.start),
        help=t("funnel.mql_threshold_help"),
        key="funnel_compare_threshold",
    )
    threshold = handoff.number(raw)
    if raw.strip() and threshold is None:
        st.error(t("funnel.compare.candidate_invalid", value=raw))
        return None
    return {"rule": rule, "threshold": threshold}


def assumptions_form(ctx: Context) -> None:
    """Gross margin, annual churn and the share of sales spend charged to pull, in percent."""
    now = funnel_views.assumptions(ctx)
    with (
        st.expander(t("funnel.assumptions_title"), expanded=False, icon=":material/tune:"),
        st.form("funnel_unit_form"),
    ):
        c1, c2, c3 = st.columns(3)
        margin = c1.number_input(
            t("funnel.gross_margin"), 0.0, 100.0, now.margin * 100, 1.0, key="funnel_margin"
        )
        churn = c2.number_input(
            t("funnel.annual_churn"), 0.0, 100.0, now.churn * 100, 1.0, key="funnel_churn"
        )
        share = c3.number_input(
            t("funnel.pull_share"),
            0.0,
            100.0,
            now.pull_share * 100,
            5.0,
            key="funnel_pull_share",
            help=t("funnel.pull_share_help"),
        )
        if st.form_submit_button(t("funnel.save"), type="primary") and auth.require("settings"):
            values = {"gross_margin_pct": margin, "annual_churn_pct": churn}
            values["pull_share_pct"] = share
            errors = funnel.save_unit_assumptions(state.workspace(), values)
            if errors:
                _refuse(errors)
            else:
                page.saved(t("funnel.saved_assumptions"))
