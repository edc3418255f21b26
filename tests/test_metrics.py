"""Headline metrics against figures computed by hand from tests/fixtures.py (January 2025).

The January headline (`jan`), the won revenue by month and the figures by segment are checked
on a file and on a lake (the `backend` parametrisation, tests/conftest.py): the same SQL must
give the same hand-computed figures on both."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import pytest

from queries import metrics
from queries.filters import Filters
from queries.workspace import Workspace, refresh_lead_facts

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))


@pytest.fixture(scope="module")
def jan(tiny_on: Workspace):
    return metrics.headline(tiny_on, JAN)


def test_leads_mqls_sqls_count_by_the_day_each_stage_was_reached(jan):
    assert jan.loc["overall", ["leads", "mqls", "sqls"]].tolist() == [4, 3, 2]
    assert jan.loc["pull", ["leads", "mqls", "sqls"]].tolist() == [2, 2, 1]
    assert jan.loc["push", ["leads", "mqls", "sqls"]].tolist() == [1, 1, 1]


def test_unmapped_sources_count_overall_but_in_neither_motion(jan):
    assert jan.loc["unmapped", "leads"] == 1


def test_opportunities_are_deals_created_in_the_period(jan):
    assert jan.loc["overall", "opportunities"] == 5
    assert jan.loc["pull", "opportunities"] == 2
    assert jan.loc["push", "opportunities"] == 3


def test_win_rate_is_won_over_won_plus_lost_closed_in_period(jan):
    assert jan.loc["overall", ["won", "lost"]].tolist() == [4, 1]
    assert jan.loc["overall", "win_rate"] == pytest.approx(0.8)
    assert jan.loc["pull", "win_rate"] == pytest.approx(1.0)
    assert jan.loc["push", "win_rate"] == pytest.approx(0.5)


def test_open_deals_do_not_count_in_win_rate(tiny_ws):
    # D5 is open: with only January's closed deals, won + lost = 5 of the 7 January deals.
    row = metrics.headline(tiny_ws, JAN).loc["push"]
    assert row["won"] + row["lost"] == 2


def test_won_amount_and_average_deal_size(jan):
    assert jan.loc["overall", "won_amount"] == pytest.approx(20000)
    assert jan.loc["overall", "avg_deal_size"] == pytest.approx(5000)
    assert jan.loc["pull", "avg_deal_size"] == pytest.approx(6000)
    assert jan.loc["push", "avg_deal_size"] == pytest.approx(2000)


def test_sales_cycle_is_median_fractional_days_of_won_deals(jan):
    # won in January: 70, 20, 10 and 28.5 days -> median 24.25
    assert jan.loc["overall", "sales_cycle_days"] == pytest.approx(24.25)
    assert jan.loc["pull", "sales_cycle_days"] == pytest.approx(28.5)
    assert jan.loc["push", "sales_cycle_days"] == pytest.approx(10)


def test_open_pipeline_is_a_snapshot_at_the_period_end(jan):
    # D5 is still open; D6 closes on 15 February, so it was open on 31 January.
    assert jan.loc["overall", ["open_opportunities", "open_pipeline_amount"]].tolist() == [2, 11000]
    assert jan.loc["pull", "open_pipeline_amount"] == pytest.approx(4000)
    assert jan.loc["push", "open_pipeline_amount"] == pytest.approx(7000)


def test_pipeline_velocity_is_open_x_win_rate_x_size_over_cycle(jan):
    assert jan.loc["overall", "pipeline_velocity"] == pytest.approx(2 * 0.8 * 5000 / 24.25)
    assert jan.loc["pull", "pipeline_velocity"] == pytest.approx(1 * 1.0 * 6000 / 28.5)
    assert jan.loc["push", "pipeline_velocity"] == pytest.approx(100)


def test_new_customers_exclude_accounts_that_had_won_before(jan):
    # A1 wins twice in January (D1, D7): one new customer; A6 wins in February.
    assert jan.loc["overall", "new_customers"] == 3
    assert jan.loc["pull", "new_customers"] == 2
    assert jan.loc["push", "new_customers"] == 1


def test_cac_charges_marketing_to_pull_and_sales_to_push_by_default(jan):
    assert jan.loc["overall", ["marketing_spend", "sales_spend"]].tolist() == [4500, 6000]
    assert jan.loc["overall", "cac"] == pytest.approx(10500 / 3)
    assert jan.loc["pull", "cac"] == pytest.approx(4500 / 2)
    assert jan.loc["push", "cac"] == pytest.approx(6000 / 1)


def test_pull_share_of_sales_moves_sales_cost_into_pull_cac(tmp_path):
    from tests.fixtures import build_tiny_workspace

    ws = Workspace(build_tiny_workspace(tmp_path / "t.duckdb"))
    try:
        ws.set_setting("pull_share_of_sales", "0.5")
        df = metrics.headline(ws, JAN)
    finally:
        ws.close()
    assert df.loc["pull", "cac"] == pytest.approx((4500 + 3000) / 2)
    assert df.loc["push", "cac"] == pytest.approx(3000 / 1)
    assert df.loc["overall", "cac"] == pytest.approx(10500 / 3)


def test_segment_filter_limits_leads_and_deals_but_not_spend(tiny_ws):
    df = metrics.headline(tiny_ws, Filters(date(2025, 1, 1), date(2025, 1, 31), segments=("SMB",)))
    assert df.loc["overall", "leads"] == 3  # L1, L2, L5
    assert df.loc["overall", "won_amount"] == pytest.approx(7000)  # D2 + D4
    assert df.loc["overall", "marketing_spend"] == pytest.approx(4500)


def test_all_time_covers_every_closed_deal(tiny_ws):
    df = metrics.headline(tiny_ws, Filters())
    assert df.loc["overall", ["won", "lost"]].tolist() == [5, 2]
    assert df.loc["overall", "open_pipeline_amount"] == pytest.approx(7000)


def test_empty_period_gives_zero_counts_and_undefined_ratios(tiny_ws):
    df = metrics.headline(tiny_ws, Filters(date(2030, 1, 1), date(2030, 1, 31)))
    assert df.loc["pull", "won"] == 0
    assert metrics.as_json_dict(df)["pull"]["win_rate"] is None


def test_won_revenue_by_month_splits_motions(tiny_on):
    df = metrics.won_revenue_by_month(tiny_on, Filters())
    got = {(r.month.strftime("%Y-%m-%d"), r.motion): r.won_amount for r in df.itertuples()}
    assert got == {
        ("2025-01-01", "pull"): 18000,
        ("2025-01-01", "push"): 2000,
        ("2025-02-01", "pull"): 4000,
    }


def test_previous_period_has_equal_length():
    prev = JAN.previous_period()
    assert (prev.date_from, prev.date_to) == (date(2024, 12, 1), date(2024, 12, 31))


def test_deal_metrics_by_segment_match_hand_figures(tiny_on):
    df = metrics.deal_metrics_by(tiny_on, JAN, "segment").set_index(
        ["dimension_value", "motion_group"]
    )
    # SMB in January: D2 won 5000 (pull), D4 won 2000 (push); opportunities D2, D4, D5.
    smb = df.loc[("SMB", "overall")]
    assert (smb["won"], smb["lost"], smb["opportunities"]) == (2, 0, 3)
    assert smb["avg_deal_size"] == pytest.approx(3500)
    assert smb["sales_cycle_days"] == pytest.approx(15)
    # Enterprise in January: D1 and D7 won (pull), D3 lost (push).
    ent = df.loc[("Enterprise", "overall")]
    assert ent["win_rate"] == pytest.approx(2 / 3)
    assert df.loc[("Enterprise", "push"), "win_rate"] == pytest.approx(0)


def test_deal_metrics_by_agrees_with_headline_when_summed(tiny_ws):
    by = metrics.deal_metrics_by(tiny_ws, JAN, "region")
    head = metrics.headline(tiny_ws, JAN)
    overall = by[by.motion_group == "overall"]
    assert overall["won_amount"].sum() == pytest.approx(head.loc["overall", "won_amount"])
    assert overall["won"].sum() == head.loc["overall", "won"]


def test_deal_metrics_by_refuses_unknown_dimension(tiny_ws):
    with pytest.raises(ValueError, match="unknown dimension"):
        metrics.deal_metrics_by(tiny_ws, JAN, "amount; drop table deals")


def test_a_deal_without_created_date_still_counts_when_it_closes_in_the_period(tmp_path):
    from tests.fixtures import build_tiny_workspace

    ws = Workspace(build_tiny_workspace(tmp_path / "t.duckdb"))
    try:
        with ws.transaction() as cur:
            cur.execute(
                "insert into raw_deals (deal_id, account, closed_at, outcome, amount, segment, "
                "source) values ('D9', 'A9', '2025-01-20', 'won', 1000, 'SMB', 'Outbound')"
            )
            refresh_lead_facts(cur)  # as every writer of the records does
        head = metrics.headline(ws, JAN)
        by = metrics.deal_metrics_by(ws, JAN, "segment").set_index(
            ["dimension_value", "motion_group"]
        )
    finally:
        ws.close()
    assert head.loc["push", "won"] == 2  # D4 and D9
    assert head.loc["overall", "won_amount"] == pytest.approx(21000)
    assert head.loc["push", "open_opportunities"] == 1  # D9 is closed, D5 still open
    assert by.loc[("SMB", "overall"), "won"] == 3


def test_cac_is_undefined_under_a_segment_filter_because_spend_is_company_wide(tiny_ws):
    # dividing all spend by one segment's customers would overstate CAC: it is left undefined,
    # while the customers themselves are still counted
    everything = metrics.headline(tiny_ws, JAN)
    segment = str(tiny_ws.query("filter_options").query("dimension == 'segment'")["value"].iloc[0])
    one = metrics.headline(tiny_ws, replace(JAN, segments=(segment,)))
    assert everything["cac"].notna().any()
    assert one["cac"].isna().all()
    assert one.loc["overall", "new_customers"] <= everything.loc["overall", "new_customers"]


# -- issue 16: the right number, or null with the reason ---------------------------------------
def _tiny(tmp_path, *statements: str, settings: dict[str, str] | None = None) -> Workspace:
    """The tiny workspace with some rows changed (the caller closes it)."""
    from tests.fixtures import build_tiny_workspace

    ws = Workspace(build_tiny_workspace(tmp_path / "t.duckdb"))
    with ws.transaction() as cur:
        for sql in statements:
            cur.execute(sql)
        refresh_lead_facts(cur)  # as every writer of the records does
    for key, value in (settings or {}).items():
        ws.set_setting(key, value)
    return ws


def test_mqls_follow_the_saved_definition_as_on_funnel_health(tmp_path):
    from queries import funnel

    # January by the CRM's MQL date: L1 (6 Jan), L3 (20 Jan), L4 (2 Jan) = 3 (2 pull, 1 push).
    # By "score >= 70": L1 (80) and L4 (90), both pull; L3 (60) no longer counts = 2.
    ws = _tiny(tmp_path, settings={"funnel_mql_rule": "score", "funnel_mql_score_threshold": "70"})
    try:
        head = metrics.headline(ws, JAN)
        period = funnel.period_stage_counts(ws, JAN)
    finally:
        ws.close()
    assert head.loc[["overall", "pull", "push"], "mqls"].tolist() == [2, 2, 0]
    split = period[(period.grain == "split") & (period.stage == "mql")]
    assert int(split["count_reached"].sum()) == head.loc["overall", "mqls"]


def test_a_lead_qualified_by_score_alone_is_an_mql_of_the_month_it_was_created(tmp_path):
    # "score or recorded" at 50: L1, L3, L4 by date and no other January lead scores >= 50;
    # at 5: L2 (40) and L5 (10) created in January join them
    ws = _tiny(
        tmp_path,
        settings={"funnel_mql_rule": "score_or_recorded", "funnel_mql_score_threshold": "5"},
    )
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    assert head.loc["overall", "mqls"] == 5
    assert head.loc["unmapped", "mqls"] == 1


def test_without_spend_cac_and_spend_are_null_with_the_reason(tmp_path):
    import json

    ws = _tiny(tmp_path, "delete from spend")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    for group in ("overall", "pull", "push"):
        assert pd.isna(head.loc[group, "cac"]), group
    assert pd.isna(head.loc["overall", "marketing_spend"])
    assert pd.isna(head.loc["overall", "sales_spend"])
    data = metrics.as_json_dict(head, JAN)
    assert json.loads(json.dumps(data, allow_nan=False)) == data  # no NaN reaches the JSON
    assert [data[g]["cac"] for g in ("overall", "pull", "push")] == [None, None, None]
    assert data["overall"]["marketing_spend"] is None
    notes = {g: data[g]["notes"] for g in ("overall", "pull", "push")}
    assert notes["overall"]["cac"] == "No spend imported — import spend on the Data page."
    assert notes["pull"]["cac"] == "No marketing spend imported — import spend on the Data page."
    assert notes["push"]["cac"].startswith("No sales spend imported")
    # the counts stay figures
    assert data["overall"]["new_customers"] == 3


def test_with_marketing_spend_only_push_cac_is_null_and_blended_says_what_it_counts(tmp_path):
    ws = _tiny(tmp_path, "delete from spend where category = 'sales'")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    assert head.loc["overall", "cac"] == pytest.approx(4500 / 3)
    assert head.loc["pull", "cac"] == pytest.approx(4500 / 2)
    assert pd.isna(head.loc["push", "cac"])
    overall = metrics.notes(head.loc["overall"].to_dict(), "overall", JAN)
    push = metrics.notes(head.loc["push"].to_dict(), "push", JAN)
    assert overall["cac"] == "Counts marketing spend only: no sales spend in this period."
    assert push["cac"].startswith("No sales spend imported")
    assert "cac" not in metrics.notes(head.loc["pull"].to_dict(), "pull", JAN)


def test_spend_in_the_workspace_but_not_in_the_period_is_named_as_such(tiny_ws):
    later = Filters(date(2030, 1, 1), date(2030, 1, 31))
    head = metrics.headline(tiny_ws, later)
    assert pd.isna(head.loc["overall", "cac"])
    assert metrics.notes(head.loc["overall"].to_dict(), "overall", later)["cac"] == (
        "No spend recorded in this period."
    )


def test_open_pipeline_is_null_when_no_open_deal_has_an_amount(tmp_path):
    # D5 (push, 7000) and D6 (pull, 4000) are open on 31 January; without amounts the pipeline
    # is unknown, not $0 (and its change against December is then undefined, not −100 %)
    ws = _tiny(tmp_path, "update raw_deals set amount = null where deal_id in ('D5', 'D6')")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    assert pd.isna(head.loc["overall", "open_pipeline_amount"])
    assert head.loc["overall", "open_opportunities"] == 2
    note = metrics.notes(head.loc["overall"].to_dict(), "overall", JAN)["open_pipeline_amount"]
    assert note == "2 of 2 open deals have no amount."
    assert metrics.as_json_dict(head, JAN)["overall"]["open_pipeline_amount"] is None


def test_open_pipeline_keeps_the_amounts_it_has_and_counts_the_rest(tmp_path):
    ws = _tiny(tmp_path, "update raw_deals set amount = null where deal_id = 'D5'")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    assert head.loc["overall", "open_pipeline_amount"] == pytest.approx(4000)  # D6 only
    assert pd.isna(head.loc["push", "open_pipeline_amount"])  # D5 was push's only open deal
    overall = metrics.notes(head.loc["overall"].to_dict(), "overall", JAN)
    assert overall["open_pipeline_amount"] == "1 of 2 open deals have no amount."
    assert "open_pipeline_amount" not in metrics.notes(head.loc["pull"].to_dict(), "pull", JAN)


def test_no_open_deal_is_a_real_zero_pipeline(tiny_ws):
    head = metrics.headline(tiny_ws, Filters(date(2024, 1, 1), date(2024, 1, 31)))
    assert head.loc["overall", "open_pipeline_amount"] == 0


def test_won_revenue_is_null_when_no_won_deal_has_an_amount(tmp_path):
    # January's won deals D1, D2, D4, D7: without amounts, revenue and deal size are unknown
    ws = _tiny(tmp_path, "update raw_deals set amount = null where outcome = 'won'")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    assert head.loc["overall", "won"] == 4
    for key in ("won_amount", "avg_deal_size", "pipeline_velocity"):
        assert pd.isna(head.loc["overall", key]), key
    note = metrics.notes(head.loc["overall"].to_dict(), "overall", JAN)
    assert note["won_amount"] == "4 of 4 won deals have no amount."
    assert note["avg_deal_size"] == note["won_amount"]


def test_win_rate_without_lost_deals_keeps_the_figure_with_a_caveat(tmp_path):
    ws = _tiny(tmp_path, "delete from raw_deals where outcome = 'lost'")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    assert head.loc["overall", "win_rate"] == pytest.approx(1.0)
    note = metrics.notes(head.loc["overall"].to_dict(), "overall", JAN)["win_rate"]
    assert note.startswith("No lost deals in the file: a win rate of 100 %")
    # with a lost deal there is nothing to caveat
    assert "win_rate" not in metrics.notes({"won": 4, "lost": 1}, "overall", JAN)


def test_without_any_pull_or_push_source_the_engines_figures_are_null(tmp_path):
    ws = _tiny(tmp_path, "delete from source_motion")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    assert head.loc["overall", "won"] == 4  # the company's figures stay
    for group in ("pull", "push"):
        for key in ("leads", "won", "win_rate", "won_amount", "open_pipeline_amount", "cac"):
            assert pd.isna(head.loc[group, key]), (group, key)
    data = metrics.as_json_dict(head, JAN)
    assert data["pull"]["won"] is None and data["push"]["opportunities"] is None
    assert data["pull"]["notes"]["won"].startswith("No deal of the period has a pull or push")
    assert data["push"]["notes"]["leads"].startswith("No lead of the period has a pull or push")
    assert data["pull"]["marketing_spend"] == pytest.approx(4500)  # spend is no engine's count


def test_without_any_lead_the_lead_counts_are_null_but_the_deals_stay(tmp_path):
    ws = _tiny(tmp_path, "delete from raw_leads")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    data = metrics.as_json_dict(head, JAN)
    for group in ("overall", "pull", "push"):
        assert [data[group][k] for k in ("leads", "mqls", "sqls")] == [None] * 3, group
        assert data[group]["notes"]["leads"] == (
            "No leads imported — import leads on the Data page."
        )
    assert data["overall"]["won"] == 4 and data["pull"]["won"] == 3


def test_a_period_without_leads_in_a_workspace_with_leads_counts_zero(tiny_ws):
    head = metrics.headline(tiny_ws, Filters(date(2030, 1, 1), date(2030, 1, 31)))
    assert head.loc["overall", "leads"] == 0
    assert "leads" not in metrics.notes(head.loc["overall"].to_dict(), "overall", JAN)


def test_without_any_deal_the_deal_figures_are_null_and_the_spend_stays(tmp_path):
    ws = _tiny(tmp_path, "delete from raw_deals")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    data = metrics.as_json_dict(head, JAN)
    for key in ("opportunities", "won", "won_amount", "open_pipeline_amount", "cac"):
        assert data["overall"][key] is None, key
        assert data["overall"]["notes"][key] == "No deals imported — import deals on the Data page."
    assert data["overall"]["marketing_spend"] == pytest.approx(4500)
    assert data["overall"]["leads"] == 4


def test_won_deals_without_creation_dates_have_no_cycle_and_say_so(tmp_path):
    ws = _tiny(tmp_path, "update raw_deals set created_at = null where outcome = 'won'")
    try:
        head = metrics.headline(ws, JAN)
    finally:
        ws.close()
    assert pd.isna(head.loc["overall", "sales_cycle_days"])
    note = metrics.notes(head.loc["overall"].to_dict(), "overall", JAN)["sales_cycle_days"]
    assert note == "No won deal has a creation date (4 won): the sales cycle needs both dates."


@pytest.mark.lake_wide  # the sample copied into a lake: under make test-lake only
def test_the_sample_headline_is_the_same_on_both_backends(sample_on, sample_path, tmp_path):
    import shutil

    from queries.filters import ALL_FROM, ALL_TO

    f = Filters(ALL_FROM, ALL_TO)
    copy = tmp_path / "sample.duckdb"  # another test of this process may hold the file open
    shutil.copy(sample_path, copy)
    other = sample_on
    if other == sample_path:  # the file backend: a copy too, for the same reason
        other = tmp_path / "again.duckdb"
        shutil.copy(sample_path, other)
    figures = []
    for where in (copy, other):
        ws = Workspace(where, read_only=True)
        try:
            figures.append(metrics.as_json_dict(metrics.headline(ws, f), f))
        finally:
            ws.close()
    assert figures[0]["overall"]["won"] > 100  # the sample at scale 1, not an empty workspace
    assert figures[1] == figures[0]
