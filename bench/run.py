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
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
PAGES = ("overview", "partnerships", "themes", "history", "data")
ENV_VAR = "PARTNERSHIPS_DATAPACKAGE"

TARGET_N, BASE_N = 100_000, 1_000
MAX_RERUN_S, MAX_RERUN_RATIO = 0.5, 2.0
MAX_CHART_ROWS = 5_000
MAX_PAGE_BYTES = 1_000_000  # 1 MB = 10^6 bytes
MAX_WARM_SHARE = 0.1
MAX_VALIDATION_S, MAX_VALIDATION_S_10K = 3.0, 0.5  # cold validation and typing
MAX_PEAK_BYTES = 1_500_000_000  # 1.5 GB = 1.5 * 10^9 bytes


# ---------------------------------------------------------------- workers (fresh processes)


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def cold_worker(package: str) -> dict:
    """Validate and load PACKAGE in this (fresh) process; time each stage."""
    started = time.perf_counter()
    from analysis.package import load_package

    imported = time.perf_counter()
    marks: list[tuple[str, float]] = []
    loaded = load_package(package, progress=lambda stage: marks.append((stage, time.perf_counter())))
    done = time.perf_counter()
    ends = [at for _, at in marks[1:]] + [done]
    return {
        "import_s": imported - started,
        "load_s": done - imported,
        "stages_s": {stage: end - at for (stage, at), end in zip(marks, ends, strict=True)},
        "rows": {name: frame.height for name, frame in loaded.frames.items()},
        "peak_rss_bytes": _peak_rss_bytes(),
    }


class Sent:
    """The delta messages of the latest AppTest run (what a browser would receive)."""

    messages: list = []

    @classmethod
    def install(cls) -> None:
        # AppTest parses the run's ForwardMsgs into its element tree and drops them;
        # keep a reference on the way through.
        import streamlit.testing.v1.local_script_runner as runner_module

        parse = runner_module.parse_tree_from_messages

        def keep(messages):
            cls.messages = list(messages)
            return parse(messages)

        runner_module.parse_tree_from_messages = keep

    @classmethod
    def measure(cls) -> dict:
        """Bytes per element type, and the rows of the largest chart."""
        by_type: dict[str, int] = {}
        chart_rows = []
        for message in cls.messages:
            if not message.HasField("delta"):
                continue
            delta = message.delta
            kind = delta.WhichOneof("type")
            if kind == "new_element":
                kind = delta.new_element.WhichOneof("type")
                if kind == "vega_lite_chart":
                    chart_rows.append(_chart_rows(delta.new_element.vega_lite_chart))
            by_type[kind] = by_type.get(kind, 0) + len(message.SerializeToString())
        return {
            "bytes": sum(by_type.values()),
            "bytes_by_type": dict(sorted(by_type.items(), key=lambda item: -item[1])),
            "chart_rows": chart_rows,
            "max_chart_rows": max(chart_rows, default=0),
        }


def _chart_rows(chart) -> int:
    """Rows a Vega-Lite chart carries: its Arrow datasets plus inline `values` in the spec."""
    import pyarrow as pa

    rows = 0
    for dataset in chart.datasets:
        if dataset.data.data:
            rows += pa.ipc.open_stream(dataset.data.data).read_all().num_rows
    if chart.HasField("data") and chart.data.data:
        rows += pa.ipc.open_stream(chart.data.data).read_all().num_rows

    def inline(node) -> int:
        if isinstance(node, dict):
            values = node.get("values")
            own = len(values) if isinstance(values, list) else 0
            return own + sum(inline(v) for k, v in node.items() if k != "values")
        if isinstance(node, list):
            return sum(inline(v) for v in node)
        return 0

    return rows + inline(json.loads(chart.spec or "{}"))


def _timed_run(at, action=None) -> float:
    started = time.perf_counter()
    (action(at) if action else at).run()
    elapsed = time.perf_counter() - started
    if at.exception:
        raise RuntimeError("; ".join(str(e.value) for e in at.exception))
    return elapsed


