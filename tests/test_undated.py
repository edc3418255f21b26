"""Records no period can include (issue 16, honest figures): leads without a creation date (X
Education's export has no date column), deals without a creation or close date. Their counts
read "—" with how many and the column to map, never 0; partly dated figures stand and say how
many are left out; the readiness panel counts leads with a creation date; the period caption
says when no record has a date at all.

The tiny workspace (tests/fixtures.py), January 2025 by hand: leads created L1 (Jan 5), L2
(Jan 10), L3 (Jan 20), L5 (Jan 25) = 4 (L4 on Dec 20); MQL dates in January L1, L3, L4 = 3;
SQL dates in January L1, L3 = 2. Deals created in January D2, D3, D4, D5, D7 = 5; won in
January D1, D2, D4, D7 = 4; open at its end D5 (open) and D6 (closed Feb 15) = 2. 8 deals,
7 of them closed.
"""

from __future__ import annotations

import math
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from queries import metrics, period
from queries import readiness as readiness_queries
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts
from views import readiness

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
MAP_LEADS = "map a date column to created_at when importing (Data page)."


@pytest.fixture
def tiny(tiny_path: Path, tmp_path: Path):
    copy = tmp_path / "tiny.duckdb"
    shutil.copy(tiny_path, copy)

    def open_with(*statements: str) -> Workspace:
        ws = Workspace(copy)
        with ws.transaction() as cur:
            for sql in statements:
                cur.execute(sql)
            refresh_lead_facts(cur)
        return ws

    return open_with


def _headline(ws: Workspace):
    try:
        df = metrics.headline(ws, JAN)
        return df, metrics.as_json_dict(df, JAN)
    finally:
        ws.close()


def test_the_tiny_workspace_counts_every_record_as_dated(tiny):
    _df, out = _headline(tiny())
    assert (out["overall"]["leads"], out["overall"]["mqls"], out["overall"]["sqls"]) == (4, 3, 2)
    assert out["overall"]["opportunities"] == 5 and out["overall"]["won"] == 4
    assert out["overall"]["open_opportunities"] == 2
    assert "leads" not in out["overall"]["notes"]
    assert "opportunities" not in out["overall"]["notes"]


def test_leads_without_any_date_are_a_dash_with_how_many_not_zero(tiny):
    df, out = _headline(
        tiny("update raw_leads set created_at = null, mql_at = null, sql_at = null")
    )
    sentence = "5 leads have no creation date, so no period can include them — " + MAP_LEADS
    for group in ("overall", "pull", "push"):
        for key in ("leads", "mqls", "sqls"):
            assert out[group][key] is None, (group, key)
            assert out[group]["notes"][key] == sentence, (group, key)
        assert math.isnan(df.loc[group, "leads"])
    # the deals keep their figures
    assert out["overall"]["opportunities"] == 5 and out["overall"]["won"] == 4


def test_leads_without_a_creation_date_keep_the_stages_dated_on_their_own(tiny):
    # the MQL and SQL dates still place L1, L3, L4 (MQL) and L1, L3 (SQL) in January
    _df, out = _headline(tiny("update raw_leads set created_at = null"))
    assert out["overall"]["leads"] is None
    assert (out["overall"]["mqls"], out["overall"]["sqls"]) == (3, 2)
    assert "mqls" not in out["overall"]["notes"] and "sqls" not in out["overall"]["notes"]


def test_leads_without_any_sql_date_have_no_sql_count_not_zero(tiny):
    # Olist's leads: created and MQL dates, no SQL date in the export
    _df, out = _headline(tiny("update raw_leads set sql_at = null"))
    assert (out["overall"]["leads"], out["overall"]["mqls"]) == (4, 3)
    assert out["overall"]["sqls"] is None and out["push"]["sqls"] is None
    assert out["overall"]["notes"]["sqls"] == (
        "Not one of the 5 leads has a date it became an SQL, so no period can count SQLs — map "
        "that date column to sql_at when importing (Data page)."
    )


def test_some_undated_leads_leave_the_count_standing_with_how_many_are_left_out(tiny):
    _df, out = _headline(tiny("update raw_leads set created_at = null where lead_id = 'L2'"))
    assert out["overall"]["leads"] == 3  # L1, L3, L5: L2 has no date
    assert out["overall"]["notes"]["leads"] == (
        "1 of 5 leads have no creation date and are left out of every period — " + MAP_LEADS
    )
    assert out["pull"]["leads"] == 1  # L1; the totals are not split by engine: no note there
    assert "leads" not in out["pull"]["notes"]


def test_deals_without_a_creation_date_are_no_opportunities_and_no_open_pipeline(tiny):
    _df, out = _headline(tiny("update raw_deals set created_at = null"))
    for group in ("overall", "pull", "push"):
        assert out[group]["opportunities"] is None, group
        assert out[group]["notes"]["opportunities"] == (
            "8 deals have no creation date, so no period can count them as opportunities — "
            "map a date column to created_at when importing deals (Data page)."
        )
    # D5, the one open deal, has no creation date: nothing can be open at the period's end
    for key in ("open_opportunities", "open_pipeline_amount", "pipeline_velocity"):
        assert out["overall"][key] is None, key
    assert out["overall"]["notes"]["open_pipeline_amount"].startswith(
        "1 open deals have no creation date"
    )
    assert out["overall"]["won"] == 4  # counted by the close date


