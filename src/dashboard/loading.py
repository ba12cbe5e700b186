"""Validating a package without making anyone wait.

Each validation runs in a worker thread of its own pool, so a session only waits for the package
it asked for, and a rerun or page change of the asking session does not cut it short. Every
session that asks for the server's package with the same content shares one validation, and its
outcome (valid, invalid, not a package) is remembered per content in Streamlit's resource cache,
bounded: a broken package is checked once, not on every run. While a validation runs, every
session waiting for it sees the stage it has reached.
"""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as StillRunning
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from analysis.package import (
    EMBEDDED_DESCRIPTOR,
    Package,
    content_hash,
    load_package,
    read_descriptor,
    resolve_descriptor,
)
from analysis.package.upload import UploadRefused
from analysis.problems import NotADataPackage, PackageInvalid, Problem
from analysis.settings import read_settings
from dashboard.admission import aside

LOG = logging.getLogger(__name__)

Outcome = Package | PackageInvalid | NotADataPackage | UploadRefused
Progress = Callable[[str], None]
POLL_SECONDS = 0.25  # how often a waiting session shows the stage (and can be rerun)
SERVER_CONTENTS_KEPT = 8  # outcomes of the server's package remembered, by content
# The server's package and uploads validate in separate pools: a queue of uploads never holds
# back the server's package. Two workers each, as the machine has few cores.
SERVER_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="validate-server-package")
UPLOAD_POOL = ThreadPoolExecutor(max_workers=2, thread_name_prefix="validate-upload")


def _unexpected(error: Exception) -> PackageInvalid:
    """A fault in the checks themselves: said as a problem, never shown as a traceback."""
    name = type(error).__name__
    return PackageInvalid([Problem("datapackage.json", None, None, code="unexpected_fault", params={"error": name})])


class Validation:
    """One validation in a worker thread: the stage it has reached while it runs, then its outcome."""

    def __init__(self, pool: ThreadPoolExecutor, work: Callable[[Progress], Package]) -> None:
        self.stage = ""
        self.started = time.monotonic()
        self._future = pool.submit(self._run, work)

    def _run(self, work: Callable[[Progress], Package]) -> Outcome:
        try:
            return work(self._reached)
        except (PackageInvalid, NotADataPackage, UploadRefused) as error:
            return error
        except Exception as error:  # noqa: BLE001 - a fault in the checks is an outcome, not a crash
            LOG.exception("validation failed unexpectedly")
            return _unexpected(error)

    def _reached(self, stage: str) -> None:
        self.stage = stage

    def done(self) -> bool:
        return self._future.done()

    def seconds(self) -> float:
        """Seconds since the validation was asked for."""
        return time.monotonic() - self.started

    def outcome(self, show: Callable[[Validation], None] | None = None) -> Outcome:
        """Wait for the outcome, calling SHOW with this validation every POLL_SECONDS meanwhile
        (an st call, so a waiting session can still be rerun or stopped). Other sessions' runs take
        their turns meanwhile (dashboard.admission)."""
        if self._future.done():  # no turn given away (and waited for again) when nothing is left to wait for
            return self._future.result()
        with aside():
            while True:
                try:
                    return self._future.result(timeout=POLL_SECONDS)
                except StillRunning:
                    if show is not None:
                        show(self)


def _stamp(descriptor: Path) -> tuple:
    """Size and mtime of the descriptor and of every resource file it names: cheap to read each run
    (the descriptor is parsed again only when its own stamp changes)."""
    try:
        stat = descriptor.stat()
    except (OSError, ValueError):
        return ()
    stamps: list[tuple] = [(str(descriptor), stat.st_mtime_ns, stat.st_size)]
    for path in _resource_paths(str(descriptor), stat.st_mtime_ns, stat.st_size, stat.st_ino):
        try:
            stat = (descriptor.parent / path).stat()
        except (OSError, ValueError):
            continue
        stamps.append((path, stat.st_mtime_ns, stat.st_size))
    return tuple(stamps)


@functools.lru_cache(maxsize=16)
def _resource_paths(descriptor: str, mtime_ns: int, size: int, inode: int) -> tuple[str, ...]:
    """The resource paths the descriptor names, read once per version of the file (by its mtime,
    size and inode: a save replaces it by a rename)."""
    try:
        resources = read_descriptor(Path(descriptor)).get("resources", [])
    except (NotADataPackage, PackageInvalid, OSError, ValueError, RecursionError):
        return ()
    if not isinstance(resources, list):
        return ()
    return tuple(r["path"] for r in resources if isinstance(r, dict) and isinstance(r.get("path"), str))


@st.cache_resource(max_entries=16, show_spinner=False)
def _fingerprint(descriptor: str, stamp: tuple) -> str | NotADataPackage | PackageInvalid:
    """The content hash of the package at DESCRIPTOR, read once per stamp, or why it has none
    (broken or half-written JSON, a path that is refused)."""
    path = Path(descriptor)
    try:
        return content_hash(path)
    except (NotADataPackage, PackageInvalid) as error:
        return error
    except OSError as error:
        return NotADataPackage("descriptor_unreadable", path=path, reason=error.strerror or error)
    except Exception as error:  # noqa: BLE001 - see _unexpected
        LOG.exception("hashing failed unexpectedly")
        return _unexpected(error)


@st.cache_resource(max_entries=SERVER_CONTENTS_KEPT, show_spinner=False)
def _server_validation(descriptor: str, digest: str) -> Validation:
    """The one validation of this content of the server's package, shared by every session."""
    return Validation(SERVER_POOL, lambda progress: load_package(descriptor, progress=progress))


@dataclass
class _LastValid:
    package: Package | None = None


@st.cache_resource(max_entries=4, show_spinner=False)
def _last_valid(location: str) -> _LastValid:
    """The last valid version seen of the server's package at LOCATION (one per configured path)."""
    return _LastValid()


def server_location() -> str:
    """Where the server's package is configured to be: $PARTNERSHIPS_DATAPACKAGE or the embedded one."""
    return read_settings().datapackage or str(EMBEDDED_DESCRIPTOR)


def server_outcome(show: Callable[[Validation], None] | None = None) -> Outcome:
    """The outcome of the server's package as it is on disk now (validated once per content)."""
    try:
        descriptor = resolve_descriptor(server_location())
    except NotADataPackage as error:
        return error
    digest = _fingerprint(str(descriptor), _stamp(descriptor))
    if not isinstance(digest, str):
        return digest
    return _server_validation(str(descriptor), digest).outcome(show)


def server_package(
    show: Callable[[Validation], None] | None = None,
) -> tuple[Package, PackageInvalid | NotADataPackage | None]:
    """The server's package in use, and why a newer version on disk had to be passed over.

    Raises PackageInvalid or NotADataPackage when no valid version was ever seen.
    """
    outcome = server_outcome(show)
    last = _last_valid(server_location())
    if isinstance(outcome, Package):
        last.package = outcome
        return outcome, None
    if last.package is not None:
        return last.package, outcome
    raise outcome
