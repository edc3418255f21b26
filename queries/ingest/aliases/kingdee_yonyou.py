"""金蝶 (Kingdee 云星空 CRM) and 用友 (Yonyou U8/YonSuite CRM): the ERP makers' CRM modules,
whose opportunity (商机) lists are bills like any other. Their exports carry the bill's columns:
金蝶's 单据编号, 单据状态 (创建 / 审核中 / 已审核 / 重新审核), 币别, 销售员, 销售部门; 用友's
商机编码, 业务员, 部门, 币种, 预计签单时间. The API of 金蝶云星空 names them ``FBillNo``,
``FDocumentStatus``, ``FCreateDate``, ``FCurrencyId``, ``FSaleDeptId``.

The business labels (预计签单金额, 预计签单日期, 商机阶段, 商机状态) are believable labels of the
opportunity list, written by hand. Deals only: their lead lists are rarely used for marketing.
"""

from __future__ import annotations

LABEL = "金蝶 / 用友 CRM"
DAY_FIRST = False
DECIMAL_COMMA = False
REFINES = "chinese_crm"

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "deals": {
        "deal_id": ("单据编号", "商机编码", "商机编号", "FBillNo"),
        "name": ("商机名称", "商机主题"),
        "account": ("客户", "客户名称"),
        "created_at": ("创建日期", "单据日期", "FCreateDate"),
        "close_date": ("预计签单日期", "预计签单时间", "签单日期"),
        "stage": ("商机阶段", "销售阶段"),
        "status": ("商机状态",),
        "amount": ("预计签单金额", "签单金额", "商机金额"),
        "currency": ("币别", "币种", "FCurrencyId"),
        "owner": ("销售员", "业务员"),
        "source": ("商机来源",),
        "product": ("物料名称", "产品名称"),
    },
}

MARKERS: dict[str, tuple[str, ...]] = {
    "deals": (
        "单据编号",
        "单据状态",
        "币别",
        "销售员",
        "销售部门",
        "预计签单金额",
        "预计签单日期",
        "商机编码",
        "业务员",
        "预计签单时间",
    ),
}
API_MARKERS: dict[str, tuple[str, ...]] = {
    "deals": ("FBillNo", "FDocumentStatus", "FCreateDate", "FCurrencyId", "FSaleDeptId"),
}
COMMON_API_MARKERS: tuple[str, ...] = ("FID", "FCreatorId", "FModifyDate")
# 单据状态 values: a bill's approval state, written by 金蝶 and 用友 alike.
VALUE_MARKERS: tuple[str, ...] = ("已审核", "重新审核")

STAGES: dict[str, tuple[str, ...]] = {}
SOURCES: dict[str, tuple[str, ...]] = {}
