"""A workbook (as written by `analysis.keeping.workbook`, then filled in by people) back into a package.

Polars' Excel reader (calamine) reads every sheet as text; what people type is normalised here
(dates in three precisions, ids with stray spaces, numbers typed as text), the CSV files are
written into a fresh folder and checked by the one validator, `load_package`. Every problem names
the sheet, the row number Excel shows, the column heading and what is wrong, in German and
English. Nothing reaches the target folder unless the whole package is valid.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass, replace
from pathlib import Path

import polars as pl

from analysis.keeping.workbook import DESCRIPTOR_SHEET, field_of_heading, heading
from analysis.package import Package, load_package
from analysis.package.dialect import dialect_of, write_csv_text
from analysis.package.upload import LIMITS
from analysis.problems import NotADataPackage, PackageInvalid, Problem

WORKBOOK = "Arbeitsmappe/workbook"

# what people type into a date column, and the precision it states
DAY_ISO = r"^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$"  # a date cell (calamine) or ISO text
DAY_GERMAN = r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"  # 25.11.2019
MONTH = r"^(\d{1,2})[/.](\d{4})$"  # 11/2019 or 11.2019
YEAR = r"^(\d{4})$"  # 2019 (text or a number cell)


@dataclass(frozen=True)
class Sheet:
    """One resource's sheet as read: the text frame and, per row, the row number Excel shows."""

    frame: pl.DataFrame
    excel_rows: list[int]


def _problem(sheet: str, row: int | None, column: str | None, code: str, **params: object) -> Problem:
    return Problem(sheet, row, column, code=code, params=params)


def _refuse(code: str, sheet: str = WORKBOOK, **params: object) -> PackageInvalid:
    return PackageInvalid([_problem(sheet, None, None, code, **params)], WORKBOOK)


