"""The pinned DuckDB loads its extensions offline from pip packages."""

from __future__ import annotations

import duckdb
import pytest

from queries import extensions


def test_duckdb_is_the_pinned_release():
    assert duckdb.__version__ == "1.5.5"


def test_encodings_extension_reads_a_gb18030_csv(tmp_path):
    path = tmp_path / "商机.csv"
    path.write_bytes("商机名称,金额\n华东大客户,12000\n".encode("gb18030"))
    con = duckdb.connect()
    extensions.load(con, "encodings")
    rows = con.execute(
        "select * from read_csv($p, encoding = 'gb18030', header = true)", {"p": str(path)}
    ).fetchall()
    assert rows == [("华东大客户", 12000)]


@pytest.mark.parametrize("name", ["excel", "ducklake", "postgres"])
def test_other_extensions_load_offline(name):
    con = duckdb.connect()
    extensions.load(con, name)
    loaded = con.execute(
        "select loaded from duckdb_extensions() where extension_name = $n",
        {"n": extensions.ENTRY_NAME.get(name, name)},
    ).fetchone()
    assert loaded == (True,)


def test_unknown_extension_is_refused():
    # a real DuckDB extension Flywheel does not use (httpfs is known since S3 lakes)
    with pytest.raises(ValueError, match="unknown extension"):
        extensions.extension_file("spatial")
