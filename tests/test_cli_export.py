"""`flywheel export`: the meeting pack headless; exit 2 with a clear message on bad arguments."""

from __future__ import annotations

import html
import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

import flywheel_cli
from components.export import images, packs
from queries.filters import Filters
from views import registry
from views.spec import context

ROOT = Path(__file__).resolve().parent.parent


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "flywheel"
    cmd = [str(exe)] if exe.exists() else [sys.executable, str(ROOT / "flywheel_cli.py")]
    return subprocess.run([*cmd, *args], capture_output=True, text=True, cwd=ROOT, timeout=300)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--pages", "overview", "nope"], "unknown page(s): nope; choose from overview"),
        (["--from", "2025-02-01", "--to", "2025-01-01"], "--from 2025-02-01 is after --to"),
        (["--format", "pptx"], "--format pptx does not match the file name 'pack.html'"),
        (["--charts", "market.nope"], "unknown chart(s): market.nope; `flywheel export --list`"),
        (["--charts", "funnel.handoff", "--pages", "funnel"], "--pages or --charts, not both"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(tiny_path, tmp_path, capsys, args, message):
    code = flywheel_cli.main(
        ["export", "--db", str(tiny_path), "--out", str(tmp_path / "pack.html"), *args]
    )
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "pack.html").exists()


def test_an_out_file_without_a_pack_extension_is_refused(tiny_path, tmp_path, capsys):
    assert (
        flywheel_cli.main(["export", "--db", str(tiny_path), "--out", str(tmp_path / "p.pdf")]) == 2
    )
    assert "name it .html or .pptx" in capsys.readouterr().err


def test_an_unwritable_out_is_refused(tiny_path, tmp_path, capsys):
    missing = tmp_path / "no" / "such" / "pack.html"
    assert flywheel_cli.main(["export", "--db", str(tiny_path), "--out", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert flywheel_cli.main(["export", "--db", str(tiny_path), "--out", str(tmp_path)]) == 2
    assert "is a folder" in capsys.readouterr().err
    if os.geteuid() != 0:  # root writes anywhere
        locked = tmp_path / "locked"
        locked.mkdir(mode=0o500)
        assert (
            flywheel_cli.main(["export", "--db", str(tiny_path), "--out", str(locked / "p.html")])
            == 2
        )


def test_a_bad_date_exits_2_through_argparse(tiny_path, tmp_path):
    out = run_cli(
        "export", "--db", str(tiny_path), "--from", "2025-13-01", "--out", str(tmp_path / "p.html")
    )
    assert out.returncode == 2
    assert "not a date (YYYY-MM-DD): '2025-13-01'" in out.stderr


def test_out_is_required(tiny_path):
    out = run_cli("export", "--db", str(tiny_path))
    assert out.returncode == 2 and "--out" in out.stderr


def test_a_missing_workspace_exits_1(tmp_path, capsys):
    code = flywheel_cli.main(
        ["export", "--db", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "p.html")]
    )
    assert code == 1
    assert "no workspace" in capsys.readouterr().err


def test_html_pack_from_the_command_line_without_streamlit(tiny_path, tmp_path):
    out_file = tmp_path / "weekly.html"
    out = run_cli(
        "export", "--db", str(tiny_path), "--pages", "overview", "funnel",
        "--from", "2025-01-01", "--to", "2025-01-31", "--out", str(out_file),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "Meeting pack written to" in out.stdout
    doc = out_file.read_text(encoding="utf-8")
    for key in packs.preset("overview") + packs.preset("funnel"):
        assert f'data-chart-key="{key}"' in doc
    assert 'data-chart-key="scenarios.engines_by_quarter"' not in doc
    assert "Jan 1, 2025 – Jan 31, 2025" in doc
    assert "<script src=" not in doc
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, flywheel_cli; flywheel_cli.main(['export', '--db', "
         f"{str(tiny_path)!r}, '--out', {str(tmp_path / 'x.html')!r}]); "
         "print('streamlit' in sys.modules)"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )  # fmt: skip
    assert probe.stdout.strip().endswith("False"), probe.stderr


@pytest.mark.skipif(not images.available(), reason="no Chromium for kaleido")
def test_pptx_pack_from_the_command_line_in_chinese(sample_path, tmp_path):
    from pptx import Presentation

    out_file = tmp_path / "weekly.pptx"
    out = run_cli("export", "--db", str(sample_path), "--lang", "zh", "--out", str(out_file))
    assert out.returncode == 0, out.stderr
    prs = Presentation(io.BytesIO(out_file.read_bytes()))
    assert len(prs.slides) == len(registry.pack_keys()) + 2
    first = "\n".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)
    assert "会议材料" in first and "数据截至" in first


def test_pptx_without_a_browser_exits_1_with_the_reason(tiny_path, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(images, "available", lambda: False)
    code = flywheel_cli.main(["export", "--db", str(tiny_path), "--out", str(tmp_path / "p.pptx")])
    assert code == 1
    assert "needs a Chromium-based browser" in capsys.readouterr().err
    assert not (tmp_path / "p.pptx").exists()


def test_list_names_every_registered_chart_and_marks_the_preset_ones(capsys):
    assert flywheel_cli.main(["export", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    listed = {line[2:]: line[0] == "*" for line in lines[:-1]}
    assert listed == {e.key: e.pack for e in registry.entries()}
    assert lines[-1] == "pages: " + ", ".join(packs.pages())


def test_charts_by_key_make_a_pack_of_just_those_charts(tiny_path, tiny_ws, tmp_path):
    out = tmp_path / "two.html"
    jan = ["--from", "2025-01-01", "--to", "2025-01-31"]
    charts = ["funnel.handoff", "overview.won_by_month"]
    code = flywheel_cli.main(
        ["export", "--db", str(tiny_path), *jan, "--charts", *charts, "--out", str(out)]
    )
    assert code == 0
    doc = out.read_text(encoding="utf-8")
    assert doc.count('class="plotly-graph-div"') == 2
    # the very specs the pages draw, in the app's menu order (Overview before Funnel health)
    ctx = context(tiny_ws, Filters(date(2025, 1, 1), date(2025, 1, 31)))
    won, handoff = (registry.REGISTRY[k].build(ctx) for k in reversed(charts))
    assert won.takeaway and html.escape(won.takeaway) in doc
    assert doc.index(html.escape(won.title)) < doc.index(html.escape(handoff.title))
