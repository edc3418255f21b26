"""The one-pass evidence queries (deal_metrics_by with a second dimension, ``pair``) give the
same figures as one call per product or segment."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from queries import metrics, mix
from queries.filters import Filters
from queries.workspace import Workspace
from tests.test_mix import mix_path  # noqa: F401 - the workspace with discounts


@pytest.fixture
def ws(mix_path: Path) -> Iterator[Workspace]:  # noqa: F811
    w = Workspace(mix_path, read_only=True)
    yield w
    w.close()


PERIOD = Filters(date(2024, 10, 1), date(2025, 2, 28))


def _trend_one_call_per_product(ws: Workspace, names: tuple[str, ...]) -> pd.DataFrame:
    frames = []
    for name in names:
        q = metrics.deal_metrics_by(ws, replace(PERIOD, products=(name,)), "closed_quarter")
        q = q[q["motion_group"] == "overall"]
        frames.append(q.rename(columns={"dimension_value": "quarter"}).assign(product=name))
    return pd.concat(frames, ignore_index=True)


def _grid_one_call_per_segment(ws: Workspace) -> pd.DataFrame:
    frames = []
    for segment in ("Enterprise", "SMB"):
        part = metrics.deal_metrics_by(ws, replace(PERIOD, segments=(segment,)), "region")
        part = part[part["motion_group"] == "overall"]
        frames.append(part.rename(columns={"dimension_value": "region"}).assign(segment=segment))
    return pd.concat(frames, ignore_index=True)


def test_one_pass_trend_and_grid_equal_one_call_per_product_and_segment(ws):
    trend = mix.product_trend(ws, PERIOD, ("Core", "Plus"))
    loop = _trend_one_call_per_product(ws, ("Core", "Plus"))
    assert not trend.empty
    key = ["product", "quarter"]
    for col in ("won_amount", "won", "lost", "win_rate"):
        a = trend.sort_values(key)[col].astype(float).reset_index(drop=True)
        b = loop.sort_values(key)[col].astype(float).reset_index(drop=True)
        pd.testing.assert_series_equal(a, b, check_names=False)
    grid = mix.place_grid(ws, PERIOD)
    loop = _grid_one_call_per_segment(ws)
    key = ["region", "segment"]
    for col in ("won", "lost", "win_rate", "won_amount"):
        a = grid.sort_values(key)[col].astype(float).reset_index(drop=True)
        b = loop.sort_values(key)[col].astype(float).reset_index(drop=True)
        pd.testing.assert_series_equal(a, b, check_names=False)


def test_an_unknown_pair_is_refused(ws):
    with pytest.raises(ValueError, match="unknown pair"):
        metrics.deal_metrics_by(ws, PERIOD, "region", pair="owner; drop table deals")


def test_without_a_pair_deal_metrics_by_is_unchanged(ws):
    before = mix.by_dimension(ws, PERIOD, "segment")
    assert before["pair_value"].isna().all() if "pair_value" in before else True
    assert set(before["segment"].dropna()) == {"Enterprise", "SMB"}
