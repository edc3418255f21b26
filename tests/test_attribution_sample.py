"""The attribution credit of the sample company (scale 1) read from the kept touch facts
(migration 022, ``attribution_credit``) against the per-path oracle: the paths rebuilt here in
pandas from the raw tables and weighed one by one by ``planning.attribution.path_weights`` —
all six models, two periods, two MQL definitions, the won deals only, the default and another
half-life, and with the outlier deals left out (a writer's refresh rebuilds the deal paths).
Also: the refresh skips the paths whose inputs did not change, and the migration fills the
facts of an existing workspace as the refresh does.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from planning import attribution
from planning.handoff import MqlDefinition
from queries import campaigns, data_checks, sqlfiles
from queries.workspace import Workspace, refresh_lead_facts

LATE = date(2026, 10, 31)
EARLY = date(2024, 6, 30)
MEASURES = ["count_credited", "count_mqls", "count_sqls", "pipeline", "won", "won_amount"]


@pytest.fixture(scope="module")
def sample_copy(sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("attr_sample") / "sample.duckdb"
    shutil.copy(sample_path, copy)
    return copy


@pytest.fixture(scope="module")
def ws(sample_copy: Path) -> Iterator[Workspace]:
    w = Workspace(sample_copy, read_only=True)
    yield w
    w.close()


# -- the oracle -----------------------------------------------------------------------------------
def _tables(ws: Workspace) -> dict[str, pd.DataFrame]:
    cur = ws.cursor()
    try:
        return {
            "leads": cur.execute(
                "select rowid as path_id, lead_id, created_at, campaign_id, source, mql_at, "
                "lead_score, sql_at from raw_leads where created_at is not null"
            ).df(),
            "deals": cur.execute(
                "select d.rowid as path_id, d.lead_id, d.campaign_id, d.source, "
                "coalesce(d.created_at, d.closed_at) as opened_at, "
                "coalesce(d.amount, 0)::double as amount, d.outcome, d.closed_at, "
                "l.created_at as lead_created_at from raw_deals as d "
                "left join raw_leads as l on d.lead_id = l.lead_id "
                "where d.is_excluded is not true and coalesce(d.created_at, d.closed_at) is not null"
            ).df(),
            "touches": cur.execute(
                "select touch_id, lead_id, campaign_id, channel, touched_at from touches"
            ).df(),
            "campaigns": cur.execute("select campaign_id, channel from campaigns").df(),
        }
    finally:
        cur.close()


def _paths(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per touch of a path (kind, path_id, campaign_id, channel, touched_at, converted_at,
    lead_index), built here from the raw tables, touch by touch."""
    camp_channel = dict(zip(tables["campaigns"]["campaign_id"], tables["campaigns"]["channel"]))
    touches = tables["touches"].sort_values(["touched_at", "touch_id"])
    by_lead = {k: g for k, g in touches.groupby("lead_id", sort=False)}
    rows = []
    for lead in tables["leads"].itertuples():
        got = by_lead.get(lead.lead_id)
        path = [] if got is None else got[got["touched_at"] <= lead.created_at]
        if len(path) == 0:
            rows.append(("lead", lead.path_id, lead.campaign_id, lead.source, lead.created_at))
        for t in path.itertuples() if len(path) else []:
            channel = t.channel if pd.notna(t.channel) else camp_channel.get(t.campaign_id)
            rows.append(("lead", lead.path_id, t.campaign_id, channel, t.touched_at))
    for deal in tables["deals"].itertuples():
        got = by_lead.get(deal.lead_id)
        path = [] if got is None else got[got["touched_at"] <= deal.opened_at]
        if len(path) == 0:
            channel = camp_channel.get(deal.campaign_id) or deal.source
            rows.append(("deal", deal.path_id, deal.campaign_id, channel, deal.opened_at))
        for t in path.itertuples() if len(path) else []:
            channel = t.channel if pd.notna(t.channel) else camp_channel.get(t.campaign_id)
            rows.append(("deal", deal.path_id, t.campaign_id, channel, t.touched_at))
    return pd.DataFrame(rows, columns=["kind", "path_id", "campaign_id", "channel", "touched_at"])


@pytest.fixture(scope="module")
def oracle_paths(ws: Workspace) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    tables = _tables(ws)
    return _paths(tables), tables