def app_worker(package: str, repeats: int, timeout: float) -> dict:
    """Warm start and every page in AppTest, in this (fresh) process."""
    os.environ[ENV_VAR] = package
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from dashboard.data import current_package

    Sent.install()
    result: dict = {}
    started = time.perf_counter()
    current_package()
    result["first_current_package_s"] = time.perf_counter() - started
    started = time.perf_counter()
    current_package()
    result["warm_current_package_s"] = time.perf_counter() - started

    first = AppTest.from_file(str(APP), default_timeout=timeout)
    result["first_session_s"] = _timed_run(first)
    at = AppTest.from_file(str(APP), default_timeout=timeout)
    result["warm_session_s"] = _timed_run(at)  # a second tab: package and default view cached

    def status(value):
        return lambda app: app.multiselect(key="status").set_value(value)

    pages = {}
    for page in PAGES:
        st.cache_data.clear()  # every page starts without derived tables; the package stays
        record: dict = {"open_s": _timed_run(at, lambda app, p=page: app.switch_page(f"pages/{p}.py"))}
        sent = {"all": Sent.measure()}
        changes = []
        for index in range(repeats):
            value = ["active"] if index % 2 == 0 else []
            changes.append(_timed_run(at, status(value)))
            sent["active" if value else "all"] = Sent.measure()
        if repeats % 2:  # leave the filter as found, for the next page
            _timed_run(at, status([]))
        largest = max(sent.values(), key=lambda measured: measured["bytes"])
        record.update(
            first_change_s=changes[0] if changes else None,
            rerun_s=changes,
            rerun_median_s=statistics.median(changes) if changes else None,
            bytes=largest["bytes"],
            bytes_by_type=largest["bytes_by_type"],
            chart_rows=largest["chart_rows"],
            max_chart_rows=max(measured["max_chart_rows"] for measured in sent.values()),
            bytes_by_state={state: measured["bytes"] for state, measured in sent.items()},
        )
        pages[page] = record
    result["pages"] = pages
    result["peak_rss_bytes"] = _peak_rss_bytes()
    return result


def profile_worker(package: str, page: str, timeout: float, out: Path) -> dict:
    """cProfile one filter change on PAGE (derived tables not cached), in the script's thread."""
    import cProfile
    import io
    import pstats
    import threading

    os.environ[ENV_VAR] = package
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    _timed_run(at)
    _timed_run(at, lambda app: app.switch_page(f"pages/{page}.py"))
    st.cache_data.clear()
    profiler = cProfile.Profile()

    def start_in_script_thread(frame, event, arg):  # AppTest runs the page in a new thread
        sys.setprofile(None)
        if threading.current_thread().name == "ScriptRunner.scriptThread":  # not pyarrow's pool
            profiler.enable()

    threading.setprofile(start_in_script_thread)
    try:
        elapsed = _timed_run(at, lambda app: app.multiselect(key="status").set_value(["active"]))
    finally:
        threading.setprofile(None)
    text = io.StringIO()
    stats = pstats.Stats(profiler, stream=text)
    stats.sort_stats("cumulative").print_stats(r"/(pages|src/analysis|src/dashboard)/", 40)
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)
    site_packages = str(Path(st.__file__).resolve().parents[1])
    report = text.getvalue().replace(f"{REPO}/", "").replace(f"{site_packages}/", "")
    out.write_text(
        f"cProfile of one status-filter change on pages/{page}.py ({elapsed:.2f} s, "
        f"derived tables not cached), package {package}\n" + report,
        encoding="utf-8",
    )
    return {"page": page, "elapsed_s": elapsed, "profile": str(out)}


# ---------------------------------------------------------------- the driver


def _generator_digest() -> str:
    """What the synthetic output depends on: the generator, the embedded descriptor and themes."""
    digest = hashlib.sha256()
    for path in (
        REPO / "src/analysis/synth.py",
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


def _worker(*args: str, timeout: float) -> tuple[dict, float]:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", *args]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=timeout)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:1])} worker failed:\n{done.stderr[-4000:]}")
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


# ---------------------------------------------------------------- the report


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}" if value < 1 else f"{value:.2f}"


def _mb(value: float) -> str:
    return f"{value / 1e6:.2f}"


