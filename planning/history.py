"""The history the planner is fitted to, as plain arrays: month by month, stream by stream.

Built from the DataFrames of ``queries.scenarios`` (no SQL here). Months run from the first
month of data to the month before ``as_of``; missing months are zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

MAX_LAG = 18  # months: lead → deal and deal → close lags beyond this are folded into the last
MOTIONS = ("pull", "push")
MIN_MONTHS = 6  # months of history the planner needs: fewer cannot separate carry-over from noise
CAPACITY_SOURCES = ("reps", "owners", "none")
# "today" for the planner: the last this many months (spend, cost per rep, headcount)
TODAY_MONTHS = 12


@dataclass(frozen=True)
class Cohort:
    """Stage counts of a mature lead cohort and the lag of its deals (months after creation)."""

    count_leads: int = 0
    count_mql: int = 0
    count_sql: int = 0
    count_mql_sql: int = 0  # SQLs among the MQLs: the MQL → SQL rate's numerator
    count_deals: int = 0
    lag_counts: np.ndarray = field(default_factory=lambda: np.zeros(MAX_LAG + 1))


@dataclass(frozen=True)
class Outcomes:
    """Deals of a mature cohort: how many, won by lag (months after creation), amounts."""

    count_deals: int = 0
    count_won: int = 0
    count_lost: int = 0
    won_amount: float = 0.0
    mean_amount: float = 0.0
    won_lag_counts: np.ndarray = field(default_factory=lambda: np.zeros(MAX_LAG + 1))
    won_lag_amounts: np.ndarray = field(default_factory=lambda: np.zeros(MAX_LAG + 1))


@dataclass(frozen=True)
class History:
    months: tuple[date, ...]
    channels: tuple[str, ...]
    spend: np.ndarray  # channels × months, money
    leads: np.ndarray  # channels × months, pull leads whose source is the channel
    organic_leads: np.ndarray  # months: pull leads from sources without spend
    push_leads: np.ndarray
    sales_spend: np.ndarray
    opps: dict[str, np.ndarray]  # motion -> deals created per month
    direct_opps: np.ndarray  # push deals without a lead, per month
    won: dict[str, np.ndarray]  # motion -> deals won (closed) per month
    revenue: dict[str, np.ndarray]  # motion -> won amount per month
    rep_months: pd.DataFrame  # t (month index), owner, team, tenure_months, monthly_cost
    pull_cohort_leads: np.ndarray  # pull leads created per month
    pull_cohort_deals: np.ndarray  # ... of which had a deal by as_of
    cohort_window: tuple[int, int]  # month indices [from, to) of the mature cohorts
    cohorts: dict[str, Cohort]
    outcomes: dict[str, Outcomes]
    as_of: date
    # where the sales headcount comes from: the reps roster, else the deal owners active each
    # month (a deal created or closed that month), else nowhere
    capacity_source: str = "reps"

    @property
    def n_months(self) -> int:
        return len(self.months)

    @property
    def month_of_year(self) -> np.ndarray:
        return np.array([m.month - 1 for m in self.months])

    @property
    def marketing_spend(self) -> np.ndarray:
        return self.spend.sum(axis=0)

    def is_usable(self) -> bool:
        """Enough to fit: every requirement of ``unmet`` met."""
        return not unmet(self)

    @property
    def capacity_per_month(self) -> float:
        """Mean headcount (reps or active deal owners) per month over the last TODAY_MONTHS."""
        if not len(self.rep_months) or not self.n_months:
            return 0.0
        recent = self.rep_months[self.rep_months["t"] >= self.n_months - TODAY_MONTHS]
        span = min(TODAY_MONTHS, self.n_months)
        return len(recent) / span

    @property
    def cohort_dates(self) -> tuple[date | None, date | None]:
        """The first and last month of the mature cohorts (None when the window is empty)."""
        lo, hi = self.cohort_window
        if hi <= lo or hi > self.n_months:
            return None, None
        return self.months[lo], self.months[hi - 1]

    def truncated(self, n: int) -> History:
        """The first ``n`` months only (series; cohorts and outcomes are kept as they are)."""
        reps = self.rep_months[self.rep_months["t"] < n]
        return History(
            months=self.months[:n],
            channels=self.channels,
            spend=self.spend[:, :n],
            leads=self.leads[:, :n],
            organic_leads=self.organic_leads[:n],
            push_leads=self.push_leads[:n],
            sales_spend=self.sales_spend[:n],
            opps={m: v[:n] for m, v in self.opps.items()},
            direct_opps=self.direct_opps[:n],
            won={m: v[:n] for m, v in self.won.items()},
            revenue={m: v[:n] for m, v in self.revenue.items()},
            rep_months=reps,
            pull_cohort_leads=self.pull_cohort_leads[:n],
            pull_cohort_deals=self.pull_cohort_deals[:n],
            cohort_window=self.cohort_window,
            cohorts=self.cohorts,
            outcomes=self.outcomes,
            as_of=self.months[n] if n < self.n_months else self.as_of,
            capacity_source=self.capacity_source,
        )


def unmet(hist: History | None) -> list[tuple[str, dict]]:
    """Each requirement of the planner the history does not meet, as (code, figures): the
    reasons a refusal names, with the counts behind them (empty: the planner can fit).
    Codes: no_data, short, no_spend, no_paid_leads, no_capacity, no_won (motion, count,
    window), no_cohort_leads (motion, count, window)."""
    if hist is None or hist.n_months == 0:
        return [("no_data", {})]
    out: list[tuple[str, dict]] = []
    if hist.n_months < MIN_MONTHS:
        out.append(("short", {"months": hist.n_months, "need": MIN_MONTHS}))
    spend_months = int(np.count_nonzero(hist.spend.sum(axis=0) > 0)) if len(hist.channels) else 0
    if spend_months == 0:
        out.append(("no_spend", {"months": spend_months}))
    elif float(hist.leads.sum()) <= 0:
        out.append(("no_paid_leads", {"leads": 0, "channels": len(hist.channels)}))
    if not len(hist.rep_months):
        out.append(("no_capacity", {}))
    first, last = hist.cohort_dates
    for m in MOTIONS:
        if hist.cohorts[m].count_leads <= 0:
            out.append(("no_cohort_leads", {"motion": m, "count": 0, "first": first, "last": last}))
        if hist.outcomes[m].count_won <= 0:
            out.append(("no_won", {"motion": m, "count": 0, "first": first, "last": last}))
    return out


def _lag_array(df: pd.DataFrame, column: str) -> np.ndarray:
    out = np.zeros(MAX_LAG + 1)
    for lag, value in zip(df["lag_months"], df[column], strict=True):
        if pd.notna(lag) and lag >= 0 and pd.notna(value):
            out[min(int(lag), MAX_LAG)] += float(value)
    return out


def build_history(
    *,
    streams: pd.DataFrame,
    opportunities: pd.DataFrame,
    won: pd.DataFrame,
    funnel: pd.DataFrame,
    outcomes: pd.DataFrame,
    rep_months: pd.DataFrame,
    first_month: date,
    as_of: date,
    pull_cohorts: pd.DataFrame | None = None,
    cohort_window: tuple[date, date] | None = None,
    capacity_source: str = "reps",
) -> History:
    """Arrays from the planner queries (see queries/sql/scenarios.sql for what a row is)."""
    months = tuple(d.date() for d in pd.date_range(first_month, as_of, freq="MS", inclusive="left"))
    index = {m: i for i, m in enumerate(months)}
    t_count = len(months)

    def month_index(values: pd.Series) -> np.ndarray:
        return np.array([index.get(pd.Timestamp(v).date(), -1) for v in values], dtype=int)

    streams = streams.assign(t=month_index(streams["month"])) if len(streams) else streams
    paid = streams[streams["kind"] == "paid"] if len(streams) else streams
    channels = tuple(sorted(paid["stream"].unique())) if len(paid) else ()
    spend = np.zeros((len(channels), t_count))
    leads = np.zeros((len(channels), t_count))
    series = {k: np.zeros(t_count) for k in ("organic", "push", "sales")}
    for row in streams.itertuples() if len(streams) else ():
        if row.t < 0:
            continue
        if row.kind == "paid":
            c = channels.index(row.stream)
            spend[c, row.t] += row.spend_amount
            leads[c, row.t] += row.count_leads
        elif row.kind == "sales":
            series["sales"][row.t] += row.spend_amount
        else:
            series[row.kind][row.t] += row.count_leads
    opps = {m: np.zeros(t_count) for m in MOTIONS}
    direct = np.zeros(t_count)
    if len(opportunities):
        opportunities = opportunities.assign(t=month_index(opportunities["month"]))
        for row in opportunities.itertuples():
            if row.t >= 0:
                opps[row.motion][row.t] += row.count_opps
                if row.motion == "push":
                    direct[row.t] += row.count_direct
    won_counts = {m: np.zeros(t_count) for m in MOTIONS}
    won_amounts = {m: np.zeros(t_count) for m in MOTIONS}
    if len(won):
        won = won.assign(t=month_index(won["month"]))
        for row in won.itertuples():
            if row.t >= 0:
                won_counts[row.motion][row.t] += row.count_won
                won_amounts[row.motion][row.t] += row.won_amount
    cohorts = {}
    for m in MOTIONS:
        part = funnel[funnel["motion"] == m] if len(funnel) else funnel
        head = part[part["lag_months"] == -1] if len(part) else part
        if len(head):
            h = head.iloc[0]
            cohorts[m] = Cohort(
                count_leads=int(h["count_leads"]),
                count_mql=int(h["count_mql"]),
                count_sql=int(h["count_sql"]),
                count_mql_sql=int(h["count_mql_sql"]),
                count_deals=int(h["count_deals"]),
                lag_counts=_lag_array(part[part["lag_months"] >= 0], "count_deals"),
            )
        else:
            cohorts[m] = Cohort()
    outs = {}
    for m in MOTIONS:
        part = outcomes[outcomes["motion"] == m] if len(outcomes) else outcomes
        head = part[part["lag_months"] == -1] if len(part) else part
        if len(head):
            h = head.iloc[0]
            lags = part[part["lag_months"] >= 0]
            outs[m] = Outcomes(
                count_deals=int(h["count_deals"]),
                count_won=int(h["count_won"]),
                count_lost=int(h["count_lost"]),
                won_amount=float(h["won_amount"]),
                mean_amount=float(h["mean_amount"]) if pd.notna(h["mean_amount"]) else 0.0,
                won_lag_counts=_lag_array(lags, "count_won"),
                won_lag_amounts=_lag_array(lags, "won_amount"),
            )
        else:
            outs[m] = Outcomes()
    reps = rep_months.assign(t=month_index(rep_months["month"])) if len(rep_months) else rep_months
    if not len(reps):
        reps = pd.DataFrame(columns=["t", "owner", "team", "tenure_months", "monthly_cost"])
    cohort_leads, cohort_deals = np.zeros(t_count), np.zeros(t_count)
    if pull_cohorts is not None and len(pull_cohorts):
        for t, n, d in zip(
            month_index(pull_cohorts["month"]),
            pull_cohorts["count_leads"],
            pull_cohorts["count_deals"],
            strict=True,
        ):
            if t >= 0:
                cohort_leads[t], cohort_deals[t] = n, d
    window = (0, t_count)
    if cohort_window is not None:
        window = tuple(sum(1 for m in months if m < pd.Timestamp(d).date()) for d in cohort_window)
    return History(
        months=months,
        channels=channels,
        spend=spend,
        leads=leads,
        organic_leads=series["organic"],
        push_leads=series["push"],
        sales_spend=series["sales"],
        opps=opps,
        direct_opps=direct,
        won=won_counts,
        revenue=won_amounts,
        rep_months=(reps := reps[reps["t"] >= 0].reset_index(drop=True)),
        pull_cohort_leads=cohort_leads,
        pull_cohort_deals=cohort_deals,
        cohort_window=window,
        cohorts=cohorts,
        outcomes=outs,
        as_of=as_of,
        capacity_source=capacity_source if len(reps) else "none",
    )
