"""The promises the documentation makes are kept (Datasette's test_docs habit)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from components import i18n
from components.ui.navigation import PAGES
from queries.metrics import METRIC_KEYS

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_opens_with_the_two_commands():
    first_block = README.split("```")[1]
    assert "make run" in first_block and "make test" in first_block


def test_every_headline_metric_has_a_caption_in_both_languages():
    for key in METRIC_KEYS:
        for lang in i18n.LANGUAGES:
            assert i18n.catalogue(lang).get(f"kpi.{key}.help"), (lang, key)


def test_every_json_metric_is_documented_in_the_readme():
    for key in METRIC_KEYS:
        assert f"`{key}`" in README, key


def test_every_page_is_in_the_navigation_and_the_readme():
    scripts = {p.relative_to(ROOT).as_posix() for p in (ROOT / "app_pages").glob("*.py")}
    assert scripts == {p for p, _, _ in PAGES}
    for _, key, _ in PAGES:
        assert i18n.catalogue("en")[key] in README, key


def test_every_make_target_in_the_readme_exists():
    makefile = (ROOT / "Makefile").read_text()
    for target in set(re.findall(r"make (\w+)", README)):
        assert re.search(rf"^{target}:", makefile, re.MULTILINE), target


def test_privacy_defaults_are_set():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["browser"]["gatherUsageStats"] is False
    assert config["server"]["address"] == "127.0.0.1"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["enableXsrfProtection"] is True


def test_duckdb_is_pinned_with_its_offline_extensions():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    assert "duckdb==1.5.5" in deps
    for ext in ("encodings", "excel", "ducklake", "postgres"):
        assert f"duckdb-extension-{ext}==1.5.5" in deps
