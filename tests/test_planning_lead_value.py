"""A lead's value by age (the chain-ladder over monthly cohorts): on hand-built cohorts, and on
the tiny workspace's cohorts (tests/fixtures.py)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from planning import lead_value
from queries import funnel
from queries.filters import Filters

DEC_JAN = Filters(date(2024, 12, 1), date(2025, 1, 31))


def _cohort(month: str, leads: int, won_by_age: list[float], observed_to: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "motion": "pull",
            "cohort_month": month,
            "months_since": range(len(won_by_age)),
            "count_leads": leads,
            "won_amount": won_by_age,  # cumulative, as the query gives it
            "is_observed": [m <= observed_to for m in range(len(won_by_age))],
        }
    )


def test_increments_are_averaged_over_the_cohorts_seen_that_far_and_added_up():
    old = _cohort("2025-01", 10, [100.0, 300.0, 600.0], observed_to=2)
    young = _cohort("2025-02", 30, [900.0, 900.0, 900.0], observed_to=0)
    df = lead_value.value_by_age(pd.concat([young, old])).set_index("months_since")
    # month 0: (100 + 900) / (10 + 30) = 25; month 1: the old cohort only, + 200 / 10 = 20;
    # month 2: + 300 / 10 = 30. A plain average of cumulative values would give month 1 = 300/10
    # = 30 against month 0's 25, and mix the cohorts.
    assert list(df["won_per_lead"]) == pytest.approx([25.0, 45.0, 75.0])
    assert list(df["count_cohorts"]) == [2, 1, 1]
    assert list(df["count_leads"]) == [40, 10, 10]


def test_no_observed_month_gives_an_empty_frame_with_its_columns():
    young = _cohort("2025-02", 30, [900.0], observed_to=-1)
    for cohorts in (young, young.iloc[0:0]):
        df = lead_value.value_by_age(cohorts)
        assert df.empty
        assert list(df.columns) == lead_value.COLUMNS


def test_value_per_lead_chains_monthly_increments_over_the_cohorts_observed(tiny_ws):
    df = lead_value.value_by_age(funnel.lead_cohort_wins(tiny_ws, DEC_JAN, 2))
    pull = df[df["motion"] == "pull"].set_index("months_since")
    # month 0: December's L4 brought nothing yet, January's L1 and L2 brought 5,000 -> 5,000 / 3
    assert pull.loc[0, "won_per_lead"] == pytest.approx(5000 / 3)
    assert pull.loc[0, "count_cohorts"] == 2
    # month 1: only December is observed that far (the data end mid-February); its one lead
    # added 10,000 in month 1, so a lead is worth 5,000/3 + 10,000
    assert pull.loc[1, "won_per_lead"] == pytest.approx(5000 / 3 + 10000)
    assert pull.loc[1, "count_cohorts"] == 1
    assert 2 not in pull.index  # no cohort reaches month 2


def test_value_per_lead_is_empty_without_leads(tiny_ws):
    nothing = Filters(date(2030, 1, 1), date(2030, 1, 31))
    df = lead_value.value_by_age(funnel.lead_cohort_wins(tiny_ws, nothing))
    assert df.empty
    assert "won_per_lead" in df.columns
