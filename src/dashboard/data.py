"""Cached access to the package in use and to what the pages derive from it (the UI edge of
src/analysis).

A package is validated once per content: files are hashed when their size or mtime changes,
and validation and loading are cached by that hash, for all sessions alike. When the package
on disk turns invalid, the last valid version stays in use with a warning. A user's own
upload lives in a private folder named only in that user's session.
"""

from __future__ import annotations

import atexit
import json
import shutil
import tempfile
import threading
from collections import OrderedDict
from datetime import date
from pathlib import Path

import polars as pl
import streamlit as st

from analysis.enriched import enriched_theme_rows, enriched_view
from analysis.filters import Filters
from analysis.package import (
    Package,
    content_hash,
    load_package,
    read_descriptor,
    resolve_descriptor,
)
from analysis.problems import NotADataPackage, PackageInvalid
from analysis.upload import unpack_package_zip

OWN_PACKAGE = "_own_package"  # session key: the datapackage.json of this session's upload
UPLOADS = Path(tempfile.mkdtemp(prefix="partnerschaftsatlas-uploads-"))
atexit.register(shutil.rmtree, UPLOADS, ignore_errors=True)


def _stamp(descriptor: Path) -> tuple:
    """Size and mtime of the descriptor and of every resource file: cheap to read each run."""
    stamps = [(str(descriptor), descriptor.stat().st_mtime_ns, descriptor.stat().st_size)]
    try:
        resources = json.loads(descriptor.read_text(encoding="utf-8")).get("resources", [])
    except (ValueError, OSError):
        return tuple(stamps)
    for resource in resources if isinstance(resources, list) else []:
        path = descriptor.parent / str(resource.get("path", "")) if isinstance(resource, dict) else None
        if path is not None and path.is_file():
            stamps.append((str(path), path.stat().st_mtime_ns, path.stat().st_size))
    return tuple(stamps)


@st.cache_resource(max_entries=64, show_spinner=False)
def _content_hash(descriptor: str, stamp: tuple) -> str:
    path = Path(descriptor)
    return content_hash(path, read_descriptor(path))


class _Outcomes:
    """Validation outcomes by (descriptor, content hash), shared by all sessions: a package is
    validated once per content, an invalid one too. A lock makes a second session wait for a
    validation under way instead of starting its own."""

    size = 8

    def __init__(self) -> None:
        self.outcomes: OrderedDict[tuple[str, str], Package | PackageInvalid] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, descriptor: str, digest: str, progress) -> Package | PackageInvalid:
        key = (descriptor, digest)
        with self.lock:
            if key not in self.outcomes:
                try:
                    self.outcomes[key] = load_package(descriptor, progress=progress)
                except PackageInvalid as error:
                    self.outcomes[key] = error
                while len(self.outcomes) > self.size:
                    self.outcomes.popitem(last=False)
            self.outcomes.move_to_end(key)
            return self.outcomes[key]


@st.cache_resource
def _outcomes() -> _Outcomes:
    return _Outcomes()


def _checked_with_progress(descriptor: Path) -> Package | PackageInvalid:
    """The validated package (or its problems), showing each stage of a validation that runs."""
    from dashboard.i18n import t

    placeholder = st.empty()
    try:
        digest = _content_hash(str(descriptor), _stamp(descriptor))
        return _outcomes().get(str(descriptor), digest, lambda stage: placeholder.text(t("validating", stage=stage)))
    finally:
        placeholder.empty()


@st.cache_resource
def _last_valid() -> dict[str, Package]:
    return {}


def package_path() -> Path:
    """This session's own package if it uploaded one, else $PARTNERSHIPS_DATAPACKAGE or the embedded."""
    own = st.session_state.get(OWN_PACKAGE)
    if own and Path(own).is_file():
        return Path(own)
    return resolve_descriptor()


def current_package() -> tuple[Package, PackageInvalid | None]:
    """The package in use, and the errors of a newer version on disk that had to be passed over.

    Raises PackageInvalid when no valid version was ever seen, NotADataPackage when none is there.
    """
    descriptor = package_path()
    outcome = _checked_with_progress(descriptor)
    last_valid = _last_valid()
    if isinstance(outcome, Package):
        last_valid[str(descriptor)] = outcome
        return outcome, None
    if str(descriptor) in last_valid:
        return last_valid[str(descriptor)], outcome
    raise outcome


def use_upload(data: bytes) -> Package:
    """Unpack and validate an uploaded zip in a private folder; when valid, this session uses it.
    Raises UploadRefused, NotADataPackage or PackageInvalid (the folder is removed again)."""
    folder = Path(tempfile.mkdtemp(dir=UPLOADS))
    try:
        descriptor = unpack_package_zip(data, folder)
        outcome = _checked_with_progress(descriptor)
        if isinstance(outcome, PackageInvalid):
            raise outcome
    except Exception:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    drop_upload()
    st.session_state[OWN_PACKAGE] = str(descriptor)
    return outcome


def drop_upload() -> None:
    """Back to the shared package: forget and delete this session's upload."""
    own = st.session_state.pop(OWN_PACKAGE, None)
    if own:
        folder = Path(own).parent
        while folder.parent != UPLOADS and folder != folder.parent:
            folder = folder.parent
        if folder.parent == UPLOADS:
            shutil.rmtree(folder, ignore_errors=True)


def using_upload() -> bool:
    return bool(st.session_state.get(OWN_PACKAGE))


def view(
    package: Package,
    as_of: date,
    filters: Filters | None = None,
    with_precision: bool = False,
    with_coordinates: bool = False,
) -> pl.DataFrame:
    """The enriched view for these filters. The package derives the full view of a date once
    (shared by all sessions, as the package itself is); a filter change only filters it."""
    return enriched_view(package, as_of, filters, with_precision=with_precision, with_coordinates=with_coordinates)


__all__ = ["NotADataPackage", "PackageInvalid", "current_package", "drop_upload", "use_upload", "view"]


def theme_rows(
    package: Package, as_of: date, filters: Filters | None = None, with_precision: bool = False
) -> pl.DataFrame:
    """The enriched view, one row per partnership and theme, for these filters (see view)."""
    return enriched_theme_rows(package, as_of, filters, with_precision=with_precision)
