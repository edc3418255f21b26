"""The command line: exit codes, messages, and metrics equal to plain SQL on the contract."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import flywheel_cli

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the installed console script (falls back to the module) in a subprocess."""
    exe = Path(sys.executable).parent / "flywheel"
    cmd = [str(exe)] if exe.exists() else [sys.executable, str(ROOT / "flywheel_cli.py")]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


def test_metrics_json_matches_hand_figures(tiny_path):
    out = run_cli(
        "metrics", "--json", "--db", str(tiny_path), "--from", "2025-01-01", "--to", "2025-01-31"
    )
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert set(data) >= {"overall", "pull", "push"}
    assert data["overall"]["won"] == 4
    assert data["overall"]["win_rate"] == pytest.approx(0.8)
    assert data["pull"]["cac"] == pytest.approx(2250)
    assert data["push"]["sales_cycle_days"] == pytest.approx(10)
    for group in ("overall", "pull", "push"):
        for key in (
            "leads",
            "mqls",
            "sqls",
            "opportunities",
            "won",
            "lost",
            "win_rate",
            "won_amount",
            "avg_deal_size",
            "sales_cycle_days",
            "open_pipeline_amount",
            "pipeline_velocity",
            "marketing_spend",
            "sales_spend",
            "cac",
        ):
            assert key in data[group], (group, key)


def test_metrics_without_dates_cover_all_time(tiny_path):
    data = json.loads(run_cli("metrics", "--json", "--db", str(tiny_path)).stdout)
    assert data["overall"]["won"] == 5
    assert data["overall"]["lost"] == 2
    assert data["overall"]["leads"] == 5


def test_metrics_table_output_lists_every_metric(tiny_path):
    out = run_cli("metrics", "--db", str(tiny_path))
    assert out.returncode == 0
    assert "win_rate" in out.stdout and "pull" in out.stdout


def test_bad_date_exits_2_with_a_message(tiny_path):
    out = run_cli("metrics", "--json", "--db", str(tiny_path), "--from", "2025-13-01")
    assert out.returncode == 2
    assert "not a date" in out.stderr


def test_reversed_period_exits_2(tiny_path):
    out = run_cli(
        "metrics", "--json", "--db", str(tiny_path), "--from", "2025-02-01", "--to", "2025-01-01"
    )
    assert out.returncode == 2
    assert "after" in out.stderr


def test_missing_workspace_is_a_clear_error(tmp_path):
    out = run_cli("metrics", "--json", "--db", str(tmp_path / "nope.duckdb"))
    assert out.returncode == 1
    assert "no workspace" in out.stderr
    assert "Traceback" not in out.stderr


def test_unknown_command_exits_2():
    assert run_cli("frobnicate").returncode == 2


def test_seed_refuses_to_overwrite_without_force(tiny_path):
    out = run_cli("seed", "--db", str(tiny_path))
    assert out.returncode == 1
    assert "--force" in out.stderr


def test_a_held_workspace_is_read_from_a_snapshot_not_refused(tmp_path):
    from tests.fixtures import build_tiny_workspace

    path = build_tiny_workspace(tmp_path / "held.duckdb")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb,sys,time; c=duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        out = run_cli("metrics", "--json", "--db", str(path))
    finally:
        holder.kill()
    # metrics only reads: it reads a copy and says so in one line (tests/test_cli_readonly.py)
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["overall"]["won"] > 0
    assert "read a snapshot as of" in out.stderr
    assert "Traceback" not in out.stderr


# The same metrics computed directly from the contract tables with plain SQL, independently
# of queries/sql: the CLI must agree with it on the sample company.
PLAIN_SQL = """
with d as (select * from deals), l as (select * from leads),
won as (select * from d where outcome = 'won' and closed_at::date between $f and $t),
lost as (select * from d where outcome = 'lost' and closed_at::date between $f and $t)
select
  (select count(*) from l where created_at::date between $f and $t) as leads,
  (select count(*) from l where mql_at::date between $f and $t) as mqls,
  (select count(*) from l where sql_at::date between $f and $t) as sqls,
  (select count(*) from d where created_at::date between $f and $t) as opportunities,
  (select count(*) from won) as won,
  (select count(*) from lost) as lost,
  (select sum(amount)::double from won) as won_amount,
  (select avg(amount)::double from won) as avg_deal_size,
  (select quantile_cont(epoch(closed_at - created_at) / 86400, 0.5) from won)
    as sales_cycle_days,
  (select sum(amount)::double from d where created_at::date <= $t
     and (outcome = 'open' or closed_at::date > $t)) as open_pipeline_amount,
  (select sum(amount)::double from spend where category = 'marketing'
     and spent_on between $f and $t) as marketing_spend,
  (select sum(amount)::double from spend where category = 'sales'
     and spent_on between $f and $t) as sales_spend,
  (select count(distinct account) from won) as won_accounts
"""


