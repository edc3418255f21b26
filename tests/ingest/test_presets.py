"""CRM presets: kind and preset detection, column mapping, value mappings, and the two fixture
corpora (tests/data/crm, tests/data/bad) with their hand-written expectations.

Headers and samples are read with pandas (never with the import engine), with the encoding and
delimiter that expected.json states for each file. Expected mappings for the real datasets in
/work/shared/data are written out below from their documentation (see SOURCE.txt there).
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pandas as pd
import pytest

from queries.ingest import presets
from queries.ingest.errors import REFUSAL_CODES, REJECT_CODES
from queries.ingest.fields import FIELDS, REQUIRED

ROOT = Path(__file__).resolve().parents[1]
CRM = ROOT / "data" / "crm"
BAD = ROOT / "data" / "bad"
REAL = Path("/work/shared/data")
CRM_EXPECTED = json.loads((CRM / "expected.json").read_text(encoding="utf-8"))
BAD_EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))
CRM_FILES = sorted(k for k in CRM_EXPECTED if not k.startswith("_"))
BAD_FILES = sorted(k for k in BAD_EXPECTED if not k.startswith("_"))


def read_frame(path: Path, encoding: str | None = None, delimiter: str | None = None, **kw):
    """The file as text columns, headers without a BOM (as a user would see them)."""
    if path.suffix == ".xlsx":
        df = pd.read_excel(path, dtype=str, **kw)
    else:
        df = pd.read_csv(
            path,
            dtype=str,
            encoding=encoding or "utf-8",
            sep=delimiter or ",",
            keep_default_na=False,
            **kw,
        )
    df.columns = [str(c).lstrip("\ufeff") for c in df.columns]
    return df


def headers_and_samples(df: pd.DataFrame) -> tuple[list[str], dict[str, list[str]]]:
    headers = list(df.columns)
    samples = {h: [v for v in df[h].tolist() if isinstance(v, str) and v.strip()] for h in headers}
    return headers, samples


def corpus_frame(name: str) -> pd.DataFrame:
    e = CRM_EXPECTED[name]
    return read_frame(CRM / name, e["encoding"], e["delimiter"])


def data_rows(name: str) -> pd.DataFrame:
    """The records of a corpus file: a Salesforce footer (lines with one field) dropped."""
    df = corpus_frame(name)
    if CRM_EXPECTED[name]["footer_lines"]:
        df = df[(df.iloc[:, 1:] != "").any(axis=1)]
    return df.reset_index(drop=True)


# -- the corpus ------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", CRM_FILES)
def test_detect_picks_kind_and_preset_of_each_crm_export(name: str) -> None:
    e = CRM_EXPECTED[name]
    headers, samples = headers_and_samples(corpus_frame(name))
    found = presets.detect(headers, samples)
    assert (found[0].kind, found[0].preset) == (e["kind"], e["preset"]), found[:3]
    # Separated, not a coin toss: the runner-up scores clearly lower.
    if len(found) > 1:
        assert found[0].score - found[1].score >= 0.1, found[:2]


@pytest.mark.parametrize("name", CRM_FILES)
def test_detect_works_on_headers_alone(name: str) -> None:
    e = CRM_EXPECTED[name]
    headers, _ = headers_and_samples(corpus_frame(name))
    found = presets.detect(headers)
    assert (found[0].kind, found[0].preset) == (e["kind"], e["preset"])


@pytest.mark.parametrize("name", CRM_FILES)
def test_suggest_mapping_maps_each_corpus_file_as_written_down(name: str) -> None:
    e = CRM_EXPECTED[name]
    headers, samples = headers_and_samples(corpus_frame(name))
    mapping = presets.suggest_mapping(e["kind"], e["preset"], headers, samples)
    for fname, header in e["mapping"].items():
        assert mapping.get(fname) == header, (fname, mapping)
    for header in e.get("unmapped", []):
        assert header not in mapping.values()
    assert len(set(mapping.values())) == len(mapping)  # a header feeds one field


@pytest.mark.parametrize("name", CRM_FILES)
def test_every_required_field_of_each_corpus_file_is_mapped(name: str) -> None:
    e = CRM_EXPECTED[name]
    headers, samples = headers_and_samples(corpus_frame(name))
    mapping = presets.suggest_mapping(e["kind"], e["preset"], headers, samples)
    for group in REQUIRED[e["kind"]]:
        assert any(f in mapping for f in group), group


@pytest.mark.parametrize("name", [n for n in CRM_FILES if CRM_EXPECTED[n].get("stage_outcomes")])
def test_stage_outcomes_of_each_corpus_file(name: str) -> None:
    e = CRM_EXPECTED[name]
    df = corpus_frame(name)
    stages = {s for s in df[e["mapping"]["stage"]] if isinstance(s, str) and s}
    assert stages == set(e["stage_outcomes"])  # expected.json names every stage in the file
    for stage, outcome in e["stage_outcomes"].items():
        assert presets.stage_outcome(stage) == outcome, stage


@pytest.mark.parametrize("name", [n for n in CRM_FILES if CRM_EXPECTED[n].get("source_motions")])
def test_source_motions_of_each_corpus_file(name: str) -> None:
    for source, motion in CRM_EXPECTED[name]["source_motions"].items():
        assert presets.guess_motion(source) == motion, source


@pytest.mark.parametrize("name", [n for n in CRM_FILES if CRM_EXPECTED[n]["kind"] == "deals"])
def test_expected_deal_counts_agree_with_the_rows_independently(name: str) -> None:
    """Cross-check of the hand-written figures against the file read by pandas: records,
    blank amounts, and won/lost/open of the rows that load (status first, then stage)."""
    e = CRM_EXPECTED[name]
    df = data_rows(name)
    assert len(df) == e["rows"]
    amount = df[e["mapping"]["amount"]].fillna("").astype(str).str.strip()
    assert int((amount == "").sum()) == e["amounts_empty"]
    rejected = {r["row"] for r in e["rejects"]}
    assert e["rows_loaded"] == e["rows"] - len(rejected)
    counts = {"won": 0, "lost": 0, "open": 0}
    status_col = e["mapping"].get("status")
    words = {"won": "won", "赢单": "won", "lost": "lost", "输单": "lost", "open": "open"}
    words["进行中"] = "open"
    for i, row in df.iterrows():
        if i + 1 in rejected:
            continue
        outcome = words.get(str(row[status_col]).strip()) if status_col else None
        if outcome is None:
            outcome = e["stage_outcomes"].get(row[e["mapping"]["stage"]]) or "open"
        counts[outcome] += 1
    assert counts == {k: e[k] for k in ("won", "lost", "open")}


@pytest.mark.parametrize("name", [n for n in CRM_FILES if CRM_EXPECTED[n]["kind"] == "leads"])
def test_expected_lead_counts_agree_with_the_rows_independently(name: str) -> None:
    e = CRM_EXPECTED[name]
    df = data_rows(name)
    assert len(df) == e["rows"]
    rejected = {r["row"] for r in e["rejects"]}
    loaded = df[[i + 1 not in rejected for i in range(len(df))]]
    for key, fname in (("mqls", "mql_at"), ("sqls", "sql_at")):
        col = e["mapping"].get(fname)
        n = 0 if col is None else int(loaded[col].fillna("").astype(str).str.strip().ne("").sum())
        assert n == e[key]


def test_corpus_has_one_file_per_preset_and_kind_at_least() -> None:
    pairs = {(CRM_EXPECTED[n]["preset"], CRM_EXPECTED[n]["kind"]) for n in CRM_FILES}
    for pair in [
        ("hubspot", "leads"),
        ("hubspot", "deals"),
        ("salesforce", "deals"),
        ("salesforce", "leads"),
        ("pipedrive", "deals"),
        ("zoho", "deals"),
        ("chinese_crm", "deals"),
        ("chinese_crm", "leads"),
        ("generic", "deals"),
        ("generic", "campaigns"),
        ("generic", "spend"),
    ]:
        assert pair in pairs
    on_disk = {p.name for p in CRM.iterdir() if p.suffix in (".csv", ".txt", ".xlsx")}
    assert on_disk == set(CRM_FILES)
    for name in CRM_FILES:
        assert 10 <= CRM_EXPECTED[name]["rows"] <= 40
        for r in CRM_EXPECTED[name]["rejects"]:
            assert r["code"] in REJECT_CODES


def test_corpus_files_are_in_the_encodings_expected_json_states() -> None:
    raw = {n: (CRM / n).read_bytes() for n in CRM_FILES}
    assert raw["hubspot_contacts_unicode.txt"].startswith(b"\xff\xfe")
    assert raw["zoho_deals.csv"].startswith(b"\xef\xbb\xbf")
    assert "Müller".encode("cp1252") in raw["salesforce_opportunities.csv"]
    assert "商机名称".encode("gb18030") in raw["chinese_crm_deals.csv"]
    for n in CRM_FILES:
        enc = CRM_EXPECTED[n]["encoding"]
        if enc:
            raw[n].decode(enc)  # strict: raises if the file is not in that encoding
    with pytest.raises(UnicodeDecodeError):
        raw["chinese_crm_deals.csv"].decode("utf-8")


# -- the real datasets -----------------------------------------------------------------------------
IMPROVADO_SPEND = {
    "spent_on": "date",
    "amount": "spend",
    "channel": "channel",
    "campaign_id": "campaign_id",
}
REAL_DATASETS = {
    # Maven: one row per opportunity; engage_date is when the deal was opened, close_value the
    # amount (blank for open deals).
    "maven_crm/sales_pipeline.csv": (
        "deals",
        {
            "deal_id": "opportunity_id",
            "stage": "deal_stage",
            "amount": "close_value",
            "created_at": "engage_date",
            "close_date": "close_date",
            "account": "account",
            "product": "product",
            "owner": "sales_agent",
        },
    ),
    # Olist MQLs: the MQL id and the date of first contact through a landing page. Every row
    # is an MQL, so that one date is the created and the MQL date both.
    "olist_marketing_funnel/olist_marketing_qualified_leads_dataset.csv": (
        "leads",
        {
            "lead_id": "mql_id",
            "created_at": "first_contact_date",
            "mql_at": "first_contact_date",
            "source": "origin",
        },
    ),
    # Olist closed deals: all won; the seller signed is the deal, mql_id links it to its lead,
    # won_date gives the outcome and the close, declared_monthly_revenue is the only amount.
    "olist_marketing_funnel/olist_closed_deals_dataset.csv": (
        "deals",
        {
            "deal_id": "seller_id",
            "lead_id": "mql_id",
            "won_at": "won_date",
            "amount": "declared_monthly_revenue",
            "segment": "business_segment",
            "owner": "sr_id",
        },
    ),
    # X Education: no dates at all (a lead's created date is no longer required); Converted
    # (0/1) says which leads became customers.
    "xeducation_leads/Leads.csv": (
        "leads",
        {
            "lead_id": "Prospect ID",
            "source": "Lead Source",
            "region": "Country",
            "converted": "Converted",
        },
    ),
    # Maven's other tables: the accounts (sector is the industry, office_location a country,
    # subsidiary_of the parent), the product list (series is the family), the sales team.
    "maven_crm/accounts.csv": (
        "accounts",
        {
            "name": "account",
            "industry": "sector",
            "country": "office_location",
            "employees": "employees",
            "annual_revenue": "revenue",
            "parent": "subsidiary_of",
        },
    ),
    "maven_crm/products.csv": (
        "products",
        {"name": "product", "family": "series", "list_price": "sales_price"},
    ),
    "maven_crm/sales_teams.csv": (
        "reps",
        {"owner": "sales_agent", "manager": "manager", "region": "regional_office"},
    ),
    "improvado_mcdm_ads/src_ads_bing_all_data.csv": ("spend", IMPROVADO_SPEND),
    "improvado_mcdm_ads/src_ads_creative_facebook_all_data.csv": ("spend", IMPROVADO_SPEND),
    "improvado_mcdm_ads/src_ads_tiktok_ads_all_data.csv": ("spend", IMPROVADO_SPEND),
    "improvado_mcdm_ads/src_promoted_tweets_twitter_all_data.csv": ("spend", IMPROVADO_SPEND),
}


@pytest.mark.parametrize("rel", sorted(REAL_DATASETS))
def test_real_dataset_is_detected_and_mapped(rel: str) -> None:
    kind, expected = REAL_DATASETS[rel]
    df = read_frame(REAL / rel, nrows=500)
    headers, samples = headers_and_samples(df)
    found = presets.detect(headers, samples)
    assert (found[0].kind, found[0].preset) == (kind, "generic"), found[:3]
    mapping = presets.suggest_mapping(kind, "generic", headers, samples)
    assert mapping == expected


def test_x_education_cannot_satisfy_created_at() -> None:
    df = read_frame(REAL / "xeducation_leads/Leads.csv", nrows=500)
    headers, samples = headers_and_samples(df)
    mapping = presets.suggest_mapping("leads", "generic", headers, samples)
    assert "created_at" not in mapping
    assert not any(presets.looks_like(samples[h], "timestamp") > 0.5 for h in headers)


def test_improvado_spend_uses_the_report_date_not_the_load_time() -> None:
    headers = ["__insert_date", "campaign_id", "channel", "date", "revenue", "spend"]
    samples = {
        "__insert_date": ["2023-02-07 11:54:19"],
        "campaign_id": ["29"],
        "channel": ["Bing"],
        "date": ["2023-02-07"],
        "revenue": ["0"],
        "spend": ["12"],
    }
    mapping = presets.suggest_mapping("spend", "generic", headers, samples)
    assert mapping["spent_on"] == "date"
    assert mapping["amount"] == "spend"


# -- the bad corpus --------------------------------------------------------------------------------
def test_bad_corpus_lists_at_least_28_files_with_known_codes() -> None:
    on_disk = {p.name for p in BAD.iterdir() if p.name not in ("make_bad.py", "expected.json")}
    assert on_disk == set(BAD_FILES)
    assert len(BAD_FILES) >= 28
    for name in BAD_FILES:
        e = BAD_EXPECTED[name]
        assert e["code"] is None or e["code"] in REFUSAL_CODES
        for r in e.get("rejects", []):
            assert r["code"] in REJECT_CODES
    codes = {BAD_EXPECTED[n]["code"] for n in BAD_FILES}
    for code in (
        "empty_file",
        "binary_file",
        "unsupported_format",
        "extension_mismatch",
        "corrupt_workbook",
        "spreadsheet_bomb",
        "corrupt_parquet",
        "no_header",
        "headers_only",
        "missing_required",
        "unknown_kind",
        "malformed_csv",
        "too_large",
    ):
        assert code in codes
    assert "limit_bytes" in BAD_EXPECTED["too_large.csv"]
    assert (BAD / "too_large.csv").stat().st_size > BAD_EXPECTED["too_large.csv"]["limit_bytes"]


BAD_TEXT = [
    n
    for n in BAD_FILES
    if BAD_EXPECTED[n].get("kind")
    and n.endswith(".csv")
    and BAD_EXPECTED[n]["code"] in (None, "missing_required", "too_large", "headers_only")
]


@pytest.mark.parametrize("name", BAD_TEXT)
def test_detect_names_the_kind_of_bad_files(name: str) -> None:
    """A file that lacks a required column is still recognised as its kind, so the engine
    refuses it as missing_required (naming what is missing), not as unknown_kind."""
    e = BAD_EXPECTED[name]
    df = read_frame(BAD / name, on_bad_lines="skip")  # ragged.csv: the header is what counts
    headers, samples = headers_and_samples(df)
    found = presets.detect(headers, samples)
    assert found and found[0].kind == e["kind"], found[:3]
    mapping = presets.suggest_mapping(found[0].kind, found[0].preset, headers, samples)
    met = all(any(f in mapping for f in g) for g in REQUIRED[e["kind"]])
    assert met == (e["code"] != "missing_required")


def test_weather_readings_fit_no_kind() -> None:
    headers, samples = headers_and_samples(read_frame(BAD / "weather.csv"))
    assert presets.detect(headers, samples) == []


# -- reproducible corpora --------------------------------------------------------------------------
def _load_script(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize(
    ("folder", "script"), [(CRM, "make_corpus.py"), (BAD, "make_bad.py")], ids=["crm", "bad"]
)
def test_scripts_reproduce_the_committed_files_byte_for_byte(
    folder: Path, script: str, tmp_path: Path
) -> None:
    written = _load_script(folder / script).build(tmp_path)
    assert {p.name for p in written} == {
        p.name for p in folder.iterdir() if p.name not in (script, "expected.json")
    }
    for p in written:
        assert p.read_bytes() == (folder / p.name).read_bytes(), p.name


def test_bomb_expands_to_hundreds_of_megabytes_from_under_one() -> None:
    import zipfile

    size = (BAD / "bomb.xlsx").stat().st_size
    with zipfile.ZipFile(BAD / "bomb.xlsx") as z:
        expanded = sum(i.file_size for i in z.infolist())
    assert size < 2**20
    assert expanded > 250 * 2**20


def test_formula_looking_text_is_stored_as_text_in_workbooks() -> None:
    df = pd.read_excel(CRM / "hubspot_deals.xlsx", dtype=str)
    assert df.loc[8, "Deal Name"] == '=HYPERLINK("https://tyrell.example/q","Tyrell quote")'


# -- normalise_header ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\ufeffRecord ID", "record id"),
        ('"Deal - Won time"', "deal won time"),
        ("deal_won_time", "deal won time"),
        ("  Close   Date ", "close date"),
        ("Country/Region", "country region"),
        ("Id. Decision Makers", "id decision makers"),
        ("ＤＥＡＬ　ＮＡＭＥ", "deal name"),  # full-width letters and ideographic space
        ("商机金额（元）", "商机金额(元)"),  # full-width brackets to half-width
        ("Probability (%)", "probability (%)"),
        ("STRAßE", "strasse"),  # casefold, not lower
    ],
)
def test_normalise_header(raw: str, expected: str) -> None:
    assert presets.normalise_header(raw) == expected


# -- looks_like ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("values", "type_", "share"),
    [
        (["$12,500.00", "12.500,00 €", "¥12,500", "1.2万", "12500元", "USD 12,500"], "money", 1.0),
        (["TBD", "12500", "", "  "], "money", 0.5),
        (["2024-03-05 14:22", "2024/3/5", "2024年3月5日", "3/5/2024", "05.03.2024"], "date", 1.0),
        (["Mar 5, 2024", "5-Mar-2024", "2024-03-05T14:22:31Z", "yesterday"], "timestamp", 0.75),
        (["45", "1,234", "1e3", "abc"], "number", 0.75),
        (["12%", "12.5 %", "7", "high"], "percent", 0.75),
        (["won", "Closed Won", "赢单", "进行中", "yes"], "outcome", 0.8),
        (["Acme", "张伟", "12500", "2024-03-05"], "text", 0.5),
        ([], "money", 0.0),
        (["", " "], "date", 0.0),
    ],
)
def test_looks_like(values: list[str], type_: str, share: float) -> None:
    assert presets.looks_like(values, type_) == pytest.approx(share)


def test_looks_like_refuses_an_unknown_type() -> None:
    with pytest.raises(ValueError):
        presets.looks_like(["x"], "colour")


# -- mapping by content ----------------------------------------------------------------------------
def test_a_column_named_kunde_holding_dates_is_not_the_account() -> None:
    headers = ["Deal", "Kunde", "Value", "Stage"]
    samples = {
        "Deal": ["Alpha", "Beta"],
        "Kunde": ["2019-05-01", "2020-01-15"],
        "Value": ["100", "200"],
        "Stage": ["Won", "Lost"],
    }
    assert "account" not in presets.suggest_mapping("deals", "generic", headers, samples)
    samples["Kunde"] = ["Acme GmbH", "Beta AG"]
    assert presets.suggest_mapping("deals", "generic", headers, samples)["account"] == "Kunde"


def test_yes_no_column_is_not_taken_for_the_outcome() -> None:
    headers = ["Deal", "Status", "Value"]
    samples = {"Deal": ["A", "B"], "Status": ["yes", "no"], "Value": ["1", "2"]}
    assert "status" not in presets.suggest_mapping("deals", "generic", headers, samples)
    samples["Status"] = ["won", "open"]
    assert presets.suggest_mapping("deals", "generic", headers, samples)["status"] == "Status"


def test_email_field_needs_addresses() -> None:
    headers = ["Prospect ID", "Do Not Email", "Email"]
    samples = {"Prospect ID": ["a1"], "Do Not Email": ["No", "Yes"], "Email": ["a@b.co"]}
    mapping = presets.suggest_mapping("leads", "generic", headers, samples)
    assert mapping["email"] == "Email"
    assert "Do Not Email" not in mapping.values()


def test_preset_names_win_over_general_names() -> None:
    # HubSpot exports both dates; "Create Date" is the record's creation, not the lead date.
    headers = ["Record ID", "Became a Lead Date", "Create Date"]
    mapping = presets.suggest_mapping("leads", "hubspot", headers)
    assert mapping["created_at"] == "Create Date"
    # Pipedrive without the "Deal - " prefix.
    headers = ["ID", "Title", "Value", "Status", "Won time", "Lost time", "Deal created"]
    found = presets.detect(headers)
    assert (found[0].kind, found[0].preset) == ("deals", "pipedrive")
    mapping = presets.suggest_mapping("deals", "pipedrive", headers)
    assert mapping["won_at"] == "Won time" and mapping["created_at"] == "Deal created"


def test_snake_case_dump_is_a_spreadsheet_not_a_crm_export() -> None:
    # Maven's columns share names with HubSpot and Salesforce headers once normalised.
    headers = ["opportunity_id", "deal_stage", "close_date", "close_value"]
    assert presets.detect(headers)[0].preset == "generic"
    assert (
        presets.detect(["Opportunity ID", "Opportunity Name", "Stage", "Amount", "Fiscal Period"])[
            0
        ].preset
        == "salesforce"
    )


def test_suggest_mapping_only_names_fields_of_the_kind() -> None:
    headers, samples = headers_and_samples(corpus_frame("pipedrive_deals.csv"))
    for kind in FIELDS:
        mapping = presets.suggest_mapping(kind, "pipedrive", headers, samples)
        assert set(mapping) <= {f.name for f in FIELDS[kind]}
    with pytest.raises(ValueError):
        presets.suggest_mapping("orders", "generic", headers)


# -- value mappings --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("stage", "outcome"),
    [
        ("Closed Won", "won"),
        ("closedwon", "won"),
        ("CLOSED-WON", "won"),
        ("Closed Won (100%)", "won"),
        ("Won", "won"),
        ("赢单", "won"),
        ("Closed Lost", "lost"),
        ("closedlost", "lost"),
        ("Closed-Lost to Competition", "lost"),
        ("输单", "lost"),
        ("无效", "lost"),
        ("appointmentscheduled", "open"),
        ("Decision Maker Bought-In", "open"),
        ("Id. Decision Makers", "open"),
        ("Proposal/Price Quote", "open"),
        ("Negotiations Started", "open"),
        ("Engaging", "open"),
        ("方案报价", "open"),
        ("Discovery", None),
        ("关闭", None),
        ("", None),
    ],
)
def test_stage_outcome(stage: str, outcome: str | None) -> None:
    assert presets.stage_outcome(stage) == outcome


def test_stage_outcome_table_holds_only_outcomes() -> None:
    assert set(presets.STAGE_OUTCOME.values()) == {"won", "lost", "open"}
    assert all(k == presets.normalise_header(k) for k in presets.STAGE_OUTCOME)


@pytest.mark.parametrize(
    ("source", "motion"),
    [
        ("ORGANIC_SEARCH", "pull"),
        ("Organic Search", "pull"),
        ("PAID_SOCIAL", "pull"),
        ("OTHER_CAMPAIGNS", "pull"),
        ("organic_search", "pull"),
        ("other_publicities", "pull"),
        ("Olark Chat", "pull"),
        ("Welingak Website", "pull"),
        ("LinkedIn Ads", "pull"),
        ("Email Nurture", "pull"),
        ("转介绍", "pull"),
        ("Cold Call", "push"),
        ("Cold Email", "push"),
        ("LinkedIn Outreach", "push"),
        ("SDR Prospecting", "push"),
        ("Purchased List", "push"),
        ("电话销售", "push"),
        ("陌拜", "push"),
        ("电话拜访", "push"),
        ("客户介绍", "pull"),
        ("OFFLINE", None),
        ("Partner", None),
        ("unknown", None),
        ("other", None),
        ("", None),
    ],
)
def test_guess_motion(source: str, motion: str | None) -> None:
    assert presets.guess_motion(source) == motion


def test_presets_are_the_eleven_named() -> None:
    assert set(presets.PRESETS) == {
        "hubspot",
        "salesforce",
        "pipedrive",
        "zoho",
        "chinese_crm",
        "fxiaoke",
        "neocrm",
        "dingtalk",
        "jiandaoyun",
        "kingdee_yonyou",
        "generic",
    }
    for name, p in presets.PRESETS.items():
        assert p.name == name and p.label
        for kind, fields in p.aliases.items():
            names = {f.name for f in FIELDS[kind]}
            assert set(fields) <= names, (name, kind, set(fields) - names)
