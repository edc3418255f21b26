"""A file goes one way through the modules of queries/ingest (DESIGN.md: "aliases as data,
detection, value parsing, planning an import, writing it"): each module imports only modules
before it in LAYERS, none imports the engine back, and none imports anything above queries/."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

INGEST = Path(__file__).resolve().parents[2] / "queries" / "ingest"
# Bottom first. A module may import any module listed before it, never one after it.
LAYERS = (
    "aliases",
    "fields",
    "parsers",
    "errors",
    "encodings",
    "workbook",
    "files",
    "presets",
    "targets",
    "compile",
    "currency",
    "fast_paths",
    "check",
    "history",
    "write",
    "engine",
)
ABOVE = ("components", "views", "app_pages", "streamlit", "flywheel_cli", "flywheel_import")


def _imports(path: Path) -> set[str]:
    """Every module a file imports, also under ``if TYPE_CHECKING`` or inside a function."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def _module(path: Path) -> str:
    rel = path.relative_to(INGEST)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


MODULES = sorted(p for p in INGEST.rglob("*.py") if p.name != "__init__.py" or p.parent != INGEST)


def test_every_module_has_a_layer():
    assert {_module(p) for p in MODULES} == set(LAYERS)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(INGEST)))
def test_a_module_imports_only_the_layers_below_it(path):
    own = LAYERS.index(_module(path))
    for name in _imports(path):
        if name.startswith("queries.ingest."):
            other = name.split(".")[2]
            if other in LAYERS and other != _module(path):
                assert LAYERS.index(other) < own, f"{path.name} imports {other}"
        assert not name.startswith(ABOVE), f"{path.name} imports {name}"
