"""The edit mode's state in a session: whether editing is on, who edits, the pending change set
and the version it was made on, and saving it (analysis.keeping.saving). Nothing here writes unless
PARTNERSHIPS_EDIT=1 and the package is not the embedded one."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl
import streamlit as st

from analysis.keeping import pending as kept_changes
from analysis.keeping.editing import Change, Checked, apply, check_change, check_frames
from analysis.keeping.meanwhile import carried_over
from analysis.keeping.pending import Kept
from analysis.keeping.saving import Conflict, live_folder, save
from analysis.keeping.workbook import package_text_frames
from analysis.package import EMBEDDED_DESCRIPTOR, Package
from analysis.problems import NotADataPackage, PackageInvalid, Problem
from analysis.settings import read_settings
from dashboard.loading import server_location
from present import i18n
from present.i18n import t

MAX_PENDING = 200  # changes one session may hold unsaved (memory stays bounded)
_STATE = "_edit_state"


def edit_enabled() -> bool:
    """Whether the operator started this instance with editing on (PARTNERSHIPS_EDIT=1)."""
    return read_settings().edit


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
    """One session's pending changes, made on the version BASE_HASH (text frames BASE_FRAMES,
    descriptor BASE_DESCRIPTOR); while changes are pending, FRAMES are the base's text frames with
    them applied and PREVIEW the package the pages show: the typed frames the validator made of
    FRAMES when the last change was taken (never validated again on a rerun)."""

    base_hash: str = ""
    base_frames: dict[str, pl.DataFrame] | None = None
    base_descriptor: dict | None = None
    base_path: Path | None = None
    pending: list[Change] | None = None
    conflicts: list[Change] | None = None
    meanwhile: str = ""
    frames: dict[str, pl.DataFrame] | None = None
    preview: Package | None = None
    words: dict[str, str] = field(default_factory=dict)  # the diff in words, per change and language
    editor: str = ""  # whose unsaved changes these are (kept on the server under that name)
    kept_answered: bool = False  # the offer of kept changes was taken or declined in this session
    not_kept: bool = False  # the last change could not be kept on the server (too large)
    # kept changes not carried over because someone else saved their rows since: (change, rows)
    changed_meanwhile: list = field(default_factory=list)


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
        current.base_descriptor = package.descriptor
        current.base_path = package.descriptor_path
        current.frames = current.preview = None
    return current


def current_frames() -> dict[str, pl.DataFrame]:
    """The text frames with every pending change applied (the base's while nothing is pending)."""
    current = state()
    return current.frames if current.pending and current.frames is not None else current.base_frames


def preview_package() -> Package | None:
    """The package this editing session's pages show: the saved version with the pending changes
    applied, or None when edit mode is off or nothing is pending."""
    current = st.session_state.get(_STATE)
    if not edit_enabled() or current is None or not current.pending:
        return None
    return current.preview


def preview_hash(base_hash: str, pending: list[Change]) -> str:
    """A content hash of the saved version BASE_HASH with PENDING applied: another hash than the
    saved version's, so nothing derived from one is taken for the other."""
    digest = hashlib.sha256(base_hash.encode())
    for change in pending:
        digest.update(repr(change).encode())
    return f"pending-{digest.hexdigest()}"


def unsaved_version(version: str, count: int) -> str:
    """The version the pages (and downloads) name while COUNT changes are unsaved: the saved one
    with SemVer build metadata, e.g. 1.2.0+unsaved.3."""
    return f"{version}{'.' if '+' in version else '+'}unsaved.{count}"


def _take(current: EditState, checked: Checked, pending: list[Change]) -> None:
    """PENDING, checked without a problem as CHECKED, become the session's pending changes."""
    current.pending = pending
    if not pending:
        current.frames = current.preview = None
        return
    descriptor = {
        **current.base_descriptor,
        "version": unsaved_version(str(current.base_descriptor.get("version") or ""), len(pending)),
        "created": checked.created,
    }
    current.frames = checked.frames
    current.preview = Package(descriptor, current.base_path, checked.typed, preview_hash(current.base_hash, pending))


def _live() -> Path:
    return live_folder(server_location())


def _remember(current: EditState) -> None:
    """The session's pending changes kept on the server under its editor's name (removed when none)."""
    current.kept_answered = True  # what is kept now is this session's own
    current.not_kept = not kept_changes.keep(_live(), current.editor, current.base_hash, current.pending)


def set_editor(name: str) -> None:
    """The session's editor is NAME: unsaved changes move to that name's keeping."""
    current = state()
    name = " ".join(name.split())
    if name == current.editor:
        return
    if current.pending:
        kept_changes.forget(_live(), current.editor)
        current.editor = name
        _remember(current)
    else:
        current.editor = name
        current.kept_answered = False  # another name: its kept changes may be offered


def offered() -> Kept | None:
    """The editor's unsaved changes kept from an earlier session, while this one has none and has
    not answered the offer yet."""
    current = state()
    if current.pending or current.kept_answered:
        return None
    return kept_changes.kept(_live(), current.editor)


def resume(package: Package) -> None:
    """The kept changes taken into this session, moved onto PACKAGE when it is another version than
    the one they were made on; those that no longer fit are listed as conflicts, not lost."""
    current = base_of(package)
    found = offered()
    current.kept_answered = True
    if found is None:
        return
    changes = list(found.changes)
    if found.base_hash != package.content_hash:  # saved meanwhile: never overwrite another's rows unseen
        carried = carried_over(_live(), package.descriptor, found.base_hash, changes)
        if carried is not None:
            changes = carried.kept
            current.changed_meanwhile = carried.conflicts
    misfits = _rebase_onto(current, package, changes)
    current.conflicts = [*current.conflicts, *(change for change, _ in current.changed_meanwhile), *misfits]
    _remember(current)


def discard_kept() -> None:
    """The kept changes of the session's editor thrown away, unseen."""
    current = state()
    current.kept_answered = True
    kept_changes.forget(_live(), current.editor)


def discard_all() -> None:
    """Every pending change of this session thrown away (and what is kept of them)."""
    current = state()
    _take(current, Checked(current.base_frames, [], {}, []), [])
    _remember(current)


def trial(package: Package, change: Change) -> Checked:
    """CHANGE checked on top of the pending ones, nothing taken yet."""
    current = base_of(package)
    if len(current.pending) >= MAX_PENDING:
        full = Problem("", None, None, code="edit_too_many_pending", params={"count": MAX_PENDING})
        return Checked(current.base_frames, [full], {}, [full])
    # only CHANGE is applied: the pending ones already are, in current_frames()
    return check_change(current.base_descriptor, current_frames(), [], change)


def take(package: Package, change: Change, checked: Checked) -> None:
    """CHANGE, checked without a problem as CHECKED, joins the pending ones (and is kept on the server)."""
    current = base_of(package)
    _take(current, checked, [*current.pending, change])
    _remember(current)


def propose(package: Package, change: Change) -> Checked:
    """CHANGE checked on top of the pending ones; joins them when it has no problem."""
    checked = trial(package, change)
    if not checked.problems:
        take(package, change, checked)
    return checked


def undo(index: int) -> list[Problem]:
    """Pending change INDEX taken back, when the others still make a valid package without it (the
    pages then show them checked anew); else nothing changes and the problems say why (a later
    change builds on it: undo that first)."""
    current = state()
    if not 0 <= index < len(current.pending):
        return []
    rest = [change for i, change in enumerate(current.pending) if i != index]
    if not rest:
        _take(current, Checked(current.base_frames, [], {}, []), [])
        _remember(current)
        return []
    checked = check_frames(current.base_descriptor, apply(current.base_frames, rest))
    if checked.problems:
        return checked.problems
    _take(current, checked, rest)
    _remember(current)
    return []


def words(index: int, describe: Callable[[Change, dict, dict], str]) -> str:
    """Pending change INDEX in words, as DESCRIBE(change, before, after) says it (before and after:
    the text frames without and with it), worked out once per change, what lies before it and the
    language (the page shows every pending change on each rerun)."""
    current = state()
    lang = i18n.lang()
    key = f"{preview_hash(current.base_hash, current.pending[: index + 1])}-{lang}"
    if key not in current.words:
        before = apply(current.base_frames, current.pending[:index])
        after = apply(before, [current.pending[index]])
        current.words[key] = describe(current.pending[index], before, after)
        if len(current.words) > 2 * MAX_PENDING:  # bounded: what undone changes left behind goes
            current.words = {key: current.words[key]}
    return current.words[key]


def _rebase_onto(current: EditState, package: Package, kept: list[Change]) -> list[Change]:
    """KEPT (re-applicable by their rows) moved onto PACKAGE, the new base: checked as a whole once;
    when that fails, one by one, and those that no longer fit are answered as conflicts."""
    current.base_hash = package.content_hash
    current.base_frames = package_text_frames(package)
    current.base_descriptor = package.descriptor
    current.base_path = package.descriptor_path
    checked = check_frames(package.descriptor, apply(current.base_frames, kept))
    if not checked.problems:
        _take(current, checked, kept)
        return []
    taken: list[Change] = []
    misfits: list[Change] = []
    _take(current, Checked(current.base_frames, [], {}, []), [])
    for change in kept:
        one = check_change(package.descriptor, current_frames(), [], change)
        if one.problems:
            misfits.append(change)
        else:
            taken.append(change)
            _take(current, one, list(taken))
    return misfits


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
        # the conflicting changes with who changed their rows meanwhile, and how (as "fortsetzen" says it)
        named = carried_over(_live(), result.current.descriptor, current.base_hash, list(result.rebased.conflicts))
        if named is not None:
            current.changed_meanwhile = [*current.changed_meanwhile, *named.conflicts]
        misfits = _rebase_onto(current, result.current, list(result.rebased.kept))
        current.conflicts = [*current.conflicts, *result.rebased.conflicts, *misfits]
        current.meanwhile = result.meanwhile
        _remember(current)
        return "conflict", result
    _take(current, Checked(current.base_frames, [], {}, []), [])
    _remember(current)
    current.meanwhile = ""
    current.changed_meanwhile = []
    current.base_hash = ""
    return "saved", result.package.version


def pending_banner() -> None:
    """Every page of an editing session says how many changes are not saved yet, and that the
    page already shows them."""
    if not edit_enabled() or _STATE not in st.session_state:
        return
    count = len(state().pending)
    if count:
        counted = t("pending_banner_one") if count == 1 else t("pending_banner", n=count)
        st.warning(f"{counted}. {t('pending_banner_shown')}")


def problem_texts(problems: list[Problem], lang: str) -> list[str]:
    return [p.text(lang) for p in problems]
