"""What the Data page reports of the whole workspace, kept by the refresh (migration 032): the
kept rows equal their macros after a write; each report read from them (link state, records
per month, the lead sources' mapping, the outliers) gives the rows its live form gives, on
the tiny workspace with the links a real export leaves broken, on the public datasets' shapes
and the sample; figures by hand on a workspace of a few deals; the kept rows are what is read;
and after a write that skipped the refresh the records are read."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from queries import data_admin, data_checks, links
from queries.workspace import Workspace, kept_is_fresh, refresh_lead_facts
from tests.fixtures import build_tiny_workspace
from tests.kept_rows import assert_kept_as_now

KEPT = {
    "kept_lead_sources": "lead_sources_now()",
    "kept_deal_link_groups": "deal_link_groups_now()",
    "kept_deal_owners": "deal_owners_now()",
    "kept_record_months": "record_months_now()",
    "kept_deal_medians": "deal_medians_now()",
}
MULTIPLES = (1e-9, 0.5, 1.0, 3.0, 20.0, 1e9)


def _same_as_now(ws: Workspace) -> None:
    assert_kept_as_now(ws, KEPT)


def _reports(ws: Workspace, live: bool) -> list[pd.DataFrame]:
    found = [
        ws.query("records_per_month", live=live),
        ws.query("source_motion_mapping", live=live),
        ws.query("link_state", live=live),
    ]
    found += [ws.query("workspace_outliers", multiple=m, live=live) for m in MULTIPLES]
    return found


def _assert_kept_is_live(ws: Workspace) -> None:
    assert kept_is_fresh(ws)
    for kept, live in zip(_reports(ws, False), _reports(ws, True), strict=True):
        pd.testing.assert_frame_equal(kept, live, check_dtype=False)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory):
    """The tiny workspace plus what real exports leave: a lead without a created date and one
    without a source; deals naming a lead the workspace lacks (DL), naming none and without a
    source (DO), with an account id only (DA), with an owner outside the sales team (DT), an
    open deal far above the others (DB), amounts of 0 and none; and a month without spend."""
    path = build_tiny_workspace(tmp_path_factory.mktemp("data_kept") / "tiny.duckdb")
    ws = Workspace(path)
    deal = (
        "insert into raw_deals (deal_id, name, lead_id, account, account_id, created_at, "
        "closed_at, outcome, amount, segment, region, owner, source) values "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, 'SMB', 'EMEA', ?, ?)"
    )
    with ws.transaction() as cur:
        cur.execute(
            "insert into raw_leads (lead_id, created_at, source, segment, region) values "
            "('LN', null, 'Webinar', 'SMB', 'EMEA'), ('LS', '2025-03-02', null, 'SMB', 'EMEA')"
        )
        cur.executemany(
            deal,
            [
                (
                    "DL",
                    "Lost lead",
                    "L-GONE",
                    None,
                    None,
                    "2025-02-01",
                    None,
                    "open",
                    500,
                    "Ann",
                    None,
                ),
                ("DO", "Orphan", None, None, None, "2025-02-02", None, "open", None, "Ann", None),
                (
                    "DA",
                    "By id",
                    None,
                    None,
                    "ACC-9",
                    "2025-02-03",
                    "2025-02-20",
                    "won",
                    0,
                    "Zed",
                    "Webinar",
                ),
                (
                    "DT",
                    "Outsider",
                    None,
                    "Acme",
                    None,
                    "2025-02-04",
                    "2025-02-21",
                    "lost",
                    10,
                    "Zed",
                    "Trade show",
                ),
                (
                    "DB",
                    "Big open",
                    None,
                    "Acme",
                    None,
                    None,
                    None,
                    "open",
                    9_000_000,
                    "Ann",
                    "Webinar",
                ),
            ],
        )
        cur.execute(
            "insert into spend (spent_on, category, channel, amount) values "
            "('2024-10-15', 'marketing', 'Webinar', 100)"
        )
        refresh_lead_facts(cur)
    yield ws
    ws.close()


def test_the_kept_rows_are_what_the_records_say(tiny):
    _same_as_now(tiny)


def test_every_report_reads_the_same_from_the_kept_rows_on_the_tiny_workspace(tiny):
    _assert_kept_is_live(tiny)
    state = links.link_state(tiny)
    # by hand: DO names no lead and has no source; DL names one the workspace lacks
    assert state["orphan"] >= 1 and state["lead_missing"] >= 1
    assert state["leads_no_date"] == 1  # LN
    team = {r for (r,) in tiny.cursor().execute("select owner_key from rep_keys").fetchall()}
    assert "Zed" not in team and state["owners_in_team"] < state["owners"]


def test_every_report_reads_the_same_on_the_sample(sample_path: Path, tmp_path: Path):
    copy = tmp_path / "sample.duckdb"
    shutil.copy(sample_path, copy)
    ws = Workspace(copy, read_only=True)
    try:
        _same_as_now(ws)
        _assert_kept_is_live(ws)
    finally:
        ws.close()


@pytest.mark.parametrize("name", ["maven", "olist", "xeducation"])
def test_every_report_reads_the_same_on_a_public_dataset(tmp_path: Path, name: str):
    from tests.public_data import build

    ws = Workspace(build(tmp_path, name), read_only=True)
    try:
        _same_as_now(ws)
        _assert_kept_is_live(ws)
    finally:
        ws.close()


def _few_deals(path: Path) -> Workspace:
    """Won 100, 200, 300, 400, 10,000 (median 300); open 50, 60, 5,000 (median 60); a lost
    deal of 90,000 and a won one of 0 (neither priced: lost, and 0 is no amount here)."""
    ws = Workspace(path)
    rows = [
        ("W1", "won", 100), ("W2", "won", 200), ("W3", "won", 300), ("W4", "won", 400),
        ("W5", "won", 10_000), ("O1", "open", 50), ("O2", "open", 60), ("O3", "open", 5_000),
        ("L1", "lost", 90_000), ("W0", "won", 0),
    ]  # fmt: skip
    with ws.transaction() as cur:
        cur.executemany(
            "insert into raw_deals (deal_id, name, created_at, outcome, amount, owner) "
            "values (?, ?, '2025-05-06', ?, ?, 'Ann')",
            [(d, f"Deal {d}", o, a) for d, o, a in rows],
        )
        refresh_lead_facts(cur)
    return ws


def test_the_outliers_by_hand(tmp_path: Path):
    ws = _few_deals(tmp_path / "few.duckdb")
    try:
        assert kept_is_fresh(ws)
        at20 = data_checks.workspace_outliers(ws, 20)
        # won: 10,000 > 20 × 300 = 6,000; open: 5,000 > 20 × 60 = 1,200
        assert list(
            zip(at20["deal_id"], at20["median_amount"], at20["count_priced"], strict=True)
        ) == [
            ("W5", 300.0, 5),
            ("O3", 60.0, 3),
        ]
        assert at20["times_median"].tolist() == pytest.approx([10_000 / 300, 5_000 / 60])
        # at half the median: won above 150, open above 30 (every open deal)
        half = data_checks.workspace_outliers(ws, 0.5)
        assert half["deal_id"].tolist() == ["W5", "W4", "W3", "W2", "O3", "O2", "O1"]
        for multiple in MULTIPLES:
            pd.testing.assert_frame_equal(
                ws.query("workspace_outliers", multiple=multiple, live=False),
                ws.query("workspace_outliers", multiple=multiple, live=True),
            )
        months = data_admin.records_per_month(ws)
        assert months[["table_name", "count_records"]].values.tolist() == [
            ["leads", 0],
            ["deals", 10],
            ["spend", 0],
        ]
    finally:
        ws.close()


def test_the_kept_rows_are_what_is_read(tmp_path: Path):
    """Rows only the kept tables hold show up: the reports do not scan the records."""
    ws = _few_deals(tmp_path / "few.duckdb")
    try:
        state = links.link_state(ws)
        mapping = data_admin.source_motion(ws)
        with ws.transaction() as cur:
            cur.execute("update kept_deal_medians set median_amount = 1")
            cur.execute("insert into kept_record_months values ('leads', '2025-05-01', 4)")
            cur.execute(
                "insert into kept_deal_link_groups values (null, null, false, true, false, 6)"
            )
            cur.execute("insert into kept_lead_sources values ('Webinar', 8)")
            # no lead here, so no readiness row was kept: two leads, none dated
            cur.execute("insert into kept_lead_readiness values (2, 0, 0, 0)")
        # every priced deal is now above 20 × 1
        assert len(data_checks.workspace_outliers(ws, 20)) == 8
        months = data_admin.records_per_month(ws)
        assert months.set_index("table_name").loc["leads", "count_records"] == 4
        after = links.link_state(ws)
        assert after["lead_missing"] - state["lead_missing"] == 6
        assert after["deals"] - state["deals"] == 6
        assert after["leads_no_date"] - state["leads_no_date"] == 2
        webinar = data_admin.source_motion(ws).set_index("source").loc["Webinar", "count_leads"]
        assert "Webinar" not in set(mapping["source"]) and webinar == 8
    finally:
        ws.close()


def test_a_write_without_the_refresh_is_read_from_the_records(tmp_path: Path):
    ws = _few_deals(tmp_path / "few.duckdb")
    try:
        before = links.link_state(ws)["deals"]
        with ws.transaction() as cur:
            cur.execute(
                "insert into raw_deals (deal_id, name, created_at, outcome, amount) "
                "values ('W9', 'Huge', '2025-06-01', 'won', 1000000)"
            )
        assert not kept_is_fresh(ws)
        assert links.link_state(ws)["deals"] == before + 1
        assert "W9" in set(data_checks.workspace_outliers(ws, 20)["deal_id"])
        months = data_admin.records_per_month(ws).set_index("month")
        assert months.loc["2025-06-01", "count_records"].tolist() == [0, 1, 0]
        with ws.transaction() as cur:
            refresh_lead_facts(cur)
        assert kept_is_fresh(ws)
        _same_as_now(ws)
    finally:
        ws.close()


def test_an_empty_workspace_keeps_nothing_and_reports_nothing(tmp_path: Path):
    ws = Workspace(tmp_path / "empty.duckdb")
    try:
        assert not kept_is_fresh(ws)
        assert data_admin.records_per_month(ws).empty
        assert data_checks.workspace_outliers(ws).empty
        assert links.link_state(ws)["deals"] == 0
    finally:
        ws.close()
