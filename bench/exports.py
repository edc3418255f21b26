"""How long chart images and meeting packs take (kaleido with one browser kept alive).

    .venv/bin/python bench/exports.py /tmp/me/sample.duckdb

Prints the first PNG (starts the browser), the next PNGs and SVGs, and each pack format.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from components.export import images, packs
from queries import period
from queries.filters import Filters
from queries.workspace import Workspace


def _timed(label: str, fn) -> object:
    start = time.perf_counter()
    out = fn()
    print(f"{label:<46} {time.perf_counter() - start:7.2f} s")
    return out


def main(path: str) -> None:
    ws = Workspace(path, read_only=True)
    try:
        f = Filters(*period.default_period(*period.data_range(ws)))
        specs = _timed("build pack charts (queries)", lambda: packs.build(ws, f))
        _timed("first PNG (starts Chromium)", lambda: images.png(specs[0].figure))
        for spec in specs:
            _timed(f"PNG 1920x1080@2x {spec.key}", lambda s=spec: images.png(s.figure))
            _timed(f"SVG {spec.key}", lambda s=spec: images.svg(s.figure))
        _timed("HTML pack", lambda: packs.render_pack(ws, f, fmt="html"))
        _timed("PPTX pack", lambda: packs.render_pack(ws, f, fmt="pptx"))
    finally:
        ws.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "workspaces/sample.duckdb")
