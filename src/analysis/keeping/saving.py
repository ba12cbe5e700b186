"""Saving a change set as a new version of a package folder, so that readers never see a half-
written package and every earlier version can be restored (the versions: analysis.keeping.versions).

A save writes the new version into a fresh folder in `<live>.versions/`, validates it with the one
validator, and makes the live folder a link to it in one step. It states the content hash of the
version its changes were made on; when that is no longer the current one, nothing is written and
the caller gets what changed meanwhile and which of its changes can be re-applied (see
analysis.keeping.editing.rebase). Disk full, read-only, permission denied: a problem in words.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

import polars as pl

from analysis.keeping.changes import (
    CHANGELOG,
    as_markdown,
    as_text,
    bumped_version,
    now_created,
    package_changes,
    prepend_changelog,
)
from analysis.keeping.editing import Change, Rebased, apply, rebase
from analysis.keeping.leftovers import clean_leftovers
from analysis.keeping.versions import (
    free_name,
    live_folder,
    locked,
    os_problem,
    point_live_at,
    prune,
    recover,
    restore,
    saved_versions,
    versions_folder,
)
from analysis.keeping.workbook import package_text_frames
from analysis.keeping.workbook_reading import write_text_package
from analysis.package import Package, load_package
from analysis.problems import PackageInvalid, Problem


@dataclass(frozen=True)
class Saved:
    """A save that was written: the new package, its folder, and the changelog entry."""

    package: Package
    folder: Path
    entry: str


@dataclass(frozen=True)
class Conflict:
    """A save refused because the package changed since BASE: the current package, what changed
    meanwhile (in words), and the pending changes split into re-applicable and conflicting."""

    current: Package
    meanwhile: str
    rebased: Rebased


def _entry(markdown: str, who: str) -> str:
    """The changelog entry with who saved it under its heading."""
    heading, _, rest = markdown.partition("\n")
    name = " ".join(who.split()) or "?"
    return f"{heading}\n\nVon / by: {name}\n{rest}"


def save(
    path: str | os.PathLike,
    base_hash: str,
    base_frames: dict[str, pl.DataFrame],
    pending: list[Change],
    who: str,
    created: str | None = None,
) -> Saved | Conflict:
    """PENDING, made on the version with content hash BASE_HASH (whose text frames are
    BASE_FRAMES), written as the next version of the package at PATH by WHO.

    Raises PackageInvalid (nothing written) when the result is invalid or cannot be written
    (disk full, read-only, permission denied: said in words)."""
    live = live_folder(path)
    try:
        return _save(live, base_hash, base_frames, pending, who, created)
    except OSError as error:
        raise os_problem(live, error) from error


def _save(
    live: Path, base_hash: str, base_frames: dict[str, pl.DataFrame], pending: list[Change], who: str, created
) -> Saved | Conflict:
    with locked(live):
        recover(live)
        clean_leftovers(live)
        current = load_package(live)
        if current.content_hash != base_hash:
            current_frames = package_text_frames(current)
            meanwhile = package_changes(current.descriptor, base_frames, current.descriptor, current_frames)
            text = "\n".join(as_text(meanwhile).splitlines()[2:])
            return Conflict(current, text, rebase(current.descriptor, base_frames, current_frames, pending))
        frames = apply(package_text_frames(current), pending)
        descriptor = dict(current.descriptor)
        changes = package_changes(current.descriptor, base_frames, descriptor, frames)
        if not changes:
            raise PackageInvalid([Problem("datapackage.json", None, None, code="save_nothing")], str(live))
        descriptor["version"] = _unused_version(live, str(current.descriptor.get("version", "")), changes)
        descriptor["created"] = created or now_created()
        changes.version = (changes.version[0], descriptor["version"])
        changes.created = (changes.created[0], descriptor["created"])
        entry = _entry(as_markdown(changes), who)
        versions = versions_folder(live)
        versions.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=f".stage-{os.getpid()}-", dir=versions))
        try:
            write_stage(stage, descriptor, frames, current, entry)
            checked = load_package(stage)  # the whole new version, by the one validator
            folder = free_name(versions, descriptor["version"])
            os.rename(stage, folder)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        point_live_at(live, folder)
        prune(live)
        # the files that were checked, now live: the same frames and hash, no second validation
        return Saved(replace(checked, descriptor_path=live / "datapackage.json"), folder, entry)


def _unused_version(live: Path, version: str, changes) -> str:
    """VERSION bumped for CHANGES, and bumped again while a kept version already has that name (a
    save after a restore): one version number never names two different packages."""
    kept = set(saved_versions(live))
    bumped = bumped_version(version, changes)
    for _ in range(len(kept) + 1):
        if bumped not in kept:
            break
        bumped = bumped_version(bumped, changes)
    return bumped


def write_stage(stage: Path, descriptor: dict, frames: dict[str, pl.DataFrame], current: Package, entry: str) -> None:
    """The new version's files in STAGE: CSVs, descriptor, the changelog with ENTRY on top, and
    every other file of the current version (notes, a README, a licence) as it was; STAGE gets
    the current folder's permissions (a fresh temporary folder is the owner's alone, and read-only
    instances may run as another user)."""
    root = current.descriptor_path.parent
    os.chmod(stage, stat.S_IMODE(root.resolve().stat().st_mode))
    write_text_package(descriptor, frames, stage)
    old_log = root / CHANGELOG
    existing = old_log.read_text(encoding="utf-8") if old_log.is_file() else None
    (stage / CHANGELOG).write_text(prepend_changelog(existing, entry), encoding="utf-8")
    carry_other_files(root, stage, descriptor)


def carry_other_files(root: Path, stage: Path, descriptor: dict) -> None:
    """The files of ROOT that a save does not write itself, copied into STAGE (links are not followed)."""
    written = {"datapackage.json", CHANGELOG}
    written |= {PurePosixPath(str(r.get("path", "")).replace("\\", "/")).as_posix() for r in descriptor["resources"]}
    for folder, subfolders, files in os.walk(root, followlinks=False):
        subfolders[:] = [name for name in subfolders if not os.path.islink(os.path.join(folder, name))]
        for name in files:
            file = Path(folder) / name
            relative = file.relative_to(root).as_posix()
            if relative in written or file.is_symlink() or not file.is_file():
                continue
            target = stage / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, target)


MAX_CHANGELOG_SHOWN = 20_000  # characters of CHANGELOG.md a page shows (newest entries first)


def changelog_text(path: str | os.PathLike, limit: int = MAX_CHANGELOG_SHOWN) -> str:
    """The live package's CHANGELOG.md at PATH, its first LIMIT characters (newest first; a cut
    is marked), or "" when there is none."""
    log = live_folder(path) / CHANGELOG
    try:
        with open(log, encoding="utf-8", errors="replace") as handle:
            text = handle.read(limit + 1)
    except OSError:
        return ""
    return text if len(text) <= limit else text[:limit] + "\n…"


def newest_entry(changelog: str) -> str:
    """The first entry (a "## " heading and what follows up to the next one) of a CHANGELOG.md
    text, newest first; the whole text when it has no such heading."""
    start = changelog.find("\n## ")
    if start < 0:
        return changelog
    end = changelog.find("\n## ", start + 1)
    return changelog[start + 1 : end if end >= 0 else None].strip()


__all__ = ["Conflict", "Saved", "changelog_text", "live_folder", "newest_entry", "restore", "save", "saved_versions"]
