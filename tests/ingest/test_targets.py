"""Where each kind lands: which fields feed each stored column, and the one answer to "which
columns does this file not feed" that the checked rows, the preview, an insert and an upsert
share (an upsert keeps their stored values; an insert and the preview read them as nulls)."""

from __future__ import annotations

from pathlib import Path

import pytest

from queries import workspaces
from queries.ingest import engine
from queries.ingest.engine import Choices
from queries.ingest.fields import FIELDS, KINDS, field_names
from queries.ingest.targets import ALWAYS_SET, COLUMNS, KEYS, columns_not_fed, fed_by


@pytest.mark.parametrize("kind", KINDS)
def test_every_stored_column_is_fed_by_fields_of_its_kind(kind):
    names = set(field_names(kind))
    for col in COLUMNS[kind]:
        if col != KEYS[kind] and (kind, col) not in ALWAYS_SET:
            assert set(fed_by(kind, col)) <= names, (kind, col)


@pytest.mark.parametrize("kind", KINDS)
def test_a_field_stored_under_another_name_feeds_that_column(kind):
    for f in FIELDS[kind]:
        if f.table_column and f.table_column in COLUMNS[kind]:
            assert f.name in fed_by(kind, f.table_column), (kind, f.name)


def test_a_deals_file_without_dates_does_not_feed_the_close_date():
    not_fed = columns_not_fed("deals", {"deal_id", "stage", "amount"})
    assert not_fed["closed_at"] == "timestamp"
    assert not_fed["discount_pct"] == "double"
    # The key and the outcome are set in every row; what the file maps is fed.
    assert {"deal_id", "outcome", "stage", "amount"}.isdisjoint(not_fed)


def test_a_won_time_feeds_the_close_date_and_a_status_the_stage():
    not_fed = columns_not_fed("deals", {"name", "status", "won_at", "amount", "email"})
    assert {"closed_at", "stage", "contact_email", "name"}.isdisjoint(not_fed)


def test_a_campaign_account_or_product_without_a_name_takes_its_id():
    assert "name" not in columns_not_fed("campaigns", {"campaign_id", "start_date", "end_date"})
    assert "name" not in columns_not_fed("accounts", {"account_id"})
    assert "name" not in columns_not_fed("products", {"product_id", "list_price"})
    assert "email" in columns_not_fed("reps", {"owner"})


def test_a_spend_row_always_has_a_category():
    assert "category" not in columns_not_fed("spend", {"spent_on", "amount"})


@pytest.fixture
def ws(tmp_path: Path):
    w = workspaces.create_workspace(tmp_path / "own.duckdb")
    yield w
    w.close()


def test_columns_a_file_does_not_feed_are_null_in_preview_and_insert_and_kept_by_upsert(
    ws, tmp_path
):
    first = tmp_path / "products.csv"
    first.write_text("Product ID,Name,Family\nP1,Platform,Software\nP2,Support,Services\n")
    with engine.open_import(ws, first, choices=Choices(kind="products")) as plan:
        report = plan.validate("append")
        assert report.preview["list_price"].isna().all()
        plan.commit("append")
    prices = tmp_path / "prices.csv"
    prices.write_text("Product ID,List Price\nP1,100\nP3,7\n")
    with engine.open_import(ws, prices, choices=Choices(kind="products")) as plan:
        report = plan.validate("upsert")
        # The preview shows what the file gives: no family.
        assert report.preview[["product_id", "family"]].values.tolist() == [
            ["P1", None],
            ["P3", None],
        ]
        plan.commit("upsert")
    cur = ws.cursor()
    try:
        got = cur.execute(
            "select product_id, family, list_price::int from products order by 1"
        ).fetchall()
    finally:
        cur.close()
    # P1 keeps its family and takes the file's price; P2 is untouched; P3 is new.
    assert got == [("P1", "Software", 100), ("P2", "Services", None), ("P3", None, 7)]
