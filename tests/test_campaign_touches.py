"""The sample company's touches (sample_data/touches.py): deterministic, drawn from a stream of
their own (so the other tables are those of before), and following the rules of PARAMETERS.md."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from sample_data.generator import generate

MIGRATIONS = Path(__file__).resolve().parent.parent / "queries" / "migrations"


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate(1.0)


def test_touches_are_deterministic_and_change_with_the_seed(frames: dict[str, pd.DataFrame]):
    pd.testing.assert_frame_equal(frames["touches"], generate(1.0)["touches"], check_exact=True)
    assert not frames["touches"].equals(generate(1.0, seed=7)["touches"])


def test_touches_match_the_migration_columns(frames: dict[str, pd.DataFrame]):
    con = duckdb.connect()
    con.execute((MIGRATIONS / "001_contract.sql").read_text())
    con.execute((MIGRATIONS / "007_campaign_plans.sql").read_text())
    ddl = [r[0] for r in con.execute("describe touches").fetchall()]
    assert list(frames["touches"].columns) == ddl
    con.register("df", frames["touches"])
    con.execute("insert into touches by name select * from df")
    assert con.execute("select count(*) from touches").fetchone() == (len(frames["touches"]),)


def test_every_lead_has_one_touch_at_its_creation_with_its_own_campaign(
    frames: dict[str, pd.DataFrame],
):
    t, leads = frames["touches"], frames["raw_leads"]
    origin = t[t["touch_type"] == "lead_created"].set_index("lead_id")
    assert len(origin) == len(leads) and origin.index.is_unique
    leads = leads.set_index("lead_id").loc[origin.index]
    assert (origin["touched_at"] == leads["created_at"]).all()
    assert (origin["channel"] == leads["source"]).all()
    assert origin["campaign_id"].fillna("-").equals(leads["campaign_id"].fillna("-"))


def test_touches_stay_in_the_window_and_before_the_deal(frames: dict[str, pd.DataFrame]):
    t, deals = frames["touches"], frames["raw_deals"]
    assert t["touched_at"].min() >= pd.Timestamp("2023-11-01")
    assert t["touched_at"].max() < pd.Timestamp("2026-11-01")
    assert t["touch_id"].is_unique and t["touched_at"].is_monotonic_increasing
    with_deal = t[t["deal_id"].notna()].merge(
        deals[["deal_id", "lead_id", "created_at"]], on="deal_id", suffixes=("", "_deal")
    )
    assert (with_deal["lead_id"] == with_deal["lead_id_deal"]).all()
    assert (with_deal["touched_at"] <= with_deal["created_at"]).all()


def test_campaign_touches_fall_on_a_day_the_campaign_runs(frames: dict[str, pd.DataFrame]):
    t, camp = frames["touches"], frames["campaigns"]
    extra = t[(t["touch_type"] != "lead_created") & t["campaign_id"].notna()].merge(
        camp[["campaign_id", "start_date", "end_date", "channel"]],
        on="campaign_id",
        suffixes=("", "_campaign"),
    )
    assert len(extra) > 1000
    day = extra["touched_at"].dt.normalize()
    assert ((day >= extra["start_date"]) & (day <= extra["end_date"])).all()
    assert (extra["channel"] == extra["channel_campaign"]).all()


def test_most_deals_have_a_multi_touch_path(frames: dict[str, pd.DataFrame]):
    t = frames["touches"]
    per_deal = t[t["deal_id"].notna()].groupby("deal_id").size()
    assert (per_deal > 1).mean() > 0.8
    assert set(t["touch_type"]) == {"before_lead", "lead_created", "nurture"}
