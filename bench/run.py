"""How the dashboard scales with the number of partnerships: a benchmark, not a test.

    python3 -m uv run python bench/run.py --sizes 1000 10000 100000 --out bench/results \
        [--snapshot] [--profile [PAGE ...]]
    python3 -m uv run python bench/run.py --sizes 1000 --smoke        # CI: runs, writes, no gate

For each size N it writes a synthetic package (`analysis.synth`, cached by N, seed and the
generator's source in a temporary folder) and measures, each in a fresh subprocess:

- cold start: `load_package` (validation and typing) on a package this process never saw,
  and the whole process's wall time; `frictionless validate` (CLI) on the same package;
- warm start: a second `current_package()` call in the process that made the first, and the
  first run of a second AppTest session (a second browser tab) once the first has run;
- per page: opening it, the reruns after changing the status filter (["active"], then back to
  all, alternately; median), the bytes of the delta messages the run sends to the browser,
  and the most rows any chart carries;
- the process's peak resident memory (ru_maxrss) over all of that.

Results go to OUT/bench.json and OUT/bench.md (figures, then the targets met or not); a smoke
run writes to a temporary folder and prints its tables. --snapshot measures a copy of the code
(others may edit the working tree during a half-hour run); --profile writes a cProfile of one
filter change at the largest size; --from-json OUT/bench.json rewrites the tables only.

This file is the driver (packages, processes, the run's record); `bench/workers.py` is what each
fresh process measures, `bench/results_report.py` judges the targets and writes the tables.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from results_report import markdown, rewrite_tables, targets, write_report
from workers import APP, PAGES, REPO

BENCH = Path(__file__).resolve().parent


def _generator_digest() -> str:
    """What the synthetic output depends on: the generator, the embedded descriptor and themes."""
    digest = hashlib.sha256()
    for path in (
        *sorted((REPO / "src/analysis/synth").glob("*.py")),
        REPO / "src/analysis/synth/countries.csv",
        REPO / "datapackage/datapackage.json",
        REPO / "datapackage/data/themes.csv",
    ):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def synthetic_package(n: int, seed: int, cache: Path) -> tuple[Path, float | None]:
    """The package for N and SEED, written once into CACHE; answer it and how long writing took."""
    from analysis.synth import write_synthetic_package

    target = cache / f"n{n}-s{seed}-{_generator_digest()}"
    if (target / "datapackage.json").is_file():
        return target, None
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{target.name}-", dir=cache))
    started = time.perf_counter()
    write_synthetic_package(staging, n, seed)
    elapsed = time.perf_counter() - started
    try:
        staging.rename(target)
    except OSError:  # another run wrote it meanwhile
        shutil.rmtree(staging, ignore_errors=True)
    return target, elapsed


def _worker(kind: str, *args: str, timeout: float) -> tuple[dict, float]:
    """Run the KIND worker (bench/workers.py) in a fresh process; answer its figures and wall time."""
    command = [sys.executable, str(BENCH / "workers.py"), kind, *args]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=timeout)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{kind} worker failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1]), wall


def frictionless_cli(package: Path, timeout: float) -> dict:
    executable = shutil.which("frictionless", path=str(Path(sys.executable).parent)) or "frictionless"
    started = time.perf_counter()
    done = subprocess.run(
        [executable, "validate", str(package / "datapackage.json")],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    return {"wall_s": time.perf_counter() - started, "exit_code": done.returncode}


def measure_size(n: int, args: argparse.Namespace) -> dict:
    package, synth_s = synthetic_package(n, args.seed, args.cache_dir)
    print(
        f"N={n:,}: package {package}" + (f" (written in {synth_s:.1f} s)" if synth_s else " (cached)"),
        flush=True,
    )
    record: dict = {"n": n, "package": str(package), "synth_s": synth_s}
    colds, walls, cli = [], [], []
    for _ in range(args.cold_repeats):
        cold, wall = _worker("cold", "--package", str(package), timeout=args.timeout)
        colds.append(cold)
        walls.append(wall)
        cli.append(frictionless_cli(package, args.timeout))
    record["rows"] = colds[0]["rows"]
    record["cold"] = {
        "load_s": statistics.median(c["load_s"] for c in colds),
        "import_s": statistics.median(c["import_s"] for c in colds),
        "process_s": statistics.median(walls),
        "stages_s": {stage: statistics.median(c["stages_s"][stage] for c in colds) for stage in colds[0]["stages_s"]},
        "peak_rss_bytes": max(c["peak_rss_bytes"] for c in colds),
        "samples_process_s": walls,
    }
    record["frictionless_cli"] = {
        "wall_s": statistics.median(c["wall_s"] for c in cli),
        "exit_code": max(c["exit_code"] for c in cli),
        "samples_s": [c["wall_s"] for c in cli],
    }
    print(
        f"  cold load {record['cold']['load_s']:.2f} s "
        f"(process {record['cold']['process_s']:.2f} s), "
        f"frictionless CLI {record['frictionless_cli']['wall_s']:.2f} s",
        flush=True,
    )
    app, _ = _worker(
        "app",
        "--package",
        str(package),
        "--repeats",
        str(args.repeats),
        "--timeout",
        str(args.timeout),
        timeout=args.timeout * 20,
    )
    record.update(app)
    for page, figures in app["pages"].items():
        print(
            f"  {page}: rerun {figures['rerun_median_s'] or 0:.2f} s, "
            f"{figures['bytes'] / 1e6:.2f} MB, "
            f"chart rows {figures['max_chart_rows']:,}",
            flush=True,
        )
    return record


def code_digest() -> str:
    """What the figures depend on: the app, its pages and src/ (others may edit them meanwhile)."""
    digest = hashlib.sha256()
    for path in sorted([APP, *REPO.glob("views/*.py"), *REPO.glob("src/**/*.py")]):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def git_head() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    return done.stdout.strip() or "unknown"


SNAPSHOT_ENV = "PARTNERSHIPS_BENCH_SNAPSHOT_OF"
SNAPSHOT_PATHS = (
    *("app.py", "views", "src", "datapackage", "static", ".streamlit"),
    *("bench/run.py", "bench/workers.py", "bench/results_report.py"),
)


def run_on_snapshot(argv: list[str], out: Path) -> int:
    """Copy the code the figures depend on and run this benchmark there, so edits made in the
    working tree during a long run do not mix into it; write the results to OUT."""
    copy = Path(tempfile.mkdtemp(prefix="partnerschaftsatlas-bench-code-"))
    for name in SNAPSHOT_PATHS:
        source, target = REPO / name, copy / name
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__"))
        elif source.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    # PYTHONPATH precedes the editable install: `analysis` and `dashboard` come from the copy
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(copy / "src"), os.environ.get("PYTHONPATH")])),
        SNAPSHOT_ENV: f"{git_head()} + working tree",
    }
    given_out = {i for i, a in enumerate(argv) if a == "--out"} | {i + 1 for i, a in enumerate(argv) if a == "--out"}
    argv = [a for i, a in enumerate(argv) if a != "--snapshot" and i not in given_out]
    argv += ["--out", str(out.resolve())]
    print(f"running on a copy of the code in {copy}", flush=True)
    try:
        return subprocess.run([sys.executable, str(copy / "bench" / "run.py"), *argv], env=env).returncode
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def machine() -> dict:
    from importlib.metadata import version

    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        **{name: version(name) for name in ("polars", "streamlit", "frictionless")},
    }


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="default: bench/results; with --smoke a temporary folder")
    parser.add_argument("--cache-dir", type=Path, default=Path(tempfile.gettempdir()) / "partnerschaftsatlas-synth")
    parser.add_argument("--repeats", type=int, default=5, help="filter changes per page")
    parser.add_argument("--cold-repeats", type=int, default=3, help="fresh processes per size")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per run")
    parser.add_argument("--smoke", action="store_true", help="one of each, quickly (CI)")
    parser.add_argument("--snapshot", action="store_true", help="measure a copy of the code (others keep editing)")
    parser.add_argument(
        "--profile",
        nargs="*",
        choices=PAGES,
        metavar="PAGE",
        help="cProfile a filter change at the largest size: on PAGEs, else on the slowest page",
    )
    parser.add_argument(
        "--from-json",
        type=Path,
        metavar="BENCH_JSON",
        help="only rewrite the tables from a run's JSON",
    )
    return parser


def profiles(sizes: dict[int, dict], pages: list[str], out: Path, timeout: float) -> list[dict]:
    """cProfile one filter change at the largest size on each of PAGES (none given: the slowest)."""
    largest = max(sizes)
    slowest = max(PAGES, key=lambda page: sizes[largest]["pages"][page]["rerun_median_s"] or 0)
    out.mkdir(parents=True, exist_ok=True)
    profiled = []
    for page in pages or [slowest]:
        profile_out = out / f"profile-{page}-n{largest}.txt"
        figures, _ = _worker(
            "profile",
            *("--package", sizes[largest]["package"], "--page", page),
            *("--timeout", str(timeout), "--profile-out", str(profile_out)),
            timeout=timeout * 3,
        )
        profiled.append(figures)
    return profiled


def main(argv: list[str] | None = None) -> int:
    argv = list(argv if argv is not None else sys.argv[1:])
    args = _parser().parse_args(argv)
    if args.out is None:  # a smoke run (CI) must not overwrite the measured results
        args.out = (
            Path(tempfile.gettempdir()) / "partnerschaftsatlas-bench-smoke"
            if args.smoke
            else REPO / "bench" / "results"
        )
    if args.from_json:
        rewrite_tables(args.from_json)
        print(f"rewrote the tables in {args.from_json.parent / 'bench.md'}")
        return 0
    if args.snapshot:
        return run_on_snapshot(argv, args.out)
    if args.smoke:
        args.repeats, args.cold_repeats = 1, 1
    code_before, load_before = code_digest(), os.getloadavg()[0]
    sizes = {n: measure_size(n, args) for n in args.sizes}
    report = {
        "created": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "seed": args.seed,
        "repeats": args.repeats,
        "smoke": args.smoke,
        "command": " ".join(["bench/run.py", *argv]),
        "git_head": os.environ.get(SNAPSHOT_ENV) or git_head(),
        "code_digest": code_before,
        "code_changed_during_run": code_digest() != code_before,
        # other work on this machine (tests, servers) skews the timings: say how busy it was
        "load_average_1min": {"start": load_before, "end": os.getloadavg()[0]},
        "sizes": {str(n): figures for n, figures in sizes.items()},
        "targets": targets(sizes),
    }
    if args.profile is not None:
        report["profiles"] = profiles(sizes, args.profile, args.out, args.timeout)
    write_report(report, args.out)
    if report["code_changed_during_run"]:
        print("warning: app.py, views/ or src/ changed during the run; the sizes are not comparable")
    if args.smoke:
        print(markdown(report))
    print(f"wrote {args.out / 'bench.md'} and {args.out / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
