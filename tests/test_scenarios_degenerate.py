"""The scenario views and page on workspaces with one input taken away (tests/degenerate.py)
and with a reps roster but no sales spend: no exception; no "None", "nan", "inf" or "$0.00"
reaches a person; every drawn figure finite and within the stated bounds of the history, or a
refusal that names what is missing with its count."""

from __future__ import annotations

import functools
import json
import math
import re
import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from components.i18n import translate
from planning import projection
from queries import scenarios
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.apptest_utils import open_tab
from tests.degenerate import build_variant
from views import scenarios as views
from views import spec

APP = str(Path(__file__).resolve().parent.parent / "app.py")
BAD = re.compile(r"\bNone\b|\bnan\b|\binf\b|\$0\.00")
YEAR = Filters(date(2024, 1, 1), date(2024, 12, 31))
DRAWS = 3  # bootstrap refits in these tests: enough to exercise the bands, fast to fit


@pytest.fixture
def few_draws(monkeypatch):
    """The planner fitted with a few bootstrap refits (the views ask queries.scenarios for it)."""
    original = scenarios.fitted_model

    @functools.wraps(original)
    def fitted_model(ws, as_of=None, draws=30, mql=None):
        return original(ws, as_of, min(draws, DRAWS), mql)

    monkeypatch.setattr(scenarios, "fitted_model", fitted_model)


def _no_sales_spend(sample: Path, folder: Path) -> Path:
    """The sample with its reps roster but without any sales spend."""
    path = folder / "no_sales_spend.duckdb"
    shutil.copy(sample, path)
    ws = Workspace(path)
    try:
        with ws.transaction() as cur:
            cur.execute("delete from spend where category = 'sales'")
            refresh_lead_facts(cur)
    finally:
        ws.close()
    return path


def _workspace(sample_path: Path, folder: Path, name: str) -> Path:
    if name == "no_sales_spend":
        return _no_sales_spend(sample_path, folder)
    return build_variant(sample_path, folder, name)


def _clean(text: str | None, where: str) -> None:
    assert text is None or not BAD.search(text), f"{where}: {text!r}"


def _check_spec(s: spec.ChartSpec) -> None:
    for part in (s.title, s.caption, s.takeaway, s.empty_reason):
        _clean(part, s.key)
    if s.is_empty:
        assert s.empty_reason, s.key
        return
    numbers = s.data.select_dtypes("number")
    assert np.isfinite(numbers.to_numpy(float)[~numbers.isna().to_numpy()]).all(), s.key


# Each variant takes away a different input of the fit (no_lost_deals fits like the sample and
# is left to tests/test_degenerate.py, which opens every page on it through the pack).
@pytest.mark.parametrize(
    "variant",
    ["no_spend", "no_reps", "no_spend_no_reps", "no_leads", "deals_only", "no_sales_spend"],
)
def test_every_planner_view_answers_or_refuses_with_counts(
    sample_path, tmp_path, few_draws, variant
):
    ws = Workspace(_workspace(sample_path, tmp_path, variant))
    try:
        ctx = spec.context(ws, YEAR, "en")
        fitted = views.model(ctx)
        gaps = views.gaps(ctx)
        assert (fitted is None) == bool(gaps)
        built = [
            views.channel_response(ctx),
            views.plan_projection(ctx),
            views.response_curves(ctx),
            views.tornado(ctx),
            views.compare_bars(ctx),
            views.compare_lines(ctx),
            views.backtest(ctx),
        ]
        for s in built:
            _check_spec(s)
        if fitted is None:
            # every planner chart names every unmet requirement, each with its count
            reason = views.no_history_reason(ctx)
            assert all(g in reason for g in gaps)
            assert all(re.search(r"\d|no sales reps", g) for g in gaps), gaps
            for s in built[1:4]:
                assert s.empty_reason == reason
            assert views.engine_headlines(ctx) is None
            return
        # a fitted planner: today's plan is within the evidence and its figures are readable
        sc = projection.current_scenario(fitted, views.PLAN_QUARTERS)
        q = projection.quarterly(projection.run_scenario(fitted, sc))
        assert projection.beyond_evidence(fitted, q) == []
        revenue = q[q["metric"] == "revenue"]
        for engine in projection.ENGINES:
            best = projection.best_history_quarter(fitted, engine)
            top = revenue[revenue["engine"] == engine]["value"].max()
            assert math.isfinite(top) and top <= projection.MAX_QUARTER_MULTIPLE * best
        heads = views.engine_headlines(ctx)
        for head in heads:
            for k, v in head.items():
                _clean(v, f"{variant} {k}")
        _clean(views.optimum_line(ctx), "optimum")
        for line in views.model_lines(ctx):
            _clean(line, "model line")
        if variant == "no_sales_spend":
            push = {h["engine"]: h for h in heads}["push"]
            assert push["cac"] == "—" and push["payback"] == "—"
            assert push["cac_help"] == ctx.t("scenarios.plan.cac_unknown")
            # "today" is the planner's last 12 months (planning.history.TODAY_MONTHS)
            unknown = ctx.t(
                "scenarios.plan.cost_unknown", n=fitted.point.push.reps_now, today_months="12"
            )
            assert unknown in built[1].caption
            assert views.optimum_line(ctx) is None
        if variant == "no_reps":
            assert fitted.history.capacity_source == "owners"
            n = ctx.fmt.number(fitted.history.capacity_per_month, digits=0)
            assert ctx.t("scenarios.plan.capacity_owners", n=n) in built[1].caption
            # the rate per owner is an ordinary one, not the 10^12 of an empty roster
            assert 0 < fitted.point.push.opps_per_rep < 100
    finally:
        ws.close()


