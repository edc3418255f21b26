"""A refusal says the app's sentence: ImportRefused reads the catalogues without importing
components (queries/ imports nothing above it), and says exactly what components.i18n would."""

from __future__ import annotations

import string

import pytest

from components import i18n
from queries.ingest.errors import REFUSAL_CODES, ImportRefused


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
@pytest.mark.parametrize("code", REFUSAL_CODES)
def test_a_refusal_says_what_the_app_catalogue_says(code, lang):
    key = f"import.refused.{code}"
    assert key in i18n.catalogue("en"), key
    names = {
        name
        for text in (i18n.catalogue("en").get(key, ""), i18n.catalogue(lang).get(key, ""))
        for _, name, _, _ in string.Formatter().parse(text)
        if name and name != "file"
    }
    details = {name: f"<{name}>" for name in names}
    refused = ImportRefused(code, file="deals.csv", **details)
    assert refused.message(lang) == i18n.translate(key, lang, file="deals.csv", **details)
    assert "deals.csv" in refused.message(lang)


def test_a_language_without_a_catalogue_falls_back_to_english():
    refused = ImportRefused("empty_file", file="x.csv")
    assert refused.message("xx") == refused.message("en") == str(refused)
    assert refused.message("../../etc") == refused.message("en")
