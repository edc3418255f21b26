"""The headline answered from the period facts kept per day (migration 025) gives the live
query's figures: on hand-made edge deals whose figures are computed by hand here, on many
periods and filters of the sample and of the edge workspace (every column compared), and the
kept rows equal their macros after writes. Where the kept facts cannot answer (an owner filter,
an MQL definition by score) the live query runs."""

from __future__ import annotations

import random
import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planning.handoff import MqlDefinition
from queries import data_checks, metrics
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.fixtures import build_tiny_workspace

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
EDGE = replace(JAN, segments=("Edge",))

KEPT = {
    "kept_lead_days": "lead_days_now()",
    "kept_lead_totals": "lead_totals_now()",
    "kept_activity_range": "activity_range_now()",
    "kept_deal_days": "deal_days_now()",
    "kept_deal_months": "deal_months_now()",
    "kept_lead_months": "lead_months_now()",
    "kept_won_cycles": "won_cycles_now()",
    "kept_first_wins": "first_wins_now()",
    "kept_customer_firsts": "customer_firsts_now()",
    "kept_deal_totals": "deal_totals_now()",
    "kept_irregular_deals": "irregular_deals_now()",
}

# deal_id, account, created_at, closed_at, outcome, amount, product, source: all in segment
# Edge, so the figures under that filter are these deals' alone
EDGE_DEALS = [
    # regular: won in January after 10 days; the customer's first win
    ("E1", "AE1", "2025-01-02 10:00", "2025-01-12 10:00", "won", 3000, "Core", "Outbound"),
    # irregular (closed before created), both in January: a January win (created by its end)
    ("E2", "AE2", "2025-01-25", "2025-01-10", "won", 500, "Core", "Outbound"),
    # irregular, created after January: not a January win, though it closed then
    ("E3", "AE3", "2025-02-05", "2025-01-20", "won", 700, "Core", "Webinar"),
    # irregular, created in January, closed in December: left out of January (closed before)
    ("E4", "AE4", "2025-01-15", "2024-12-20", "lost", 100, "Core", "Outbound"),
    # closed without a close date: counts nowhere, but it is an opportunity created in January
    ("E5", "AE5", "2025-01-03", None, "lost", 50, "Core", "Outbound"),
    # open without a created date: open at no period's end
    ("E6", "AE6", None, None, "open", 900, "Core", "Outbound"),
    # won with 0: a won deal without an amount under zero_amount_is_missing
    ("E7", "AE7", "2025-01-05", "2025-01-20", "won", 0, "Core", "Webinar"),
    # open across January's end, created in December; and one opened and closed in January
    ("E8", "AE8", "2024-12-15", None, "open", 2000, "Core", "Webinar"),
    ("E9", "AE9", "2025-01-06", "2025-01-07", "lost", 10, "Core", "Webinar"),
    # a customer won first in December in another product, then in January: not new in
    # January, unless the filter keeps the January product only
    ("E10", "AEX", "2024-12-01", "2024-12-10", "won", 40, "Plus", "Outbound"),
    ("E11", "AEX", "2025-01-08", "2025-01-18", "won", 60, "Core", "Webinar"),
    # left out (deal_exclusions): in no figure
    ("E12", "AE12", "2025-01-04", "2025-01-09", "won", 99999, "Core", "Outbound"),
]


def _edge_workspace(path: Path) -> Workspace:
    ws = Workspace(build_tiny_workspace(path))
    with ws.transaction() as cur:
        cur.executemany(
            "insert into raw_deals (deal_id, account, created_at, closed_at, outcome, amount, "
            "product, source, segment, region, stage, currency) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, 'Edge', 'X', 'stage', 'USD')",
            EDGE_DEALS,
        )
        cur.execute("insert into deal_exclusions (deal_id, reason) values ('E12', 'manual')")
        refresh_lead_facts(cur)  # as every writer of the records does
    return ws


@pytest.fixture(scope="module")
def edge_ws(tmp_path_factory) -> Workspace:
    ws = _edge_workspace(tmp_path_factory.mktemp("edge") / "edge.duckdb")
    yield ws
    ws.close()


