"""The small tables of the sample company: sales team, campaigns and spend, market, rivals.

These tables have tens to a few thousand rows, so plain Python loops over reps or campaigns are
fine here; the per-lead and per-deal work lives in generator.py and is vectorised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from sample_data import params as P
from sample_data import timeline as T
from sample_data.names import MARKETING_OWNERS, person_names

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
SDR, AE = 0, 1
TEAM_NAMES = ("SDR", "AE")
DAYS_PER_MONTH = 365.25 / 12


@dataclass
class Reps:
    """The sales team as arrays (index = rep), plus per-month activity matrices."""

    name: list[str]
    team: IntArray  # SDR / AE
    region: IntArray  # index into P.REGIONS
    hired: FloatArray  # days since START (negative = before the window)
    left: FloatArray  # days since START, +inf when still employed at END
    cost: FloatArray  # loaded monthly cost, USD
    # initial * scale / actual initial headcount: corrects rounding (and the floor of 4 reps)
    # so that push volume stays proportional to scale at tiny scales
    headcount_factor: float = 1.0

    def active_mid(self) -> npt.NDArray[np.bool_]:
        """[month, rep]: employed at mid-month (used for assignment and activity)."""
        mid = T.MONTH_START_DAY[: P.N_MONTHS, None] + 15.0
        return (self.hired[None, :] <= mid) & (self.left[None, :] > mid)

    def ramp(self) -> FloatArray:
        """[month, rep]: productivity min(1, tenure/ramp) at mid-month, 0 when not employed."""
        mid = T.MONTH_START_DAY[: P.N_MONTHS, None] + 15.0
        ramp_m = np.where(
            self.team == SDR, P.REPS["ramp_months"]["SDR"], P.REPS["ramp_months"]["AE"]
        )
        tenure = (mid - self.hired[None, :]) / DAYS_PER_MONTH
        return np.clip(tenure / ramp_m[None, :], 0.0, 1.0) * self.active_mid()

    def activity(self) -> FloatArray:
        """[month, rep]: prospecting capacity = activity_weight[team] * ramp."""
        w = np.where(
            self.team == SDR, P.REPS["activity_weight"]["SDR"], P.REPS["activity_weight"]["AE"]
        )
        return self.ramp() * w[None, :]


def make_reps(scale: float, rng: np.random.Generator) -> Reps:
    """Headcount grows from `initial` to `final` (x scale); leavers are backfilled."""
    r = P.REPS
    n0 = max(4, round(r["initial"] * scale))
    n_grow = max(0, round(r["final"] * scale) - n0)
    mean_tenure = 365.25 / r["attrition_per_year"]
    team = (rng.random(n0 + n_grow) >= r["sdr_share"]).astype(np.int64)
    region = rng.choice(len(P.REGIONS), size=n0 + n_grow, p=P.REGION_P)
    team[:4], region[:4] = AE, np.arange(4)  # every region starts with an AE
    hired = np.concatenate([-rng.uniform(30, 1200, n0), np.sort(rng.uniform(0, T.N_DAYS, n_grow))])
    # memoryless tenure: initial reps' remaining tenure is counted from START
    left = np.maximum(hired, 0.0) + rng.exponential(mean_tenure, n0 + n_grow)
    teams, regions, hires, lefts = [team], [region], [hired], [left]
    gone = left < T.N_DAYS
    while gone.any():  # backfill rounds (a backfill may leave too); a handful of rounds
        h = left[gone] + rng.uniform(30, 75, int(gone.sum()))
        keep = h < T.N_DAYS
        team, region, hired = team[gone][keep], region[gone][keep], h[keep]
        left = hired + rng.exponential(mean_tenure, hired.size)
        teams.append(team), regions.append(region), hires.append(hired), lefts.append(left)
        gone = left < T.N_DAYS
    team, region = np.concatenate(teams), np.concatenate(regions)
    hired, left = np.concatenate(hires), np.concatenate(lefts)
    left = np.where(left < T.N_DAYS, left, np.inf)
    lo = np.where(team == SDR, r["monthly_cost"]["SDR"][0], r["monthly_cost"]["AE"][0])
    hi = np.where(team == SDR, r["monthly_cost"]["SDR"][1], r["monthly_cost"]["AE"][1])
    cost = np.round(rng.uniform(lo, hi) / 50.0) * 50.0
    return Reps(
        person_names(team.size, rng),
        team,
        region,
        np.floor(hired),
        np.floor(left),
        cost,
        r["initial"] * scale / n0,
    )


def reps_frame(reps: Reps) -> pd.DataFrame:
    left = np.where(np.isinf(reps.left), np.nan, reps.left)
    return pd.DataFrame(
        {
            "owner": pd.Series(reps.name, dtype="str"),
            "team": pd.Series(np.asarray(TEAM_NAMES)[reps.team], dtype="str"),
            "region": pd.Series(np.asarray(P.REGIONS)[reps.region], dtype="str"),
            "hired_on": T.to_date(reps.hired),
            "left_on": T.to_date(left),
            "monthly_cost": reps.cost.round(2),
        }
    )


def sales_spend(reps: Reps, scale: float) -> pd.DataFrame:
    """Monthly 'Sales team' = sum of monthly_cost of reps employed any day of the month;
    'SDR tooling' = tooling_per_rep * those reps + tooling_platform * scale."""
    m0 = T.MONTH_START_DAY[: P.N_MONTHS, None]
    m1 = T.MONTH_START_DAY[1 : P.N_MONTHS + 1, None]
    active = (reps.hired[None, :] < m1) & (reps.left[None, :] >= m0)
    team_cost = (active * reps.cost[None, :]).sum(axis=1)
    tooling = P.REPS["tooling_per_rep"] * active.sum(axis=1) + P.REPS["tooling_platform"] * scale
    days = np.concatenate([T.MONTH_START_DAY[: P.N_MONTHS]] * 2)
    return pd.DataFrame(
        {
            "spent_on": T.to_date(days),
            "category": "sales",
            "channel": ["Sales team"] * P.N_MONTHS + ["SDR tooling"] * P.N_MONTHS,
            "campaign_id": pd.Series([None] * (2 * P.N_MONTHS), dtype="str"),
            "amount": np.round(np.concatenate([team_cost, tooling]), 2),
            "import_id": pd.Series([None] * (2 * P.N_MONTHS), dtype="str"),
        }
    )


@dataclass
class Marketing:
    """Campaigns, marketing spend rows, and what the lead model needs from them."""

    campaigns: pd.DataFrame
    spend: pd.DataFrame
    x: FloatArray  # [channel, month] total spend per paid channel (USD)
    # campaign spend per (channel, month) cell, for attributing leads to campaigns
    cell_channel: IntArray
    cell_month: IntArray
    cell_campaign: IntArray  # row index into `campaigns`
    cell_spend: FloatArray
    campaign_segment: IntArray  # -1 = all segments


_THEMES = {
    "Paid Search": (
        "Search: brand terms",
        "Search: competitor terms",
        "Search: Forecast AI",
        "Search: BI dashboards",
    ),
    "Paid Social": (
        "LinkedIn: CFO insights",
        "LinkedIn: RevOps",
        "Social: product video",
        "Social: case studies",
    ),
    "Content/SEO": (
        "Content: state of analytics",
        "SEO: pillar pages",
        "Content: ROI guide",
        "Content: data playbook",
    ),
    "Webinar": (
        "Webinar: forecasting 101",
        "Webinar: customer panel",
        "Webinar: product tour",
        "Webinar: pipeline analytics",
    ),
    "Events": ("Trade show booth", "Field dinner", "User conference", "Roadshow"),
    "Email Nurture": ("Nurture: trial to paid", "Nurture: re-engagement"),
}
# Email Nurture campaigns are named after their objective (nurture, customers, advocates).
_NURTURE_THEMES = {
    "consideration": ("Nurture: trial to paid", "Nurture: re-engagement"),
    "loyalty": ("Customers: onboarding series", "Customers: quarterly newsletter"),
    "advocacy": ("Customer advocacy", "Referral program"),
}


def _trend(month: FloatArray | float) -> FloatArray | float:
    return (1.0 + P.BUDGET_GROWTH) ** (np.asarray(month) / 12.0)


@dataclass
class _Flight:
    c: int  # channel index
    m0: int  # first month
    m1: int  # last month (inclusive)
    objective: str
    amp: float  # budget multiplier
    theme: str
    seg: int  # -1 = all segments
    owner: str
    d0: int  # start day offset in the first month
    d1: int  # events: duration in days; others: days before the last month's end


def _flights(streams: int, rng: np.random.Generator) -> list[_Flight]:
    """Per channel and stream: a flight of `lengths` months, a gap of `gaps`, repeat."""
    out: list[_Flight] = []
    horizon = P.PLANNED_MONTHS[1]
    for c, ch in enumerate(P.PAID_CHANNELS):
        f = P.FLIGHTS[ch]
        events = ch == "Events"
        for _ in range(streams):
            t, k = int(rng.integers(0, 3)), 0
            while t < horizon:
                end = min(t + int(rng.choice(f["lengths"])), horizon) - 1
                if ch == "Email Nurture":  # cycle so that loyalty and advocacy both appear
                    objective = str(f["objectives"][k % len(f["objectives"])])
                else:
                    objective = str(rng.choice(f["objectives"]))
                out.append(
                    _Flight(
                        c,
                        t,
                        end,
                        objective,
                        float(rng.uniform(*P.CAMPAIGN_AMPLITUDE)),
                        str(
                            rng.choice(
                                _NURTURE_THEMES.get(objective, _THEMES[ch])
                                if ch == "Email Nurture"
                                else _THEMES[ch]
                            )
                        ),
                        int(rng.choice(4, p=(0.4, 0.25, 0.2, 0.15))) - 1,
                        MARKETING_OWNERS[(c + int(rng.integers(0, 2))) % len(MARKETING_OWNERS)],
                        int(rng.integers(3, 22)) if events else int(rng.integers(0, 7)),
                        int(rng.integers(1, 3)) if events else int(rng.integers(0, 5)),
                    )
                )
                t, k = end + 1 + int(rng.choice(f["gaps"])), k + 1
    # The data should end with something running: when no flight spans the last month of the
    # window, the longest-running one that reached it is extended by two months.
    last = P.N_MONTHS - 1
    if not any(fl.m0 <= last < fl.m1 for fl in out):
        fl = max((fl for fl in out if fl.m0 <= last), key=lambda fl: (fl.m1, -fl.m0))
        fl.m1 = max(fl.m1, last) + 2
    out.sort(key=lambda fl: (fl.m0, fl.c, fl.d0))
    return out


def make_marketing(scale: float, rng: np.random.Generator) -> Marketing:
    """Flights of campaigns per channel over the window and the planned months after it;
    monthly spend = always-on baseline + each running campaign's (paced) monthly budget."""
    streams = 1 + int(np.floor(np.log2(max(scale, 1.0)) / 2))  # campaign count grows mildly
    flights = _flights(streams, rng)
    months = np.arange(P.N_MONTHS)
    x = np.zeros((len(P.PAID_CHANNELS), P.N_MONTHS))
    spend_rows: list[tuple[int, int, int, float]] = []  # (channel, month, campaign or -1, $)
    # always-on: a * trend * budget season * lognormal noise * scale
    season = np.asarray(P.BUDGET_SEASON)[T.CAL_MONTH[months] - 1]
    for c, ch in enumerate(P.PAID_CHANNELS):
        base = np.round(
            P.CHANNELS[ch]["always_on"]
            * _trend(months)
            * season
            * scale
            * rng.lognormal(0.0, P.ALWAYS_ON_NOISE, P.N_MONTHS),
            2,
        )
        x[c] += base
        spend_rows += [(c, int(m), -1, float(base[m])) for m in months]
    camp: dict[str, list[object]] = {
        k: []
        for k in (
            "campaign_id",
            "name",
            "channel",
            "objective",
            "start_date",
            "end_date",
            "budget",
            "status",
            "owner",
            "segment",
        )
    }
    last = T.N_DAYS - 1
    for i, fl in enumerate(flights):
        ch = P.PAID_CHANNELS[fl.c]
        span = np.arange(fl.m0, fl.m1 + 1)
        monthly = P.CHANNELS[ch]["pulse"] * _trend(span) * fl.amp * scale / streams
        for m, planned in zip(span, monthly, strict=True):
            if m < P.N_MONTHS:  # spend only inside the window; pacing noise vs. the plan
                actual = round(float(planned * rng.lognormal(0.0, P.PACING_NOISE)), 2)
                x[fl.c, m] += actual
                spend_rows.append((fl.c, int(m), i, actual))
        start = int(T.MONTH_START_DAY[fl.m0]) + fl.d0
        # events last a day or two; other campaigns run to (near) the end of their last month
        end = start + fl.d1 if ch == "Events" else int(T.MONTH_START_DAY[fl.m1 + 1]) - 1 - fl.d1
        label = T.MONTHS[fl.m0].astype(object).strftime("%b %Y")
        camp["campaign_id"].append(f"CMP-{i + 1:04d}")
        camp["name"].append(
            f"{fl.theme} — {label}" + (f" ({P.SEGMENTS[fl.seg]})" if fl.seg >= 0 else "")
        )
        camp["channel"].append(ch)
        camp["objective"].append(fl.objective)
        camp["start_date"].append(start)
        camp["end_date"].append(end)
        camp["budget"].append(round(float(monthly.sum()), 2))
        # status as of the last day of the data (2026-10-31)
        camp["status"].append(
            "planned" if start > last else ("completed" if end < last else "active")
        )
        camp["owner"].append(fl.owner)
        camp["segment"].append(P.SEGMENTS[fl.seg] if fl.seg >= 0 else None)
    campaigns = pd.DataFrame(camp)
    for col in ("start_date", "end_date"):
        campaigns[col] = T.to_date(np.asarray(camp[col], dtype=np.float64))
    for col in ("campaign_id", "name", "channel", "objective", "status", "owner", "segment"):
        campaigns[col] = campaigns[col].astype("str")
    campaigns["import_id"] = pd.Series([None] * len(flights), dtype="str")
    sr = np.asarray([r[:3] for r in spend_rows], dtype=np.int64)
    amounts = np.asarray([r[3] for r in spend_rows])
    cid = np.asarray(camp["campaign_id"], dtype=object)
    spend = pd.DataFrame(
        {
            "spent_on": T.to_date(T.MONTH_START_DAY[sr[:, 1]]),
            "category": "marketing",
            "channel": np.asarray(P.PAID_CHANNELS)[sr[:, 0]],
            "campaign_id": pd.Series(
                np.where(sr[:, 2] >= 0, cid[np.maximum(sr[:, 2], 0)], None), dtype="str"
            ),
            "amount": amounts,
            "import_id": pd.Series([None] * len(spend_rows), dtype="str"),
        }
    ).sort_values(["spent_on", "channel", "campaign_id"], na_position="first", ignore_index=True)
    is_camp = sr[:, 2] >= 0
    return Marketing(
        campaigns,
        spend,
        x,
        sr[is_camp, 0],
        sr[is_camp, 1],
        sr[is_camp, 2],
        amounts[is_camp],
        np.asarray([fl.seg for fl in flights], dtype=np.int64),
    )


