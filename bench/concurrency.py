"""No user stalls another, nothing a user sends stays: figures from a real `streamlit run`.

    python3 -m uv run python bench/concurrency.py --out bench/results

Against one server on the embedded package, driven by headless Chromium on 127.0.0.1:
1. another session's rerun (a language switch on the overview) while no one uploads, and while
   a session's upload of a 100,000-partnership package validates (median of the reruns);
2. server memory and upload folders over 50 upload→back cycles of a 10,000 package in one session;
3. server memory and upload folders over 50 sessions that upload the 10,000 package and close
   their tab, before and after Streamlit forgets them (`server.disconnectedSessionTTL`, set short
   here so that the benchmark need not wait two minutes).
Every wait has a time limit; the server is stopped at the end.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from load import rss_mb

from analysis.package import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # devtools/, shared with the browser tests
from devtools.browser import StreamlitServer, chromium_options  # noqa: E402

TIMEOUT_MS = int(os.environ.get("BENCH_TIMEOUT_MS", "180000"))
TTL_SECONDS = 5


def synth(partnerships: int, out: Path, seed: int = 1) -> Path:
    if not (out / "datapackage.json").is_file():
        subprocess.run(
            [sys.executable, "-m", "console.main", "synth", "--partnerships", str(partnerships), "--seed", str(seed)]
            + ["--out", str(out)],
            check=True,
            capture_output=True,
        )
    archive = out.with_suffix(".zip")
    if not archive.is_file():
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zipped:
            for file in sorted(out.rglob("*")):
                if file.is_file():
                    zipped.write(file, file.relative_to(out).as_posix())
        archive.write_bytes(buffer.getvalue())
    return archive


def settled(page, title: str | None = None) -> None:
    """The app has drawn (with TITLE as its heading) and stopped running."""
    if title:
        page.wait_for_function(
            "t => { const h = document.querySelector('[data-testid=\"stAppViewContainer\"] h1');"
            " return h && h.textContent.startsWith(t); }",
            arg=title,
            timeout=TIMEOUT_MS,
        )
    else:
        page.wait_for_selector('[data-testid="stAppViewContainer"] h1', timeout=TIMEOUT_MS)
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", polling=20, timeout=TIMEOUT_MS
    )


def rerun(page, to_english: bool) -> float:
    """Seconds for a language switch on the overview to be drawn."""
    started = time.perf_counter()
    page.locator(".st-key-lang label").filter(has_text="English" if to_english else "Deutsch").click()
    settled(page, "Overview" if to_english else "Überblick")
    return time.perf_counter() - started


def folders(uploads_parent: Path) -> int:
    return sum(1 for root in uploads_parent.glob("partnerschaftsatlas-uploads-*") for _ in root.iterdir())


def upload(page, archive: Path) -> None:
    """Choose ARCHIVE in the file uploader, removing the file chosen before (as a user would)."""
    remove = page.locator('[data-testid="stFileChipDeleteBtn"]')
    if remove.count():
        remove.first.click()
        page.wait_for_function(
            "() => !document.querySelector('[data-testid=\"stFileChipDeleteBtn\"]')", timeout=TIMEOUT_MS
        )
        time.sleep(0.5)  # the rerun that the removal causes has begun
        settled(page)
    page.locator('input[type="file"]').set_input_files(str(archive))


def wait_own(page, own: bool) -> None:
    try:
        page.wait_for_function(
            "own => own === !!document.querySelector('.st-key-back_to_embedded_top')", arg=own, timeout=TIMEOUT_MS
        )
        settled(page)
    except Exception:
        page.screenshot(path=str(Path(tempfile.gettempdir()) / "concurrency-failed.png"), full_page=True)
        raise


def say(text: str) -> None:
    print(f"{time.strftime('%H:%M:%S')} {text}", file=sys.stderr, flush=True)


def measure(base: str, pid: int, large: Path, mediums: list[Path], tmp: Path, cycles: int, sessions: int) -> dict:
    from playwright.sync_api import sync_playwright

    result: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(**chromium_options())
        viewer = browser.new_page(viewport={"width": 1300, "height": 900})
        viewer.goto(f"{base}/?asof=2026-11-21", timeout=TIMEOUT_MS)
        settled(viewer, "Überblick")

        say("reruns, idle and during a large upload")
        idle = [rerun(viewer, i % 2 == 0) for i in range(8)]
        uploader = browser.new_page(viewport={"width": 1300, "height": 900})
        uploader.goto(f"{base}/daten?asof=2026-11-21", timeout=TIMEOUT_MS)
        settled(uploader)
        started = time.perf_counter()
        upload(uploader, large)
        during, index = [], 0
        deadline = time.monotonic() + TIMEOUT_MS / 1000
        while not uploader.locator(".st-key-back_to_embedded").count():
            if uploader.locator('[data-testid="stAlertContentError"]').count() or time.monotonic() > deadline:
                raise RuntimeError("the large upload was not accepted")
            during.append(rerun(viewer, index % 2 == 0))
            index += 1
        validated = time.perf_counter() - started
        result["rerun"] = {
            "idle_s": [round(s, 3) for s in idle],
            "during_upload_s": [round(s, 3) for s in during],
            "idle_median_s": round(statistics.median(idle), 3),
            "during_upload_median_s": round(statistics.median(during), 3) if during else None,
            "upload_to_valid_s": round(validated, 2),
        }
        uploader.locator(".st-key-back_to_embedded button").click()
        wait_own(uploader, False)
        uploader.close()

        say("upload -> back cycles")
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        page.goto(f"{base}/daten?asof=2026-11-21", timeout=TIMEOUT_MS)
        settled(page)
        memory = []
        for cycle in range(cycles):
            upload(page, mediums[cycle % 2])  # two packages in turn: a browser sends a file only when it changes
            wait_own(page, True)
            page.locator(".st-key-back_to_embedded_top button").click()
            wait_own(page, False)
            memory.append(rss_mb(pid))
        result["cycles"] = {
            "cycles": cycles,
            "rss_mb_after_first": round(memory[0], 1),
            "rss_mb_after_last": round(memory[-1], 1),
            "growth_mb_after_first": round(memory[-1] - memory[0], 1),
            "folders_left": folders(tmp),
        }
        page.close()

        say("sessions that upload and close")
        memory = []
        for session in range(sessions):
            context = browser.new_context(viewport={"width": 1300, "height": 900})
            page = context.new_page()
            page.goto(f"{base}/daten?asof=2026-11-21", timeout=TIMEOUT_MS)
            settled(page)
            upload(page, mediums[session % 2])
            wait_own(page, True)
            context.close()
            memory.append(rss_mb(pid))
        held = folders(tmp)
        time.sleep(TTL_SECONDS + 2)
        # Streamlit forgets expired sessions when its session store is next used: one more visit
        later = browser.new_page()
        later.goto(f"{base}/?asof=2026-11-21", timeout=TIMEOUT_MS)
        settled(later)
        deadline = time.monotonic() + 60
        while folders(tmp) and time.monotonic() < deadline:
            later.reload()
            settled(later)
            time.sleep(1)
        result["sessions"] = {
            "sessions": sessions,
            "rss_mb_after_first": round(memory[0], 1),
            "rss_mb_after_last": round(memory[-1], 1),
            "folders_while_sessions_may_reconnect": held,
            "folders_after_ttl": folders(tmp),
            "rss_mb_after_ttl": round(rss_mb(pid), 1),
            "growth_mb_after_first_and_ttl": round(rss_mb(pid) - memory[0], 1),
        }
        browser.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large", type=int, default=100_000, help="partnerships in the upload during reruns")
    parser.add_argument("--medium", type=int, default=10_000, help="partnerships in the cycled uploads")
    parser.add_argument("--cycles", type=int, default=50)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "partnerschaftsatlas-concurrency")
    parser.add_argument("--out", type=Path, default=None, help="folder for concurrency.json and .md")
    args = parser.parse_args()

    args.work.mkdir(parents=True, exist_ok=True)
    large = synth(args.large, args.work / f"synth-{args.large}")
    mediums = [synth(args.medium, args.work / f"synth-{args.medium}-seed-{seed}", seed) for seed in (1, 2)]
    medium = mediums[0]
    server_tmp = Path(tempfile.mkdtemp(prefix="server-tmp-", dir=args.work))
    env = {k: v for k, v in os.environ.items() if k != ENV_VAR}  # the embedded package
    env["TMPDIR"] = str(server_tmp)  # the server's upload folders land here, to be counted
    with StreamlitServer(env=env, options=("--server.disconnectedSessionTTL", str(TTL_SECONDS))) as server:
        result = measure(server.base, server.pid, large, mediums, server_tmp, args.cycles, args.sessions)
    rerun_ratio = (
        result["rerun"]["during_upload_median_s"] / result["rerun"]["idle_median_s"]
        if result["rerun"]["during_upload_median_s"]
        else None
    )
    result |= {
        "large_partnerships": args.large,
        "large_zip_mb": round(large.stat().st_size / 1e6, 1),
        "medium_partnerships": args.medium,
        "medium_zip_mb": round(medium.stat().st_size / 1e6, 1),
        "rerun_ratio": round(rerun_ratio, 2) if rerun_ratio else None,
        "load_average": os.getloadavg(),
    }
    cycles, sessions, rerun_figures = result["cycles"], result["sessions"], result["rerun"]
    rows = [
        ("another session's rerun, idle (median s)", rerun_figures["idle_median_s"], ""),
        (
            f"the same while a {args.large:,} upload ({result['large_zip_mb']} MB) validates (median s, "
            f"{len(rerun_figures['during_upload_s'])} reruns)",
            rerun_figures["during_upload_median_s"],
            f"{result['rerun_ratio']} × idle (target ≤ 2 ×)",
        ),
        ("that upload, from sending to in use (s)", rerun_figures["upload_to_valid_s"], ""),
        (
            f"server memory growth over {cycles['cycles']} upload→back cycles of {args.medium:,}, after the first (MB)",
            cycles["growth_mb_after_first"],
            "target < 50 MB",
        ),
        ("upload folders left after those cycles", cycles["folders_left"], "target 0"),
        (
            f"upload folders while {sessions['sessions']} closed sessions may still reconnect",
            sessions["folders_while_sessions_may_reconnect"],
            "",
        ),
        (f"upload folders once Streamlit forgot them (TTL {TTL_SECONDS} s)", sessions["folders_after_ttl"], "target 0"),
        (
            f"server memory growth over {sessions['sessions']} sessions that upload and close, after the first "
            "and once forgotten (MB)",
            sessions["growth_mb_after_first_and_ttl"],
            "target < 50 MB",
        ),
    ]
    table = "| figure | measured | note |\n|---|---:|---|\n" + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    header = (
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} · {os.cpu_count()} CPUs · "
        f"load average at the end {result['load_average'][0]:.1f}\n\n"
    )
    print(header + table)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "concurrency.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        (args.out / "concurrency.md").write_text(header + table + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
