"""The Chinese sample company (issue 20, item 3): `flywheel seed --locale zh` builds the English
sample's company with Chinese names, seven Chinese regions, Chinese channels and CNY. The same
draws, so every count equals the English sample's at the same seed and every amount is the
English one times CNY_PER_USD (within the rounding to whole yuan)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

import flywheel_cli
from sample_data import params_zh as Z
from sample_data.generator import generate
from sample_data.localise import account_names, localise, person_names

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = sorted(p.name for p in (Path(APP).parent / "app_pages").glob("*.py"))
SEVEN = {"华东", "华南", "华北", "华中", "西南", "西北", "东北"}
PULL = {"百度推广", "微信公众号", "小红书", "抖音", "内容营销", "展会", "口碑推荐", "官网自然流量"}
PUSH = {"电话销售", "地推", "渠道代理", "老客户转介绍"}
ABSENT = re.compile(r"\b(None|nan|NaN|NaT|inf|Infinity)\b")


@pytest.fixture(scope="module")
def zh_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("zh") / "sample-zh.duckdb"
    assert flywheel_cli.main(["seed", "--locale", "zh", "--db", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def en_copy(en_sample_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the English sample: an in-process AppTest of another module may hold the
    sample itself open read-write, and DuckDB refuses a read-only second connection to it."""
    return Path(shutil.copy(en_sample_path, tmp_path_factory.mktemp("en") / "sample.duckdb"))


def _sql(path: Path, query: str) -> pd.DataFrame:
    # a plain read of the stored tables, independent of the app's queries
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(query).df()
    finally:
        con.close()


def test_settings_say_cny_and_zh_cn(zh_path):
    settings = dict(_sql(zh_path, "select key, value from settings").values.tolist())
    assert settings["currency"] == "CNY"
    assert settings["locale"] == "zh_CN"
    assert settings["company_name"] == "北辰数智科技"
    assert settings["is_sample"] == "true"
    assert _sql(zh_path, "select distinct currency from raw_deals")["currency"].tolist() == ["CNY"]


def test_sources_are_the_chinese_channels_on_the_right_motion(zh_path):
    mapping = _sql(zh_path, "select source, motion from source_motion")
    motion = dict(zip(mapping["source"], mapping["motion"], strict=True))
    assert {s for s, m in motion.items() if m == "pull"} == PULL
    assert {s for s, m in motion.items() if m == "push"} == PUSH
    used = _sql(zh_path, "select distinct source from raw_leads union select source from raw_deals")
    assert set(used["source"]) == PULL | PUSH
    channels = _sql(zh_path, "select distinct channel from spend where category = 'marketing'")
    # the six paid pull channels; 口碑推荐 and 官网自然流量 cost nothing, as Referral and
    # Organic/Direct in the English sample
    assert set(channels["channel"]) == PULL - {"口碑推荐", "官网自然流量"}


def test_regions_are_the_seven_and_split_the_english_ones(zh_path, en_copy):
    for table in ("raw_leads", "raw_deals"):
        assert set(_sql(zh_path, f"select distinct region from {table}")["region"]) == SEVEN
    assert set(_sql(zh_path, "select distinct region from sales_reps")["region"]) <= SEVEN
    # each English region's leads are exactly its Chinese regions' leads
    q = "select region, count(*) as n from raw_leads group by region"
    en = dict(_sql(en_copy, q).values.tolist())
    zh = dict(_sql(zh_path, q).values.tolist())
    for region, parts in Z.REGIONS.items():
        assert en[region] == sum(zh[name] for name, _ in parts), region
    # 华东 is North America alone: 46% of the English split
    assert zh["华东"] == en["North America"]


