"""The lead-score threshold (DESIGN.md, "Lead-score threshold"): for a threshold t, how many
leads qualify and what share of those above and below t went on to win, and the t that
separates winning leads best (Youden's J).

Pure: the score bins come in as the DataFrame that ``queries.funnel.lead_score_bins`` reads;
no SQL, no Streamlit.
"""

from __future__ import annotations

import math

import pandas as pd


def score_bin_width(min_score: float, max_score: float, max_bins: int = 100) -> float:
    """A round bin width (1, 2 or 5 × 10^k) giving at most ``max_bins`` bins over the range."""
    span = max(max_score - min_score, 1e-9)
    raw = span / max_bins
    exponent = math.floor(math.log10(raw))
    for step in (1, 2, 5, 10):
        width = step * 10.0**exponent
        if width >= raw:
            return width
    return 10.0 ** (exponent + 1)  # pragma: no cover - the loop always returns


def threshold_table(bins: pd.DataFrame) -> pd.DataFrame:
    """One row per candidate threshold t (each bin edge) and motion group ('overall' and each
    motion): leads with score >= t, the won share above and below t, and Youden's J (share of
    won leads above t minus share of not-won leads above t): the threshold with the largest J
    separates leads that win from those that do not best."""
    columns = [
        "motion",
        "threshold",
        "count_above",
        "count_below",
        "won_share_above",
        "won_share_below",
        "youden_j",
    ]
    if bins.empty:
        return pd.DataFrame(columns=columns)
    # counted once per motion, bin and outcome (a group sum: pivot_table per motion cost most
    # of this table's time)
    both = pd.concat([bins.assign(motion="overall"), bins])
    sums = both.groupby(["motion", "score_bin", "is_won"])["count_leads"].sum()
    counts = sums.unstack("is_won").reindex(columns=[False, True]).fillna(0)  # noqa: PD010
    out = []
    for motion, g in counts.groupby(level="motion"):
        g = g.droplevel("motion")
        won, lost = g[True], g[False]
        # counts at or above each edge: reverse cumulative sums
        won_above = won[::-1].cumsum()[::-1]
        lost_above = lost[::-1].cumsum()[::-1]
        total_won, total_lost = won.sum(), lost.sum()
        above = won_above + lost_above
        below = (total_won + total_lost) - above
        won_below = total_won - won_above
        df = pd.DataFrame(
            {
                "motion": motion,
                "threshold": g.index.astype(float),
                "count_above": above.astype("int64").to_numpy(),
                "count_below": below.astype("int64").to_numpy(),
                "won_share_above": (won_above / above.where(above > 0)).to_numpy(),
                "won_share_below": (won_below / below.where(below > 0)).to_numpy(),
                "youden_j": (
                    won_above / (total_won or float("nan"))
                    - lost_above / (total_lost or float("nan"))
                ).to_numpy(),
            }
        )
        out.append(df)
    return pd.concat(out, ignore_index=True)[columns]


def best_threshold(table: pd.DataFrame, motion: str = "overall") -> float | None:
    """The threshold with the largest Youden's J for ``motion`` (the lowest on a tie)."""
    part = table[(table["motion"] == motion) & table["youden_j"].notna()]
    if part.empty:
        return None
    return float(
        part.sort_values(["youden_j", "threshold"], ascending=[False, True]).iloc[0]["threshold"]
    )


def at_threshold(bins: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """One row per motion group ('overall' and each motion) for one threshold: scored leads at
    or above it and below it, and the won share of each."""
    columns = ["motion", "count_above", "count_below", "won_share_above", "won_share_below"]
    if bins.empty:
        return pd.DataFrame(columns=columns)
    df = pd.concat([bins.assign(motion="overall"), bins])
    df = df.assign(
        is_above=df["score_bin"] >= threshold - 1e-9,
        won=df["count_leads"].where(df["is_won"], 0),
    )
    out = df.pivot_table(
        index="motion", columns="is_above", values=["count_leads", "won"], aggfunc="sum"
    ).fillna(0)
    rows = []
    for motion in out.index:

        def get(value: str, above: bool, motion: str = motion) -> float:
            key = (value, above)
            return float(out.loc[motion, key]) if key in out.columns else 0.0

        above, below = get("count_leads", True), get("count_leads", False)
        rows.append(
            {
                "motion": motion,
                "count_above": int(above),
                "count_below": int(below),
                "won_share_above": get("won", True) / above if above else float("nan"),
                "won_share_below": get("won", False) / below if below else float("nan"),
            }
        )
    return pd.DataFrame(rows, columns=columns)


def qualifying_by_month(bins: pd.DataFrame, threshold: float) -> pd.DataFrame:
    """One row per motion and month: scored leads created, and those with score >= threshold."""
    columns = ["motion", "month", "count_leads", "count_qualified", "share_qualified"]
    if bins.empty:
        return pd.DataFrame(columns=columns)
    df = bins.assign(qualified=bins["count_leads"].where(bins["score_bin"] >= threshold - 1e-9, 0))
    out = (
        df.groupby(["motion", "month"], as_index=False)[["count_leads", "qualified"]]
        .sum()
        .rename(columns={"qualified": "count_qualified"})
    )
    out["share_qualified"] = out["count_qualified"] / out["count_leads"]
    return out[columns]
