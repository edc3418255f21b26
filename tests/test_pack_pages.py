"""Meeting-pack entries of the Market analysis, 4P strategy and Campaign calendar pages."""

from __future__ import annotations

import html
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from components.charts.theme import Brand
from components.export import pack_html, packs
from queries import period
from queries.filters import Filters
from queries.workspace import Workspace
from views import campaigns as view_campaigns

ROOT = Path(__file__).resolve().parent.parent
NEW_PAGES = ("market", "strategy_4p", "campaigns")
# the titles, "{cur}" standing for the sample's currency (USD; CNY in the Chinese sample)
EXPECTED = {
    "market.som_check": "Our won revenue against SOM by segment, 2025 ({cur})",
    "market.attractiveness": "Segments by size and growth, 2025 (bubble = our won revenue, {cur})",
    "market.win_rate_by_segment": "Win rate by segment, pull vs push (%)",
    "strategy_4p.kpi_tracker": "Plan KPIs: actual as a share of target (%)",
    "strategy_4p.budget_plan": "Budget plan 2027 against last period's spend, by line ({cur})",
    "campaigns.next_quarter": "Campaign calendar by channel, Oct 1, 2026 – Mar 31, 2027",
    "campaigns.pacing": "Budget against spend to date: the campaigns still running or off pace "
    "({cur})",
    "campaigns.credit_by_model": "Won revenue credited to each channel under each attribution "
    "model ({cur})",
}


def _title(key: str, currency: str) -> str:
    return EXPECTED[key].replace("{cur}", currency)


@pytest.fixture(scope="module")
def sample_ws(sample_path, tmp_path_factory):
    copy = tmp_path_factory.mktemp("pack_pages") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy, read_only=True)
    yield ws
    ws.close()


@pytest.fixture
def empty_ws(tmp_path):
    ws = Workspace(tmp_path / "empty.duckdb")
    yield ws
    ws.close()


def _sample_filters(ws: Workspace) -> Filters:
    return Filters(*period.default_period(*period.data_range(ws)))


def test_each_new_page_has_its_curated_charts_in_the_pack_and_the_chooser():
    for page in NEW_PAGES:
        assert page in packs.pages()
        assert 2 <= len(packs.preset(page)) <= 3
    assert [k for p in NEW_PAGES for k in packs.preset(p)] == list(EXPECTED)


@pytest.mark.parametrize("key", list(EXPECTED))
def test_entry_builds_its_titled_chart_with_data_on_the_sample(sample_ws, key, sample_names):
    (spec,) = packs.build(sample_ws, _sample_filters(sample_ws), keys=[key])
    assert spec.key == key and spec.page == key.split(".")[0]
    assert spec.title == _title(key, sample_names.currency)
    assert spec.figure.layout.title.text == spec.title
    assert spec.figure.data, "the chart draws no trace"
    assert not spec.data.empty
    assert spec.caption and spec.takeaway and spec.takeaway != "No data for these filters"
    assert spec.figure.layout.template.layout.paper_bgcolor == "#FFFFFF"  # our template


@pytest.mark.parametrize("key", list(EXPECTED))
def test_entry_gives_a_titled_no_data_chart_on_an_empty_workspace(empty_ws, key):
    f = Filters(*period.default_period(*period.data_range(empty_ws)))
    (spec,) = packs.build(empty_ws, f, keys=[key])
    assert spec.data.empty and spec.is_empty
    # each chart says why in its own words ("No campaign runs in this period", ...), on the
    # chart and as the slide's one line
    assert spec.empty_reason and spec.takeaway == spec.empty_reason
    assert spec.title and spec.caption
    texts = [a.text for a in spec.figure.layout.annotations]
    assert spec.empty_reason in texts