def _metrics(path: Path, tmp_path: Path, capsys) -> dict:
    copy = shutil.copy(path, tmp_path / f"m-{path.name}")
    assert flywheel_cli.main(["metrics", "--db", str(copy), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_same_counts_revenue_times_seven_and_the_same_pull_push_story(
    zh_path, en_copy, tmp_path, capsys
):
    en, zh = _metrics(en_copy, tmp_path, capsys), _metrics(zh_path, tmp_path, capsys)
    for group in ("overall", "pull", "push"):
        for key in ("leads", "mqls", "sqls", "opportunities", "won", "lost"):
            assert zh[group][key] == en[group][key], (group, key)
        # amounts are rounded to whole yuan: at most half a yuan per won deal
        bound = 0.5 * en[group]["won"]
        assert abs(zh[group]["won_amount"] - 7.0 * en[group]["won_amount"]) <= bound, group
        assert zh[group]["win_rate"] == pytest.approx(en[group]["win_rate"])
    assert (zh["pull"]["win_rate"] > zh["push"]["win_rate"]) == (
        en["pull"]["win_rate"] > en["push"]["win_rate"]
    )
    # plain SQL, by source: each Chinese source has its English source's deals and won revenue
    q = """select source, count(*) as deals, sum(amount) filter (where outcome = 'won') as won
           from raw_deals group by source"""
    en_src = _sql(en_copy, q).set_index("source")
    zh_src = _sql(zh_path, q).set_index("source")
    for english, chinese in Z.SOURCES.items():
        assert zh_src.loc[chinese, "deals"] == en_src.loc[english, "deals"], english
        assert (
            abs(zh_src.loc[chinese, "won"] - 7.0 * en_src.loc[english, "won"])
            <= 0.5 * (en_src.loc[english, "deals"])
        )


def test_spend_and_team_costs_are_seven_times_and_still_add_up(zh_path, en_copy):
    q = "select category, sum(amount) as total from spend group by category order by category"
    en, zh = _sql(en_copy, q), _sql(zh_path, q)
    assert zh["total"].tolist() == pytest.approx((7.0 * en["total"]).tolist(), abs=0.01 * 500)
    # the sales-team row is still the monthly cost of the reps employed that month
    team = _sql(
        zh_path,
        """select s.amount, (select sum(r.monthly_cost) from sales_reps r
              where r.hired_on < s.spent_on + interval 1 month
                and (r.left_on is null or r.left_on >= s.spent_on)) as cost
           from spend s where s.channel = '销售团队'""",
    )
    assert len(team) == 36
    assert (team["amount"] - team["cost"]).abs().max() < 0.01


def test_names_are_chinese_and_won_accounts_unique(zh_path):
    deals = _sql(zh_path, "select * from raw_deals")
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for col in ("account", "owner", "product", "segment", "stage", "region"):
        assert deals[col].map(lambda v: bool(cjk.search(v))).all(), col
    assert set(deals["stage"]) == set(Z.STAGES.values())
    assert set(deals["lost_reason"].dropna()) == set(Z.LOST_REASONS.values())
    won = deals[deals["outcome"] == "won"]
    assert won["account"].is_unique
    assert deals["account"].str.endswith("公司").all()
    names = _sql(zh_path, "select name from campaigns")["name"]
    assert names.str.contains(r"— \d{4}年\d{1,2}月").all()
    assert not names.str.contains(r"[A-Z][a-z]{2} \d{4}").any()  # no English month left


def test_the_starting_plan_is_in_chinese(zh_path):
    items = _sql(zh_path, "select segment, p, decisions, owner, target, kpi from plan_items")
    assert set(items["segment"]) == {"中型企业", "大型企业"}
    assert len(items) == 8
    ads = items[items["kpi"] == "avg_deal_size"].set_index("segment")["target"]
    assert ads["中型企业"] == 420_000.0 and ads["大型企业"] == 1_750_000.0  # 60K / 250K USD x 7
    lines = _sql(zh_path, "select line from budget_plan where kind = 'channel'")["line"]
    assert set(lines) <= PULL


def test_name_maps_are_one_to_one_and_the_same_seed_gives_the_same_tables():
    a = localise(generate(0.2, seed=5), "zh")
    b = localise(generate(0.2, seed=5), "zh")
    for table in a:
        pd.testing.assert_frame_equal(a[table], b[table])
    en = generate(0.2, seed=5)
    assert localise(en, "en") is en
    people = person_names(pd.Series(["Alex Adams", "Ben Adams", "Alex B. Adams", "Zoe Reyes"]))
    assert people["Alex Adams"] == "王子涵"  # first surname, first given name
    assert people["Ben Adams"] == "王梓萱"  # FIRST[4]
    assert people["Alex B. Adams"] == "王子涵B"
    assert len(set(people.values())) == 4
    accounts = account_names(pd.Series(["Bluewater Logistics Inc", "Bluewater Health Inc"]))
    assert accounts["Bluewater Logistics Inc"] == "北京恒达物流有限公司"
    assert accounts["Bluewater Health Inc"] == "北京恒达健康有限公司"
    with pytest.raises(ValueError, match="unknown sample locale"):
        localise(en, "fr")


def test_every_page_opens_on_the_chinese_sample_in_chinese(
    zh_path, tmp_path, monkeypatch, fresh_streamlit_caches
):
    copy = shutil.copy(zh_path, tmp_path / "sample-zh.duckdb")
    monkeypatch.setenv("FLYWHEEL_DB", str(copy))
    seen = ""
    for page in PAGES:  # a fresh session per page, opened on that page in Chinese
        at = AppTest.from_file(APP, default_timeout=300)
        at.session_state["lang"] = "zh"
        at.switch_page(f"app_pages/{page}").run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert not at.error, (page, [e.value for e in at.error])
        shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
        shown += [str(m.value) for m in at.metric] + [w.value for w in at.warning]
        shown += [i.value for i in at.info]
        bad = [s for s in shown if s and ABSENT.search(s)]
        assert not bad, (page, bad[:3])
        # the Chinese company's labels reach the page, not the English sample's
        assert not any("North America" in s or "Paid Search" in s for s in shown if s), page
        seen += " ".join(s for s in shown if s)
    assert "百度推广" in seen and "北辰数智科技" in seen and "¥" in seen


def test_the_sample_form_never_builds_over_a_workspace(tmp_path):
    from components.ui.sample_forms import build, free_name

    mine = tmp_path / "sample-zh.duckdb"
    mine.write_bytes(b"the team's own workspace")
    assert free_name(tmp_path, "zh") == "sample-zh-2"
    assert free_name(tmp_path, "en") == "sample-en"
    build(tmp_path, "sample-zh", "zh")  # refused in place: the name is taken
    build(tmp_path, "../outside", "zh")  # refused: not a workspace name
    assert mine.read_bytes() == b"the team's own workspace"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sample-zh.duckdb"]
    assert not (tmp_path.parent / "outside.duckdb").exists()


def test_the_sample_form_builds_the_chinese_sample_and_opens_it_in_chinese(
    tmp_path, monkeypatch, fresh_streamlit_caches
):
    monkeypatch.setenv("FLYWHEEL_DB", str(tmp_path / "ours.duckdb"))

    def form() -> None:
        from components.ui import sample_forms

        sample_forms.render()

    at = AppTest.from_function(form, default_timeout=300)
    at.session_state["sample_locale"] = "zh"
    at.run()
    assert at.text_input(key="sample_name_zh").value == "sample-zh"
    assert at.checkbox(key="sample_switch_lang").value  # English app: offer 简体中文
    at.button(key="sample_build").click().run()
    assert not at.exception, [e.value for e in at.exception]
    built = tmp_path / "sample-zh.duckdb"
    settings = dict(_sql(built, "select key, value from settings").values.tolist())
    assert (settings["currency"], settings["locale"]) == ("CNY", "zh_CN")
    assert at.session_state["workspace_open"] == str(built.resolve())
    assert at.session_state["lang"] == "zh"
    assert any("sample-zh" in s.value and "北辰数智科技" in s.value for s in at.success)


def test_each_chinese_channel_gets_the_model_terms_of_its_english_one():
    """The planner gives a channel whose leads hold organic search a brand term by its name:
    内容营销 must get it as Content/SEO does (without it the Chinese sample's fit of that
    channel missed its true θ and K), and no other channel may."""
    from planning.model import has_organic_term

    for english, chinese in Z.SOURCES.items():
        assert has_organic_term(chinese) == has_organic_term(english), (english, chinese)
    assert has_organic_term(Z.SOURCES["Content/SEO"])


def test_the_true_channel_parameters_are_named_and_priced_as_the_sample_is():
    from sample_data.localise import true_channels
    from sample_data.params import TRUE_PARAMETERS

    zh, en = true_channels("zh"), true_channels("en")
    assert set(zh) == {Z.SOURCES[c] for c in TRUE_PARAMETERS["channels"]}
    search = TRUE_PARAMETERS["channels"]["Paid Search"]
    assert zh["百度推广"]["K"] == search["K"] * Z.CNY_PER_USD  # K is a monthly spend: in yuan
    assert (zh["百度推广"]["theta"], zh["百度推广"]["s"]) == (search["theta"], search["s"])
    assert {c for c, t in zh.items() if t["noisy"]} == {"微信公众号", "抖音"}
    assert {c for c, t in en.items() if t["noisy"]} == {"Email Nurture", "Webinar"}
