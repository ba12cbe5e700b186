"""The deploy/ topology without containers, on this machine: N Streamlit replicas on localhost ports
behind Debian's nginx with the same configuration as the containers (deploy/nginx/atlas.conf), all
reading one package folder.

    python3 -m uv run python deploy/local.py --replicas 2 --port 8080 [--package DIR/datapackage.json]

Runs until Ctrl-C (or SIGTERM), then stops nginx and the replicas. Imported by the scale-out test
and bench/capacity.py (Topology). Listens on 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NGINX_DIR = Path(__file__).resolve().parent / "nginx"
PACKAGE_VARIABLE = "PARTNERSHIPS_DATAPACKAGE"  # analysis.package.ENV_VAR


def free_port() -> int:
    """A localhost port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(base: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/_stcore/health", timeout=timeout) as answer:
            return answer.read() == b"ok"
    except OSError:
        return False


def wait_healthy(base: str, process: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            break
        if healthy(base):
            return
        time.sleep(0.3)
    stop(process)
    raise TimeoutError(f"{base} not healthy within {seconds:.0f} s:\n{log.read_text(errors='replace')[-2000:]}")


def start_streamlit(
    script: Path,
    port: int,
    options: list[str] | tuple[str, ...] = (),
    env: dict[str, str] | None = None,
    start_seconds: float = 120,
    log: Path | None = None,
) -> subprocess.Popen:
    """`streamlit run SCRIPT` on 127.0.0.1:PORT (the repository's .streamlit/config.toml applies),
    answering its health check."""
    log = log or Path(tempfile.mkstemp(prefix=f"streamlit-{port}-", suffix=".log")[1])
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.address", "127.0.0.1", "--server.headless", "true", *options]
    with log.open("ab") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=dict(os.environ if env is None else env), stdout=out, stderr=subprocess.STDOUT
        )
    process.log = log  # type: ignore[attr-defined]
    wait_healthy(f"http://127.0.0.1:{port}", process, start_seconds, log)
    return process


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


class Topology:
    """REPLICAS × `streamlit run SCRIPT` behind nginx on 127.0.0.1:PORT (a free one by default).
    PACKAGE: the shared package's datapackage.json (else the embedded one); ENV: extra variables."""

    def __init__(
        self,
        script: Path = ROOT / "app.py",
        replicas: int = 2,
        *,
        port: int | None = None,
        package: Path | None = None,
        options: list[str] | tuple[str, ...] = (),
        env: dict[str, str] | None = None,
    ) -> None:
        self.script, self.replicas, self.options = script, replicas, list(options)
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ, **(env or {}))
        if package is not None:
            self.env[PACKAGE_VARIABLE] = str(package)
        # One secret for all replicas: the XSRF cookie one replica sets is accepted by the others
        # (after a failover too).
        self.env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(32))
        self.folder = Path(tempfile.mkdtemp(prefix="atlas-topology-"))
        self.folder.chmod(0o755)  # nginx's workers (user nobody) keep their temporary files here
        self.servers: list[subprocess.Popen] = []
        self.replica_ports: list[int] = []
        self.nginx: subprocess.Popen | None = None

    @property
    def pids(self) -> list[int]:
        return [server.pid for server in self.servers] + ([self.nginx.pid] if self.nginx else [])

    def start(self) -> Topology:
        try:
            for _ in range(self.replicas):
                port = free_port()
                self.replica_ports.append(port)
                log = self.folder / f"replica-{port}.log"
                self.servers.append(start_streamlit(self.script, port, self.options, self.env, log=log))
            self._write_nginx_conf()
            log = self.folder / "error.log"
            command = ["nginx", "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"), "-e", str(log)]
            with log.open("ab") as errors:
                self.nginx = subprocess.Popen([*command, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=errors)
            wait_healthy(self.base, self.nginx, 30, log)
        except BaseException:
            self.stop()
            raise
        return self

    def _write_nginx_conf(self) -> None:
        shutil.copy(NGINX_DIR / "atlas.conf", self.folder / "atlas.conf")
        servers = "".join(f"    server 127.0.0.1:{port} max_fails=3 fail_timeout=10s;\n" for port in self.replica_ports)
        (self.folder / "atlas-upstream.conf").write_text(
            f"upstream atlas {{\n    hash $atlas_route consistent;\n{servers}    keepalive 16;\n}}\n"
        )
        (self.folder / "atlas-listen.conf").write_text(f"listen 127.0.0.1:{self.port};\n")
        (self.folder / "nginx.conf").write_text(
            "worker_processes 1;\n"
            f"error_log {self.folder / 'error.log'} warn;\n"
            f"pid {self.folder / 'nginx.pid'};\n"
            "events { worker_connections 4096; }\n"
            "http {\n"
            f"    access_log {self.folder / 'access.log'};\n"
            "    include atlas-upstream.conf;\n"
            "    include atlas.conf;\n"
            "}\n"
        )

    def replica_base(self, index: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[index]}"

    def stop(self) -> None:
        if self.nginx is not None:
            stop(self.nginx)
            self.nginx = None
        for server in self.servers:
            stop(server)
        self.servers = []

    def __enter__(self) -> Topology:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description="N Streamlit replicas behind nginx on localhost")
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--package", type=Path, help="the shared package's datapackage.json")
    parser.add_argument("--edit", action="store_true", help="edit mode on (PARTNERSHIPS_EDIT=1)")
    args = parser.parse_args()
    env = {"PARTNERSHIPS_EDIT": "1"} if args.edit else {}
    topology = Topology(replicas=args.replicas, port=args.port, package=args.package, env=env).start()
    print(f"{topology.base} → replicas on ports {topology.replica_ports}; logs in {topology.folder}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while all(server.poll() is None for server in topology.servers):
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        topology.stop()


if __name__ == "__main__":
    main()
