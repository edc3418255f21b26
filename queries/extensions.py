"""DuckDB extensions loaded offline from their pip packages (no ``INSTALL`` from the network).

DuckDB 1.5.5 publishes its extensions as wheels (``duckdb-extension-<name>``) holding the
``.duckdb_extension`` binary; we load that file by path. This is why DuckDB is pinned.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from functools import cache
from pathlib import Path

import duckdb

KNOWN = ("encodings", "excel", "ducklake", "postgres", "httpfs")
# DuckDB finds an extension's entry point from the file name; the postgres package ships
# ``postgres.duckdb_extension`` for the extension that calls itself ``postgres_scanner``.
ENTRY_NAME = {"postgres": "postgres_scanner"}


class ExtensionMissingError(RuntimeError):
    pass


@cache
def extension_file(name: str) -> Path:
    if name not in KNOWN:
        raise ValueError(f"unknown extension {name!r}")
    try:
        module = importlib.import_module(f"duckdb_extension_{name}")
    except ImportError as exc:
        raise ExtensionMissingError(
            f"the DuckDB extension {name!r} is not installed "
            f"(pip install duckdb-extension-{name}=={duckdb.__version__})"
        ) from exc
    files = sorted(Path(module.__file__).parent.rglob(f"{name}.duckdb_extension"))
    if not files:
        raise ExtensionMissingError(f"no {name}.duckdb_extension file in {module.__file__}")
    entry = ENTRY_NAME.get(name)
    if entry is None:
        return files[-1]
    renamed = Path(tempfile.gettempdir()) / f"flywheel-duckdb-{duckdb.__version__}"
    renamed.mkdir(exist_ok=True)
    target = renamed / f"{entry}.duckdb_extension"
    if not target.exists() or target.stat().st_size != files[-1].stat().st_size:
        shutil.copyfile(files[-1], target)
    return target


def load(cur: duckdb.DuckDBPyConnection, name: str) -> None:
    """Load one extension into this connection from its installed package."""
    cur.execute(f"load '{extension_file(name).as_posix()}'")  # path from our own package list