def source_motion_frame() -> pd.DataFrame:
    src = list(P.PULL_SOURCES) + list(P.PUSH_SOURCES)
    motion = ["pull"] * len(P.PULL_SOURCES) + ["push"] * len(P.PUSH_SOURCES)
    return pd.DataFrame(
        {"source": pd.Series(src, dtype="str"), "motion": pd.Series(motion, dtype="str")}
    )


# Market sizing at scale 1 for 2024 (USD), and yearly growth; scaled with `scale` so that
# share metrics do not change with the size of the sample.
_TAM_2024 = (0.25e9, 0.60e9, 1.40e9)
_GROWTH = (0.12, 0.09, 0.06)
_SAM_SHARE = (0.45, 0.40, 0.35)
_SOM_SHARE = (0.06, 0.05, 0.04)
_ACCOUNTS_2024 = (6_000, 2_500, 600)


def market_segments_frame(scale: float) -> pd.DataFrame:
    """TAM/SAM/SOM per segment and year 2023..2027 (2027 is a plan year); expected ACV is the
    median list ACV times the segment's mean product multiplier, +3%/year."""
    mix = [float(np.dot(p, P.PRODUCT_MULT)) for p in P.PRODUCT_P]
    rows = []
    for s, seg in enumerate(P.SEGMENTS):
        for year in range(2023, 2028):
            tam = _TAM_2024[s] * (1 + _GROWTH[s]) ** (year - 2024) * scale
            sam = tam * _SAM_SHARE[s]
            rows.append(
                {
                    "segment": seg,
                    "year": year,
                    "tam": round(tam, 0),
                    "sam": round(sam, 0),
                    "som": round(sam * _SOM_SHARE[s] * (1 + 0.15 * (year - 2023)), 0),
                    "growth_pct": round(100 * _GROWTH[s], 1),
                    "target_accounts": round(_ACCOUNTS_2024[s] * (1.05 ** (year - 2024)) * scale),
                    "expected_acv": P.ACV["median"][s] * mix[s] * (1.03 ** (year - 2024)),
                }
            )
    df = pd.DataFrame(rows)
    df["segment"] = df["segment"].astype("str")
    df["year"] = df["year"].astype(np.int32)
    df["target_accounts"] = df["target_accounts"].astype(np.int32)
    df["expected_acv"] = df["expected_acv"].round(0)
    return df


