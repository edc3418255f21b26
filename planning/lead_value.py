"""What a lead is worth by its age: the chain-ladder over monthly lead cohorts.

Young cohorts are not yet observed at higher ages, so averaging cumulative figures over
whichever cohorts reach an age would mix cohorts and could even fall. Instead each month's
increment (revenue closed in month m after creation, per lead) is averaged over the cohorts the
data cover that far, and the increments are summed: the chain-ladder estimate actuaries use for
claims that are still developing.
"""

from __future__ import annotations

import pandas as pd

COLUMNS = ["motion", "months_since", "count_cohorts", "count_leads", "won_per_lead"]


def value_by_age(cohorts: pd.DataFrame) -> pd.DataFrame:
    """One row per motion and months since creation: ``count_cohorts`` and ``count_leads``
    observed that far, and ``won_per_lead``, the won revenue a lead has brought by the end of
    that month. ``cohorts``: one row per motion, cohort month and age with the cumulative
    ``won_amount``, ``count_leads`` and ``is_observed`` (``queries.funnel.lead_cohort_wins``)."""
    if cohorts.empty:
        return pd.DataFrame(columns=COLUMNS)
    cohorts = cohorts.sort_values(["motion", "cohort_month", "months_since"])
    previous = cohorts.groupby(["motion", "cohort_month"])["won_amount"].shift(fill_value=0.0)
    cohorts = cohorts.assign(won_in_month=cohorts["won_amount"] - previous)
    observed = cohorts[cohorts["is_observed"]]
    if observed.empty:
        return pd.DataFrame(columns=COLUMNS)
    df = observed.groupby(["motion", "months_since"], as_index=False).agg(
        count_cohorts=("cohort_month", "nunique"),
        count_leads=("count_leads", "sum"),
        won_in_month=("won_in_month", "sum"),
    )
    per_lead = df["won_in_month"] / df["count_leads"].where(df["count_leads"] > 0)
    df["won_per_lead"] = per_lead.groupby(df["motion"]).cumsum()
    return df[COLUMNS]
