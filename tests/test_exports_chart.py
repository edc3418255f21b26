"""page.chart: the export control offers the data behind a chart (CSV, XLSX) when a page gives
it, images only when a browser exists, and nothing is rendered while the page draws."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.export import images

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import pandas as pd
from components.charts import base as charts
from components.ui import page
fig = charts.empty_figure(title="Won revenue by month (USD)", message="-")
data = pd.DataFrame({{"owner": ["=HYPERLINK(1)", "Ann"], "amount": [1.0, 2.0]}})
page.chart(fig, caption="how", key="k1", data=data, takeaway="Pull 2.1× better [x](http://e)")
page.chart(fig, caption="how", key="k2")
"""


@pytest.fixture(autouse=True)
def fresh(tiny_path, tmp_path, monkeypatch):
    copy = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_path, copy)
    monkeypatch.setenv("FLYWHEEL_DB", str(copy))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_chart_with_data_offers_csv_and_xlsx_and_one_without_says_there_is_no_table(monkeypatch):
    calls = []
    monkeypatch.setattr(images, "png", lambda *a, **k: calls.append("png") or b"")
    at = AppTest.from_string(SCRIPT, default_timeout=60).run()
    assert not at.exception
    keys = {b.key for b in at.get("download_button")}
    assert {"k1__csv", "k1__xlsx"} <= keys
    assert not {"k2__csv", "k2__xlsx"} & keys
    assert "No table behind this chart." in [c.value for c in at.caption]
    assert calls == []  # no image was made while the page drew


def test_takeaway_is_shown_under_the_chart_as_plain_text():
    at = AppTest.from_string(SCRIPT, default_timeout=60).run()
    shown = [m.value for m in at.markdown]
    assert any("Pull 2\\.1× better \\[x\\]\\(http://e\\)" in v for v in shown)


def test_brand_title_colour_reaches_the_chart(tiny_path, tmp_path, monkeypatch):
    import json

    from queries.workspace import Workspace

    db = tmp_path / "branded.duckdb"
    shutil.copy(tiny_path, db)
    ws = Workspace(db)
    ws.set_setting("brand_primary", "#7A1FA2")
    ws.close()
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    at = AppTest.from_string(SCRIPT, default_timeout=60).run()
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["title"]["font"]["color"] == "#7A1FA2"
