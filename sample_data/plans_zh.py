"""The Chinese sample company's starting plan: ``queries.plans.seed_sample_plans`` in Chinese.

The same plan as the English sample's (the segments it considers, the four Ps with their KPI
and target, the positioning map, next year's budget at last year's spend with a fifth of the
paid-social channel moved to product and place), written in Chinese, with money targets in CNY.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from planning import budget_mix
from queries import plans
from queries.filters import Filters
from queries.workspace import Workspace
from sample_data import params_zh as Z

TODAY = date(2026, 11, 2)  # as the English sample: the day after the data window
_SOCIAL = Z.SOURCES["Paid Social"]
# (decision, why, KPI, owner) per P; targets per (segment, KPI) below
_CARDS = {
    "product": (
        "主推洞察专业版和智能预测；面向数据团队捆绑数据中台连接器。",
        "在这两个细分市场，高阶产品能拿下更大的单子。",
        "avg_deal_size",
        "产品负责人",
    ),
    "price": (
        "折扣上限 15%；大型企业采用按价值定价的价目表。",
        "折扣超过 15% 的商机赢单率并不更高。",
        "win_rate",
        "销售运营",
    ),
    "place": (
        "华东、华南、华北由直销团队按重点客户覆盖；华中、西南走渠道代理。",
        "销售周期最短的区域配直销团队。",
        "sales_cycle_days",
        "销售负责人",
    ),
    "promotion": (
        "把小红书的部分投放转到抖音直播和内容营销，服务采购决策小组。",
        "直播和内容带来商机的单条线索成本最低。",
        "opportunities",
        "市场负责人",
    ),
}
_MID, _ENT = Z.SEGMENTS["Mid-Market"], Z.SEGMENTS["Enterprise"]
_TARGETS = {
    (_MID, "avg_deal_size"): 60_000.0 * Z.CNY_PER_USD,
    (_ENT, "avg_deal_size"): 250_000.0 * Z.CNY_PER_USD,
    (_MID, "win_rate"): 30.0,
    (_ENT, "win_rate"): 25.0,
    (_MID, "sales_cycle_days"): 60.0,
    (_ENT, "sales_cycle_days"): 120.0,
    (_MID, "opportunities"): 400.0,
    (_ENT, "opportunities"): 120.0,
}


def seed_plans(ws: Workspace) -> None:
    """The starting plan (nothing when a plan exists), as the English sample's."""
    if not plans.target_decisions(ws).empty or plans.latest_version_id(ws) is not None:
        return
    stamp = datetime.combine(TODAY, datetime.min.time()).replace(hour=9)
    rows = [
        {
            "segment": segment,
            "p": p,
            "decisions": decision,
            "rationale": why,
            "kpi": kpi,
            "target": _TARGETS[(segment, kpi)],
            "owner": owner,
            "due_date": date(stamp.year + 1, 6, 30),
        }
        for segment in (_MID, _ENT)
        for p, (decision, why, kpi, owner) in _CARDS.items()
    ]
    plans.save_version(ws, pd.DataFrame(rows), "方案一：初稿", "管理层", at=stamp)
    _positioning(ws)
    _budget(ws, stamp)


def _positioning(ws: Workspace) -> None:
    comp = ws.query("market_competitor_rows")
    if comp.empty:
        return
    latest = comp[comp["year"] == comp["year"].max()]
    means = latest.groupby("competitor")[["price_index", "quality_index"]].mean()
    values = [
        {"kind": "competitor", "player": name, "axis": axis, "value": float(v)}
        for name, r in means.iterrows()
        for axis, v in r.items()
        if not pd.isna(v)
    ]
    values += [
        {"kind": "us", "player": "", "axis": "price_index", "value": 95.0},
        {"kind": "us", "player": "", "axis": "quality_index", "value": 72.0},
        {"kind": "target", "player": "", "axis": "price_index", "value": 105.0},
        {"kind": "target", "player": "", "axis": "quality_index", "value": 84.0},
    ]
    plans.save_positioning(ws, pd.DataFrame(values))


def _budget(ws: Workspace, stamp: datetime) -> None:
    """Next year's budget: each marketing channel at its last twelve months' spend, a fifth of
    小红书 moved to product and place (the plan reallocates, it does not grow the total)."""
    end = date(stamp.year, stamp.month, 1)
    base = Filters(date_from=date(end.year - 1, end.month, 1), date_to=end - timedelta(days=1))
    spent = ws.query("mix_spend_split", **base.params())
    spent = spent[(spent["category"] == "marketing") & (spent["channel"] != "")]
    if spent.empty:
        return
    lines = budget_mix.default_lines(
        spent["channel"].tolist(), dict(zip(spent["channel"], spent["amount"], strict=True))
    )
    lines["amount"] = lines["amount"].round(2)
    shift = round(0.2 * float(lines.loc[lines["line"] == _SOCIAL, "amount"].sum()), 2)
    if shift > 0:
        lines.loc[lines["line"] == _SOCIAL, "amount"] -= shift
        lines.loc[lines["line"] == "product", "amount"] += round(shift / 2, 2)
        lines.loc[lines["line"] == "place", "amount"] += shift - round(shift / 2, 2)
    lines["amount"] = lines["amount"].round(2)
    plans.save_budget(ws, stamp.year + 1, round(float(lines["amount"].sum()), 2), lines)
