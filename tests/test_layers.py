"""The layers of the code, read from its imports: each package imports only what is below it,
so a change in a page never reaches a query and the graph of packages has no cycle.

    locales                          the catalogues of UI text and their reader
    planning                         pure models: no SQL, no Streamlit
    queries                          the only code that talks to DuckDB
    sample_data                      the generator of the sample company (uses queries)
    components.fmt / i18n / charts   formats, text, pure chart builders
    views                            one function per chart: what it says (no Streamlit)
    components.export                the meeting pack, images and tables as files
    components.ui                    Streamlit pieces the pages lay out
    app_pages, app, the CLI          pages and entry points
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RANKS = {
    "locales": 0,
    "planning": 1,
    "queries": 2,
    "sample_data": 3,
    "components": 4,  # the package itself: a docstring
    "components.fmt": 4,
    "components.i18n": 4,
    "components.charts": 4,
    "views": 5,
    "components.export": 6,
    "components.ui": 7,
    "app_pages": 8,
    "app": 8,
    "flywheel_cli": 8,
    "flywheel_import": 8,
}
# Streamlit only at the top: these packages are used by the CLI, the packs and the tests.
NO_STREAMLIT = (
    "locales",
    "planning",
    "queries",
    "sample_data",
    "components.fmt",
    "components.charts",
    "views",
    "components.export",
)


def layer(module: str) -> str | None:
    """The longest prefix of ``module`` that names a layer."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        name = ".".join(parts[:n])
        if name in RANKS:
            return name
    return None


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """Every module ``path`` imports, at the top or inside a function, with the line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.lineno, node.module))
            # "from components import charts" imports the subpackage components.charts
            found += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return found


def project_files() -> list[Path]:
    files = [ROOT / "app.py", ROOT / "flywheel_cli.py", ROOT / "flywheel_import.py"]
    for top in ("locales", "planning", "queries", "sample_data", "components", "views"):
        files += sorted((ROOT / top).rglob("*.py"))
    files += sorted((ROOT / "app_pages").glob("*.py"))
    return files


def test_every_module_has_a_layer():
    assert all(layer(module_name(p)) for p in project_files()), [
        module_name(p) for p in project_files() if not layer(module_name(p))
    ]


def test_no_module_imports_a_layer_above_its_own():
    upward = []
    for path in project_files():
        own = layer(module_name(path))
        for line, target in imports(path):
            other = layer(target)
            if other and RANKS[other] > RANKS[own]:
                upward.append(f"{path.relative_to(ROOT)}:{line} ({own}) imports {target} ({other})")
    assert not upward, "\n".join(upward)


def test_streamlit_stays_in_the_ui_and_the_pages():
    found = []
    for path in project_files():
        own = layer(module_name(path))
        if own in NO_STREAMLIT:
            found += [
                f"{path.relative_to(ROOT)}:{line}"
                for line, target in imports(path)
                if target.split(".")[0] == "streamlit"
            ]
    assert not found, found


def test_the_layer_check_sees_an_upward_import(tmp_path):
    # the check itself can fail: a query module importing a chart builder is flagged
    fake = tmp_path / "bad.py"
    fake.write_text("from components.charts import base\nimport views.market\n", encoding="utf-8")
    targets = [t for _, t in imports(fake)]
    assert "components.charts.base" in targets and "views.market" in targets
    assert all(RANKS[layer(t)] > RANKS["queries"] for t in ("components.charts.base", "views"))
