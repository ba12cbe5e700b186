"""One client cannot freeze the others: a burst of rerun requests from one websocket (issue 18, point 5).

    python3 -m uv run python bench/capacity_burst.py --out bench/results            # the project's settings
    python3 -m uv run python bench/capacity_burst.py --set runner.fastReruns=false  # a lever, measured

Against one `streamlit run app.py` on 127.0.0.1: a bystander session reruns the overview every
0.3 s and /_stcore/health is asked every 0.1 s, first while nothing else happens (idle), then
while a hostile session sends 1,000 `rerun_script` messages within one second over its websocket,
and for a few seconds after. Answers the slowest health check and the bystander's reruns during
and after the burst against idle. Bounded in time; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from deploy.local import free_port, start_streamlit, stop  # noqa: E402
from devtools.protocol import Session  # noqa: E402

AS_OF = "2026-06-30"


def health_seconds(base: str, timeout: float = 10) -> float:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=timeout) as answer:
            answer.read()
    except OSError:
        return timeout
    return time.perf_counter() - started


async def probe_health(base: str, until: float, found: list[float]) -> None:
    while time.monotonic() < until:
        found.append(await asyncio.to_thread(health_seconds, base))
        await asyncio.sleep(0.1)


async def bystander(session: Session, until: float, found: list[float], failures: list[str]) -> None:
    while time.monotonic() < until:
        run = await session.rerun(timeout=30)
        if run.status != "ok" or run.exceptions:
            failures.append(run.status)
        else:
            found.append(run.seconds)
        await asyncio.sleep(0.3)


async def flood(base: str, requests: int, seconds: float) -> int:
    """REQUESTS reruns sent evenly within SECONDS over one websocket (answers are read and dropped)."""
    hostile, _ = await Session.open(base, f"asof={AS_OF}", timeout=120)
    drain = asyncio.create_task(_drain(hostile))
    message = hostile.message().SerializeToString()
    started, sent = time.monotonic(), 0
    try:
        for index in range(requests):
            await asyncio.sleep(max(0.0, started + index * seconds / requests - time.monotonic()))
            await hostile.socket.send(message)
            sent += 1
    except Exception:  # the server may close a flooding socket: that is allowed
        pass
    await asyncio.sleep(0.5)
    drain.cancel()
    await hostile.close()
    return sent


async def _drain(session: Session) -> None:
    try:
        async for _ in session.socket:
            pass
    except Exception:
        pass


async def measure(base: str, requests: int = 1000, seconds: float = 1.0, after: float = 5.0) -> dict:
    """Idle, then the burst: health and a bystander's reruns, in seconds."""
    session, _ = await Session.open(base, f"asof={AS_OF}", timeout=120)
    try:
        for _ in range(3):  # caches warm
            await session.rerun(timeout=60)
        idle_runs, idle_health, failures = [], [], []
        until = time.monotonic() + 4
        await asyncio.gather(bystander(session, until, idle_runs, failures), probe_health(base, until, idle_health))
        burst_runs, burst_health = [], []
        until = time.monotonic() + seconds + after
        sent, *_ = await asyncio.gather(
            flood(base, requests, seconds),
            bystander(session, until, burst_runs, failures),
            probe_health(base, until, burst_health),
        )
    finally:
        await session.close()
    idle = statistics.median(idle_runs)
    return {
        "requests_sent": sent,
        "within_seconds": seconds,
        "idle_rerun_median_s": round(idle, 3),
        "burst_rerun_median_s": round(statistics.median(burst_runs), 3) if burst_runs else None,
        "burst_rerun_max_s": round(max(burst_runs), 3) if burst_runs else None,
        "burst_rerun_median_vs_idle": round(statistics.median(burst_runs) / idle, 2) if burst_runs else None,
        "idle_health_max_s": round(max(idle_health), 3),
        "burst_health_max_s": round(max(burst_health), 3),
        "health_checks": len(burst_health),
        "bystander_failures": failures,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--set", nargs="*", default=[], help="Streamlit options, e.g. runner.fastReruns=false")
    parser.add_argument("--name", default="capacity-burst")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    port = free_port()
    server = start_streamlit(ROOT / "app.py", port, [f"--{item}" for item in args.set])
    try:
        result = asyncio.run(measure(f"http://127.0.0.1:{port}", args.requests))
    finally:
        stop(server)
    result.update(options=args.set, load_average=[round(x, 2) for x in os.getloadavg()])
    print(json.dumps(result, indent=1))
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{args.name}.json").write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
