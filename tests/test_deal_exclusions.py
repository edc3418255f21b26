"""Issue 16, item 3: outlier deals can be left out of every figure by a setting, and an amount
of 0 can mean "not entered" (migration 016: the `deals` view and the lead facts follow).

Hand-computed on the tiny workspace (tests/fixtures.py) plus DX, a January win of 135,000 for
lead L2 (created 2025-01-12, closed 2025-01-20):
- won deals of the whole workspace: D4 2,000, D7 3,000, D6 4,000, D2 5,000, D1 10,000, DX
  135,000 → median (4,000 + 5,000) / 2 = 4,500, and 135,000 / 4,500 = 30×; 20× = 90,000, so DX
  alone is an outlier. The one open deal (D5 7,000) is its own median.
- January's wins: D1 10,000, D2 5,000, D4 2,000, D7 3,000 (+ DX 135,000) → revenue 20,000 and
  average 5,000 without DX; 155,000 and 31,000 with it. The period median with DX is 5,000, so
  DX is 27× it on the Funnel.
- lead L2 has no deal but DX: with DX (1, 1, Jan 12, Jan 20); without it (0, 0, None, None).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from planning import data_checks as dc
from queries import data_checks as checks_q
from queries import metrics, sqlfiles
from queries.filters import Filters
from queries.ingest import engine
from queries.ingest.engine import Choices
from queries.workspace import Workspace, refresh_lead_facts
from tests.fixtures import build_tiny_workspace
from views import data as data_views
from views import funnel as fv
from views.spec import context

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
L2_WITH_DX = (1, 1, datetime(2025, 1, 12), datetime(2025, 1, 20))
L2_NONE = (0, 0, None, None)
ROOT = Path(__file__).resolve().parent.parent


def _add_deal(ws: Workspace, deal_id: str, amount: float, lead_id: str | None = None) -> None:
    with ws.transaction() as cur:
        cur.execute(
            "insert into raw_deals (deal_id, account, lead_id, created_at, closed_at, stage, "
            "outcome, amount, product, segment, region, owner, source, currency) values "
            "($id, 'A' || $id, $lead, '2025-01-12', '2025-01-20', 'Closed Won', 'won', $amount, "
            "'Core', 'SMB', 'EMEA', 'Ann', 'Paid Search', 'USD')",
            {"id": deal_id, "lead": lead_id, "amount": amount},
        )
        refresh_lead_facts(cur)


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    """The tiny workspace with DX, a January win of 135,000 (30× the median) for lead L2."""
    w = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    _add_deal(w, "DX", 135000, "L2")
    yield w
    w.close()


def _won(ws: Workspace) -> tuple[float, float, int]:
    row = metrics.headline(ws, JAN).loc["overall"]
    return float(row["won_amount"]), float(row["avg_deal_size"]), int(row["won"])


def _lead_facts(ws: Workspace, lead_id: str) -> tuple:
    cur = ws.cursor()
    try:
        return cur.execute(
            "select deal_count, won_deal_count, first_deal_at, first_won_at from raw_leads "
            "where lead_id = $id",
            {"id": lead_id},
        ).fetchone()
    finally:
        cur.close()


def _excluded(ws: Workspace) -> list[str]:
    return checks_q.excluded_deals(ws)["deal_id"].tolist()


def test_the_setting_leaves_the_outlier_out_of_every_figure_and_brings_it_back(ws):
    assert _won(ws) == (155000.0, 31000.0, 5)
    assert _lead_facts(ws, "L2") == L2_WITH_DX
    assert checks_q.set_exclude_outliers(ws, True) == 1
    assert _excluded(ws) == ["DX"]
    assert _won(ws) == (20000.0, 5000.0, 4)
    assert _lead_facts(ws, "L2") == L2_NONE
    assert ws.scalar("select count(*) from deals where deal_id = 'DX'") == 0
    assert checks_q.deal_balance(ws, JAN)["count_won"] == 4  # the checks follow the view
    assert checks_q.set_exclude_outliers(ws, False) == 0
    assert _excluded(ws) == []
    assert _won(ws) == (155000.0, 31000.0, 5)
    assert _lead_facts(ws, "L2") == L2_WITH_DX


def test_the_data_page_lists_the_outlier_rows_and_what_is_left_out(ws):
    rows = checks_q.workspace_outliers(ws)
    assert rows[["deal_id", "kind", "amount", "median_amount", "times_median"]].values.tolist() == [
        ["DX", "won", 135000.0, 4500.0, 30.0]
    ]
    check = data_views.outlier_check(context(ws, JAN))
    assert check.table.values.tolist() == [["DX", "Won", "$135,000", "$4,500", "30.0×", "No"]]
    assert check.summary == (
        "1 deal(s) are above 20× the median amount of their kind (whole workspace, every "
        "period). Won: 1, together $135,000 of won revenue (the median won deal is $4,500, of "
        "6 with an amount). They count in every figure now; Funnel health flags them."
    )
    checks_q.set_exclude_outliers(ws, True)
    check = data_views.outlier_check(context(ws, JAN))  # a new context reads the setting
    assert check.excluding and check.count_excluded == 1
    assert check.table.iloc[0].tolist()[-1] == "Yes"
    assert check.summary.endswith(
        "1 of them are left out of every figure now; every import and undo checks again while "
        "the setting is on."
    )


def test_the_funnel_caveat_says_left_out_instead_of_flagged(ws):
    flagged = "One deal of $135,000 (27× the median) drives this figure."
    assert fv.caveat(context(ws, JAN), "won_amount") == flagged
    thin = "Only {n} deals closed in the period (fewer than 30): one deal moves this figure a lot."
    assert fv.caveat(context(ws, JAN), "win_rate") == thin.format(n=6)  # no outlier caveat
    checks_q.set_exclude_outliers(ws, True)
    assert fv.caveat(context(ws, JAN), "won_amount") == (
        "One deal of $135,000 (27× the median) is left out of this figure (the Data page leaves "
        "outliers out)."
    )
    assert fv.caveat(context(ws, JAN), "win_rate") == thin.format(n=5)  # DX no longer closed
    assert (
        "One won deal of $135,000 (27× the median) is left out of every figure (the outlier "
        "setting on the Data page)"
    ) in fv.trust(context(ws, JAN)).badges


def test_imports_and_undo_check_the_outliers_again_while_the_setting_is_on(ws, tmp_path):
    checks_q.set_exclude_outliers(ws, True)
    # DY 200,000 won: 7 won deals, median 5,000 → 20× = 100,000: DX (27×) and DY (40×)
    path = tmp_path / "big.csv"
    path.write_text(
        "Deal ID,Status,Amount,Created,Closed\nDY,won,200000,2025-01-05,2025-01-22\n",
        encoding="utf-8",
    )
    mapping = {
        "deal_id": "Deal ID",
        "status": "Status",
        "amount": "Amount",
        "created_at": "Created",
        "close_date": "Closed",
    }
    with engine.open_import(
        ws, path, choices=Choices(kind="deals", preset="generic", mapping=mapping)
    ) as plan:
        import_id = plan.commit("append").import_id
    assert sorted(_excluded(ws)) == ["DX", "DY"]
    assert _won(ws) == (20000.0, 5000.0, 4)
    engine.undo(ws, import_id)
    assert _excluded(ws) == ["DX"]  # DY gone with its import; DX still 30× the median
    assert _lead_facts(ws, "L2") == L2_NONE
    # the setting off: an import adds no exclusion
    checks_q.set_exclude_outliers(ws, False)
    _add_deal(ws, "DZ", 500000)
    assert _excluded(ws) == []


def test_the_refresh_uses_the_planning_multiple(ws):
    # the refresh binds no parameter: its 20 must be planning's OUTLIER_MULTIPLE
    assert f"{dc.OUTLIER_MULTIPLE} * medians.median_amount" in (
        sqlfiles.get("sync_outlier_exclusions").sql
    )


def test_an_amount_of_0_read_as_not_entered_leaves_the_average(tmp_path):
    # DZ, a January win of 0: revenue 20,000 over 5 wins, average 4,000 counting the 0;
    # 20,000 / 4 = 5,000 when 0 means not entered
    ws = Workspace(build_tiny_workspace(tmp_path / "zero.duckdb"))
    try:
        _add_deal(ws, "DZ", 0)
        assert _won(ws) == (20000.0, 4000.0, 5)
        ctx = context(ws, JAN)
        assert fv.caveat(ctx, "avg_deal_size").endswith(
            '1 of 5 won deals have an amount of 0 and count as 0 here; if 0 means "not '
            'entered" in your CRM, say so on the Data page.'
        )
        assert data_views.zero_amount_check(ctx).summary == (
            "1 of 6 won deals have an amount of 0. Counting them as 0, the average won deal is "
            "$4,000. Counting only the 5 with an amount, it is $4,800. 0 counts as a real "
            "amount now."
        )
        checks_q.set_zero_amount_missing(ws, True)
        assert _won(ws) == (20000.0, 5000.0, 5)
        row = metrics.headline(ws, JAN).loc["overall"]
        assert int(row["won_without_amount"]) == 1
        assert fv.caveat(context(ws, JAN), "avg_deal_size").endswith(
            "1 of 5 won deals have an amount of 0, read as not entered (Data page): averages "
            "count only the deals with an amount."
        )
        assert fv.caveat(context(ws, JAN), "win_rate").count("amount of 0") == 0
        checks_q.set_zero_amount_missing(ws, False)
        assert _won(ws) == (20000.0, 4000.0, 5)
    finally:
        ws.close()


def test_only_zero_amounts_read_as_not_entered_leave_the_average_unknown(tmp_path):
    # every January win of 0: the average is unknown ("—" with its reason), not 0
    ws = Workspace(build_tiny_workspace(tmp_path / "zeros.duckdb"))
    try:
        with ws.transaction() as cur:
            cur.execute("update raw_deals set amount = 0 where outcome = 'won'")
            refresh_lead_facts(cur)  # as every writer of the records does
        checks_q.set_zero_amount_missing(ws, True)
        row = metrics.headline(ws, JAN).loc["overall"]
        assert row["avg_deal_size"] != row["avg_deal_size"]  # NaN
        notes = metrics.notes(row.to_dict(), "overall", JAN)
        assert notes["avg_deal_size"].startswith("4 of 4")
        assert "—" in context(ws, JAN).fmt.money(row["avg_deal_size"])
        summary = data_views.zero_amount_check(context(ws, JAN)).summary
        assert "No won deal has an amount above 0" in summary
    finally:
        ws.close()


# -- the page (one AppTest) ---------------------------------------------------------------------
@pytest.fixture
def _clear_caches() -> Iterator[None]:
    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_the_data_page_shows_the_outlier_rows_and_its_toggle_leaves_them_out(
    ws, monkeypatch: pytest.MonkeyPatch, _clear_caches
):
    path = ws.path
    ws.close()
    monkeypatch.setenv("FLYWHEEL_DB", str(path))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page(str(ROOT / "app_pages" / "data.py")).run()
    assert not at.exception, [e.value for e in at.exception]
    shown = [df.value for df in at.dataframe if "× median" in df.value.columns]
    assert len(shown) == 1 and shown[0]["Deal"].tolist() == ["DX"]
    at.toggle(key="data_exclude_outliers_0").set_value(True).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("1 deal(s) left out of every figure." in s.value for s in at.success)
    from components.ui import state

    page_ws = state._open(str(Path(path).resolve()))
    assert checks_q.excluded_deals(page_ws)["deal_id"].tolist() == ["DX"]
    assert at.toggle(key="data_exclude_outliers_1").value is True  # drawn from the setting
    # the page's change log lists the toggle: nobody signed in here, so "local"
    (log,) = [df.value for df in at.dataframe if "by_user" in df.value.columns]
    assert log.values.tolist()[0][1:] == [
        "local",
        "Leave outlier deals out of every figure",
        "not set",
        "on",
    ]


def test_the_funnel_engines_and_mix_reads_of_raw_deals_leave_the_outlier_out_too(ws):
    # DX (135,000, account ADX, lead L2 created 2025-01-12) is in the queries that read
    # raw_deals directly for speed: the lead cohorts' won amount, the new customers of the
    # engines by quarter and the deal size classes; each loses it when the setting is on
    from queries import engines, funnel, mix

    def figures() -> tuple[float, int, int]:
        wins = funnel.lead_cohort_wins(ws, JAN)
        won_amount = float(wins.groupby("cohort_month")["won_amount"].max().sum())
        quarters = engines.cac_by_quarter(ws, JAN)
        customers = int(quarters[quarters["motion_group"] == "overall"]["new_customers"].sum())
        bins = mix.won_deal_size_bins(ws, JAN)
        return won_amount, customers, int(bins["deals"].sum())

    with_dx = figures()
    checks_q.set_exclude_outliers(ws, True)
    without = figures()
    assert without[0] == with_dx[0] - 135000
    assert without[1] == with_dx[1] - 1
    assert without[2] == with_dx[2] - 1


def test_a_zero_open_amount_read_as_not_entered_is_missing_in_the_open_pipeline(ws):
    # D5 is the tiny workspace's one open deal (7,000); set it to 0: it counts 0 until the
    # setting says 0 means "not entered", then its amount is unknown (NaN, shown "—")
    from queries import funnel

    with ws.transaction() as cur:
        cur.execute("update raw_deals set amount = 0 where deal_id = 'D5'")
    everything = Filters(date(2024, 1, 1), date(2025, 12, 31))
    before = funnel.open_deals_by_stage(ws, everything)
    assert float(before["open_amount"].sum()) == 0
    checks_q.set_zero_amount_missing(ws, True)
    after = funnel.open_deals_by_stage(ws, everything)
    assert after["open_amount"].isna().all() and int(after["count_with_amount"].sum()) == 0
    assert int(after["count_open"].sum()) == int(before["count_open"].sum()) == 1
    # the chart says the pipeline is unknown instead of drawing $0 bars
    spec = fv.open_pipeline(context(ws, everything, "en"))
    assert spec.is_empty and "None of the 1 open deals has an amount" in spec.empty_reason
