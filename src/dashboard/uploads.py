"""A user's own package: read in a worker process with limits (`analysis.uploaded`, `sandbox`),
held as typed frames in that user's session only, and let go with it.

No folder outlives the reading: the worker unpacks into a scratch folder of its own, which is
deleted when its task ends, and hands back frames. What a session holds is bounded: at most
`HELD_FILES` uploaded files in Streamlit's own upload store (the oldest is let go first), their
bytes at most `HELD_BYTES`, one package in use and one being read. When Streamlit forgets a
session (a closed tab, after `server.disconnectedSessionTTL`), a hook on its session end (the
upload store's `remove_session_files`, which Streamlit calls then) stops the session's reading,
if one still runs. No process-wide cache holds an upload or its outcome.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

import streamlit as st
from streamlit import runtime
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analysis.package import Package
from analysis.package.upload import LIMITS
from analysis.uploaded import uploaded_package
from dashboard.loading import UPLOAD_POOL, Outcome, Validation
from sandbox import start_workers_early

LOG = logging.getLogger(__name__)
OWN = "_own_package"  # session key: the OwnPackage this session uses
PENDING = "_pending_upload"  # session key: the OwnPackage being validated
HELD_FILES = 3  # uploaded files a session's upload store keeps
HELD_BYTES = 3 * LIMITS.upload_bytes  # and their bytes together


class OwnPackage:
    """One uploaded zip or workbook: its reading in a worker, and once valid, its package."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        self.package: Package | None = None
        self.stopped = threading.Event()
        self.validation = Validation(UPLOAD_POOL, lambda progress: self._read(data, progress))

    def _read(self, data: bytes, progress: Callable[[str], None]) -> Package:
        progress("worker")
        return uploaded_package(data, self.name, stop=self.stopped)

    def remove(self) -> None:
        """Stop its reading, if it still runs (the worker and its scratch folder go)."""
        self.stopped.set()


def start_upload(data: bytes, name: str) -> None:
    """Begin checking an uploaded zip for this session (an upload still pending is let go)."""
    previous = st.session_state.pop(PENDING, None)
    if previous is not None:
        previous.remove()
    own = OwnPackage(data, name)
    st.session_state[PENDING] = own
    _remember(own)


def upload_pending() -> bool:
    return st.session_state.get(PENDING) is not None


def settle_upload(show: Callable[[Validation], None] | None = None) -> Outcome | None:
    """Wait for this session's pending upload (calling SHOW meanwhile); when valid, this session
    uses it from now on. Answers its outcome once, or None when no upload was pending.

    A rerun while waiting (a language switch, another page) leaves the upload pending; the next
    run of any page settles it.
    """
    pending = st.session_state.get(PENDING)
    if pending is None:
        return None
    outcome = pending.validation.outcome(show)
    st.session_state.pop(PENDING, None)
    _forget(pending)
    if isinstance(outcome, Package):
        drop_upload()
        pending.package = outcome
        st.session_state[OWN] = pending
    return outcome


def own_package() -> Package | None:
    """The package this session uploaded and uses, if any."""
    own = st.session_state.get(OWN)
    return own.package if own is not None else None


def own_name() -> str | None:
    own = st.session_state.get(OWN)
    return own.name if own is not None else None


def drop_upload() -> None:
    """Back to the server's package: forget this session's upload."""
    st.session_state.pop(OWN, None)


# --- the session's end, and what its upload store holds ----------------------------------------

_readings: dict[str, list[OwnPackage]] = {}  # session id -> its readings (stopped at its end)
_readings_lock = threading.Lock()
_guarded: set[int] = set()


def _remember(own: OwnPackage) -> None:
    context = get_script_run_ctx()
    if context is None:
        return
    _guard_upload_store()
    with _readings_lock:
        kept = [o for o in _readings.get(context.session_id, []) if not o.validation.done()]
        _readings[context.session_id] = [*kept, own]


def _forget(own: OwnPackage) -> None:
    with _readings_lock:
        for session_id, readings in list(_readings.items()):
            kept = [o for o in readings if o is not own]
            if kept:
                _readings[session_id] = kept
            else:
                _readings.pop(session_id)


def session_ended(session_id: str) -> None:
    """Streamlit forgot SESSION_ID: stop its readings still running."""
    with _readings_lock:
        readings = _readings.pop(session_id, [])
    for own in readings:
        own.remove()


def _guard_upload_store() -> None:
    """Bound what each session keeps in Streamlit's upload store, and hear of a session's end.

    Streamlit keeps every file a session's uploader sent until the session ends; a client can
    send many. Its store (MemoryUploadedFileManager) is wrapped once: after a file is added, the
    session's oldest files go until at most HELD_FILES and HELD_BYTES remain; `remove_session_files`,
    which Streamlit calls when it shuts a session down, also calls `session_ended`.
    """
    if not runtime.exists():
        return
    store = runtime.get_instance().uploaded_file_mgr
    if id(store) in _guarded or not hasattr(store, "file_storage"):
        return
    _guarded.add(id(store))
    add_file, remove_session_files = store.add_file, store.remove_session_files

    def bounded_add_file(session_id, file) -> None:
        add_file(session_id, file)
        held = list(store.file_storage.get(session_id, {}).values())
        while held and (len(held) > HELD_FILES or sum(len(f.data) for f in held) > HELD_BYTES):
            store.remove_file(session_id, held.pop(0).file_id)

    def ending_session(session_id) -> None:
        remove_session_files(session_id)
        session_ended(session_id)

    store.add_file = bounded_add_file
    store.remove_session_files = ending_session


_guard_upload_store()  # before this session's first upload reaches the store
start_workers_early()
