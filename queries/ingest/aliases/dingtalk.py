"""钉钉 CRM (钉钉「客户管理」) and 企业微信 CRM (企业微信「客户联系」): the two workplace apps
whose customer lists Chinese teams export as their leads, and 钉钉 CRM's 商机 list.

Both export UI labels only. 企业微信's customer list: 外部联系人ID (the API's
``external_userid``), 添加人, 添加时间, 添加渠道 (the API's ``add_way``: 扫描二维码,
搜索手机号...), 企业标签; 钉钉's lists: 负责人, 协同人, 最后跟进时间, 跟进状态, 关联客户.
Written by hand from the apps' documented columns, not copied from a real file.
"""

from __future__ import annotations

LABEL = "钉钉 / 企业微信 CRM"
DAY_FIRST = False
DECIMAL_COMMA = False
REFINES = "chinese_crm"

ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "leads": {
        "lead_id": ("外部联系人ID", "客户ID", "external_userid"),
        "email": ("邮箱",),
        "created_at": ("添加时间", "创建时间", "createtime"),
        "source": ("添加渠道", "添加方式", "客户来源", "add_way"),
        "owner": ("添加人", "负责人", "userid"),
        "account": ("企业名称", "公司名称", "corp_full_name"),
        "region": ("地区", "省份"),
    },
    "deals": {
        "deal_id": ("商机编号",),
        "name": ("商机名称",),
        "account": ("关联客户", "客户名称"),
        "created_at": ("创建时间",),
        "close_date": ("预计成交日期", "成交日期"),
        "stage": ("销售阶段", "商机阶段"),
        "status": ("商机状态", "赢单状态"),
        "amount": ("预计成交金额", "成交金额", "商机金额"),
        "owner": ("负责人",),
        "source": ("商机来源", "客户来源"),
    },
}

MARKERS: dict[str, tuple[str, ...]] = {
    "leads": (
        "外部联系人ID",
        "添加人",
        "添加时间",
        "添加渠道",
        "企业标签",
        "协同人",
        "最后跟进时间",
    ),
    "deals": ("协同人", "关联客户", "最后跟进时间", "跟进状态"),
}
API_MARKERS: dict[str, tuple[str, ...]] = {
    "leads": ("external_userid", "add_way", "oper_userid"),
}
COMMON_API_MARKERS: tuple[str, ...] = ("unionid", "userid", "createtime")

STAGES: dict[str, tuple[str, ...]] = {}

# 企业微信's 添加渠道: how the contact reached the rep. A customer who scans a rep's QR code
# (printed at a stand, in an ad, on a card) or gets the rep's card passed on came to us; a rep
# who searches a phone number or adds from the address book went to them. 群聊 and 其他 say
# neither: the user decides.
SOURCES: dict[str, tuple[str, ...]] = {
    "pull": ("扫描二维码", "扫描名片", "名片分享", "微信客服", "获客助手"),
    "push": ("搜索手机号", "手机通讯录", "搜索邮箱"),
}
