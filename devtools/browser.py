"""A real browser against a real server, as the browser tests and the benchmarks drive them:
Debian's headless Chromium with the flags it needs here, and `streamlit run app.py` on a free
localhost port, healthy before it is used and stopped at the end.

Imported by tests/test_e2e_*.py and bench/*.py alike (a top-level package beside both: neither
depends on the other, and none of it ships with the app in src/)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from analysis.package import ENV_VAR

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_options(timeout_ms: float = 60_000) -> dict:
    """Keyword arguments for playwright's `chromium.launch(...)`, sync or async."""
    return {"executable_path": CHROMIUM, "args": CHROMIUM_ARGS, "timeout": timeout_ms}


def free_port() -> int:
    """A localhost port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class StreamlitServer:
    """`streamlit run app.py` on a free localhost port, answering its health check once made;
    PACKAGE (a datapackage.json) instead of the embedded data, ENV instead of this process's
    environment, OPTIONS appended to the command line (e.g. "--server.disconnectedSessionTTL", "5"),
    LAUNCHER (a Python file that ends by running `python -m streamlit` itself) instead of
    `python -m streamlit`, for a test that changes one function of the app before it starts."""

    def __init__(
        self,
        package: Path | None = None,
        *,
        env: dict[str, str] | None = None,
        options: tuple[str, ...] = (),
        start_seconds: float = 60,
        launcher: Path | None = None,
    ) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = dict(os.environ if env is None else env)
        if package is not None:
            env[ENV_VAR] = str(package)
        self.log = tempfile.TemporaryFile()
        streamlit = [str(launcher)] if launcher is not None else ["-m", "streamlit"]
        command = [sys.executable, *streamlit, "run", str(ROOT / "app.py")]
        command += ["--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true"]
        self.process = subprocess.Popen(
            [*command, *options], cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + start_seconds
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as answer:
                    if answer.read() == b"ok":
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        self.log.seek(0)
        tail = self.log.read().decode(errors="replace")[-2000:]
        raise TimeoutError(f"streamlit did not start within {start_seconds:.0f} s:\n{tail}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        self.log.close()

    def __enter__(self) -> StreamlitServer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