def _targets(sizes: dict[int, dict]) -> list[dict]:
    """Each target at N = 100,000 (and 1,000 for the ratio), met or not."""
    big, base = sizes.get(TARGET_N), sizes.get(BASE_N)
    rows = []

    def add(target: str, scope: str, value: str, limit: str, met: bool | None) -> None:
        rows.append(
            {
                "target": target,
                "scope": scope,
                "value": value,
                "limit": limit,
                "met": None if met is None else bool(met),
            }
        )

    for page in PAGES:
        if big is None:
            add("rerun after a filter change", page, "not measured at 100,000", "", None)
            continue
        rerun = big["pages"][page]["rerun_median_s"]
        ratio = rerun / base["pages"][page]["rerun_median_s"] if base else None
        add(
            "rerun after a filter change < 0.5 s",
            page,
            f"{_s(rerun)} s",
            "< 0.5 s",
            rerun < MAX_RERUN_S,
        )
        add(
            "rerun at 100,000 ≤ 2 × rerun at 1,000",
            page,
            "not measured at 1,000" if ratio is None else f"{ratio:.1f} ×",
            "≤ 2 ×",
            None if ratio is None else ratio <= MAX_RERUN_RATIO,
        )
    for page in PAGES:
        if big is None:
            add("rows in any chart / bytes per page", page, "not measured at 100,000", "", None)
            continue
        chart_rows, sent = big["pages"][page]["max_chart_rows"], big["pages"][page]["bytes"]
        add("rows in any chart", page, f"{chart_rows:,}", "≤ 5,000", chart_rows <= MAX_CHART_ROWS)
        add("bytes sent per page", page, f"{_mb(sent)} MB", "≤ 1 MB", sent <= MAX_PAGE_BYTES)
    if big is None:
        add("warm start, validation, memory", "package", "not measured at 100,000", "", None)
        return rows
    cold = big["cold"]["load_s"]
    for name, key in (
        ("second current_package() call", "warm_current_package_s"),
        ("first run of a second session", "warm_session_s"),
    ):
        warm = big[key]
        add(
            f"warm start ≤ 1/10 cold start ({cold:.1f} s)",
            name,
            f"{_s(warm)} s",
            f"≤ {cold * MAX_WARM_SHARE:.2f} s",
            warm <= cold * MAX_WARM_SHARE,
        )
    # Validation and typing in a fresh process (load_package, imports excluded), beside
    # frictionless' own CLI on the same files; the median of the fresh processes is judged.
    for n, limit in ((10_000, MAX_VALIDATION_S_10K), (TARGET_N, MAX_VALIDATION_S)):
        figures = sizes.get(n)
        if figures is None:
            add(f"cold validation ≤ {limit} s", f"{n:,} partnerships", "not measured", "", None)
            continue
        ours, theirs = figures["cold"]["load_s"], figures["frictionless_cli"]["wall_s"]
        add(
            f"cold validation ≤ {limit} s",
            f"{n:,} partnerships (frictionless validate: {theirs:.1f} s)",
            f"{_s(ours)} s",
            f"≤ {limit} s",
            ours <= limit,
        )
    peak = max(big["peak_rss_bytes"], big["cold"]["peak_rss_bytes"])
    add(
        "peak memory < 1.5 GB",
        "dashboard process (all pages)",
        f"{peak / 1e9:.2f} GB",
        "< 1.5 GB",
        peak < MAX_PEAK_BYTES,
    )
    return rows