@pytest.fixture(scope="module")
def sample_copy(sample_path, tmp_path_factory):
    """A copy of the sample: the app tests in this process may hold the original open."""
    import shutil

    target = tmp_path_factory.mktemp("cli") / "sample.duckdb"
    shutil.copy(sample_path, target)
    return target


@pytest.mark.parametrize("period", [("2025-01-01", "2025-12-31"), ("2024-04-01", "2024-06-30")])
def test_cli_metrics_equal_plain_sql_on_the_sample(sample_copy, period):
    out = run_cli(
        "metrics", "--json", "--db", str(sample_copy), "--from", period[0], "--to", period[1]
    )
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)["overall"]
    con = duckdb.connect(str(sample_copy), read_only=True)
    try:
        cur = con.execute(PLAIN_SQL, {"f": period[0], "t": period[1]})
        expected = dict(zip([c[0] for c in cur.description], cur.fetchone(), strict=True))
    finally:
        con.close()
    for key in (
        "leads",
        "mqls",
        "sqls",
        "opportunities",
        "won",
        "lost",
        "won_amount",
        "avg_deal_size",
        "sales_cycle_days",
        "open_pipeline_amount",
        "marketing_spend",
        "sales_spend",
    ):
        assert got[key] == pytest.approx(expected[key], rel=1e-9), key
    assert got["win_rate"] == pytest.approx(expected["won"] / (expected["won"] + expected["lost"]))
    # Every won deal is a new logo in the sample company, so new customers = won accounts.
    assert got["cac"] == pytest.approx(
        (expected["marketing_spend"] + expected["sales_spend"]) / expected["won_accounts"]
    )


def test_parser_documents_every_command():
    text = flywheel_cli.build_parser().format_help()
    assert "seed" in text and "metrics" in text


def _tiny_with(tmp_path: Path, *statements: str, settings: dict[str, str] | None = None) -> Path:
    from queries.workspace import Workspace, refresh_lead_facts
    from tests.fixtures import build_tiny_workspace

    path = build_tiny_workspace(tmp_path / "t.duckdb")
    ws = Workspace(path)
    try:
        with ws.transaction() as cur:
            for sql in statements:
                cur.execute(sql)
            refresh_lead_facts(cur)  # as every writer of the records does
        for key, value in (settings or {}).items():
            ws.set_setting(key, value)
    finally:
        ws.close()
    return path


JAN_ARGS = ("--from", "2025-01-01", "--to", "2025-01-31")


def test_metrics_json_gives_null_and_the_reason_for_absent_figures(tmp_path):
    # no spend, and January's open deals D5 and D6 without amounts
    path = _tiny_with(
        tmp_path,
        "delete from spend",
        "update raw_deals set amount = null where deal_id in ('D5', 'D6')",
    )
    out = run_cli("metrics", "--json", "--db", str(path), *JAN_ARGS)
    assert out.returncode == 0, out.stderr
    assert "NaN" not in out.stdout and "nan" not in out.stdout.lower().replace("notes", "")
    data = json.loads(out.stdout)
    for group in ("overall", "pull", "push"):
        assert data[group]["cac"] is None, group
        assert data[group]["open_pipeline_amount"] is None, group
    assert data["overall"]["marketing_spend"] is None
    assert data["overall"]["open_opportunities"] == 2  # counts stay
    assert data["overall"]["won_amount"] == pytest.approx(20_000)
    assert data["pull"]["notes"]["cac"] == (
        "No marketing spend imported — import spend on the Data page."
    )
    assert data["overall"]["notes"]["open_pipeline_amount"] == "2 of 2 open deals have no amount."
    assert "won_amount" not in data["overall"]["notes"]


def test_metrics_text_shows_a_dash_and_says_why(tmp_path):
    path = _tiny_with(tmp_path, "delete from spend")
    out = run_cli("metrics", "--db", str(path), *JAN_ARGS)
    assert out.returncode == 0, out.stderr
    cac_line = next(line for line in out.stdout.splitlines() if line.startswith("cac "))
    assert cac_line.split()[1:] == ["—", "—", "—", "—"]  # overall, pull, push, unmapped
    assert "cac (overall): No spend imported — import spend on the Data page." in out.stdout
    assert "cac (pull)" in out.stdout and "No marketing spend imported" in out.stdout
    assert "nan" not in out.stdout.lower()


def test_metrics_count_mqls_by_the_saved_definition(tmp_path):
    # "score >= 70": January's MQLs are L1 (80) and L4 (90); L3 (60, CRM MQL) no longer counts
    path = _tiny_with(
        tmp_path, settings={"funnel_mql_rule": "score", "funnel_mql_score_threshold": "70"}
    )
    data = json.loads(run_cli("metrics", "--json", "--db", str(path), *JAN_ARGS).stdout)
    assert [data[g]["mqls"] for g in ("overall", "pull", "push")] == [2, 2, 0]
