"""Issue 12, exports for German offices, tested on the functions that build the files' bytes (what
the buttons deliver in a browser is tested in test_e2e_downloads): the machine CSV carries each
date's precision, the "CSV für Excel" opens in German Excel, the xlsx shows dates at their precision
with frozen headings and a filter, the filtered zip is a valid package. Small package
(conftest.BASE_ROWS), Dortmund only: Amiens founded 1960 (year precision), Trabzon in preparation
05/2013, active 12.06.2014 (day)."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date, datetime

import openpyxl

from analysis.outputs.export import to_csv_bytes, to_office_csv_bytes, to_xlsx_bytes
from analysis.outputs.subset import subset_zip
from analysis.package import load_package, validate_package
from analysis.questions.enriched import enriched_view
from analysis.questions.filters import Filters
from dashboard.exports import office_view, office_xlsx_bytes
from present import i18n

DORTMUND = Filters(homes=("de-dortmund",))


def dortmund(package_path, as_of: date):
    """The small package and Dortmund's rows of its enriched view (with precision) as of AS_OF."""
    package = load_package(package_path)
    return package, enriched_view(package.frames, as_of, DORTMUND, with_precision=True)


def assert_dortmund_office_csv(data: bytes) -> None:
    """DATA is the German "CSV für Excel" of Dortmund's rows as of 2025 (also what the browser
    downloads, test_e2e_downloads): BOM, semicolons, German headings, dates as the page shows them."""
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r["Partnerstadt"] for r in rows] == ["Amiens", "Trabzon"]
    assert [r["Gegründet"] for r in rows] == ["1960", "12.06.2014"]  # never 01.01.1960
    assert [r["Gegründet (Genauigkeit)"] for r in rows] == ["Jahr", "Tag"]
    assert [r["Status"] for r in rows] == ["aktiv", "aktiv"]
    assert rows[0]["Entfernung (km)"] == "407"  # Dortmund–Amiens, whole km
    assert "None" not in data.decode("utf-8-sig")


def test_machine_csv_carries_the_precision_of_every_date(small_package):
    _, view = dortmund(small_package, date(2025, 1, 1))
    rows = list(csv.DictReader(io.StringIO(to_csv_bytes(view, excel_bom=True).decode("utf-8-sig"))))
    assert [r["partnership_id"] for r in rows] == ["dortmund-amiens", "dortmund-trabzon"]
    assert [(r["founded"], r["founded_precision"]) for r in rows] == [("1960-01-01", "year"), ("2014-06-12", "day")]
    assert [r["status_since_precision"] for r in rows] == ["year", "day"]


def test_office_csv_semicolons_german_headings_dates_as_shown(small_package):
    package, view = dortmund(small_package, date(2025, 1, 1))
    with i18n.language("de"):
        assert_dortmund_office_csv(to_office_csv_bytes(office_view(view, package)))


def test_office_csv_in_english(small_package):
    package, view = dortmund(small_package, date(2025, 1, 1))
    with i18n.language("en"):
        data = to_office_csv_bytes(office_view(view, package))
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r["Founded (precision)"] for r in rows] == ["year", "day"]
    assert [r["Status"] for r in rows] == ["active", "active"]


def test_xlsx_frozen_filtered_and_dates_at_their_precision(small_package):
    package, view = dortmund(small_package, date(2014, 1, 1))
    with i18n.language("de"):
        assert_dortmund_xlsx_2014(office_xlsx_bytes(view, package))


