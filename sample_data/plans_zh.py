"""The Chinese sample company's starting plan: ``queries.plans.seed_sample_plans`` in Chinese.

The same plan as the English sample's (the segments it considers, the four Ps with their KPI
and target, the positioning map, next year's budget at last year's spend with a fifth of the
paid-social channel moved to product and place), written in Chinese, with money targets in CNY.
"""

from __future__ import annotations

from datetime import date

from queries import plans
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


PLAN = plans.SamplePlan(
    segments=(_MID, _ENT),
    cards=_CARDS,
    targets={
        kpi: (_TARGETS[(_MID, kpi)], _TARGETS[(_ENT, kpi)]) for _, _, kpi, _ in _CARDS.values()
    },
    version_name="方案一：初稿",
    author="管理层",
    social_channel=_SOCIAL,
)


def seed_plans(ws: Workspace) -> None:
    """The starting plan (nothing when a plan exists), as the English sample's."""
    plans.seed_sample_plans(ws, today=TODAY, plan=PLAN)
