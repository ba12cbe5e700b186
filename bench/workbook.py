"""How long the Excel round trip takes at scale: `partnerships workbook` and `partnerships import`
on a synthetic package, each in a fresh process (wall time, best of --repeat).

    uv run python bench/workbook.py --partnerships 100000 --out bench/results

Writes bench/results/workbook.json and bench/results/workbook.md. Target: under 30 s each at
100,000 partnerships. Also checks that the imported CSV files equal the originals byte for byte.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

TARGET_SECONDS = 30.0
RESOURCES = ("countries", "municipalities", "partnerships", "status_history", "themes", "partnership_themes", "sources")


def _timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--out", default="bench/results")
    args = parser.parse_args()
    cli = [sys.executable, "-m", "console.main"]
    with tempfile.TemporaryDirectory(prefix="bench-workbook-") as tmp:
        package, book, back = Path(tmp, "package"), Path(tmp, "package.xlsx"), Path(tmp, "back")
        subprocess.run(
            [*cli, "synth", "--partnerships", str(args.partnerships), "--seed", str(args.seed), "--out", str(package)],
            check=True,
            capture_output=True,
        )
        rows = {name: (package / "data" / f"{name}.csv").read_text().count("\n") - 1 for name in RESOURCES}
        write = min(_timed([*cli, "workbook", str(package), "--out", str(book)]) for _ in range(args.repeat))
        read = []
        for attempt in range(args.repeat):
            target = Path(tmp, f"back{attempt}")
            read.append(_timed([*cli, "import", str(book), "--out", str(target)]))
            back = target
        equal = all(
            (back / "data" / f"{n}.csv").read_bytes() == (package / "data" / f"{n}.csv").read_bytes() for n in RESOURCES
        )
        result = {
            "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
            "load_average": os.getloadavg()[0],
            "partnerships": args.partnerships,
            "rows": rows,
            "workbook_bytes": book.stat().st_size,
            "workbook_seconds": round(write, 2),
            "import_seconds": round(min(read), 2),
            "round_trip_byte_equal": equal,
            "target_seconds": TARGET_SECONDS,
        }
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "workbook.json").write_text(json.dumps(result, indent=2) + "\n")
    met = {k: "met" if result[k] < TARGET_SECONDS else "not met" for k in ("workbook_seconds", "import_seconds")}
    table = "\n".join(
        [
            f"# Excel round trip at {args.partnerships:,} partnerships",
            "",
            f"{result['when']} · {result['machine']} · load average {result['load_average']:.1f} · seed {args.seed} · "
            f"best of {args.repeat} fresh process(es)",
            "",
            "| step | seconds | target | met |",
            "|---|---:|---:|---|",
            f"| `partnerships workbook` | {result['workbook_seconds']} | < {TARGET_SECONDS:.0f} | "
            f"{met['workbook_seconds']} |",
            f"| `partnerships import` (incl. validation) | {result['import_seconds']} | < {TARGET_SECONDS:.0f} | "
            f"{met['import_seconds']} |",
            "",
            f"Workbook: {result['workbook_bytes'] / 2**20:.1f} MB; rows: "
            + ", ".join(f"{name} {count:,}" for name, count in rows.items())
            + f". Imported CSV files byte-equal to the originals: {'yes' if equal else 'NO'}.",
            "",
        ]
    )
    (out / "workbook.md").write_text(table)
    print(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
