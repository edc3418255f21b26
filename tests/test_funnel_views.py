"""Funnel health, the other views: funnel by cohort vs by period (with splits, months and the
maturing cohorts), leakage, lost reasons, open pipeline, stuck deals and data-trust checks,
against figures computed by hand; and the new chart builders read back from their JSON.

Tiny workspace, January 2025 (tests/fixtures.py): pull leads L1 (won through D2) and L2; push
L3 (deal D3 lost); L5 unmapped; L4 (pull) created in December, won through D1 in January.
"""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from components.charts import funnel as funnel_charts
from components.charts.theme import PULL_COLOR, PUSH_COLOR
from components.export import tables as exports
from planning import data_checks, handoff, lifecycle
from queries import funnel, metrics
from queries.filters import Filters
from queries.workspace import Workspace
from tests.apptest_utils import plain
from tests.fixtures import build_tiny_workspace

JAN = Filters(date(2025, 1, 1), date(2025, 1, 31))
RECORDED = handoff.MqlDefinition()
LABELS = {"pull": "Pull", "push": "Push", "overall": "Overall", "unmapped": "Unmapped"}


def _counts(df: pd.DataFrame, motion: str) -> list[int]:
    return df[df["motion"] == motion].sort_values("stage_order")["count_reached"].tolist()


# -- cohort and period differ on purpose ---------------------------------------------------------
def test_cohort_and_period_conversion_differ_for_the_same_month(tiny_ws):
    cohort = funnel.funnel_by_cohort(tiny_ws, JAN, RECORDED)
    period = funnel.funnel_by_period(tiny_ws, JAN, RECORDED)
    # cohort: of L1, L2 one reached each later stage (L1); period: L4's MQL and D1's win
    # (a December lead) and D7 (a deal without a lead) fall in January too
    assert _counts(cohort, "pull") == [2, 1, 1, 1, 1]
    assert _counts(period, "pull") == [2, 2, 1, 2, 3]
    cohort_won = cohort[(cohort.motion == "pull") & (cohort.stage == "won")]
    period_won = period[(period.motion == "pull") & (period.stage == "won")]
    assert cohort_won["share_of_first"].iloc[0] == pytest.approx(0.5)
    assert period_won["share_of_first"].iloc[0] == pytest.approx(1.5)


def test_period_counts_equal_the_headline_counts_with_the_crm_mql_date(tiny_ws):
    period = funnel.funnel_by_period(tiny_ws, JAN, RECORDED)
    head = metrics.headline(tiny_ws, JAN)
    columns = ["leads", "mqls", "sqls", "opportunities", "won"]
    for motion in ("pull", "push", "unmapped"):
        if motion in head.index:
            expected = [int(head.loc[motion, c]) for c in columns]
            assert _counts(period, motion) == expected or (
                not any(expected) and _counts(period, motion) == []
            )


def test_cohort_split_by_segment_keeps_each_value_apart(tiny_ws):
    counts = funnel.cohort_stage_counts(tiny_ws, JAN, RECORDED, "segment")
    by = lifecycle.summarise_stages(counts, by=("split_value", "motion"))
    smb = by[(by.split_value == "SMB") & (by.motion == "pull")]
    assert smb.sort_values("stage_order")["count_reached"].tolist() == [2, 1, 1, 1, 1]
    ent = by[(by.split_value == "Enterprise") & (by.motion == "push")]
    assert ent.sort_values("stage_order")["count_reached"].tolist() == [1, 1, 1, 1, 0]


def test_unknown_split_is_refused(tiny_ws):
    with pytest.raises(ValueError, match="split"):
        funnel.cohort_stage_counts(tiny_ws, JAN, RECORDED, "lead_id; drop table leads")


