"""A workbook (as written by `analysis.keeping.workbook`, then filled in by people) back into a package.

Polars' Excel reader (calamine) reads every sheet as text; what people type is normalised here
(dates in three precisions, ids with stray spaces, numbers typed as text); the package is built
in memory and checked by the one validator (`check_text_frames`: the hidden descriptor may bring
metadata, never paths or a schema of its own), and only then written into a fresh folder. Every problem names
the sheet, the row number Excel shows, the column heading and what is wrong, in German and
English. Nothing reaches the target folder unless the whole package is valid.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from analysis.contract import contract_path
from analysis.keeping.typed_cells import Sheet, normalise_cells
from analysis.keeping.workbook import field_of_heading, heading
from analysis.keeping.workbook_places import complete, following
from analysis.keeping.workbook_words import DESCRIPTOR_SHEET, OLD_DESCRIPTOR_SHEET, as_codes, find_sheet, sheet_name
from analysis.keeping.xlsx_inspection import (
    WORKBOOK,
    capped_problems,
    formula_and_merge_problems,
    is_workbook,
    open_workbook_zip,
    sheet_problem,
    workbook_refusal,
)
from analysis.package import Package, check_text_frames
from analysis.package.dialect import dialect_of, write_csv_text
from analysis.package.paths import content_hash, descriptor_bounds
from analysis.problems import NotADataPackage, PackageInvalid, Problem, shorten


def _read_sheets(data: bytes) -> dict[str, pl.DataFrame]:
    try:
        return pl.read_excel(
            io.BytesIO(data),
            sheet_id=0,
            engine="calamine",
            read_options={"dtypes": "string"},
            drop_empty_rows=False,
            drop_empty_cols=False,
            raise_if_empty=False,
        )
    except Exception as error:  # calamine's errors have no common base class worth naming
        raise workbook_refusal("workbook_unreadable", reason=error) from error


def _descriptor(sheets: dict[str, pl.DataFrame]) -> dict:
    frame = sheets.get(DESCRIPTOR_SHEET, sheets.get(OLD_DESCRIPTOR_SHEET))
    if frame is None:
        raise workbook_refusal("workbook_descriptor_missing", sheet_name=DESCRIPTOR_SHEET)
    lines = [frame.columns[0], *(value or "" for value in frame[frame.columns[0]].to_list())]
    try:
        descriptor = json.loads("\n".join(lines))
    except json.JSONDecodeError as error:
        params = {"sheet_name": DESCRIPTOR_SHEET, "line": error.lineno, "reason": error.msg}
        raise workbook_refusal("workbook_descriptor_changed", DESCRIPTOR_SHEET, **params) from error
    except RecursionError as error:  # nested deeper than Python's parser goes: no descriptor
        raise workbook_refusal("descriptor_too_deep", DESCRIPTOR_SHEET, path=DESCRIPTOR_SHEET, limit=32) from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise workbook_refusal("workbook_descriptor_empty", DESCRIPTOR_SHEET, sheet_name=DESCRIPTOR_SHEET)
    return descriptor


def _heading_problems(name: str, frame: pl.DataFrame, fields: list[str]) -> tuple[dict[str, str], list[Problem]]:
    """field -> heading as found, and a problem for every heading that is missing, renamed or extra."""
    found: dict[str, str] = {}
    problems = []
    for column, text in enumerate(frame.columns, start=1):
        field = field_of_heading(text)
        if text.startswith("__UNNAMED__"):
            if frame[text].drop_nulls().str.strip_chars().str.len_chars().sum():
                problems.append(sheet_problem(name, 1, f"#{column}", "workbook_column_without_heading", column=column))
            continue
        if field in fields and field not in found:
            found[field] = text
        else:
            problems.append(
                sheet_problem(
                    name,
                    1,
                    text,
                    "workbook_heading_unknown",
                    heading=text,
                    expected=shorten(", ".join(map(heading, fields)), 400),
                )
            )
    for field in fields:
        if field not in found:
            problems.append(sheet_problem(name, 1, heading(field), "workbook_column_missing", heading=heading(field)))
    return found, problems


def _rows_of(frame: pl.DataFrame) -> Sheet:
    """Drop empty rows, remembering the row number Excel shows for every kept one (heading = 1)."""
    indexed = frame.with_row_index("_index")
    if frame.width:
        filled = pl.any_horizontal(
            [pl.col(c).is_not_null() & (pl.col(c).str.strip_chars() != "") for c in frame.columns]
        )
        indexed = indexed.filter(filled)
    rows = (indexed["_index"] + 2).cast(pl.Int64).to_list()
    return Sheet(indexed.drop("_index"), rows)


def read_workbook(data: bytes) -> tuple[dict, dict[str, pl.DataFrame], dict[str, list[int]]]:
    """The descriptor, each resource's CSV text frame and its Excel row numbers.

    Raises PackageInvalid whose problems name sheet, Excel row and column heading.
    """
    descriptor, frames, rows, problems = read_cells(data)
    if problems:
        raise PackageInvalid(problems, WORKBOOK)
    return descriptor, frames, rows


def read_cells(data: bytes) -> tuple[dict, dict[str, pl.DataFrame], dict[str, list[int]], list[Problem]]:
    """The descriptor, each resource's CSV text frame, its Excel row numbers, and the problems of
    its cells (dates that are no dates, ids that break their pattern, places not found), all of
    them: the frames are complete even so, for the validator to find the rest in one round.

    Raises PackageInvalid at once when the workbook's shape is wrong (a sheet or column missing).
    """
    archive = open_workbook_zip(data)
    problems = formula_and_merge_problems(data, archive)
    if problems:
        raise PackageInvalid(problems, WORKBOOK)
    sheets = _read_sheets(data)
    descriptor = _descriptor(sheets)
    frames, rows, cell_problems = {}, {}, []
    for resource in descriptor["resources"]:
        name = resource.get("name") if isinstance(resource, dict) else None
        if not isinstance(name, str):
            continue
        fields = [f["name"] for f in (resource.get("schema") or {}).get("fields") or []]
        found = find_sheet(name, sheets)
        if found is None:
            problems.append(
                sheet_problem(sheet_name(name), None, None, "workbook_sheet_missing", sheet_name=sheet_name(name))
            )
            continue
        headings, heading_problems = _heading_problems(found, sheets[found], fields)
        problems += heading_problems
        if heading_problems:
            continue
        sheet = _rows_of(sheets[found])
        sheet = replace(sheet, frame=as_codes(sheet.frame, headings))  # German words back to codes
        frame, value_problems = normalise_cells(found, sheet, resource, headings)
        cell_problems += value_problems
        frames[name] = frame.drop("_row").select(fields)
        rows[name] = sheet.excel_rows
    if problems:
        raise PackageInvalid(capped_problems(problems), WORKBOOK)
    cell_problems += complete(descriptor, frames, rows)
    return descriptor, frames, rows, capped_problems(cell_problems)


def write_text_package(descriptor: dict, frames: dict[str, pl.DataFrame], folder: Path) -> Path:
    """Write the descriptor and every text frame as the embedded CSVs are written, each to the
    contract's own data/<resource>.csv (never to a path the descriptor names); answer the
    datapackage.json. Only a descriptor that passed the validator is written."""
    for resource in descriptor["resources"]:
        path = folder / contract_path(resource["name"])
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv_text(frames[resource["name"]], path, dialect_of(resource))
    descriptor_path = folder / "datapackage.json"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return descriptor_path


def _as_sheet_problems(
    invalid: PackageInvalid, descriptor: dict, rows: dict[str, list[int]], known: list[Problem]
) -> PackageInvalid:
    """The validator's problems (resource, CSV row, field) as sheet, Excel row, column heading,
    after the KNOWN problems of the cells; a cell named there is not named twice."""
    fields = {r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    problems = list(known)
    named = {(p.resource, p.row, p.field) for p in known} | following(known)
    for problem in invalid.problems:
        excel_rows = rows.get(problem.resource, [])
        row = problem.row
        if row is not None and 2 <= row < len(excel_rows) + 2:
            row = excel_rows[row - 2]
        column = heading(problem.field) if problem.field in fields.get(problem.resource, ()) else problem.field
        sheet = sheet_name(problem.resource) if problem.resource in fields else problem.resource
        if (sheet, row, column) not in named:
            problems.append(replace(problem, resource=sheet, row=row, field=column))
    return PackageInvalid(problems, WORKBOOK)


@dataclass(frozen=True)
class CheckedWorkbook:
    """A workbook read and checked in memory, nothing written: its descriptor, text frames and
    the typed frames the validator made of them."""

    descriptor: dict
    text_frames: dict[str, pl.DataFrame]
    typed_frames: dict[str, pl.DataFrame]

    def write(self, folder: Path) -> Package:
        """The checked package's files in FOLDER (the contract's paths only), as a Package."""
        descriptor_path = write_text_package(self.descriptor, self.text_frames, folder)
        digest = content_hash(descriptor_path, self.descriptor)
        return Package(self.descriptor, descriptor_path, self.typed_frames, digest)


def checked_workbook(data: bytes, descriptor_changes: dict | None = None) -> CheckedWorkbook:
    """A workbook's bytes as a package checked by the one validator, in memory: the descriptor
    (with DESCRIPTOR_CHANGES, e.g. version, created, applied) may bring metadata but neither
    paths nor a schema of its own. Raises PackageInvalid naming sheet, Excel row and column
    heading, every problem of the cells and of the validator at once."""
    descriptor, frames, rows, known = read_cells(data)
    descriptor.update(descriptor_changes or {})
    try:
        descriptor_bounds(descriptor, WORKBOOK)
    except NotADataPackage as error:
        raise workbook_refusal(error.code, **error.params) from error
    problems, typed = check_text_frames(descriptor, frames)
    if problems or known:
        raise _as_sheet_problems(PackageInvalid(problems, WORKBOOK), descriptor, rows, known)
    return CheckedWorkbook(descriptor, frames, typed)


def workbook_to_package(data: bytes, folder: str | Path, descriptor_changes: dict | None = None) -> Package:
    """Turn a workbook's bytes into a valid package in FOLDER (created; must be empty or absent).

    DESCRIPTOR_CHANGES (e.g. version, created) are applied to the workbook's descriptor. The
    package is checked in memory first; raises PackageInvalid naming sheet, Excel row and column
    heading, and then nothing has been written.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise ValueError(f"{folder} is not empty")
    checked = checked_workbook(data, descriptor_changes)
    folder.mkdir(parents=True, exist_ok=True)
    try:
        return checked.write(folder)
    except BaseException:
        _empty(folder)
        raise


