"""The leads and closed deals counted per day (migration 026), kept by the refresh for the
Funnel's data checks: the kept rows equal what the records say after a write, and every check
read from them gives the rows the live form gives, on the tiny workspace with a lead and a
deal without dates, a deal left out as an outlier, amounts of 0 and none, under filters; and
on the sample. An owner filter (or split) reads the records: the kept days have no owner."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planning.handoff import MqlDefinition
from queries import data_checks as checks_q
from queries import funnel
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from tests.fixtures import build_tiny_workspace
from tests.kept_rows import assert_kept_as_now


@pytest.fixture(scope="module")
def sample_copy(sample_path: Path, tmp_path_factory) -> Path:
    """The sample company in a file of its own: an app test in this process may hold the
    original open read-write, and DuckDB opens one file with one configuration."""
    where = tmp_path_factory.mktemp("funnel_kept_sample") / "sample.duckdb"
    shutil.copy(sample_path, where)
    return where


KEPT = {
    "kept_funnel_lead_days": "funnel_lead_days_now()",
    "kept_closed_deal_days": "closed_deal_days_now()",
    # migration 033: the won deals of each day's leads, for lead_cohort_wins
    "kept_cohort_amounts": "cohort_amounts_now()",
    "kept_cohort_firsts": "cohort_firsts_now()",
    # migration 036: the scored leads per month and score, for lead_score_bins
    "kept_lead_score_months": "lead_score_months_now()",
    # migration 037: the completed funnel steps and their seconds, for stage_velocity
    "kept_step_durations": "step_durations_now()",
}
COUNTS = "select (select count(*) from raw_leads), (select count(*) from raw_deals)"
SPLITS = ("none", "source", "segment", "region")
CATCH_ALL = list(funnel.CATCH_ALL_SOURCES)


def _same_as_now(ws: Workspace) -> None:
    assert_kept_as_now(ws, KEPT)
    cur = ws.cursor()
    try:
        assert cur.execute("select * from kept_funnel_day_counts").fetchall() == (
            cur.execute(COUNTS).fetchall()
        )
    finally:
        cur.close()


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    """The tiny workspace plus: a lead without a created date, a lead in a blank source, a
    January win of 0 (D0) and one without an amount (DN), a win without a closed date (DU), a
    lost deal without a segment (DS), and DX, a 135,000 win left out as an outlier."""
    path = build_tiny_workspace(tmp_path_factory.mktemp("kept") / "tiny.duckdb")
    ws = Workspace(path)
    deal = (
        "insert into raw_deals (deal_id, account, created_at, closed_at, stage, outcome, amount, "
        "product, segment, region, owner, source, currency) values "
        "(?, 'Acme', ?, ?, 'x', ?, ?, 'Core', ?, 'EMEA', 'Ann', 'Webinar', 'USD')"
    )
    with ws.transaction() as cur:
        cur.execute(
            "insert into raw_leads (lead_id, created_at, source, segment, region, lead_score, "
            "owner) values ('LN', null, 'Webinar', 'SMB', 'EMEA', 55, 'Ann'), "
            "('LB', '2025-01-20 10:00', '', 'SMB', 'EMEA', null, 'Bo')"
        )
        cur.executemany(
            deal,
            [
                ("D0", "2025-01-02", "2025-01-15 10:00", "won", 0, "SMB"),
                ("DN", "2025-01-03", "2025-01-31 23:00", "won", None, "SMB"),
                ("DU", "2025-01-04", None, "won", 900, "SMB"),
                ("DS", "2025-01-05", "2025-02-01 00:00", "lost", 700, None),
                ("DX", "2025-01-06", "2025-01-20 00:00", "won", 135000, "SMB"),
            ],
        )
        cur.execute("insert into settings values ('exclude_outlier_deals', '1')")
        refresh_lead_facts(cur)
    yield ws
    ws.close()


FILTERS = [
    Filters(date(2025, 1, 1), date(2025, 1, 31)),
    Filters(date(2024, 1, 1), date(2025, 12, 31)),
    Filters(date(2025, 1, 15), date(2025, 1, 15)),
    Filters(date(2025, 1, 1), date(2025, 3, 31), segments=("SMB",)),
    Filters(date(2025, 1, 1), date(2025, 3, 31), regions=("EMEA", "North America")),
    Filters(date(2025, 1, 1), date(2025, 3, 31), products=("Core",)),
    Filters(date(2030, 1, 1), date(2030, 1, 31)),  # nothing in it
]


def _live_and_kept(ws: Workspace, filters: Filters) -> list[tuple[pd.DataFrame, pd.DataFrame]]:
    p = filters.params()
    pairs = [
        (ws.query(live, **p), ws.query(f"{live}_kept", **p))
        for live in ("lead_score_bounds", "deal_balance", "zero_amount_balance")
    ]
    for split in SPLITS:
        args = {**p, "split": split, "catch_all_sources": CATCH_ALL}
        pairs.append(
            (ws.query("funnel_lead_trust", **args), ws.query("funnel_lead_trust_kept", **args))
        )
    for width in (1.0, 5.0):
        args = {**p, "bin_width": width}
        pairs.append(
            (
                ws.query("lead_score_bins", **args, kept=False),
                ws.query("lead_score_bins", **args, kept=True),
            )
        )
    for months in (0, 12):
        args = {**p, "max_months": months}
        pairs.append(
            (
                ws.query("lead_cohort_wins", **args, kept=False),
                ws.query("lead_cohort_wins", **args, kept=True),
            )
        )
    if not filters.products:  # the kept steps have no product (queries/funnel.py reads live)
        args = {**p, **MqlDefinition().params()}
        pairs.append(
            (
                ws.query("stage_velocity", **args, kept=False),
                ws.query("stage_velocity", **args, kept=True),
            )
        )
    return pairs


def _assert_same(pairs: list[tuple[pd.DataFrame, pd.DataFrame]]) -> None:
    for live, kept in pairs:
        pd.testing.assert_frame_equal(kept, live, check_dtype=False)


def test_the_kept_days_are_what_the_records_say(tiny):
    _same_as_now(tiny)
    # by hand: LN has no created date; DU no closed date; DX is left out
    rows = tiny.query(
        "lead_score_bounds_kept", **Filters(date(2000, 1, 1), date(2100, 1, 1)).params()
    )
    live = tiny.cursor().execute("select count(*) from raw_leads").fetchone()[0]
    assert int(rows["count_leads"].iloc[0]) == live - 1
    deals = tiny.cursor().execute("select sum(count_deals) from kept_closed_deal_days").fetchone()
    closed = (
        tiny.cursor()
        .execute(
            "select count(*) from raw_deals where outcome in ('won', 'lost') "
            "and closed_at is not null and is_excluded is not true"
        )
        .fetchone()
    )
    assert deals == closed
    flagged = tiny.cursor().execute("select is_excluded from raw_deals where deal_id = 'DX'")
    assert flagged.fetchone() == (True,)
    assert (
        tiny.cursor()
        .execute(
            "select count(*) from kept_closed_deal_days where closed_day = '2025-01-20'"
            " and count_deals > 0 and product = 'Core' and segment = 'SMB' and outcome = 'won'"
            " and region = 'EMEA'"
        )
        .fetchone()[0]
        == 0
    )  # DX (Jan 20, SMB, EMEA) is left out


@pytest.mark.parametrize("filters", FILTERS, ids=range(len(FILTERS)))
def test_the_kept_form_gives_the_live_rows_on_the_tiny_workspace(tiny, filters):
    _assert_same(_live_and_kept(tiny, filters))


def test_the_january_checks_by_hand(tiny):
    jan = Filters(date(2025, 1, 1), date(2025, 1, 31))
    # January's wins kept: D0 (0), DN (none) and the tiny workspace's own; DU has no date
    zero = checks_q.zero_amount_balance(tiny, jan)
    assert (zero["count_won_zero"], zero["count_won_blank"]) == (1, 1)
    # the blank source: LB counts as a lead without a source
    trust = funnel.lead_trust(tiny, jan)
    assert int(trust["count_no_source"].sum()) == 1


def test_the_kept_form_gives_the_live_rows_on_the_sample(sample_copy: Path):
    ws = Workspace(sample_copy, read_only=True)
    try:
        _same_as_now(ws)
        last = ws.cursor().execute("select max(created_at)::date from raw_leads").fetchone()[0]
        for filters in (
            Filters(date(last.year - 1, 1, 1), last),
            Filters(date(last.year, 1, 1), last, segments=("SMB",), products=("Insight Pro",)),
        ):
            _assert_same(_live_and_kept(ws, filters))
    finally:
        ws.close()


def test_the_checks_read_the_kept_rows_unless_an_owner_is_chosen(tmp_path):
    """A row only the kept tables hold shows up without an owner filter (so the records are not
    scanned) and not with one, nor in the owner split."""
    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    try:
        jan = Filters(date(2025, 1, 1), date(2025, 1, 31))
        by_ann = Filters(date(2025, 1, 1), date(2025, 1, 31), owners=("Ann",))
        before = (
            checks_q.deal_balance(ws, jan)["count_closed"],
            checks_q.zero_amount_balance(ws, jan)["count_won"],
            funnel.lead_trust(ws, jan)["count_leads"].sum(),
            funnel.lead_score_bounds(ws, jan)["count_leads"],
        )
        owned = (
            checks_q.deal_balance(ws, by_ann),
            funnel.lead_trust(ws, by_ann),
            funnel.lead_trust(ws, jan, "owner"),
        )
        with ws.transaction() as cur:
            cur.execute(
                "insert into kept_funnel_lead_days values "
                "('2025-01-09', 'Webinar', 'SMB', 'EMEA', 7, 0, 0, 0, 0, null, null, 0, 0, 0, 0, 0)"
            )
            cur.execute(
                "insert into kept_closed_deal_days values "
                "('2025-01-09', 'won', 'SMB', 'EMEA', 'Core', 5, 0, 0)"
            )
        after = (
            checks_q.deal_balance(ws, jan)["count_closed"],
            checks_q.zero_amount_balance(ws, jan)["count_won"],
            funnel.lead_trust(ws, jan)["count_leads"].sum(),
            funnel.lead_score_bounds(ws, jan)["count_leads"],
        )
        assert [a - b for a, b in zip(after, before, strict=True)] == [5, 5, 7, 7]
        assert checks_q.deal_balance(ws, by_ann) == owned[0]
        pd.testing.assert_frame_equal(funnel.lead_trust(ws, by_ann), owned[1])
        pd.testing.assert_frame_equal(funnel.lead_trust(ws, jan, "owner"), owned[2])
    finally:
        ws.close()


def test_a_write_without_the_refresh_is_read_from_the_records(tmp_path):
    """A lead or deal written without the refresh (a script, a test): the kept days were counted
    from other records, so the checks read the records until the next refresh."""
    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    try:
        jan = Filters(date(2025, 1, 1), date(2025, 1, 31))
        assert funnel.kept_days(ws, jan)
        before = funnel.lead_trust(ws, jan)["count_leads"].sum()
        closed = checks_q.deal_balance(ws, jan)["count_closed"]
        with ws.transaction() as cur:
            cur.execute("insert into raw_leads (lead_id, created_at) values ('N1', '2025-01-03')")
            cur.execute(
                "insert into raw_deals (deal_id, closed_at, outcome, amount) "
                "values ('N2', '2025-01-20', 'lost', 10)"
            )
        assert not funnel.kept_days(ws, jan)
        assert funnel.lead_trust(ws, jan)["count_leads"].sum() == before + 1
        assert checks_q.deal_balance(ws, jan)["count_closed"] == closed + 1
        with ws.transaction() as cur:
            refresh_lead_facts(cur)
        assert funnel.kept_days(ws, jan)
        _same_as_now(ws)
        assert funnel.lead_trust(ws, jan)["count_leads"].sum() == before + 1
    finally:
        ws.close()


RULES = (
    {"mql_rule": "recorded", "mql_threshold": None},
    {"mql_rule": "score", "mql_threshold": 50.0},
)


def _period_counts(ws: Workspace, filters: Filters, split: str, rule: dict, kept: bool):
    df = ws.query("period_stage_counts", **filters.params(), **rule, split=split, kept=kept)
    return df.sort_values(list(df.columns[:6])).reset_index(drop=True)


@pytest.mark.parametrize("split", SPLITS)
def test_period_counts_from_the_kept_days_are_the_live_ones(tiny, sample_copy, split):
    sample = Workspace(sample_copy, read_only=True)
    try:
        last = sample.cursor().execute("select max(created_at)::date from raw_leads").fetchone()[0]
        cases = [(tiny, f) for f in FILTERS] + [
            (sample, Filters(date(last.year - 1, 1, 1), last)),
            (
                sample,
                Filters(date(last.year, 1, 1), last, segments=("SMB",), products=("Insight Pro",)),
            ),
        ]
        for ws, filters in cases:
            for rule in RULES:
                live = _period_counts(ws, filters, split, rule, kept=False)
                kept = _period_counts(ws, filters, split, rule, kept=True)
                pd.testing.assert_frame_equal(kept, live)
        # the kept days are what the app reads without an owner: the January leads by hand
        jan = funnel.period_stage_counts(tiny, Filters(date(2025, 1, 1), date(2025, 1, 31)))
        leads = jan[(jan["grain"] == "month") & (jan["stage"] == "lead")]["count_reached"].sum()
        assert (
            leads
            == tiny.cursor()
            .execute(
                "select count(*) from raw_leads where created_at >= '2025-01-01' "
                "and created_at < '2025-02-01'"
            )
            .fetchone()[0]
        )
    finally:
        sample.close()


def _cohort_counts(ws: Workspace, filters: Filters, split: str, kept: bool):
    df = ws.query("cohort_stage_counts", **filters.params(), **RULES[0], split=split, kept=kept)
    return df.sort_values(list(df.columns[:5])).reset_index(drop=True)


@pytest.mark.parametrize("split", SPLITS)
def test_cohort_counts_from_the_kept_days_are_the_live_ones(tiny, sample_copy, split):
    """Under the recorded MQL date (where queries/funnel.py reads the kept days), with and
    without a product filter: the same rows, the maturity quantile included."""
    sample = Workspace(sample_copy, read_only=True)
    try:
        last = sample.cursor().execute("select max(created_at)::date from raw_leads").fetchone()[0]
        cases = [(tiny, f) for f in FILTERS] + [
            (sample, Filters(date(last.year - 1, 1, 1), last)),
            (sample, Filters(date(last.year, 1, 1), last, segments=("SMB",))),
            (sample, Filters(date(last.year - 1, 1, 1), last, products=("Insight Core",))),
        ]
        for ws, filters in cases:
            live = _cohort_counts(ws, filters, split, kept=False)
            kept = _cohort_counts(ws, filters, split, kept=True)
            pd.testing.assert_frame_equal(kept, live)
    finally:
        sample.close()


def test_the_cohort_funnel_reads_the_kept_days_only_under_the_recorded_rule(tmp_path):
    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    try:
        jan = Filters(date(2025, 1, 1), date(2025, 1, 31))
        score = MqlDefinition("score", 50.0)
        before = funnel.cohort_stage_counts(ws, jan), funnel.cohort_stage_counts(ws, jan, score)
        with ws.transaction() as cur:  # 7 leads only the kept days hold, furthest at SQL
            cur.execute(
                "insert into kept_funnel_lead_days values ('2025-01-09', 'Webinar', 'SMB', 'EMEA', "
                "7, 7, 7, 0, 0, null, null, 0, 7, 0, 0, 0)"
            )
        after = funnel.cohort_stage_counts(ws, jan), funnel.cohort_stage_counts(ws, jan, score)
        month = (after[0]["grain"] == "month") & after[0]["stage"].isin(["lead", "mql", "sql"])
        added = after[0][month]["count_reached"].sum() - before[0][month]["count_reached"].sum()
        assert added == 3 * 7  # reached lead, MQL and SQL
        pd.testing.assert_frame_equal(after[1], before[1])  # a score rule reads the records
    finally:
        ws.close()


def test_cohort_wins_from_the_kept_days_are_the_live_ones(tiny, sample_copy):
    sample = Workspace(sample_copy, read_only=True)
    try:
        last = sample.cursor().execute("select max(created_at)::date from raw_leads").fetchone()[0]
        cases = [(tiny, f) for f in FILTERS] + [
            (sample, Filters(date(last.year - 1, 1, 1), last)),
            (
                sample,
                Filters(date(last.year, 1, 1), last, regions=("EMEA",), products=("Forecast AI",)),
            ),
        ]
        for ws, filters in cases:
            p = {**filters.params(), "max_months": 6}
            live = ws.query("lead_cohort_wins", **p, kept=False)
            pd.testing.assert_frame_equal(ws.query("lead_cohort_wins", **p, kept=True), live)
        assert funnel.lead_cohort_wins(tiny, FILTERS[0])["count_leads"].max() > 0
    finally:
        sample.close()


def test_the_lead_cohorts_by_hand_read_from_the_kept_won_deals(tmp_path):
    """Migration 033. January's leads L1 and L2 (Webinar, pull) and February's L3: L1 wins 50
    on Jan 25 and 100 on Mar 15, L2 wins 70 on Dec 30 (before it was created: month 0), L3
    nothing, and a win of L3 left out as an outlier counts nowhere. Both forms give the hand
    figures; a row only the kept tables hold shows up, and a product filter reads the records."""
    ws = Workspace(tmp_path / "cohorts.duckdb")
    try:
        with ws.transaction() as cur:
            cur.execute("insert into source_motion values ('Webinar', 'pull')")
            cur.execute(
                "insert into raw_leads (lead_id, created_at, source, segment, region) values "
                "('L1', '2025-01-10', 'Webinar', 'SMB', 'EMEA'), "
                "('L2', '2025-01-20', 'Webinar', 'SMB', 'EMEA'), "
                "('L3', '2025-02-05', 'Webinar', 'SMB', 'EMEA')"
            )
            cur.execute(
                "insert into raw_deals (deal_id, lead_id, created_at, closed_at, outcome, amount, "
                "product) values "
                "('D1', 'L1', '2025-01-11', '2025-03-15', 'won', 100, 'Core'), "
                "('D2', 'L1', '2025-01-12', '2025-01-25', 'won', 50, 'Core'), "
                "('D3', 'L2', '2024-12-01', '2024-12-30', 'won', 70, 'Core'), "
                "('D4', 'L3', '2025-02-06', '2025-02-20', 'won', 1, 'Core')"
            )
            cur.execute(
                "insert into deal_exclusions (deal_id, reason, amount) values ('D4', 'manual', 1)"
            )
            refresh_lead_facts(cur)
        period = Filters(date(2025, 1, 1), date(2025, 2, 28))
        assert funnel.kept_days(ws, period)
        cols = ["months_since", "count_leads", "count_won_leads", "won_amount", "is_observed"]
        jan = [[0, 2, 2, 120.0, True], [1, 2, 2, 120.0, True], [2, 2, 2, 220.0, False]]
        feb = [[0, 1, 0, 0.0, True], [1, 1, 0, 0.0, False], [2, 1, 0, 0.0, False]]
        for kept in (True, False):
            df = ws.query("lead_cohort_wins", **period.params(), max_months=2, kept=kept)
            assert set(df["motion"]) == {"pull"}
            by_month = df.groupby(df["cohort_month"].astype(str))
            assert by_month.get_group("2025-01-01")[cols].values.tolist() == jan, kept
            assert by_month.get_group("2025-02-01")[cols].values.tolist() == feb, kept
        with ws.transaction() as cur:
            cur.execute(
                "insert into kept_cohort_firsts values "
                "('2025-02-05', 'Webinar', 'SMB', 'EMEA', '2025-02-01', 1)"
            )

        def feb_won(filters: Filters) -> int:
            df = funnel.lead_cohort_wins(ws, filters, 0)
            row = df.loc[df["cohort_month"].astype(str) == "2025-02-01"].iloc[0]
            return int(row["count_won_leads"])

        core = Filters(period.date_from, period.date_to, products=("Core",))
        assert (feb_won(period), feb_won(core)) == (1, 0)
    finally:
        ws.close()


def test_the_lead_score_bins_read_the_kept_months(tmp_path):
    """Migration 036: a whole month's scored leads come from the kept counts (a row only they
    hold shows up), the days of a month the period covers in part from the leads; an owner or
    a product filter reads the leads."""
    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    try:
        january = Filters(date(2025, 1, 1), date(2025, 1, 31))
        part = Filters(date(2025, 1, 2), date(2025, 1, 31))  # January in part: its days
        core = Filters(january.date_from, january.date_to, products=("Core",))

        def leads(filters: Filters) -> int:
            return int(funnel.lead_score_bins(ws, filters, 1.0)["count_leads"].sum())

        before = [leads(f) for f in (january, part, core)]
        with ws.transaction() as cur:
            cur.execute(
                "insert into kept_lead_score_months values "
                "('2025-01-01', 'Webinar', 'SMB', 'EMEA', 42, false, 9)"
            )
        assert [leads(f) for f in (january, part, core)] == [before[0] + 9, before[1], before[2]]
    finally:
        ws.close()


def test_the_stage_velocity_reads_the_kept_steps(tmp_path):
    """Migration 037: under the recorded MQL rule the steps come from the kept rows (a row only
    they hold shows up, in the count and the quantiles); an owner or a product filter, or a
    score rule, reads the leads and deals."""
    ws = Workspace(build_tiny_workspace(tmp_path / "tiny.duckdb"))
    try:
        january = Filters(date(2025, 1, 1), date(2025, 1, 31))
        owner = Filters(january.date_from, january.date_to, owners=("Ann",))
        core = Filters(january.date_from, january.date_to, products=("Core",))
        score = MqlDefinition("score", 50)

        def pull_won(filters: Filters, mql: MqlDefinition | None = None) -> tuple:
            df = funnel.stage_velocity(ws, filters, mql)
            row = df[(df["motion"] == "pull") & (df["step"] == "opportunity_to_won")]
            return tuple(row[["count_steps", "median_days", "p80_days"]].iloc[0])

        asked = [(january, None), (owner, None), (core, None), (january, score)]
        before = [pull_won(f, m) for f, m in asked]
        # the pull wins closed in January as the records say, in days
        days = [
            s / 86400
            for (s,) in ws.cursor()
            .execute(
                "select seconds from step_durations_now() join source_motion using (source) "
                "where step_order = 4 and motion = 'pull' and day between ? and ?",
                [january.date_from, january.date_to],
            )
            .fetchall()
        ]
        assert before[0][0] == len(days) > 0
        with ws.transaction() as cur:
            # a pull win of 1,000 days closed in January that only the kept rows hold
            cur.execute(
                "insert into kept_step_durations values "
                "('2025-01-15', 'Webinar', 'SMB', 'EMEA', 4, 86400000)"
            )
        after = [pull_won(f, m) for f, m in asked]
        days = sorted([*days, 1000.0])
        # quantile_cont: linear between the two values around (n - 1) * q
        expected = [float(np.quantile(days, q)) for q in (0.5, 0.8)]
        assert after[0][0] == len(days)
        assert list(after[0][1:]) == pytest.approx(expected)
        assert after[1:] == before[1:]
    finally:
        ws.close()