def _weights(paths: pd.DataFrame, tables: dict[str, pd.DataFrame], half_life: float):
    """Per touch of every path: the oracle's weight under each model."""
    leads = tables["leads"].set_index("path_id")
    deals = tables["deals"].set_index("path_id")
    out = {m: [] for m in attribution.MODELS}
    for (kind, path_id), path in paths.groupby(["kind", "path_id"], sort=False):
        at = list(path["touched_at"])
        if kind == "lead":
            converted, lead_index = leads.at[path_id, "created_at"], len(at) - 1
        else:
            converted = deals.at[path_id, "opened_at"]
            lead_at = deals.at[path_id, "lead_created_at"]
            upto = [i for i, t in enumerate(at) if pd.notna(lead_at) and t <= lead_at]
            lead_index = upto[-1] if upto else None
        for m in attribution.MODELS:
            w = attribution.path_weights(
                at, m, converted_at=converted, lead_index=lead_index, half_life_days=half_life
            )
            out[m].append(pd.Series(w, index=path.index))
    return {m: pd.concat(parts) for m, parts in out.items()}


def _expected(oracle, as_of, mql, half_life, won_only=False) -> pd.DataFrame:
    paths, tables = oracle
    weights = _weights(paths, tables, half_life)
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    leads = tables["leads"].set_index("path_id")
    deals = tables["deals"].set_index("path_id")
    is_lead = paths["kind"] == "lead"
    lp = leads.loc[paths.loc[is_lead, "path_id"]]
    dp = deals.loc[paths.loc[~is_lead, "path_id"]]
    recorded, scored = lp["mql_at"].notna(), lp["lead_score"] >= (mql.threshold or 0)
    rule = {
        "recorded": recorded,
        "score": scored,
        "score_or_recorded": recorded | scored,
        "score_and_recorded": recorded & scored,
    }[mql.rule]
    moment = lp["mql_at"].fillna(lp["created_at"])
    won = ((dp["outcome"] == "won") & (dp["closed_at"] < end)).to_numpy()
    frame = paths.copy()
    frame["in_period"] = False
    frame.loc[is_lead, "in_period"] = (lp["created_at"] < end).to_numpy() & (not won_only)
    frame.loc[~is_lead, "in_period"] = (dp["opened_at"] < end).to_numpy() & (won | (not won_only))
    frame["v_mql"] = 0.0
    frame.loc[is_lead, "v_mql"] = (rule & (moment < end)).to_numpy().astype(float)
    frame["v_sql"] = 0.0
    frame.loc[is_lead, "v_sql"] = (lp["sql_at"] < end).to_numpy().astype(float)
    frame["v_pipeline"] = 0.0
    frame.loc[~is_lead, "v_pipeline"] = dp["amount"].to_numpy()
    frame["v_won"] = 0.0
    frame.loc[~is_lead, "v_won"] = won.astype(float)
    frame["v_won_amount"] = frame["v_won"] * frame["v_pipeline"]
    frame = frame[frame["in_period"]]
    parts = []
    for m in attribution.MODELS:
        w = weights[m].loc[frame.index]
        part = pd.DataFrame(
            {
                "kind": frame["kind"],
                "campaign_id": frame["campaign_id"].fillna("∅"),
                "channel": frame["channel"].fillna("∅"),
                "model": m,
                "count_credited": w,
                "count_mqls": w * frame["v_mql"],
                "count_sqls": w * frame["v_sql"],
                "pipeline": w * frame["v_pipeline"],
                "won": w * frame["v_won"],
                "won_amount": w * frame["v_won_amount"],
            }
        )
        parts.append(part)
    keys = ["kind", "campaign_id", "channel", "model"]
    return pd.concat(parts).groupby(keys)[MEASURES].sum().sort_index()


def _got(ws: Workspace, as_of, mql, half_life, won_only=False) -> pd.DataFrame:
    credit = campaigns.attribution_credit(ws, as_of, half_life, won_deals_only=won_only, mql=mql)
    credit["campaign_id"] = credit["campaign_id"].fillna("∅")
    credit["channel"] = credit["channel"].fillna("∅")
    return credit.set_index(["kind", "campaign_id", "channel", "model"])[MEASURES].sort_index()


def _assert_same(got: pd.DataFrame, want: pd.DataFrame) -> None:
    assert list(got.index) == list(want.index)
    for col in MEASURES:
        assert got[col].to_numpy() == pytest.approx(want[col].to_numpy(), rel=1e-9, abs=1e-6), col


# -- the sample against the oracle ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("as_of", "mql", "half_life", "won_only"),
    [
        (LATE, MqlDefinition("recorded"), attribution.HALF_LIFE_DAYS, False),
        (EARLY, MqlDefinition("score_or_recorded", 60.0), 3.0, False),
        (LATE, MqlDefinition("score", 70.0), 30.0, True),
    ],
    ids=["late-recorded-7d", "early-score-or-recorded-3d", "late-won-only-30d"],
)
def test_sample_credit_equals_the_per_path_oracle(ws, oracle_paths, as_of, mql, half_life, won_only):
    got = _got(ws, as_of, mql, half_life, won_only)
    want = _expected(oracle_paths, as_of, mql, half_life, won_only)
    assert len(got) > 100  # the sample's many campaigns and channels, every model
    _assert_same(got, want)


