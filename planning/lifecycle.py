"""The lifecycle funnel, lead → MQL → SQL → opportunity → won: stage counts summed into
conversion (DESIGN.md, "Funnel conversion, by cohort / by period"), the monthly lead → won
conversion, when a cohort is still maturing, and where leads stop.

Pure: the stage counts come in as the DataFrame that ``queries.funnel.cohort_stage_counts`` or
``period_stage_counts`` reads; no SQL, no Streamlit.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

STAGES = ("lead", "mql", "sql", "opportunity", "won")
STEPS = ("lead_to_mql", "mql_to_sql", "sql_to_opportunity", "opportunity_to_won")
FUNNEL_COLUMNS = [
    "motion",
    "stage_order",
    "stage",
    "count_reached",
    "share_of_first",
    "step_conversion",
]


def summarise_stages(counts: pd.DataFrame, by: tuple[str, ...] = ("motion",)) -> pd.DataFrame:
    """Stage counts summed over the other columns, with the share of the first stage and the
    conversion from the previous stage; groups whose stages are all zero are left out. Of the
    query's two grains, the 'split' rows are used when ``by`` holds split_value, else 'month'."""
    columns = [*by, *FUNNEL_COLUMNS[1:]]
    if "grain" in counts:  # month rows and split rows each hold every lead once
        counts = counts[counts["grain"] == ("split" if "split_value" in by else "month")]
    if counts.empty:
        return pd.DataFrame(columns=list(dict.fromkeys(["motion", *columns])))
    keys = list(by)
    grid = (
        counts.pivot_table(
            index=keys, columns="stage_order", values="count_reached", aggfunc="sum", dropna=False
        )
        .reindex(columns=range(1, len(STAGES) + 1))
        .fillna(0)
        .astype("int64")
    )
    grid = grid[grid.sum(axis=1) > 0]
    rows = []
    for key, values in grid.iterrows():
        key = key if isinstance(key, tuple) else (key,)
        counts_ = values.tolist()
        for order, stage in enumerate(STAGES, start=1):
            count = counts_[order - 1]
            previous = counts_[order - 2] if order > 1 else None
            rows.append(
                {
                    **dict(zip(keys, key, strict=True)),
                    "stage_order": order,
                    "stage": stage,
                    "count_reached": int(count),
                    "share_of_first": count / counts_[0] if counts_[0] else float("nan"),
                    "step_conversion": count / previous if previous else float("nan"),
                }
            )
    return pd.DataFrame(rows, columns=columns)


def monthly_conversion(counts: pd.DataFrame, *, mode: str) -> pd.DataFrame:
    """One row per motion and month: leads, won, and the lead -> won conversion.

    ``mode`` 'cohort': of the month's leads, the share with a won deal (``cohort_month``);
    'period': deals won in the month ÷ leads created in it (``month``)."""
    month = "cohort_month" if mode == "cohort" else "month"
    columns = ["motion", "month", "count_leads", "count_won", "conversion"]
    if "grain" in counts:
        counts = counts[counts["grain"] == "month"]
    if counts.empty:
        return pd.DataFrame(columns=columns)
    wide = (
        counts[counts["stage"].isin(["lead", "won"])]
        .pivot_table(
            index=["motion", month], columns="stage", values="count_reached", aggfunc="sum"
        )
        .reindex(columns=["lead", "won"])
        .fillna(0)
        .reset_index()
        .rename(columns={month: "month", "lead": "count_leads", "won": "count_won"})
    )
    wide["conversion"] = wide["count_won"] / wide["count_leads"].where(wide["count_leads"] > 0)
    return wide[columns].sort_values(["motion", "month"]).reset_index(drop=True)


def maturing_from(counts: pd.DataFrame) -> date | None:
    """The first cohort month that is still maturing: cohorts that started less than
    ``maturity_days`` (80% of this period's won leads were won within it) before the data end;
    None when no lead of the period was won (no maturity was measured, none is assumed)."""
    if counts.empty or counts["data_end"].isna().all() or "maturity_days" not in counts:
        return None
    days = counts["maturity_days"].dropna()
    if not len(days):
        return None
    maturity = float(days.iloc[0])
    end = pd.Timestamp(counts["data_end"].dropna().iloc[0])
    cutoff = end - pd.Timedelta(days=maturity)
    return (cutoff.to_period("M") + 1).to_timestamp().date() if cutoff.day > 1 else cutoff.date()


def leakage(cohort: pd.DataFrame) -> pd.DataFrame:
    """Where the cohort's leads stopped: one row per motion and furthest stage reached, the
    count that stopped there (reached it, not the next) and its share of the motion's leads."""
    columns = ["motion", "stage_order", "stage", "count_stopped", "share_of_leads"]
    if cohort.empty:
        return pd.DataFrame(columns=columns)
    df = cohort.sort_values(["motion", "stage_order"]).copy()
    following = df.groupby("motion")["count_reached"].shift(-1).fillna(0)
    df["count_stopped"] = (df["count_reached"] - following).astype("int64")
    first = df.groupby("motion")["count_reached"].transform("first")
    df["share_of_leads"] = df["count_stopped"] / first.where(first > 0)
    return df[columns].reset_index(drop=True)
