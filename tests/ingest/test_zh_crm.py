"""Chinese CRM exports (tests/ingest/fixtures/zh, written by make_fixtures.py) imported with no
flags: the CRM each is detected as, what loads, what is rejected (row, column), won/lost/open,
won amounts, dates; the Chinese value forms; and amounts in another currency than the
workspace's, said and not converted.

Every expected figure is counted by hand from the rows in make_fixtures.py.
"""

from __future__ import annotations

import codecs
import importlib.util
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from queries import workspaces
from queries.ingest import engine, parsers, presets
from queries.ingest.currency import code_of
from queries.ingest.encodings import detect_encoding
from queries.workspace import Workspace

ZH = Path(__file__).resolve().parent / "fixtures" / "zh"

# name -> what an import with no flags must find. rejects: (1-based data row, column, code).
EXPECTED: dict[str, dict] = {
    "fxiaoke_opportunities.csv": {
        "preset": "fxiaoke",
        "kind": "deals",
        "encoding": "utf-8-sig",
        "rows": 10,
        "loaded": 9,
        "rejects": [(8, "结单日期", "bad_date")],  # 2024年13月1日
        # 商机名称 is the first header: the BOM before it is not part of its name.
        "mapping": {
            "name": "商机名称",
            "stage": "商机阶段",
            "status": "商机状态",
            "amount": "商机金额",
        },
        # won: rows 1, 3, 7 = ¥128,000.00 + 56,000.00元 + １２，５００．００元
        # lost: 输单 rows 2, 9 and 无效 row 6; open: rows 4, 5, 10 (row 8 rejected)
        "won": 3,
        "lost": 3,
        "open": 3,
        "won_amount": Decimal("196500.00"),
    },
    "fxiaoke_leads_api.csv": {
        "preset": "fxiaoke",
        "kind": "leads",
        "encoding": "utf-8",
        "rows": 8,
        "loaded": 8,
        "rejects": [],
        "mapping": {"lead_id": "_id", "created_at": "create_time", "owner": "owner__r"},
    },
    "neocrm_opportunities.csv": {
        "preset": "neocrm",
        "kind": "deals",
        "encoding": "gb18030",
        "rows": 10,
        "loaded": 9,
        "rejects": [(10, "结单日期", "bad_date")],  # 2024/2/30
        "mapping": {"stage": "销售阶段", "amount": "销售金额", "owner": "所有人"},
        # won: rows 1, 6, 9 = 12,500.00 + 60,000.00元 + 1.5万; lost: 输单 row 2, 丢单 row 8
        "won": 3,
        "lost": 2,
        "open": 4,
        "won_amount": Decimal("87500.00"),
    },
    "dingtalk_opportunities.csv": {
        "preset": "dingtalk",
        "kind": "deals",
        "encoding": "utf-8-sig",
        "rows": 8,
        "loaded": 8,
        "rejects": [],
        "mapping": {"account": "关联客户", "amount": "预计成交金额", "close_date": "预计成交日期"},
        # won: rows 2, 3, 6 = 1.5亿 + ¥9,800.00 + 88,000.00元; lost: rows 4, 7
        "won": 3,
        "lost": 2,
        "open": 3,
        "won_amount": Decimal("150097800.00"),
    },
    "wecom_customers.csv": {
        "preset": "dingtalk",
        "kind": "leads",
        "encoding": "gb18030",
        "rows": 8,
        "loaded": 7,
        "rejects": [(7, "添加时间", "bad_date")],  # 2024-03-32 10:00
        "mapping": {"lead_id": "外部联系人ID", "created_at": "添加时间", "source": "添加渠道"},
    },
    "jiandaoyun_opportunities.csv": {
        "preset": "jiandaoyun",
        "kind": "deals",
        "encoding": "utf-8-sig",
        "rows": 7,
        "loaded": 7,
        "rejects": [],
        "mapping": {"account": "对应客户", "created_at": "提交时间", "close_date": "预计签约日期"},
        # won: rows 2, 4, 6 = ¥36,000.00 + 64,000.00元 + US$8,000.00 (stored as written)
        "won": 3,
        "lost": 1,
        "open": 3,
        "won_amount": Decimal("108000.00"),
    },
    "kingdee_opportunities.csv": {
        "preset": "kingdee_yonyou",
        "kind": "deals",
        "encoding": "gb18030",
        "rows": 8,
        "loaded": 7,
        "rejects": [(8, "预计签单日期", "bad_date")],  # 2024-13-05
        "mapping": {"deal_id": "单据编号", "currency": "币别", "owner": "销售员"},
        # won: rows 1, 2, 6 = 150,000.00 + 20,000.00 (美元) + 42,000.00; lost: row 4
        "won": 3,
        "lost": 1,
        "open": 3,
        "won_amount": Decimal("212000.00"),
    },
}


