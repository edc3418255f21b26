"""Issue 18: deal_metrics_by reads raw_deals in a pass per date (created, closed, won) instead
of one pass over the `deals` view; it must answer exactly as the one-pass form it replaced
(tests/data/sql/deal_metrics_by_one_pass.sql), on the sample and on a tiny workspace holding
every edge: deals without a creation or close date, an excluded deal, amounts of 0 with the
zero_amount_is_missing setting on and off, a deal created after it closed, a deal without a
source or segment, a source without a motion, discounts in every band, and sidebar filters.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from queries import metrics
from queries.filters import Filters
from queries.workspace import Workspace
from tests.fixtures import build_tiny_workspace

ONE_PASS = (Path(__file__).parent / "data" / "sql" / "deal_metrics_by_one_pass.sql").read_text()

# deal_id, created_at, closed_at, outcome, amount, product, segment, region, owner, source,
# campaign_id, discount_pct: January 2025 is the period; owner Cy is on none of the tiny
# workspace's deals, so Cy's figures are these rows' alone (test_hand_figures)
EDGES = [
    ("E1", None, "2025-01-15", "won", 4000, "Core", "SMB", "EMEA", "Cy", "Webinar", "C1", 0),
    ("E2", "2025-01-03", None, "lost", 500, "Core", "SMB", "EMEA", "Ann", "Webinar", None, 3),
    ("E3", "2025-01-04", "2025-01-25", "won", 0, "Plus", "SMB", "EMEA", "Cy", "Outbound", None, 7),
    (
        "E4",
        "2025-02-10",
        "2025-01-20",
        "won",
        900,
        "Core",
        "SMB",
        "EMEA",
        "Cy",
        "Webinar",
        None,
        12,
    ),
    ("E5", "2025-01-08", "2025-01-28", "won", 1200, "Core", None, "EMEA", "Cy", None, None, 18),
    ("E6", "2025-01-09", "2025-01-29", "lost", 800, "Plus", "SMB", None, "Cy", "Fair", None, 25),
    (
        "E7",
        "2024-12-01",
        "2025-01-30",
        "won",
        2500,
        None,
        "Enterprise",
        "EMEA",
        "Bob",
        "Fair",
        "C2",
        40,
    ),
    (
        "E8",
        "2025-01-12",
        "2025-01-22",
        "won",
        70000,
        "Core",
        "SMB",
        "EMEA",
        "Cy",
        "Webinar",
        None,
        None,
    ),
    ("E9", "2025-01-02", None, "open", 0, "Core", "SMB", "EMEA", "Ann", "Outbound", None, None),
    (
        "E10",
        "2025-01-02",
        "2025-01-06",
        "won",
        None,
        "Plus",
        "SMB",
        "EMEA",
        "Bob",
        "Paid Search",
        None,
        5,
    ),
    (
        "E11",
        "2025-01-31 23:00",
        "2025-02-01",
        "lost",
        100,
        "Core",
        "SMB",
        "EMEA",
        "Ann",
        "Outbound",
        None,
        0,
    ),
]
JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
FILTERS = [
    JAN,
    Filters(date(2024, 11, 1), date(2025, 2, 28)),
    Filters(date(2025, 1, 10), date(2025, 1, 24)),
    Filters(JAN.date_from, JAN.date_to, segments=("SMB",)),
    Filters(JAN.date_from, JAN.date_to, regions=("EMEA",), products=("Core",)),
    Filters(JAN.date_from, JAN.date_to, owners=("Ann", "Cy")),
]


def _one_pass(ws: Workspace, params: dict[str, object]) -> pd.DataFrame:
    cur = ws.cursor()
    try:
        # the parameters the one-pass form reads (it has no closed_only)
        return cur.execute(ONE_PASS, {k: v for k, v in params.items() if f"${k}" in ONE_PASS}).df()
    finally:
        cur.close()


def _assert_same(ws: Workspace, filters: Filters, dimension: str, pair: str | None) -> int:
    params = {
        **filters.params(),
        "dimension": dimension,
        "pair": pair,
        "fiscal_start_month": 4,
        "with_opportunities": True,
        "with_cycle": True,
        "live": True,  # the records, not the kept facts (tests/test_deal_metrics_kept.py)
    }
    new = ws.query("deal_metrics_by", **params)
    old = _one_pass(ws, params)
    assert list(new.columns) == list(old.columns)
    pd.testing.assert_frame_equal(new, old, check_dtype=False, rtol=1e-12)
    # without opportunities and cycle: the same closed-deal figures, on the rows with a closed
    # deal; without the cycle only: every row, the cycle null
    closed = ws.query(
        "deal_metrics_by", **{**params, "with_opportunities": False, "with_cycle": False}
    )
    assert (closed["opportunities"] == 0).all() and closed["sales_cycle_days"].isna().all()
    keep = old[old["won"] + old["lost"] > 0].drop(columns=["opportunities", "sales_cycle_days"])
    pd.testing.assert_frame_equal(
        closed.drop(columns=["opportunities", "sales_cycle_days"]),
        keep.reset_index(drop=True),
        check_dtype=False,
        rtol=1e-12,
    )
    no_cycle = ws.query("deal_metrics_by", **{**params, "with_cycle": False})
    assert no_cycle["sales_cycle_days"].isna().all()
    pd.testing.assert_frame_equal(
        no_cycle.drop(columns="sales_cycle_days"),
        old.drop(columns="sales_cycle_days"),
        check_dtype=False,
        rtol=1e-12,
    )
    return len(new)


@pytest.fixture(scope="module")
def edges_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = build_tiny_workspace(tmp_path_factory.mktemp("edges") / "edges.duckdb")
    ws = Workspace(path)
    try:
        with ws.transaction() as cur:
            cur.executemany(
                "insert into raw_deals (deal_id, created_at, closed_at, outcome, amount, product, "
                "segment, region, owner, source, campaign_id, discount_pct, stage, currency) "
                "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x', 'USD')",
                EDGES,
            )
            # left out of every figure (migration 016); set after the refresh, which is not run
            cur.execute("update raw_deals set is_excluded = true where deal_id = 'E8'")
    finally:
        ws.close()
    return path


@pytest.fixture(scope="module")
def edges(edges_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    copy = tmp_path_factory.mktemp("edges-copy") / "edges.duckdb"
    shutil.copy(edges_path, copy)
    ws = Workspace(copy)
    yield ws
    ws.close()


def _zero_is_missing(ws: Workspace, on: bool) -> None:
    with ws.transaction() as cur:
        cur.execute("delete from settings where key = 'zero_amount_is_missing'")
        cur.execute(
            "insert into settings values ('zero_amount_is_missing', ?)", ["1" if on else "0"]
        )


@pytest.mark.parametrize("zero_missing", [False, True], ids=["zero_is_zero", "zero_is_missing"])
def test_hand_figures(edges: Workspace, zero_missing: bool) -> None:
    """Cy's January by product, by hand: E8 is excluded; E4 was created after January, so it
    counts in none of January's figures; E1 has no creation date (a win, no opportunity, no
    cycle); E3's amount of 0 is an amount only while the setting says 0 is not missing."""
    _zero_is_missing(edges, zero_missing)
    df = metrics.deal_metrics_by(
        edges, Filters(JAN.date_from, JAN.date_to, owners=("Cy",)), "product"
    )
    got = {
        (r.dimension_value, r.motion_group): (
            r.opportunities,
            r.won,
            r.lost,
            r.won_amount,
            r.avg_deal_size,
            r.sales_cycle_days,
        )
        for r in df.itertuples()
    }
    nan = float("nan")
    plus_avg = nan if zero_missing else 0.0
    expected = {
        ("Core", "overall"): (1, 2, 0, 5200.0, 2600.0, 20.0),
        ("Core", "pull"): (0, 1, 0, 4000.0, 4000.0, nan),
        ("Core", "unmapped"): (1, 1, 0, 1200.0, 1200.0, 20.0),
        ("Plus", "overall"): (2, 1, 1, 0.0, plus_avg, 21.0),
        ("Plus", "push"): (1, 1, 0, 0.0, plus_avg, 21.0),
        ("Plus", "unmapped"): (1, 0, 1, 0.0, nan, nan),
    }
    assert got.keys() == expected.keys()
    for key, want in expected.items():
        assert got[key] == pytest.approx(want, nan_ok=True), key