def test_a_saved_plan_far_beyond_the_history_is_refused_not_projected(
    sample_path, tmp_path, few_draws
):
    ws = Workspace(_workspace(sample_path, tmp_path, "no_reps"))
    try:
        ctx = spec.context(ws, YEAR, "en")
        fitted = views.model(ctx)
        today = projection.current_scenario(fitted, 4)
        huge = projection.Scenario.from_dict(
            {**today.to_dict(), "budget_per_quarter": today.budget_per_quarter * 1e6}
        )
        s = views.plan_projection(ctx, scenario=huge)
        assert s.is_empty
        assert s.empty_reason.startswith(ctx.t("scenarios.plan.beyond", reasons="")[:40])
        assert "best quarter so far" in s.empty_reason
        assert views.engine_headlines(ctx, scenario=huge) is None
        assert views.tornado(ctx, scenario=huge).empty_reason == s.empty_reason
        scenarios.save_scenario(ws, "Huge", huge.to_dict())
        scenarios.save_scenario(ws, "Today", today.to_dict())
        bars = views.compare_bars(ctx, names=["Huge", "Today"], quarters=4)
        assert not bars.is_empty
        assert "“Huge” is left out" in bars.caption
        assert set(bars.data[ctx.t("scenarios.col.scenario")]) == {"Today"}
        assert bars.takeaway == ""  # one scenario left: no "wins the most"
    finally:
        ws.close()


def test_response_takeaway_is_computed_from_the_fit(sample_path, tmp_path, few_draws):
    ws = Workspace(_workspace(sample_path, tmp_path, "no_lost_deals"))
    try:
        ctx = spec.context(ws, YEAR, "en")
        fitted = views.model(ctx)
        share = {
            f.channel: float(f.steady_leads(fitted.today_spend[i]) / f.beta)
            for i, f in enumerate(fitted.point.channels)
        }
        near, room = max(share, key=share.get), min(share, key=share.get)
        takeaway = views.channel_response(ctx).takeaway
        assert near in takeaway and room in takeaway
        assert ctx.fmt.pct(share[near], digits=0) in takeaway
        assert "flatten as its spend grows" not in takeaway
    finally:
        ws.close()


# -- the page ---------------------------------------------------------------------------------
def _texts(at) -> list[str]:
    out = []
    for kind in ("markdown", "caption", "info", "warning", "error", "subheader", "title"):
        out += [str(e.value) for e in at.get(kind)]
    for m in at.get("metric"):
        out += [str(m.value), str(m.label)]
    for chart in at.get("plotly_chart"):
        fig = json.loads(chart.proto.spec)
        layout = fig.get("layout", {})
        out.append(str((layout.get("title") or {}).get("text", "")))
        out += [str(a.get("text", "")) for a in layout.get("annotations", [])]
    return out


# tests/test_degenerate.py walks every tab of every page on no_spend, no_reps and deals_only;
# this adds the variant without either input, with the chart texts read too.
@pytest.mark.parametrize("variant", ["no_spend_no_reps"])
def test_every_planner_tab_on_a_degenerate_workspace(
    sample_path, tmp_path, monkeypatch, few_draws, variant
):
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    db = _workspace(sample_path, tmp_path, variant)
    monkeypatch.setenv("FLYWHEEL_DB", str(db))
    st.cache_resource.clear()
    st.cache_data.clear()
    try:
        at = AppTest.from_file(APP, default_timeout=300).run()
        at.switch_page("app_pages/scenarios.py").run()
        for tab in ("today", "plan", "compare", "check"):
            open_tab(at, "scn_view", translate(f"scenarios.tab.{tab}", "en"))
            assert not at.exception, (tab, [e.value for e in at.exception])
            assert not at.error, (tab, [e.value for e in at.error])
            texts = _texts(at)
            bad = [x for x in texts if BAD.search(x)]
            assert not bad, (tab, bad)
            if variant != "no_reps" and tab != "today":
                # the planner cannot fit: the page lists each requirement once, with its count
                (info,) = [i.value.replace("\\", "") for i in at.info]  # markdown escapes
                assert info.startswith(translate("scenarios.plan.page_cannot_fit", "en"))
                assert "- " + translate("scenarios.gap.no_spend", "en", months=0) in info
            if variant == "no_reps" and tab == "plan":
                assert any("deal owners active per month" in x for x in texts)
    finally:
        st.cache_resource.clear()
        st.cache_data.clear()