def _both(ws: Workspace, filters: Filters) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The headline from the scans of the records, and from the kept facts."""
    params = dict(**filters.params(), **MqlDefinition().params(), pull_share_of_sales=0.25)
    live = ws.query("headline_metrics", **params, live=True).set_index("motion_group")
    kept = ws.query("headline_metrics", **params, live=False).set_index("motion_group")
    return live, kept


def _assert_same(live: pd.DataFrame, kept: pd.DataFrame, label: object) -> None:
    def shown(df: pd.DataFrame) -> pd.DataFrame:
        # a group beyond overall/pull/push with nothing counted is dropped by headline()
        counted = ["leads", "opportunities", "won", "lost", "open_opportunities", "new_customers"]
        keep = [g for g in df.index if g in metrics.MOTION_GROUPS or df.loc[g, counted].any()]
        return df.loc[sorted(keep)]

    live, kept = shown(live), shown(kept)
    assert list(live.index) == list(kept.index), label
    assert list(live.columns) == list(kept.columns), label
    for column in live.columns:
        a, b = live[column], kept[column]
        if a.dtype.kind in "biuf" or b.dtype.kind in "biuf":
            same = np.allclose(
                a.astype(float), b.astype(float), rtol=1e-9, atol=1e-6, equal_nan=True
            )
        else:
            same = list(a) == list(b)
        assert same, (label, column, list(a), list(b))


def test_the_edge_deals_figures_computed_by_hand(edge_ws):
    head = metrics.headline(edge_ws, EDGE)
    overall, push, pull = head.loc["overall"], head.loc["push"], head.loc["pull"]
    # created in January: E1, E5, E7, E9, E11 and E2 (irregular, closed in January); not E4
    # (closed in December, before the period), nor E12 (left out)
    assert overall["opportunities"] == 6
    # won in January: E1, E2, E7, E11; not E3 (created after January), nor E12
    assert overall["won"] == 4 and push["won"] == 2 and pull["won"] == 2
    assert overall["lost"] == 1  # E9; E4 closed in December, E5 has no close date
    assert overall["won_amount"] == pytest.approx(3000 + 500 + 0 + 60)
    assert overall["avg_deal_size"] == pytest.approx(3560 / 4)
    # cycles in days: E1 10, E2 -15, E7 15, E11 10: the median of four is (10 + 10) / 2
    assert overall["sales_cycle_days"] == pytest.approx(10.0)
    # open on 31 January: E8 (created in December); not E6 (no created date), nor E9
    assert overall["open_opportunities"] == 1 and pull["open_opportunities"] == 1
    assert overall["open_pipeline_amount"] == pytest.approx(2000)
    # new in January: AE1, AE2, AE7; not AEX (won first in December), nor AE3
    assert overall["new_customers"] == 3 and push["new_customers"] == 2
    # the customer AEX is new in January when only the product of its January win counts
    core = metrics.headline(edge_ws, replace(EDGE, products=("Core",)))
    assert core.loc["overall", "new_customers"] == 4
    assert core.loc["pull", "new_customers"] == 2  # AE7 and AEX (its Core win is Webinar's)
    # deals carrying their dates, whatever the period: 11 counted (E12 left out), 10 created
    assert overall["deal_total"] == 11 and overall["deals_dated"] == 10


def test_zero_amounts_read_as_missing_leave_the_won_deal_without_an_amount(tmp_path):
    ws = _edge_workspace(tmp_path / "zeros.duckdb")
    try:
        data_checks.set_zero_amount_missing(ws, True)
        overall = metrics.headline(ws, EDGE).loc["overall"]
        live, kept = _both(ws, EDGE)
    finally:
        ws.close()
    assert overall["won_without_amount"] == 1  # E7
    assert overall["avg_deal_size"] == pytest.approx(3560 / 3)
    _assert_same(live, kept, "zero amounts missing")


def _periods(first: date, last: date, count: int, seed: int) -> list[tuple[date, date]]:
    rng = random.Random(seed)
    span = (last - first).days
    out = []
    for _ in range(count):
        start = first + timedelta(days=rng.randint(-40, span))
        out.append((start, start + timedelta(days=rng.choice([0, 6, 30, 91, 364, 3000]))))
    return out


def test_every_figure_equals_the_live_query_on_the_edge_deals(edge_ws):
    for start, end in _periods(date(2024, 11, 1), date(2025, 3, 1), 10, seed=3):
        for filters in (
            Filters(start, end),
            Filters(start, end, segments=("Edge",)),
            Filters(start, end, segments=("Edge", "SMB"), products=("Core",)),
        ):
            _assert_same(*_both(edge_ws, filters), filters)


@pytest.fixture(scope="module")
def sample_copy(sample_path: Path, tmp_path_factory) -> Path:
    """The sample company in a file of its own: an app test in this process may hold the
    original open read-write, and DuckDB opens one file with one configuration."""
    where = tmp_path_factory.mktemp("headline_kept_sample") / "sample.duckdb"
    shutil.copy(sample_path, where)
    return where


def test_every_figure_equals_the_live_query_on_the_sample(sample_copy: Path):
    ws = Workspace(sample_copy, read_only=True)
    try:
        options = ws.query("filter_options")
        values = {d: sorted(g["value"]) for d, g in options.groupby("dimension")}
        rng = random.Random(11)
        for start, end in _periods(date(2023, 11, 1), date(2026, 10, 31), 12, seed=5):
            filters = Filters(
                start,
                end,
                segments=tuple(rng.sample(values["segment"], rng.choice([0, 1, 2]))),
                regions=tuple(rng.sample(values["region"], rng.choice([0, 0, 1]))),
                products=tuple(rng.sample(values["product"], rng.choice([0, 0, 1]))),
            )
            _assert_same(*_both(ws, filters), filters)
    finally:
        ws.close()


def _months(ws: Workspace, filters: Filters, live: bool) -> pd.DataFrame:
    df = ws.query("won_revenue_by_month", **filters.params(), live=live)
    return df.sort_values(["month", "motion"]).reset_index(drop=True)


def test_won_revenue_by_month_from_the_kept_facts_equals_the_live_query(edge_ws, sample_copy):
    january = _months(edge_ws, EDGE, live=False)
    # E1, E2 (Outbound, push) and E7, E11 (Webinar, pull) won in January; E3 closed there too
    # (this chart counts every win by its close date)
    assert january.set_index("motion")["won"].to_dict() == {"pull": 3, "push": 2}
    assert january.set_index("motion")["won_amount"].to_dict() == {"pull": 760, "push": 3500}
    sample = Workspace(sample_copy, read_only=True)
    try:
        for ws, first, last in (
            (edge_ws, date(2024, 11, 1), date(2025, 3, 1)),
            (sample, date(2023, 11, 1), date(2026, 10, 31)),
        ):
            for start, end in _periods(first, last, 6, seed=2):
                for filters in (Filters(start, end), Filters(start, end, segments=("Edge",))):
                    pd.testing.assert_frame_equal(
                        _months(ws, filters, live=True), _months(ws, filters, live=False)
                    )
    finally:
        sample.close()


def test_the_kept_rows_equal_their_macros_after_writes(tmp_path):
    ws = _edge_workspace(tmp_path / "writes.duckdb")
    try:
        cur = ws.cursor()

        def same(irregular_deals: int) -> None:
            for table, now in KEPT.items():
                extra = cur.execute(f"select * from {table} except all select * from {now}")
                assert extra.fetchall() == [], table
                lost = cur.execute(f"select * from {now} except all select * from {table}")
                assert lost.fetchall() == [], table
            irregular = cur.execute("select count(*) from kept_irregular_deals").fetchone()[0]
            assert irregular == irregular_deals

        same(3)  # E2, E3, E4
        data_checks.set_exclude_outliers(ws, True)
        same(3)
        with ws.transaction() as w:
            w.execute("update raw_deals set closed_at = '2025-02-10' where deal_id = 'E3'")
            w.execute("delete from raw_leads where lead_id = 'L1'")
            refresh_lead_facts(w)
        same(2)  # E3 now closes after its creation
        cur.close()
    finally:
        ws.close()


def test_an_owner_filter_or_a_score_definition_reads_the_records_not_the_kept_facts(tmp_path):
    # the kept facts emptied behind the refresh's back: the figures that read them change,
    # those that must scan the records (an owner filter, MQLs by score) do not
    ws = _edge_workspace(tmp_path / "emptied.duckdb")
    try:
        owner = replace(JAN, owners=("Ana",))
        score = MqlDefinition("score", 50.0)
        before = [
            metrics.headline(ws, JAN),
            metrics.headline(ws, owner),
            metrics.headline(ws, JAN, mql=score),
        ]
        with ws.transaction() as cur:
            for table in ("kept_lead_days", "kept_lead_months", "kept_deal_days"):
                cur.execute(f"delete from {table}")
            cur.execute("delete from kept_deal_months")
        after = [
            metrics.headline(ws, JAN),
            metrics.headline(ws, owner),
            metrics.headline(ws, JAN, mql=score),
        ]
    finally:
        ws.close()
    assert before[0].loc["overall", "leads"] > 0 and after[0].loc["overall", "leads"] == 0
    pd.testing.assert_frame_equal(before[1], after[1])
    pd.testing.assert_frame_equal(before[2], after[2])


def _macro_body(migration: str, name: str) -> str:
    """A table macro's query as a migration file wrote it."""
    text = (Path(__file__).parent.parent / "queries" / "migrations" / migration).read_text()
    start = text.index(f"create macro {name}() as table\n") + len(
        f"create macro {name}() as table\n"
    )
    return text[start : text.index(";\n", start)]


