"""The view registry: every chart the app, present mode, the pack and the CLI draw is one
registered function, and each returns a spec (never raises) on any workspace."""

from __future__ import annotations

import inspect
from datetime import date
from pathlib import Path

import pytest

from queries.filters import Filters
from queries.workspace import Workspace
from views import registry
from views.spec import ChartSpec, context

JANUARY = Filters(date(2025, 1, 1), date(2025, 1, 31))
NO_DATA = "No data for these filters"


def test_every_view_is_keyed_by_its_page_and_lives_in_that_pages_module():
    listed = registry.entries()
    assert listed, "no view registered"
    for e in listed:
        assert e.key.startswith(e.page + "."), e.key
        assert e.page in registry.PAGE_MODULES, e.key
        assert e.build.__module__ == f"views.{e.page}", (e.key, e.build.__module__)


def test_a_views_extra_arguments_have_defaults_the_registry_can_draw():
    for e in registry.entries():
        params = list(inspect.signature(e.build).parameters.values())[1:]
        missing = [p.name for p in params if p.default is inspect.Parameter.empty]
        assert not missing, f"{e.key}: {missing} need a default (what the page shows first)"


def test_the_pack_presets_follow_the_menu_and_hold_only_pack_views():
    assert registry.pack_pages() == [
        "overview",
        "market",
        "strategy_4p",
        "campaigns",
        "funnel",
        "scenarios",
    ]
    keys = registry.pack_keys()
    assert len(keys) == len(set(keys))
    assert all(registry.REGISTRY[k].pack for k in keys)
    assert "data.records_per_month" in registry.REGISTRY
    assert "data.records_per_month" not in keys


def _check(spec: ChartSpec, key: str) -> None:
    assert isinstance(spec, ChartSpec), key
    assert spec.key == key and spec.page == registry.REGISTRY[key].page
    assert spec.title and spec.title == spec.figure.layout.title.text, key
    assert spec.caption, f"{key} says nothing about how it was computed"
    if spec.is_empty:
        assert spec.empty_reason and spec.data.empty, key
    else:
        assert not spec.data.empty, f"{key} draws a chart but exports no data behind it"


def test_every_view_draws_or_says_why_on_the_tiny_workspace(tiny_ws: Workspace):
    ctx = context(tiny_ws, JANUARY)
    for e in registry.entries():
        _check(e.build(ctx), e.key)


def test_every_view_on_an_empty_workspace_says_why_it_is_empty(tmp_path: Path):
    ws = Workspace(tmp_path / "empty.duckdb")
    try:
        ctx = context(ws, JANUARY, "zh")
        for e in registry.entries():
            spec = e.build(ctx)
            _check(spec, e.key)
            assert spec.is_empty, f"{e.key} draws something from no data"
            assert spec.empty_reason != NO_DATA, f"{e.key}: the reason is not in Chinese"
    finally:
        ws.close()


def test_build_refuses_unknown_keys_and_pages(tiny_ws: Workspace):
    ctx = context(tiny_ws, JANUARY)
    with pytest.raises(ValueError, match="unknown"):
        registry.build(ctx, keys=["market.nope"])
    with pytest.raises(ValueError, match="unknown"):
        registry.build(ctx, pages=["nope"])


def test_one_broken_view_is_left_out_not_the_whole_pack(tiny_ws: Workspace, monkeypatch):
    def broken(ctx):
        raise RuntimeError("boom")

    entry = registry.REGISTRY["overview.won_by_month"]
    monkeypatch.setitem(
        registry.REGISTRY, entry.key, registry.Entry(entry.page, entry.key, broken, entry.pack)
    )
    keys = registry.preset("overview") + registry.preset("funnel")
    specs = registry.build(context(tiny_ws, JANUARY), keys=keys)
    assert [s.key for s in specs] == [k for k in keys if k != "overview.won_by_month"]
