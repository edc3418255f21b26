"""销售易 (Neocrm): the UI labels of its list exports and the field names of its REST API
(``opportunityName``, ``accountId``, ``ownerId``, ``money``, ``saleStageId``, ``lostStageId``,
``winRate``, ``closeDate``, ``sourceId``, ``createdAt``, ``leadId``, ``reasonDesc``,
``fcastMoney``, ``dimDepart``), as a public integration of its opportunity table names them.

The lead fields are UI labels only (no public source gave their API names): believable labels of
its lead list export, written by hand.
"""

from __future__ import annotations

LABEL = "销售易 (Neocrm)"
DAY_FIRST = False
DECIMAL_COMMA = False
REFINES = "chinese_crm"

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "leads": {
        "lead_id": ("线索ID", "id"),
        "email": ("电子邮件", "邮箱"),
        "created_at": ("创建日期", "创建时间"),
        "source": ("线索来源",),
        "owner": ("所有人",),
        "account": ("公司名称",),
        "converted": ("是否转换", "已转换"),
    },
    "deals": {
        "deal_id": ("商机ID", "id"),
        "name": ("商机名称", "opportunityName"),
        "account": ("客户名称",),
        "account_id": ("accountId",),
        "lead_id": ("leadId",),
        "created_at": ("创建日期", "创建时间", "createdAt"),
        "close_date": ("结单日期", "closeDate"),
        "stage": ("销售阶段", "saleStageId"),
        "amount": ("销售金额", "商机金额", "money"),
        "owner": ("所有人", "ownerId"),
        "source": ("商机来源", "sourceId"),
        "lost_reason": ("输单原因", "输单描述", "reasonDesc"),
        "deal_type": ("商机类型", "opportunityType"),
    },
    "accounts": {
        "account_id": ("客户ID", "id"),
        "name": ("客户名称", "accountName"),
        "industry": ("行业",),
        "owner": ("所有人", "ownerId"),
        "created_at": ("创建日期", "createdAt"),
    },
}

# 所属部门 (dimDepart) is on every 销售易 list too, but a home-made sheet has a 所属部门 as
# often: not a marker.
MARKERS: dict[str, tuple[str, ...]] = {
    "leads": ("转换状态", "最近活动记录时间", "线索状态更新时间"),
    "deals": ("赢率", "输单阶段", "预测金额", "价格表", "阶段更新时间", "最近活动记录时间"),
    "accounts": ("最近活动记录时间", "客户所有人"),
}
API_MARKERS: dict[str, tuple[str, ...]] = {
    "deals": (
        "opportunityName",
        "saleStageId",
        "lostStageId",
        "winRate",
        "fcastMoney",
        "stageUpdatedAt",
        "recentActivityRecordTime",
        "dimDepart",
        "commitmentFlg",
    ),
    "accounts": ("accountName", "dimDepart", "recentActivityRecordTime"),
}
COMMON_API_MARKERS: tuple[str, ...] = (
    "entityType",
    "ownerId",
    "createdBy",
    "updatedBy",
    "lockStatus",
    "approvalStatus",
)

STAGES: dict[str, tuple[str, ...]] = {}
SOURCES: dict[str, tuple[str, ...]] = {}
