"""Overview views: the scoreboard, the side-by-side table and the won-revenue chart, given the
tiny workspace's January rows (tests/fixtures.py) or a copy of the sample without one input
(tests/degenerate.py) → these figures, or "—" with the reason (issue 16).

January by hand: MQLs by the CRM's date L1, L3, L4 (3; pull 2, push 1), by "score >= 70" L1
and L4 (2, both pull); spend 4,500 marketing and 6,000 sales; 3 new customers (pull 2, push 1);
open on 31 January D5 (push, 7,000) and D6 (pull, 4,000).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from queries import funnel
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.degenerate import build_variant
from tests.fixtures import build_tiny_workspace
from views import funnel as funnel_views
from views import overview
from views.spec import context

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
APP = str(Path(__file__).resolve().parent.parent.parent / "app.py")
ABSENT = re.compile(r"\b(None|nan|NaN|inf)\b|\$0\.00")
SCORE_70 = {"funnel_mql_rule": "score", "funnel_mql_score_threshold": "70"}


@pytest.fixture
def ctx(tiny_ws):
    return context(tiny_ws, JAN)


def _tiny(tmp_path: Path, *statements: str) -> Workspace:
    ws = Workspace(build_tiny_workspace(tmp_path / "t.duckdb"))
    with ws.transaction() as cur:
        for sql in statements:
            cur.execute(sql)
        refresh_lead_facts(cur)  # as every writer of the records does
    return ws


def _board(ctx) -> dict[tuple[str, str], dict]:
    rows = overview.scoreboard_rows(ctx)
    return {(r["kpi"], r["group"]): r for r in rows.to_dict("records")}


def _side(ctx) -> dict[str, dict[str, str]]:
    table = overview.side_by_side(ctx)
    return {row["Metric"]: row for row in table.to_dict("records")}


# -- one MQL definition ----------------------------------------------------------------------------
def test_the_saved_mql_definition_sets_the_overviews_mql_count_to_the_funnels(ctx):
    assert _side(ctx)["MQLs"]["Overall"] == "3"  # the CRM's MQL dates
    scored = replace(ctx, settings=SCORE_70)
    side = _side(scored)["MQLs"]
    assert (side["Overall"], side["Pull (marketing)"], side["Push (sales)"]) == ("2", "2", "0")
    # the same count as the period funnel of Funnel health under the same definition
    counts = funnel.period_stage_counts(scored.ws, JAN, funnel_views.mql(scored))
    mqls = counts[(counts.grain == "split") & (counts.stage == "mql")]
    assert int(mqls["count_reached"].sum()) == 2


# -- CAC without spend -----------------------------------------------------------------------------
def test_without_spend_the_scoreboard_shows_a_dash_cac_with_the_reason(tmp_path):
    ws = _tiny(tmp_path, "delete from spend")
    try:
        board = _board(context(ws, JAN))
    finally:
        ws.close()
    for group in ("overall", "pull", "push"):
        row = board[("cac", group)]
        assert row["text"] == "—" and row["change_text"] == "—", group
        assert row["improved"] is None
    assert board[("cac", "overall")]["note"] == "No spend imported — import spend on the Data page."
    assert board[("cac", "pull")]["note"] == (
        "No marketing spend imported — import spend on the Data page."
    )
    assert board[("cac", "push")]["note"].startswith("No sales spend imported")
    assert board[("won_amount", "overall")]["note"] == ""  # the rest is plain


def test_the_side_by_side_table_names_the_reason_of_each_dash(tmp_path):
    ws = _tiny(tmp_path, "delete from spend")
    try:
        c = context(ws, JAN)
        side = _side(c)
        lines = overview.side_by_side_notes(c)
    finally:
        ws.close()
    assert set(side["Blended CAC"].values()) == {"Blended CAC", "—"}
    assert "Blended CAC (Overall): No spend imported — import spend on the Data page." in lines
    assert (
        "Blended CAC (Pull (marketing)): No marketing spend imported — import spend on the "
        "Data page." in lines
    )


# -- open pipeline and won revenue without amounts -------------------------------------------------
def test_open_pipeline_without_amounts_is_a_dash_and_counts_the_deals(tmp_path):
    ws = _tiny(tmp_path, "update raw_deals set amount = null where deal_id in ('D5', 'D6')")
    try:
        board = _board(context(ws, JAN))
    finally:
        ws.close()
    row = board[("open_pipeline_amount", "overall")]
    assert row["text"] == "—"
    assert row["change_text"] == "—"  # never −100 % against December's pipeline
    assert row["note"] == "2 of 2 open deals have no amount."


def test_won_revenue_chart_without_amounts_says_so(tmp_path):
    ws = _tiny(tmp_path, "update raw_deals set amount = null where outcome = 'won'")
    try:
        spec = overview.won_by_month(context(ws, JAN))
    finally:
        ws.close()
    assert spec.is_empty
    assert spec.takeaway == (
        "4 deals were won in this period, none with an amount: import deal amounts on the Data "
        "page."
    )


def test_won_revenue_takeaway_is_left_out_when_no_deal_has_an_engine(tmp_path):
    ws = _tiny(tmp_path, "delete from source_motion")
    try:
        c = context(ws, JAN)
        spec = overview.won_by_month(c)
        board = _board(c)
    finally:
        ws.close()
    assert spec.takeaway == ""  # not "Pull brought — of won revenue: $0.00 against $0.00"
    assert board[("won_amount", "pull")]["text"] == "—"
    assert board[("won_amount", "pull")]["note"].startswith("No deal of the period has a pull")
    assert board[("won_amount", "overall")]["text"] == "$20K"


# -- win rate without lost deals -------------------------------------------------------------------
def test_win_rate_without_lost_deals_is_kept_with_a_caveat(tmp_path):
    ws = _tiny(tmp_path, "delete from raw_deals where outcome = 'lost'")
    try:
        board = _board(context(ws, JAN))
    finally:
        ws.close()
    row = board[("win_rate", "overall")]
    assert row["text"] == "100.0%"
    assert row["note"].startswith("No lost deals in the file")


def test_the_notes_are_translated(tmp_path):
    ws = _tiny(tmp_path, "delete from spend")
    try:
        board = _board(context(ws, JAN, "zh"))
    finally:
        ws.close()
    assert board[("cac", "overall")]["note"] == "尚未导入支出——请在“数据”页导入支出。"


# -- the page on a copy of the sample without spend ------------------------------------------------
@pytest.fixture(scope="module")
def no_spend(each_sample, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Each sample (English, Chinese) without its spend."""
    locale, sample_path = each_sample
    return build_variant(sample_path, tmp_path_factory.mktemp(f"overview-{locale}"), "no_spend")


