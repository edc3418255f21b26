"""The sample company in another locale: the same generated tables, relabelled and rescaled.

    frames = localise(generate(scale, seed=seed), "zh")

Nothing is drawn again: every label is swapped through a one-to-one table (params_zh.py) and
every money column is multiplied by one factor, so counts, dates, stages reached, win/loss and
every ratio are those of the English sample (PARAMETERS.md, "The Chinese sample"). The one
addition is the region split: each English region becomes one or two Chinese regions, chosen
without randomness (a rep by their order in the region; a lead by its owner's region, a deal
by its lead's), so the same seed still gives the same file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from sample_data import names as N
from sample_data import params as P
from sample_data import params_zh as Z

LOCALES = ("en", "zh")
_GOLDEN = (np.sqrt(5.0) - 1.0) / 2.0
_CAMPAIGN = re.compile(
    r"^(?P<theme>.+) — (?P<mon>[A-Z][a-z]{2}) (?P<year>\d{4})(?: \((?P<seg>.+)\))?$"
)
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def settings(locale: str) -> dict[str, str]:
    """The workspace settings that differ from the English sample's."""
    if locale == "en":
        return {}
    if locale == "zh":
        return {
            "currency": Z.CURRENCY,
            "locale": Z.LOCALE,
            "company_name": Z.COMPANY,
            "sample_locale": "zh",  # which sample: its true channel parameters' names
        }
    raise ValueError(f"unknown sample locale {locale!r}; choose one of {', '.join(LOCALES)}")


def true_channels(locale: str) -> dict[str, dict]:
    """The generator's true channel parameters (``TRUE_PARAMETERS["channels"]``) as the sample
    in ``locale`` names its channels: in the Chinese sample 百度推广's, its half-saturation K in
    yuan (spend is the English spend times CNY_PER_USD; θ and s have no unit). ``noisy``: a
    channel whose θ and s the fit cannot pin down (planning.validation.NOISY_CHANNELS)."""
    from planning.validation import NOISY_CHANNELS

    settings(locale)  # refuses an unknown locale
    truth = P.TRUE_PARAMETERS["channels"]
    if locale == "en":
        return {c: {**t, "noisy": c in NOISY_CHANNELS} for c, t in truth.items()}
    return {
        Z.SOURCES[c]: {**t, "K": t["K"] * Z.CNY_PER_USD, "noisy": c in NOISY_CHANNELS}
        for c, t in truth.items()
    }


def localise(frames: dict[str, pd.DataFrame], locale: str) -> dict[str, pd.DataFrame]:
    """``frames`` (from ``generate``) in ``locale``; "en" returns them unchanged."""
    settings(locale)  # refuses an unknown locale
    if locale == "en":
        return frames
    return _to_zh({k: v.copy() for k, v in frames.items()})


def _relabel(values: pd.Series, mapping: Mapping[str, str]) -> pd.Series:
    """Every non-null value through ``mapping``; a label without a translation is a bug."""
    out = values.map(mapping)
    missing = values.notna() & out.isna()
    if missing.any():
        raise KeyError(f"no Chinese label for {sorted(set(values[missing]))[:5]}")
    return out.astype("str")


def _money(values: pd.Series, digits: int) -> pd.Series:
    return (values * Z.CNY_PER_USD).round(digits)


def person_names(english: pd.Series) -> dict[str, str]:
    """English name -> Chinese name: surname for the last name, given name for the first (the
    grid is the same size, so distinct names stay distinct); a middle initial, used beyond the
    3,600 names of the grid, is kept as a letter after the name."""
    out = {}
    for name in english.dropna().unique():
        parts = str(name).split(" ")
        first, last = parts[0], parts[-1]
        zh = Z.SURNAMES[N.LAST.index(last)] + Z.GIVEN[N.FIRST.index(first)]
        out[name] = zh + (parts[1].rstrip(".") if len(parts) == 3 else "")
    return out


def _trade_names() -> dict[str, str]:
    """English prefix+stem -> city + trade name, for the first (prefix, stem) that spells it,
    as ``names.account_names`` keeps the first."""
    out: dict[str, str] = {}
    for i, prefix in enumerate(N._PREFIX):
        for j, stem in enumerate(N._STEM):
            out.setdefault(prefix + stem, Z.CITIES[i] + Z.TRADE_NAMES[j])
    return out


def account_names(english: pd.Series) -> dict[str, str]:
    """'Bluewater Logistics Inc' -> '上海恒达物流有限公司' (city, trade name, industry, legal
    form); one to one, so won accounts stay unique."""
    trade = _trade_names()
    out = {}
    for name in english.dropna().unique():
        head, industry, legal = str(name).rsplit(" ", 2)
        out[name] = trade[head] + Z.INDUSTRIES[industry] + Z.LEGAL_FORMS[legal]
    return out


def _campaign_name(name: str) -> str:
    """'Search: brand terms — Nov 2023 (SMB)' -> '百度推广：品牌词 — 2023年11月（小微企业）'."""
    m = _CAMPAIGN.match(name)
    if m is None:
        raise ValueError(f"unexpected sample campaign name {name!r}")
    label = f"{Z.THEMES[m['theme']]} — {m['year']}年{_MONTHS.index(m['mon']) + 1}月"
    return label + (f"（{Z.SEGMENTS[m['seg']]}）" if m["seg"] else "")


