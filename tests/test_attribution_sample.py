"""The attribution credit of the sample company (scale 1) read from the kept touch facts
(migration 022, ``attribution_credit``) against the per-path oracle: the paths rebuilt here in
pandas from the raw tables and weighed one by one by ``planning.attribution.path_weights`` —
all six models, two periods, two MQL definitions, the won deals only, the default and another
half-life, and with the outlier deals left out (a writer's refresh rebuilds the deal paths).
Also: the refresh rewrites only the paths a writer noted (migration 023), and the migrations
fill the facts of an existing workspace as the refresh does.
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
from queries.workspace import (
    Changed,
    Workspace,
    note_changes,
    refresh_lead_facts,
    refresh_touch_facts,
)

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
                "where d.is_excluded is not true "
                "and coalesce(d.created_at, d.closed_at) is not null"
            ).df(),
            "touches": cur.execute(
                "select touch_id, lead_id, campaign_id, channel, touched_at from touches"
            ).df(),
            "campaigns": cur.execute("select campaign_id, channel from campaigns").df(),
        }
    finally:
        cur.close()


def _paths(tables: dict[str, pd.DataFrame]) -> list[tuple]:
    """Every path, built here from the raw tables: (kind, path_id, its touches as (campaign_id,
    channel, touched_at) in time order, its conversion, the index of its lead touch)."""
    plan = tables["campaigns"]
    camp_channel = dict(zip(plan["campaign_id"], plan["channel"], strict=True))
    by_lead: dict[str, list[tuple]] = {}
    touches = tables["touches"].sort_values(["touched_at", "touch_id"])
    for t in touches[touches["lead_id"].notna()].itertuples(index=False):
        channel = t.channel if isinstance(t.channel, str) else camp_channel.get(t.campaign_id)
        by_lead.setdefault(t.lead_id, []).append((t.campaign_id, channel, t.touched_at))
    paths = []
    for lead in tables["leads"].itertuples(index=False):
        path = [t for t in by_lead.get(lead.lead_id, []) if t[2] <= lead.created_at]
        path = path or [(lead.campaign_id, lead.source, lead.created_at)]
        paths.append(("lead", lead.path_id, path, lead.created_at, len(path) - 1))
    for deal in tables["deals"].itertuples(index=False):
        path = [t for t in by_lead.get(deal.lead_id, []) if t[2] <= deal.opened_at]
        if not path:
            channel = camp_channel.get(deal.campaign_id) or deal.source
            path = [(deal.campaign_id, channel, deal.opened_at)]
        lead_at = deal.lead_created_at
        upto = [i for i, t in enumerate(path) if pd.notna(lead_at) and t[2] <= lead_at]
        paths.append(("deal", deal.path_id, path, deal.opened_at, upto[-1] if upto else None))
    return paths


class Oracle:
    """The paths of a workspace and their weights by ``path_weights``, one path at a time."""

    def __init__(self, tables: dict[str, pd.DataFrame]) -> None:
        self.tables = tables
        self.paths = _paths(tables)
        self.touches = pd.DataFrame(
            [(kind, pid, c, ch) for kind, pid, path, _, _ in self.paths for c, ch, _ in path],
            columns=["kind", "path_id", "campaign_id", "channel"],
        )
        self._weights: dict[tuple[str, float], list[float]] = {}

    def weights(self, model: str, half_life: float) -> list[float]:
        key = (model, half_life if model == "time_decay" else 0.0)
        if key not in self._weights:
            self._weights[key] = [
                w
                for _, _, path, converted, lead_index in self.paths
                for w in attribution.path_weights(
                    [t[2] for t in path],
                    model,
                    converted_at=converted,
                    lead_index=lead_index,
                    half_life_days=half_life,
                )
            ]
        return self._weights[key]


@pytest.fixture(scope="module")
def oracle(ws: Workspace) -> Oracle:
    return Oracle(_tables(ws))


def _expected(oracle: Oracle, as_of, mql, half_life, won_only=False) -> pd.DataFrame:
    end = pd.Timestamp(as_of) + pd.Timedelta(days=1)
    leads = oracle.tables["leads"].set_index("path_id")
    deals = oracle.tables["deals"].set_index("path_id")
    recorded, scored = leads["mql_at"].notna(), leads["lead_score"] >= (mql.threshold or 0)
    rule = {
        "recorded": recorded,
        "score": scored,
        "score_or_recorded": recorded | scored,
        "score_and_recorded": recorded & scored,
    }[mql.rule]
    moment = leads["mql_at"].fillna(leads["created_at"])
    won = (deals["outcome"] == "won") & (deals["closed_at"] < end)
    lead_values = pd.DataFrame(
        {
            "in_period": (leads["created_at"] < end) & (not won_only),
            "mql": (rule & (moment < end)).astype(float),
            "sql": (leads["sql_at"] < end).astype(float),
        }
    )
    deal_values = pd.DataFrame(
        {
            "in_period": (deals["opened_at"] < end) & (won | (not won_only)),
            "pipeline": deals["amount"],
            "won": won.astype(float),
        }
    )
    t = oracle.touches
    frame = pd.concat(
        [
            t[t["kind"] == "lead"].join(lead_values, on="path_id"),
            t[t["kind"] == "deal"].join(deal_values, on="path_id"),
        ]
    ).sort_index()
    frame = frame.fillna({"mql": 0.0, "sql": 0.0, "pipeline": 0.0, "won": 0.0})
    keep = frame["in_period"].to_numpy(dtype=bool)
    frame = frame[keep]
    parts = []
    for m in attribution.MODELS:
        w = pd.Series(oracle.weights(m, half_life)).to_numpy()[keep]
        parts.append(
            pd.DataFrame(
                {
                    "kind": frame["kind"],
                    "campaign_id": frame["campaign_id"].fillna("∅"),
                    "channel": frame["channel"].fillna("∅"),
                    "model": m,
                    "count_credited": w,
                    "count_mqls": w * frame["mql"],
                    "count_sqls": w * frame["sql"],
                    "pipeline": w * frame["pipeline"],
                    "won": w * frame["won"],
                    "won_amount": w * frame["won"] * frame["pipeline"],
                }
            )
        )
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
def test_sample_credit_equals_the_per_path_oracle(ws, oracle, as_of, mql, half_life, won_only):
    got = _got(ws, as_of, mql, half_life, won_only)
    want = _expected(oracle, as_of, mql, half_life, won_only)
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
        after = _got(w, LATE, MqlDefinition("recorded"), attribution.HALF_LIFE_DAYS)
        recorded = MqlDefinition("recorded")
        _assert_same(after, _expected(Oracle(_tables(w)), LATE, recorded, 7.0))
        deals = after.xs("deal")["count_credited"].groupby("model").sum()
        assert deals.to_numpy() == pytest.approx(
            before.xs("deal")["count_credited"].groupby("model").sum().to_numpy() - left_out
        )
    finally:
        w.close()


# -- the refresh and the migration ----------------------------------------------------------------
KEPT = "select * exclude (path_key, w_decay), round(w_decay, 12) from touch_facts order by all"


def _keyed(cur) -> bool:
    return bool(cur.execute(sqlfiles.get("touch_fact_keyed").sql).fetchone()[0])


def test_the_refresh_rebuilds_only_the_paths_noted(sample_copy: Path, tmp_path: Path):
    copy = tmp_path / "refresh.duckdb"
    shutil.copy(sample_copy, copy)
    w = Workspace(copy)
    try:
        with w.transaction() as cur:
            assert _keyed(cur)  # the sample load keyed them
            ids = "select list(rowid order by rowid) from touch_facts"
            kept = cur.execute(ids).fetchone()[0]
            cur.execute("insert into accounts (account_id, name) values ('A-x', 'X')")
            refresh_lead_facts(cur, Changed.NOTED)  # an account is no input: nothing rewritten
            assert cur.execute(ids).fetchone()[0] == kept
            rows_before = cur.execute("select count(*) from touch_facts").fetchone()[0]
            lead = cur.execute("select lead_id from raw_leads where rowid = 1").fetchone()[0]
            cur.execute(
                "insert into touches (touch_id, lead_id, channel, touched_at) "
                "select 'T-new', lead_id, 'Webinar', created_at from raw_leads where rowid = 1"
            )
            refresh_touch_facts(cur, note_changes(cur, lead_ids=[lead]))
            # the new touch joins its lead's path and the paths of its lead's deals opened after
            rows_after, on_paths = cur.execute(
                "select (select count(*) from touch_facts), 1 + count(*) from raw_deals as d "
                "inner join raw_leads as l on d.lead_id = l.lead_id and l.rowid = 1 "
                "where d.is_excluded is not true "
                "and coalesce(d.created_at, d.closed_at) >= l.created_at"
            ).fetchone()
            assert rows_after - rows_before == on_paths
            incremental = cur.execute(KEPT).fetchall()
            refresh_touch_facts(cur, Changed.ALL)
            assert cur.execute(KEPT).fetchall() == incremental
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
            cur.execute("delete from schema_version where version in (22, 23)")
    finally:
        w.close()
    w = Workspace(copy)  # migrates again: 022 fills the tables from the workspace's data
    try:
        _assert_same(_got(w, LATE, MqlDefinition("recorded"), 5.0), want)
        with w.transaction() as cur:
            assert not _keyed(cur)  # 023: no path keys yet
            refresh_lead_facts(cur, Changed.NOTED)  # nothing noted, yet every path rebuilt
            assert _keyed(cur)
            assert (
                cur.execute("select count(*) from touch_facts where path_key is null").fetchone()[0]
                == 0
            )
        _assert_same(_got(w, LATE, MqlDefinition("recorded"), 5.0), want)
        kept = w.scalar("select half_life_days from touch_fact_stamps")
        assert kept == attribution.HALF_LIFE_DAYS  # the half-life w_decay is kept at
    finally:
        w.close()