def test_the_overview_without_spend_shows_no_none_nan_or_zero_dollars(no_spend, monkeypatch):
    monkeypatch.setenv("FLYWHEEL_DB", str(no_spend))
    at = AppTest.from_file(APP, default_timeout=180)
    at.session_state["lang"] = "en"
    at.run()
    at.switch_page("app_pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    metrics = {m.label: m for m in at.metric}
    assert metrics["Blended CAC"].value == "—"
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    texts += [m.value for m in at.metric] + [str(m.proto.help) for m in at.metric]
    for table in at.dataframe:
        texts += [str(v) for v in table.value.to_numpy().ravel()]
    assert not [t for t in texts if ABSENT.search(t)]
    assert any("No spend imported — import spend on the Data page." in t for t in texts)


def test_the_mql_caption_names_the_saved_definition(ctx):
    scored = replace(ctx, settings=SCORE_70)
    assert "70" in overview.mql_caption(scored)
    assert overview.mql_caption(scored).startswith(
        "MQLs are counted by the definition saved on Funnel health"
    )
    assert "70" not in overview.mql_caption(ctx)


def test_won_revenue_takeaway_when_one_engine_won_nothing(tiny_ws):
    from views import overview as ov
    from views.spec import context

    # tiny January, Enterprise only: pull won D1 10,000 and D7 3,000; push won nothing there,
    # so no "against $0.00"
    ctx = context(tiny_ws, Filters(date(2025, 1, 1), date(2025, 1, 31), segments=("Enterprise",)))
    spec = ov.won_by_month(ctx)
    assert spec.takeaway == (
        "Pull (marketing) brought all won revenue ($13K); Push (sales) won nothing in this period."
    )


# -- one reason, said once -------------------------------------------------------------------------
NO_DEAL_MOTION = (
    "No deal of the period has a pull or push source (its own or its lead's): set each source "
    "to pull or push on the Data page."
)


def test_a_reason_on_several_cards_is_said_once_above_them(tmp_path):
    # no source has a motion (as in Maven's export): every card's pull and push figure is "—"
    # for the same reason; CAC's own reason (no spend) stays on its card
    ws = _tiny(tmp_path, "delete from source_motion", "delete from spend")
    try:
        c = context(ws, JAN)
        said = overview.card_notes(c, overview.scoreboard_rows(c))
        lines = overview.side_by_side_notes(c)
    finally:
        ws.close()
    assert said.shared == ["Pull and Push: " + NO_DEAL_MOTION]
    assert all(NO_DEAL_MOTION not in n for notes in said.own.values() for n in notes)
    assert said.own["cac"] == ["No spend imported — import spend on the Data page."]
    assert said.own["opportunities"] == []
    assert said.every["won_amount"] == ["Pull and Push: " + NO_DEAL_MOTION]  # in the help
    # under the table: the nine deal metrics of the table counted, not named one by one
    assert "The Pull (marketing) and Push (sales) columns of 9 metrics: " + NO_DEAL_MOTION in lines
    assert not [line for line in lines if "Win rate (Pull" in line]
    assert "Blended CAC (Overall): No spend imported — import spend on the Data page." in lines


def test_a_reason_on_one_card_stays_on_that_card(tmp_path):
    ws = _tiny(tmp_path, "delete from spend")
    try:
        c = context(ws, JAN)
        said = overview.card_notes(c, overview.scoreboard_rows(c))
    finally:
        ws.close()
    assert said.shared == []
    assert said.own["cac"] == [
        "No spend imported — import spend on the Data page.",
        "Pull: No marketing spend imported — import spend on the Data page.",
        "Push: No sales spend imported — import spend (category sales) on the Data page.",
    ]


def test_undated_leads_read_as_a_dash_in_the_table(tmp_path):
    ws = _tiny(tmp_path, "update raw_leads set created_at = null, mql_at = null, sql_at = null")
    try:
        c = context(ws, JAN, "zh")
        side = overview.side_by_side(c)
        lines = overview.side_by_side_notes(c)
    finally:
        ws.close()
    leads = side.iloc[0].tolist()
    assert leads[1:] == ["—", "—", "—"]
    assert lines[0].startswith(
        "线索、市场认可线索（MQL）和销售认可线索（SQL）：5 条线索没有创建日期"
    )