def test_monthly_conversion_by_cohort_and_by_period(tiny_ws):
    dec_jan = Filters(date(2024, 12, 1), date(2025, 1, 31))
    cohort = lifecycle.monthly_conversion(
        funnel.cohort_stage_counts(tiny_ws, dec_jan, RECORDED), mode="cohort"
    )
    pull = cohort[cohort.motion == "pull"].set_index("month")["conversion"]
    # December cohort: L4, won; January: L1 won of L1, L2
    assert pull.to_dict() == {
        pd.Timestamp("2024-12-01"): pytest.approx(1.0),
        pd.Timestamp("2025-01-01"): pytest.approx(0.5),
    }
    period = lifecycle.monthly_conversion(
        funnel.period_stage_counts(tiny_ws, dec_jan, RECORDED), mode="period"
    )
    jan = period[(period.motion == "pull") & (period.month == pd.Timestamp("2025-01-01"))]
    assert jan["conversion"].iloc[0] == pytest.approx(3 / 2)  # D1, D2, D7 won; L1, L2 created


def test_maturing_cohorts_start_maturity_days_before_the_data_end():
    counts = pd.DataFrame(
        {
            "cohort_month": [date(2025, 1, 1)],
            "maturity_days": [40.0],
            "data_end": [pd.Timestamp("2025-06-20")],
        }
    )
    # 20 June - 40 days = 11 May: cohorts from June on have not had 40 days
    assert lifecycle.maturing_from(counts) == date(2025, 6, 1)
    counts["data_end"] = pd.Timestamp("2025-06-10")  # 1 May exactly: May is still maturing
    assert lifecycle.maturing_from(counts) == date(2025, 5, 1)


def test_cohort_query_reports_the_days_to_win_and_the_data_end(tiny_ws):
    counts = funnel.cohort_stage_counts(tiny_ws, JAN, RECORDED)
    # the only won January lead: L1 (5 Jan 09:00) won by D2 on 30 Jan: 24 days 15 hours
    assert counts["maturity_days"].iloc[0] == pytest.approx(24 + 15 / 24)
    assert pd.Timestamp(counts["data_end"].iloc[0]) == pd.Timestamp("2025-02-15")


def test_leakage_counts_where_the_cohort_stopped(tiny_ws):
    leak = lifecycle.leakage(funnel.funnel_by_cohort(tiny_ws, JAN, RECORDED))
    pull = leak[leak.motion == "pull"].set_index("stage")
    assert pull["count_stopped"].tolist() == [1, 0, 0, 0, 1]  # L2 a lead, L1 won
    push = leak[leak.motion == "push"].set_index("stage")
    assert push.loc["opportunity", "count_stopped"] == 1  # L3's deal was lost
    assert push.loc["opportunity", "share_of_leads"] == pytest.approx(1.0)


# -- deals: lost reasons, open pipeline, stuck deals -----------------------------------------
@pytest.fixture
def deals_ws(tmp_path: Path):
    """The tiny workspace plus open Proposal deals: S1 created 5 Feb (10 days old on 15 Feb,
    the data's end), S2 created 17 Dec (60 days, named like a formula), S3 without a created
    date; D5 (20 Jan, 26 days) is the fixture's own. And a lost pull deal with a reason, L1
    (' Price ')."""
    ws = Workspace(build_tiny_workspace(tmp_path / "deals.duckdb"))
    with ws.transaction() as cur:
        cur.executemany(
            "insert into raw_deals (deal_id, name, account, created_at, closed_at, stage, "
            "outcome, amount, product, segment, region, owner, source, currency, lost_reason) "
            "values (?, ?, ?, ?, ?, ?, ?, ?, 'Core', 'SMB', 'EMEA', ?, ?, 'USD', ?)",
            [
                ("S1", "New", "AS1", "2025-02-05", None, "Proposal", "open", 100, "Ann",
                 "Webinar", None),
                ("S2", "=HYPERLINK(1)", "AS2", "2024-12-17", None, "Proposal", "open", 900,
                 "Ann", "Webinar", None),
                ("S3", "Undated", "AS3", None, None, "Proposal", "open", 50, "Bob", "Outbound",
                 None),
                ("L1", "Lost one", "AL1", "2025-01-02", "2025-01-12", "Closed Lost", "lost",
                 500, "Ann", "Webinar", " Price "),
            ],
        )  # fmt: skip
    yield ws
    ws.close()


