"""Page benchmark: every page's queries and figures on a large generated workspace.

    .venv/bin/python bench/pages.py [--scale 200] [--deals-scale 333.4] [--runs 5]

Builds (once, cached in bench/out/) a workspace with about 5,000,000 leads and 1,000,000
deals, then times each page in a fresh process: cold (first run after opening) and the
median of warm runs (DuckDB's buffers warm, Flywheel's query cache dropped before each run),
and the process's peak RSS. The same is measured on the scale-1 sample as a baseline in the
same run, because these machines are shared and noisy: compare ratios, not absolutes.
Targets at the large scale: every page <= 300 ms warm, peak RSS <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
sys.path.insert(0, str(ROOT))

from components.ui.navigation import PAGES  # noqa: E402

WARM_TARGET_MS = 300
RSS_TARGET_MB = 1536


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import duckdb
    import streamlit

    return (
        f"{cpu}, {os.cpu_count()} cores, {mem_gb:.0f} GB RAM, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}, DuckDB "
        f"{duckdb.__version__}, Streamlit {streamlit.__version__}"
    )


def build(path: Path, scale: float, deals_scale: float | None) -> float:
    if path.exists():
        return 0.0
    path.parent.mkdir(parents=True, exist_ok=True)
    cmd = [
        sys.executable,
        str(ROOT / "flywheel_cli.py"),
        "seed",
        "--db",
        str(path),
        "--scale",
        str(scale),
        "--force",
    ]
    if deals_scale:
        cmd += ["--deals-scale", str(deals_scale)]
    start = time.perf_counter()
    subprocess.run(cmd, check=True, cwd=ROOT)
    return time.perf_counter() - start


def sizes(path: Path) -> tuple[int, int]:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        leads = con.execute("select count(*) from raw_leads").fetchone()[0]
        deals = con.execute("select count(*) from raw_deals").fetchone()[0]
    finally:
        con.close()
    return leads, deals


def json_line(args: list[str]) -> dict:
    """Run a measuring script in a fresh process; its last JSON line, or {"error": stderr}."""
    out = subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, cwd=ROOT, check=False
    )
    line = [x for x in out.stdout.splitlines() if x.startswith("{")]
    if out.returncode != 0 or not line:
        return {"error": out.stderr[-2000:]}
    return json.loads(line[-1])


def measure(path: Path, runs: int) -> list[dict]:
    script_path = str(ROOT / "bench" / "measure_page.py")
    return [
        {"page": script, **json_line([script_path, str(path), script, str(runs)])}
        for script, _, _ in PAGES
    ]


def table(title: str, results: list[dict], base: dict[str, dict] | None) -> str:
    lines = [
        title,
        f"{'page':<24}{'cold ms':>10}{'warm ms':>10}{'x base':>8}{'RSS MB':>9}"
        f"{'charts':>8}  status",
    ]
    for r in results:
        if "error" in r:
            lines.append(f"{r['page']:<24}  ERROR {r['error'].splitlines()[-1:]}")
            continue
        ratio = ""
        if base and r["page"] in base and "warm_median_ms" in base[r["page"]]:
            ratio = f"{r['warm_median_ms'] / base[r['page']]['warm_median_ms']:.1f}"
        status = "ok" if not r["errors"] else f"errors: {r['errors'][:1]}"
        lines.append(
            f"{r['page']:<24}{r['cold_ms']:>10.0f}{r['warm_median_ms']:>10.0f}"
            f"{ratio:>8}{r['peak_rss_mb']:>9.0f}{r['charts']:>8}  {status}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=200)
    parser.add_argument("--deals-scale", type=float, default=333.4)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    print("machine:", machine())
    small = OUT / "sample-1.duckdb"
    large = OUT / f"large-{args.scale:g}-{args.deals_scale:g}.duckdb"
    built_small = build(small, 1, None)
    built_large = build(large, args.scale, args.deals_scale)
    if built_large:
        print(f"built the large workspace in {built_large:.0f} s")
    if built_small:
        print(f"built the scale-1 sample in {built_small:.1f} s")
    for label, path in (("baseline (scale 1)", small), ("large", large)):
        leads, deals = sizes(path)
        print(
            f"{label}: {leads:,} leads, {deals:,} deals, {path.stat().st_size / 2**20:,.0f} MB file"
        )

    base = {r["page"]: r for r in measure(small, args.runs)}
    print()
    print(
        table(
            f"baseline: scale-1 sample, median of {args.runs} warm runs", list(base.values()), None
        )
    )
    big = measure(large, args.runs)
    print()
    print(table(f"large workspace, median of {args.runs} warm runs", big, base))
    ok = all(
        "error" not in r
        and r["warm_median_ms"] <= WARM_TARGET_MS
        and r["peak_rss_mb"] <= RSS_TARGET_MB
        for r in big
    )
    print()
    print(
        f"targets (warm <= {WARM_TARGET_MS} ms, peak RSS <= {RSS_TARGET_MB} MB): "
        + ("met" if ok else "NOT met")
    )
    (OUT / "latest.json").write_text(
        json.dumps({"machine": machine(), "baseline": base, "large": big}, indent=2)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
