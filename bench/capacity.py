"""How many people can click at once: the project against Streamlit's floor, in one run, same settings.

    python3 -m uv run python bench/capacity.py --out bench/results                 # 1, 10, 25, 50 users
    python3 -m uv run python bench/capacity.py --levels 1 10 --seconds 15          # shorter
    python3 -m uv run python bench/capacity.py --replicas 1 2 --targets project    # behind nginx
    python3 -m uv run python bench/capacity.py --soak 10 --targets project         # memory over 10 min

Each simulated user is a protocol-level client (bench/capacity_client.py: Streamlit's websocket
protocol, no browser) that opens the link and then, every 0.5-1.5 s, does what a reader does: on the
project it changes the continent filter, switches page or switches language; on the floor
(bench/capacity_floor.py: a selectbox, a 10-row Altair chart, a dataframe) it changes the selectbox.
Per level of concurrent users: rerun latency p50/p95/p99 (sending the rerun to the server's
`script_finished`), completed reruns per second, errors (timeouts, exceptions drawn, a wrong
figure), the server's CPU (all its processes) and resident memory. Under load every overview drawn
without a filter is checked against the status tiles counted here from the CSVs (not by the
project's code). Everything is bounded in time; only 127.0.0.1 is contacted; servers are stopped.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from deploy.local import Topology, free_port, start_streamlit, stop  # noqa: E402
from devtools.protocol import Run, Session  # noqa: E402

AS_OF = "2026-06-30"
# The overview's four tiles, each a set of statuses (docs/data-contract.md, "status"): counted below
# from datapackage/data/status_history.csv without the project's code.
TILE_STATUSES = (("active",), ("paused", "lapsed"), ("proposed", "in_preparation"), ("declined", "ended"))
PROJECT_PAGES = ("", "partnerschaften", "themen", "status-verlauf", "vergleich", "daten", "barrierefreiheit")
RERUN_TIMEOUT = 60.0
DEFAULTS = (  # Streamlit's own defaults, to compare against the project's .streamlit/config.toml
    ("runner.postScriptGC", "true"),
    ("server.fileWatcherType", "auto"),
    ("server.runOnSave", "false"),
    ("runner.fastReruns", "true"),
)


def expected_tiles(package: Path = ROOT / "datapackage", as_of: str = AS_OF) -> list[str]:
    """The tile numbers as of AS_OF, counted from status_history.csv: each partnership's status is
    that of its last row dated on or before the day (ties: the later row in the file)."""
    latest: dict[str, tuple[str, str]] = {}
    with (package / "data" / "status_history.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            seen = latest.get(row["partnership_id"])
            if row["date"] <= as_of and (seen is None or row["date"] >= seen[0]):
                latest[row["partnership_id"]] = (row["date"], row["status"])
    counts = Counter(status for _, status in latest.values())
    return [str(sum(counts[s] for s in statuses)) for statuses in TILE_STATUSES]


def digits(shown: str) -> str:
    """A tile's number without its thousands separators (58.958, 58,958, 58 958 -> 58958)."""
    return "".join(ch for ch in shown if ch.isdigit())


class Tally:
    """What one level measured."""

    def __init__(self) -> None:
        self.runs: list[Run] = []
        self.opens: list[Run] = []
        self.errors: Counter[str] = Counter()
        self.checked = 0

    def add(self, run: Run, *, opening: bool = False) -> None:
        (self.opens if opening else self.runs).append(run)
        if run.status != "ok":
            self.errors[run.status] += 1
        if run.exceptions:
            self.errors["exception: " + run.exceptions[0][:80]] += 1


class Window:
    """The measured time of a level: it opens when every user has opened the link, for SECONDS."""

    def __init__(self, users: int, seconds: float) -> None:
        self.waiting, self.seconds = users, seconds
        self.opened = asyncio.Event()
        self.start = self.stop_at = 0.0

    async def arrived(self) -> None:
        self.waiting -= 1
        if self.waiting == 0:
            self.start = time.monotonic()
            self.stop_at = self.start + self.seconds
            self.opened.set()
        await self.opened.wait()