@pytest.fixture
def cny(tmp_path: Path) -> Workspace:
    w = workspaces.create_workspace(tmp_path / "cny.duckdb", currency="CNY", locale="zh_CN")
    yield w
    w.close()


@pytest.fixture
def usd(tmp_path: Path) -> Workspace:
    w = workspaces.create_workspace(tmp_path / "usd.duckdb")
    yield w
    w.close()


def fetch(ws: Workspace, sql: str) -> list[tuple]:
    cur = ws.cursor()
    try:
        return cur.execute(sql).fetchall()
    finally:
        cur.close()


def test_every_fixture_is_listed_and_each_crm_has_one() -> None:
    assert {p.name for p in ZH.glob("*.csv")} == set(EXPECTED)
    crms = {e["preset"] for e in EXPECTED.values()}
    assert crms == {"fxiaoke", "neocrm", "dingtalk", "jiandaoyun", "kingdee_yonyou"}
    for name, e in EXPECTED.items():
        assert 5 <= e["rows"] <= 15, name


def test_the_script_writes_the_committed_files_in_their_encodings() -> None:
    spec = importlib.util.spec_from_file_location("make_zh", ZH / "make_fixtures.py")
    assert spec and spec.loader
    make = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make)
    for name, e in EXPECTED.items():
        raw = (ZH / name).read_bytes()
        assert raw == make.render(name), name
        if e["encoding"] == "utf-8-sig":
            assert raw.startswith(codecs.BOM_UTF8)
        elif e["encoding"] == "gb18030":
            with pytest.raises(UnicodeDecodeError):
                raw.decode("utf-8")
            raw.decode("gb18030")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_chinese_crm_export_imports_with_no_flags(cny: Workspace, name: str) -> None:
    e = EXPECTED[name]
    with engine.open_import(cny, ZH / name) as plan:
        assert (plan.kind, plan.preset) == (e["kind"], e["preset"])
        assert plan.src.encoding == e["encoding"]
        for field, header in e["mapping"].items():
            assert plan.mapping.get(field) == header, field
        assert plan.unknown_stages() == []
        report = plan.validate("append")
        assert (report.rows_read, report.rows_ok) == (e["rows"], e["loaded"])
        rejects = report.rejects
        got = list(zip(rejects["row_number"], rejects["column"], rejects["code"], strict=True))
        assert got == e["rejects"]
        result = plan.commit("append")
    assert result.rows_loaded == e["loaded"]
    if e["kind"] == "deals":
        counts = dict(fetch(cny, "select outcome, count(*) from raw_deals group by 1"))
        assert counts == {"won": e["won"], "lost": e["lost"], "open": e["open"]}
        won = fetch(cny, "select sum(amount) from raw_deals where outcome = 'won'")[0][0]
        assert won == e["won_amount"]
    else:
        assert fetch(cny, "select count(*) from raw_leads")[0][0] == e["loaded"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_detected_from_the_headers_alone(name: str) -> None:
    e = EXPECTED[name]
    first = (ZH / name).read_bytes().decode(e["encoding"]).splitlines()[0]
    best = presets.detect(first.split(","))[0]
    assert (best.kind, best.preset) == (e["kind"], e["preset"])


@pytest.mark.parametrize(
    "text",
    [
        "商机名称,金额\n甲,1\n",
        "阶段\n赢单\n",
        "线索编号,邮箱\n1,a@b.example\n",
        "客户,金额\nA,¥5\n",
    ],
)
def test_tiny_gb18030_files_are_read_as_gb18030(text: str) -> None:
    assert detect_encoding(text.encode("gb18030")) == "gb18030"


def test_a_crm_export_outranks_the_general_chinese_reading() -> None:
    headers = ["商机名称", "客户名称", "销售阶段", "结单日期", "商机金额", "生命状态", "业务类型"]
    found = [(d.kind, d.preset) for d in presets.detect(headers)]
    assert found[0] == ("deals", "fxiaoke")
    assert ("deals", "chinese_crm") in found[1:]


def test_a_column_of_fxiaoke_values_identifies_its_export() -> None:
    # One system header (锁定状态) is not enough; the 业务类型 value 预设业务类型 adds the second.
    headers = ["名称", "金额", "阶段", "锁定状态", "类型"]
    samples = {"名称": ["A"], "金额": ["1"], "阶段": ["赢单"], "锁定状态": ["未锁定"]}
    assert all(d.preset != "fxiaoke" for d in presets.detect(headers, samples))
    samples["类型"] = ["预设业务类型"]
    assert presets.detect(headers, samples)[0].preset == "fxiaoke"


@pytest.mark.parametrize(
    ("headers", "preset", "mapping"),
    [
        # 纷享销客 NewOpportunityObj through /cgi/crm/v2/data/query
        (
            [
                "_id",
                "name",
                "account_id",
                "sales_stage",
                "close_date",
                "amount",
                "owner",
                "create_time",
                "life_status",
                "owner_department",
            ],
            "fxiaoke",
            {"deal_id": "_id", "stage": "sales_stage", "close_date": "close_date"}
            | {"amount": "amount", "account_id": "account_id", "created_at": "create_time"},
        ),
        # 销售易 opportunity through its REST API
        (
            [
                "id",
                "opportunityName",
                "accountId",
                "ownerId",
                "money",
                "saleStageId",
                "closeDate",
                "createdAt",
                "winRate",
                "reasonDesc",
            ],
            "neocrm",
            {"name": "opportunityName", "amount": "money", "stage": "saleStageId"}
            | {"close_date": "closeDate", "account_id": "accountId", "owner": "ownerId"},
        ),
        # 金蝶云星空 bills through its Web API
        (
            ["FBillNo", "商机名称", "FCreateDate", "FDocumentStatus", "商机阶段", "预计签单金额"],
            "kingdee_yonyou",
            {"deal_id": "FBillNo", "created_at": "FCreateDate", "amount": "预计签单金额"},
        ),
    ],
)
def test_api_exports_of_chinese_crms(headers: list[str], preset: str, mapping: dict) -> None:
    best = presets.detect(headers)[0]
    assert (best.kind, best.preset) == ("deals", preset)
    got = presets.suggest_mapping("deals", preset, headers)
    assert {f: got.get(f) for f in mapping} == mapping


def test_generic_api_names_are_not_taken_for_a_chinese_crm() -> None:
    # name, sales_stage, close_date, amount, owner, create_time: any database's dump.
    headers = ["id", "name", "sales_stage", "close_date", "amount", "owner", "create_time"]
    chinese = {"chinese_crm", "fxiaoke", "neocrm", "dingtalk", "jiandaoyun", "kingdee_yonyou"}
    assert all(d.preset not in chinese for d in presets.detect(headers))


def test_the_values_as_stored(cny: Workspace) -> None:
    for name in ("fxiaoke_opportunities.csv", "dingtalk_opportunities.csv"):
        with engine.open_import(cny, ZH / name) as plan:
            plan.commit("append")
    rows = dict(
        (name, (amount, closed, created))
        for name, amount, closed, created in fetch(
            cny, "select name, amount, closed_at, created_at from raw_deals"
        )
    )
    # 2024年5月6日 下午3:20 and the full-width １２，５００．００元
    assert rows["仓储管理升级"] == (
        Decimal("12500.00"),
        datetime(2024, 5, 6, 15, 20),
        datetime(2024, 3, 25, 9, 30),
    )
    assert rows["华东ERP升级"][1] == datetime(2024, 3, 8)  # 2024年3月8日
    assert rows["云客服部署"][:2] == (Decimal("56000.00"), datetime(2024, 4, 1))  # 2024/4/1
    assert rows["营销自动化"][1] == datetime(2024, 5, 20)  # 2024.5.20
    assert rows["智慧门店项目"][0] == Decimal("85000.00")  # 8.5万
    assert rows["门店巡检App"][0] is None  # blank amount: unknown, not 0
    assert rows["门禁系统改造"][0] == Decimal("150000000.00")  # 1.5亿
    assert rows["年度IT运维外包"][0] == Decimal("30000.00")  # ３０，０００
    assert rows["年度IT运维外包"][1] is None  # open: its expected date is not a close


def test_lead_dates_and_motions(cny: Workspace) -> None:
    with engine.open_import(cny, ZH / "wecom_customers.csv") as plan:
        motions = dict(plan.source_motions)
        plan.commit("append")
    with engine.open_import(cny, ZH / "fxiaoke_leads_api.csv") as plan:
        plan.commit("append")
    created = dict(fetch(cny, "select lead_id, created_at from raw_leads"))
    assert created["wmAbc006"] == datetime(2024, 3, 18, 9, 45)  # 2024年3月18日 上午9:45
    assert created["wmAbc005"] == datetime(2024, 3, 15, 16, 30)  # 2024/3/15 16:30
    assert "wmAbc007" not in created  # 2024-03-32: rejected, listed
    assert created["65e6f1a0c2"] == datetime(2024, 3, 5, 2, 23)  # 1709605380000 ms, UTC
    assert motions == {
        "扫描二维码": "pull",
        "搜索手机号": "push",
        "名片分享": "pull",
        "群聊": None,
        "手机通讯录": "push",
        "微信客服": "pull",
    }


# -- currencies ------------------------------------------------------------------------------------
def test_a_currency_column_naming_other_currencies_is_reported(cny: Workspace) -> None:
    with engine.open_import(cny, ZH / "kingdee_opportunities.csv") as plan:
        report = plan.validate("append")
        found = [
            (m.column, m.currency, m.written, m.rows, m.first_rows, m.workspace_currency)
            for m in report.currency_mismatches
        ]
        assert found == [
            ("币别", "USD", "美元", 2, (2, 7), "CNY"),
            ("币别", "HKD", "港币", 1, (5,), "CNY"),
        ]
        result = plan.commit("append")
    assert result.currency_mismatches == report.currency_mismatches
    # Nothing converted: the dollar deal keeps its 20,000.00 and its currency word.
    assert fetch(cny, "select amount, currency from raw_deals where name = '海外分销系统'") == [
        (Decimal("20000.00"), "美元")
    ]
    en = report.currency_mismatches[0].message("en")
    zh = report.currency_mismatches[0].message("zh")
    for text in (en, zh):
        assert "kingdee_opportunities.csv" in text and "币别" in text
        assert "USD" in text and "CNY" in text and "2, 7" in text
    assert "Nothing was converted" in en
    assert "未做任何换算" in zh
    assert report.money_notes("zh") == [m.message("zh") for m in report.currency_mismatches]


def test_a_dollar_amount_in_a_yuan_workspace_is_reported(cny: Workspace) -> None:
    with engine.open_import(cny, ZH / "jiandaoyun_opportunities.csv") as plan:
        (m,) = plan.validate("append").currency_mismatches
    assert (m.file, m.column, m.currency, m.written, m.rows, m.first_rows) == (
        "jiandaoyun_opportunities.csv",
        "预计签约金额",
        "USD",
        "US$",
        1,
        (6,),
    )


def test_yuan_amounts_in_a_dollar_workspace_are_reported(usd: Workspace) -> None:
    with engine.open_import(usd, ZH / "fxiaoke_opportunities.csv") as plan:
        (m,) = plan.validate("append").currency_mismatches
    # ¥ on rows 1 and 5, 元 on rows 3 and 7; 8.5万 and 45,000.00 name no currency.
    assert (m.column, m.currency, m.written, m.rows, m.first_rows, m.workspace_currency) == (
        "商机金额",
        "CNY",
        "¥ / 元",
        4,
        (1, 3, 5, 7),
        "USD",
    )


def test_iso_codes_count_only_standing_alone(usd: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "Deal ID,Stage,Amount,Close Date\n1,Won,12500 CNY,2024-03-01\n"
        "2,Lost,Europe,2024-03-02\n3,Won,$5,2024-03-03\n4,Won,EUR7,2024-03-04\n",
        encoding="utf-8",
    )
    with engine.open_import(usd, path) as plan:
        report = plan.validate("append")
    # "Europe" is a bad amount (rejected, listed), not an amount in euros.
    assert list(report.rejects["row_number"]) == [2]
    found = [(m.currency, m.written, m.first_rows) for m in report.currency_mismatches]
    assert found == [("CNY", "CNY", (1,)), ("EUR", "EUR", (4,))]


def test_amounts_in_the_workspace_currency_say_nothing(cny: Workspace) -> None:
    for name in ("fxiaoke_opportunities.csv", "neocrm_opportunities.csv"):
        with engine.open_import(cny, ZH / name) as plan:
            assert plan.validate("append").currency_mismatches == []


@pytest.mark.parametrize(
    ("mark", "code"),
    [
        ("美元", "USD"),
        ("US$", "USD"),
        ("人民币", "CNY"),
        ("元", "CNY"),
        ("RMB", "CNY"),
        ("港币", "HKD"),
        ("usd", "USD"),
        ("EUR", "EUR"),
        ("本位币", None),
        ("其他", None),
    ],
)
def test_currency_words(mark: str, code: str | None) -> None:
    assert code_of(mark) == code


# -- value forms -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("2024年3月5日", datetime(2024, 3, 5)),
        ("2024年3月5号", datetime(2024, 3, 5)),
        ("２０２４年３月５日", datetime(2024, 3, 5)),
        ("2024年3月5日10:23", datetime(2024, 3, 5, 10, 23)),
        ("2024年3月5日 下午3:20", datetime(2024, 3, 5, 15, 20)),
        ("2024年3月5日 中午12:30", datetime(2024, 3, 5, 12, 30)),
        ("2024年3月5日 上午12:05", datetime(2024, 3, 5, 0, 5)),
        ("2024-03-05 上午 10:23", datetime(2024, 3, 5, 10, 23)),
        ("2024/3/5", datetime(2024, 3, 5)),
        ("2024-03-05 10:23", datetime(2024, 3, 5, 10, 23)),
        ("2024.3.5", datetime(2024, 3, 5)),
        ("2024年03月05日 10:23:45", datetime(2024, 3, 5, 10, 23, 45)),
    ],
)
def test_chinese_dates(text: str, value: datetime) -> None:
    assert parsers.parse_timestamp(text) == value
    assert presets.looks_like([text], "timestamp") == 1.0


