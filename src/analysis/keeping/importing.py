"""Keeping a package current: import a workbook into a package folder, with the version bumped,
`created` set and a CHANGELOG.md entry for what changed."""

from __future__ import annotations

import json
import os
import shutil
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
from analysis.keeping.workbook import package_text_frames
from analysis.keeping.workbook_reading import staged_package
from analysis.package import Package, load_package
from analysis.problems import PackageInvalid, Problem


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


def import_workbook(data: bytes, out: str | Path, created: str | None = None) -> Imported:
    """Turn a workbook into the package in OUT. When OUT already holds a package, the new one
    gets the next version (minor when partnerships or status events were added, else patch),
    `created` = CREATED (default: now) and a CHANGELOG.md entry; nothing changed, nothing is
    rewritten. Raises PackageInvalid and leaves OUT untouched when the workbook is invalid."""
    out = Path(out)
    old = _old_package(out)
    new, stage = staged_package(data, out)
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
        _move_into_place(stage, out)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    # validated in the stage; the files moved unchanged, so no second validation
    return Imported(descriptor, out / "datapackage.json", changes)


def _move_into_place(stage: Path, out: Path) -> None:
    """Every file of STAGE replaces its namesake in OUT (one rename each, same file system)."""
    out.mkdir(parents=True, exist_ok=True)
    for source in sorted(p for p in stage.rglob("*") if p.is_file()):
        target = out / source.relative_to(stage)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(source, target)