def test_the_sample_has_multi_touch_paths_of_both_kinds(ws: Workspace):
    assert campaigns.has_touch_paths(ws, LATE)
    for name in ("attribution_deal_has_multi_touch", "attribution_lead_has_multi_touch"):
        assert bool(ws.query(name, as_of=LATE)["has_multi_touch"].iloc[0])
    # before any lead was created there is no path at all
    assert not campaigns.has_touch_paths(ws, date(2023, 1, 1))


def test_outlier_deals_left_out_by_a_writer_leave_the_credit(sample_copy: Path, tmp_path: Path):
    copy = tmp_path / "outliers.duckdb"
    shutil.copy(sample_copy, copy)
    w = Workspace(copy)
    try:
        before = _got(w, LATE, MqlDefinition("recorded"), attribution.HALF_LIFE_DAYS)
        left_out = data_checks.set_exclude_outliers(w, True)
        assert left_out > 0  # the sample holds outliers
        oracle = _paths(_tables(w)), _tables(w)
        after = _got(w, LATE, MqlDefinition("recorded"), attribution.HALF_LIFE_DAYS)
        _assert_same(after, _expected(oracle, LATE, MqlDefinition("recorded"), 7.0))
        deals = after.xs("deal")["count_credited"].groupby("model").sum()
        assert deals.to_numpy() == pytest.approx(
            before.xs("deal")["count_credited"].groupby("model").sum().to_numpy() - left_out
        )
    finally:
        w.close()


# -- the refresh and the migration ----------------------------------------------------------------
def _work(cur) -> tuple[bool, bool]:
    row = cur.execute(sqlfiles.get("touch_fact_work").sql).fetchone()
    return bool(row[4]), bool(row[5])


def test_the_refresh_rebuilds_only_the_paths_whose_inputs_changed(
    sample_copy: Path, tmp_path: Path
):
    copy = tmp_path / "refresh.duckdb"
    shutil.copy(sample_copy, copy)
    w = Workspace(copy)
    try:
        with w.transaction() as cur:
            assert _work(cur) == (False, False)  # the sample load left them current
            cur.execute("insert into accounts (account_id, name) values ('A-x', 'X')")
            assert _work(cur) == (False, False)  # an account is no input
            cur.execute("update raw_deals set amount = amount + 1 where rowid = 0")
            assert _work(cur) == (False, True)  # a deal: its paths only
            refresh_lead_facts(cur)
            assert _work(cur) == (False, False)
            cur.execute("update raw_leads set lead_score = 99 where rowid = 0")
            assert _work(cur) == (True, False)  # a lead's score: its own path only
            rows_before = cur.execute("select count(*) from touch_facts").fetchone()[0]
            cur.execute(
                "insert into touches (touch_id, lead_id, channel, touched_at) "
                "select 'T-new', lead_id, 'Webinar', created_at from raw_leads where rowid = 1"
            )
            assert _work(cur) == (True, True)
            refresh_lead_facts(cur)
            assert _work(cur) == (False, False)
            # the new touch joins its lead's path and the paths of its lead's deals opened after
            rows_after, on_paths = cur.execute(
                "select (select count(*) from touch_facts), 1 + count(*) from raw_deals as d "
                "inner join raw_leads as l on d.lead_id = l.lead_id and l.rowid = 1 "
                "where d.is_excluded is not true "
                "and coalesce(d.created_at, d.closed_at) >= l.created_at"
            ).fetchone()
        assert rows_after - rows_before == on_paths
    finally:
        w.close()


def test_the_migration_fills_the_facts_of_an_existing_workspace(sample_copy: Path, tmp_path: Path):
    copy = tmp_path / "migrate.duckdb"
    shutil.copy(sample_copy, copy)
    w = Workspace(copy)
    try:
        want = _got(w, LATE, MqlDefinition("recorded"), 5.0)
        with w.transaction() as cur:
            for table in ("touch_facts", "touch_groups", "touch_fact_stamps"):
                cur.execute(f"drop table {table}")
            cur.execute("delete from schema_version where version = 22")
    finally:
        w.close()
    w = Workspace(copy)  # migrates again: 022 fills the tables from the workspace's data
    try:
        _assert_same(_got(w, LATE, MqlDefinition("recorded"), 5.0), want)
        with w.transaction() as cur:
            assert _work(cur) == (False, False)  # stamped: the next refresh rebuilds nothing
        kept = w.scalar("select half_life_days from touch_fact_stamps")
        assert kept == attribution.HALF_LIFE_DAYS  # the half-life w_decay is kept at
    finally:
        w.close()
