"""What the overview's map costs a rerun: building both maps (world with zoom, Europe) from the
embedded package's view and serialising them to the Vega-Lite spec Streamlit sends to the browser,
and that spec's size. The world outline is not in the spec (the browser loads it once from
static/ and keeps it cached). Run: `nice -n 10 uv run python bench/map_rerun.py`."""

from __future__ import annotations

import json
import statistics
import time
from datetime import date
from pathlib import Path

from analysis.package import load_package
from analysis.questions.enriched import enriched_view
from analysis.questions.geo import partnership_lines
from present import maps

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "map_rerun.json"


def main(rounds: int = 20) -> dict:
    package = load_package(ROOT / "datapackage" / "datapackage.json")
    lines = partnership_lines(enriched_view(package.frames, date(2023, 10, 31), with_coordinates=True))
    timings, sizes = [], {}
    for _ in range(rounds):
        start = time.perf_counter()
        for europe in (False, True):
            spec = json.dumps(maps.map_figure(lines, europe=europe)[0].to_dict())
            sizes["europe" if europe else "world"] = len(spec.encode())
        timings.append(time.perf_counter() - start)
    result = {
        "partnerships": lines.height,
        "rounds": rounds,
        "median_ms_both_maps": round(statistics.median(timings[1:]) * 1000, 1),
        "spec_bytes": sizes,
        "world_outline_bytes_once": (ROOT / "static" / "countries-110m.json").stat().st_size,
    }
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return result


if __name__ == "__main__":
    print(json.dumps(main(), indent=2))