def assert_dortmund_xlsx_2014(data: bytes) -> None:
    """DATA is the "Excel" download of Dortmund's rows as of 01.01.2014 (also what the browser
    downloads, test_e2e_downloads), like the "CSV für Excel": German headings and labels, frozen
    headings, a filter, widths, dates as dates formatted at their precision (never a day for a
    month or a year)."""
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "Partnerschaften"
    header = [cell.value for cell in sheet[1]]
    assert {"Heimatstadt", "Partnerstadt", "Kontinent", "Art", "Status", "Status seit", "Gegründet", "ID"} <= set(
        header
    )
    assert not {"partnership_id", "status", "founded", "status_since", "kind"} & set(header)
    rows = [dict(zip(header, row, strict=True)) for row in list(sheet.values)[1:]]
    assert [r["ID"] for r in rows] == ["dortmund-amiens", "dortmund-trabzon"]
    assert [r["Partnerstadt"] for r in rows] == ["Amiens", "Trabzon"]
    assert [r["Kontinent"] for r in rows] == ["Europa", "Asien"]
    assert [r["Status"] for r in rows] == ["aktiv", "in Vorbereitung"]
    assert rows[0]["Art"] == "Städtepartnerschaft"
    assert sheet.freeze_panes == "A2"
    assert [table.autoFilter.ref for table in sheet.tables.values()] == [sheet.dimensions]
    column = header.index("Status seit") + 1
    # 01.01.2014: Amiens active since 1960 (year), Trabzon in preparation since 05/2013 (month)
    cells = [sheet.cell(row=r, column=column) for r in (2, 3)]
    assert [c.value for c in cells] == [datetime(1960, 1, 1), datetime(2013, 5, 1)]  # dates, not text
    assert [c.number_format for c in cells] == ["yyyy", "mm/yyyy"]  # shown as 1960 and 05/2013
    assert all(sheet.column_dimensions[letter].width <= 62 for letter in "ABCDEFGH")


def test_filtered_zip_is_a_valid_data_package(small_package, tmp_path):
    package = load_package(small_package)
    with zipfile.ZipFile(io.BytesIO(subset_zip(package, date(2025, 1, 1), DORTMUND))) as archive:
        archive.extractall(tmp_path / "zip")
        readme = archive.read("README.md").decode()
    assert validate_package(tmp_path / "zip") == []
    from frictionless import validate

    assert validate(str(tmp_path / "zip" / "datapackage.json")).valid
    with open(tmp_path / "zip" / "data" / "partnerships.csv", encoding="utf-8") as file:
        assert [p["partnership_id"] for p in csv.DictReader(file)] == ["dortmund-amiens", "dortmund-trabzon"]
    assert "homes: de-dortmund" in readme and "2025-01-01" in readme


def test_table_downloads_name_their_date_and_filters(small_package):
    """The Excel file's second sheet and every table download's file name say what the table holds."""
    from present.filter_text import about_lines, download_stem

    package, view = dortmund(small_package, date(2025, 1, 1))
    with i18n.language("de"):
        lines = [*about_lines(package, DORTMUND, date(2025, 1, 1)), "=1+1"]
        book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(view, about=("Stichtag und Filter", lines))))
        assert download_stem(package, DORTMUND, date(2025, 1, 1)) == "partnerschaften-2025-01-01-heimatstadt-dortmund"
        both = Filters(homes=("de-dortmund",), statuses=("active", "proposed"))
        assert download_stem(package, both, date(2025, 1, 1)) == (
            "partnerschaften-2025-01-01-heimatstadt-dortmund-status-aktiv-vorgeschlagen"
        )
        assert download_stem(package, Filters(), date(2025, 1, 1)) == "partnerschaften-2025-01-01"
    assert book.sheetnames == ["partnerships", "Stichtag und Filter"]
    assert [row[0] for row in list(book["partnerships"].values)[1:]] == ["dortmund-amiens", "dortmund-trabzon"]
    assert [row[0] for row in book["Stichtag und Filter"].values] == [
        "Stichtag 01.01.2025",
        "Filter: Heimatstadt Dortmund",
        "Quelle: Testpaket (Angaben zu Dortmund), Version 0.0.1-test (Stand 21.11.2026)",
        "=1+1",
    ]
    assert book["Stichtag und Filter"]["A4"].data_type == "s"  # text, not a formula
