"""The pure parts of the Campaign calendar (planning/): pacing, overlaps, field checks, the
iCalendar export and the expected pipeline of a planned campaign, each against rows worked out
by hand."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
from icalendar import Calendar

from planning import campaign_forecast, campaign_plan, pacing

# -- pacing ---------------------------------------------------------------------------------------
# id, channel, budget, days, days elapsed, spend to date
PACING_ROWS = [
    ("A", "Webinar", 1000, 10, 5, 700),  # half way, 70% spent: run rate -> 1400, over
    ("B", "Webinar", 1000, 10, 5, 400),  # run rate -> 800 < 900, under
    ("C", "Events", 1000, 10, 10, 950),  # finished at 950 >= 900, on pace
    ("D", "Events", 1000, 10, 0, 0),  # not started: projected at its budget
    ("E", "Search", 1000, 10, 2, 1200),  # spent more than its budget already: over
]


@pytest.fixture
def paced() -> pd.DataFrame:
    df = pd.DataFrame(
        PACING_ROWS,
        columns=[
            "campaign_id",
            "channel",
            "budget",
            "count_days",
            "count_days_elapsed",
            "spend_to_date",
        ],
    )
    df["planned_to_date"] = df["budget"] * df["count_days_elapsed"] / df["count_days"]
    return pacing.pace(df).set_index("campaign_id", drop=False)


def test_projected_end_spend_keeps_the_run_rate_of_a_running_campaign(paced: pd.DataFrame):
    assert paced["projected_spend"].to_dict() == pytest.approx(
        {"A": 1400, "B": 800, "C": 950, "D": 1000, "E": 6000}
    )
    assert paced.loc["A", "pace_ratio"] == pytest.approx(700 / 500)
    assert pd.isna(paced.loc["D", "pace_ratio"])


def test_pacing_flags_over_under_on_pace_and_not_started(paced: pd.DataFrame):
    assert paced["pace_status"].to_dict() == {
        "A": "over",
        "B": "under",
        "C": "on_pace",
        "D": "not_started",
        "E": "over",
    }


def test_channel_pacing_sums_its_campaigns_and_flags_the_sums(paced: pd.DataFrame):
    ch = pacing.by_channel(paced.reset_index(drop=True)).set_index("channel")
    # Webinar: budget 2000, projected 1400 + 800 = 2200 = exactly 10% over: still on pace
    assert ch.loc["Webinar", ["budget", "projected_spend"]].tolist() == [2000, 2200]
    assert ch.loc["Webinar", "pace_status"] == "on_pace"
    # Events: 950 + 1000 against 2000
    assert ch.loc["Events", "projected_spend"] == 1950
    assert ch.loc["Events", "pace_status"] == "on_pace"
    assert ch.loc["Search", "pace_status"] == "over"
    assert ch.loc["Webinar", "count_campaigns"] == 2


# -- overlaps -------------------------------------------------------------------------------------
def _plan(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        rows,
        columns=[
            "campaign_id",
            "name",
            "channel",
            "objective",
            "segment",
            "start_date",
            "end_date",
        ],
    ).assign(
        start_date=lambda d: pd.to_datetime(d["start_date"]),
        end_date=lambda d: pd.to_datetime(d["end_date"]),
    )


OVERLAP_PLAN = _plan(
    [
        ("C1", "One", "Webinar", "awareness", "SMB", "2025-01-01", "2025-01-31"),
        ("C2", "Two", "Search", "awareness", None, "2025-01-20", "2025-02-10"),
        ("C3", "Three", "Events", "awareness", "Enterprise", "2025-01-25", "2025-02-05"),
        ("C4", "Four", "Webinar", "consideration", "SMB", "2025-01-01", "2025-01-31"),
        ("C5", "Five", "Social", "awareness", "SMB", "2025-02-01", "2025-02-28"),
    ]
)


def test_overlaps_are_same_stage_same_segment_on_a_common_day():
    pairs = campaign_plan.overlaps(OVERLAP_PLAN)
    got = {(r.campaign_id_a, r.campaign_id_b): r.count_days for r in pairs.itertuples()}
    # C2 (all segments) overlaps every awareness campaign it meets; C1 ends the day before C5
    # starts; C3 (Enterprise) and C1 (SMB) aim at different segments; C4 is another stage.
    assert got == {("C1", "C2"): 12, ("C2", "C3"): 12, ("C2", "C5"): 10}
    first = pairs.iloc[0]
    assert (first["overlap_start"], first["overlap_end"]) == (date(2025, 1, 20), date(2025, 1, 31))
    assert first["segment"] == "SMB"  # the narrower segment of the pair


def test_overlap_counts_per_campaign():
    pairs = campaign_plan.overlaps(OVERLAP_PLAN)
    counts = campaign_plan.overlap_counts(OVERLAP_PLAN, pairs)
    assert counts.to_dict() == {"C1": 1, "C2": 3, "C3": 1, "C4": 0, "C5": 1}


def test_no_overlaps_in_an_empty_plan():
    assert campaign_plan.overlaps(OVERLAP_PLAN.iloc[0:0]).empty


# -- field checks ---------------------------------------------------------------------------------
CHANNELS = ("Webinar", "Paid Search")
GOOD = {
    "campaign_id": "CMP-0100",
    "name": "Spring webinar",
    "channel": "Webinar",
    "objective": "consideration",
    "start_date": date(2025, 3, 1),
    "end_date": date(2025, 3, 31),
    "budget": 5000.0,
    "status": "planned",
    "owner": "Ann",
    "segment": None,
}


def _problems(**changes: object) -> dict[str, str]:
    row = campaign_plan.clean(GOOD | changes)
    return campaign_plan.problems(
        row, channels=CHANNELS, segments=("SMB", "Enterprise"), taken_ids=("CMP-0001",)
    )


def test_a_complete_row_has_no_problem():
    assert _problems() == {}


def test_each_field_is_checked_with_its_own_message():
    assert _problems(end_date=date(2025, 2, 1)) == {"end_date": "end_before_start"}
    assert _problems(budget=-1) == {"budget": "negative_budget"}
    assert _problems(budget="lots") == {"budget": "not_a_number"}
    assert _problems(channel="Carrier pigeon") == {"channel": "unknown_channel"}
    assert _problems(objective="retention") == {"objective": "unknown_objective"}
    assert _problems(name="  ") == {"name": "required"}
    assert _problems(campaign_id="CMP-0001") == {"campaign_id": "duplicate_id"}
    assert _problems(start_date="someday") == {"start_date": "not_a_date"}
    assert _problems(segment="Galactic") == {"segment": "unknown_segment"}
    assert _problems(status="maybe") == {"status": "unknown_status"}


def test_several_problems_are_reported_together():
    got = _problems(channel=None, budget=-5, end_date=date(2025, 1, 1))
    assert got == {
        "channel": "required",
        "budget": "negative_budget",
        "end_date": "end_before_start",
    }


def test_zero_budget_and_text_dates_are_accepted():
    assert _problems(budget=0, start_date="2025-03-01", end_date="2025-03-01") == {}


def test_next_id_follows_the_highest_in_use():
    assert campaign_plan.next_id(["CMP-0009", "CMP-0070", "X-1"]) == "CMP-0071"
    assert campaign_plan.next_id([]) == "CMP-0001"


# -- iCalendar ----------------------------------------------------------------------------------
ICS_PLAN = pd.DataFrame(
    [
        {
            "campaign_id": "C1",
            "name": "Launch, phase 1; EMEA\nsecond line",
            "channel": "Webinar",
            "objective": "awareness",
            "start_date": date(2025, 1, 6),
            "end_date": date(2025, 1, 31),
            "budget": 4000.0,
            "owner": "Ann",
            "segment": None,
        },
        {
            "campaign_id": "C2",
            "name": "Search always-on",
            "channel": "Paid Search",
            "objective": "consideration",
            "start_date": date(2025, 2, 1),
            "end_date": date(2025, 2, 1),
            "budget": 100.0,
            "owner": "Bob",
            "segment": "SMB",
        },
    ]
)


def _ics(stamp: datetime | None = None) -> Calendar:
    raw = campaign_plan.to_ics(
        ICS_PLAN,
        calendar_name="Campaigns",
        describe=lambda r: f"Budget: {r['budget']:,.0f}; owner, {r['owner']}",
        workspace_key="ws",
        stamp=stamp,
    )
    return Calendar.from_ical(raw)


def test_ics_has_one_all_day_event_per_campaign_ending_the_day_after():
    events = _ics().walk("VEVENT")
    assert len(events) == 2
    first = events[0]
    start, end = first.decoded("dtstart"), first.decoded("dtend")
    assert type(start) is date and type(end) is date  # all-day: dates, not datetimes
    assert (start, end) == (date(2025, 1, 6), date(2025, 2, 1))
    one_day = events[1]
    assert (one_day.decoded("dtstart"), one_day.decoded("dtend")) == (
        date(2025, 2, 1),
        date(2025, 2, 2),
    )


def test_ics_text_with_commas_semicolons_and_line_breaks_survives_the_round_trip():
    cal = _ics()
    event = cal.walk("VEVENT")[0]
    assert str(event["summary"]) == "Launch, phase 1; EMEA\nsecond line"
    assert str(event["description"]) == "Budget: 4,000; owner, Ann"
    assert str(cal["x-wr-calname"]) == "Campaigns"
    raw = campaign_plan.to_ics(
        ICS_PLAN, calendar_name="Campaigns", describe=lambda r: "", workspace_key="ws"
    )
    assert b"Launch\\, phase 1\\; EMEA\\nsecond line" in raw


def test_ics_uids_are_stable_across_exports_and_distinct_per_campaign():
    a = [str(e["uid"]) for e in _ics(datetime(2025, 1, 1)).walk("VEVENT")]
    b = [str(e["uid"]) for e in _ics(datetime(2026, 6, 1)).walk("VEVENT")]
    assert a == b
    assert len(set(a)) == 2
    assert campaign_plan.ics_uid("C1", "ws") != campaign_plan.ics_uid("C1", "other")


# -- expected pipeline ----------------------------------------------------------------------------
AS_OF = date(2025, 4, 15)
HISTORY = pd.DataFrame(
    {
        "campaign_id": ["A", "B"],
        "start_date": [date(2025, 1, 10), date(2025, 3, 5)],
        "spend": [1000.0, 3000.0],
    }
)
OUTCOMES = pd.DataFrame(
    [
        ("A", 0, 2000.0, 0.0),
        ("A", 1, 1000.0, 500.0),
        ("A", 2, 0.0, 1000.0),
        ("B", 0, 3000.0, 0.0),
        ("B", 1, 9999.0, 0.0),  # B's second month (April) is not over on Apr 15: not counted
    ],
    columns=["campaign_id", "month_offset", "pipeline", "won"],
)


def test_profile_counts_only_campaigns_whose_month_is_over():
    prof = campaign_forecast.per_spend_profile(HISTORY, OUTCOMES, as_of=AS_OF, horizon=4)
    assert prof["count_campaigns"].tolist() == [2, 1, 1, 0]
    # month 0: (2000 + 3000) / (1000 + 3000); month 1: 1000 / 1000; month 2: 0 / 1000
    assert prof["pipeline_per_spend"].tolist()[:3] == pytest.approx([1.25, 1.0, 0.0])
    assert prof["won_per_spend"].tolist()[:3] == pytest.approx([0.0, 0.5, 1.0])
    assert pd.isna(prof.loc[3, "pipeline_per_spend"])


def test_expected_pipeline_scales_the_profile_by_the_budget_from_the_start_month():
    prof = campaign_forecast.per_spend_profile(HISTORY, OUTCOMES, as_of=AS_OF, horizon=4)
    got = campaign_forecast.expected_pipeline(prof, budget=2000, start=date(2025, 6, 15))
    assert got["month"].dt.strftime("%Y-%m").tolist() == ["2025-06", "2025-07", "2025-08"]
    assert got["expected_pipeline"].tolist() == pytest.approx([2500, 2000, 0])
    assert got["cumulative_won"].tolist() == pytest.approx([0, 1000, 3000])


def test_months_between_counts_calendar_months():
    assert campaign_forecast.months_between(date(2025, 1, 31), date(2025, 2, 1)) == 1
    assert campaign_forecast.months_between(date(2024, 11, 5), date(2025, 4, 15)) == 5


def test_the_plan_edits_exactly_the_columns_the_import_engine_stores():
    from planning import campaign_plan
    from queries.ingest import engine

    assert engine.COLUMNS["campaigns"] == campaign_plan.FIELDS


# -- the calendar's windows under a fiscal year ---------------------------------------------------
def test_zoom_windows_are_calendar_ones_by_default():
    assert campaign_plan.zoom_window("quarter", date(2026, 5, 10)) == (
        date(2026, 4, 1),
        date(2026, 6, 30),
    )
    assert campaign_plan.zoom_window("year", date(2026, 5, 10)) == (
        date(2026, 1, 1),
        date(2026, 12, 31),
    )
    assert campaign_plan.zoom_window("month", date(2024, 2, 10)) == (
        date(2024, 2, 1),
        date(2024, 2, 29),
    )


@pytest.mark.parametrize(
    ("start", "anchor", "quarter", "year"),
    [
        # April: 10 May 2026 is in Q1 (Apr–Jun) of FY2026/27 (Apr 2026–Mar 2027)
        (
            4,
            date(2026, 5, 10),
            (date(2026, 4, 1), date(2026, 6, 30)),
            (date(2026, 4, 1), date(2027, 3, 31)),
        ),
        # April: 15 March 2026 is in Q4 (Jan–Mar) of FY2025/26
        (
            4,
            date(2026, 3, 15),
            (date(2026, 1, 1), date(2026, 3, 31)),
            (date(2025, 4, 1), date(2026, 3, 31)),
        ),
        # October: 2 November 2025 is in Q1 (Oct–Dec) of FY2025/26 (Oct 2025–Sep 2026)
        (
            10,
            date(2025, 11, 2),
            (date(2025, 10, 1), date(2025, 12, 31)),
            (date(2025, 10, 1), date(2026, 9, 30)),
        ),
        # February: 20 January 2024 is in Q4 (Nov–Jan) of FY2023/24 (Feb 2023–Jan 2024)
        (
            2,
            date(2024, 1, 20),
            (date(2023, 11, 1), date(2024, 1, 31)),
            (date(2023, 2, 1), date(2024, 1, 31)),
        ),
    ],
)
def test_zoom_windows_follow_the_fiscal_year(start, anchor, quarter, year):
    assert campaign_plan.zoom_window("quarter", anchor, start) == quarter
    assert campaign_plan.zoom_window("year", anchor, start) == year
    assert campaign_plan.zoom_window("month", anchor, start) == campaign_plan.zoom_window(
        "month", anchor
    )


def test_journey_coverage_quarters_follow_the_fiscal_year(tmp_path):
    """The tiny workspace's campaigns under a fiscal year from February: C1 (consideration,
    1 Dec 2024 – 31 Jan 2025) lies in Q4 of FY2024/25 (Nov–Jan), C2 (awareness, 1 Jan – 31 Mar
    2025) in that Q4 and in Q1 of FY2025/26 (Feb–Apr)."""
    from queries import campaigns
    from queries.filters import Filters
    from queries.workspace import Workspace
    from tests.fixtures import build_tiny_workspace

    ws = Workspace(build_tiny_workspace(tmp_path / "fiscal.duckdb"))
    try:
        ws.set_setting("fiscal_year_start_month", "2")
        df = campaigns.journey_coverage(ws, Filters(date(2024, 12, 1), date(2025, 3, 31)))
        assert df.drop_duplicates("quarter_start")["quarter_start"].dt.date.tolist() == [
            date(2024, 11, 1),
            date(2025, 2, 1),
        ]
        assert df["quarter_label"].unique().tolist() == ["FY2024/25 Q4", "FY2025/26 Q1"]
        grid = df.pivot_table(index="objective", columns="quarter_label", values="count_campaigns")
        assert grid.loc["consideration"].tolist() == [1, 0]
        assert grid.loc["awareness"].tolist() == [1, 1]
        zh = campaigns.journey_coverage(ws, Filters(date(2025, 2, 1), date(2025, 2, 28)), lang="zh")
        assert zh["quarter_label"].unique().tolist() == ["2025/26财年第1季度"]
    finally:
        ws.close()
