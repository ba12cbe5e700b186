"""The scale benchmark's report: its targets judged, and its figures as Markdown tables (bench.md).

Pure functions of the figures `bench/run.py` collects (the JSON it writes as bench.json), so
`bench/run.py --from-json` can rewrite the tables without measuring again.
"""

from __future__ import annotations

import json
from pathlib import Path

from workers import PAGES

TARGET_N, BASE_N = 100_000, 1_000
MAX_RERUN_S, MAX_RERUN_RATIO = 0.5, 2.0
MAX_CHART_ROWS = 5_000
MAX_PAGE_BYTES = 1_000_000  # 1 MB = 10^6 bytes
MAX_WARM_SHARE = 0.1
MAX_VALIDATION_S, MAX_VALIDATION_S_10K = 3.0, 0.5  # cold validation and typing
MAX_PEAK_BYTES = 1_500_000_000  # 1.5 GB = 1.5 * 10^9 bytes


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}" if value < 1 else f"{value:.2f}"


def _mb(value: float) -> str:
    return f"{value / 1e6:.2f}"


def targets(sizes: dict[int, dict]) -> list[dict]:
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
            f"views/{profiled['page']}.py, {profiled['elapsed_s']:.2f} s under cProfile"
            for profiled in report["profiles"]
        ]
    return "\n".join(lines) + "\n"


def write_report(report: dict, out: Path) -> None:
    """Write a run's REPORT to OUT/bench.json and its tables to OUT/bench.md."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (out / "bench.md").write_text(markdown(report), encoding="utf-8")


def rewrite_tables(bench_json: Path) -> None:
    """Judge the targets of a run's BENCH_JSON again and rewrite it and the bench.md beside it."""
    report = json.loads(bench_json.read_text(encoding="utf-8"))
    report["targets"] = targets({int(n): figures for n, figures in report["sizes"].items()})
    bench_json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    (bench_json.parent / "bench.md").write_text(markdown(report), encoding="utf-8")
