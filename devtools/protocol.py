"""A Streamlit client without a browser: what the frontend sends and reads over `/_stcore/stream`.

Speaks Streamlit's own websocket protocol (BackMsg/ForwardMsg protobufs from `streamlit.proto`) the
way the frontend does: on connect a `rerun_script` with the link's query string and the page asked
for, then one `rerun_script` per user action carrying every widget's state and the page's script
hash. A rerun is timed from sending it to the server's `script_finished`; the widgets (by `key=`),
the pages of `st.navigation`, the metrics drawn and any exception shown are read from the deltas.

Used by bench/capacity*.py (many users at once, a burst from one socket), tests/test_e2e_server.py and
deploy/warm.py (a fresh server opens every page once before it takes visitors).
Only a `ws://127.0.0.1…` address is accepted: the benchmark never leaves this machine.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}
WIDGET_FIELDS = ("multiselect", "radio", "selectbox", "text_input", "slider", "button_group")


@dataclass
class Run:
    """One rerun as the client saw it."""

    seconds: float
    status: str  # "ok", "interrupted" (a newer rerun took over), "compile_error", "timeout", "closed"
    received: int = 0  # bytes of ForwardMsgs
    metrics: list[tuple[str, str]] = field(default_factory=list)  # (label, value) of each st.metric
    exceptions: list[str] = field(default_factory=list)  # messages of exceptions drawn


@dataclass
class Widget:
    id: str
    kind: str
    options: list[str]


class Session:
    """One browser tab's connection: `await Session.open(url)`, then `rerun(...)`, `close()`."""

    def __init__(self, socket, query: str) -> None:
        self.socket = socket
        self.query = query
        self.pages: dict[str, str] = {}  # url path -> page script hash
        self.page_hash = ""
        self.widgets: dict[str, Widget] = {}  # user key -> widget as last drawn
        self.states: dict[str, WidgetState] = {}  # widget id -> the value this user set

    @classmethod
    async def open(cls, base: str, query: str = "", page: str = "", timeout: float = 120) -> tuple[Session, Run]:
        """Connect to BASE (http://127.0.0.1:PORT[/prefix]) and run the page at path PAGE with QUERY."""
        if not base.startswith(("http://127.0.0.1", "http://localhost")):
            raise ValueError(f"only localhost is measured, not {base}")
        url = "ws" + base.removeprefix("http").rstrip("/") + "/_stcore/stream"
        socket = await websockets.connect(
            url,
            subprotocols=["streamlit"],
            max_size=None,
            open_timeout=timeout,
            ping_interval=None,
            origin="http://" + urlsplit(base).netloc,
        )
        session = cls(socket, query)
        return session, await session.rerun(page_name=page, timeout=timeout)

    def message(self, page_name: str = "") -> BackMsg:
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query
        state.page_script_hash = self.page_hash
        state.page_name = page_name
        state.widget_states.widgets.extend(self.states.values())
        state.context_info.timezone = "Europe/Berlin"
        state.context_info.locale = "de-DE"
        return back

    async def send_rerun(self, page_name: str = "") -> None:
        await self.socket.send(self.message(page_name).SerializeToString())

    async def rerun(self, page_name: str = "", timeout: float = 120) -> Run:
        """Ask for a rerun with the current widget states and page; answer when it finished."""
        started = time.perf_counter()
        await self.send_rerun(page_name)
        return await self.finish(started, timeout)

    async def finish(self, started: float, timeout: float = 120) -> Run:
        """Read until the server says a run finished (the last one asked for)."""
        run = Run(0.0, "timeout")
        deadline = started + timeout
        try:
            while True:
                left = deadline - time.perf_counter()
                if left <= 0:
                    break
                raw = await asyncio.wait_for(self.socket.recv(), left)
                run.received += len(raw)
                forward = ForwardMsg()
                forward.ParseFromString(raw)
                kind = forward.WhichOneof("type")
                if kind == "delta":
                    self._read_delta(forward.delta, run)
                elif kind == "navigation":
                    self.pages = {p.url_pathname: p.page_script_hash for p in forward.navigation.app_pages}
                    self.page_hash = forward.navigation.page_script_hash or self.page_hash
                elif kind == "new_session":
                    self.page_hash = forward.new_session.page_script_hash or self.page_hash
                    run.metrics.clear()
                    run.exceptions.clear()
                elif kind == "script_finished":
                    if forward.script_finished in FINISHED:
                        run.status = "ok"
                        break
                    if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                        run.status = "compile_error"
                        break
                    run.status = "interrupted"  # a newer run follows: keep reading
        except TimeoutError:
            run.status = "timeout"
        except websockets.ConnectionClosed:
            run.status = "closed"
        run.seconds = time.perf_counter() - started
        return run

    def _read_delta(self, delta, run: Run) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        kind = element.WhichOneof("type")
        if kind == "metric":
            run.metrics.append((element.metric.label, element.metric.body))
        elif kind == "exception":
            run.exceptions.append(element.exception.message)
        elif kind in WIDGET_FIELDS:
            proto = getattr(element, kind)
            key = proto.id.rsplit("-", 1)[-1] if proto.id.startswith("$$ID-") else proto.id
            options = list(getattr(proto, "options", []) or [])
            self.widgets[key] = Widget(proto.id, kind, [str(o) for o in options])

    def choose(self, key: str, value: str | list[str]) -> bool:
        """Set widget KEY (as the user would) to VALUE for the next rerun; False if not drawn."""
        widget = self.widgets.get(key)
        if widget is None:
            return False
        state = WidgetState(id=widget.id)
        if isinstance(value, list):
            state.string_array_value.data.extend(value)
        else:
            state.string_value = value
        self.states[widget.id] = state
        return True

    def go_to(self, url_path: str) -> bool:
        """The next rerun opens the page at URL_PATH (as a click in the navigation does)."""
        if url_path not in self.pages:
            return False
        self.page_hash = self.pages[url_path]
        return True

    async def close(self) -> None:
        await self.socket.close()