def _empty(folder: Path) -> None:
    for child in folder.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def staged_package(checked: CheckedWorkbook, near: Path) -> tuple[Package, Path]:
    """A workbook CHECKED in memory (see checked_workbook, or analysis.uploaded's worker), written
    as a package into a fresh folder beside NEAR (same file system, so it can be moved into
    place); its name carries this process' id."""
    near.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{near.name}-import-{os.getpid()}-", dir=near.parent))
    try:
        return checked.write(stage), stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


__all__ = [
    "CheckedWorkbook",
    "checked_workbook",
    "is_workbook",
    "package_zip_from_workbook",
    "read_workbook",
    "staged_package",
    "workbook_to_package",
    "write_text_package",
]


def package_zip_from_workbook(data: bytes) -> bytes:
    """A workbook's bytes as the zip of a valid package (datapackage.json and the CSV files), for
    the dashboard's own-data upload, which takes package zips. Raises PackageInvalid naming sheet,
    Excel row and column heading. Works in a private temporary folder that is removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="partnerschaftsatlas-workbook-") as folder:
        workbook_to_package(data, Path(folder) / "package")
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            for path in sorted((Path(folder) / "package").rglob("*")):
                if path.is_file():
                    archive.write(path, path.relative_to(Path(folder) / "package").as_posix())
        return buffer.getvalue()