def test_stuck_deals_are_older_than_a_multiple_of_their_stage_median(deals_ws):
    # Proposal ages with a created date: S1 10, D5 26, S2 60 days -> median 26
    two = funnel.stuck_deals(deals_ws, JAN, 2.0)
    assert two["deal_id"].tolist() == ["S2"]  # 60 > 52
    assert two["age_days"].iloc[0] == pytest.approx(60.0)
    assert two["stage_median_days"].iloc[0] == pytest.approx(26.0)
    assert two["age_ratio"].iloc[0] == pytest.approx(60 / 26)
    one = funnel.stuck_deals(deals_ws, JAN, 1.0)
    assert one["deal_id"].tolist() == ["S2"]  # D5 is the median itself, not older
    assert funnel.stuck_deals(deals_ws, JAN, 0.3)["deal_id"].tolist() == ["S2", "D5", "S1"]


def test_stuck_deals_export_neutralises_formula_looking_names(deals_ws):
    stuck = funnel.stuck_deals(deals_ws, JAN, 2.0)
    text = exports.csv_bytes(stuck[["deal_id", "name", "amount"]]).decode("utf-8-sig")
    row = pd.read_csv(io.StringIO(text)).iloc[0]
    assert row["name"] == "'=HYPERLINK(1)"
    assert row["amount"] == pytest.approx(900)


def test_open_deals_by_stage_sum_amounts_and_ages(deals_ws):
    df = funnel.open_deals_by_stage(deals_ws, JAN).set_index(["motion", "stage"])
    pull = df.loc[("pull", "Proposal")]
    assert (pull["count_open"], pull["open_amount"]) == (2, pytest.approx(1000))
    assert pull["median_age_days"] == pytest.approx(35.0)  # S1 10, S2 60
    push = df.loc[("push", "Proposal")]
    assert (push["count_open"], push["open_amount"]) == (2, pytest.approx(7050))  # D5, S3
    assert push["median_age_days"] == pytest.approx(26.0)  # S3 has no age


def test_lost_reasons_trim_text_and_keep_deals_without_one(deals_ws):
    df = funnel.lost_reasons(deals_ws, JAN)
    assert df[["motion", "lost_reason", "count_lost"]].values.tolist() == [
        ["pull", "Price", 1],
        ["push", "", 1],  # D3 has no reason
    ]


# -- data trust --------------------------------------------------------------------------------
@pytest.fixture
def messy_ws(tmp_path: Path):
    """The tiny workspace plus January leads in HubSpot's catch-all source and with none, and a
    deal without a created date closed (lost) in January."""
    ws = Workspace(build_tiny_workspace(tmp_path / "messy.duckdb"))
    with ws.transaction() as cur:
        cur.executemany(
            "insert into raw_leads (lead_id, created_at, source) values (?, ?, ?)",
            [
                ("M1", "2025-01-03", "Offline Sources"),
                ("M2", "2025-01-04", "OFFLINE SOURCES "),
                ("M3", "2025-01-05", None),
            ],
        )
        cur.execute(
            "insert into raw_deals (deal_id, closed_at, outcome, amount, source) "
            "values ('X1', '2025-01-20', 'lost', 10, 'Outbound')"
        )
    yield ws
    ws.close()


def test_lead_checks_ignore_the_product_filter_so_one_cached_result_serves_every_product(
    messy_ws,
):
    plain = funnel.lead_trust(messy_ws, JAN)
    assert plain.equals(funnel.lead_trust(messy_ws, replace(JAN, products=("Core",))))
    assert plain["count_leads"].sum() == 7  # L1, L2, L3, L5 and M1..M3
    # the deal checks follow it: no deal has a product called "None such"
    assert funnel.deal_trust(messy_ws, JAN)["count_deals"].sum() > 0
    nothing = funnel.deal_trust(messy_ws, replace(JAN, products=("None such",)))
    assert nothing.empty
    combined = data_checks.combine_trust(plain, nothing)
    assert combined["count_leads"].sum() == 7
    assert combined["count_deals"].sum() == 0


