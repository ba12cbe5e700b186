"""The package in use and what the pages derive from it, cached at the UI edge of src/analysis.

The server's package is validated once per content for all sessions (dashboard.loading); a
user's own upload lives in that user's session only (dashboard.uploads). What pages derive from a
package (the full enriched view of an as-of date, its theme rows, the sidebar's choices) is kept
in Streamlit's resource cache, keyed by the package's content hash and the arguments, bounded:
for the server's package shared by all sessions, for an upload in a session-scoped cache that
Streamlit empties when the session disconnects. An editing session with unsaved changes sees the
server's package with them applied (dashboard.editing.preview_package), which is private to that
session in the same way as an upload.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
import streamlit as st

from analysis.package import Package
from analysis.problems import NotADataPackage, PackageInvalid
from analysis.questions.enriched import full_enriched_view, select_theme_rows, select_view, theme_rows_of
from analysis.questions.filters import Filters
from analysis.questions.network import network_of, network_periods
from dashboard import uploads
from dashboard.editing import preview_package
from dashboard.loading import Validation, server_package
from dashboard.uploads import own_package

SHARED_ENTRIES = 16  # per server package: a few as-of dates' views and theme rows, the sidebar's choices
SESSION_ENTRIES = 8  # the same for one session's upload
# What a page derives for one set of filters (see selected): the filter sets in use at once on a
# server × 2 languages. Bounded: at 100,000 partnerships an overview entry holds up to ~30 MB
# (most share the cached full view's buffers).
SELECTED_ENTRIES = 16
_SEEN = "_upload_seen"  # session key: the file id of the last upload taken


@st.cache_resource(max_entries=SHARED_ENTRIES, show_spinner=False)
def shared_derivation(content_hash: str, name: str, args: tuple, _package: Package, _derive: Callable) -> Any:
    """What every session derives alike from the server's saved package, kept once for all."""
    return _derive(_package, *args)


@st.cache_resource(max_entries=SESSION_ENTRIES, show_spinner=False, scope="session")
def session_derivation(content_hash: str, name: str, args: tuple, _package: Package, _derive: Callable) -> Any:
    """What one session derives from a package private to it (an upload, unsaved changes)."""
    return _derive(_package, *args)


def derived(package: Package, derive: Callable[..., Any], *args: object) -> Any:
    """derive(package, *args), computed once per package content and ARGS (hashable: an as-of date,
    a language). Results are shared and read-only (Polars frames are); those of a package private
    to this session (an upload, unsaved changes) stay in this session."""
    cache = session_derivation if _private(package) else shared_derivation
    return cache(package.content_hash, _name(derive), args, package, derive)


def _private(package: Package) -> bool:
    """Whether PACKAGE is this session's own (an upload, unsaved changes): what is derived from it
    stays in the session."""
    return package is own_package() or package is preview_package()


def _name(derive: Callable) -> str:
    return f"{derive.__module__}.{derive.__qualname__}"


@st.cache_resource(max_entries=SELECTED_ENTRIES, show_spinner=False)
def shared_selection(content_hash: str, name: str, key: str, _package: Package, _derive: Callable, _args: tuple) -> Any:
    """What every session derives alike for one set of filters from the server's package."""
    return _derive(_package, *_args)


@st.cache_resource(max_entries=SESSION_ENTRIES, show_spinner=False, scope="session")
def session_selection(
    content_hash: str, name: str, key: str, _package: Package, _derive: Callable, _args: tuple
) -> Any:
    """The same for a package private to one session (an upload, unsaved changes)."""
    return _derive(_package, *_args)


def selected(package: Package, derive: Callable[..., Any], *args: object) -> Any:
    """derive(package, *args), computed once per package content, ARGS (dates, Filters, texts:
    keyed by their repr, which names every field) and the reader's language, so that a rerun with
    the same filters (another session's, a page switch back, a click elsewhere) costs a look-up
    instead of the Polars work. Like derived, shared across sessions only for the server's package.
    DERIVE must read nothing but its arguments and the language."""
    from present import i18n

    cache = session_selection if _private(package) else shared_selection
    return cache(package.content_hash, _name(derive), repr((i18n.lang(), args)), package, derive, args)


