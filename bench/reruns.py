"""One user alone, each page's rerun: the quick part of bench/capacity.py, rerunnable at idle (1-2 min).

    python3 -m uv run python bench/reruns.py                                   # embedded package
    python3 -m uv run python bench/reruns.py --package /tmp/synth-100k --name reruns-100k
    python3 -m uv run python bench/reruns.py --reruns 5 --out /tmp/reruns      # quicker, not over results

One `streamlit run app.py` (the repository's .streamlit/config.toml), warmed by opening every page
once; then one protocol-level client (devtools/protocol.py, no browser) opens each page and reruns
it RERUNS times: median and max milliseconds from sending the rerun to `script_finished`, the bytes
of the last rerun, errors. The load average is written beside the numbers (the machine is shared).

Twice: back to back (the next request sent the moment `script_finished` arrives, as
bench/capacity.py's per-page table does) and after a pause of PAUSE seconds, as a reader clicks (a
page is drawn before anyone clicks again). Back to back the client delays its acknowledgements, so
a server that leaves Nagle's algorithm on pays ~40 ms per run (see dashboard.sockets): the two
columns differing by that much says the socket setting was lost.
Targets (issue 19): every page ≤ 60 ms with the embedded package, ≤ 250 ms at 100,000 partnerships.
Only 127.0.0.1 is contacted; the server is stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from capacity import per_page, rss_mb, script_of, warm, write_results  # noqa: E402

from deploy.local import free_port, start_streamlit, stop  # noqa: E402

TARGET_MS = {"embedded": 60, "large": 250}


async def measure(package: Path | None, reruns: int, pause: float) -> tuple[float, list[dict], float]:
    port = free_port()
    env = dict(os.environ, PARTNERSHIPS_DATAPACKAGE=str(package)) if package else None
    server = start_streamlit(script_of("project"), port, [], env, start_seconds=300)
    base = f"http://127.0.0.1:{port}"
    try:
        first_open = await warm(base, "project")
        back_to_back = await per_page(base, reruns)
        paused = await per_page(base, reruns, pause)
        rows = [
            dict(row, paused_median_ms=later["median_ms"], paused_max_ms=later["max_ms"])
            for row, later in zip(back_to_back, paused, strict=True)
        ]
        return first_open, rows, rss_mb([server.pid])
    finally:
        stop(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--package", type=Path, help="another package folder (e.g. synthetic, 100,000)")
    parser.add_argument("--reruns", type=int, default=10, help="per page, after the first")
    parser.add_argument("--pause", type=float, default=0.2, help="seconds between reruns, second pass")
    parser.add_argument("--name", default="reruns")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    load_before = [round(x, 2) for x in os.getloadavg()]
    first_open, pages, rss = asyncio.run(measure(args.package, args.reruns, args.pause))
    load_after = [round(x, 2) for x in os.getloadavg()]
    limit = TARGET_MS["large" if args.package else "embedded"]
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    result = {
        "started": started,
        "commit": commit.stdout.strip(),
        "cores": os.cpu_count(),
        "package": str(args.package or "embedded"),
        "load_average_before": load_before,
        "load_average_after": load_after,
        "first_open_s": first_open,
        "server_rss_mb": rss,
        "reruns_per_page": args.reruns,
        "pause_s": args.pause,
        "target_ms": limit,
        "pages": pages,
    }
    text = [
        f"# {args.name}: {started}, commit {result['commit']}, {result['cores']} cores, package {result['package']}",
        f"Load average before {load_before}, after {load_after}; first open of the fresh server {first_open} s;"
        f" {args.reruns} reruns per page after the first; server memory at the end {rss} MB; target ≤ {limit} ms",
        "",
        f"| page | back to back: median ms | max ms | after {args.pause} s: median ms | max ms | KB | errors "
        "| ≤ target (back to back) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in pages:
        met = "met" if r["median_ms"] <= limit and not r["errors"] else "**not met**"
        text.append(
            f"| {r['page']} | {r['median_ms']} | {r['max_ms']} | {r['paused_median_ms']} | {r['paused_max_ms']} "
            f"| {r['kb']} | {r['errors']} | {met} |"
        )
    write_results(args.out, args.name, result, text)


if __name__ == "__main__":
    main()
