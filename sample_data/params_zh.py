"""The Chinese sample company's names: one Chinese label per English one, and the money scale.

The Chinese sample is the English one with the same random draws: every table is generated
by ``generator.generate`` and then relabelled (``localise.py``), so the pull vs push story has
the same shape. Each table below therefore maps every English label one to one; the only
structural addition is the region split (four sales regions become China's seven).
"""

from __future__ import annotations


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COMPANY = "北辰数智科技"
CURRENCY = "CNY"
LOCALE = "zh_CN"
# Every money figure is the English figure times this (about the USD/CNY rate): one factor for
# revenue, spend, salaries and market size keeps every ratio (CAC, LTV:CAC, payback, ROI).
CNY_PER_USD = 7.0

# Lead sources: the six paid pull channels, the two unpaid pull sources that grow with the
# brand (kept: they carry "pull compounds"), and the four push sources.
SOURCES = {
    "Paid Search": "百度推广",
    "Paid Social": "小红书",
    "Content/SEO": "内容营销",
    "Webinar": "抖音",  # live streams (直播): consideration, a one-month flight each
    "Events": "展会",
    "Email Nurture": "微信公众号",  # the subscriber feed is China's newsletter
    "Referral": "口碑推荐",
    "Organic/Direct": "官网自然流量",
    "Outbound Call": "地推",
    "Cold Email": "电话销售",  # the high-volume, lowest-quality push source
    "SDR Prospecting": "老客户转介绍",
    "LinkedIn Outreach": "渠道代理",
}
SPEND_CHANNELS = {"Sales team": "销售团队", "SDR tooling": "销售工具"}

SEGMENTS = {"SMB": "小微企业", "Mid-Market": "中型企业", "Enterprise": "大型企业"}
PRODUCTS = {
    "Insight Core": "洞察基础版",
    "Insight Pro": "洞察专业版",
    "Forecast AI": "智能预测",
    "DataHub Connect": "数据中台连接器",
}
STAGES = {
    "Qualification": "初步接洽",
    "Discovery": "需求确认",
    "Proposal": "方案报价",
    "Negotiation": "商务谈判",
    "Closed Won": "赢单",
    "Closed Lost": "输单",
}
LOST_REASONS = {
    "Price": "价格过高",
    "Competitor": "选择了竞品",
    "No decision": "客户未决策",
    "Timing": "时机未到",
    "Budget": "预算不足",
    "Missing feature": "功能不满足",
}
# Each English region is split into Chinese regions with these weights (they add up to 1):
# North America 46% is 华东 alone, the largest B2B market; the others split in two.
REGIONS: dict[str, tuple[tuple[str, float], ...]] = {
    "North America": (("华东", 1.0),),
    "EMEA": (("华南", 0.55), ("华北", 0.45)),
    "APAC": (("华中", 0.5), ("西南", 0.5)),
    "LATAM": (("东北", 0.6), ("西北", 0.4)),
}
REGION_ORDER = ("华东", "华南", "华北", "华中", "西南", "西北", "东北")

RIVALS = {
    "Contoso BI": "云图智析",
    "Fabrikam Insights": "数策科技",
    "Litware Data": "观澜数据",
    "Tailspin Metrics": "简表云",
    "Adventure Works Cloud": "远见BI",
}

# Campaign themes, by the English theme they replace.
THEMES = {
    "Search: brand terms": "百度推广：品牌词",
    "Search: competitor terms": "百度推广：竞品词",
    "Search: Forecast AI": "百度推广：智能预测",
    "Search: BI dashboards": "百度推广：BI报表",
    "LinkedIn: CFO insights": "小红书：财务负责人干货笔记",
    "LinkedIn: RevOps": "小红书：营收运营",
    "Social: product video": "小红书：产品短视频",
    "Social: case studies": "小红书：客户案例",
    "Content: state of analytics": "内容：数据分析行业报告",
    "SEO: pillar pages": "SEO：专题页",
    "Content: ROI guide": "内容：投资回报指南",
    "Content: data playbook": "内容：数据实战手册",
    "Webinar: forecasting 101": "抖音直播：销售预测入门",
    "Webinar: customer panel": "抖音直播：客户圆桌",
    "Webinar: product tour": "抖音直播：产品演示",
    "Webinar: pipeline analytics": "抖音直播：商机管道分析",
    "Trade show booth": "行业展会展位",
    "Field dinner": "客户答谢晚宴",
    "User conference": "用户大会",
    "Roadshow": "城市巡展",
    "Nurture: trial to paid": "公众号培育：试用转付费",
    "Nurture: re-engagement": "公众号培育：沉睡用户唤醒",
    "Customers: onboarding series": "客户：上手系列推文",
    "Customers: quarterly newsletter": "客户：季度简报",
    "Customer advocacy": "客户口碑计划",
    "Referral program": "老客户推荐计划",
}