def _open_zip(data: bytes) -> zipfile.ZipFile:
    """The workbook as a zip, refused when it is none or would unpack to more than the upload limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise _refuse("workbook_not_xlsx") from error
    total = sum(info.file_size for info in infos)
    too_big = total > LIMITS.unpacked_bytes or any(
        info.file_size > 2**20 and info.file_size > LIMITS.ratio * max(info.compress_size, 1) for info in infos
    )
    if too_big:
        raise _refuse("workbook_too_large", megabytes=round(total / 2**20))
    return archive


FORMULA_MARKS = (b"<f>", b"<f ")
MERGED_CELL = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
LISTED_PER_SHEET = 50  # formulas named per sheet; one is enough to refuse the workbook


def _formula_and_merge_problems(data: bytes, archive: zipfile.ZipFile) -> list[Problem]:
    """Formulas and merged cells, each named by sheet, row and heading.

    calamine reads a formula's cached value and a merged range's first cell without saying so.
    A byte scan of each sheet's XML decides whether there are any; only the sheets that have some
    are looked at cell by cell, with openpyxl in read-only (streaming) mode, so memory stays flat
    even for a large workbook. Merged ranges are listed in the sheet XML itself (read-only mode
    does not expose them); openpyxl names the sheet each XML part belongs to.
    """
    flagged = {}
    for name in archive.namelist():
        if name.startswith("xl/worksheets/") and name.endswith(".xml"):
            xml = archive.read(name)
            formulas = any(mark in xml for mark in FORMULA_MARKS)
            merged = MERGED_CELL.findall(xml)
            if formulas or merged:
                flagged[name] = (formulas, [ref.decode() for ref in merged])
    if not flagged:
        return []
    import openpyxl  # only for workbooks that are refused
    from openpyxl.utils.cell import range_boundaries

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        problems = []
        for sheet in book.worksheets:
            part = str(getattr(sheet, "_worksheet_path", "")).lstrip("/")
            if part not in flagged:
                continue
            formulas, merged = flagged[part]
            first = next(sheet.iter_rows(min_row=1, max_row=1), ())
            headings = {cell.column: str(cell.value) for cell in first if getattr(cell, "value", None) is not None}
            for ref in merged:
                min_col, min_row, _, _ = range_boundaries(ref)
                problems.append(
                    _problem(sheet.title, min_row, headings.get(min_col, ref), "workbook_merged_cells", cells=ref)
                )
            listed = 0
            for row in sheet.iter_rows() if formulas else ():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" and listed < LISTED_PER_SHEET:
                        listed += 1
                        problems.append(
                            _problem(
                                sheet.title,
                                cell.row,
                                headings.get(cell.column, cell.coordinate),
                                "workbook_formula",
                                cell=cell.coordinate,
                                formula=cell.value,
                            )
                        )
        book.close()
    except Exception as error:  # a damaged workbook: openpyxl raises many kinds
        raise _refuse("workbook_unreadable", reason=error) from error
    if not problems:  # flagged by the scan, yet openpyxl named nothing: refuse rather than guess
        problems.append(_problem(WORKBOOK, None, None, "workbook_formulas_or_merged"))
    return problems


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
        raise _refuse("workbook_unreadable", reason=error) from error


def _descriptor(sheets: dict[str, pl.DataFrame]) -> dict:
    frame = sheets.get(DESCRIPTOR_SHEET)
    if frame is None:
        raise _refuse("workbook_descriptor_missing", sheet_name=DESCRIPTOR_SHEET)
    lines = [frame.columns[0], *(value or "" for value in frame[frame.columns[0]].to_list())]
    try:
        descriptor = json.loads("\n".join(lines))
    except json.JSONDecodeError as error:
        params = {"sheet_name": DESCRIPTOR_SHEET, "line": error.lineno, "reason": error.msg}
        raise _refuse("workbook_descriptor_changed", DESCRIPTOR_SHEET, **params) from error
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise _refuse("workbook_descriptor_empty", DESCRIPTOR_SHEET, sheet_name=DESCRIPTOR_SHEET)
    return descriptor


def _heading_problems(name: str, frame: pl.DataFrame, fields: list[str]) -> tuple[dict[str, str], list[Problem]]:
    """field -> heading as found, and a problem for every heading that is missing, renamed or extra."""
    found: dict[str, str] = {}
    problems = []
    for column, text in enumerate(frame.columns, start=1):
        field = field_of_heading(text)
        if text.startswith("__UNNAMED__"):
            if frame[text].drop_nulls().str.strip_chars().str.len_chars().sum():
                problems.append(_problem(name, 1, f"#{column}", "workbook_column_without_heading", column=column))
            continue
        if field in fields and field not in found:
            found[field] = text
        else:
            problems.append(
                _problem(
                    name, 1, text, "workbook_heading_unknown", heading=text, expected=", ".join(map(heading, fields))
                )
            )
    for field in fields:
        if field not in found:
            problems.append(_problem(name, 1, heading(field), "workbook_column_missing", heading=heading(field)))
    return found, problems


def _strip(expr: pl.Expr) -> pl.Expr:
    stripped = expr.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def _id_like(field: dict, keys: set[str]) -> bool:
    constraints = field.get("constraints") or {}
    return field["name"] in keys or "pattern" in constraints or "enum" in constraints


def _date_columns(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(ISO date text, precision) of what was typed; both null when it is no date form."""
    day_iso = value.str.extract_groups(DAY_ISO)
    day_de = value.str.extract_groups(DAY_GERMAN)
    month = value.str.extract_groups(MONTH)
    year = value.str.extract(YEAR, 1)
    iso_day = day_iso.struct.field("1") + "-" + day_iso.struct.field("2") + "-" + day_iso.struct.field("3")
    de_day = (
        day_de.struct.field("3")
        + "-"
        + day_de.struct.field("2").str.zfill(2)
        + "-"
        + day_de.struct.field("1").str.zfill(2)
    )
    month_day = month.struct.field("2") + "-" + month.struct.field("1").str.zfill(2) + "-01"
    text = pl.coalesce(iso_day, de_day, month_day, year + "-01-01")
    precision = (
        pl.when(iso_day.is_not_null() | de_day.is_not_null())
        .then(pl.lit("day"))
        .when(month_day.is_not_null())
        .then(pl.lit("month"))
        .when(year.is_not_null())
        .then(pl.lit("year"))
    )
    real = text.str.to_date("%Y-%m-%d", strict=False).is_not_null()
    return pl.when(real).then(text), pl.when(real).then(precision)


