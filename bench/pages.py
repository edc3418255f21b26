"""Page benchmark: every page's queries and figures on large generated workspaces.

    .venv/bin/python bench/pages.py [--scale 200] [--deals-scale 333.4] [--runs 5]
    .venv/bin/python bench/pages.py --points 200 2000   # 5M and 50M leads beside scale 1

Builds (once, cached in bench/out/) a workspace with about 5,000,000 leads and 1,000,000
deals (or one per --points scale: 25,000 leads and 3,000 * 1.667 deals per unit of scale;
2,000 is 50M leads / 10M deals, built in chunks by worker processes, see sample_data/seed.py),
then times each page in a fresh process: cold (first run after opening) and the median of warm
runs (DuckDB's buffers warm, Flywheel's query cache dropped before each run), and the process's
peak RSS. The same is measured on the scale-1 sample as a baseline in the same run, because
these machines are shared and noisy: compare ratios, not absolutes. With several points it
ends with a growth table (warm ms and RSS per point, and the ratio of the last two).
Targets: every page <= 300 ms warm and peak RSS <= 1.5 GB at scale 200; <= 1 s and <= 4 GB at
scale 2,000 (issue 18).
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


# Targets per point: the 5M-lead point (scale 200) and the 10x point (scale 2,000, 50M leads).
TARGETS = {200.0: (WARM_TARGET_MS, RSS_TARGET_MB), 2000.0: (1000, 4096)}
DEALS_PER_SCALE = 1.667  # deals_scale / scale of the large points: 5M leads, 1M deals at 200


FILES: dict[float, Path] = {}  # --file overrides


def point_path(scale: float, deals_scale: float | None) -> Path:
    if scale in FILES:
        return FILES[scale]
    if scale == 1 and deals_scale is None:
        return OUT / "sample-1.duckdb"
    return OUT / f"large-{scale:g}-{deals_scale:g}.duckdb"


def growth(points: list[tuple[float, list[dict]]]) -> str:
    """Warm ms and peak RSS per page at each point, and the ratio of the last two points."""
    labels = [f"{s:g}x" for s, _ in points]
    head = "".join(f"{'ms ' + x:>10}" for x in labels) + "".join(f"{'MB ' + x:>10}" for x in labels)
    ratio = f"{labels[-2]}->{labels[-1]}" if len(points) > 1 else ""
    lines = [f"{'page':<24}{head}{'ms ' + ratio:>16}{'MB ' + ratio:>16}"]
    by_point = [{r["page"]: r for r in res} for _, res in points]
    for script, _, _ in PAGES:
        rows = [p.get(script, {}) for p in by_point]
        ms = [r.get("warm_median_ms") for r in rows]
        mb = [r.get("peak_rss_mb") for r in rows]
        cells = "".join(f"{m:>10.0f}" if m is not None else f"{'-':>10}" for m in ms + mb)
        grow = ""
        if len(rows) > 1 and None not in (ms[-2], ms[-1], mb[-2], mb[-1]):
            grow = f"{ms[-1] / ms[-2]:>16.1f}{mb[-1] / mb[-2]:>16.1f}"
        lines.append(f"{script:<24}{cells}{grow}")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=200)
    parser.add_argument("--deals-scale", type=float, default=333.4)
    parser.add_argument(
        "--points",
        type=float,
        nargs="+",
        help="scales to measure beside the scale-1 baseline, e.g. 200 2000 (deals scale "
        f"{DEALS_PER_SCALE} x each; default: --scale/--deals-scale)",
    )
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--file",
        action="append",
        default=[],
        metavar="SCALE=PATH",
        help="measure this workspace file for that point instead of building it (e.g. "
        "2000=bench/out/replica-large-200-333.4-x10.duckdb, bench/replicate.py)",
    )
    args = parser.parse_args()
    FILES.update({float(k): Path(v) for k, v in (f.split("=", 1) for f in args.file)})

    print("machine:", machine())
    if args.points:
        large = [(p, round(p * DEALS_PER_SCALE, 1)) for p in args.points if p != 1]
    else:
        large = [(args.scale, args.deals_scale)]
    todo = [(1.0, None), *large]
    for scale, deals_scale in todo:
        path = point_path(scale, deals_scale)
        built = build(path, scale, deals_scale)
        if built:
            print(f"built {path.name} in {built:.0f} s")
        leads, deals = sizes(path)
        print(
            f"scale {scale:g}: {leads:,} leads, {deals:,} deals, "
            f"{path.stat().st_size / 2**20:,.0f} MB file ({path.name})"
        )

    results: list[tuple[float, list[dict]]] = []
    base = None
    ok = True
    for scale, deals_scale in todo:
        res = measure(point_path(scale, deals_scale), args.runs)
        results.append((scale, res))
        print()
        title = f"scale {scale:g} ({point_path(scale, deals_scale).name}), "
        print(table(title + f"median of {args.runs} warm runs", res, base))
        if base is None:
            base = {r["page"]: r for r in res}
            continue
        print("largest named queries per page (mean ms per warm run):")
        for r in res:
            top = ", ".join(f"{n} {ms:.0f}" for n, ms in r.get("top_queries", [])[:3])
            print(f"  {r['page']:<24}{top}")
        warm_t, rss_t = TARGETS.get(scale, (WARM_TARGET_MS, RSS_TARGET_MB))
        met = all(
            "error" not in r and r["warm_median_ms"] <= warm_t and r["peak_rss_mb"] <= rss_t
            for r in res
        )
        ok = ok and met
        print(
            f"targets at scale {scale:g} (warm <= {warm_t} ms, peak RSS <= {rss_t} MB): "
            + ("met" if met else "NOT met")
        )
    if len(results) > 1:
        print()
        print("growth: warm ms and peak RSS MB per point")
        print(growth(results))
    latest = {"machine": machine(), "baseline": results[0][1], "large": results[1][1]}
    latest["points"] = {f"{s:g}": r for s, r in results}
    (OUT / "latest.json").write_text(json.dumps(latest, indent=2))
    return 0  # a missed target is reported in the output, not an error


if __name__ == "__main__":
    sys.exit(main())
