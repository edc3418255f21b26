"""The app's chart cache (components/ui/page.py ``cached_view``, state.chart): a rerun that
changes nothing a chart reads hands back the figure built before, identical to a fresh build;
a change of filters, language, brand, arguments or data builds again; packs and present mode
build their own figures. Outside a page run (bare Streamlit), on a copy of the tiny workspace.
"""

from __future__ import annotations

import dataclasses
import shutil
from datetime import date

import pandas as pd
import pytest
import streamlit as st

from components.i18n import SESSION_KEY
from components.ui import page, state
from queries import branding
from queries.filters import Filters
from views import registry
from views.spec import ChartSpec

PERIOD = Filters(date(2024, 12, 1), date(2025, 2, 15))
# a line of months, subplots (make_subplots), bars by stage, a donut, a heatmap, an empty chart
VIEWS = (
    "overview.won_by_month",
    "data.records_per_month",
    "funnel.lifecycle",
    "strategy_4p.budget_split",
    "funnel.cohorts",
    "market.sizing",
)


@pytest.fixture(scope="module")
def app_ctx(tiny_path, tmp_path_factory):
    """The app's view context on a copy of the tiny workspace (read-write: the brand test
    writes), the way ``page.context()`` makes it for a page."""
    db = tmp_path_factory.mktemp("charts") / "tiny.duckdb"
    shutil.copy(tiny_path, db)
    mp = pytest.MonkeyPatch()
    mp.setenv("FLYWHEEL_DB", str(db))
    registry.entries()  # import every view module
    st.cache_data.clear()
    st.session_state[page.FILTERS_KEY] = PERIOD
    st.session_state[SESSION_KEY] = "en"
    state.data_changed()
    yield page.context
    st.session_state[SESSION_KEY] = "en"
    del st.session_state[page.FILTERS_KEY]
    state.data_changed()
    st.cache_resource.clear()
    mp.undo()


def _lang(lang: str):
    st.session_state[SESSION_KEY] = lang
    return page.context()


def _fresh(key: str, ctx) -> str:
    """What the page drew before the cache: the view built anew, then ``page.chart``'s
    localise and brand."""
    spec = registry.REGISTRY[key].build(dataclasses.replace(ctx, charts=None))
    assert not spec.finished
    page.finish(spec.figure, ctx.fmt, page.brand())
    return spec.figure.to_json()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_cached_chart_is_the_chart_built_afresh(app_ctx, lang):
    ctx = _lang(lang)
    for key in VIEWS:
        build = registry.REGISTRY[key].build
        first = build(ctx)
        again = build(page.context())  # the next rerun: a new context, nothing changed
        assert first.finished and again is first, key  # handed back, not built again
        assert first.figure.to_json() == _fresh(key, ctx), (key, lang)
    if lang == "zh":  # the Chinese forms are on the cached figure (not only separators)
        won = registry.REGISTRY["overview.won_by_month"].build(ctx).figure
        assert "%Y年%-m月" in won.data[0].hovertemplate


class _Counting:
    """A stand-in view that counts its builds."""

    def __init__(self) -> None:
        self.built: list[tuple] = []

    def __call__(self, ctx, *args, **kwargs) -> ChartSpec:
        self.built.append((ctx.filters, ctx.lang, args, tuple(sorted(kwargs.items()))))
        assert ctx.charts is None  # views it calls are not cached (nor finished) twice
        fig = page.theme.go.Figure(page.theme.go.Bar(x=["a"], y=[12345.0]))
        return ChartSpec("t.count", "t", "Count", fig, pd.DataFrame({"a": [1]}), "c", "")


