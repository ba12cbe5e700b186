"""Many users at once: N concurrent browser sessions (headless Chromium on localhost) against one
`streamlit run` on a synthetic package; errors, times and the server's memory per session.

    python3 -m uv run python bench/load.py --sessions 10 --partnerships 10000 --out bench/results

Bounded in count and time: N sessions, each loads the overview, changes one filter and opens
two more pages; every wait has a time limit; the server is stopped at the end. Only
127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # devtools/, shared with the browser tests
from devtools.browser import StreamlitServer, chromium_options  # noqa: E402

PAGE_TIMEOUT_MS = 90_000


def rss_mb(pid: int) -> float:
    """Resident memory of the server process, in MB (from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def settled(page) -> None:
    """Wait until the app has drawn and stopped running."""
    await page.wait_for_selector('[data-testid="stAppViewContainer"] h1', timeout=PAGE_TIMEOUT_MS)
    await page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=PAGE_TIMEOUT_MS
    )


async def one_session(browser, base: str, index: int, errors: list[str]) -> float:
    """Overview, a filter change, two more pages; answers seconds taken."""
    started = time.monotonic()
    context = await browser.new_context(viewport={"width": 1300, "height": 900})
    context.set_default_timeout(PAGE_TIMEOUT_MS)
    page = await context.new_page()
    foreign = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((base, "data:", "blob:")) else None)
    try:
        await page.goto(f"{base}/?asof=2026-11-21", timeout=PAGE_TIMEOUT_MS)
        await settled(page)
        search = page.locator(".st-key-q input")
        await search.fill(f"{index % 7}")
        await search.press("Enter")
        await page.wait_for_timeout(500)
        await settled(page)
        for path in ("partnerschaften", "status-verlauf"):
            await page.goto(f"{base}/{path}", timeout=PAGE_TIMEOUT_MS)
            await settled(page)
        shown = await page.locator('[data-testid="stException"], [data-testid="stAlertContentError"]').count()
        if shown:
            errors.append(f"session {index}: {shown} error element(s)")
        if foreign:
            errors.append(f"session {index}: requests off localhost: {foreign[:3]}")
    except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the others
        errors.append(f"session {index}: {type(error).__name__}: {error}")
    finally:
        await context.close()
    return time.monotonic() - started


async def drive(base: str, sessions: int, pid: int) -> dict:
    from playwright.async_api import async_playwright

    errors: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(**chromium_options())
        idle = rss_mb(pid)
        first = await one_session(browser, base, 0, errors)
        after_one = rss_mb(pid)
        times = await asyncio.gather(*(one_session(browser, base, i, errors) for i in range(1, sessions + 1)))
        after_all = rss_mb(pid)
        await browser.close()
    return {
        "sessions": sessions,
        "errors": errors,
        "first_session_s": round(first, 2),
        "concurrent_session_s_median": round(sorted(times)[len(times) // 2], 2),
        "concurrent_session_s_max": round(max(times), 2),
        "server_rss_mb_idle": round(idle, 1),
        "server_rss_mb_after_first_session": round(after_one, 1),
        "server_rss_mb_after_all_sessions": round(after_all, 1),
        "server_rss_mb_per_extra_session": round((after_all - after_one) / sessions, 1),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=10)
    parser.add_argument("--partnerships", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="partnerschaftsatlas-load-"))
    package = work / "package"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "console.main",
            "synth",
            "--partnerships",
            str(args.partnerships),
            "--seed",
            str(args.seed),
            "--out",
            str(package),
        ],
        check=True,
        capture_output=True,
    )
    package_bytes = sum(f.stat().st_size for f in package.rglob("*.csv"))
    with StreamlitServer(package) as server:
        result = asyncio.run(asyncio.wait_for(drive(server.base, args.sessions, server.pid), 900))
    result |= {"partnerships": args.partnerships, "package_csv_mb": round(package_bytes / 2**20, 1)}
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "load.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    rows = [
        ("concurrent browser sessions", result["sessions"]),
        ("partnerships in the package", f"{args.partnerships:,}"),
        ("package CSV size (MB)", result["package_csv_mb"]),
        ("errors", len(result["errors"])),
        ("first session, s", result["first_session_s"]),
        ("concurrent sessions, median s", result["concurrent_session_s_median"]),
        ("concurrent sessions, slowest s", result["concurrent_session_s_max"]),
        ("server memory idle, MB", result["server_rss_mb_idle"]),
        ("server memory after the first session, MB", result["server_rss_mb_after_first_session"]),
        ("server memory after all sessions, MB", result["server_rss_mb_after_all_sessions"]),
        ("growth per extra session, MB", result["server_rss_mb_per_extra_session"]),
    ]
    table = "| figure | value |\n|---|---|\n" + "\n".join(f"| {k} | {v} |" for k, v in rows) + "\n"
    (args.out / "load.md").write_text(table, encoding="utf-8")
    print(table)
    for error in result["errors"]:
        print("ERROR", error)
    return 1 if result["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
