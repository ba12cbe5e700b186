"""What a save, an import, a kept change or a command's output file killed midway leaves behind,
cleaned at the next one (and when an editing server starts): the hidden folders and files they
write before one rename puts them in place (named as `tempfile` names them: 8 random
characters). Only names of those patterns are touched, in the places they are made, and only
when left by a process that is gone:

- older than the running process (it started after them, so it did not make them) and at least
  MIN_AGE old (another process on the same folder, a second server or a replica, may have started
  one a moment before this one started and still be writing it);
- when the name carries the id of the process that made it (`-<pid>-`), that process is not
  running on this machine.

Anything else in these folders, a link above all (never followed), stays as it is.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

MIN_AGE = 600.0  # seconds: a save or an import takes seconds, a worker at most 90 s
_IMPORTED_AT = time.time()


def process_started() -> float:
    """When this process started (seconds since the epoch), from /proc; where there is none, when
    this module was imported (later, so nothing younger than the process is ever taken for older)."""
    try:
        fields = Path("/proc/self/stat").read_text().rsplit(")", 1)[1].split()
        ticks = int(fields[19])  # field 22 of the whole line: start time after boot, in clock ticks
        boot = next(
            int(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime ")
        )
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return _IMPORTED_AT


def stage_patterns(near: Path) -> list[tuple[Path, re.Pattern]]:
    """The folders where leftovers of the package folder NEAR's saves and imports lie, with the
    names they carry: a plain folder's import stage beside it, a save's or an import's stage in
    its versions folder, a kept change's temporary file in its pending folder."""
    versions = near.parent / f"{near.name}.versions"
    pending = near.parent / f"{near.name}.pending"
    own = re.escape(near.name)
    return [
        (near.parent, re.compile(rf"^\.{own}-import-(?:(\d+)-)?[a-z0-9_]{{8}}$")),
        (versions, re.compile(r"^\.stage-(?:(\d+)-)?[a-z0-9_]{8}$")),
        (versions, re.compile(r"^\.import-import-(?:(\d+)-)?[a-z0-9_]{8}$")),
        (pending, re.compile(r"^\.keep-(?:(\d+)-)?[a-z0-9_]{8}\.json$")),
    ]


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True


def _left_behind(entry: Path, pid: str | None, before: float) -> bool:
    try:
        modified = entry.lstat().st_mtime
    except OSError:
        return False
    return modified < before and (pid is None or not _running(int(pid)))


def clean_leftovers(near: Path, now: float | None = None) -> list[Path]:
    """The leftovers of killed saves and imports of the package folder NEAR removed; answers what
    was removed. Never raises: a leftover that cannot be removed stays for the next time."""
    removed = []
    for folder, pattern in stage_patterns(Path(near)):
        removed += clean_named(folder, pattern, now)
    return removed


def part_pattern(path: Path) -> re.Pattern:
    """The names of the temporary files a whole write of PATH makes beside it (console.common)."""
    return re.compile(rf"^\.{re.escape(path.name)}\.(\d+)-[a-z0-9_]{{8}}\.part$")  # only those with a process id


def clean_named(folder: Path, pattern: re.Pattern, now: float | None = None) -> list[Path]:
    """The entries of FOLDER whose names match PATTERN (its first group: the id of the process that
    made them, if named) and that gone processes left (see the module's rule) removed."""
    now = time.time() if now is None else now
    before = min(process_started(), now - MIN_AGE)
    removed: list[Path] = []
    try:
        if folder.is_symlink() or not folder.is_dir():
            return removed
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None or not _left_behind(entry, match.group(1), before):
            continue
        try:
            if entry.is_symlink() or entry.is_file():
                entry.unlink()
            elif entry.is_dir():
                shutil.rmtree(entry)
            removed.append(entry)
        except OSError:
            continue
    return removed
