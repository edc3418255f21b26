"""Data: the CRM import wizard, what this workspace can answer (per page, what it needs and
lacks), what the workspace holds, the lead source -> motion mapping, how the records link up,
the workspace settings and branding, the import history with undo, who changed which
setting, and a sample company (English or Chinese) in a new workspace.
Each section is drawn by components/ui/data_sections.py (the wizard's steps by
components/ui/import_wizard.py); this page orders them."""

from __future__ import annotations

import streamlit as st

from components.ui import branding, page, retention_forms, sample_forms, state
from components.ui import data_sections as section

ws = state.workspace()
settings = state.settings()
fmt = state.formatter()

page.header("data.title", "data.intro")
section.import_wizard(ws, settings, fmt)
st.divider()
section.readiness_panel(fmt)
section.deal_checks(ws)
section.summary(ws, fmt)
section.source_mapping(ws)
section.record_links(ws, fmt)
section.settings_form(ws, settings)
branding.render()
section.imports(ws, fmt)
retention_forms.render(ws, fmt)
section.setting_changes()
st.divider()
sample_forms.render()
