"""Every UI string exists in English and in Simplified Chinese, and every key used exists."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest

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


def test_chinese_texts_are_translated_not_copied():
    en, zh = i18n.catalogue("en"), i18n.catalogue("zh")
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
        assert set(names.findall(en[key])) == set(names.findall(zh[key])), key
        # with their format specs: the caller fills both with the same arguments
        assert _fields(en[key]) == _fields(zh[key]), key


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
