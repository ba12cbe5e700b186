"""Downloads as a user gets them: a real browser clicks the download buttons of a real server and
reads the files it saves (Playwright's expect_download), so no test reads Streamlit's private state.

On the small package (conftest.BASE_ROWS) as of 2025-01-01: Dortmund–Amiens active since 1960
(founded 1960, year precision), Dortmund–Trabzon in preparation 05/2013 and active 12.06.2014 (day),
Hagen–Kartal proposed 31.05.2021. Every number below is counted by hand from those rows."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import openpyxl
import pytest
from browser_support import TIMEOUT_MS, open_page
from conftest import write_package
from PIL import Image
from pypdf import PdfReader
from test_exports_office import assert_dortmund_office_csv, assert_dortmund_xlsx_2014

from analysis.package import validate_package
from devtools.browser import StreamlitServer

pytestmark = pytest.mark.e2e

SVG = "{http://www.w3.org/2000/svg}"
NO_FILE_DIALOG = "delete Object.getPrototypeOf(window).showSaveFilePicker; delete window.showSaveFilePicker"


@pytest.fixture(scope="module")
def small_server(browser, tmp_path_factory):  # noqa: F811
    running = StreamlitServer(write_package(tmp_path_factory.mktemp("small")))
    page, _ = open_page(browser, running.base)  # see test_e2e_browser.server: the first session opens /
    page.context.close()
    yield running
    running.stop()


def download(page, selector: str) -> bytes:
    """What a click on the button in SELECTOR saves (the file is made on the server on click)."""
    with page.expect_download(timeout=TIMEOUT_MS) as saved:
        page.locator(selector).locator("button").first.click()
    return Path(saved.value.path()).read_bytes()


def first_table_shown(page) -> list[dict]:
    """The rows of the page's first table as the page shows them, through the table's own download
    (a phone's plain download: desktop Chromium would open its file dialog). Streamlit 1.67 gives a
    table's key no class to find it by."""
    page.evaluate(NO_FILE_DIALOG)
    table = page.locator('[data-testid="stDataFrame"]').first
    table.hover(position={"x": 20, "y": 60})
    with page.expect_download(timeout=TIMEOUT_MS) as saved:
        table.locator('[data-testid="stElementToolbar"]').get_by_role("button", name="Download as CSV").click()
    return list(csv.DictReader(io.StringIO(Path(saved.value.path()).read_text(encoding="utf-8-sig"))))


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    # a text element's own text, or each line (tspan) of a multi-line one
    return [node.text for node in root.iter() if node.tag in (f"{SVG}text", f"{SVG}tspan") and node.text]


def test_data_page_downloads_are_exactly_the_rows_shown(browser, small_server, tmp_path):  # noqa: F811
    page, _ = open_page(browser, f"{small_server.base}/daten?asof=2025-01-01&home=de-dortmund")
    shown = [row["ID"] for row in first_table_shown(page)]  # the filtered table, headed as the page heads it
    assert shown == ["dortmund-amiens", "dortmund-trabzon"]

    rows = list(csv.DictReader(io.StringIO(download(page, ".st-key-dl_view_csv").decode("utf-8-sig"))))
    assert [r["partnership_id"] for r in rows] == shown
    assert [r["founded"] for r in rows] == ["1960-01-01", "2014-06-12"]
    # the machine CSV carries the precision of every date
    assert [(r["founded"], r["founded_precision"]) for r in rows] == [("1960-01-01", "year"), ("2014-06-12", "day")]
    assert [r["status_since_precision"] for r in rows] == ["year", "day"]

    # the CSV for German Excel: semicolons, German headings, dates as the page shows them
    assert_dortmund_office_csv(download(page, ".st-key-dl_view_office_csv"))

    book = openpyxl.load_workbook(io.BytesIO(download(page, ".st-key-dl_view_xlsx")))
    header = [cell.value for cell in book.active[1]]
    assert [row[header.index("ID")] for row in list(book.active.values)[1:]] == shown
    # its second sheet says what the table was made with
    assert [row[0] for row in book["Stichtag und Filter"].values][:2] == [
        "Stichtag 01.01.2025",
        "Filter: Heimatstadt Dortmund",
    ]

    # the filtered package: a valid data package of the rows shown, with a README of the filters
    with zipfile.ZipFile(io.BytesIO(download(page, ".st-key-dl_zip"))) as archive:
        archive.extractall(tmp_path / "zip")
        readme = archive.read("README.md").decode()
    assert validate_package(tmp_path / "zip") == []
    from frictionless import validate

    assert validate(str(tmp_path / "zip" / "datapackage.json")).valid
    with open(tmp_path / "zip" / "data" / "partnerships.csv", encoding="utf-8") as file:
        assert [p["partnership_id"] for p in csv.DictReader(file)] == shown
    assert "homes: de-dortmund" in readme and "2025-01-01" in readme
    page.context.close()


def test_xlsx_frozen_filtered_and_dates_at_their_precision(browser, small_server):  # noqa: F811
    page, _ = open_page(browser, f"{small_server.base}/daten?asof=2014-01-01&home=de-dortmund")
    assert_dortmund_xlsx_2014(download(page, ".st-key-dl_view_xlsx"))
    page.context.close()


def test_chart_svg_carries_title_date_and_source_and_the_map_its_outlines(browser, small_server):  # noqa: F811
    page, _ = open_page(browser, f"{small_server.base}/?asof=2025-01-01&home=de-dortmund")
    texts = svg_texts(download(page, ".st-key-svg_partnerschaften-nach-kontinent-und-status-2025-01-01"))
    assert "Partnerschaften nach Kontinent und Status" in texts
    assert "Stichtag 01.01.2025" in texts
    # the filter it was made with, and a source line of the home city it shows only
    assert "Filter: Heimatstadt Dortmund" in texts
    assert "Quelle: Testpaket (Angaben zu Dortmund), Version 0.0.1-test (Stand 21.11.2026)" in texts
    assert not any("Hagen" in text for text in texts)

    world = download(page, ".st-key-svg_weltkarte-der-partnerschaften-2025-01-01")
    assert b"app/static" not in world
    assert len(re.findall(rb"<path", world)) > 100  # the countries are drawn
    page.context.close()


def test_chart_png_carries_title_and_date(browser, small_server):  # noqa: F811
    page, _ = open_page(browser, f"{small_server.base}/?asof=2025-01-01&lang=en")
    image = Image.open(io.BytesIO(download(page, ".st-key-png_partnerships-by-kind-2025-01-01")))
    assert image.format == "PNG" and image.width > 600
    assert image.text["Title"] == "Partnerships by kind"
    assert "As of 1 Jan 2025" in image.text["Description"]
    page.context.close()


def test_report_button_gives_the_pdf_of_the_filters(browser, small_server):  # noqa: F811
    page, _ = open_page(browser, f"{small_server.base}/?asof=2025-01-01&home=de-hagen&lang=en")
    reader = PdfReader(io.BytesIO(download(page, ".st-key-report_pdf")))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Partnership report" in text and "Home city: Hagen" in text
    assert "Kartal" in text and "Amiens" not in text
    page.context.close()