def test_trust_checks_count_catch_all_and_missing_sources_and_undated_deals(messy_ws):
    checks = funnel.data_trust(messy_ws, JAN)
    total = checks.sum(numeric_only=True)
    # January leads: L1, L2, L3, L5 + M1..M3
    assert (total["count_leads"], total["count_catch_all"], total["count_no_source"]) == (7, 2, 1)
    assert total["count_no_created"] == 1
    codes = {w.code: w for w in data_checks.trust_warnings(checks, mql=RECORDED)}
    assert codes["catch_all"].count == 2
    assert codes["catch_all"].share == pytest.approx(2 / 7)
    assert codes["no_source"].count == 1
    assert codes["no_created"].count == 1
    # closed in January: pull D1, D2, D7 (3); push D3, D4, X1 (3): both under 30
    thin = sorted(
        w.detail
        for w in data_checks.trust_warnings(checks, mql=RECORDED)
        if w.code == "thin_motion"
    )
    assert thin == ["pull", "push"]


def test_trust_flags_a_stage_no_lead_has_and_thin_split_values(tiny_ws):
    checks = funnel.data_trust(tiny_ws, JAN, "segment")
    no_sql = checks.assign(count_sql_at=0)
    warnings = data_checks.trust_warnings(no_sql, mql=RECORDED)
    assert [w.detail for w in warnings if w.code == "never_timestamped"] == ["sql_at"]
    split = [w for w in warnings if w.code == "thin_split"]
    assert split and split[0].count == 2  # SMB and Enterprise, a handful of deals each


# -- chart builders ----------------------------------------------------------------------------
def _spec(fig) -> dict:
    return plain(json.loads(fig.to_json()))


def test_monthly_chart_shades_the_maturing_months_behind_motion_lines():
    df = pd.DataFrame(
        {
            "motion": ["pull", "pull", "push", "push"],
            "month": pd.to_datetime(["2025-01-01", "2025-02-01"] * 2),
            "count_leads": [10, 10, 5, 5],
            "count_won": [2, 1, 1, 0],
            "conversion": [0.2, 0.1, 0.2, 0.0],
        }
    )
    spec = _spec(
        funnel_charts.monthly_conversion(
            df,
            title="Lead to won by cohort",
            motion_labels=LABELS,
            y_title="Lead → won",
            x_title="Month",
            maturing_from=date(2025, 2, 1),
            maturing_label="still maturing",
        )
    )
    assert [t["line"]["color"] for t in spec["data"]] == [PULL_COLOR, PUSH_COLOR]
    assert spec["layout"]["shapes"][0]["type"] == "rect"
    assert spec["layout"]["annotations"][0]["text"] == "still maturing"
    assert spec["layout"]["yaxis"]["tickformat"] == ".0%"


def test_threshold_chart_marks_the_threshold_and_each_best_with_a_star():
    table = pd.DataFrame(
        {
            "motion": ["pull"] * 3 + ["push"] * 3,
            "threshold": [10.0, 20.0, 30.0] * 2,
            "count_above": [100, 60, 5, 100, 50, 40],
            "count_below": [0, 40, 95, 0, 50, 60],
            "won_share_above": [0.1, 0.15, 0.6, 0.05, 0.08, 0.09],
            "won_share_below": [None, 0.04, 0.08, None, 0.02, 0.03],
        }
    )
    spec = _spec(
        funnel_charts.threshold_tuner(
            table,
            title="Tuner",
            motion_labels=LABELS,
            threshold=20.0,
            best={"pull": 20.0, "push": 30.0},
            above_label="above",
            below_label="below",
            best_label="best",
            threshold_label="threshold 20",
            x_title="Score",
            y_title="Won",
            min_leads=30,
        )
    )
    stars = [t for t in spec["data"] if t.get("marker", {}).get("symbol") == "star"]
    assert [(s["x"], s["marker"]["color"]) for s in stars] == [
        ([20.0], PULL_COLOR),
        ([30.0], PUSH_COLOR),
    ]
    pull_above = spec["data"][0]
    assert pd.isna(pull_above["y"][2])  # 5 leads above 30: too few to draw
    assert spec["layout"]["shapes"][0]["x0"] == 20.0


