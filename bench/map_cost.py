"""What the overview's maps cost a rerun: a benchmark, not a test.

    python3 -m uv run python bench/map_cost.py [--out bench/results]

For the embedded package and synthetic ones (analysis.synth) of 1,000 and 1,500 partnerships (the
largest drawn as lines; above MAX_MAP_LINES the map is a grid), with Heimatstadt unset, it measures:

- build: `maps.map_figure` (Altair chart and sentence) and its conversion to the spec Streamlit
  sends (`_convert_altair_to_vega_lite_spec`), world and Europe view: what the first session
  with these filters pays; `dashboard.tables.figure` then keeps the spec for every session;
- rerun: what a rerun with the same filters pays instead: keying the arguments by content
  (`tables._fingerprint` of the lines frame), and the bytes of the spec sent to the browser;
- click: the SVG file (vl-convert), made only when its button is clicked;
- zoom and centre are Vega-Lite parameters: moving them redraws in the browser, no rerun at all.

The world outline (static/countries-110m.json) is fetched once per browser from this server.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from analysis.package import EMBEDDED_DESCRIPTOR, load_package
from analysis.questions.enriched import enriched_view
from analysis.questions.geo import fits_line_map, partnership_lines
from analysis.synth.package import write_synthetic_package
from dashboard.tables import _fingerprint
from present import chart_files, i18n, maps

AS_OF = date(2026, 11, 21)
REPEATS = 5


def median_ms(work, repeats: int = REPEATS) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def spec_bytes(spec: object) -> int:
    """The bytes Streamlit sends for SPEC: its JSON text and its datasets (Arrow bytes, as they are)."""
    parts: list[bytes] = []
    text = json.dumps(spec, default=lambda value: parts.append(value) or "")
    return len(text.encode()) + sum(len(part) for part in parts)


def measure(name: str, frames: dict) -> dict:
    view = enriched_view(frames, AS_OF, with_precision=True, with_coordinates=True)
    lines = partnership_lines(view)
    row: dict = {"package": name, "partnerships": view.height, "line_map": fits_line_map(lines)}
    with i18n.language("de"):
        for europe in (False, True) if fits_line_map(lines) else (False,):
            view_name = "europe" if europe else "world"
            chart = maps.map_figure(lines, europe)[0]
            spec = _convert_altair_to_vega_lite_spec(chart)
            row[f"{view_name}_build_ms"] = median_ms(lambda europe=europe: maps.map_figure(lines, europe))
            row[f"{view_name}_convert_ms"] = median_ms(lambda chart=chart: _convert_altair_to_vega_lite_spec(chart))
            row[f"{view_name}_spec_kb"] = round(spec_bytes(spec) / 1024, 1)
            svg_spec = chart_files.standalone_spec(chart, ["Stichtag", "Filter", "Quelle"])
            row[f"{view_name}_svg_ms"] = median_ms(lambda s=svg_spec: chart_files.to_svg(s, "de"), repeats=3)
        digest = lambda: _fingerprint(lines, hashlib.blake2b(digest_size=20))  # noqa: E731
        row["rerun_key_ms"] = median_ms(digest)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args()
    rows = [measure("embedded", load_package(EMBEDDED_DESCRIPTOR).frames)]
    with tempfile.TemporaryDirectory(prefix="map-cost-") as folder:
        for n in (1000, 1500):
            package = load_package(write_synthetic_package(Path(folder) / str(n), n))
            rows.append(measure(f"synthetic {n}", package.frames))
    outline_kb = round((chart_files.WORLD_FILE.stat().st_size) / 1024, 1)
    record = {"machine": platform.platform(), "as_of": AS_OF.isoformat(), "outline_kb": outline_kb, "rows": rows}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "map_cost.json").write_text(json.dumps(record, indent=1), encoding="utf-8")
    keys = [k for k in rows[-2] if k not in ("package",)]
    table = ["| package | " + " | ".join(keys) + " |", "|---" * (len(keys) + 1) + "|"]
    table += ["| " + " | ".join(str(r.get(k, "–")) for k in ["package", *keys]) + " |" for r in rows]
    text = "\n".join(
        [f"# Map cost ({record['machine']})", "", f"World outline: {outline_kb} KB, once per browser.", "", *table, ""]
    )
    (args.out / "map_cost.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