def progress_display(placeholder) -> Callable[[Validation], None]:
    """What a waiting session sees in PLACEHOLDER while a validation runs: its stage and seconds."""
    from present.i18n import t

    def show(validation: Validation) -> None:
        seconds = int(validation.seconds())
        stage = validation.stage or t("validation_queued")
        placeholder.text(t("validating", stage=stage) + (f" ({seconds} s)" if seconds else ""))

    return show


def current_package() -> tuple[Package, PackageInvalid | NotADataPackage | None]:
    """The package in use (this session's upload, else the server's; in an editing session with
    unsaved changes, the version they were made on with them applied), and why a newer version of
    the server's package on disk had to be passed over (broken JSON, a missing file, an invalid
    cell: the last valid version stays in use).

    Raises PackageInvalid or NotADataPackage when no valid version was ever seen.
    """
    own = own_package()
    if own is not None:
        return own, None
    placeholder = st.empty()
    try:
        package, newer_invalid = server_package(progress_display(placeholder))
    finally:
        placeholder.empty()
    return preview_package() or package, newer_invalid


def settle_upload():
    """Wait for this session's pending upload, showing its progress; see dashboard.uploads."""
    placeholder = st.empty()
    try:
        return uploads.settle_upload(progress_display(placeholder))
    finally:
        placeholder.empty()


def take_new_upload(key: str) -> None:
    """A zip newly chosen in the file uploader KEY begins its check (see dashboard.uploads). Called
    before the page is drawn (a widget's value is known then), so that the page's run settles it
    and draws everything from the package in use; no extra rerun."""
    file = st.session_state.get(key)
    if file is not None and st.session_state.get(_SEEN) != file.file_id:
        st.session_state[_SEEN] = file.file_id
        uploads.start_upload(file.getvalue(), file.name)


def use_upload(data: bytes, name: str = "upload.zip") -> Package:
    """Check an uploaded zip, showing the progress; when valid, this session uses it from now on.
    Raises UploadRefused, NotADataPackage or PackageInvalid (its folder is then already deleted).
    A rerun meanwhile leaves it pending for the next run (see settle_upload)."""
    uploads.start_upload(data, name)
    outcome = settle_upload()
    if not isinstance(outcome, Package):
        raise outcome
    return outcome


def using_upload() -> bool:
    return own_package() is not None


def drop_upload() -> None:
    """Back to the server's package: this session's upload and what was derived from it are let go."""
    uploads.drop_upload()
    session_derivation.clear()
    session_selection.clear()


def _full_view(package: Package, as_of: date) -> pl.DataFrame:
    return full_enriched_view(package.frames, as_of)


def _theme_rows(package: Package, as_of: date) -> pl.DataFrame:
    return theme_rows_of(derived(package, _full_view, as_of))


def view(
    package: Package,
    as_of: date,
    filters: Filters | None = None,
    with_precision: bool = False,
    with_coordinates: bool = False,
) -> pl.DataFrame:
    """The enriched view for these filters: the full view of a date is derived once per package
    content (see derived); a filter change only filters it."""
    return select_view(derived(package, _full_view, as_of), filters, with_precision, with_coordinates)


def theme_rows(
    package: Package, as_of: date, filters: Filters | None = None, with_precision: bool = False
) -> pl.DataFrame:
    """The enriched view, one row per partnership and theme, for these filters (see view)."""
    return select_theme_rows(derived(package, _theme_rows, as_of), filters, with_precision)


__all__ = [
    "NotADataPackage",
    "PackageInvalid",
    "current_package",
    "derived",
    "drop_upload",
    "selected",
    "settle_upload",
    "take_new_upload",
    "theme_rows",
    "use_upload",
    "using_upload",
    "view",
]


def _network_periods(package: Package, as_of: date) -> pl.DataFrame:
    return network_periods(package["status_history"], as_of)


def network(package: Package, view: pl.DataFrame, as_of: date, series_column: str | None = None) -> pl.DataFrame:
    """analysis.questions.network.network_of for VIEW, from the periods of all partnerships, derived once per
    package content and date (see derived)."""
    periods = derived(package, _network_periods, as_of)
    return network_of(package.frames, view, as_of, series_column, periods=periods)
