"""Honest figures on any workspace (issue 16): the sample with one input taken away, as real
exports often are. Every page and tab opens without an exception or an error box, and no
absent figure reaches a person as "None", "nan", "inf" or "$0.00 against $0.00"; the meeting
pack leaves out what it cannot draw, and `flywheel metrics --json` gives null, never NaN."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

import flywheel_cli
from components.export import packs
from queries import period
from queries.filters import Filters
from queries.workspace import Workspace
from tests.apptest_utils import open_tab, shown_text
from tests.degenerate import build_variant

# every AppTest here starts and ends with empty Streamlit caches (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = sorted(p.name for p in (Path(APP).parent / "app_pages").glob("*.py"))
TABS = {
    "campaigns.py": "campaigns_tab",
    "market.py": "market_tab",
    "strategy_4p.py": "strategy_4p_tab",
    "funnel.py": "funnel_tab",
    "scenarios.py": "scn_view",
}
VARIANTS = (
    "no_spend",
    "no_reps",
    "no_leads",
    "no_lost_deals",
    "no_open_amounts",
    "no_first_touch",
    "deals_only",
)
# Absence written as a value. "$0" alone is allowed (a real zero exists); "$0.00 against" is not.
ABSENT = re.compile(r"\b(None|nan|NaN|NaT|inf|Infinity)\b|\$0\.00 against \$0\.00")


@pytest.fixture(scope="module")
def variants(sample_path, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("degenerate")
    return {name: build_variant(sample_path, folder, name) for name in VARIANTS}


def check(at: AppTest, where: str) -> None:
    assert not at.exception, (where, [e.value for e in at.exception])
    assert not at.error, (where, [e.value for e in at.error])
    bad = [t for t in shown_text(at) if ABSENT.search(t)]
    assert not bad, (where, bad[:3])


# Every page and tab is walked on the variants that take away a whole kind of record (the
# others change one column, which the pack and metrics tests below cover); the public datasets
# get the same walk in test_public_linked.py.
WALKED = ("no_spend", "no_reps", "no_first_touch", "deals_only")


@pytest.mark.parametrize("name", WALKED)
def test_every_page_and_tab_opens_honestly(variants, name, monkeypatch):
    monkeypatch.setenv("FLYWHEEL_DB", str(variants[name]))
    for page in PAGES:
        at = AppTest.from_file(APP, default_timeout=300)
        at.run()
        at.switch_page(f"app_pages/{page}").run()
        check(at, f"{name}/{page}")
        if page in TABS:
            for label in [t.label for t in at.tabs][1:]:
                open_tab(at, TABS[page], label)
                check(at, f"{name}/{page}/{label}")


@pytest.mark.parametrize("name", VARIANTS)
def test_the_pack_says_why_for_every_chart_it_leaves_out(variants, name, tmp_path):
    # on a copy: an app test in this process may hold the variant open read-write
    ws = Workspace(shutil.copy(variants[name], tmp_path / "copy.duckdb"), read_only=True)
    try:
        f = Filters(*period.default_period(*period.data_range(ws)))
        specs = packs.build(ws, f)
    finally:
        ws.close()
    assert len(specs) == len([k for p in packs.pages() for k in packs.preset(p)])
    shown, left_out = packs.split(specs)
    assert all(x.reason and not ABSENT.search(x.reason) for x in left_out), name
    for s in shown:
        assert not ABSENT.search(s.takeaway) and not ABSENT.search(s.caption), (name, s.key)


def _numbers(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _numbers(v)
    elif isinstance(value, float):
        yield value


@pytest.mark.parametrize("name", VARIANTS)
def test_metrics_json_has_null_for_what_is_missing_never_nan(variants, name, capsys, tmp_path):
    copy = shutil.copy(variants[name], tmp_path / "copy.duckdb")
    assert flywheel_cli.main(["metrics", "--db", str(copy), "--json"]) == 0
    out = capsys.readouterr().out
    assert "NaN" not in out and "Infinity" not in out, name
    assert all(math.isfinite(v) for v in _numbers(json.loads(out))), name
