"""What this workspace can answer (issue 16, item 2): the counts of queries/readiness.py on the
tiny workspace (by hand, tests/fixtures.py) and on the sample without one input
(tests/degenerate.py); the needs each page lacks and the one line its header shows; the Data
page's panel in English and Chinese (AppTest).

Tiny workspace, by hand: 5 leads, all with a source, 3 with a first-touch date (L1, L3, L4);
8 deals, all with a mapped source and a segment; 5 won (D1 D2 D4 D6 D7), 2 lost (D3 D8), 1 open
with an amount (D5); 3 marketing spend rows with a channel and 2 sales spend rows; 2 campaigns;
no sales reps, touches, accounts or market assumptions.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.fmt import Formatter
from queries import readiness as queries
from queries.workspace import Workspace, refresh_lead_facts
from tests.degenerate import build_variant
from views import readiness

# every AppTest here starts and ends with empty Streamlit caches (tests/conftest.py)
pytestmark = pytest.mark.usefixtures("fresh_streamlit_caches")

APP = str(Path(__file__).resolve().parent.parent / "app.py")
ABSENT = re.compile(r"\b(None|nan|NaN|inf|True|False)\b")

TINY = {
    "leads": 5,
    "leads_with_source": 5,
    "leads_with_created": 5,
    "leads_with_first_touch": 3,
    "deals": 8,
    "deals_with_motion": 8,
    "deals_with_segment": 8,
    "won_deals": 5,
    "lost_deals": 2,
    "open_deals": 1,
    "open_with_amount": 1,
    "marketing_spend_rows": 3,
    "sales_spend_rows": 2,
    "sales_reps": 0,
    "reps_with_cost": 0,
    "touches": 0,
    "campaigns": 2,
    "accounts": 0,
    "market_assumptions": 0,
}


def _counts(path: Path, *statements: str) -> dict[str, int]:
    ws = Workspace(path)
    try:
        if statements:
            with ws.transaction() as cur:
                for sql in statements:
                    cur.execute(sql)
                refresh_lead_facts(cur)
        return queries.counts(ws)
    finally:
        ws.close()


@pytest.fixture
def tiny_copy(tiny_path: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_path, copy)
    return copy


def test_the_counts_of_the_tiny_workspace_by_hand(tiny_copy):
    assert _counts(tiny_copy) == TINY


def test_what_each_page_of_the_tiny_workspace_lacks():
    lacks = {p: [n.key for n in readiness.missing(TINY, p)] for p in readiness.PAGE_NEEDS}
    assert lacks == {
        "overview": [],
        "market": ["market_assumptions"],
        "strategy_4p": [],
        "campaigns": ["touches"],
        "funnel": [],
        # the sales spend rows stand in for the reps' cost; the reps themselves are missing
        "scenarios": ["sales_reps"],
    }
    assert readiness.notice(TINY, "overview") is None
    assert readiness.notice(TINY, "data") is None  # a page without needs
    assert readiness.notice(TINY, "scenarios") == (
        "Without sales reps this page cannot show sales capacity — add it on the Data page."
    )


def test_open_deals_without_an_amount_and_no_lost_deals(tiny_copy):
    counts = _counts(
        tiny_copy,
        "update raw_deals set amount = null where outcome = 'open'",
        "delete from raw_deals where outcome = 'lost'",
    )
    assert (counts["open_deals"], counts["open_with_amount"], counts["lost_deals"]) == (1, 0, 0)
    need = readiness.needs(counts)
    assert not need["open_amounts"].met and not need["lost_deals"].met
    assert readiness.have_text(need["open_amounts"], Formatter()) == (
        "Open deals with an amount: 0 of 1"
    )
    assert readiness.have_text(need["lost_deals"], Formatter()) == (
        "Lost deals: 0 of 5 closed deals"
    )
    assert readiness.notice(counts, "overview") == (
        "Without lost deals and open deals with an amount this page cannot show a win rate or "
        "open pipeline — add them on the Data page."
    )
    zh = readiness.notice(counts, "overview", "zh")
    assert zh is not None and "丢单和有金额的进行中交易" in zh and "赢单率或进行中管道" in zh


def test_an_empty_workspace_needs_everything(tmp_path):
    Workspace(tmp_path / "empty.duckdb").close()  # the schema, no rows
    counts = _counts(tmp_path / "empty.duckdb")
    assert set(counts.values()) == {0}
    need = readiness.needs(counts)
    assert not any(n.met for n in need.values())
    # nothing to count: "No deals yet", never "0 of 0"
    assert readiness.have_text(need["deals_motion"], Formatter()) == "No deals yet"
    assert readiness.have_text(need["open_amounts"], Formatter(), "zh") == "尚无进行中的交易"
    assert readiness.have_text(need["touches"], Formatter()) == "Touches: 0"
    for page in readiness.PAGE_NEEDS:
        assert readiness.notice(counts, page), page
    # five gaps on the Overview: the first named, four counted
    assert readiness.notice(counts, "overview").startswith("Without leads with a source ")
    assert ", and 4 more inputs are missing — see Data" in readiness.notice(counts, "overview")


# An imported CRM like Maven's: deals with segments, lost and open ones (no amount on the open
# ones), no leads, no spend, no source mapped to a motion. The Overview lacks four inputs.
IMPORTED = {
    **dict.fromkeys(TINY, 0),
    "deals": 8800,
    "deals_with_segment": 8800,
    "won_deals": 4238,
    "lost_deals": 2473,
    "open_deals": 2089,
    "sales_reps": 35,
    "accounts": 85,
}
MORE_WHERE = "see Data → What this workspace can answer."


def test_a_long_list_of_gaps_names_the_first_and_counts_the_rest():
    lacks = [n.key for n in readiness.missing(IMPORTED, "overview")]
    assert lacks == ["leads_sourced", "deals_motion", "marketing_spend", "open_amounts"]
    assert readiness.notice(IMPORTED, "overview") == (
        "Without leads with a source this page cannot show leads by pull and push, and 3 more "
        "inputs are missing — " + MORE_WHERE
    )
    zh = readiness.notice(IMPORTED, "overview", "zh")
    assert zh == (
        "缺少带来源的线索，此页面无法显示按拉动和推动划分的线索；另有 3 项数据缺失——"
        "见“数据”→“此工作区能回答什么”。"
    )


def test_the_motion_gap_is_left_to_the_motion_notice_under_it():
    # the motion notice says the deals have no motion: the line counts 2 more gaps, not 3
    assert readiness.notice(IMPORTED, "overview", motion_notice=True) == (
        "Without leads with a source this page cannot show leads by pull and push, and 2 more "
        "inputs are missing — " + MORE_WHERE
    )
    # two gaps are both named; one left after the motion gap is named alone
    assert readiness.notice(IMPORTED, "strategy_4p") == (
        "Without deals with a pull or push motion and marketing spend by channel this page "
        "cannot show the pull and push mix or the promotion spend by channel — add them on the "
        "Data page."
    )
    assert readiness.notice(IMPORTED, "strategy_4p", motion_notice=True) == (
        "Without marketing spend by channel this page cannot show the promotion spend by "
        "channel — add it on the Data page."
    )
    # the motion gap was the only one: no line at all
    only_motion = {**TINY, "deals_with_motion": 0}
    assert [n.key for n in readiness.missing(only_motion, "overview")] == ["deals_motion"]
    assert readiness.notice(only_motion, "overview", motion_notice=True) is None
    assert readiness.notice(only_motion, "overview") is not None


@pytest.fixture(scope="module")
def variants(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("readiness")
    names = ("no_spend", "no_reps", "no_touches", "no_open_amounts", "no_spend_no_reps")
    return {n: build_variant(sample_path, folder, n) for n in names}


@pytest.fixture(scope="module")
def sample_counts(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> dict:
    copy = tmp_path_factory.mktemp("readiness_sample") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    return _counts(copy)


def test_the_sample_meets_every_need_of_every_page(sample_counts):
    for page in readiness.PAGE_NEEDS:
        assert readiness.missing(sample_counts, page) == [], page
        assert readiness.notice(sample_counts, page) is None


def test_no_spend_leaves_the_spend_need_unmet_where_spend_is_needed(variants, sample_counts):
    counts = _counts(variants["no_spend"])
    assert counts["marketing_spend_rows"] == 0 and counts["sales_spend_rows"] == 0
    # nothing else went
    assert counts["leads"] == sample_counts["leads"] and counts["deals"] == sample_counts["deals"]
    for page in ("overview", "scenarios", "strategy_4p", "campaigns"):
        assert [n.key for n in readiness.missing(counts, page)] == ["marketing_spend"], page
    for page in ("market", "funnel"):
        assert readiness.missing(counts, page) == [], page
    assert readiness.notice(counts, "overview") == (
        "Without marketing spend by channel this page cannot show CAC and payback — add it on "
        "the Data page."
    )


def test_no_reps_leaves_the_scenario_planner_without_sales_reps(variants, sample_counts):
    counts = _counts(variants["no_reps"])
    assert counts["sales_reps"] == 0 and counts["reps_with_cost"] == 0
    # the sample's sales spend still gives a sales cost
    assert counts["sales_spend_rows"] == sample_counts["sales_spend_rows"] > 0
    assert [n.key for n in readiness.missing(counts, "scenarios")] == ["sales_reps"]
    assert readiness.missing(counts, "overview") == []
    both = _counts(variants["no_spend_no_reps"])
    assert [n.key for n in readiness.missing(both, "scenarios")] == [
        "marketing_spend",
        "sales_reps",
        "sales_cost",
    ]


def test_no_touches_leaves_the_campaign_calendar_without_attribution(variants):
    counts = _counts(variants["no_touches"])
    assert counts["touches"] == 0 and counts["campaigns"] > 0
    assert [n.key for n in readiness.missing(counts, "campaigns")] == ["touches"]
    assert readiness.notice(counts, "campaigns") == (
        "Without campaign touches this page cannot show revenue attributed to campaigns — add "
        "it on the Data page."
    )


def test_no_open_amounts_says_none_of_the_open_deals_has_one(variants, sample_counts):
    counts = _counts(variants["no_open_amounts"])
    open_deals = sample_counts["open_deals"]
    assert open_deals > 0 and counts["open_deals"] == open_deals
    assert counts["open_with_amount"] == 0
    need = readiness.needs(counts)["open_amounts"]
    assert readiness.have_text(need, Formatter()) == (
        f"Open deals with an amount: 0 of {open_deals:,}"
    )
    for page in ("overview", "market", "funnel"):
        assert [n.key for n in readiness.missing(counts, page)] == ["open_amounts"], page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_panel_is_text_only_in_both_languages(variants, lang):
    counts = _counts(variants["no_spend_no_reps"])
    table = readiness.panel(counts, Formatter(), lang)
    assert len(table) == len(readiness.NEEDS)
    cells = [str(v) for v in table.to_numpy().ravel()]
    assert all(isinstance(v, str) for v in table.to_numpy().ravel())
    assert not [c for c in cells if ABSENT.search(c)]
    status = table.iloc[:, 0].tolist()
    assert set(status) == {"✓", "—"}
    assert status.count("—") == 3  # marketing spend, sales reps, sales cost
    steps = table.iloc[:, -1].tolist()
    assert [bool(s) for s in steps] == [s == "—" for s in status]  # a step for each gap only
    if lang == "en":
        row = table[table["Needs"] == "Marketing spend by channel"].iloc[0]
        assert row["This workspace has"] == "Marketing spend rows with a channel: 0"
        assert row["To fill the gap"] == (
            "Import a spend export (date, channel, amount) on this page."
        )
        assert row["Used by"] == (
            "Overview, 4P strategy, Campaign calendar, and Pull vs push & scenarios"
        )


# --- the app ---------------------------------------------------------------------------------


def _open(path: Path, page: str, monkeypatch, lang: str = "en") -> AppTest:
    monkeypatch.setenv("FLYWHEEL_DB", str(path))
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def _table_cells(at: AppTest) -> list[str]:
    cells: list[str] = []
    for table in at.table:
        frame = table.value
        cells += [str(v) for v in frame.index] + [str(v) for v in frame.to_numpy().ravel()]
    return cells


@pytest.mark.parametrize(
    ("lang", "header", "ready", "lacks"),
    [
        ("en", "What this workspace can answer", "has everything it needs", "lacks"),
        ("zh", "此工作区能回答什么", "所需数据齐全", "缺少"),
    ],
)
def test_the_data_page_shows_the_panel(variants, monkeypatch, lang, header, ready, lacks):
    at = _open(variants["no_spend"], "app_pages/data.py", monkeypatch, lang)
    assert header in [s.value for s in at.subheader]
    text = "\n".join(_texts(at))
    assert ready in text and lacks in text
    cells = _table_cells(at)
    readiness_tables = [c for c in cells if c in ("✓", "—")]
    assert readiness_tables.count("—") == 1 and readiness_tables.count("✓") == 12
    assert not [c for c in cells if ABSENT.search(c)]
    assert not ABSENT.search(text)
    if lang == "en":
        assert "Marketing spend rows with a channel: 0" in cells
        assert ":orange[**—**] **Overview**: lacks marketing spend by channel" in text
        assert ":green[**✓**] **Funnel health**: has everything it needs" in text


def test_the_overview_without_spend_says_so_in_one_line(variants, monkeypatch):
    at = _open(variants["no_spend"], "app_pages/overview.py", monkeypatch)
    lines = [c.value for c in at.caption if c.value.startswith("Without ")]
    assert lines == [
        "Without marketing spend by channel this page cannot show CAC and payback — add it on "
        "the Data page."
    ]
    links = [p.proto.page for p in at.get("page_link")]
    assert any(p.endswith("data.py") or p == "data" for p in links), links


def test_the_sample_shows_no_readiness_line(sample_path, tmp_path, monkeypatch):
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_path, copy)
    for page in ("app_pages/overview.py", "app_pages/scenarios.py", "app_pages/campaigns.py"):
        at = _open(copy, page, monkeypatch)
        assert not [c.value for c in at.caption if c.value.startswith("Without ")], page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_need_and_page_has_its_texts(lang):
    from locales import catalogue

    texts = catalogue(lang)
    for need, (_, total) in readiness.NEEDS.items():
        for kind in ("name", "have", "step"):
            assert f"readiness.{kind}.{need}" in texts, (kind, need)
        if total is not None:
            assert f"readiness.have_none.{total}" in texts, total
    for page, needs in readiness.PAGE_NEEDS.items():
        assert Path(APP).parent.joinpath("app_pages", f"{page}.py").exists(), page
        for need in needs:
            assert need in readiness.NEEDS
            assert f"readiness.effect.{page}.{need}" in texts, (page, need)


def test_the_overview_leaves_the_motion_gap_to_the_motion_notice(tiny_copy, monkeypatch):
    # no source mapped to a motion: the motion notice says so; the readiness line, whose only
    # gap that is, does not repeat it
    _counts(tiny_copy, "delete from source_motion")
    at = _open(tiny_copy, "app_pages/overview.py", monkeypatch)
    texts = [w.value for w in at.warning] + [c.value for c in at.caption]
    assert [x for x in texts if x.startswith("Not one of the 8 deals has a pull or push motion")]
    assert not [x for x in texts if x.startswith("Without ")], texts