def _normalise(name: str, sheet: Sheet, resource: dict, headings: dict[str, str]) -> tuple[pl.DataFrame, list[Problem]]:
    """The sheet's cells as the CSV text of RESOURCE; problems for dates that are no dates and
    precisions that do not fit their date."""
    schema = resource.get("schema") or {}
    fields = schema.get("fields") or []
    keys = set(schema.get("primaryKey") or [])
    for key in schema.get("foreignKeys") or []:
        keys |= set([key.get("fields")] if isinstance(key.get("fields"), str) else key.get("fields") or [])
    frame = sheet.frame.rename({text: field for field, text in headings.items()}).select(list(headings))
    has_precision = "date_precision" in frame.columns
    columns = []
    for field in fields:
        column, kind = pl.col(field["name"]), field.get("type", "string")
        if kind in ("integer", "number"):
            cleaned = _strip(column).str.replace_all(r"[\s\u00a0\u202f]", "")
            if kind == "number":  # a German decimal comma, typed as text
                cleaned = (
                    pl.when(cleaned.str.contains(r"^-?\d+,\d+$")).then(cleaned.str.replace(",", ".")).otherwise(cleaned)
                )
            columns.append(cleaned.alias(field["name"]))
        elif kind == "date":
            columns.append(_strip(column).alias(field["name"]))
        elif _id_like(field, keys):
            columns.append(_strip(column).alias(field["name"]))
        else:
            columns.append(pl.when(column.str.strip_chars() == "").then(None).otherwise(column).alias(field["name"]))
    frame = frame.with_columns(columns).with_columns(pl.Series("_row", sheet.excel_rows, dtype=pl.Int64))
    problems = []
    for field in fields:
        if field.get("type") != "date":
            continue
        fname = field["name"]
        iso, precision = _date_columns(pl.col(fname))
        frame = frame.with_columns(iso.alias("_iso"), precision.alias("_precision"))
        bad = frame.filter(pl.col(fname).is_not_null() & pl.col("_iso").is_null())
        code = "workbook_not_a_date" if has_precision else "workbook_not_a_day"
        problems += [
            _problem(name, row["_row"], headings[fname], code, value=row[fname])
            for row in bad.select("_row", fname).iter_rows(named=True)
        ]
        if has_precision and fname == "date":
            given = pl.col("date_precision")
            fits = (
                given.is_null()
                | (given == pl.col("_precision"))
                # a date cell on the 1st stands for its month or year when the precision says so
                | ((pl.col("_precision") == "day") & (given == "month") & pl.col("_iso").str.ends_with("-01"))
                | ((pl.col("_precision") == "day") & (given == "year") & pl.col("_iso").str.ends_with("-01-01"))
                | ~given.is_in(["day", "month", "year"])  # the validator names an unknown precision
            )
            unfit = frame.filter(pl.col("_iso").is_not_null() & ~fits)
            problems += [
                _problem(
                    name,
                    row["_row"],
                    headings["date_precision"],
                    f"workbook_precision_unfit_{row['_precision']}",
                    precision=row["date_precision"],
                    date=row["date"],
                )
                for row in unfit.iter_rows(named=True)
            ]
            frame = frame.with_columns(
                pl.coalesce(given, pl.col("_precision")).alias("date_precision"),
            )
        else:
            # a date without a precision field (sources.published) must be a whole day
            vague = frame.filter(pl.col("_iso").is_not_null() & (pl.col("_precision") != "day"))
            problems += [
                _problem(name, row["_row"], headings[fname], "workbook_not_whole_day", value=row[fname])
                for row in vague.select("_row", fname).iter_rows(named=True)
            ]
        frame = frame.with_columns(pl.coalesce(pl.col("_iso"), pl.col(fname)).alias(fname)).drop("_iso", "_precision")
    return frame, problems


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

    Raises PackageInvalid whose problems name sheet (as resource), Excel row and column heading.
    """
    archive = _open_zip(data)
    problems = _formula_and_merge_problems(data, archive)
    if problems:
        raise PackageInvalid(problems, WORKBOOK)
    sheets = _read_sheets(data)
    descriptor = _descriptor(sheets)
    frames, rows = {}, {}
    for resource in descriptor["resources"]:
        name = resource.get("name") if isinstance(resource, dict) else None
        if not isinstance(name, str):
            continue
        fields = [f["name"] for f in (resource.get("schema") or {}).get("fields") or []]
        if name not in sheets:
            problems.append(_problem(name, None, None, "workbook_sheet_missing", sheet_name=name))
            continue
        headings, heading_problems = _heading_problems(name, sheets[name], fields)
        problems += heading_problems
        if heading_problems:
            continue
        sheet = _rows_of(sheets[name])
        frame, value_problems = _normalise(name, sheet, resource, headings)
        problems += value_problems
        frames[name] = frame.drop("_row").select(fields)
        rows[name] = sheet.excel_rows
    if problems:
        raise PackageInvalid(problems, WORKBOOK)
    return descriptor, frames, rows


def write_text_package(descriptor: dict, frames: dict[str, pl.DataFrame], folder: Path) -> Path:
    """Write the descriptor and every text frame as the embedded CSVs are written; answer the
    datapackage.json."""
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        write_csv_text(frames[resource["name"]], path, dialect_of(resource))
    descriptor_path = folder / "datapackage.json"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return descriptor_path


def _as_sheet_problems(invalid: PackageInvalid, descriptor: dict, rows: dict[str, list[int]]) -> PackageInvalid:
    """The validator's problems (resource, CSV row, field) as sheet, Excel row, column heading."""
    fields = {r["name"]: {f["name"] for f in r["schema"]["fields"]} for r in descriptor["resources"]}
    problems = []
    for problem in invalid.problems:
        excel_rows = rows.get(problem.resource, [])
        row = problem.row
        if row is not None and 2 <= row < len(excel_rows) + 2:
            row = excel_rows[row - 2]
        column = heading(problem.field) if problem.field in fields.get(problem.resource, ()) else problem.field
        problems.append(replace(problem, row=row, field=column))
    return PackageInvalid(problems, WORKBOOK)


