"""link_work (queries/sql/workspace.sql), which tells the refresh which inheriting statements can
change anything, gives the row of its plain EXISTS form (tests/data/sql/link_work_exists.sql)
for every combination of the records each check looks for, on a new workspace."""

from __future__ import annotations

import itertools
from pathlib import Path

import duckdb

from queries import sqlfiles, workspaces

ORACLE = (Path(__file__).parent / "data" / "sql" / "link_work_exists.sql").read_text()

# one record each check can find
RECORDS = {
    "lead": "insert into raw_leads (lead_id, created_at) values ('L1', now())",
    "lead given a segment by its account": (
        "insert into raw_leads (lead_id, created_at, segment_origin) "
        "values ('L2', now(), 'account')"
    ),
    "deal with a lead key": (
        "insert into raw_deals (deal_id, outcome, lead_key, source) values ('D1', 'open', 1, 'x')"
    ),
    "deal without a source": (
        "insert into raw_deals (deal_id, outcome, source) values ('D2', 'open', null)"
    ),
    "account": "insert into accounts (account_id, name) values ('A1', 'a')",
    "sales rep": "insert into sales_reps (owner) values ('R1')",
    "deal naming an account by id only": (
        "insert into raw_deals (deal_id, outcome, source, account_id) "
        "values ('D3', 'open', 'x', 'A9')"
    ),
}


def test_link_work_equals_its_exists_form_for_every_combination(tmp_path: Path) -> None:
    workspaces.create_workspace(tmp_path / "own.duckdb").close()
    con = duckdb.connect(str(tmp_path / "own.duckdb"))
    stacked = sqlfiles.get("link_work").sql
    seen = set()
    try:
        for size in range(len(RECORDS) + 1):
            for combo in itertools.combinations(RECORDS, size):
                con.execute("begin")
                for name in combo:
                    con.execute(RECORDS[name])
                want = con.execute(ORACLE).fetchall()
                assert con.execute(stacked).fetchall() == want, combo
                seen.add(want[0])
                con.execute("rollback")
    finally:
        con.close()
    # the combinations reach every check both ways, so the comparison can fail on any of them
    for i in range(4):
        assert {row[i] for row in seen} == {True, False}, i