def test_campaign_timeline_runs_from_the_month_of_the_last_data_day_to_next_quarter_end():
    from datetime import date

    assert view_campaigns.next_quarter_window(date(2026, 10, 31)) == (
        date(2026, 10, 1),
        date(2027, 3, 31),
    )
    assert view_campaigns.next_quarter_window(date(2025, 1, 15)) == (
        date(2025, 1, 1),
        date(2025, 6, 30),
    )


def test_pacing_takeaway_adds_up_the_projected_spend_of_the_campaigns_shown(
    sample_ws, sample_names
):
    (spec,) = packs.build(sample_ws, _sample_filters(sample_ws), keys=["campaigns.pacing"])
    fmt = packs.context(sample_ws, _sample_filters(sample_ws)).fmt
    cur = sample_names.currency
    projected = spec.data[f"Projected end spend ({cur})"].sum()
    budget = spec.data[f"Budget ({cur})"].sum()
    assert fmt.money(projected, compact=True) in spec.takeaway
    assert fmt.money(budget, compact=True) in spec.takeaway
    flags = spec.data["Pace"].value_counts()
    assert f"{flags.get('Over', 0)} pace over budget and {flags.get('Under', 0)} under" in (
        spec.takeaway
    )
    assert spec.takeaway.startswith(f"Of {len(spec.data)} campaigns in the period")


def test_pacing_slide_keeps_the_running_and_off_pace_campaigns_readable(sample_ws):
    (spec,) = packs.build(sample_ws, _sample_filters(sample_ws), keys=["campaigns.pacing"])
    rows = {y for trace in spec.figure.data for y in (() if trace.y is None else trace.y)}
    flagged = spec.data[spec.data["Pace"].isin(["Over", "Under"])]
    assert 0 < len(rows) <= view_campaigns.MAX_PACING_ROWS < len(spec.data)
    assert len(rows) >= len(flagged)


def test_kpi_tracker_takeaway_counts_the_traffic_lights_of_the_table(sample_ws):
    (spec,) = packs.build(sample_ws, _sample_filters(sample_ws), keys=["strategy_4p.kpi_tracker"])
    status = spec.data["Status"].value_counts()
    green, red = status.get("on target", 0), status.get("off target", 0)
    assert spec.takeaway == f"{green} of {len(spec.data)} KPIs on target, {red} off target."


def test_new_entries_come_in_chinese(sample_ws):
    specs = packs.build(sample_ws, _sample_filters(sample_ws), lang="zh", pages=list(NEW_PAGES))
    assert len(specs) == len(EXPECTED)
    for spec in specs:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in spec.title + spec.takeaway), spec.key


def test_html_pack_of_the_new_pages_holds_their_titles_and_only_them(sample_ws, sample_names):
    filters = _sample_filters(sample_ws)
    specs = packs.build(sample_ws, filters, pages=list(NEW_PAGES))
    meta = packs.meta(sample_ws, filters, "en", "Acme")
    doc = pack_html.render(
        specs, meta=meta, brand=Brand(), kpis=packs.kpi_summary(sample_ws, filters)
    )
    for key in EXPECTED:
        title = _title(key, sample_names.currency)
        assert f'data-chart-key="{key}"' in doc
        assert html.escape(title) in doc or html.escape(title, quote=False) in doc
    assert 'data-chart-key="overview.won_by_month"' not in doc


def test_export_command_accepts_the_new_pages(sample_path, tmp_path):
    exe = Path(sys.executable).parent / "flywheel"
    cmd = [str(exe)] if exe.exists() else [sys.executable, str(ROOT / "flywheel_cli.py")]
    out_file = tmp_path / "plan.html"
    out = subprocess.run(
        [*cmd, "export", "--db", str(sample_path), "--format", "html",
         "--pages", *NEW_PAGES, "--out", str(out_file)],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    doc = out_file.read_text(encoding="utf-8")
    for key in EXPECTED:
        assert f'data-chart-key="{key}"' in doc
    assert 'data-chart-key="funnel.lifecycle"' not in doc