def test_the_macros_029_replaced_give_the_rows_of_their_025_forms(tmp_path):
    # 029 rewrote deal_days_now and first_wins_now for speed; 025's forms, read from its file,
    # are the oracle. Added to the edge deals: a customer with a regular win in one product and
    # an irregular win in another (each group of its first wins says the customer has one), and
    # one whose only win is irregular (no first-win row)
    ws = _edge_workspace(tmp_path / "macros.duckdb")
    try:
        with ws.transaction() as cur:
            cur.executemany(
                "insert into raw_deals (deal_id, account, created_at, closed_at, outcome, amount, "
                "product, source, segment, region, stage, currency) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, 'Edge', 'X', 'stage', 'USD')",
                [
                    ("Y1", "AEY", "2025-01-02", "2025-01-09", "won", 10, "Core", "Outbound"),
                    ("Y2", "AEY", "2025-01-20", "2025-01-05", "won", 20, "Plus", "Webinar"),
                    ("Z1", "AEZ", "2025-01-20", "2025-01-05", "won", 30, "Core", "Webinar"),
                ],
            )
            refresh_lead_facts(cur)
        cur = ws.cursor()
        for name in ("deal_days_now", "first_wins_now"):
            # 030 then took the first win's source as it is, null included (arg_min_null)
            old = _macro_body("025_kept_period_facts.sql", name).replace(
                "arg_min(", "arg_min_null("
            )
            now = f"select * from {name}()"
            assert cur.execute(f"{now} except all ({old})").fetchall() == [], name
            assert cur.execute(f"({old}) except all {now}").fetchall() == [], name
        firsts = cur.execute(
            "select customer_key, product, has_irregular from first_wins_now() "
            "where customer_key in ('AEY', 'AEZ', 'AE1') order by all"
        ).fetchall()
        assert firsts == [("AE1", "Core", False), ("AEY", "Core", True)]
        cur.close()
    finally:
        ws.close()


