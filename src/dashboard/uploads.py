"""A user's own package: unpacked in a private folder, validated in a worker thread, named only in
that user's session, and let go with it.

The folder belongs to an OwnPackage object in the session state. It is deleted when the user goes
back to the embedded data, when an upload is refused, and otherwise when the object is collected:
when Streamlit forgets a closed session (after `server.disconnectedSessionTTL`), its state and
with it the object go, and `weakref.finalize` deletes the folder (at the latest when the server
stops). No process-wide cache holds an upload or its outcome.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
import weakref
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from analysis.keeping.workbook_reading import is_workbook, workbook_to_package
from analysis.package import Package, load_package
from analysis.package.upload import unpack_package_zip
from dashboard.loading import UPLOAD_POOL, Outcome, Progress, Validation

UPLOADS = Path(tempfile.mkdtemp(prefix="partnerschaftsatlas-uploads-"))
atexit.register(shutil.rmtree, UPLOADS, ignore_errors=True)
OWN = "_own_package"  # session key: the OwnPackage this session uses
PENDING = "_pending_upload"  # session key: the OwnPackage being validated


class OwnPackage:
    """One uploaded zip: its private folder (deleted with this object), its validation, and once
    valid, its package."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        self.folder = Path(tempfile.mkdtemp(dir=UPLOADS))
        self.remove = weakref.finalize(self, shutil.rmtree, str(self.folder), ignore_errors=True)
        self.package: Package | None = None
        # The worker holds this object until it is done, so the folder cannot go while it is filled.
        self.validation = Validation(UPLOAD_POOL, lambda progress: self._unpack_and_load(data, progress))

    def _unpack_and_load(self, data: bytes, progress: Progress) -> Package:
        if is_workbook(data):  # an .xlsx from `partnerships workbook`: read, written and validated here
            return workbook_to_package(data, self.folder)
        descriptor = unpack_package_zip(data, self.folder)
        return load_package(descriptor, progress=progress)


def start_upload(data: bytes, name: str) -> None:
    """Begin checking an uploaded zip for this session (an upload still pending is let go)."""
    previous = st.session_state.pop(PENDING, None)
    if previous is not None:
        previous.remove()
    st.session_state[PENDING] = OwnPackage(data, name)


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
    if isinstance(outcome, Package):
        drop_upload()
        pending.package = outcome
        st.session_state[OWN] = pending
    else:
        pending.remove()
    return outcome


def own_package() -> Package | None:
    """The package this session uploaded and uses, if any."""
    own = st.session_state.get(OWN)
    return own.package if own is not None else None


def own_name() -> str | None:
    own = st.session_state.get(OWN)
    return own.name if own is not None else None


def drop_upload() -> None:
    """Back to the server's package: forget this session's upload and delete its folder."""
    own = st.session_state.pop(OWN, None)
    if own is not None:
        own.remove()
