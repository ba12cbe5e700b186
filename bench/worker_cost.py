"""What the worker costs: an upload validated through the sandbox's worker process against the same
upload validated in the server's process.

    nice -n 10 uv run python bench/worker_cost.py [--partnerships 100000] [--repeats 7]

For the embedded package and a synthetic one of PARTNERSHIPS, each zipped as a visitor would send
it: in process = unpack into a temporary folder and `load_package` (what the dashboard did before);
worker = `analysis.uploaded.uploaded_package` (unpacked, validated and handed back as Arrow IPC by a
fresh worker with limits, started and warmed ahead of time). And the embedded package as a
workbook, read and checked as `partnerships import` does it: in process = `checked_workbook`,
worker = `analysis.uploaded.checked_workbook_in_worker` (a fresh worker, not warmed ahead). Both
warm (the forkserver started, the readers imported once); REPEATS pairs (in process, then through
the worker), PAUSE_SECONDS apart: the medians of each and of the pairs' differences. Writes
bench/results/worker_cost.json and worker_cost.md.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from analysis.keeping.workbook import write_workbook
from analysis.keeping.workbook_reading import checked_workbook
from analysis.package import EMBEDDED_DESCRIPTOR, load_package
from analysis.package.upload import unpack_package_zip
from analysis.synth.package import write_synthetic_package
from analysis.uploaded import checked_workbook_in_worker, uploaded_package

RESULTS = Path(__file__).resolve().parent / "results"
TARGET_SECONDS = 0.3
PAUSE_SECONDS = 3  # between two uploads (as visitors send them): the spare worker is warm by then


def zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in sorted(folder.rglob("*")):
            if file.is_file():
                archive.write(file, file.relative_to(folder).as_posix())
    return buffer.getvalue()


def in_process(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        load_package(unpack_package_zip(data, Path(folder)))


def through_worker(data: bytes) -> None:
    uploaded_package(data, "upload.zip")


def workbook_in_process(data: bytes) -> None:
    checked_workbook(data)


def workbook_through_worker(data: bytes) -> None:
    checked_workbook_in_worker(data, "book.xlsx")


def seconds(work, data: bytes) -> float:
    time.sleep(PAUSE_SECONDS)
    started = time.perf_counter()
    work(data)
    return time.perf_counter() - started


def paired(inside_work, worker_work, data: bytes, repeats: int) -> tuple[float, float, list[float]]:
    """The median in process and through the worker, and what the worker added in each of
    REPEATS pairs run one after the other (a slow minute on a shared machine slows both of a pair)."""
    inside, worker = [], []
    for _ in range(repeats):
        inside.append(seconds(inside_work, data))
        worker.append(seconds(worker_work, data))
    added = [w - i for i, w in zip(inside, worker, strict=True)]
    return statistics.median(inside), statistics.median(worker), added


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--partnerships", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    load_before = round(os.getloadavg()[0], 1)
    with tempfile.TemporaryDirectory() as folder:
        synthetic = write_synthetic_package(Path(folder) / "synthetic", args.partnerships).parent
        uploads = {
            "embedded package": zipped(EMBEDDED_DESCRIPTOR.parent),
            f"{args.partnerships:,} synthetic partnerships": zipped(synthetic),
        }
        book = write_workbook(load_package(), Path(folder) / "book.xlsx").read_bytes()
    through_worker(uploads["embedded package"])  # warm: the forkserver and its imports
    in_process(uploads["embedded package"])
    rows = []
    works = [(name, data, in_process, through_worker) for name, data in uploads.items()]
    works.append(("embedded package as a workbook (import)", book, workbook_in_process, workbook_through_worker))
    for name, data, inside_work, worker_work in works:
        inside, worker, each_added = paired(inside_work, worker_work, data, args.repeats)
        added = statistics.median(each_added)
        rows.append(
            {
                "upload": name,
                "zip_bytes": len(data),
                "in_process_s": round(inside, 3),
                "worker_s": round(worker, 3),
                "added_s": round(added, 3),
                "added_each_s": [round(seconds, 3) for seconds in each_added],
                "met": added <= TARGET_SECONDS,
            }
        )
        print(rows[-1], flush=True)
    run = {
        "when": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "load_average_before": load_before,
        "load_average": round(os.getloadavg()[0], 1),
        "repeats": args.repeats,
        "target_added_s": TARGET_SECONDS,
        "rows": rows,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "worker_cost.json").write_text(json.dumps(run, indent=2) + "\n", encoding="utf-8")
    lines = [
        "# An upload validated in a worker process, against in process",
        "",
        f"{run['when']} · {run['cpus']} CPUs · load average {run['load_average_before']} before, "
        f"{run['load_average']} after · medians of {args.repeats} pairs (added: the median of the pairs' differences)",
        "",
        "| upload | zip | in process (s) | worker (s) | added (s) | added, fewest–most (s) | target ≤ 0.3 s |",
        "|---|---:|---:|---:|---:|---:|---|",
        *(
            f"| {r['upload']} | {r['zip_bytes'] / 2**20:.1f} MB | {r['in_process_s']:.3f} | {r['worker_s']:.3f} "
            f"| {r['added_s']:+.3f} | {min(r['added_each_s']):+.3f} – {max(r['added_each_s']):+.3f} "
            f"| {'met' if r['met'] else 'not met'} |"
            for r in rows
        ),
        "",
        "The worker adds: a fresh process from the warm forkserver (some tens of milliseconds), the first",
        "Polars work in that process, and the frames' way back as LZ4-compressed Arrow IPC.",
        "",
    ]
    (RESULTS / "worker_cost.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main()
