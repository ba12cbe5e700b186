"""What a visitor sent (a zipped package or a workbook), read in the sandbox's worker into plain
data: the descriptor, each typed frame as Arrow IPC bytes and the content hash; or why not.

`read_in_worker` runs inside the worker (in its scratch folder, with its limits); nothing it
answers names that folder: a problem names the visitor's own files (`data/sources.csv`,
`datapackage.json`). `uploaded_package` runs in the server: it asks the worker and turns the
answer back into a Package, or raises the problem; a worker that died (a limit, an abort) is an
UploadRefused whose text says the file could not be read and why.
"""

from __future__ import annotations

import io
import threading
from dataclasses import dataclass, replace
from pathlib import Path, PurePath

import polars as pl

from analysis.package import Package
from analysis.package.upload import UploadRefused
from analysis.problems import NotADataPackage, PackageInvalid, Problem
from sandbox import LIMITS, Limits, WorkerDied, run_untrusted

PACKAGE_FOLDER = "package"  # inside the worker's scratch folder


@dataclass(frozen=True, eq=False)
class UploadedPackage(Package):
    """A package a visitor sent: valid, and still theirs: whatever renders it (a chart file, the
    report) does so in a worker (sandbox)."""

    def as_plain(self) -> Package:
        """The same package as a plain Package (inside a worker, where it is rendered directly)."""
        return Package(self.descriptor, self.descriptor_path, self.frames, self.content_hash)


def _own_name(value: object, root: str) -> object:
    """VALUE with the worker's folder ROOT taken off any path or text in it."""
    if isinstance(value, PurePath):
        value = str(value)
    if isinstance(value, str):
        return value.replace(root + "/", "").replace(root, ".")
    return value


def _own_names(problem: Problem, root: str) -> Problem:
    params = {key: _own_name(value, root) for key, value in problem.params.items()}
    return replace(problem, resource=str(_own_name(problem.resource, root)), params=params)


def read_in_worker(scratch: Path, data: bytes) -> tuple:
    """In the worker: DATA unpacked (or, a workbook, read and written) into SCRATCH and
    validated. Answers ("package", descriptor, {resource: Arrow IPC}, content hash),
    ("invalid", problems), ("not_package", code, params) or ("refused", code, params)."""
    from analysis.keeping.workbook_reading import workbook_to_package
    from analysis.keeping.xlsx_inspection import is_workbook
    from analysis.package import load_package
    from analysis.package.upload import unpack_package_zip

    folder = scratch / PACKAGE_FOLDER
    root = str(folder.resolve())
    try:
        if is_workbook(data):
            package = workbook_to_package(data, folder)
        else:
            folder.mkdir()
            package = load_package(unpack_package_zip(data, folder))
    except PackageInvalid as invalid:
        return ("invalid", [_own_names(problem, root) for problem in invalid.problems])
    except NotADataPackage as error:
        return ("not_package", error.code, {k: _own_name(v, root) for k, v in error.params.items()})
    except UploadRefused as error:
        return ("refused", error.code, {k: _own_name(v, root) for k, v in error.params.items()})
    return ("package", package.descriptor, _as_ipc(package.frames), package.content_hash)


def warm_worker(scratch: Path) -> None:
    """A spare worker's first work, before a visitor's file reaches it: the embedded package read
    and checked once (Polars, Arrow and frictionless' schemas warm in this process)."""
    from analysis.package import load_package

    load_package()


def uploaded_package(data: bytes, name: str, limits: Limits = LIMITS, stop: threading.Event | None = None) -> Package:
    """The visitor's file NAME (DATA: a zipped package or a workbook) as a valid package, read in
    a worker with LIMITS (stopped when STOP is set). Raises PackageInvalid, NotADataPackage or
    UploadRefused (also when the worker died: the file could not be read)."""
    try:
        answer = run_untrusted(read_in_worker, data, limits=limits, stop=stop, warm_up=warm_worker)
    except WorkerDied as died:
        raise UploadRefused(died.code, name=name) from None
    kind = answer[0]
    if kind == "invalid":
        raise PackageInvalid(answer[1], name)
    if kind == "not_package":
        raise NotADataPackage(answer[1], **answer[2])
    if kind == "refused":
        raise UploadRefused(answer[1], **answer[2])
    _, descriptor, frames, digest = answer
    return UploadedPackage(descriptor, Path(name) / "datapackage.json", _from_ipc(frames), digest)


# `partnerships import` reads a workbook someone filled in: the same worker, the same limits.
IMPORT_LIMITS = LIMITS


def check_workbook_in_worker(scratch: Path, data: bytes, descriptor_changes: dict | None) -> tuple:
    """In the worker: the workbook DATA read and checked in memory (nothing written). Answers
    ("checked", descriptor, {resource: text frame as Arrow IPC}, {resource: typed frame as Arrow
    IPC}) or ("invalid", problems)."""
    from analysis.keeping.workbook_reading import checked_workbook

    try:
        checked = checked_workbook(data, descriptor_changes)
    except PackageInvalid as invalid:
        return ("invalid", invalid.problems, invalid.where)
    return ("checked", checked.descriptor, _as_ipc(checked.text_frames), _as_ipc(checked.typed_frames))


def _as_ipc(frames: dict[str, pl.DataFrame]) -> dict[str, bytes]:
    """FRAMES as Arrow IPC, LZ4-compressed: a fifth of the bytes through the pipe back to the server
    (100,000 partnerships: 17 MB instead of 83 MB, 0.05 s instead of 0.24 s on the way; compressing
    and decompressing add about 0.03 s; bench/worker_cost.py)."""
    answer = {}
    for name, frame in frames.items():
        buffer = io.BytesIO()
        frame.write_ipc(buffer, compression="lz4")
        answer[name] = buffer.getvalue()
    return answer


def _from_ipc(frames: dict[str, bytes]) -> dict[str, pl.DataFrame]:
    return {name: pl.read_ipc(io.BytesIO(raw)) for name, raw in frames.items()}


def checked_workbook_in_worker(data: bytes, name: str, descriptor_changes: dict | None = None, limits=None):
    """The workbook NAME (DATA) read and checked in a worker with LIMITS (default IMPORT_LIMITS), as
    a CheckedWorkbook: a hostile workbook that makes the reader abort or run out of memory ends the
    worker, not the caller. Raises PackageInvalid (its problems), or UploadRefused when the worker
    died (the file could not be read, and why)."""
    from analysis.keeping.workbook_reading import CheckedWorkbook

    try:
        answer = run_untrusted(check_workbook_in_worker, data, descriptor_changes, limits=limits or IMPORT_LIMITS)
    except WorkerDied as died:
        raise UploadRefused(died.code, name=name) from None
    if answer[0] == "invalid":
        raise PackageInvalid(answer[1], answer[2])
    _, descriptor, text_frames, typed_frames = answer
    return CheckedWorkbook(descriptor, _from_ipc(text_frames), _from_ipc(typed_frames))
