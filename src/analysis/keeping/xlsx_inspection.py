"""A workbook looked at before any cell is read: is it an .xlsx, is it within the upload's
bounds (every part's size counted while inflating; the cells a sheet spans), and does it hold
formulas or merged cells (which the cell reader would silently read as their cached value or
first cell)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import replace

from analysis.package.upload import LIMITS, MB, UploadRefused, measured_sizes
from analysis.problems import MAX_PROBLEMS_PER_RULE, PackageInvalid, Problem, too_many

WORKBOOK = "Arbeitsmappe/workbook"


def sheet_problem(sheet: str, row: int | None, column: str | None, code: str, **params: object) -> Problem:
    return Problem(sheet, row, column, code=code, params=params)


def capped_problems(problems: list[Problem]) -> list[Problem]:
    """PROBLEMS with at most MAX_PROBLEMS_PER_RULE named per sheet, column and code (per sheet and
    code for headings, each of which is its own column), the rest counted, as the validator does."""
    named: dict[tuple, int] = {}
    kept, counts = [], {}
    for problem in problems:
        heading_code = problem.code.startswith(("workbook_heading", "workbook_column"))
        key = (problem.resource, None if heading_code else problem.field, problem.code)
        named[key] = named.get(key, 0) + 1
        if named[key] <= MAX_PROBLEMS_PER_RULE:
            kept.append(problem)
        else:
            counts[key] = named[key] - MAX_PROBLEMS_PER_RULE
    return kept + [too_many(resource, field, more) for (resource, field, _), more in counts.items()]


def workbook_refusal(code: str, sheet: str = WORKBOOK, **params: object) -> PackageInvalid:
    return PackageInvalid([sheet_problem(sheet, None, None, code, **params)], WORKBOOK)


# What a workbook may be, measured before the native reader (calamine) sees it: it lays a sheet
# out densely up to its last cell, so one cell at XFD1048576 asks for hundreds of gigabytes.
WORKBOOK_LIMITS = replace(LIMITS, member_bytes=200 * MB)  # one XML part (a sheet, the shared strings)
MAX_CELLS = 20_000_000  # rows × columns up to the last cell used (or the sheet's stated dimension)
PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"  # an element may carry any namespace prefix
WORKSHEET = re.compile(rb"<" + PREFIX + rb"worksheet[\s>]")
DIMENSION = re.compile(rb"<" + PREFIX + rb'dimension\b[^>]*?\bref="([A-Za-z]*)([0-9]*):?([A-Za-z]*)([0-9]*)"')
CELL_REF = re.compile(rb"<" + PREFIX + rb'c\b[^>]*?\br="([A-Za-z]{1,3})([0-9]{1,7})"')
ROW_REF = re.compile(rb"<" + PREFIX + rb'row\b[^>]*?\br="([0-9]{1,7})"')
CELL = re.compile(rb"<" + PREFIX + rb"c[\s>/]")
SHARED_STRING = re.compile(rb"<" + PREFIX + rb"si[\s>/]")


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters.upper():
        number = number * 26 + letter - 64
    return number


def _cells_spanned(xml: bytes) -> int:
    """Rows × columns up to the last cell of a sheet's XML: by its cells' and rows' references,
    by its count of cells, and by the dimension it states, whichever is largest."""
    rows = max((int(r) for r in ROW_REF.findall(xml)), default=0)
    columns = 0
    for letters, row in CELL_REF.findall(xml):
        columns = max(columns, _column_number(letters))
        rows = max(rows, int(row))
    spans = [rows * columns, len(CELL.findall(xml))]
    for first_col, first_row, last_col, last_row in DIMENSION.findall(xml):
        width = _column_number(last_col or first_col) if (last_col or first_col) else 0
        spans.append(int(last_row or first_row or 0) * width)
    return max(spans)


def open_workbook_zip(data: bytes) -> zipfile.ZipFile:
    """The workbook as a zip, refused when it is none, when a part inflates to more than the
    limits (counted while inflating, whatever its headers say), or when a sheet or the shared
    strings span more cells than a workbook may."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise workbook_refusal("workbook_not_xlsx") from error
    try:
        measured_sizes(data, infos, WORKBOOK_LIMITS)
    except UploadRefused as refused:
        part = str(refused.params.get("name", ""))
        if refused.code == "sizes_lie":
            raise workbook_refusal("workbook_sizes_lie", part=part) from None
        if refused.code == "not_zip":
            raise workbook_refusal("workbook_not_xlsx") from None
        total = sum(info.file_size for info in infos)
        raise workbook_refusal("workbook_too_large", megabytes=round(total / MB)) from None
    for info in infos:
        xml = archive.read(info)
        spanned = _cells_spanned(xml) if WORKSHEET.search(xml, 0, 4096) else len(SHARED_STRING.findall(xml))
        if spanned > MAX_CELLS:
            raise workbook_refusal("workbook_too_many_cells", part=info.filename, cells=spanned, limit=MAX_CELLS)
    return archive


