"""纷享销客 (FxiaoKe / ShareCRM): the UI labels of its list exports (导出) and the api_name of
each field its open API returns (``/cgi/crm/v2/data/query`` on ``LeadsObj``,
``NewOpportunityObj``, ``AccountObj``): ``name``, ``account_id``, ``sales_stage``,
``close_date``, ``amount``, ``owner``, ``create_time`` (epoch milliseconds)...

The object and system field names (``life_status`` 生命状态, ``lock_status`` 锁定状态,
``record_type`` 业务类型 = 预设业务类型, ``owner_department`` 负责人所在部门, ``_id``) are from
its open-platform documentation; the UI labels of the opportunity fields are the labels its
list view shows, written by hand (no real export file was available to copy).
"""

from __future__ import annotations

LABEL = "纷享销客 (FxiaoKe)"
DAY_FIRST = False
DECIMAL_COMMA = False
# A 纷享销客 export is a Chinese CRM export: the general Chinese labels apply after its own.
REFINES = "chinese_crm"

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "leads": {
        "lead_id": ("线索编号", "_id"),
        "email": ("邮件", "邮箱", "email"),
        "created_at": ("创建时间", "create_time"),
        "source": ("线索来源", "source"),
        "owner": ("负责人", "owner__r", "owner"),
        "account": ("公司", "公司名称", "company"),
        "region": ("省", "province"),
    },
    "deals": {
        "deal_id": ("商机编号", "_id"),
        "name": ("商机名称", "name"),
        "account": ("客户名称", "account_id__r"),
        "account_id": ("account_id",),
        "lead_id": ("leads_id",),
        "created_at": ("创建时间", "create_time"),
        "close_date": ("结单日期", "close_date"),
        "stage": ("商机阶段", "销售阶段", "sales_stage"),
        "status": ("商机状态", "阶段状态", "sales_status"),
        "amount": ("商机金额", "预计销售金额", "amount"),
        "currency": ("币种", "mc_currency"),
        "owner": ("负责人", "owner__r", "owner"),
        "source": ("商机来源", "source"),
        "lost_reason": ("输单原因", "lost_reason"),
    },
    "accounts": {
        "account_id": ("客户编号", "_id"),
        "name": ("客户名称", "name"),
        "industry": ("行业", "industry_level1"),
        "segment": ("客户级别", "account_level"),
        "owner": ("负责人", "owner__r", "owner"),
        "created_at": ("创建时间", "create_time"),
    },
}

# The system columns every 纷享销客 list export carries; general labels (商机名称, 客户名称)
# are the chinese_crm preset's and only add evidence (see presets.REFINES).
MARKERS: dict[str, tuple[str, ...]] = {
    "leads": ("生命状态", "负责人所在部门", "锁定状态", "业务类型", "线索池", "线索阶段"),
    "deals": ("生命状态", "负责人所在部门", "锁定状态", "业务类型", "销售流程"),
    "accounts": ("生命状态", "负责人所在部门", "锁定状态", "业务类型", "所属公海"),
}
API_MARKERS: dict[str, tuple[str, ...]] = {
    "leads": ("life_status", "lock_status", "owner_department", "leads_pool_id", "biz_status"),
    "deals": ("life_status", "lock_status", "owner_department", "sales_process_id"),
    "accounts": ("life_status", "lock_status", "owner_department", "high_seas_id"),
}
COMMON_API_MARKERS: tuple[str, ...] = (
    "_id",
    "create_time",
    "last_modified_time",
    "created_by",
    "is_deleted",
    "object_describe_api_name",
    "record_type",
)
# Cell values only 纷享销客 writes: the label of the default 业务类型 (record_type default__c).
VALUE_MARKERS: tuple[str, ...] = ("预设业务类型",)

# The default stages of 商机2.0's sales process; sales_status is 进行中/赢单/输单/无效.
STAGES: dict[str, tuple[str, ...]] = {
    "open": ("需求确定", "方案/报价"),
}

SOURCES: dict[str, tuple[str, ...]] = {}
