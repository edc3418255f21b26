"""Context.once: an expensive ask several views share runs once per context outside the app
(the pack, `flywheel export`, tests); in the app the page's cache (``ctx.call``) serves it."""

from __future__ import annotations

from datetime import date

import pytest

from queries import scenarios
from queries.filters import Filters
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace
from views import registry
from views.spec import Context, context

PERIOD = Filters(date(2024, 12, 1), date(2025, 2, 15))


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    ws = Workspace(build_tiny_workspace(tmp_path_factory.mktemp("once") / "t.duckdb"))
    yield ws
    ws.close()


def test_once_computes_each_call_once_per_context(tiny):
    seen: list[tuple] = []

    def expensive(ws: Workspace, n: int, *, label: str = "") -> str:
        seen.append((n, label))
        return f"{n}{label}"

    ctx = context(tiny, PERIOD)
    assert [ctx.once(expensive, 1), ctx.once(expensive, 1), ctx.once(expensive, 2)] == [
        "1",
        "1",
        "2",
    ]
    assert ctx.once(expensive, 1, label="x") == "1x"
    assert seen == [(1, ""), (2, ""), (1, "x")]  # one run per distinct call
    # a fresh context (the next export) computes again; ask never remembers
    assert context(tiny, PERIOD).once(expensive, 1) == "1"
    assert ctx.ask(expensive, 1) == "1"
    assert seen[-2:] == [(1, ""), (1, "")]
    # two contexts are equal whatever they remembered
    assert ctx == context(tiny, PERIOD)


def test_once_defers_to_the_apps_cache(tiny):
    asked: list[tuple] = []

    def call(func, *args, **kwargs):
        asked.append(args)
        return "cached"

    ctx = Context(tiny, PERIOD, call=call)
    assert ctx.once(lambda ws, n: n, 3) == "cached"
    assert asked == [(3,)] and ctx.memo == {}


def test_a_pack_of_planner_charts_fits_the_planner_once(tiny, monkeypatch):
    fits: list[object] = []
    original = scenarios.fitted_model

    def fitted_model(ws, as_of=None, draws=30, mql=None):
        fits.append(mql)
        return original(ws, as_of, 0, mql)

    monkeypatch.setattr(scenarios, "fitted_model", fitted_model)
    keys = ["scenarios.response", "scenarios.projection", "scenarios.curves", "scenarios.tornado"]
    specs = registry.build(context(tiny, PERIOD), keys=keys)
    assert len(specs) == 4
    assert len(fits) == 1
    registry.build(context(tiny, PERIOD), keys=keys)  # the next export fits anew
    assert len(fits) == 2