def markdown(report: dict) -> str:
    sizes = {int(n): figures for n, figures in report["sizes"].items()}
    machine = report["machine"]
    lines = [
        "# Benchmark: the dashboard at 1,000 to 100,000 partnerships",
        "",
        f"{report['created']} · {machine['cpus']} CPUs · Python {machine['python']} · "
        f"Polars {machine['polars']} · Streamlit {machine['streamlit']} · "
        f"frictionless {machine['frictionless']} · seed {report['seed']} · "
        f"filter changes per page: {report['repeats']} · "
        + ("smoke run · " if report["smoke"] else "")
        + f"commit {report['git_head']}, code digest {report['code_digest']}"
        + (" · **the code changed during the run**" if report["code_changed_during_run"] else "")
        + " · load average {start:.1f} at start, {end:.1f} at end".format(**report["load_average_1min"]),
        "",
        "Seconds unless named; MB = 10^6 bytes. Cold: a fresh process validates and loads the "
        "package (`load_package`; *process* includes interpreter start and imports, like the "
        "frictionless CLI beside it). Warm: a second `current_package()` call, and the first run "
        "of a second AppTest session once the first has run. Rerun: median time of a page's "
        "rerun after the status filter changes (active ↔ all). Sent: bytes of the delta "
        "messages of the page's run with all rows. Chart rows: most rows in one chart.",
        "",
        "## Figures",
        "",
    ]
    header = [
        "N",
        "municipalities",
        "status rows",
        "theme rows",
        "synth",
        "cold load",
        "cold process",
        "frictionless CLI",
        "warm current_package()",
        "warm session",
        "peak RSS MB",
    ]
    header += [f"{page} rerun" for page in PAGES]
    header += [f"{page} sent MB" for page in PAGES]
    header += [f"{page} chart rows" for page in PAGES]
    lines += ["| " + " | ".join(header) + " |", "|" + "---:|" * len(header)]
    for n, figures in sorted(sizes.items()):
        rows, pages = figures["rows"], figures["pages"]
        peak = max(figures["peak_rss_bytes"], figures["cold"]["peak_rss_bytes"])
        cells = [
            f"{n:,}",
            f"{rows['municipalities']:,}",
            f"{rows['status_history']:,}",
            f"{rows['partnership_themes']:,}",
            _s(figures["synth_s"]) if figures["synth_s"] else "cached",
            _s(figures["cold"]["load_s"]),
            _s(figures["cold"]["process_s"]),
            _s(figures["frictionless_cli"]["wall_s"]),
            f"{figures['warm_current_package_s'] * 1e3:.3f} ms",
            _s(figures["warm_session_s"]),
            f"{peak / 1e6:,.0f}",
        ]
        cells += [_s(pages[page]["rerun_median_s"]) for page in PAGES]
        cells += [_mb(pages[page]["bytes"]) for page in PAGES]
        cells += [f"{pages[page]['max_chart_rows']:,}" for page in PAGES]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "## Per page",
        "",
        "| N | page | open | first filter change | rerun median | rerun samples | sent MB | "
        "largest messages (MB) | chart rows |",
        "|---:|---|---:|---:|---:|---|---:|---|---|",
    ]
    for n, figures in sorted(sizes.items()):
        for page in PAGES:
            p = figures["pages"][page]
            largest = ", ".join(f"{kind} {_mb(size)}" for kind, size in list(p["bytes_by_type"].items())[:3])
            lines.append(
                f"| {n:,} | {page} | {_s(p['open_s'])} | {_s(p['first_change_s'])} | "
                f"{_s(p['rerun_median_s'])} | {' '.join(_s(x) for x in p['rerun_s'])} | "
                f"{_mb(p['bytes'])} | "
                f"{largest} | {', '.join(f'{r:,}' for r in p['chart_rows']) or '–'} |"
            )
    lines += [
        "",
        "## Cold start by stage",
        "",
        "| N | imports | " + " | ".join(next(iter(sizes.values()))["cold"]["stages_s"]) + " | load | "
        "process (samples) | frictionless CLI (samples) |",
        "|---:|" + "---:|" * (len(next(iter(sizes.values()))["cold"]["stages_s"]) + 4),
    ]
    for n, figures in sorted(sizes.items()):
        cold = figures["cold"]
        lines.append(
            f"| {n:,} | {_s(cold['import_s'])} | "
            + " | ".join(_s(v) for v in cold["stages_s"].values())
            + f" | {_s(cold['load_s'])} | {_s(cold['process_s'])} "
            + f"({' '.join(_s(x) for x in cold['samples_process_s'])}) | "
            + f"{_s(figures['frictionless_cli']['wall_s'])} "
            + f"({' '.join(_s(x) for x in figures['frictionless_cli']['samples_s'])}) |"
        )
    lines += [
        "",
        "## Targets (at 100,000 partnerships)",
        "",
        "| target | where | measured | limit | met |",
        "|---|---|---:|---:|---|",
    ]
    for row in report["targets"]:
        met = "n/a" if row["met"] is None else "met" if row["met"] else "**not met**"
        lines.append(f"| {row['target']} | {row['scope']} | {row['value']} | {row['limit']} | {met} |")
    if report.get("profiles"):
        lines += ["", "## Profiles", ""]
        lines += [
            f"- `{Path(profiled['profile']).name}`: one status-filter change on "
            f"pages/{profiled['page']}.py, {profiled['elapsed_s']:.2f} s under cProfile"
            for profiled in report["profiles"]
        ]
    return "\n".join(lines) + "\n"


