"""deal_metrics_by answered from the period facts kept per day (migration 025) gives the figures
of its live form, which tests/test_deal_metrics_live.py holds to the one-pass oracle and to
hand-computed figures: on the edge deals of that file (no creation or close date, a deal closed
before its creation, amounts of 0 under both readings, an excluded deal, a deal without source
or segment) and on the sample, every kept dimension with every second dimension, the passes
skipped or not, over many periods and filters. Where the kept facts cannot answer (an owner
filter, a dimension they do not keep) the records are read, and the kept form really is read
otherwise (emptied behind the refresh's back, its figures change)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from queries import metrics
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.fixtures import build_tiny_workspace
from tests.test_deal_metrics_live import EDGES, _zero_is_missing
from tests.test_headline_kept import _periods

KEPT_DIMENSIONS = ("segment", "region", "product", "source")
VARIANTS = ((True, True), (False, False), (True, False))  # (with_opportunities, with_cycle)


def _both(
    ws: Workspace, filters: Filters, dimension: str, pair: str | None, variant, fiscal: int = 1
) -> tuple:
    params = {
        **filters.params(),
        "dimension": dimension,
        "pair": pair,
        "fiscal_start_month": fiscal,
        "with_opportunities": variant[0],
        "with_cycle": variant[1],
    }
    live = ws.query("deal_metrics_by", **params, live=True)
    kept = ws.query("deal_metrics_by", **params, live=False)
    return live, kept


def _assert_same(
    ws: Workspace, filters: Filters, dimension: str, pair: str | None, fiscal: int = 1
) -> int:
    rows = 0
    for variant in VARIANTS:
        live, kept = _both(ws, filters, dimension, pair, variant, fiscal)
        label = (filters, dimension, pair, variant, fiscal)
        assert list(live.columns) == list(kept.columns), label
        pd.testing.assert_frame_equal(live, kept, check_dtype=False, rtol=1e-12, obj=str(label))
        rows += len(live)
    return rows


def _edge_workspace(path: Path, tiny: bool = True) -> Workspace:
    """The edge deals, in the tiny workspace (or alone in a new one)."""
    ws = Workspace(build_tiny_workspace(path) if tiny else path)
    with ws.transaction() as cur:
        cur.executemany(
            "insert into raw_deals (deal_id, created_at, closed_at, outcome, amount, product, "
            "segment, region, owner, source, campaign_id, discount_pct, stage, currency) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x', 'USD')",
            EDGES,
        )
        cur.execute("insert into deal_exclusions (deal_id, reason) values ('E8', 'manual')")
        refresh_lead_facts(cur)  # as every writer of the records does
    return ws


@pytest.fixture(scope="module")
def edges(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    ws = _edge_workspace(tmp_path_factory.mktemp("kept-edges") / "edges.duckdb")
    yield ws
    ws.close()


def test_the_kept_form_equals_the_live_one_on_the_edge_deals(edges: Workspace) -> None:
    pairs = (None, *metrics.PAIR_DIMENSIONS)
    rows = 0
    for zero_missing in (False, True):
        _zero_is_missing(edges, zero_missing)
        periods = _periods(date(2024, 11, 1), date(2025, 2, 28), 4, seed=5)
        for i, (start, end) in enumerate(periods):
            for j, filters in enumerate(
                (
                    Filters(start, end),
                    Filters(start, end, segments=("SMB",)),
                    Filters(start, end, regions=("EMEA",), products=("Core",)),
                )
            ):
                # every second dimension in turn, over the periods and filters
                for k, dimension in enumerate(KEPT_DIMENSIONS):
                    pair = pairs[(i + j + k) % len(pairs)]
                    rows += _assert_same(edges, filters, dimension, pair)
    assert rows > 0


def test_hand_figures_with_the_irregular_deal(tmp_path: Path) -> None:
    # the edge deals alone, Core from Webinar: E1 (no creation date) won 4,000 on 15 January;
    # E2 was created on 3 January and lost without a close date (an opportunity, no close);
    # E4 was created on 10 February and won 900 on 20 January, a cycle of -21 days; E8 is
    # excluded. January: E2's opportunity, E1's win (E4 was created after January).
    # January-February: E4 too, its opportunity and its win. February: E4's opportunity, and
    # nothing closed
    ws = _edge_workspace(tmp_path / "alone.duckdb", tiny=False)
    try:
        nan = float("nan")
        for (start, end), want in {
            ((1, 1), (1, 31)): (1, 1, 4000.0, nan),
            ((1, 1), (2, 28)): (2, 2, 4900.0, -21.0),
            ((2, 1), (2, 28)): (1, 0, 0.0, nan),
        }.items():
            filters = Filters(date(2025, *start), date(2025, *end), products=("Core",))
            df = metrics.deal_metrics_by(ws, filters, "source")
            row = df[(df["dimension_value"] == "Webinar") & (df["motion_group"] == "overall")]
            got = tuple(row.iloc[0][["opportunities", "won", "won_amount", "sales_cycle_days"]])
            assert got == pytest.approx(want, nan_ok=True), (start, end)
        assert ws.scalar("select count(*) from kept_irregular_deals") == 1
    finally:
        ws.close()


def test_an_owner_or_an_unkept_dimension_reads_the_records(tmp_path: Path) -> None:
    # the kept facts emptied behind the refresh's back: the figures that read them change,
    # those that must read the records (an owner filter, an unkept dimension) do not
    ws = _edge_workspace(tmp_path / "emptied.duckdb")
    try:
        jan = Filters(date(2025, 1, 1), date(2025, 1, 31))
        owner = Filters(jan.date_from, jan.date_to, owners=("Cy",))
        before = [
            metrics.deal_metrics_by(ws, jan, "product"),
            metrics.deal_metrics_by(ws, owner, "product"),
            metrics.deal_metrics_by(ws, jan, "owner"),
            metrics.deal_metrics_by(ws, jan, "discount_band", opportunities=False, cycle=False),
        ]
        with ws.transaction() as cur:
            for table in ("kept_deal_days", "kept_deal_months", "kept_won_cycles"):
                cur.execute(f"delete from {table}")
        after = [
            metrics.deal_metrics_by(ws, jan, "product"),
            metrics.deal_metrics_by(ws, owner, "product"),
            metrics.deal_metrics_by(ws, jan, "owner"),
            metrics.deal_metrics_by(ws, jan, "discount_band", opportunities=False, cycle=False),
        ]
        # the kept form read the emptied tables: only the irregular deal is left of January
        assert after[0]["won"].sum() < before[0]["won"].sum()
        for old, new in zip(before[1:], after[1:], strict=True):
            pd.testing.assert_frame_equal(old, new)
    finally:
        ws.close()


@pytest.fixture(scope="module")
def sample(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    copy = tmp_path_factory.mktemp("kept-sample") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy, read_only=True)
    yield ws
    ws.close()


def test_the_kept_form_equals_the_live_one_on_the_sample(sample: Workspace) -> None:
    first = sample.scalar("select min(created_at)::date from raw_deals")
    last = sample.scalar("select max(closed_at)::date from raw_deals")
    segment = sample.scalar("select min(segment) from raw_deals")
    product = sample.scalar("select max(product) from raw_deals")
    pairs = (None, *metrics.PAIR_DIMENSIONS)
    rows = 0
    for i, (start, end) in enumerate(_periods(first, last, 6, seed=7)):
        for filters in (
            Filters(start, end),
            Filters(start, end, segments=(segment,), products=(product,)),
        ):
            for dimension in KEPT_DIMENSIONS:
                rows += _assert_same(sample, filters, dimension, pairs[i % len(pairs)])
    assert rows > 0


def test_the_closing_quarters_kept_form_equals_the_live_one(edges: Workspace, sample: Workspace):
    """By closing quarter (the Funnel's pipeline tab), calendar and fiscal (April) quarters,
    both readings of a 0 amount on the edge deals: the kept rows' days give each close its
    quarter, as the live form's closed dates do."""
    first = sample.scalar("select min(created_at)::date from raw_deals")
    last = sample.scalar("select max(closed_at)::date from raw_deals")
    cases = [(edges, date(2024, 10, 1), date(2025, 6, 30), zero) for zero in (False, True)]
    cases.append((sample, first, last, None))  # read-only: its own zero setting
    rows = 0
    try:
        for ws, start_at, end_at, zero in cases:
            if zero is not None:
                _zero_is_missing(ws, zero)
            segment = ws.scalar("select min(segment) from raw_deals")
            for start, end in _periods(start_at, end_at, 4, seed=11):
                for filters in (Filters(start, end), Filters(start, end, segments=(segment,))):
                    for fiscal in (1, 4):
                        rows += _assert_same(ws, filters, "closed_quarter", None, fiscal)
    finally:
        _zero_is_missing(edges, False)
    assert rows > 20
