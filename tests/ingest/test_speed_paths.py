"""The import's fast paths on a file large enough to be read in parallel (several of DuckDB's
122,880-row groups): row numbers stay the file's, problems are found wherever they are, and a
file without a problem loads every row.

Expected figures follow from how each file is written below.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from queries import workspaces
from queries.ingest import engine, fast_paths
from queries.ingest.engine import Choices
from queries.workspace import Workspace

ROWS = 300_000
HEADER = "Deal ID,Deal Name,Stage,Amount,Created Date,Close Date\n"


@pytest.fixture
def ws(tmp_path: Path) -> Workspace:
    w = workspaces.create_workspace(tmp_path / "speed.duckdb")
    yield w
    w.close()


def _line(i: int) -> str:
    """Data row i (1-based): an open deal with an ISO date and a plain amount."""
    return f"D{i},Deal {i},Prospecting,{i % 1000}.50,2024-01-{1 + i % 28:02d},\n"


def _import(ws: Workspace, path: Path) -> tuple[engine.Report, engine.Result]:
    with engine.open_import(ws, path, choices=Choices(kind="deals")) as plan:
        report = plan.validate("append")
        return report, plan.commit("append")


def test_problems_far_into_a_large_file_are_reported_at_their_rows(ws, tmp_path):
    lines = [_line(i) for i in range(1, ROWS + 1)]
    lines[150_000 - 1] = "D150000,Deal x,Prospecting,lots,2024-01-02,\n"  # not an amount
    lines[200_000 - 1] = "D7,Deal 7 again,Prospecting,1,2024-01-02,\n"  # repeats row 7's id
    lines[250_000 - 1] = "D250000,Deal y,Prospecting,1,someday,\n"  # not a date
    lines[299_999 - 1] = ",,Prospecting,1,2024-01-02,\n"  # no id and no name
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "".join(lines))

    report, result = _import(ws, path)

    got = list(report.rejects[["row_number", "code", "value"]].itertuples(index=False))
    assert [tuple(r) for r in got] == [
        (150_000, "bad_money", "lots"),
        (200_000, "duplicate_in_file", "D7"),
        (250_000, "bad_date", "someday"),
        (299_999, "missing_value", ""),
    ]
    assert report.rows_ok == ROWS - 4
    assert result.rows_loaded == ROWS - 4
    cur = ws.cursor()
    try:
        stored = cur.execute(
            "select count(*), count(distinct deal_id), min(amount), max(amount) from raw_deals"
        ).fetchone()
        deal7 = cur.execute("select name from raw_deals where deal_id = 'D7'").fetchall()
    finally:
        cur.close()
    assert stored[:2] == (ROWS - 4, ROWS - 4)
    assert deal7 == [("Deal 7",)]  # the first row of a repeated id loads


def test_a_short_line_far_into_a_large_file_keeps_the_rows_after_it_numbered(ws, tmp_path):
    lines = [_line(i) for i in range(1, ROWS + 1)]
    lines[180_000 - 1] = "D180000,Deal short\n"  # two fields: a bad line
    lines[240_000 - 1] = "D240000,Deal z,Prospecting,n/a,2024-01-02,\n"  # not an amount
    path = tmp_path / "short.csv"
    path.write_text(HEADER + "".join(lines))

    report, result = _import(ws, path)

    got = list(report.rejects[["row_number", "code"]].itertuples(index=False))
    assert [tuple(r) for r in got] == [(180_000, "field_count"), (240_000, "bad_money")]
    assert result.rows_loaded == ROWS - 2
    assert report.rows_read == ROWS


def test_a_clean_large_file_loads_every_row_with_its_values(ws, tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text(HEADER + "".join(_line(i) for i in range(1, ROWS + 1)))

    report, result = _import(ws, path)

    assert (report.rows_rejected, result.rows_loaded) == (0, ROWS)
    assert report.blanks == {}
    assert report.ambiguous_dates == 0
    cur = ws.cursor()
    try:
        row = cur.execute(
            "select name, stage, outcome, amount, created_at from raw_deals "
            "where deal_id = 'D123457'"
        ).fetchone()
    finally:
        cur.close()
    assert row[:3] == ("Deal 123457", "Prospecting", "open")
    assert str(row[3]) == "457.50"
    assert str(row[4]) == f"2024-01-{1 + 123457 % 28:02d} 00:00:00"


def test_ambiguous_dates_among_iso_ones_are_still_counted(ws, tmp_path):
    # Mostly ISO dates (the fast path), three a/b/yyyy values that could be either way round
    # and one that cannot (13 is no month): the three are counted.
    lines = [_line(i) for i in range(1, 1001)]
    lines[10] = "D11,Deal 11,Prospecting,1,03/04/2024,\n"
    lines[20] = "D21,Deal 21,Prospecting,1,03/04/2024,\n"
    lines[30] = "D31,Deal 31,Prospecting,1,5/6/2024,\n"
    lines[40] = "D41,Deal 41,Prospecting,1,13/04/2024,\n"
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + "".join(lines))

    report, result = _import(ws, path)

    assert report.ambiguous_dates == 3
    assert result.rows_loaded == 1000


@pytest.mark.parametrize("sample_missed", [False, True])
def test_values_a_fast_path_does_not_read_are_parsed_even_when_the_sample_missed_them(
    ws, tmp_path, monkeypatch, sample_missed
):
    # The fast path of a column is chosen on a sample of its values; the rows it does not read
    # go to the Python parser, also when the sample held none of them (then those rows are
    # derived a second time). Forced here: the sample is said to have been read entirely.
    if sample_missed:
        choose = fast_paths.choose

        def missed(cur, reading):
            chosen, _ = choose(cur, reading)
            return chosen, set(chosen)

        monkeypatch.setattr(fast_paths, "choose", missed)
    lines = [_line(i) for i in range(1, 2001)]
    lines[100 - 1] = 'D100,Deal 100,Prospecting,"1,234.50",2024-01-02,\n'
    lines[200 - 1] = "D200,Deal 200,Prospecting, 12.00 ,2024-01-02,\n"
    lines[300 - 1] = "D300,Deal 300,Prospecting,TBD,2024-01-02,\n"
    lines[400 - 1] = "D400,Deal 400,Prospecting,1, 2024-01-03,\n"
    lines[500 - 1] = "D500,Deal 500,Prospecting,1,someday,\n"
    path = tmp_path / "odd.csv"
    path.write_text(HEADER + "".join(lines))

    with engine.open_import(ws, path, choices=Choices(kind="deals")) as plan:
        report = plan.validate("append")
        result = plan.commit("append")
        assert ("amount" in plan.fully_fast) is False

    got = list(report.rejects[["row_number", "code", "value"]].itertuples(index=False))
    assert [tuple(r) for r in got] == [(300, "bad_money", "TBD"), (500, "bad_date", "someday")]
    assert result.rows_loaded == 1998
    cur = ws.cursor()
    try:
        rows = dict(
            cur.execute(
                "select deal_id, (amount, created_at::date::varchar) from raw_deals "
                "where deal_id in ('D1', 'D100', 'D200', 'D400')"
            ).fetchall()
        )
    finally:
        cur.close()
    assert {k: (str(a), d) for k, (a, d) in rows.items()} == {
        "D1": ("1.50", "2024-01-02"),
        "D100": ("1234.50", "2024-01-02"),
        "D200": ("12.00", "2024-01-02"),
        "D400": ("1.00", "2024-01-03"),
    }
