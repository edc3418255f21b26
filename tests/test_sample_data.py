"""The sample company generator: determinism, the DDL contract, sizes, and the thesis."""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from sample_data.generator import TRUE_PARAMETERS, generate

MIGRATION = Path(__file__).resolve().parent.parent / "queries" / "migrations" / "001_contract.sql"
TABLES = (
    "raw_leads",
    "raw_deals",
    "campaigns",
    "spend",
    "source_motion",
    "sales_reps",
    "market_segments",
    "competitors",
)
JOURNEY = {"awareness", "consideration", "purchase", "loyalty", "advocacy"}


@pytest.fixture(scope="module")
def frames() -> dict[str, pd.DataFrame]:
    return generate(1.0)


@pytest.fixture(scope="module")
def deals(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    motion = dict(
        zip(frames["source_motion"]["source"], frames["source_motion"]["motion"], strict=True)
    )
    d = frames["raw_deals"].copy()
    d["motion"] = d["source"].map(motion)
    return d


def _win_rate(d: pd.DataFrame) -> float:
    closed = d[d["outcome"] != "open"]
    return float((closed["outcome"] == "won").mean())


def _cycle_days(d: pd.DataFrame) -> float:
    won = d[d["outcome"] == "won"]
    return float((won["closed_at"] - won["created_at"]).dt.total_seconds().median() / 86_400)


def test_same_seed_same_frames_other_seed_differs(frames: dict[str, pd.DataFrame]) -> None:
    again = generate(1.0)
    for name in TABLES:
        pd.testing.assert_frame_equal(frames[name], again[name], check_exact=True)
    other = generate(1.0, seed=7)
    assert not frames["raw_leads"].equals(other["raw_leads"])
    assert not frames["raw_deals"].equals(other["raw_deals"])
    assert not frames["spend"].equals(other["spend"])


def test_frames_match_the_ddl_and_insert(frames: dict[str, pd.DataFrame]) -> None:
    con = duckdb.connect()
    con.execute(MIGRATION.read_text())
    for name in TABLES:
        ddl = [r[0] for r in con.execute(f"describe {name}").fetchall()]
        df = frames[name]
        assert list(df.columns) == ddl, name
        con.register("df", df)
        con.execute(f"insert into {name} by name select * from df")
        con.unregister("df")
        assert con.execute(f"select count(*) from {name}").fetchone() == (len(df),)
    # the contract views resolve every row's motion, and import_id stays null
    assert con.execute("select count(*) from leads where motion is null").fetchone() == (0,)
    assert con.execute("select count(*) from deals where motion is null").fetchone() == (0,)
    assert con.execute("select count(import_id) from raw_leads").fetchone() == (0,)
    # money keeps cents: decimal(18,2) round-trips the float amounts
    total = con.execute("select sum(amount)::double from spend").fetchone()
    assert total is not None and total[0] == pytest.approx(frames["spend"]["amount"].sum())


def test_sizes_near_targets(frames: dict[str, pd.DataFrame]) -> None:
    assert 22_000 <= len(frames["raw_leads"]) <= 28_000
    assert 2_700 <= len(frames["raw_deals"]) <= 3_300
    assert len(frames["campaigns"]) >= 60
    assert 20 <= frames["sales_reps"]["left_on"].isna().sum() <= 40  # owners active at END
    assert set(frames["campaigns"]["status"]) == {"completed", "active", "planned"}
    planned = frames["campaigns"][frames["campaigns"]["status"] == "planned"]
    assert planned["start_date"].min() >= pd.Timestamp("2026-11-01")
    assert planned["start_date"].max() <= pd.Timestamp("2027-03-31")


def test_fixed_window_and_timestamp_order(frames: dict[str, pd.DataFrame]) -> None:
    leads, d = frames["raw_leads"], frames["raw_deals"]
    start, end = pd.Timestamp("2023-11-01"), pd.Timestamp("2026-11-01")
    for col in ("created_at", "mql_at", "sql_at", "first_touch_at"):
        s = leads[col].dropna()
        assert s.min() >= start and s.max() < end, col
    assert leads["created_at"].is_monotonic_increasing and leads["lead_id"].is_unique
    assert not (leads["mql_at"] < leads["created_at"]).any()
    assert not (leads["sql_at"] < leads["mql_at"]).any()
    assert not (leads["sql_at"].notna() & leads["mql_at"].isna()).any()
    assert not (leads["first_touch_at"] < leads["created_at"]).any()
    closed = d[d["outcome"] != "open"]
    assert (closed["closed_at"] >= closed["created_at"]).all()
    assert closed["closed_at"].max() < end and d["created_at"].max() < end
    is_open = d["outcome"] == "open"
    assert is_open.sum() > 0 and d.loc[is_open, "closed_at"].isna().all()
    assert set(d.loc[is_open, "stage"]) <= {"Qualification", "Discovery", "Proposal", "Negotiation"}
    assert set(d.loc[d["outcome"] == "won", "stage"]) == {"Closed Won"}
    # a deal starts from its lead's SQL
    m = d.dropna(subset=["lead_id"]).merge(leads[["lead_id", "sql_at"]], on="lead_id")
    assert len(m) == d["lead_id"].notna().sum()
    assert (m["created_at"] >= m["sql_at"]).all()


def test_pull_wins_more_and_takes_longer(deals: pd.DataFrame) -> None:
    pull, push = deals[deals["motion"] == "pull"], deals[deals["motion"] == "push"]
    assert _win_rate(pull) > _win_rate(push) + 0.05
    assert _cycle_days(pull) > _cycle_days(push) * 1.15
    # per segment too, so the gap is not a segment-mix artefact
    for seg in ("SMB", "Mid-Market", "Enterprise"):
        a, b = pull[pull["segment"] == seg], push[push["segment"] == seg]
        assert _cycle_days(a) > _cycle_days(b), seg


def test_sources_and_campaign_references(frames: dict[str, pd.DataFrame]) -> None:
    mapped = set(frames["source_motion"]["source"])
    assert set(frames["source_motion"]["motion"]) == {"pull", "push"}
    assert set(frames["raw_leads"]["source"]) <= mapped
    assert set(frames["raw_deals"]["source"]) <= mapped
    ids = set(frames["campaigns"]["campaign_id"])
    for name in ("raw_leads", "raw_deals", "spend"):
        used = set(frames[name]["campaign_id"].dropna())
        assert used and used <= ids, name
    assert set(frames["campaigns"]["objective"]) == JOURNEY
    # paid spend channels are lead sources, so spend and leads join by channel
    mk = frames["spend"][frames["spend"]["category"] == "marketing"]
    assert set(mk["channel"]) == set(TRUE_PARAMETERS["paid_channels"])
    assert set(mk["channel"]) <= set(frames["raw_leads"]["source"])
    assert set(frames["campaigns"]["channel"]) <= set(mk["channel"])
    # deals from leads carry the lead's source and campaign
    m = (
        frames["raw_deals"]
        .dropna(subset=["lead_id"])
        .merge(
            frames["raw_leads"][["lead_id", "source", "campaign_id"]],
            on="lead_id",
            suffixes=("", "_lead"),
        )
    )
    assert (m["source"] == m["source_lead"]).all()
    assert m["campaign_id"].fillna("-").equals(m["campaign_id_lead"].fillna("-"))


def test_won_accounts_are_unique_new_logos(frames: dict[str, pd.DataFrame]) -> None:
    won = frames["raw_deals"][frames["raw_deals"]["outcome"] == "won"]
    assert len(won) > 300 and won["account"].is_unique and won["account"].notna().all()
    lost = frames["raw_deals"][frames["raw_deals"]["outcome"] == "lost"]
    assert lost["lost_reason"].notna().all()
    assert (
        frames["raw_deals"]
        .loc[frames["raw_deals"]["outcome"] != "lost", "lost_reason"]
        .isna()
        .all()
    )


def test_deals_scale_controls_deal_count() -> None:
    base = generate(0.4)
    more = generate(0.4, deals_scale=0.8)
    fewer = generate(0.4, deals_scale=0.2)
    assert len(more["raw_leads"]) == len(base["raw_leads"])
    assert abs(len(base["raw_deals"]) - 1_200) <= 60
    assert abs(len(more["raw_deals"]) - 2_400) <= 120
    assert abs(len(fewer["raw_deals"]) - 600) <= 60


def test_sales_spend_is_the_team_cost(frames: dict[str, pd.DataFrame]) -> None:
    reps, spend = frames["sales_reps"], frames["spend"]
    team = spend[(spend["category"] == "sales") & (spend["channel"] == "Sales team")]
    assert len(team) == 36
    month = pd.Timestamp("2025-06-01")
    active = (reps["hired_on"] <= pd.Timestamp("2025-06-30")) & (
        reps["left_on"].isna() | (reps["left_on"] >= month)
    )
    row = team[team["spent_on"] == month]["amount"]
    assert row.iloc[0] == pytest.approx(reps.loc[active, "monthly_cost"].sum())
    # headcount grows over the window
    start_hc = (reps["hired_on"] <= pd.Timestamp("2023-11-01")).sum()
    assert reps["left_on"].isna().sum() > start_hc


def test_lead_volume_follows_the_documented_mmm(frames: dict[str, pd.DataFrame]) -> None:
    """Recompute expected leads per paid channel and month from the spend rows with the
    formulas of PARAMETERS.md (adstock -> Hill -> season, plus brand for Content/SEO)."""
    tp = TRUE_PARAMETERS
    spend, leads = frames["spend"], frames["raw_leads"]
    months = pd.period_range("2023-11", "2026-10", freq="M")
    season = np.asarray(tp["lead_season"])[months.month - 1]
    mk = spend[spend["category"] == "marketing"]
    x = (
        mk.assign(month=mk["spent_on"].dt.to_period("M"))
        .pivot_table(index="channel", columns="month", values="amount", aggfunc="sum")
        .reindex(index=list(tp["paid_channels"]), columns=months)
        .to_numpy()
    )
    b, brand = tp["brand"]["B0"], []
    for m in x.sum(axis=0):
        b = tp["brand"]["delta"] * b + (1 - tp["brand"]["delta"]) * m
        brand.append(b / 100_000)
    counts = pd.crosstab(leads["source"], leads["created_at"].dt.to_period("M")).reindex(
        columns=months, fill_value=0
    )
    for c, ch in enumerate(tp["paid_channels"]):
        p = tp["channels"][ch]
        a, ad = x[c, 0], []
        for v in x[c]:
            a = p["theta"] * a + (1 - p["theta"]) * v
            ad.append(a)
        ad_ = np.asarray(ad)
        lam = p["beta"] * ad_ ** p["s"] / (ad_ ** p["s"] + p["K"] ** p["s"]) * season
        if ch == "Content/SEO":
            lam = lam + tp["brand"]["content_b"] * np.asarray(brand) * season
        y = counts.loc[ch].to_numpy()
        # the channel total is within 4 Poisson standard deviations of the formula
        assert abs(y.sum() - lam.sum()) < 4 * np.sqrt(lam.sum()), ch
        # Poisson: standardised residuals stay small month by month
        z = (y - lam) / np.sqrt(lam)
        assert np.mean(z**2) < 2.0, ch
    # organic demand builds with the brand: last year's Organic/Direct beats the first's
    org = counts.loc["Organic/Direct"].to_numpy()
    assert org[24:].sum() > 1.3 * org[:12].sum()


def test_thesis_signals(frames: dict[str, pd.DataFrame], deals: pd.DataFrame) -> None:
    leads = frames["raw_leads"]
    # lead score is informative: closed deals from high-score leads win more often
    m = deals.merge(leads[["lead_id", "lead_score"]], on="lead_id")
    assert leads["lead_score"].between(0, 100).all()
    assert _win_rate(m[m["lead_score"] >= 70]) > _win_rate(m[m["lead_score"] < 40]) + 0.08
    # discount: within each motion, deep discounts win more often than none
    for motion in ("pull", "push"):
        dm = deals[deals["motion"] == motion]
        assert _win_rate(dm[dm["discount_pct"] >= 15]) > _win_rate(dm[dm["discount_pct"] == 0])
    # December dip in lead creation; quarter-end and Q4 close push in won deals
    per_month = leads.groupby(leads["created_at"].dt.month).size()
    assert per_month[12] < 0.85 * per_month[[10, 11]].mean()
    won = deals[deals["outcome"] == "won"]
    closed = won["closed_at"]
    last10 = closed.dt.month.isin([3, 6, 9, 12]) & (closed.dt.day > closed.dt.days_in_month - 10)
    assert last10.mean() > 0.15  # 10 of ~91 days would be 0.11 without the push
    by_month = closed.dt.to_period("M").value_counts()
    dec = by_month[pd.Period("2024-12")] + by_month[pd.Period("2025-12")]
    around = by_month[[pd.Period(m) for m in ("2024-11", "2025-01", "2025-11", "2026-01")]]
    assert dec > 1.2 * around.sum() / 2
    # push leads are touched at creation; pull MQLs wait hours, some beyond the 24 h SLA
    push_src = set(frames["source_motion"].query("motion == 'push'")["source"])
    push = leads[leads["source"].isin(push_src)]
    touch = (push["first_touch_at"] - push["created_at"]).dt.total_seconds()
    assert (touch < 3 * 3600).mean() > 0.99
    pull = leads[~leads["source"].isin(push_src) & leads["mql_at"].notna()]
    hours = (pull["first_touch_at"] - pull["mql_at"]).dt.total_seconds() / 3600
    assert 0.05 < (hours > TRUE_PARAMETERS["sla_hours"]).mean() < 0.4
    # pull CAC (marketing spend / pull wins) falls from the first year to the last
    spend = frames["spend"]
    mk = spend[spend["category"] == "marketing"]

    def cac(lo: str, hi: str) -> float:
        s = mk[(mk["spent_on"] >= lo) & (mk["spent_on"] < hi)]["amount"].sum()
        w = won[(won["motion"] == "pull") & (won["closed_at"] >= lo) & (won["closed_at"] < hi)]
        return float(s / len(w))

    assert cac("2025-11-01", "2026-11-01") < 0.8 * cac("2024-02-01", "2025-02-01")
