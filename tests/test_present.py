"""Present mode (AppTest): the URL parameter and the toggle open it, Previous / Next step through
the meeting pack, the last screen sums up the shared KPIs, Exit goes back. And every chart of a
page carries its export control."""

from __future__ import annotations

import html
import json
import re
import shutil
from datetime import date

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from components.export import images, packs
from queries import period
from queries.filters import Filters
from queries.workspace import Workspace

APP = str(__import__("pathlib").Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture(scope="module")
def db(sample_path, tmp_path_factory):
    copy = tmp_path_factory.mktemp("present") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    return copy


@pytest.fixture(autouse=True)
def fresh(db, monkeypatch):
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


@pytest.fixture(scope="module")
def expected_titles(db):
    ws = Workspace(db)  # read-write: applies any newer migration, like the app does
    try:
        f = Filters(*period.default_period(*period.data_range(ws)))
        return [s.title for s in packs.build(ws, f)]
    finally:
        ws.close()


def _title(at: AppTest) -> str | None:
    """The chart title of the screen shown (None on the summary, which has no chart)."""
    if not at.get("plotly_chart"):
        return None
    found = re.search(r'<div class="fw-present-title">(.*?)</div>', _html(at))
    return html.unescape(found.group(1)) if found else None


def _html(at: AppTest) -> str:
    return "\n".join(h.proto.body for h in at.get("html"))


def _present_open(at: AppTest) -> bool:
    return any(b.key == "present_next" for b in at.button)


def test_a_link_with_present_1_opens_in_present_mode(expected_titles):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["present"] = "1"
    at.run()
    assert not at.exception
    assert _present_open(at)
    assert len(at.get("plotly_chart")) == 1  # one chart per screen
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert spec["layout"]["font"]["size"] > 14  # enlarged for the room
    assert _title(at) == expected_titles[0]
    body = _html(at)
    assert "Chart 1 of" in body
    assert 'data-testid="stSidebar"' in body and "display: none" in body  # sidebar hidden
    assert "Pull brought" in body  # the takeaway
    assert "Period " in body and "Data as of" in body  # filters and data date
    assert at.button(key="present_prev").disabled


def test_the_sidebar_toggle_opens_present_mode_and_puts_it_in_the_url(expected_titles):
    at = AppTest.from_file(APP, default_timeout=120).run()
    assert not _present_open(at)
    assert len(at.metric) >= 1  # the Overview's scoreboard
    at.toggle(key="present_mode").set_value(True).run()
    assert not at.exception
    assert _present_open(at)
    assert _title(at) == expected_titles[0]
    assert at.query_params["present"] == ["1"] or at.query_params["present"] == "1"


def test_next_and_previous_step_through_the_charts_then_the_kpi_summary(expected_titles):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["present"] = "1"
    at.run()
    seen = [_title(at)]
    for _ in range(len(expected_titles)):
        at.button(key="present_next").click().run()
        assert not at.exception
        seen.append(_title(at))
    assert seen == [*expected_titles, None]  # the last screen has no chart: the summary
    assert "Revenue won" in _html(at) and "Blended CAC" in _html(at)
    assert at.button(key="present_next").disabled
    at.button(key="present_prev").click().run()
    assert _title(at) == expected_titles[-1]


def test_exit_leaves_present_mode_and_the_url_parameter(expected_titles):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["present"] = "1"
    at.run()
    at.button(key="present_exit").click().run()
    assert not at.exception
    assert not _present_open(at)
    assert "present" not in at.query_params


def test_present_mode_speaks_chinese(expected_titles):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["present"] = "1"
    at.query_params["lang"] = "zh"
    at.run()
    assert not at.exception
    assert "拉动" in _title(at)
    assert "第 1 张" in _html(at)


def test_every_page_chart_has_an_export_control_with_png_and_svg():
    at = AppTest.from_file(APP, default_timeout=120).run()
    keys = {b.key for b in at.get("download_button")}
    assert {"overview_won__png", "overview_won__svg"} <= keys


def test_without_a_browser_the_export_control_says_so(monkeypatch):
    monkeypatch.setattr(images, "available", lambda: False)
    at = AppTest.from_file(APP, default_timeout=120).run()
    keys = {b.key for b in at.get("download_button")}
    assert "overview_won__png" not in keys and "pack_pptx" not in keys
    captions = " ".join(c.value for c in at.caption)
    assert "need a Chromium-based browser" in captions


def test_the_sidebar_offers_the_meeting_pack_downloads():
    at = AppTest.from_file(APP, default_timeout=120).run()
    keys = {b.key for b in at.get("download_button")}
    assert "pack_html" in keys
    assert ("pack_pptx" in keys) == images.available()


def test_pack_parameter_chooses_the_pages_and_the_choice_survives_stepping(expected_titles):
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["present"] = "1"
    at.query_params["pack"] = "funnel"
    at.run()
    assert "Chart 1 of 2" in _html(at)  # the funnel's chart, then the summary
    first = _title(at)
    assert first.startswith("Lifecycle funnel")
    at.button(key="present_next").click().run()
    at.button(key="present_prev").click().run()
    assert _title(at) == first and "Chart 1 of 2" in _html(at)


def test_the_sidebar_choice_of_pages_is_what_present_mode_shows():
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.multiselect(key="present_pages_choice").set_value(["scenarios"]).run()
    at.toggle(key="present_mode").set_value(True).run()
    assert _title(at).startswith("Pull vs push by quarter")
    at.button(key="present_next").click().run()
    assert _title(at).startswith("Won revenue per lead")


def test_a_show_over_a_period_without_data_leaves_the_empty_charts_out_and_names_them(db, tmp_path):
    # on a copy: the app tests of this module hold the workspace open read-write
    ws = Workspace(shutil.copy(db, tmp_path / "copy.duckdb"), read_only=True)
    try:  # the market charts read the market year, not the period: they still have data
        shown, left_out = packs.split(packs.build(ws, Filters(date(2031, 1, 1), date(2031, 1, 31))))
    finally:
        ws.close()
    assert left_out and shown
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"present": "1", "from": "2031-01-01", "to": "2031-01-31"})
    at.run()
    assert not at.exception
    assert f"Chart 1 of {len(shown) + 1}" in _html(at)
    for _ in shown:  # step through the charts with something to show
        at.button(key="present_next").click().run()
    assert not at.get("plotly_chart")  # the summary
    body = _html(at)
    assert "Left out of this pack" in body
    for x in left_out:
        assert f"<b>{html.escape(x.title)}</b>: {html.escape(x.reason)}" in body
