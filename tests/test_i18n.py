"""Every UI string exists in English and in Simplified Chinese, and every key used exists."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import numpy as np
import pytest

import locales
from components import i18n

ROOT = Path(__file__).resolve().parent.parent


def test_both_catalogues_have_the_same_keys():
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    assert sorted(en.keys() - zh.keys()) == []
    assert sorted(zh.keys() - en.keys()) == []


def test_each_catalogue_file_has_a_twin():
    en = {p.name for p in (i18n.LOCALES_DIR / "en").glob("*.json")}
    zh = {p.name for p in (i18n.LOCALES_DIR / "zh").glob("*.json")}
    assert en == zh


def _other(entry: i18n.Entry) -> str:
    return i18n.forms(entry)["other"]


def test_chinese_texts_are_translated_not_copied():
    en = {k: _other(v) for k, v in i18n.catalogue("en").items()}
    zh = {k: _other(v) for k, v in i18n.catalogue("zh").items()}
    words = {k: re.sub(r"{\w+}", "", v) for k, v in en.items()}
    copied = [k for k in en if en[k] == zh[k] and re.search(r"[A-Za-z]{4,}", words[k])]
    # Brand names and codes may stay as they are; sentences may not.
    assert [k for k in copied if len(words[k].split()) > 2] == []


def _fields(text: str) -> set[tuple[str, str, str | None]]:
    """The placeholders of ``text`` with their format spec and conversion (``{value:,.0f}``
    too, which a ``{name}`` pattern misses); a text that does not parse fails the test."""
    return {
        (name, spec or "", conv)
        for _, name, spec, conv in string.Formatter().parse(text)
        if name is not None
    }


def test_placeholders_match_between_languages():
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
    names = re.compile(r"{(\w+)}")
    for key in en:
        # every plural form of either language takes the same arguments
        texts = [*i18n.forms(en[key]).values(), *i18n.forms(zh[key]).values()]
        for text in texts[1:]:
            assert set(names.findall(texts[0])) == set(names.findall(text)), key
            # with their format specs: the caller fills both with the same arguments
            assert _fields(texts[0]) == _fields(text), key


def test_each_key_lives_in_the_same_file_in_both_languages():
    # a key in common.json in English and overview.json in Chinese would pass the merged check
    # but split a page's strings between owners
    for path in (i18n.LOCALES_DIR / "en").glob("*.json"):
        twin = i18n.LOCALES_DIR / "zh" / path.name
        en = json.loads(path.read_text(encoding="utf-8"))
        zh = json.loads(twin.read_text(encoding="utf-8"))
        assert sorted(en.keys() ^ zh.keys()) == [], path.name


def test_every_literal_key_used_in_code_exists():
    en = i18n.catalogue("en")
    used = set()
    for folder in ("app.py", "pages", "components"):
        paths = [ROOT / folder] if folder.endswith(".py") else (ROOT / folder).rglob("*.py")
        for path in paths:
            used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_]+\.[a-z0-9_.]+)\"", path.read_text()))
    assert used, "no t(...) calls found"
    assert sorted(k for k in used if k not in en) == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_translate_formats_placeholders(lang):
    assert "30" in i18n.translate("overview.compared_with", lang, days=30)


def test_unknown_key_falls_back_to_the_key():
    assert i18n.translate("no.such.key", "zh") == "no.such.key"


# -- plural forms --------------------------------------------------------------------------------
def test_a_count_of_one_reads_singular_and_two_plural_in_english():
    en = "en"
    assert i18n.translate("overview.won_no_amounts", en, count=1).startswith("1 deal was won ")
    assert i18n.translate("overview.won_no_amounts", en, count=2).startswith("2 deals were won ")
    assert i18n.translate("campaigns.import_go", en, count=1) == "Import 1 campaign"
    assert i18n.translate("campaigns.import_go", en, count=2) == "Import 2 campaigns"
    assert i18n.translate("campaigns.import_go", en, count=0) == "Import 0 campaigns"
    # the count as the caller writes it: formatted text, a float, a numpy integer
    assert i18n.translate("strategy_4p.days", en, n="1") == "1 day"
    assert i18n.translate("strategy_4p.days", en, n="1,000") == "1,000 days"
    assert i18n.translate("market.days", en, days=1.0) == "1.0 days"  # as CLDR: v = 1
    assert i18n.translate("market.days", en, days=np.float64(2.5)) == "2.5 days"
    assert i18n.translate("wizard.commit", en, rows=np.int64(1), kind="deal") == (
        "Import 1 deal row"
    )
    assert i18n.translate("wizard.commit", en, rows=np.int64(3), kind="deal") == (
        "Import 3 deal rows"
    )
    # the count named by "by": {count} of {total} open deals
    assert i18n.translate("kpi.note.open_without_amount", en, count=1, total=1) == (
        "1 of 1 open deal has no amount."
    )
    assert i18n.translate("kpi.note.open_without_amount", en, count=1, total=4) == (
        "1 of 4 open deals have no amount."
    )
    # no plain figure (a compact or missing one) takes the general form
    assert i18n.translate("strategy_4p.days", en, n="—") == "— days"


def test_chinese_has_one_form_for_every_count():
    one = i18n.translate("campaigns.import_go", "zh", count=1)
    two = i18n.translate("campaigns.import_go", "zh", count=2)
    assert "1" in one and "2" in two
    assert one.replace("1", "2") == two
    assert all(isinstance(v, str) for v in i18n.catalogue("zh").values())


def test_plural_entries_are_well_formed():
    plural = {k: v for k, v in i18n.catalogue("en").items() if isinstance(v, dict)}
    assert len(plural) >= 40
    for key, entry in plural.items():
        assert set(entry) - {"by"} == {"one", "other"}, key
        by = entry.get("by") or ("count" if "{count}" in entry["other"] else "n")
        # the count is a placeholder of both forms: the figure is the caller's, never a literal
        assert "{" + by + "}" in entry["one"] and "{" + by + "}" in entry["other"], key
        assert entry["one"] != entry["other"], key


def test_a_malformed_plural_entry_is_refused(tmp_path, monkeypatch):
    (tmp_path / "xx").mkdir()
    (tmp_path / "xx" / "a.json").write_text('{"a.b": {"one": "{count} thing"}}', encoding="utf-8")
    monkeypatch.setattr(locales, "LOCALES_DIR", tmp_path)
    locales.catalogue.cache_clear()
    try:
        with pytest.raises(ValueError, match="plural forms"):
            locales.catalogue("xx")
    finally:
        locales.catalogue.cache_clear()
