"""The chunked build of large scales (sample_data.generator.generate_chunks, seed.py): the same
company tables as ``generate``, leads drawn a chunk of months at a time with ids continuing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sample_data import params as P
from sample_data.draws import make_ids
from sample_data.generator import CHUNK_TABLES, generate, generate_chunks
from sample_data.seed import build_sample_workspace

COMPANY = ("campaigns", "spend", "source_motion", "sales_reps", "market_segments", "competitors")


@pytest.fixture(scope="module")
def whole() -> dict[str, pd.DataFrame]:
    return generate(1)


@pytest.fixture(scope="module")
def chunks() -> list[dict[str, pd.DataFrame]]:
    return list(generate_chunks(1, months_per_chunk=12))


def test_company_tables_are_those_of_generate(whole, chunks) -> None:
    assert set(chunks[0]) == set(COMPANY)
    for name in COMPANY:
        pd.testing.assert_frame_equal(chunks[0][name], whole[name])


def test_three_chunks_of_twelve_months_with_continuing_ids(chunks) -> None:
    assert len(chunks) == 1 + P.N_MONTHS // 12
    assert all(set(c) == set(CHUNK_TABLES) for c in chunks[1:])
    for table, prefix in (("raw_leads", "L-"), ("raw_deals", "D-"), ("touches", "T-")):
        key = {"raw_leads": "lead_id", "raw_deals": "deal_id", "touches": "touch_id"}[table]
        ids = pd.concat([c[table][key] for c in chunks[1:]], ignore_index=True)
        n = len(ids)
        assert ids.iloc[0] == prefix + "1".zfill(len(ids.iloc[0]) - 2)
        assert ids.str.slice(2).astype(int).tolist() == list(range(1, n + 1))


def test_each_chunk_holds_its_months_and_its_own_links(chunks) -> None:
    starts = pd.date_range(P.START, periods=4, freq="12MS")
    for k, c in enumerate(chunks[1:]):
        created = c["raw_leads"]["created_at"]
        assert created.min() >= starts[k] and created.max() < starts[k + 1]
        lead_ids = set(c["raw_leads"]["lead_id"])
        linked = c["raw_deals"]["lead_id"].dropna()
        assert len(linked) > 0 and set(linked) <= lead_ids
        assert set(c["touches"]["lead_id"]) <= lead_ids
    # leads follow creation time across chunks too
    created = pd.concat([c["raw_leads"]["created_at"] for c in chunks[1:]], ignore_index=True)
    assert created.is_monotonic_increasing


def test_sizes_match_the_one_piece_build(whole, chunks) -> None:
    leads = sum(len(c["raw_leads"]) for c in chunks[1:])
    deals = sum(len(c["raw_deals"]) for c in chunks[1:])
    # Poisson draws: expected 25,000 leads (sd ~160); the deal target is split by lead share
    assert abs(leads - len(whole["raw_leads"])) < 0.03 * len(whole["raw_leads"])
    assert abs(deals - 3000) <= 150
    won = np.mean(pd.concat([c["raw_deals"]["outcome"] for c in chunks[1:]]) == "won")
    assert abs(won - np.mean(whole["raw_deals"]["outcome"] == "won")) < 0.04


def test_make_ids_from_a_start() -> None:
    assert make_ids("D-", 3, 7, 9_999_999).to_pylist() == ["D-9999999", "D-10000000", "D-10000001"]
    assert make_ids("L-", 2, 8).to_pylist() == ["L-00000001", "L-00000002"]


def test_chunked_build_is_english_only(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="English"):
        build_sample_workspace(tmp_path / "x.duckdb", scale=1, locale="zh", chunk_months=6)


def test_chunked_build_loads_exactly_the_chunks(tmp_path: Path, chunks) -> None:
    """Worker processes and renumbered ids give the tables generate_chunks yields."""
    import duckdb

    # in a fresh interpreter, as `flywheel seed` runs it: the chunk workers are spawned
    # processes, and a long-lived test worker (browsers, servers, patched modules) once lost
    # one abruptly in the full suite
    path = tmp_path / "c.duckdb"
    build = (
        "import sys; from pathlib import Path; from sample_data.seed import "
        "build_sample_workspace; build_sample_workspace(Path(sys.argv[1]), scale=1, "
        "chunk_months=12)"
    )
    root = Path(__file__).resolve().parent.parent
    subprocess.run([sys.executable, "-c", build, str(path)], check=True, cwd=root, timeout=600)
    con = duckdb.connect(str(path), read_only=True)
    try:
        for table, key in (
            ("raw_leads", "lead_id"),
            ("raw_deals", "deal_id"),
            ("touches", "touch_id"),
        ):
            want = pd.concat([c[table] for c in chunks[1:]], ignore_index=True)
            cols = ", ".join(c for c in want.columns if c != "import_id")
            got = con.execute(f"select {cols} from {table} order by {key}").df()
            want = want.drop(columns="import_id").sort_values(key, ignore_index=True)
            pd.testing.assert_frame_equal(got, want, check_dtype=False)
        assert con.execute("select count(*) from campaigns").fetchone()[0] == 70
    finally:
        con.close()
