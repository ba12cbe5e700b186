"""What the scale benchmark measures in a fresh process; `bench/run.py` starts each one.

    python bench/workers.py cold --package DIR
    python bench/workers.py app --package DIR --repeats 5 --timeout 900
    python bench/workers.py profile --package DIR --page overview --timeout 900 --profile-out FILE

Each prints its figures as one line of JSON on standard output (the last line).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app.py"
PAGES = ("overview", "partnerships", "themes", "history", "data")


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
    from analysis.package.paths import ENV_VAR

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
        record: dict = {"open_s": _timed_run(at, lambda app, p=page: app.switch_page(f"views/{p}.py"))}
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

    from analysis.package.paths import ENV_VAR

    os.environ[ENV_VAR] = package
    os.environ.setdefault("STREAMLIT_LOGGER_LEVEL", "error")
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=timeout)
    _timed_run(at)
    _timed_run(at, lambda app: app.switch_page(f"views/{page}.py"))
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
        f"cProfile of one status-filter change on views/{page}.py ({elapsed:.2f} s, "
        f"derived tables not cached), package {package}\n" + report,
        encoding="utf-8",
    )
    return {"page": page, "elapsed_s": elapsed, "profile": str(out)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("worker", choices=("cold", "app", "profile"))
    parser.add_argument("--package", required=True)
    parser.add_argument("--repeats", type=int, default=5, help="filter changes per page")
    parser.add_argument("--timeout", type=float, default=900, help="seconds per AppTest run")
    parser.add_argument("--page", choices=PAGES, default=PAGES[0])
    parser.add_argument("--profile-out", type=Path)
    args = parser.parse_args(argv)
    if args.worker == "cold":
        figures = cold_worker(args.package)
    elif args.worker == "app":
        figures = app_worker(args.package, args.repeats, args.timeout)
    else:
        figures = profile_worker(args.package, args.page, args.timeout, args.profile_out)
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
