"""The dashboard's own-data upload takes a workbook as well as a zip: converted to a package in
a private folder, checked, used for this session; an invalid workbook names sheet, row, heading."""

from __future__ import annotations

import io

import openpyxl
from apptest_support import data_page, rows_shown
from conftest import write_package

from analysis.keeping.workbook import write_workbook
from analysis.package import load_package

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_workbook_upload_is_used_for_this_session(tmp_path):
    book = write_workbook(load_package(write_package(tmp_path / "own")), tmp_path / "own.xlsx")
    at = data_page(asof="2025-01-01")
    assert rows_shown(at) > 3
    at.file_uploader(key="upload").set_value(("meine-stadt.xlsx", book.read_bytes(), XLSX)).run()
    assert not at.exception, [e.value for e in at.exception]
    assert rows_shown(at) == 3  # the small package: Amiens, Trabzon, Kartal
    assert at.success[0].value.startswith("Ihr Datenpaket ist gültig")


def test_invalid_workbook_upload_names_sheet_row_and_heading(tmp_path):
    book = write_workbook(load_package(write_package(tmp_path / "own")), tmp_path / "own.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["Partnerschaften"]["D3"] = "partnership"  # no kind
    buffer = io.BytesIO()
    workbook.save(buffer)
    at = data_page(asof="2025-01-01", lang="en")
    embedded_rows = rows_shown(at)
    at.file_uploader(key="upload").set_value(("bad.xlsx", buffer.getvalue(), XLSX)).run()
    assert not at.exception
    assert at.error[0].value.startswith("The uploaded data package is invalid")
    problems = next(d.value for d in at.dataframe if "Message" in d.value.columns)
    assert problems.iloc[0].tolist()[:3] == ["Partnerschaften", 3, "Art (kind)"]
    assert rows_shown(at) == embedded_rows