def test_same_as_one_pass_on_edges(edges: Workspace) -> None:
    """Every dimension under every filter, a second dimension in turn (none, then each), both
    readings of an amount of 0."""
    pairs = (None, *metrics.PAIR_DIMENSIONS)
    rows = 0
    for zero_missing in (False, True):
        _zero_is_missing(edges, zero_missing)
        for dimension in metrics.DEAL_DIMENSIONS:
            for i, filters in enumerate(FILTERS):
                rows += _assert_same(edges, filters, dimension, pairs[i % len(pairs)])
    assert rows > 0


@pytest.fixture(scope="module")
def sample(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    copy = tmp_path_factory.mktemp("live") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy, read_only=True)
    yield ws
    ws.close()


def test_same_as_one_pass_on_the_sample(sample: Workspace) -> None:
    last = sample.scalar("select max(closed_at)::date from raw_deals")
    year = Filters(date(last.year - 1, last.month, 1), last)
    segment = sample.scalar("select min(segment) from raw_deals")
    rows = 0
    for dimension in metrics.DEAL_DIMENSIONS:
        rows += _assert_same(sample, year, dimension, None)
        filtered = Filters(year.date_from, last, segments=(segment,))
        rows += _assert_same(sample, filtered, dimension, "product")
    assert rows > 0
