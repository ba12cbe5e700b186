"""Every rerun's messages sent at once: TCP_NODELAY on the server's listening sockets.

Streamlit 1.67 binds its server socket itself (`starlette_server._bind_socket`) as
`socket.socket(family)`, so its protocol number is 0, and asyncio switches Nagle's algorithm off
only for sockets whose protocol reads IPPROTO_TCP (`base_events._set_nodelay`). Every accepted
connection therefore keeps Nagle: after a run's first message the rest wait for the browser's
delayed acknowledgement, ~40 ms on Linux, whenever the reader clicks soon after the last run
(bench/reruns.py back to back: every page 48 ms, the accessibility statement 12 ms without it).
On Linux an accepted socket inherits TCP_NODELAY from its listening socket, so setting it there
once covers every later connection; the first session of a fresh server (deploy/warm.py's) may
keep Nagle. Remove this when Streamlit's socket is made with IPPROTO_TCP.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

_done = False


def listening_tcp_sockets() -> list[int]:
    """File descriptors of this process's listening TCP sockets (Linux: from /proc/self/fd)."""
    found = []
    folder = Path("/proc/self/fd")
    if not folder.is_dir():
        return found
    for entry in folder.iterdir():
        try:
            if not os.readlink(entry).startswith("socket:"):
                continue
            descriptor = int(entry.name)
            probe = socket.socket(fileno=os.dup(descriptor))
        except (OSError, ValueError):
            continue
        with probe:
            try:
                if (
                    probe.family in (socket.AF_INET, socket.AF_INET6)
                    and probe.type == socket.SOCK_STREAM
                    and probe.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
                ):
                    found.append(descriptor)
            except OSError:
                continue
    return found


def send_without_delay() -> None:
    """Switch Nagle's algorithm off on this process's listening TCP sockets, once per process;
    connections accepted from then on send each message at once."""
    global _done
    if _done:
        return
    _done = True
    for descriptor in listening_tcp_sockets():
        try:
            with socket.socket(fileno=os.dup(descriptor)) as listener:
                listener.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            continue  # closed meanwhile: nothing to do