async def open_link(base: str, query: str, index: int, tally: Tally, window: Window) -> Session:
    chance = random.Random(-index)
    await asyncio.sleep(chance.uniform(0, 2))  # the link arrives within two seconds
    try:
        session, run = await Session.open(base, query, timeout=RERUN_TIMEOUT)
        tally.add(run, opening=True)
        return session
    finally:
        await window.arrived()


async def project_user(base: str, index: int, window: Window, tally: Tally, expected: list[str]) -> None:
    chance = random.Random(index)
    session = await open_link(base, f"asof={AS_OF}", index, tally, window)
    page, filtered = "", False
    try:
        while time.monotonic() < window.stop_at:
            await asyncio.sleep(chance.uniform(0.5, 1.5))
            if time.monotonic() >= window.stop_at:
                break
            action = chance.choice(("filter", "filter", "page", "page", "language"))
            if action == "filter" and "continent" in session.widgets:
                options = session.widgets["continent"].options
                filtered = not filtered
                session.choose("continent", [chance.choice(options)] if filtered else [])
            elif action == "page":
                page = chance.choice(PROJECT_PAGES)
                session.go_to(page)
            elif action == "language" and "lang" in session.widgets:
                session.choose("lang", chance.choice(session.widgets["lang"].options))
            run = await session.rerun(timeout=RERUN_TIMEOUT)
            tally.add(run)
            continent = session.widgets.get("continent")
            unfiltered = continent is not None and not continent.value and not filtered
            if run.status == "ok" and page == "" and unfiltered:
                tally.checked += 1
                if [digits(value) for _, value in run.metrics] != expected:
                    tally.errors["wrong tiles"] += 1
    finally:
        await session.close()


async def floor_user(base: str, index: int, window: Window, tally: Tally, expected: list[str]) -> None:
    chance = random.Random(index)
    session = await open_link(base, "", index, tally, window)
    try:
        while time.monotonic() < window.stop_at:
            await asyncio.sleep(chance.uniform(0.5, 1.5))
            if time.monotonic() >= window.stop_at:
                break
            if "pick" in session.widgets:
                session.choose("pick", chance.choice(session.widgets["pick"].options))
            tally.add(await session.rerun(timeout=RERUN_TIMEOUT))
    finally:
        await session.close()


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU of PIDS and their children (from /proc)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in _with_children(pids):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks
        except (OSError, IndexError):
            pass
    return total


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in _with_children(pids):
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            pass
    return round(total / 1024, 1)


def _with_children(pids: list[int]) -> list[int]:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            pass
    found, todo = set(pids), list(pids)
    while todo:
        parent = todo.pop()
        for child, of in parents.items():
            if of == parent and child not in found:
                found.add(child)
                todo.append(child)
    return sorted(found)


def percentile(values: list[float], share: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 3)


async def level(target: str, base: str, pids: list[int], users: int, seconds: float, expected: list[str]) -> dict:
    user = project_user if target == "project" else floor_user
    tally, window = Tally(), Window(users, seconds)
    everyone = asyncio.gather(*(user(base, i, window, tally, expected) for i in range(users)), return_exceptions=True)
    await window.opened.wait()
    cpu_before = cpu_seconds(pids)
    await asyncio.sleep(seconds)
    cpu = cpu_seconds(pids) - cpu_before
    outcomes = await everyone
    wall = seconds  # reruns begun in the window count; the last ones finish after it
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            tally.errors[f"client: {type(outcome).__name__}"] += 1
    times = [run.seconds for run in tally.runs if run.status == "ok"]
    return {
        "target": target,
        "users": users,
        "seconds": wall,
        "reruns": len(tally.runs),
        "reruns_per_s": round(len(times) / wall, 2),
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
        "open_p95": percentile([run.seconds for run in tally.opens], 0.95),
        "kb_per_rerun": round(statistics.mean(run.received for run in tally.runs) / 1024, 1) if tally.runs else None,
        "errors": sum(tally.errors.values()),
        "error_kinds": dict(tally.errors),
        "tiles_checked": tally.checked,
        "cpu_percent": round(100 * cpu / wall, 1),
        "rss_mb": rss_mb(pids),
    }


