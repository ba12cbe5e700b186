"""The edit mode's state in a session: whether editing is on, who edits, the pending change set
and the version it was made on, and saving it (analysis.saving). Nothing here writes unless
PARTNERSHIPS_EDIT=1 and the package is not the embedded one."""

from __future__ import annotations

import os
from dataclasses import dataclass

import polars as pl
import streamlit as st

from analysis.editing import Change, Checked, check_change, described
from analysis.package import EMBEDDED_DESCRIPTOR, Package
from analysis.problems import NotADataPackage, PackageInvalid, Problem
from analysis.saving import Conflict, save
from analysis.workbook import package_text_frames
from dashboard.loading import server_location
from present import i18n
from present.i18n import t

EDIT_VAR = "PARTNERSHIPS_EDIT"
MAX_PENDING = 200  # changes one session may hold unsaved (memory stays bounded)
_STATE = "_edit_state"


def edit_enabled() -> bool:
    """Whether the operator started this instance with editing on (PARTNERSHIPS_EDIT=1)."""
    return os.environ.get(EDIT_VAR, "") == "1"


def auth_configured() -> bool:
    """Whether Streamlit's own login (st.login) is configured: an [auth] section in secrets."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all
        return False


def logged_in_user() -> str | None:
    """The logged-in user's name or e-mail, None when nobody is logged in."""
    try:
        if not st.user.is_logged_in:
            return None
        return str(st.user.get("name") or st.user.get("email") or "?")
    except Exception:  # noqa: BLE001 - auth not set up
        return None


def is_embedded(package: Package) -> bool:
    return package.descriptor_path.resolve() == EMBEDDED_DESCRIPTOR.resolve()


@dataclass
class EditState:
    """One session's pending changes, made on the version BASE_HASH (text frames BASE_FRAMES)."""

    base_hash: str = ""
    base_frames: dict[str, pl.DataFrame] | None = None
    pending: list[Change] | None = None
    conflicts: list[Change] | None = None
    meanwhile: str = ""


def state() -> EditState:
    if _STATE not in st.session_state:
        st.session_state[_STATE] = EditState(pending=[], conflicts=[])
    return st.session_state[_STATE]


def base_of(package: Package) -> EditState:
    """The session's state, its base taken from PACKAGE while nothing is pending."""
    current = state()
    if not current.pending and current.base_hash != package.content_hash:
        current.base_hash = package.content_hash
        current.base_frames = package_text_frames(package)
    return current


def propose(package: Package, change: Change) -> Checked:
    """CHANGE checked on top of the pending ones; joins them when it has no problem."""
    current = base_of(package)
    if len(current.pending) >= MAX_PENDING:
        full = Problem(
            "",
            None,
            None,
            f"{MAX_PENDING} unsaved changes: please save first",
            f"{MAX_PENDING} ungespeicherte Änderungen: bitte erst speichern",
        )
        return Checked(current.base_frames, [full], {}, [full])
    checked = check_change(package.descriptor, current.base_frames, current.pending, change)
    if not checked.problems:
        current.pending.append(change)
    return checked


def undo(index: int) -> None:
    pending = state().pending
    if 0 <= index < len(pending):
        del pending[index]


def words(package: Package, index: int) -> str:
    """The diff of pending change INDEX, in words (analysis.changes via analysis.editing.described)."""
    from analysis.editing import apply

    current = state()
    before = apply(current.base_frames, current.pending[:index])
    return described(package.descriptor, before, current.pending[index])


def save_pending(package: Package, who: str) -> tuple[str, object]:
    """Save the pending changes: ("saved", version), ("conflict", Conflict), ("invalid", problems)
    or ("failed", message)."""
    current = state()
    try:
        result = save(server_location(), current.base_hash, current.base_frames, current.pending, who)
    except PackageInvalid as invalid:
        return "invalid", invalid.problems
    except NotADataPackage as error:
        return "failed", error.text(i18n.lang())
    except OSError as error:
        return "failed", error.strerror or type(error).__name__
    if isinstance(result, Conflict):
        current.base_hash = result.current.content_hash
        current.base_frames = package_text_frames(result.current)
        current.pending = list(result.rebased.kept)
        current.conflicts = [*current.conflicts, *result.rebased.conflicts]
        current.meanwhile = result.meanwhile
        return "conflict", result
    current.pending = []
    current.meanwhile = ""
    current.base_hash = ""
    return "saved", result.package.version


def pending_banner() -> None:
    """Every page of an editing session says how many changes are not saved yet."""
    if not edit_enabled() or _STATE not in st.session_state:
        return
    count = len(state().pending)
    if count:
        st.warning(t("pending_banner_one") if count == 1 else t("pending_banner", n=count))


def problem_texts(problems: list[Problem], lang: str) -> list[str]:
    return [p.text(lang) for p in problems]
