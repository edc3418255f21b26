"""简道云 (Jiandaoyun): its form data exports. Every form adds the system columns 提交人,
提交时间, 更新时间 and, for a workflow form, 流程状态 and 当前节点; the API names the same
fields ``creator``, ``createTime``, ``updateTime``, ``_id``, ``appId``, ``entryId`` and each
widget ``_widget_<number>``.

The business labels are those of its CRM template forms (商机: 对应客户, 商机阶段, 预计签约金额,
预计签约日期; 线索: 线索来源, 跟进人), written by hand: each company edits its own forms.
"""

from __future__ import annotations

LABEL = "简道云 (Jiandaoyun)"
DAY_FIRST = False
DECIMAL_COMMA = False
REFINES = "chinese_crm"

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "leads": {
        "lead_id": ("线索编号", "数据ID", "_id"),
        "email": ("邮箱", "电子邮箱"),
        "created_at": ("提交时间", "创建时间", "createTime"),
        "source": ("线索来源",),
        "owner": ("跟进人", "负责人"),
        "account": ("公司名称", "单位名称"),
        "region": ("所在地区", "地区"),
    },
    "deals": {
        "deal_id": ("商机编号", "数据ID", "_id"),
        "name": ("商机名称",),
        "account": ("对应客户", "客户名称"),
        "created_at": ("提交时间", "创建时间", "createTime"),
        "close_date": ("预计签约日期", "签约日期", "结单日期"),
        "stage": ("商机阶段", "销售阶段"),
        "status": ("商机状态",),
        "amount": ("预计签约金额", "签约金额", "商机金额"),
        "owner": ("负责人", "跟进人"),
        "source": ("商机来源", "线索来源"),
        "region": ("所在地区", "地区"),
    },
}

MARKERS: dict[str, tuple[str, ...]] = {
    "leads": ("提交人", "提交时间", "流程状态", "当前节点"),
    "deals": ("提交人", "提交时间", "流程状态", "当前节点", "对应客户"),
}
API_MARKERS: dict[str, tuple[str, ...]] = {
    "leads": ("entryId",),
    "deals": ("entryId",),
}
COMMON_API_MARKERS: tuple[str, ...] = ("appId", "creator", "updater", "createTime", "updateTime")

STAGES: dict[str, tuple[str, ...]] = {}
SOURCES: dict[str, tuple[str, ...]] = {}
