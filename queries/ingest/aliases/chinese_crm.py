"""Chinese CRMs in general (悟空CRM, a home-made sheet): the handful of Chinese labels their
exports share. The CRMs with an export shape of their own (fxiaoke, neocrm, dingtalk, jiandaoyun,
kingdee_yonyou) refine this preset: these names apply to them after their own."""

from __future__ import annotations

LABEL = "Chinese CRM (general: 悟空 and others)"
DAY_FIRST = False
DECIMAL_COMMA = False

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "leads": {
        "lead_id": ("线索编号", "线索ID"),
        "email": ("邮箱", "电子邮箱"),
        "created_at": ("创建时间", "创建日期"),
        "source": ("线索来源", "来源"),
        "owner": ("负责人", "所有人"),
        "lead_score": ("线索评分",),
        "segment": ("行业",),
        "region": ("地区", "区域", "省份"),
        "account": ("公司名称", "客户名称"),
        "converted": ("是否转化", "已转化"),
    },
    "deals": {
        "deal_id": ("商机编号", "商机ID"),
        "name": ("商机名称",),
        "account": ("客户名称",),
        "created_at": ("创建时间",),
        "close_date": ("结单日期", "成交日期", "预计成交日期"),
        "stage": ("销售阶段", "商机阶段", "阶段"),
        "status": ("商机状态", "状态"),
        "amount": ("商机金额", "金额", "销售金额", "预计金额"),
        "owner": ("负责人", "销售负责人", "所有人"),
        "source": ("商机来源", "线索来源", "来源"),
        "product": ("产品",),
        "segment": ("行业",),
        "region": ("地区", "区域", "省份"),
        "lost_reason": ("输单原因",),
        "deal_type": ("商机类型",),
    },
    "accounts": {
        "account_id": ("客户编号", "客户ID"),
        "name": ("客户名称",),
        "industry": ("行业", "所属行业"),
        "segment": ("客户级别", "客户分级"),
        "region": ("地区", "区域", "省份"),
        "employees": ("人员规模", "员工数"),
        "owner": ("负责人",),
        "created_at": ("创建时间",),
        "parent": ("上级客户",),
    },
}

MARKERS: dict[str, tuple[str, ...]] = {
    "leads": (
        "线索编号",
        "线索ID",
        "线索名称",
        "线索来源",
        "线索状态",
        "线索评分",
        "手机",
        "公司名称",
    ),
    "deals": (
        "商机编号",
        "商机ID",
        "商机名称",
        "商机金额",
        "商机阶段",
        "商机状态",
        "商机来源",
        "销售阶段",
        "结单日期",
        "预计成交日期",
        "客户名称",
        "输单原因",
    ),
    "accounts": ("客户编号", "客户名称", "客户级别", "客户来源", "成交状态", "上级客户"),
}
API_MARKERS: dict[str, tuple[str, ...]] = {}
COMMON_API_MARKERS: tuple[str, ...] = ()

STAGES: dict[str, tuple[str, ...]] = {
    "won": ("赢单", "已赢单", "赢单关闭", "成交", "已成交", "签约", "已签约"),
    "lost": (
        "输单",
        "已输单",
        "丢单",
        "失败",
        "无效",  # an opportunity disqualified is closed without a win
    ),
    "open": (
        "初步接洽",
        "需求确认",
        "方案报价",
        "谈判审核",
        "验证客户",
        "商务谈判",
        "进行中",
        "跟进中",
    ),
}

SOURCES: dict[str, tuple[str, ...]] = {
    "pull": (
        "官网",
        "网站",
        "搜索引擎",
        "百度",
        "广告",
        "市场活动",
        "展会",
        "转介绍",
        "客户转介绍",
        "口碑",
        "微信公众号",
        "公众号",
        "抖音",
        "小红书",
        "直播",
        "内容营销",
        "线上推广",
        "自然流量",
    ),
    "push": (
        "电话销售",
        "电销",
        "外呼",
        "陌拜",
        "陌生拜访",
        "地推",
        "销售开发",
        "主动开发",
        "扫街",
        "扫楼",
    ),
}
