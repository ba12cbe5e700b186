"""Keeping a package current: import a workbook into a package folder, with the version bumped,
`created` set and a CHANGELOG.md entry for what changed."""

from __future__ import annotations

import json
import os
import shutil
import stat
from dataclasses import dataclass
from pathlib import Path

from analysis.keeping.changes import (
    CHANGELOG,
    PackageChanges,
    as_markdown,
    bumped_version,
    first_version_entry,
    now_created,
    package_changes,
    prepend_changelog,
)
from analysis.keeping.leftovers import clean_leftovers
from analysis.keeping.saving import carry_other_files
from analysis.keeping.versions import exchange, free_name, live_folder, locked, point_live_at, prune, versions_folder
from analysis.keeping.workbook import package_text_frames
from analysis.keeping.workbook_reading import staged_package
from analysis.package import Package, load_package
from analysis.problems import PackageInvalid, Problem
from analysis.uploaded import checked_workbook_in_worker


@dataclass(frozen=True)
class Imported:
    """What an import did: the descriptor now in the folder and the changes (None for a first
    version; empty when nothing changed and nothing was written)."""

    descriptor: dict
    descriptor_path: Path
    changes: PackageChanges | None


def _old_package(out: Path) -> Package | None:
    """The package already in OUT, None when OUT is absent or empty; refuses anything else."""
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        return None
    if not (out / "datapackage.json").is_file():
        problem = Problem(str(out), None, None, code="import_folder_not_a_package", params={"folder": out})
        raise PackageInvalid([problem], str(out))
    try:
        return load_package(out)
    except PackageInvalid as invalid:  # say whose problems these are: the folder's, not the workbook's
        first = Problem(str(out), None, None, code="import_folder_invalid")
        raise PackageInvalid([first, *invalid.problems], str(out)) from invalid


def _write_descriptor(path: Path, descriptor: dict) -> None:
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def import_workbook(
    data: bytes, out: str | Path, created: str | None = None, name: str = "workbook.xlsx", limits=None
) -> Imported:
    """Turn a workbook (DATA, the file NAME) into the package in OUT. When OUT already holds a
    package, the new one gets the next version (minor when partnerships or status events were
    added, else patch), `created` = CREATED (default: now) and a CHANGELOG.md entry; nothing
    changed, nothing is rewritten. The workbook is read and checked in the sandbox's worker (with
    LIMITS, default analysis.uploaded.IMPORT_LIMITS), as an upload is. Raises PackageInvalid and
    leaves OUT untouched when the workbook is invalid, UploadRefused when the worker died reading it."""
    out = Path(out)
    clean_leftovers(live_folder(out))
    old = _old_package(out)
    versioned = out.is_symlink()  # a live folder the edit mode keeps in versions
    checked = checked_workbook_in_worker(data, name, limits=limits)
    new, stage = staged_package(checked, versions_folder(live_folder(out)) / "import" if versioned else out)
    try:
        new_frames = package_text_frames(new)
        descriptor = dict(new.descriptor)
        existing = (out / CHANGELOG).read_text(encoding="utf-8") if (out / CHANGELOG).is_file() else None
        if old is None:
            changes = None
            entry = first_version_entry(descriptor, new_frames)
        else:
            changes = package_changes(old.descriptor, package_text_frames(old), descriptor, new_frames)
            if not changes:
                return Imported(old.descriptor, old.descriptor_path, changes)
            descriptor["version"] = bumped_version(str(old.descriptor.get("version", "")), changes)
            descriptor["created"] = created or now_created()
            changes.version = (changes.version[0], descriptor["version"])
            changes.created = (changes.created[0], descriptor["created"])
            entry = as_markdown(changes)
            _write_descriptor(stage / "datapackage.json", descriptor)
        (stage / CHANGELOG).write_text(prepend_changelog(existing, entry), encoding="utf-8")
        if old is not None:  # notes, a README, a licence beside the data stay
            carry_other_files(old.descriptor_path.parent, stage, descriptor)
        _put_in_place(stage, out, versioned, descriptor)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    # validated in the stage; the files moved unchanged, so no second validation
    return Imported(descriptor, out / "datapackage.json", changes)


def _put_in_place(stage: Path, out: Path, versioned: bool, descriptor: dict) -> None:
    """STAGE, the whole new package, becomes OUT in one step: as the next kept version when OUT is
    a live folder kept in versions, by exchanging the two folders when OUT holds the old package
    (a kill at any moment leaves the old or the new package whole), by a rename when OUT is new."""
    if versioned:
        live = live_folder(out)
        with locked(live):
            folder = free_name(versions_folder(live), str(descriptor.get("version") or "import"))
            os.rename(stage, folder)
            point_live_at(live, folder)
        prune(live)
        return
    if out.exists():
        os.chmod(stage, stat.S_IMODE(out.stat().st_mode))
    else:
        os.chmod(stage, 0o777 & ~_umask())
    if not out.exists() or (out.is_dir() and not any(out.iterdir())):
        os.replace(stage, out)  # a rename onto an empty folder replaces it
        return
    try:
        exchange(stage, out)
    except OSError:  # a system or file system without renameat2: file by file, as before
        _move_into_place(stage, out)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _move_into_place(stage: Path, out: Path) -> None:
    """Every file of STAGE replaces its namesake in OUT (one rename each, same file system)."""
    out.mkdir(parents=True, exist_ok=True)
    for source in sorted(p for p in stage.rglob("*") if p.is_file()):
        target = out / source.relative_to(stage)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