@pytest.mark.parametrize("text", ["2024年13月1日", "2024年2月30日", "2024年3月", "3月5日"])
def test_chinese_dates_that_are_not_dates(text: str) -> None:
    with pytest.raises(ValueError):
        parsers.parse_timestamp(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1.2万", "12000.00"),
        ("¥12,500.00", "12500.00"),
        ("￥12,500.00", "12500.00"),
        ("12,500.00元", "12500.00"),
        ("1.5亿", "150000000.00"),
        ("１２，５００．００元", "12500.00"),
        ("１.２万元", "12000.00"),
        ("人民币 12,500 元", "12500.00"),
        ("RMB12,500", "12500.00"),
        ("8.5万", "85000.00"),
    ],
)
def test_chinese_amounts(text: str, value: str) -> None:
    assert parsers.parse_money(text) == Decimal(value)
    assert presets.looks_like([text], "money") == 1.0


@pytest.mark.parametrize(
    ("text", "outcome"),
    [
        ("赢单", "won"),
        ("已赢单", "won"),
        ("输单", "lost"),
        ("丢单", "lost"),
        ("无效", "lost"),
        ("已丢单", "lost"),
        ("进行中", "open"),
        ("跟进中", "open"),
    ],
)
def test_chinese_outcome_words(text: str, outcome: str) -> None:
    assert parsers.parse_outcome(text) == outcome
    assert presets.looks_like([text], "outcome") == 1.0