def test_what_a_chart_depends_on_builds_it_again(app_ctx):
    view = _Counting()
    ctx = _lang("en")

    def draw(c=None, *args, **kwargs) -> ChartSpec:
        return page.cached_view("t.count", view, c or page.context(), args, kwargs)

    first = draw(ctx, year=2025)
    assert draw(ctx, year=2025) is first and len(view.built) == 1
    assert draw(ctx, year=2024) is not first and len(view.built) == 2  # another argument
    draw(ctx, rows=[1, 2])
    draw(ctx, rows=[1, 2])  # a list argument is a key by its contents
    assert len(view.built) == 3
    draw(ctx, rows=pd.DataFrame({"x": [1]}))
    draw(ctx, rows=pd.DataFrame({"x": [1]}))  # no key for a table: built each time
    assert len(view.built) == 5

    st.session_state[page.FILTERS_KEY] = Filters(date(2025, 1, 1), date(2025, 1, 31))
    draw(year=2025)  # the sidebar filters changed
    assert view.built[-1][0].date_from == date(2025, 1, 1) and len(view.built) == 6
    st.session_state[page.FILTERS_KEY] = PERIOD

    zh = draw(_lang("zh"), year=2025)  # the language (and with it the formats)
    assert len(view.built) == 7 and zh.figure.layout.separators == ".,"
    assert draw(_lang("zh"), year=2025) is zh
    draw(dataclasses.replace(ctx, lang="zh"), year=2025)  # the language alone (the titles)
    assert view.built[-1][1] == "zh" and len(view.built) == 8
    draw(dataclasses.replace(ctx, settings={**ctx.settings, "pull_share_of_sales": "0.4"}))
    assert len(view.built) == 9  # a setting

    state.data_changed()  # any write
    again = draw(_lang("en"), year=2025)
    assert again is not first and len(view.built) == 10

    # another server's write to a shared lake: nothing here called data_changed, but the
    # workspace's data version moved on (its snapshot id), so the chart is built again
    ws = page.context().ws
    moved = pytest.MonkeyPatch()
    moved.setattr(ws, "data_version", lambda: "lake@another-snapshot")
    try:
        assert draw(_lang("en"), year=2025) is not again and len(view.built) == 11
    finally:
        moved.undo()


def test_a_brand_change_rebuilds_in_the_new_colours(app_ctx):
    key = "overview.won_by_month"
    ctx = _lang("en")
    before = registry.REGISTRY[key].build(ctx)
    assert registry.REGISTRY[key].build(page.context()) is before
    ws = state.workspace()
    branding.save_colours(ws, {"brand_primary": "#123456", "brand_secondary": "#654321"})
    try:
        state.data_changed()  # what the branding form's save does (page.saved)
        after = registry.REGISTRY[key].build(page.context())
        assert after is not before
        assert list(after.figure.layout.colorway[:2]) == ["#123456", "#654321"]
        assert after.figure.to_json() == _fresh(key, page.context())
    finally:
        branding.save_colours(ws, {"brand_primary": "", "brand_secondary": ""})
        state.data_changed()


def test_a_finished_figure_is_drawn_as_it_is(app_ctx, monkeypatch):
    """page.chart does not localise or brand a cached figure again: it is shared."""
    spec = registry.REGISTRY["funnel.lifecycle"].build(_lang("en"))
    calls: list[str] = []
    monkeypatch.setattr(page, "finish", lambda *a: calls.append("finish"))
    monkeypatch.setattr(page, "export_control", lambda *a, **k: None)
    monkeypatch.setattr(st, "plotly_chart", lambda fig, **k: calls.append("drawn"))
    page.show(spec)
    assert calls == ["drawn"]
    page.chart(spec.figure.__class__(spec.figure), caption="c", key="k")  # a page's own figure
    assert calls == ["drawn", "finish", "drawn"]


def test_packs_and_present_mode_build_their_own_figures(app_ctx):
    from components.export import packs

    ctx = _lang("en")
    cached = registry.REGISTRY["funnel.lifecycle"].build(ctx)
    size = len(state._CHARTS)
    specs = packs.build(state.workspace(), PERIOD, lang="en", keys=["funnel.lifecycle"])
    assert [s.key for s in specs] == ["funnel.lifecycle"]
    assert not specs[0].finished and specs[0].figure is not cached.figure
    assert len(state._CHARTS) == size  # the pack neither reads nor fills the app's cache
    specs[0].figure.update_layout(title_text="changed by the pack")
    assert registry.REGISTRY["funnel.lifecycle"].build(page.context()).figure.layout.title.text
    assert cached.figure.layout.title.text != "changed by the pack"


def test_no_page_reaches_into_a_shared_figure():
    """A cached spec's figure is shared by reruns and sessions: pages hand specs to
    ``page.show`` and never touch ``.figure`` themselves (page.py alone draws it)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    files = [*root.glob("app_pages/*.py"), *root.glob("components/ui/*.py")]
    reach = re.compile(r"\.figure\b(?!\s*=)")
    touched = [
        f"{f.relative_to(root)}:{n}"
        for f in files
        if f.name != "page.py"
        for n, line in enumerate(f.read_text(encoding="utf-8").splitlines(), 1)
        if reach.search(line) and "export_figure(spec.figure" not in line
    ]
    assert len(files) > 20 and touched == []