# competitor: (price index, quality index, share % 2023 per segment, yearly change in points)
_RIVALS = {
    "Contoso BI": (118.0, 82.0, (9.0, 17.0, 26.0), (-0.2, -0.6, -1.0)),
    "Fabrikam Insights": (86.0, 64.0, (21.0, 12.0, 5.0), (0.3, 0.1, 0.0)),
    "Litware Data": (97.0, 71.0, (7.0, 11.0, 9.0), (0.2, 0.4, 0.3)),
    "Tailspin Metrics": (72.0, 55.0, (14.0, 6.0, 2.0), (-0.4, -0.2, -0.1)),
    "Adventure Works Cloud": (125.0, 88.0, (2.0, 6.0, 15.0), (0.1, 0.3, 0.4)),
}


def competitors_frame() -> pd.DataFrame:
    """Rivals' share (percent of the segment's TAM) per segment and year, with price index
    (100 = market average) and quality index (0..100) for the positioning map. Our own share is
    not here: the app derives it from won revenue / TAM."""
    rows = []
    for s, seg in enumerate(P.SEGMENTS):
        for year in range(2023, 2027):
            for name, (price, quality, share, delta) in _RIVALS.items():
                rows.append(
                    {
                        "competitor": name,
                        "segment": seg,
                        "year": year,
                        "share_pct": round(share[s] + delta[s] * (year - 2023), 1),
                        "price_index": price + 2.0 * (s - 1),
                        "quality_index": quality + 0.5 * (year - 2023),
                    }
                )
    df = pd.DataFrame(rows)
    df["competitor"] = df["competitor"].astype("str")
    df["segment"] = df["segment"].astype("str")
    df["year"] = df["year"].astype(np.int32)
    return df
