"""How long the Partnerschaftsbericht takes, and how large it is, for a large package: a benchmark,
not a test.

    python3 -m uv run python bench/report_pdf.py [--partnerships 100000] [--runs 3] [--out bench/results]

It writes a synthetic package (`partnerships synth`, cached in a temporary folder by size and
seed) and measures, each run in a fresh process:

- `partnerships report PATH --as-of 2026-11-01 --out FILE.pdf`: the command's wall time, which
  includes reading and validating the package;
- within that process's twin: `build_report` alone once the package is loaded (what the overview's
  button costs, the package being loaded already), and the PDF's size and pages.

Targets (at 100,000 partnerships): the report is built in under 20 s and is under 5 MB. Results
go to OUT/report.json and OUT/report.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AS_OF = "2026-11-01"
MAX_SECONDS = 20.0
MAX_BYTES = 5_000_000  # 5 MB = 5 * 10^6 bytes

WORKER = """
import json, sys, time
from datetime import date
from pypdf import PdfReader
from analysis.package import load_package
from report.build import build_report
started = time.perf_counter()
package = load_package(sys.argv[1])
loaded = time.perf_counter()
pdf = build_report(package, date.fromisoformat(sys.argv[2]))
built = time.perf_counter()
import io
pages = len(PdfReader(io.BytesIO(pdf)).pages)
print(json.dumps({"load_s": loaded - started, "build_s": built - loaded, "bytes": len(pdf), "pages": pages}))
"""


def synthetic(n: int, seed: int) -> Path:
    folder = Path(tempfile.gettempdir()) / f"partnerschaftsatlas-report-bench-{n}-{seed}"
    if not (folder / "datapackage.json").is_file():
        subprocess.run(
            [sys.executable, "-m", "console.main", "synth", "--partnerships", str(n), "--seed", str(seed)]
            + ["--out", str(folder)],
            check=True,
            cwd=REPO,
        )
    return folder


def measure(package: Path, runs: int) -> dict:
    cli, inner = [], []
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "report.pdf"
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(
                [sys.executable, "-m", "console.main", "report", str(package), "--as-of", AS_OF, "--out", str(out)],
                check=True,
                cwd=REPO,
                stdout=subprocess.DEVNULL,
            )
            cli.append({"wall_s": time.perf_counter() - started, "bytes": out.stat().st_size})
            answer = subprocess.run(
                [sys.executable, "-c", WORKER, str(package), AS_OF],
                check=True,
                cwd=REPO,
                capture_output=True,
                text=True,
            )
            inner.append(json.loads(answer.stdout.strip().splitlines()[-1]))
    return {"cli": cli, "inner": inner}


def write(results: dict, out: Path) -> str:
    n = results["partnerships"]
    cli_s = statistics.median(r["wall_s"] for r in results["runs"]["cli"])
    build_s = statistics.median(r["build_s"] for r in results["runs"]["inner"])
    load_s = statistics.median(r["load_s"] for r in results["runs"]["inner"])
    size = results["runs"]["cli"][-1]["bytes"]
    pages = results["runs"]["inner"][-1]["pages"]
    met = lambda ok: "met" if ok else "NOT met"  # noqa: E731
    lines = [
        "# The Partnerschaftsbericht at scale",
        "",
        f"{results['when']} · {results['cpus']} CPUs · load average {results['load_average']} · "
        f"Python {results['python']} · {n:,} synthetic partnerships (seed {results['seed']}) · "
        f"as of {AS_OF}, all partnerships, German · median of {len(results['runs']['cli'])} fresh processes",
        "",
        "| figure | value |",
        "|---|---:|",
        f"| `partnerships report` wall time (incl. reading and validating the package) | {cli_s:.1f} s |",
        f"| reading and validating the package | {load_s:.1f} s |",
        f"| building the report once the package is loaded (`build_report`) | {build_s:.1f} s |",
        f"| PDF size | {size / 1e6:.2f} MB |",
        f"| pages | {pages} |",
        "",
        "| target | measured | limit | met |",
        "|---|---:|---:|---|",
        f"| report built (whole command) | {cli_s:.1f} s | < {MAX_SECONDS:.0f} s | {met(cli_s < MAX_SECONDS)} |",
        f"| report built (package loaded) | {build_s:.1f} s | < {MAX_SECONDS:.0f} s | {met(build_s < MAX_SECONDS)} |",
        f"| PDF size | {size / 1e6:.2f} MB | < {MAX_BYTES / 1e6:.0f} MB | {met(size < MAX_BYTES)} |",
        "",
    ]
    text = "\n".join(lines)
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    (out / "report.md").write_text(text, encoding="utf-8")
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--partnerships", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results")
    args = parser.parse_args()
    package = synthetic(args.partnerships, args.seed)
    results = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "load_average": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "python": platform.python_version(),
        "partnerships": args.partnerships,
        "seed": args.seed,
        "runs": measure(package, args.runs),
    }
    print(write(results, args.out))


if __name__ == "__main__":
    main()