def test_some_undated_deals_leave_the_opportunities_standing_with_a_note(tiny):
    _df, out = _headline(tiny("update raw_deals set created_at = null where deal_id = 'D4'"))
    assert out["overall"]["opportunities"] == 4
    assert out["overall"]["notes"]["opportunities"] == (
        "1 of 8 deals have no creation date and are not counted as opportunities."
    )


def test_closed_deals_without_a_close_date_are_a_dash(tiny):
    _df, out = _headline(tiny("update raw_deals set closed_at = null where outcome <> 'open'"))
    for key in ("won", "lost", "win_rate", "won_amount", "new_customers", "cac"):
        assert out["overall"][key] is None, key
        assert out["overall"]["notes"][key] == (
            "7 closed deals have no close date, so no period can count them — map a date "
            "column to closed_at when importing deals (Data page)."
        )
    assert out["overall"]["opportunities"] == 5  # counted by the creation date


def test_velocity_without_open_and_close_dates_names_the_close_dates(tiny):
    _df, out = _headline(
        tiny(
            "update raw_deals set closed_at = null where outcome <> 'open'",
            "update raw_deals set created_at = null where outcome = 'open'",
        )
    )
    notes = out["overall"]["notes"]
    assert notes["open_pipeline_amount"].startswith("1 open deals have no creation date")
    assert notes["pipeline_velocity"].startswith("7 closed deals have no close date")


def test_the_notes_say_it_in_chinese(tiny):
    ws = tiny("update raw_leads set created_at = null, mql_at = null, sql_at = null")
    try:
        df = metrics.headline(ws, JAN)
    finally:
        ws.close()
    note = metrics.notes(df.loc["overall"].to_dict(), "overall", JAN, "zh")["leads"]
    assert note.startswith("5 条线索没有创建日期")


# -- readiness and the period ----------------------------------------------------------------------
def test_readiness_counts_leads_with_a_creation_date(tiny):
    ws = tiny("update raw_leads set created_at = null where lead_id in ('L2', 'L5')")
    try:
        counts = readiness_queries.counts(ws)
    finally:
        ws.close()
    assert (counts["leads"], counts["leads_with_created"]) == (5, 3)
    assert readiness.needs(counts)["lead_dates"].met


def test_leads_without_dates_are_a_gap_of_the_period_pages():
    # X Education: 9,240 leads, all with a source, none with a date; no deals
    counts = {"leads": 9240, "leads_with_source": 9204, "leads_with_created": 0}
    for page in ("overview", "funnel", "scenarios"):
        assert "lead_dates" in [n.key for n in readiness.missing(counts, page)], page
    assert [n.key for n in readiness.missing(counts, "funnel")] == [
        "lead_dates",
        "first_touch",
        "lost_deals",
        "open_amounts",
    ]
    assert readiness.notice(counts, "funnel").startswith(
        "Without leads with a creation date this page cannot show the funnel for the period, "
        "and 3 more inputs are missing"
    )
    # no lead at all: the leads-with-a-source gap says it once
    assert "lead_dates" not in [n.key for n in readiness.missing({"leads": 0}, "overview")]


def test_the_period_says_when_no_record_has_a_date(tiny, tmp_path: Path):
    ws = tiny()
    try:
        assert period.undated_records(ws) == 0
    finally:
        ws.close()
    ws = tiny(
        "update raw_leads set created_at = null, mql_at = null, sql_at = null",
        "update raw_deals set created_at = null, closed_at = null",
        "delete from spend",
    )
    try:
        assert period.undated_records(ws) == 13  # 5 leads and 8 deals
        # with no dated record (and no spend) the period cannot follow the data: the year up
        # to today, which the caption then says holds none of them
        first, last = period.data_range(ws)
        assert (last, first) == (date.today(), date.today() - timedelta(days=364))
    finally:
        ws.close()
    empty = Workspace(tmp_path / "empty.duckdb")
    try:
        assert period.undated_records(empty) == 0  # nothing to have a date
    finally:
        empty.close()


def test_no_mql_date_under_the_recorded_definition_is_unknown_not_zero(tiny):
    # no lead has a CRM MQL date and the definition is the CRM's date: 0 MQLs would be made
    # up; the same workspace with a score definition counts its scored leads again
    _df, out = _headline(tiny("update raw_leads set mql_at = null"))
    assert out["overall"]["mqls"] is None and out["pull"]["mqls"] is None
    assert out["overall"]["notes"]["mqls"] == (
        "Not one of the 5 leads has what the MQL definition reads (the CRM's MQL date, or the "
        "lead score it uses), so no MQL can be counted — map that column when importing (Data "
        "page), or change the definition on Funnel health."
    )
    assert out["overall"]["leads"] == 4  # the other lead figures stand
    ws = tiny()
    ws.set_setting("funnel_mql_rule", "score")
    ws.set_setting("funnel_mql_score_threshold", "0")
    _df, scored = _headline(ws)
    assert "mqls" not in scored["overall"]["notes"]
    assert scored["overall"]["mqls"] is not None