def _split(en_region: np.ndarray, k: np.ndarray) -> np.ndarray:
    """The Chinese region of the k-th item of each English region: the k-th point of the
    golden-ratio sequence (evenly spread, no randomness) against the split's weights."""
    u = np.mod((k + 1) * _GOLDEN, 1.0)
    out = np.empty(len(en_region), dtype=object)
    for en, parts in Z.REGIONS.items():
        rows = en_region == en
        bounds = np.cumsum([w for _, w in parts])[:-1]
        out[rows] = np.asarray([name for name, _ in parts], dtype=object)[
            np.searchsorted(bounds, u[rows], side="right")
        ]
    if pd.isna(out).any():
        raise KeyError(f"no Chinese region for {sorted(set(en_region[pd.isna(out)]))[:5]}")
    return out


def _regions(frames: dict[str, pd.DataFrame]) -> None:
    """Chinese regions for reps, leads and deals (in place, before names are swapped)."""
    reps, leads, deals = frames["sales_reps"], frames["raw_leads"], frames["raw_deals"]
    rep_region = reps["region"].to_numpy(dtype=object)
    rep_zh = _split(rep_region, reps.groupby(["region", "team"]).cumcount().to_numpy())
    rep_en_of = dict(zip(reps["owner"], rep_region, strict=True))
    rep_zh_of = dict(zip(reps["owner"], rep_zh, strict=True))

    def by_owner(frame: pd.DataFrame) -> np.ndarray:
        """The owner's Chinese region, for records of the owner's own (English) region."""
        en = frame["region"].to_numpy(dtype=object)
        same = frame["owner"].map(rep_en_of).to_numpy(dtype=object) == en
        return np.where(same, frame["owner"].map(rep_zh_of).to_numpy(dtype=object), None)

    # Pull leads are spread over the split by their order in their region (so the shares are
    # the split's weights); a push lead is where the rep who prospected it works.
    en = leads["region"].to_numpy(dtype=object)
    spread = _split(en, leads.groupby("region").cumcount().to_numpy())
    is_push = ~leads["source"].isin(P.PULL_SOURCES).to_numpy()
    own = by_owner(leads)
    lead_zh = np.where(is_push & pd.notna(own), own, spread)
    # a lead's deal keeps the lead's region, so region filters keep the funnel whole; a direct
    # deal is where its owner works (their English region is the deal's)
    from_lead = pd.Series(lead_zh, index=leads["lead_id"].to_numpy()).reindex(deals["lead_id"])
    direct = by_owner(deals)
    direct = np.where(
        pd.notna(direct),
        direct,
        _split(deals["region"].to_numpy(dtype=object), np.arange(len(deals))),
    )
    deal_zh = np.where(deals["lead_id"].notna(), from_lead.to_numpy(dtype=object), direct)
    reps["region"] = pd.Series(rep_zh, index=reps.index, dtype="str")
    leads["region"] = pd.Series(lead_zh, index=leads.index, dtype="str")
    deals["region"] = pd.Series(deal_zh, index=deals.index, dtype="str")


def _to_zh(f: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    _regions(f)
    people = person_names(pd.concat([f["sales_reps"]["owner"], f["raw_leads"]["owner"]]))
    people.update(zip(N.MARKETING_OWNERS, Z.MARKETING_OWNERS, strict=True))
    channels = {**Z.SOURCES, **Z.SPEND_CHANNELS}

    reps = f["sales_reps"]
    reps["owner"] = _relabel(reps["owner"], people)
    reps["monthly_cost"] = _money(reps["monthly_cost"], 2)

    leads = f["raw_leads"]
    leads["source"] = _relabel(leads["source"], Z.SOURCES)
    leads["segment"] = _relabel(leads["segment"], Z.SEGMENTS)
    leads["owner"] = _relabel(leads["owner"], people)

    deals = f["raw_deals"]
    accounts = _relabel(deals["account"], account_names(deals["account"]))
    products = _relabel(deals["product"], Z.PRODUCTS)
    deals["account"] = accounts
    deals["product"] = products
    deals["name"] = (accounts + " - " + products).astype("str")
    deals["stage"] = _relabel(deals["stage"], Z.STAGES)
    deals["amount"] = _money(deals["amount"], 0)  # contracts in whole yuan
    deals["currency"] = pd.Series(Z.CURRENCY, index=deals.index, dtype="str")
    deals["segment"] = _relabel(deals["segment"], Z.SEGMENTS)
    deals["owner"] = _relabel(deals["owner"], people)
    deals["source"] = _relabel(deals["source"], Z.SOURCES)
    deals["lost_reason"] = _relabel(deals["lost_reason"], Z.LOST_REASONS)

    camp = f["campaigns"]
    camp["name"] = camp["name"].map(_campaign_name).astype("str")
    camp["channel"] = _relabel(camp["channel"], Z.SOURCES)
    camp["owner"] = _relabel(camp["owner"], people)
    camp["segment"] = _relabel(camp["segment"], Z.SEGMENTS)
    camp["budget"] = _money(camp["budget"], -2)  # budgets are planned in hundreds

    spend = f["spend"]
    spend["channel"] = _relabel(spend["channel"], channels)
    spend["amount"] = _money(spend["amount"], 2)

    f["source_motion"]["source"] = _relabel(f["source_motion"]["source"], Z.SOURCES)
    f["touches"]["channel"] = _relabel(f["touches"]["channel"], Z.SOURCES)

    market = f["market_segments"]
    market["segment"] = _relabel(market["segment"], Z.SEGMENTS)
    for col in ("tam", "sam", "som", "expected_acv"):
        market[col] = _money(market[col], 0)

    rivals = f["competitors"]
    rivals["competitor"] = _relabel(rivals["competitor"], Z.RIVALS)
    rivals["segment"] = _relabel(rivals["segment"], Z.SEGMENTS)
    return f
