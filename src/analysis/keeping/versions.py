"""The versions of a package folder: the live folder a link to one version folder in
`<live>.versions/` beside it, swapped in one step, and every kept version restorable.

The first save of a plain folder exchanges it with the link in one step (Linux' renameat2
RENAME_EXCHANGE), then moves it into `<live>.versions/<its version>/`: a kill between any two
steps leaves a live version (a folder left at the exchange's name is put into the versions by the
next save or restore). The versions folder never follows a link: a link planted there is neither
listed, pruned nor restored, and version names are short and plain (letters, digits, . - _).
Disk full, a read-only disk or a denied permission is a problem in words; the live version stays.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.keeping.leftovers import clean_leftovers
from analysis.package import Package, load_package
from analysis.problems import PackageInvalid, Problem, shorten

KEEP_VERSIONS = 100  # version folders kept beside the live one; the oldest go first (disk stays bounded)
MAX_VERSION_NAME = 64  # characters of a version folder's name
VERSION_NAME = re.compile(rf"^[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_VERSION_NAME - 1}}}$")
OS_PROBLEMS = {
    errno.ENOSPC: "save_no_space",
    errno.EDQUOT: "save_no_space",
    errno.EROFS: "save_read_only",
    errno.EACCES: "save_denied",
    errno.EPERM: "save_denied",
}


def live_folder(path: str | os.PathLike) -> Path:
    """The live package folder for PATH (a folder or its datapackage.json), not resolved."""
    path = Path(path).expanduser().absolute()
    return path.parent if path.name == "datapackage.json" else path


def versions_folder(live: Path) -> Path:
    return live.parent / f"{live.name}.versions"


@contextmanager
def locked(live: Path) -> Iterator[None]:
    """One save or restore of LIVE at a time (across processes on this machine)."""
    lock = live.parent / f".{live.name}.lock"
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def free_name(folder: Path, name: str) -> Path:
    """FOLDER/NAME, or NAME-2, NAME-3 … when taken (a version saved again after a restore); NAME
    made plain (letters, digits, . - _) and short, so any `version` a descriptor holds is a name."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in ".-_") else "_" for c in name)
    safe = safe.lstrip("._-")[: MAX_VERSION_NAME - 8] or "version"
    candidate, n = folder / safe, 1
    while candidate.exists() or candidate.is_symlink():
        n += 1
        candidate = folder / f"{safe}-{n}"
    return candidate


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def exchange(first: Path, second: Path) -> None:
    """FIRST and SECOND swap names in one step (renameat2 RENAME_EXCHANGE); raises OSError when
    the system or the file system cannot (then nothing changed)."""
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available")
    if renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first))


def point_live_at(live: Path, target: Path) -> None:
    """LIVE becomes a link to TARGET in one step. A plain folder is exchanged with the link, then
    moved into the versions; where the system cannot exchange, it is moved first (two renames)."""
    link = live.parent / f".{live.name}.link-{os.getpid()}"  # none left: recover() ran under the lock
    os.symlink(os.path.relpath(target, live.parent), link)
    if not live.exists() or live.is_symlink():
        os.replace(link, live)
        return
    try:
        exchange(link, live)
    except OSError:
        os.unlink(link)
        _keep_as_version(live, live)
        os.symlink(os.path.relpath(target, live.parent), link)
        os.replace(link, live)
        return
    _keep_as_version(live, link)  # LINK now names the plain folder that was live


def _keep_as_version(live: Path, folder: Path) -> None:
    """FOLDER, a plain package folder that was live, moved into LIVE's versions under its version."""
    descriptor = load_package(folder).descriptor
    versions = versions_folder(live)
    versions.mkdir(parents=True, exist_ok=True)
    os.rename(folder, free_name(versions, str(descriptor.get("version") or "first")))


def recover(live: Path) -> None:
    """What a killed save left at an exchange's name, under the lock: a folder (the plain folder
    that was live) goes into the versions, a link is removed."""
    for left in live.parent.glob(f".{live.name}.link-*"):
        if left.is_symlink() or left.is_file():
            left.unlink()
        elif left.is_dir():
            _keep_as_version(live, left)


def os_problem(live: Path, error: OSError) -> PackageInvalid:
    """An OSError of a save or restore as a problem in words, naming the package folder by its name."""
    code = OS_PROBLEMS.get(error.errno, "save_os_error")
    problem = Problem(live.name, None, None, code=code, params={"reason": error.strerror or type(error).__name__})
    return PackageInvalid([problem], live.name)


def prune(live: Path) -> None:
    """The oldest version folders beyond KEEP_VERSIONS removed; the live one is always kept."""
    versions = versions_folder(live)
    current = live.resolve()
    folders = [p for p in versions.iterdir() if not p.is_symlink() and p.is_dir() and not p.name.startswith(".")]
    kept = sorted((p for p in folders if p.resolve() != current), key=lambda p: p.stat().st_mtime_ns)
    for old in kept[: max(0, len(kept) + 1 - KEEP_VERSIONS)]:
        shutil.rmtree(old, ignore_errors=True)


def saved_versions(path: str | os.PathLike) -> list[str]:
    """The kept versions of the package at PATH (folder names in its versions folder), sorted."""
    versions = versions_folder(live_folder(path))
    if versions.is_symlink() or not versions.is_dir():
        return []
    return sorted(
        p.name for p in versions.iterdir() if VERSION_NAME.match(p.name) and p.is_dir() and not p.is_symlink()
    )


def restore(path: str | os.PathLike, version: str) -> Package:
    """The kept VERSION becomes the live package at PATH again, exactly as it was (one rename).
    Raises PackageInvalid when there is no such version or it is not valid."""
    live = live_folder(path)
    target = versions_folder(live) / version
    # a plain, short name of a real folder, no link, and its descriptor no link out of it either
    if version not in saved_versions(live) or (target / "datapackage.json").is_symlink():
        known = ", ".join(saved_versions(live)) or "-"
        params = {"version": shorten(version), "kept": shorten(known, 300)}
        problem = Problem(live.name, None, None, code="restore_unknown_version", params=params)
        raise PackageInvalid([problem], live.name)
    try:
        with locked(live):
            recover(live)
            clean_leftovers(live)
            load_package(target)
            point_live_at(live, target)
    except OSError as error:
        raise os_problem(live, error) from error
    return load_package(live)
