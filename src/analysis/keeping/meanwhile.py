"""Kept (unsaved) changes against what others saved since they were made: which rows someone else
changed meanwhile, who, in which version and how, so that continuing kept changes never overwrites
another editor's save unseen.

The version the kept changes were made on is found among the kept versions by its content hash;
each save after it is compared with the one before (the author is the "Von / by" line of its
CHANGELOG.md entry). A kept change that touches a row changed meanwhile is not carried over: it is
answered together with what was changed, for the page to say so in words.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from analysis.keeping.changes import CHANGELOG, package_changes
from analysis.keeping.editing import Change, primary_keys
from analysis.keeping.versions import versions_folder
from analysis.keeping.workbook import package_text_frames
from analysis.package import Package, load_package
from analysis.package.paths import content_hash
from analysis.problems import NotADataPackage, PackageInvalid

MAX_VERSIONS_WALKED = 20  # saves after the kept changes' version compared; older kept changes: by fit only


@dataclass
class RowChanged:
    """A row someone else changed meanwhile: RESOURCE, its primary KEY and the ROW as it is now
    (as it was, when removed); WHAT: "added", "removed" or "changed" (then FIELDS: field -> (old,
    new)); WHO saved it in VERSION ("" when the changelog does not say)."""

    resource: str
    key: dict
    row: dict
    what: str
    who: str
    version: str
    fields: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)


@dataclass
class Carried:
    """Kept changes set against the saves made since: those that can be carried over, and those
    that touch a row changed meanwhile, each with what was changed there."""

    kept: list[Change]
    conflicts: list[tuple[Change, list[RowChanged]]]


def _author(folder: Path) -> str:
    """Who saved the version in FOLDER: the "Von / by:" line of its newest changelog entry."""
    try:
        with open(folder / CHANGELOG, encoding="utf-8", errors="replace") as handle:
            head = handle.read(20_000)
    except OSError:
        return ""
    entry = head.split("\n## ", 2)
    for line in (entry[1] if len(entry) > 1 else head).splitlines():
        if line.startswith("Von / by:"):
            return line.removeprefix("Von / by:").strip()
    return ""


def _saved_since(live: Path, base_hash: str) -> list[tuple[Path, Package]] | None:
    """The kept versions from the one with BASE_HASH up to the live one, oldest first, loaded; None
    when that version is no longer kept (or more than MAX_VERSIONS_WALKED saves lie between)."""
    versions = versions_folder(live)
    if versions.is_symlink() or not versions.is_dir():
        return None
    current = live.resolve()
    folders = [p for p in versions.iterdir() if not p.name.startswith(".") and p.is_dir() and not p.is_symlink()]
    folders.sort(key=lambda p: p.stat().st_mtime_ns, reverse=True)  # newest first: saves follow one another
    walked: list[Path] = []
    found = False
    reached_live = False
    for folder in folders:
        reached_live = reached_live or folder.resolve() == current
        if not reached_live:
            continue  # saved after a restore made an older version live: not in this line
        walked.append(folder)
        try:
            if content_hash(folder / "datapackage.json") == base_hash:
                found = True
                break
        except (OSError, NotADataPackage, PackageInvalid):
            continue
        if len(walked) > MAX_VERSIONS_WALKED:
            return None
    if not found:
        return None
    try:
        return [(folder, load_package(folder)) for folder in reversed(walked)]
    except (OSError, NotADataPackage, PackageInvalid):
        return None


def rows_changed_since(live: Path, base_hash: str) -> list[RowChanged] | None:
    """Every row changed in the saves since the version BASE_HASH of the package at LIVE, with who
    saved it; None when that version cannot be found among the kept ones."""
    line = _saved_since(Path(os.path.abspath(live)), base_hash)
    if line is None:
        return None
    found: dict[tuple[str, tuple], RowChanged] = {}
    for (_, older), (folder, newer) in zip(line, line[1:], strict=False):
        old_frames, new_frames = package_text_frames(older), package_text_frames(newer)
        changes = package_changes(older.descriptor, old_frames, newer.descriptor, new_frames)
        who, version = _author(folder), str(newer.descriptor.get("version") or folder.name)
        for name, resource in changes.resources.items():
            for what, rows in (("added", resource.added), ("removed", resource.removed)):
                for row in rows:
                    key = {k: row.get(k) for k in resource.key}
                    found[(name, tuple(map(str, key.values())))] = RowChanged(name, key, row, what, who, version)
            for change in resource.changed:
                marker = (name, tuple(map(str, change["key"].values())))
                entry = found.get(marker)
                if entry is None or entry.version != version:
                    now = new_frames[name].filter(_matching(change["key"]))
                    row = now.row(0, named=True) if now.height else dict(change["key"])
                    entry = found[marker] = RowChanged(name, dict(change["key"]), row, "changed", who, version)
                entry.fields[change["field"]] = (change["old"], change["new"])
    return list(found.values())


def _matching(key: dict) -> pl.Expr:
    expr = pl.lit(True)
    for name, value in key.items():
        expr = expr & pl.col(name).eq_missing(pl.lit(value, dtype=pl.String))
    return expr


def carried_over(live: Path, descriptor: dict, base_hash: str, kept: list[Change]) -> Carried | None:
    """KEPT (made on the version BASE_HASH) split by whether a save since changed a row they touch;
    None when that version is no longer kept (then only whether they still fit can be checked)."""
    changed = rows_changed_since(live, base_hash)
    if changed is None:
        return None
    keys = primary_keys(descriptor)
    by_row = {(c.resource, tuple(str(c.key.get(k)) for k in keys.get(c.resource, c.key))): c for c in changed}
    carried = Carried([], [])
    for change in kept:
        hits = [by_row[row] for row in sorted(change.touched(keys)) if row in by_row]
        if hits:
            carried.conflicts.append((change, hits))
        else:
            carried.kept.append(change)
    return carried