def test_benchmark_bars_draw_the_bands_and_colour_each_group():
    df = pd.DataFrame({"motion": ["overall", "pull", "push"], "ltv_to_cac": [3.5, 5.0, 0.8]})
    spec = _spec(
        funnel_charts.benchmark_bars(
            df,
            value="ltv_to_cac",
            title="LTV:CAC",
            motion_labels=LABELS,
            bands=[(0, 1, "poor"), (1, 3, "ok"), (3, float("inf"), "good")],
            band_labels={"good": "good", "ok": "watch", "poor": "poor"},
            value_title="×",
            format_value=lambda v: f"{v:.1f}×",
        )
    )
    bar = spec["data"][0]
    assert bar["marker"]["color"][1:] == [PULL_COLOR, PUSH_COLOR]
    assert bar["text"] == ["3.5×", "5.0×", "0.8×"]
    rects = spec["layout"]["shapes"]
    assert [(r["y0"], r["fillcolor"]) for r in rects] == [
        (0, funnel_charts.BAND_COLORS["poor"]),
        (1, funnel_charts.BAND_COLORS["ok"]),
        (3, funnel_charts.BAND_COLORS["good"]),
    ]
    assert [a["text"] for a in spec["layout"]["annotations"]] == ["poor", "watch", "good"]


def test_category_bars_keep_motion_colours_and_category_order():
    df = pd.DataFrame(
        {
            "motion": ["pull", "pull", "push", "push"],
            "band": ["lt1", "never", "lt1", "never"],
            "share": [0.7, 0.3, 1.0, 0.0],
            "count_mqls": [7, 3, 4, 0],
        }
    )
    spec = _spec(
        funnel_charts.motion_category_bars(
            df,
            category="band",
            value="share",
            title="Bands",
            motion_labels=LABELS,
            category_labels={"lt1": "< 1 h", "never": "never"},
            value_title="Share",
            count_column="count_mqls",
        )
    )
    assert [t["marker"]["color"] for t in spec["data"]] == [PULL_COLOR, PUSH_COLOR]
    assert spec["data"][0]["x"] == ["< 1 h", "never"]
    assert spec["data"][1]["text"] == ["100%", ""]  # no label on an empty bar
    assert spec["layout"]["yaxis"]["tickformat"] == ".0%"


def test_horizontal_category_bars_leave_room_for_the_longest_label():
    # the lost reasons: "28%" outside the longest bar was cut at the figure's edge
    df = pd.DataFrame(
        {
            "motion": ["pull", "push", "pull", "push"],
            "reason": ["Competitor", "Competitor", "Price", "Price"],
            "share": [0.27, 0.17, 0.23, 0.28],
        }
    )

    def bars(**kw) -> dict:
        fig = funnel_charts.motion_category_bars(
            df,
            category="reason",
            value="share",
            title="Why deals are lost",
            motion_labels=LABELS,
            value_title="Share",
            **kw,
        )
        return _spec(fig)["layout"]

    assert bars(horizontal=True)["xaxis"]["range"] == pytest.approx([0, 0.28 * 1.15])
    # stacked labels sit inside their bars, and vertical bars grow upwards: no range set
    assert "range" not in bars(horizontal=True, stacked=True)["xaxis"]
    assert "range" not in bars()["yaxis"]