def test_chinese_stage_words() -> None:
    stages = {"初步接洽", "需求确认", "需求确定", "方案报价", "方案/报价", "谈判审核"}
    assert {presets.stage_outcome(s) for s in stages} == {"open"}
    assert [presets.stage_outcome(s) for s in ("赢单", "输单", "丢单", "无效")] == [
        "won",
        "lost",
        "lost",
        "lost",
    ]
    with pytest.raises(ValueError):
        parsers.parse_outcome("关闭")  # closed won or closed lost? not guessed


@pytest.mark.parametrize(
    ("text", "flag"),
    [("是", True), ("否", False), ("已转换", True), ("未转化", False), ("不是", False)],
)
def test_chinese_yes_no_words(text: str, flag: bool) -> None:
    assert parsers.parse_flag(text) is flag


# -- amounts in 万 by header ----------------------------------------------------------------------
YONYOU_WAN = (
    "商机编码,商机名称,客户名称,商机阶段,预计签单金额（万元）,预计签单时间,业务员\n"
    "SJ1,甲项目,甲公司,赢单,12.5,2024-03-01,钱进\n"
    "SJ2,乙项目,乙公司,输单,3,2024-03-02,钱进\n"
    'SJ3,丁项目,丁公司,赢单,"1,200",2024-03-04,冯雪\n'
)


