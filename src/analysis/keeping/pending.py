"""Pending changes kept on the server per editor, so that a reload, a closed tab or a restart loses
nothing: one small JSON file per editor in `<live>.pending/` beside the live package folder (like
`<live>.versions/`), written whenever the editor's pending changes change and removed when they are
saved or discarded.

Why beside the package and not in it: a save copies every other file of the live folder into the
new version (analysis.keeping.saving), and a package folder is what downloads and readers see;
the kept changes are neither data nor served. Bounded: at most MAX_CHANGES changes and MAX_BYTES
per editor, MAX_EDITORS editors (the oldest file goes first). A file that cannot be read as kept
changes is answered as none (and left for the operator), never as an error on the page.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from analysis.keeping.editing import Change, Operation

MAX_CHANGES = 200  # as many as one session may hold unsaved (dashboard.editing.MAX_PENDING)
MAX_BYTES = 2_000_000  # one editor's kept changes on disk
MAX_EDITORS = 50  # editors whose unsaved changes are kept; the oldest file goes first
ACTIONS = ("add", "remove", "update")


@dataclass(frozen=True)
class Kept:
    """An editor's unsaved changes as kept: made on the version BASE_HASH, last changed at WHEN."""

    editor: str
    base_hash: str
    changes: list[Change]
    when: datetime


def pending_folder(live: Path) -> Path:
    """Where the unsaved changes of the live package folder LIVE are kept."""
    return live.parent / f"{live.name}.pending"


def _file(live: Path, editor: str) -> Path:
    """The editor's file: named by a hash of the name (any name is a safe file name then)."""
    digest = hashlib.sha256(" ".join(editor.split()).casefold().encode()).hexdigest()[:32]
    return pending_folder(live) / f"{digest}.json"


def _as_plain(change: Change) -> dict:
    return {
        "kind": change.kind,
        "operations": [
            {"action": op.action, "resource": op.resource, "row": op.row, "key": op.key} for op in change.operations
        ],
    }


def _text_dict(value: object) -> dict:
    """A row or key as kept: names to text or None; anything else is not ours."""
    if not isinstance(value, dict) or not all(
        isinstance(k, str) and (v is None or isinstance(v, str)) for k, v in value.items()
    ):
        raise ValueError("not a row")
    return value


def _as_change(plain: object) -> Change:
    if not isinstance(plain, dict) or not isinstance(plain.get("kind"), str):
        raise ValueError("not a change")
    operations = []
    for op in plain.get("operations") or []:
        if not isinstance(op, dict) or op.get("action") not in ACTIONS or not isinstance(op.get("resource"), str):
            raise ValueError("not an operation")
        operations.append(Operation(op["action"], op["resource"], _text_dict(op["row"]), _text_dict(op["key"])))
    return Change(plain["kind"], tuple(operations))


def keep(live: Path, editor: str, base_hash: str, changes: list[Change], when: datetime | None = None) -> bool:
    """EDITOR's unsaved CHANGES (made on BASE_HASH) kept for LIVE, replacing what was kept; none
    kept removes the file. False when they are too many or too large to keep (nothing changes)."""
    if not changes:
        forget(live, editor)
        return True
    if len(changes) > MAX_CHANGES:
        return False
    when = when or datetime.now().astimezone()
    text = json.dumps(
        {
            "editor": editor,
            "base_hash": base_hash,
            "when": when.isoformat(timespec="seconds"),
            "changes": [_as_plain(c) for c in changes],
        },
        ensure_ascii=False,
    )
    if len(text.encode()) > MAX_BYTES:
        return False
    folder = pending_folder(live)
    folder.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".keep-{os.getpid()}-", suffix=".json", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
        os.replace(temporary, _file(live, editor))  # a reader sees the old file or the new, never half
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _prune(folder)
    return True


def _prune(folder: Path) -> None:
    """At most MAX_EDITORS files: the least recently changed go."""
    files = sorted((p for p in folder.glob("*.json") if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime_ns)
    for old in files[: max(0, len(files) - MAX_EDITORS)]:
        old.unlink(missing_ok=True)


def kept(live: Path, editor: str) -> Kept | None:
    """EDITOR's unsaved changes kept for LIVE, or None (none, or a file that is not ours)."""
    file = _file(live, editor)
    try:
        if file.stat().st_size > MAX_BYTES:
            return None
        plain = json.loads(file.read_text(encoding="utf-8"))
        changes = [_as_change(c) for c in plain["changes"]][:MAX_CHANGES]
        when = datetime.fromisoformat(plain["when"])
        if not changes or not isinstance(plain["base_hash"], str):
            return None
        return Kept(str(plain.get("editor") or ""), plain["base_hash"], changes, when)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def forget(live: Path, editor: str) -> None:
    """EDITOR's kept changes for LIVE removed (saved or discarded)."""
    _file(live, editor).unlink(missing_ok=True)


MAX_WORDS_KEPT = 200  # saved versions whose changes are kept in the office's words
MAX_WORDS_BYTES = 20_000  # characters of one version's words


def _words_file(live: Path, version: str) -> Path:
    safe = "".join(c if c.isalnum() or c in ".-_+" else "_" for c in version)[:100] or "version"
    return pending_folder(live) / "words" / f"{safe}.txt"


def record_words(live: Path, version: str, text: str) -> None:
    """What a save of VERSION changed, in the words the page showed before it was saved (the
    version list says it so); bounded in number and size."""
    folder = _words_file(live, version).parent
    folder.mkdir(parents=True, exist_ok=True)
    _words_file(live, version).write_text(text[:MAX_WORDS_BYTES], encoding="utf-8")
    files = sorted(folder.glob("*.txt"), key=lambda p: p.stat().st_mtime_ns)
    for old in files[: max(0, len(files) - MAX_WORDS_KEPT)]:
        old.unlink(missing_ok=True)


def recorded_words(live: Path, version: str) -> str:
    """The words recorded for VERSION, "" when none."""
    try:
        return _words_file(live, version).read_text(encoding="utf-8")[:MAX_WORDS_BYTES]
    except OSError:
        return ""
