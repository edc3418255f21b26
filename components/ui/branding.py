"""The branding form (Data page): logo and two brand colours, validated, with a preview.

The company name is the ``company_name`` setting of the Data page's settings form; this form
shows it and does not edit it twice. Writes go through queries.branding (one transaction each)
and are followed by ``state.data_changed()`` so every chart picks the brand up.
"""

from __future__ import annotations

import html

import streamlit as st

from components.charts import theme
from components.i18n import t
from components.ui import auth, state
from queries import branding

_COLOUR_FORM = "branding_colours"
_LOGO_KEY = "branding_logo_upload"


def _field_label(key: str) -> str:
    return t("branding.primary") if key == "brand_primary" else t("branding.secondary")


def _issue_text(issue: branding.BrandIssue, kind: str) -> str:
    return t(f"branding.{kind}.{issue.code}", field=_field_label(issue.field), value=issue.value)


def render() -> None:
    """Draw the branding section: call it on the Data page, below the settings form."""
    ws = state.workspace()
    current = state.call(branding.brand)
    st.subheader(t("branding.title"))
    st.caption(t("branding.intro"))
    st.caption(t("branding.company", name=current.company))

    colours, logo = st.columns(2, gap="large")
    with colours, st.form(_COLOUR_FORM, border=True):
        primary = st.color_picker(t("branding.primary"), value=current.primary)
        secondary = st.color_picker(t("branding.secondary"), value=current.secondary)
        st.caption(f"{current.primary} · {current.secondary}")
        save, reset = st.columns(2)
        saved = save.form_submit_button(t("branding.save_colours"), type="primary")
        reset_clicked = reset.form_submit_button(t("branding.reset_colours"))
    if (saved or reset_clicked) and not auth.require("branding"):
        saved = reset_clicked = False
    if saved:
        values, errors, warnings = branding.validate_colours(
            {"brand_primary": primary, "brand_secondary": secondary}
        )
        if errors:  # invalid input changes nothing
            for issue in errors:
                colours.error(_issue_text(issue, "error"))
        else:
            branding.save_colours(ws, values)
            state.data_changed()
            for issue in warnings:
                colours.warning(_issue_text(issue, "warning"))
            colours.success(t("branding.saved"))
    if reset_clicked:
        branding.reset_colours(ws)
        state.data_changed()
        st.rerun()

    with logo:
        upload = st.file_uploader(
            t("branding.logo"),
            type=["png", "jpg", "jpeg"],
            key=_LOGO_KEY,
            max_upload_size=1,  # MB; validate_logo checks again (a request can bypass the widget)
        )
        if (
            upload is not None
            and st.button(t("branding.save_logo"), type="primary")
            and auth.require("branding")
        ):
            checked, errors = branding.validate_logo(upload.name, upload.getvalue())
            if errors or checked is None:
                for issue in errors:
                    st.error(_issue_text(issue, "error"))
            else:
                branding.save_logo(ws, checked)
                state.data_changed()
                st.success(t("branding.saved"))
                current = state.call(branding.brand)
        if current.logo_png:
            st.image(current.logo_png, width=200)
            if st.button(t("branding.remove_logo")) and auth.require("branding"):
                branding.remove_logo(ws)
                state.data_changed()
                st.rerun()

    current = state.call(branding.brand)
    st.html(_preview(current))


def _preview(brand: theme.Brand) -> str:
    """A title, takeaway bar and the two engines' colours as they will look."""
    esc = html.escape
    return (
        f"<div style='border:1px solid #E4E7EB;border-radius:8px;padding:14px 18px'>"
        f"<div style='font-size:.8rem;color:#7B8794'>{esc(t('branding.preview'))}</div>"
        f"<div style='font-size:1.3rem;font-weight:700;color:{brand.title_color}'>"
        f"{esc(brand.company)}</div>"
        f"<div style='border-left:6px solid {brand.secondary};padding-left:10px;margin:8px 0'>"
        f"{esc(t('pack.title'))}</div>"
        f"<span style='color:{theme.PULL_COLOR};font-weight:600'>● {esc(t('motion.pull'))}</span>"
        f"&nbsp;&nbsp;<span style='color:{theme.PUSH_COLOR};font-weight:600'>● "
        f"{esc(t('motion.push'))}</span></div>"
    )