def workbook_to_package(data: bytes, folder: str | Path, descriptor_changes: dict | None = None) -> Package:
    """Turn a workbook's bytes into a valid package in FOLDER (created; must be empty or absent).

    DESCRIPTOR_CHANGES (e.g. version, created) are applied to the workbook's descriptor. Raises
    PackageInvalid naming sheet, Excel row and column heading; FOLDER is then left as it was.
    """
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise ValueError(f"{folder} is not empty")
    descriptor, frames, rows = read_workbook(data)
    descriptor.update(descriptor_changes or {})
    folder.mkdir(parents=True, exist_ok=True)
    try:
        write_text_package(descriptor, frames, folder)
        return load_package(folder)
    except PackageInvalid as invalid:
        _empty(folder)
        raise _as_sheet_problems(invalid, descriptor, rows) from invalid
    except NotADataPackage as error:
        _empty(folder)
        raise _refuse(error.code, **error.params) from error
    except BaseException:
        _empty(folder)
        raise


def _empty(folder: Path) -> None:
    for child in folder.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()


def staged_package(data: bytes, near: Path, descriptor_changes: dict | None = None) -> tuple[Package, Path]:
    """The workbook as a valid package in a fresh folder beside NEAR (same file system, so it can
    be moved into place); raises PackageInvalid and leaves nothing behind when invalid."""
    near.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{near.name}-import-", dir=near.parent))
    try:
        return workbook_to_package(data, stage, descriptor_changes), stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


__all__ = [
    "is_workbook",
    "package_zip_from_workbook",
    "read_workbook",
    "staged_package",
    "workbook_to_package",
    "write_text_package",
]


def is_workbook(data: bytes) -> bool:
    """Whether DATA looks like an .xlsx (a zip with a workbook part), not a package zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False


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