async def warm(base: str, target: str) -> float:
    """The first open of a fresh server (seconds), then every page once."""
    session, run = await Session.open(base, f"asof={AS_OF}" if target == "project" else "", timeout=180)
    if target == "project":
        for page in PROJECT_PAGES[1:]:
            session.go_to(page)
            await session.rerun(timeout=180)
    await session.close()
    return round(run.seconds, 2)


async def per_page(base: str, reruns: int = 10, pause: float = 0.0) -> list[dict]:
    """One user alone: each page's rerun (median, max of RERUNS after the first), and its size.
    PAUSE: seconds between a run's end and the next request (0: back to back, see bench/reruns.py)."""
    session, _ = await Session.open(base, f"asof={AS_OF}", timeout=180)
    rows = []
    try:
        for page in PROJECT_PAGES:
            session.go_to(page)
            await session.rerun(timeout=180)
            runs = []
            for _ in range(reruns):
                await asyncio.sleep(pause)
                runs.append(await session.rerun(timeout=60))
            times = [run.seconds for run in runs]
            rows.append(
                {
                    "page": page or "ueberblick",
                    "median_ms": round(1000 * statistics.median(times), 1),
                    "max_ms": round(1000 * max(times), 1),
                    "kb": round(runs[-1].received / 1024, 1),
                    "errors": sum(run.status != "ok" or bool(run.exceptions) for run in runs),
                }
            )
    finally:
        await session.close()
    return rows


def script_of(target: str) -> Path:
    return ROOT / "app.py" if target == "project" else ROOT / "bench" / "capacity_floor.py"


async def measure(target: str, replicas: int, options: list[str], args) -> list[dict]:
    folder = None if args.package is None else args.package if args.package.is_dir() else args.package.parent
    expected = expected_tiles(folder) if folder else expected_tiles()
    if replicas == 0:  # one server, no proxy
        port = free_port()
        env = dict(os.environ, PARTNERSHIPS_DATAPACKAGE=str(args.package)) if args.package else None
        server = start_streamlit(script_of(target), port, options, env, start_seconds=300)
        topology, base, pids = None, f"http://127.0.0.1:{port}", [server.pid]
    else:
        topology = Topology(script_of(target), replicas, options=options).start()
        server, base, pids = None, topology.base, topology.pids
    try:
        # every replica warmed directly: a cold one hit by many first runs at once can fail them
        # ("partially initialized module", concurrent first imports; seen with 2 replicas)
        bases = [topology.replica_base(i) for i in range(replicas)] if topology else [base]
        first_open = max([await warm(each, target) for each in bases])
        if target == "project" and args.pages:
            args.page_rows += [dict(row, replicas=replicas) for row in await per_page(base)]
        rows = []
        for users in args.levels:
            row = await level(target, base, pids, users, args.seconds, expected)
            row.update(replicas=replicas, first_open_s=first_open)
            print(json.dumps(row), flush=True)
            rows.append(row)
            await asyncio.sleep(2)
        return rows
    finally:
        if topology is not None:
            topology.stop()
        if server is not None:
            stop(server)


async def soak(minutes: float, users: int, options: list[str]) -> dict:
    """USERS clicking on the project for MINUTES; resident memory every 30 s."""
    port = free_port()
    server = start_streamlit(script_of("project"), port, options)
    base, samples = f"http://127.0.0.1:{port}", []
    try:
        await warm(base, "project")
        tally, window = Tally(), Window(users, minutes * 60)
        users_done = asyncio.gather(
            *(project_user(base, i, window, tally, expected_tiles()) for i in range(users)), return_exceptions=True
        )
        await window.opened.wait()
        while time.monotonic() < window.stop_at:
            await asyncio.sleep(30)
            samples.append(rss_mb([server.pid]))
        await users_done
        settled = samples[1] if len(samples) > 2 else samples[0]  # after the first minute's caches filled
        return {
            "minutes": minutes,
            "users": users,
            "rss_samples_mb": samples,
            "rss_growth_percent": round(100 * (samples[-1] - settled) / settled, 1),
            "reruns": len(tally.runs),
            "errors": dict(tally.errors),
        }
    finally:
        stop(server)


