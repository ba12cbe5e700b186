"""A fresh server opens every page once before it takes visitors: the first open of a page pays
for imports, the package's validation and the first charts (4-5 s on a fresh server, issue 19);
after this, the first visitor's is as fast as any other's.

    python deploy/warm.py http://127.0.0.1:8501            # warm, then exit
    python deploy/warm.py --check http://127.0.0.1:8501    # the container's health check: warms
                                                           # once, then asks /_stcore/health

Speaks Streamlit's websocket protocol (devtools/protocol.py); localhost only.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from devtools.protocol import Session  # noqa: E402

WARMED = Path(tempfile.gettempdir()) / "partnerschaftsatlas-warmed"


async def warm(base: str, timeout: float = 180) -> list[str]:
    """Open the link, then every page of the navigation once, in both languages; answers problems."""
    problems = []
    for lang in ("de", "en"):
        session, run = await Session.open(base, f"lang={lang}", timeout=timeout)
        try:
            for page in ["", *(path for path in session.pages if path)]:
                session.go_to(page)
                run = await session.rerun(timeout=timeout)
                if run.status != "ok" or run.exceptions:
                    problems.append(f"{page or '/'} ({lang}): {run.status} {run.exceptions[:1]}")
        finally:
            await session.close()
    return problems


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=3) as answer:
            return answer.read() == b"ok"
    except OSError:
        return False


def main() -> int:
    parser = argparse.ArgumentParser(description="open every page of a fresh server once")
    parser.add_argument("base", nargs="?", default="http://127.0.0.1:8501")
    parser.add_argument("--check", action="store_true", help="health check: warm once, then ask /_stcore/health")
    args = parser.parse_args()
    if not healthy(args.base):
        return 1
    if args.check and WARMED.exists():
        return 0
    problems = asyncio.run(warm(args.base))
    for problem in problems:
        print(problem, file=sys.stderr)
    if args.check:
        WARMED.touch()
    return 1 if problems and not args.check else 0


if __name__ == "__main__":
    sys.exit(main())
