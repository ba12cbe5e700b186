"""A workbook looked at before any cell is read: is it an .xlsx, is it within the upload's
bounds, and does it hold formulas or merged cells (which the cell reader would silently read as
their cached value or first cell)."""

from __future__ import annotations

import io
import re
import zipfile

from analysis.package.upload import LIMITS
from analysis.problems import PackageInvalid, Problem

WORKBOOK = "Arbeitsmappe/workbook"


def sheet_problem(sheet: str, row: int | None, column: str | None, code: str, **params: object) -> Problem:
    return Problem(sheet, row, column, code=code, params=params)


def workbook_refusal(code: str, sheet: str = WORKBOOK, **params: object) -> PackageInvalid:
    return PackageInvalid([sheet_problem(sheet, None, None, code, **params)], WORKBOOK)


def open_workbook_zip(data: bytes) -> zipfile.ZipFile:
    """The workbook as a zip, refused when it is none or would unpack to more than the upload limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise workbook_refusal("workbook_not_xlsx") from error
    total = sum(info.file_size for info in infos)
    too_big = total > LIMITS.unpacked_bytes or any(
        info.file_size > 2**20 and info.file_size > LIMITS.ratio * max(info.compress_size, 1) for info in infos
    )
    if too_big:
        raise workbook_refusal("workbook_too_large", megabytes=round(total / 2**20))
    return archive


FORMULA_MARKS = (b"<f>", b"<f ")
MERGED_CELL = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+(?::[A-Z]+[0-9]+)?)"')
LISTED_PER_SHEET = 50  # formulas named per sheet; one is enough to refuse the workbook


def formula_and_merge_problems(data: bytes, archive: zipfile.ZipFile) -> list[Problem]:
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
