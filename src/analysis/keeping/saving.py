"""Saving a change set as a new version of a package folder, so that readers never see a half-
written package and every earlier version can be restored.

The live folder (the one `PARTNERSHIPS_DATAPACKAGE` names) becomes a symbolic link to one
version folder in `<live>.versions/` beside it. A save writes the new version into a fresh folder
there, validates it with the one validator, and swaps the link in one rename. The first save of a
plain folder moves it into `<live>.versions/<its version>/` and puts the link in its place (two
renames: for that moment the folder is absent and readers keep the last valid version they had).

A save states the content hash of the version its changes were made on; when that is no longer
the current one, nothing is written and the caller gets what changed meanwhile and which of its
changes can be re-applied (see analysis.keeping.editing.rebase).
"""

from __future__ import annotations

import fcntl
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
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
from analysis.keeping.workbook import package_text_frames
from analysis.keeping.workbook_reading import write_text_package
from analysis.package import Package, load_package
from analysis.problems import PackageInvalid, Problem

KEEP_VERSIONS = 100  # version folders kept beside the live one; the oldest go first (disk stays bounded)


def live_folder(path: str | os.PathLike) -> Path:
    """The live package folder for PATH (a folder or its datapackage.json), not resolved."""
    path = Path(path).expanduser().absolute()
    return path.parent if path.name == "datapackage.json" else path


def versions_folder(live: Path) -> Path:
    return live.parent / f"{live.name}.versions"


@contextmanager
def _locked(live: Path) -> Iterator[None]:
    """One save or restore of LIVE at a time (across processes on this machine)."""
    lock = live.parent / f".{live.name}.lock"
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _free_name(folder: Path, name: str) -> Path:
    """FOLDER/NAME, or NAME-2, NAME-3 … when taken (a version saved again after a restore)."""
    safe = "".join(c if c.isalnum() or c in ".-_" else "_" for c in name) or "version"
    candidate, n = folder / safe, 1
    while candidate.exists():
        n += 1
        candidate = folder / f"{safe}-{n}"
    return candidate


def _point_live_at(live: Path, target: Path) -> None:
    """LIVE becomes a link to TARGET in one rename (a plain folder is first moved into the versions)."""
    if live.exists() and not live.is_symlink():
        descriptor = load_package(live).descriptor
        os.rename(live, _free_name(versions_folder(live), str(descriptor.get("version") or "first")))
    link = live.parent / f".{live.name}.link-{os.getpid()}"
    if link.is_symlink() or link.exists():
        link.unlink()
    os.symlink(os.path.relpath(target, live.parent), link)
    os.replace(link, live)


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

    Raises PackageInvalid (nothing written) when the result is invalid."""
    live = live_folder(path)
    with _locked(live):
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
        stage = Path(tempfile.mkdtemp(prefix=".stage-", dir=versions))
        try:
            write_stage(stage, descriptor, frames, current, entry)
            load_package(stage)  # the whole new version, by the one validator
            folder = _free_name(versions, descriptor["version"])
            os.rename(stage, folder)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        _point_live_at(live, folder)
        _prune(live)
        return Saved(load_package(live), folder, entry)


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


def _prune(live: Path) -> None:
    """The oldest version folders beyond KEEP_VERSIONS removed; the live one is always kept."""
    versions = versions_folder(live)
    current = live.resolve()
    kept = sorted(
        (p for p in versions.iterdir() if p.is_dir() and not p.name.startswith(".") and p.resolve() != current),
        key=lambda p: p.stat().st_mtime_ns,
    )
    for old in kept[: max(0, len(kept) + 1 - KEEP_VERSIONS)]:
        shutil.rmtree(old, ignore_errors=True)


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
    _carry_other_files(root, stage, descriptor)


def _carry_other_files(root: Path, stage: Path, descriptor: dict) -> None:
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


def saved_versions(path: str | os.PathLike) -> list[str]:
    """The kept versions of the package at PATH (folder names in its versions folder), sorted."""
    versions = versions_folder(live_folder(path))
    if not versions.is_dir():
        return []
    return sorted(p.name for p in versions.iterdir() if p.is_dir() and not p.name.startswith("."))


def restore(path: str | os.PathLike, version: str) -> Package:
    """The kept VERSION becomes the live package at PATH again, exactly as it was (one rename).
    Raises PackageInvalid when there is no such version or it is not valid."""
    live = live_folder(path)
    target = versions_folder(live) / version
    if version.startswith(".") or "/" in version or not (target / "datapackage.json").is_file():
        known = ", ".join(saved_versions(live)) or "-"
        raise PackageInvalid(
            [
                Problem(
                    str(live), None, None, code="restore_unknown_version", params={"version": version, "kept": known}
                )
            ],
            str(live),
        )
    with _locked(live):
        load_package(target)
        _point_live_at(live, target)
    return load_package(live)


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