# People: the English grid FIRST x LAST becomes surname (for LAST) + given name (for FIRST);
# surnames are one character, so every name splits one way and stays distinct.
SURNAMES = tuple(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    "彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
)
GIVEN = _words(
    "子涵 浩然 雨桐 思远 梓萱 一鸣 欣怡 俊杰 晓峰 佳琪 志强 美玲 建华 丽娟 文博 海燕 宇航 "
    "婷婷 国栋 雪梅 振宇 慧敏 嘉怡 明轩 晨曦 立新 秀英 鹏飞 诗涵 天佑 玉兰 凯 雯 磊 静 斌 "
    "娜 超 琳 阳 家豪 若曦 俊熙 梦瑶 子轩 欣然 伟 芳 宏伟 晓燕 永康 春华 思琪 博文 雅婷 "
    "国强 丹 亮 敏 涛"
)
MARKETING_OWNERS = ("沈若兰", "韩志远", "苏晴", "顾明哲", "宋雅琴", "郝建宇")

# Accounts: city + trade name (字号) + industry + legal form, as Chinese companies are named.
# City for the English prefix, trade name for the stem (both two characters, so a name splits
# one way), industry and legal form for theirs.
CITIES = _words(
    "北京 上海 广州 深圳 杭州 南京 苏州 成都 重庆 武汉 西安 天津 长沙 郑州 青岛 宁波 厦门 "
    "福州 合肥 济南 沈阳 大连 昆明 南宁 贵阳 南昌 太原 兰州 银川 西宁 海口 三亚 珠海 佛山 "
    "东莞 中山 惠州 汕头 无锡 常州 南通 扬州 徐州 温州 嘉兴 绍兴 金华 台州 湖州 泉州 漳州 "
    "莆田 烟台 潍坊 威海 淄博 临沂 洛阳 开封 宜昌 襄阳 岳阳 常德 株洲 湘潭 九江 赣州 芜湖 "
    "蚌埠 绵阳 宜宾 泸州 遵义 曲靖 柳州 桂林 保定 唐山 廊坊 邯郸 大同 包头 鞍山 吉林 长春 "
    "大庆 延吉 丹东 营口 锦州 镇江 泰州 盐城 舟山 丽水 衢州 宁德 龙岩 日照"
)
TRADE_NAMES = _words(
    "恒达 鑫源 华信 汇通 宏图 盛世 天成 嘉禾 瑞丰 永泰 中联 新宇 博远 "
    "金桥 正阳 德润 泰和 长风 远航 启明 星辰 海纳 凯旋 锦程 卓越 银河 "
    "东方 九州 万象 同创 睿智 智达 优联 富邦 华泰 宏远 振华 兴业 安泰 "
    "隆盛 信诚 和顺 广源 聚力 腾飞 明德 鼎盛 弘毅 佳和 立信 精诚 美达 "
    "诺亚 鹏程 清源 荣昌 世纪 拓普 万通 伟业 祥和 新元 亚泰 易达 益民 "
    "众合 卓信 昌盛 晨光 大地 丰华 高远 光明 国泰 海川 红日 华夏 汇丰 "
    "吉祥 嘉诚 金辉 锦华 巨人 凯达 朗润 利民 联创 龙腾 茂源 敏捷 南山 "
    "旗舰 千禧 荣盛 山河 尚品 神州 盛达 四海 天合 和信"
)
INDUSTRIES = {
    "Logistics": "物流",
    "Health": "健康",
    "Foods": "食品",
    "Software": "软件",
    "Energy": "能源",
    "Retail": "商贸",
    "Capital": "投资",
    "Manufacturing": "制造",
    "Media": "传媒",
    "Biotech": "生物",
    "Insurance": "保险代理",
    "Telecom": "通信",
    "Travel": "旅游",
    "Systems": "系统集成",
    "Motors": "汽车",
    "Pharma": "医药",
    "Labs": "检测",
    "Robotics": "机器人",
    "Textiles": "纺织",
    "Chemicals": "化工",
    "Agritech": "农业",
    "Apparel": "服饰",
    "Hospitality": "酒店管理",
    "Payments": "支付",
    "Security": "安防",
    "Construction": "建设",
    "Education": "教育",
    "Legal": "法务咨询",
    "Marine": "海运",
    "Aerospace": "航空",
    "Mining": "矿业",
    "Packaging": "包装",
    "Furniture": "家具",
    "Beverages": "饮品",
    "Consulting": "管理咨询",
    "Analytics": "数据",
    "Devices": "电子",
    "Networks": "网络",
    "Mobility": "出行",
    "Utilities": "水务",
}
LEGAL_FORMS = {
    "Inc": "有限公司",
    "LLC": "有限责任公司",
    "Ltd": "科技有限公司",
    "GmbH": "实业有限公司",
    "Group": "集团有限公司",
    "Co": "股份有限公司",
    "Holdings": "控股有限公司",
    "SA": "发展有限公司",
    "AG": "技术有限公司",
    "Corp": "集团股份有限公司",
}