def test_a_new_customer_belongs_to_the_motion_of_its_first_win_even_without_one(tmp_path):
    """Migration 030: a customer whose first win has a source without a motion, or no source,
    is a new unmapped customer, not one of the motion of a later win (arg_min skipped such a
    first win: the live form credited pull twice, the kept form once). Hand-computed, in both
    forms and in the CAC by quarter."""
    from queries import engines

    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    try:
        with ws.transaction() as cur:
            cur.execute(
                "insert into raw_deals (deal_id, account, created_at, closed_at, outcome, amount, "
                "source, segment, stage, currency) values "
                "('Z1', 'ACME-Z', '2025-06-01', '2025-07-05', 'won', 100, 'No motion', 'Zeta',"
                " 'x', 'USD'),"
                "('Z2', 'ACME-Z', '2025-06-02', '2025-07-20', 'won', 100, 'Webinar', 'Zeta',"
                " 'x', 'USD'),"
                "('Z3', 'ACME-Y', '2025-06-01', '2025-07-06', 'won', 100, null, 'Zeta',"
                " 'x', 'USD'),"
                "('Z4', 'ACME-Y', '2025-06-02', '2025-07-21', 'won', 100, 'Webinar', 'Zeta',"
                " 'x', 'USD')"
            )
            refresh_lead_facts(cur)
        july = Filters(date(2025, 7, 1), date(2025, 7, 31))
        # without a filter (the customers' first wins of all) and with one (their first wins
        # of the segment, looked up per customer)
        for filters in (july, Filters(july.date_from, july.date_to, segments=("Zeta",))):
            live, kept = _both(ws, filters)
            for df in (live, kept):
                new = df["new_customers"]
                assert (new["overall"], new["pull"], new["unmapped"]) == (2, 0, 2)
        by_quarter = engines.cac_by_quarter(ws, july).set_index("motion_group")["new_customers"]
        assert by_quarter.to_dict() == {"overall": 2, "unmapped": 2}
    finally:
        ws.close()