FORMULA = re.compile(rb"<" + PREFIX + rb"f[\s>/]")
MERGED_CELL = re.compile(rb"<" + PREFIX + rb'mergeCell\b[^>]*?\bref="([A-Za-z]+[0-9]+(?::[A-Za-z]+[0-9]+)?)"')
LISTED_PER_SHEET = 50  # formulas named per sheet; one is enough to refuse the workbook


def formula_and_merge_problems(data: bytes, archive: zipfile.ZipFile) -> list[Problem]:
    """Formulas and merged cells, each named by sheet, row and heading.

    calamine reads a formula's cached value and a merged range's first cell without saying so.
    A byte scan of every sheet's XML (any part whose root is a worksheet, whatever its name, folder
    or case, with or without namespace prefixes) decides whether there are any; only the sheets that have some
    are looked at cell by cell, with openpyxl in read-only (streaming) mode, so memory stays flat
    even for a large workbook. Merged ranges are listed in the sheet XML itself (read-only mode
    does not expose them); openpyxl names the sheet each XML part belongs to.
    """
    flagged = {}
    for name in archive.namelist():
        xml = archive.read(name)
        if WORKSHEET.search(xml, 0, 4096):
            formulas = FORMULA.search(xml) is not None
            merged = MERGED_CELL.findall(xml)
            if formulas or merged:
                flagged[name.lower()] = (formulas, [ref.decode().upper() for ref in merged[:LISTED_PER_SHEET]])
    if not flagged:
        return []
    import openpyxl  # only for workbooks that are refused
    from openpyxl.utils.cell import range_boundaries

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        problems = []
        for sheet in book.worksheets:
            part = str(getattr(sheet, "_worksheet_path", "")).lstrip("/").lower()
            if part not in flagged:
                continue
            formulas, merged = flagged[part]
            first = next(sheet.iter_rows(min_row=1, max_row=1), ())
            headings = {cell.column: str(cell.value) for cell in first if getattr(cell, "value", None) is not None}
            for ref in merged:
                min_col, min_row, _, _ = range_boundaries(ref)
                problems.append(
                    sheet_problem(sheet.title, min_row, headings.get(min_col, ref), "workbook_merged_cells", cells=ref)
                )
            listed = 0
            for row in sheet.iter_rows() if formulas else ():
                for cell in row:
                    if getattr(cell, "data_type", None) == "f" and listed < LISTED_PER_SHEET:
                        listed += 1
                        problems.append(
                            sheet_problem(
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
        raise workbook_refusal("workbook_unreadable", reason=error) from error
    problems = capped_problems(problems)
    if not problems:  # flagged by the scan, yet openpyxl named nothing: refuse rather than guess
        problems.append(sheet_problem(WORKBOOK, None, None, "workbook_formulas_or_merged"))
    return problems


def is_workbook(data: bytes) -> bool:
    """Whether DATA looks like an .xlsx (a zip with a workbook part), not a package zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