@pytest.mark.parametrize(
    ("extra", "amounts", "rejects"),
    [
        # Plain numbers only: the fast SQL path reads them all, times 10,000.
        ("", {"SJ1": "125000.00", "SJ2": "30000.00", "SJ3": "12000000.00"}, []),
        # A value with its own unit keeps it (8.5万, not 8.5万万); 十万 is no number.
        (
            "SJ4,丙项目,丙公司,需求确认,8.5万,2024-09-02,冯雪\nSJ5,戊项目,戊公司,赢单,十万,2024-03-05,冯雪\n",
            {"SJ1": "125000.00", "SJ2": "30000.00", "SJ3": "12000000.00", "SJ4": "85000.00"},
            [(5, "预计签单金额（万元）", "bad_money")],
        ),
    ],
)
def test_a_header_in_wan_scales_plain_numbers(
    cny: Workspace, tmp_path: Path, extra: str, amounts: dict, rejects: list
) -> None:
    path = tmp_path / "yonyou_opportunities.csv"
    path.write_bytes((YONYOU_WAN + extra).encode("gb18030"))
    with engine.open_import(cny, path) as plan:
        assert (plan.kind, plan.preset) == ("deals", "kingdee_yonyou")
        assert plan.mapping["amount"] == "预计签单金额（万元）"
        report = plan.validate("append")
        got = list(
            zip(
                report.rejects["row_number"],
                report.rejects["column"],
                report.rejects["code"],
                strict=True,
            )
        )
        assert got == rejects
        # Plain numbers only: read by the scaled SQL path, which agreed with the parser.
        assert ("amount" in plan.fully_fast) == (not extra)
        (unit,) = report.amount_units
        assert (unit.column, unit.power) == ("预计签单金额（万元）", 4)
        assert "× 10,000" in unit.message("en") and "万" in unit.message("zh")
        plan.commit("append")
    stored = dict(fetch(cny, "select deal_id, amount from raw_deals"))
    assert stored == {k: Decimal(v) for k, v in amounts.items()}


@pytest.mark.parametrize(
    ("header", "power"),
    [
        ("金额（万元）", 4),
        ("预计签单金额(万)", 4),
        ("合同额【千元】", 3),
        ("收入（百万元）", 6),
        ("金额（亿元）", 8),
        ("金额(元)", 0),
        ("Amount (USD)", 0),
        ("金额", 0),
    ],
)
def test_header_units(header: str, power: int) -> None:
    assert parsers.header_scale(header) == power
