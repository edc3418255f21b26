"""The planner's fit kept for the app's process (views.scenarios.kept): one fit per workspace,
data version and fit arguments, shared by every session; refitted when any of them changes.
A counting stand-in replaces the fit (the real one takes seconds): the key is what is tested.
Also the reprojection's pieces that must give the same figures: flow by hand, the outlook memo."""

from __future__ import annotations

import threading
import time
from datetime import date

import numpy as np
import pytest

from planning.funnel_flow import flow
from planning.handoff import MqlDefinition
from queries import scenarios
from queries.filters import Filters
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace
from views import scenarios as views
from views.spec import Context

PERIOD = Filters(date(2024, 12, 1), date(2025, 2, 15))
SCORE_MQL = {"funnel_mql_rule": "score", "funnel_mql_score_threshold": "60"}


@pytest.fixture(scope="module")
def tiny_path(tmp_path_factory: pytest.TempPathFactory):
    return build_tiny_workspace(tmp_path_factory.mktemp("kept") / "t.duckdb")


@pytest.fixture
def ws(tiny_path):
    opened = Workspace(tiny_path)
    yield opened
    opened.close()


@pytest.fixture
def fits(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    """Each fit's arguments; the stand-in returns a new object per fit."""
    calls: list[dict] = []

    def fitted_model(ws, as_of=None, draws=30, mql=None):
        calls.append({"as_of": as_of, "draws": draws, "mql": mql})
        return object()

    monkeypatch.setattr(scenarios, "fitted_model", fitted_model)
    return calls


def app_context(ws: Workspace, settings: dict | None = None) -> Context:
    """A session's context in the app: ``call`` set (the app's query cache)."""
    return Context(ws, PERIOD, settings=settings or {}, call=lambda f, *a, **k: f(ws, *a, **k))


def test_the_fit_is_kept_across_sessions_until_the_data_change(ws, fits):
    first = views.model(app_context(ws))
    # another session (another context) on the same workspace reads the same fit
    assert views.model(app_context(ws)) is first
    assert len(fits) == 1
    # every argument of the fit is passed (so every one is in the key)
    assert fits[0] == {"as_of": None, "draws": views.FIT_DRAWS, "mql": MqlDefinition()}
    ws.set_setting("planner_note", "a write")  # any committed write: a new data version
    refitted = views.model(app_context(ws))
    assert refitted is not first and len(fits) == 2
    assert views.model(app_context(ws)) is refitted and len(fits) == 2
    # the old version's fit is let go (nobody asks for it again)
    assert [k[0] for k in views._kept[ws]] == [ws.data_version()]


def test_another_mql_definition_fits_again_and_both_stay_kept(ws, fits):
    recorded = views.model(app_context(ws))
    by_score = views.model(app_context(ws, SCORE_MQL))
    assert by_score is not recorded
    assert [f["mql"] for f in fits] == [MqlDefinition(), MqlDefinition("score", 60.0)]
    assert views.model(app_context(ws)) is recorded
    assert views.model(app_context(ws, SCORE_MQL)) is by_score
    assert len(fits) == 2


@pytest.mark.parametrize(
    "other",
    [{"as_of": date(2024, 6, 1)}, {"draws": 3}, {"mql": MqlDefinition("score", 60.0)}],
    ids=["as_of", "draws", "mql"],
)
def test_each_fit_argument_is_in_the_key(ws, fits, other):
    ctx = app_context(ws)
    base = {"as_of": None, "draws": 30, "mql": MqlDefinition()}
    a = views.kept(ctx, scenarios.fitted_model, **base)
    b = views.kept(ctx, scenarios.fitted_model, **(base | other))
    assert a is not b and len(fits) == 2
    assert views.kept(ctx, scenarios.fitted_model, **(base | other)) is b and len(fits) == 2


def test_another_workspace_object_is_not_served_this_ones_fit(tiny_path, ws, fits):
    first = views.model(app_context(ws))
    other = Workspace(tiny_path)  # another open workspace (same file, its own data version)
    try:
        assert views.model(app_context(other)) is not first
    finally:
        other.close()
    assert len(fits) == 2


def test_two_sessions_asking_at_once_share_one_fit(ws, monkeypatch):
    started: list[int] = []

    def slow_fit(ws, as_of=None, draws=30, mql=None):
        started.append(1)
        time.sleep(0.2)
        return object()

    monkeypatch.setattr(scenarios, "fitted_model", slow_fit)
    got: list[object] = []
    threads = [
        threading.Thread(target=lambda: got.append(views.model(app_context(ws)))) for _ in range(2)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(started) == 1 and got[0] is got[1]


def test_outside_the_app_a_context_fits_for_itself(ws, fits):
    # the pack and the command line: once per context, nothing kept across contexts
    views.model(Context(ws, PERIOD))
    views.model(Context(ws, PERIOD))
    assert len(fits) == 2


def test_flow_by_hand():
    # month h of the future: kernel[0] × what starts in h + kernel[1] × what started in h − 1
    out = flow(np.array([1.0, 2.0]), np.array([3.0, 4.0]), np.array([0.5, 0.25]))
    assert out.tolist() == [[0.5 * 3 + 0.25 * 2, 0.5 * 4 + 0.25 * 3]]
    # a kernel longer than the history reaches back before it began: nothing there
    out = flow(np.array([2.0]), np.array([1.0, 1.0]), np.array([1.0, 10.0, 100.0]))
    assert out.tolist() == [[1 + 10 * 2, 1 + 10 * 1 + 100 * 2]]
    # rows: draws of the future and of the kernel against one history
    out = flow(np.array([1.0]), np.array([[1.0], [2.0]]), np.array([[1.0, 1.0], [2.0, 0.0]]))
    assert out.tolist() == [[2.0], [4.0]]


def test_what_is_computed_from_the_kept_fit_is_kept_with_it(ws, fits):
    ctx = app_context(ws)
    done: list[float] = []

    def from_fit(ws, same, budget):
        done.append(budget)
        return object()

    fitted = views.model(ctx)
    first = views.kept(ctx, from_fit, views.Same(fitted), 1000.0)
    # another view asking for the same (a new Same around the same fit) reads it
    assert views.kept(app_context(ws), from_fit, views.Same(fitted), 1000.0) is first
    assert views.kept(ctx, from_fit, views.Same(fitted), 2000.0) is not first
    assert views.kept(ctx, from_fit, views.Same(object()), 1000.0) is not first
    assert done == [1000.0, 2000.0, 1000.0]
