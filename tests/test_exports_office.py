"""Issue 12, exports for German offices: the machine CSV carries each date's precision, the
"CSV für Excel" opens in German Excel, the xlsx shows dates at their precision with frozen
headings and a filter. Small package (conftest.BASE_ROWS) as of 2025-01-01, Dortmund only:
Amiens founded 1960 (year precision), Trabzon in preparation 05/2013, active 12.06.2014 (day)."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from apptest_support import app, downloaded
from test_dashboard import small  # noqa: F401 - the fixture

pytestmark = pytest.mark.usefixtures("recorded_downloads")  # they read what a download button serves


def test_machine_csv_carries_the_precision_of_every_date(small):  # noqa: F811
    at = app(asof="2025-01-01", home="de-dortmund").run()
    at.switch_page("pages/data.py").run()
    rows = list(csv.DictReader(io.StringIO(downloaded(at, "dl_view_csv").decode("utf-8-sig"))))
    assert [(r["founded"], r["founded_precision"]) for r in rows] == [("1960-01-01", "year"), ("2014-06-12", "day")]
    assert [r["status_since_precision"] for r in rows] == ["year", "day"]


def test_office_csv_semicolons_german_headings_dates_as_shown(small):  # noqa: F811
    at = app(asof="2025-01-01", home="de-dortmund").run()
    at.switch_page("pages/data.py").run()
    data = downloaded(at, "dl_view_office_csv")
    assert data.startswith("\ufeff".encode())
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert [r["Partnerstadt"] for r in rows] == ["Amiens", "Trabzon"]
    assert [r["Gegründet"] for r in rows] == ["1960", "12.06.2014"]  # never 01.01.1960
    assert [r["Gegründet (Genauigkeit)"] for r in rows] == ["Jahr", "Tag"]
    assert [r["Status"] for r in rows] == ["aktiv", "aktiv"]
    assert rows[0]["Entfernung (km)"] == "407"  # Dortmund–Amiens, whole km
    assert "None" not in data.decode("utf-8-sig")


def test_xlsx_frozen_filtered_and_dates_at_their_precision(small):  # noqa: F811
    at = app(asof="2014-01-01", home="de-dortmund").run()
    at.switch_page("pages/data.py").run()
    sheet = openpyxl.load_workbook(io.BytesIO(downloaded(at, "dl_view_xlsx"))).active
    header = [cell.value for cell in sheet[1]]
    assert sheet.freeze_panes == "A2"
    assert [table.autoFilter.ref for table in sheet.tables.values()] == [sheet.dimensions]
    column = header.index("status_since") + 1
    # 01.01.2014: Amiens active since 1960 (year), Trabzon in preparation since 05/2013 (month)
    formats = [sheet.cell(row=r, column=column).number_format for r in (2, 3)]
    assert formats == ["yyyy", "yyyy-mm"]
    assert all(sheet.column_dimensions[letter].width <= 62 for letter in "ABCDEFGH")