def code_digest() -> str:
    """What the figures depend on: the app, its pages and src/ (others may edit them meanwhile)."""
    digest = hashlib.sha256()
    for path in sorted([APP, *REPO.glob("pages/*.py"), *REPO.glob("src/**/*.py")]):
        digest.update(str(path.relative_to(REPO)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def git_head() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=REPO)
    return done.stdout.strip() or "unknown"


SNAPSHOT_ENV = "PARTNERSHIPS_BENCH_SNAPSHOT_OF"
SNAPSHOT_PATHS = ("app.py", "pages", "src", "datapackage", "static", ".streamlit", "bench/run.py")


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


def main(argv: list[str] | None = None) -> int:
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
    # internal: what a fresh worker process measures
    parser.add_argument("--worker", choices=("cold", "app", "profile"), help=argparse.SUPPRESS)
    parser.add_argument("--package", help=argparse.SUPPRESS)
    parser.add_argument("--page", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker == "cold":
        print(json.dumps(cold_worker(args.package)))
        return 0
    if args.worker == "app":
        print(json.dumps(app_worker(args.package, args.repeats, args.timeout)))
        return 0
    if args.worker == "profile":
        print(json.dumps(profile_worker(args.package, args.page, args.timeout, args.profile_out)))
        return 0

    if args.out is None:  # a smoke run (CI) must not overwrite the measured results
        args.out = (
            Path(tempfile.gettempdir()) / "partnerschaftsatlas-bench-smoke"
            if args.smoke
            else REPO / "bench" / "results"
        )
    if args.from_json:
        report = json.loads(args.from_json.read_text(encoding="utf-8"))
        report["targets"] = _targets({int(n): figures for n, figures in report["sizes"].items()})
        args.from_json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        (args.from_json.parent / "bench.md").write_text(markdown(report), encoding="utf-8")
        print(f"rewrote the tables in {args.from_json.parent / 'bench.md'}")
        return 0
    if args.snapshot:
        return run_on_snapshot(list(argv if argv is not None else sys.argv[1:]), args.out)
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
        "command": " ".join(["bench/run.py", *(argv if argv is not None else sys.argv[1:])]),
        "git_head": os.environ.get(SNAPSHOT_ENV) or git_head(),
        "code_digest": code_before,
        "code_changed_during_run": code_digest() != code_before,
        # other work on this machine (tests, servers) skews the timings: say how busy it was
        "load_average_1min": {"start": load_before, "end": os.getloadavg()[0]},
        "sizes": {str(n): figures for n, figures in sizes.items()},
        "targets": _targets(sizes),
    }
    if args.profile is not None:
        largest = max(sizes)
        slowest = max(PAGES, key=lambda page: sizes[largest]["pages"][page]["rerun_median_s"] or 0)
        args.out.mkdir(parents=True, exist_ok=True)
        report["profiles"] = []
        for page in args.profile or [slowest]:
            out = args.out / f"profile-{page}-n{largest}.txt"
            profiled, _ = _worker(
                "profile",
                "--package",
                sizes[largest]["package"],
                "--page",
                page,
                "--timeout",
                str(args.timeout),
                "--profile-out",
                str(out),
                timeout=args.timeout * 3,
            )
            report["profiles"].append(profiled)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (args.out / "bench.md").write_text(markdown(report), encoding="utf-8")
    if report["code_changed_during_run"]:
        print("warning: app.py, pages/ or src/ changed during the run; the sizes are not comparable")
    if args.smoke:
        print(markdown(report))
    print(f"wrote {args.out / 'bench.md'} and {args.out / 'bench.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