def table(rows: list[dict]) -> str:
    lines = [
        "| target | replicas | users | p50 s | p95 s | p99 s | reruns/s | errors | tiles checked | CPU % | RSS MB "
        "| KB/rerun |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['target']} | {r['replicas'] or 'direct'} | {r['users']} | {r['p50']} | {r['p95']} | {r['p99']} "
            f"| {r['reruns_per_s']} | {r['errors']} | {r['tiles_checked']} | {r['cpu_percent']} | {r['rss_mb']} "
            f"| {r['kb_per_rerun']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 25, 50])
    parser.add_argument("--seconds", type=float, default=20, help="per level")
    parser.add_argument("--targets", nargs="+", default=["project", "floor"], choices=["project", "floor"])
    parser.add_argument("--replicas", type=int, nargs="+", default=[0], help="0: one server, no proxy")
    parser.add_argument("--defaults", action="store_true", help="Streamlit's defaults instead of config.toml")
    parser.add_argument("--set", nargs="*", default=[], help="extra options, e.g. runner.fastReruns=false")
    parser.add_argument("--soak", type=float, default=0, help="minutes of a soak at --soak-users (project)")
    parser.add_argument("--soak-users", type=int, default=25)
    parser.add_argument("--pages", action="store_true", help="also each page's single-user rerun")
    parser.add_argument("--package", type=Path, help="another package (e.g. synthetic, 100,000 partnerships)")
    parser.add_argument("--name", default="capacity")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()
    args.page_rows = []
    options = [f"--{k}={v}" for k, v in DEFAULTS] if args.defaults else []
    options += [f"--{item}" for item in args.set]
    load_before = os.getloadavg()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    result: dict = {
        "started": started,
        "load_average_before": [round(x, 2) for x in load_before],
        "cores": os.cpu_count(),
        "settings": "streamlit defaults" if args.defaults else ".streamlit/config.toml",
        "options": options,
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip(),
        "as_of": AS_OF,
        "package": str(args.package or "embedded"),
        "expected_tiles": expected_tiles(args.package if args.package and args.package.is_dir() else None)
        if args.package
        else expected_tiles(),
    }
    if args.soak:
        result["soak"] = asyncio.run(soak(args.soak, args.soak_users, options))
    else:
        rows = []
        for replicas in args.replicas:
            for target in args.targets:
                rows += asyncio.run(measure(target, replicas, options, args))
        result["rows"] = rows
        result["pages"] = args.page_rows
    result["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    text = [
        f"# {args.name}: {started}, commit {result['commit']}, {result['cores']} cores",
        f"Load average before {result['load_average_before']}, after {result['load_average_after']}; "
        f"settings: {result['settings']} {' '.join(options)}",
        "",
    ]
    text.append(table(result["rows"]) if "rows" in result else json.dumps(result["soak"], indent=1))
    if result.get("pages"):
        text += ["", "One user alone, each page (10 reruns after the first):", ""]
        text += ["| page | median ms | max ms | KB | errors |", "|---|---|---|---|---|"]
        for r in result["pages"]:
            text.append(f"| {r['page']} | {r['median_ms']} | {r['max_ms']} | {r['kb']} | {r['errors']} |")
    write_results(args.out, args.name, result, text)


def write_results(out: Path, name: str, result: dict, lines: list[str]) -> None:
    """RESULT as OUT/NAME.json and LINES as OUT/NAME.md (and on the terminal)."""
    out.mkdir(parents=True, exist_ok=True)
    (out / f"{name}.json").write_text(json.dumps(result, indent=1) + "\n")
    (out / f"{name}.md").write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
