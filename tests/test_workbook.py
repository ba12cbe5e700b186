"""The Excel round trip: workbook out, import back, every spreadsheet error named by sheet, Excel
row, column heading and message, and nothing written when the workbook is invalid."""

from __future__ import annotations

import io
import json
import shutil
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import small_package_descriptor, write_package

from analysis.keeping.workbook import write_workbook
from analysis.keeping.workbook_reading import read_workbook, workbook_to_package
from analysis.package import EMBEDDED_DESCRIPTOR, load_package
from analysis.problems import PackageInvalid
from analysis.synth import write_synthetic_package
from console.main import main

SHEETS = {  # resource → its sheet in the German workbook
    "countries": "Staaten",
    "municipalities": "Kommunen",
    "partnerships": "Partnerschaften",
    "status_history": "Statusverlauf",
    "themes": "Themen",
    "partnership_themes": "Themen je Partnerschaft",
    "sources": "Quellen",
}
RESOURCES = tuple(SHEETS)


def _same_csvs(original: Path, copy: Path) -> None:
    for name in RESOURCES:
        assert (copy / "data" / f"{name}.csv").read_bytes() == (original / "data" / f"{name}.csv").read_bytes(), name


def test_round_trip_embedded_package(tmp_path):
    book = write_workbook(load_package(), tmp_path / "embedded.xlsx")
    workbook_to_package(book.read_bytes(), tmp_path / "back")
    _same_csvs(EMBEDDED_DESCRIPTOR.parent, tmp_path / "back")
    assert json.loads((tmp_path / "back" / "datapackage.json").read_text()) == json.loads(
        EMBEDDED_DESCRIPTOR.read_text()
    )


def test_round_trip_synthetic_10000(tmp_path):
    write_synthetic_package(tmp_path / "synth", 10_000, seed=3)
    book = write_workbook(load_package(tmp_path / "synth"), tmp_path / "synth.xlsx")
    workbook_to_package(book.read_bytes(), tmp_path / "back")
    _same_csvs(tmp_path / "synth", tmp_path / "back")


def test_round_trip_keeps_a_nested_dialect(tmp_path):
    """frictionless reads `{"dialect": {"csv": {"delimiter": ";"}}}` as a semicolon: the workbook's
    text frames and the import's writer follow it too, so the unchanged round trip is byte-equal."""
    descriptor = small_package_descriptor()
    themes = next(r for r in descriptor["resources"] if r["name"] == "themes")
    themes["dialect"] = {"csv": {"delimiter": ";"}}
    original = write_package(tmp_path / "nested", descriptor=descriptor).parent
    for name in RESOURCES:  # the embedded CSVs' line ends, so that the comparison is byte by byte
        path = original / "data" / f"{name}.csv"
        path.write_bytes(path.read_bytes().replace(b"\r\n", b"\n"))
    # a comma inside a field needs no quotes under ';', a semicolon does
    (original / "data" / "themes.csv").write_bytes(
        b'theme_id;label_de;label_en\nculture;Kultur, Sport;Culture, sport\neconomy;"Wirtschaft; Handel";Economy\n'
    )
    book = write_workbook(load_package(original / "datapackage.json"), tmp_path / "nested.xlsx")
    workbook_to_package(book.read_bytes(), tmp_path / "back")
    _same_csvs(original, tmp_path / "back")
    assert json.loads((tmp_path / "back" / "datapackage.json").read_text())["resources"] == descriptor["resources"]


def test_workbook_shape(tmp_path):
    """Headings in German with the field name, a guide, a hidden descriptor, date cells for days,
    month text for months, dropdowns reaching below the data."""
    book = write_workbook(load_package(write_package(tmp_path / "small")), tmp_path / "small.xlsx")
    workbook = openpyxl.load_workbook(book)
    assert workbook.sheetnames[0] == "Anleitung"
    assert workbook["Paketbeschreibung"].sheet_state == "hidden"
    assert workbook.sheetnames[1:8] == list(SHEETS.values())
    history = workbook["Statusverlauf"]
    assert [c.value for c in history[1]] == [
        "Partnerschaft-ID (partnership_id)",
        "Datum (date)",
        "Genauigkeit (date_precision)",
        "Status (status)",
        "Was geschah (note)",
        "Quelle-ID (source_id)",
        "Datumsart (date_basis)",
    ]
    # small package: dortmund-amiens 1960 (year), dortmund-trabzon 05/2013 (month), 12.06.2014 (day)
    assert history["B2"].value == "1960"
    assert history["B3"].value == "05/2013"
    assert history["B4"].value == datetime(2014, 6, 12)
    assert [history[f"C{row}"].value for row in (2, 3, 4)] == ["Jahr", "Monat", "Tag"]  # year, month, day
    assert [history[f"D{row}"].value for row in (2, 3, 4, 5)] == ["aktiv", "in Vorbereitung", "aktiv", "vorgeschlagen"]
    assert workbook["Partnerschaften"]["D2"].value == "Städtepartnerschaft"  # twinning
    assert history.freeze_panes == "A2"
    assert history.auto_filter.ref == "A1:G5"
    assert "From this date on" in history["B1"].comment.text
    ranges = {str(v.sqref): v.formula1 for v in history.data_validations.dataValidation}
    assert ranges["C2:C2005"] == '"Tag,Monat,Jahr"'  # 4 rows of data + 2000 below
    assert ranges["D2:D2005"] == ('"vorgeschlagen,in Vorbereitung,aktiv,ruhend,Laufzeit abgelaufen,abgelehnt,beendet"')
    assert ranges["G2:G2005"] == '"Ereignis,bekannt seit"'
    assert ranges["A2:A2005"] == "'Partnerschaften'!$A$2:$A$2004"  # 3 partnerships + 2000 below
    assert ranges["F2:F2005"] == "'Quellen'!$A$2:$A$2003"


def _edited(book: Path, edit) -> bytes:
    """The workbook after EDIT(openpyxl workbook), as bytes, the way a person saves it in Excel."""
    workbook = openpyxl.load_workbook(book)
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def small_book(tmp_path) -> Path:
    return write_workbook(load_package(write_package(tmp_path / "small")), tmp_path / "small.xlsx")


def _problems(data: bytes, out: Path) -> list[tuple]:
    with pytest.raises(PackageInvalid) as caught:
        workbook_to_package(data, out)
    assert not out.exists() or not any(out.iterdir())  # nothing written
    return [(p.resource, p.row, p.field, p.message, p.message_de) for p in caught.value.problems]


def test_typed_dates_ids_and_numbers(small_book, tmp_path):
    def edit(workbook):
        history = workbook["Statusverlauf"]
        history["B2"] = "25.11.2019"  # day
        history["C2"] = None
        history["B3"] = "11/2019"  # month
        history["C3"] = None
        history["B4"] = "2019"  # year, precision given as year
        history["C4"] = "year"  # the code, as older workbooks offered it, is read too
        history["B5"] = datetime(2021, 5, 31)  # a date cell
        history["C5"] = None
        history["A5"] = "  hagen-kartal "  # stray spaces around an id
        places = workbook["Kommunen"]
        places["G2"] = "51,5"  # latitude typed as text with a decimal comma
        places["I2"] = " 588462 "  # population typed as text

    imported = workbook_to_package(_edited(small_book, edit), tmp_path / "out")
    history = (tmp_path / "out" / "data" / "status_history.csv").read_text().splitlines()
    assert history[1:] == [
        "dortmund-amiens,2019-11-25,day,active,signed,s1,",
        "dortmund-trabzon,2019-11-01,month,in_preparation,council,s1,",
        "dortmund-trabzon,2019-01-01,year,active,signed,s2,",
        "hagen-kartal,2021-05-31,day,proposed,letter,s2,",
    ]
    place = imported["municipalities"].row(0, named=True)
    assert (place["latitude"], place["population"]) == (51.5, 588462)


@pytest.mark.parametrize(
    ("typed", "iso", "precision"),
    [
        ("25.11.2019", "2019-11-25", "day"),
        ("1.2.2019", "2019-02-01", "day"),
        ("11/2019", "2019-11-01", "month"),
        ("2019", "2019-01-01", "year"),
        ("2019-11-25", "2019-11-25", "day"),
    ],
)
def test_each_date_form(small_book, tmp_path, typed, iso, precision):
    def edit(workbook):
        workbook["Statusverlauf"]["B4"] = typed
        workbook["Statusverlauf"]["C4"] = None

    workbook_to_package(_edited(small_book, edit), tmp_path / "out")
    row = (tmp_path / "out" / "data" / "status_history.csv").read_text().splitlines()[3]
    assert row.split(",")[1:3] == [iso, precision]


@pytest.mark.parametrize(
    ("sheet", "cell", "value", "problem"),
    [
        (
            "Statusverlauf",
            "B3",
            "31.02.2019",  # no date
            (
                "Statusverlauf",
                3,
                "Datum (date)",
                "'31.02.2019' is not a date; write 25.11.2019, 11/2019 or 2019",
                "'31.02.2019' ist kein Datum; bitte 25.11.2019, 11/2019 oder 2019 schreiben",
            ),
        ),
        (
            "Partnerschaften",
            "F3",
            "=1+1",  # a formula
            (
                "Partnerschaften",
                3,
                "Anmerkungen (notes)",
                "cell F3 holds a formula (=1+1); type the value instead",
                "Zelle F3 enthält eine Formel (=1+1); bitte den Wert eintragen",
            ),
        ),
    ],
)
def test_a_refused_cell_is_named_with_its_row_and_column(small_book, tmp_path, sheet, cell, value, problem):
    def edit(workbook):
        workbook[sheet][cell] = value

    assert _problems(_edited(small_book, edit), tmp_path / "out") == [problem]


def test_precision_that_does_not_fit(small_book, tmp_path):
    def edit(workbook):
        workbook["Statusverlauf"]["B4"] = "11/2019"
        workbook["Statusverlauf"]["C4"] = "day"

    [(sheet, row, column, message, message_de)] = _problems(_edited(small_book, edit), tmp_path / "out")
    assert (sheet, row, column) == ("Statusverlauf", 4, "Genauigkeit (date_precision)")
    assert "precision 'day' does not fit the date '11/2019'" in message
    assert "Genauigkeit 'day' passt nicht" in message_de


def test_merged_cells_refused(small_book, tmp_path):
    def edit(workbook):
        workbook["Partnerschaften"].merge_cells("E2:F2")

    [(sheet, row, column, message, _)] = _problems(_edited(small_book, edit), tmp_path / "out")
    assert (sheet, row, column) == ("Partnerschaften", 2, "Verein (association)")
    assert message.startswith("merged cells E2:F2")


def test_missing_and_renamed_sheets(small_book, tmp_path):
    def edit(workbook):
        del workbook["Themen"]
        workbook["Partnerschaften"].title = "Partnerschaft"

    problems = _problems(_edited(small_book, edit), tmp_path / "out")
    assert [(p[0], p[3]) for p in problems] == [
        ("Partnerschaften", "sheet 'Partnerschaften' is missing (or was renamed)"),
        ("Themen", "sheet 'Themen' is missing (or was renamed)"),
    ]
    assert problems[0][4] == "Blatt 'Partnerschaften' fehlt (oder wurde umbenannt)"


def test_renamed_heading(small_book, tmp_path):
    def edit(workbook):
        workbook["Partnerschaften"]["D1"] = "Art der Partnerschaft"

    problems = _problems(_edited(small_book, edit), tmp_path / "out")
    assert [(p[0], p[1], p[2]) for p in problems] == [
        ("Partnerschaften", 1, "Art der Partnerschaft"),
        ("Partnerschaften", 1, "Art (kind)"),
    ]
    assert problems[1][3] == "column 'Art (kind)' is missing (or its heading was renamed)"


def test_missing_descriptor_sheet(small_book, tmp_path):
    def edit(workbook):
        del workbook["Paketbeschreibung"]

    [(sheet, row, column, message, _)] = _problems(_edited(small_book, edit), tmp_path / "out")
    assert sheet == "Arbeitsmappe/workbook" and row is None
    assert "hidden sheet 'Paketbeschreibung'" in message


def test_validator_problems_name_excel_rows_and_headings(small_book, tmp_path):
    """An empty row stays counted: the bad kind on Excel row 4 is reported as row 4."""

    def edit(workbook):
        sheet = workbook["Partnerschaften"]
        sheet.insert_rows(3)  # row 3 empty; dortmund-trabzon moves to row 4
        sheet["D4"] = "partnership"
        workbook["Statusverlauf"]["F3"] = "nowhere"

    problems = _problems(_edited(small_book, edit), tmp_path / "out")
    where = {(p[0], p[1], p[2]) for p in problems}
    assert ("Partnerschaften", 4, "Art (kind)") in where
    assert ("Statusverlauf", 3, "Quelle-ID (source_id)") in where


def test_not_a_workbook(tmp_path):
    [(sheet, _, _, message, message_de)] = _problems(b"just text", tmp_path / "out")
    assert (message, message_de) == ("not an Excel workbook (.xlsx)", "keine Excel-Arbeitsmappe (.xlsx)")


def test_cli_import_invalid_writes_nothing(small_book, tmp_path, capsys):
    data = _edited(small_book, lambda wb: wb["Statusverlauf"].__setitem__("B3", "bald"))
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(data)
    assert main(["--lang", "en", "import", str(bad), "--out", str(tmp_path / "out")]) == 1
    assert "Statusverlauf, row 3, field Datum (date): 'bald' is not a date" in capsys.readouterr().out
    assert main(["--lang", "de", "import", str(bad), "--out", str(tmp_path / "out")]) == 1
    assert "Statusverlauf, Zeile 3, Feld Datum (date): 'bald' ist kein Datum" in capsys.readouterr().out
    assert not (tmp_path / "out").exists()
    assert list(tmp_path.glob(".out-import-*")) == []


def test_read_workbook_keeps_file_order(small_book):
    _, frames, rows = read_workbook(small_book.read_bytes())
    assert frames["status_history"]["partnership_id"].to_list() == [
        "dortmund-amiens",
        "dortmund-trabzon",
        "dortmund-trabzon",
        "hagen-kartal",
    ]
    assert rows["status_history"] == [2, 3, 4, 5]


def test_workbook_cli(tmp_path):
    shutil.copytree(EMBEDDED_DESCRIPTOR.parent, tmp_path / "pkg", ignore=shutil.ignore_patterns("*.md"))
    assert main(["workbook", str(tmp_path / "pkg"), "--out", str(tmp_path / "pkg.xlsx")]) == 0
    assert openpyxl.load_workbook(tmp_path / "pkg.xlsx").sheetnames[1:8] == list(SHEETS.values())


def test_text_longer_than_an_excel_cell_is_refused_before_writing(tmp_path):
    rows = {"partnerships": [["dortmund-amiens", "de-dortmund", "fr-amiens", "twinning", "", "x" * 32_768]]}
    rows["status_history"] = [["dortmund-amiens", "1960-01-01", "year", "active", "signed", "s1"]]
    rows["partnership_themes"] = []
    package = load_package(write_package(tmp_path / "long", rows))
    with pytest.raises(PackageInvalid) as caught:
        write_workbook(package, tmp_path / "long.xlsx")
    [problem] = caught.value.problems
    assert (problem.resource, problem.row, problem.field) == ("partnerships", 2, "notes")
    assert not (tmp_path / "long.xlsx").exists()


def test_deleted_column(small_book, tmp_path):
    def edit(workbook):
        workbook["Quellen"].delete_cols(3)  # Herausgeber (publisher)

    [(sheet, row, column, message, message_de)] = _problems(_edited(small_book, edit), tmp_path / "out")
    assert (sheet, row, column) == ("Quellen", 1, "Herausgeber (publisher)")
    assert message == "column 'Herausgeber (publisher)' is missing (or its heading was renamed)"
    assert message_de == "Spalte 'Herausgeber (publisher)' fehlt (oder ihre Überschrift wurde umbenannt)"


def test_import_into_a_folder_whose_package_is_invalid_says_so(small_book, tmp_path, capsys):
    rows = {"status_history": [["ghost", "2020-01-01", "year", "active", "", "s2"]]}
    broken = write_package(tmp_path / "broken", rows).parent
    before = {p.name: p.read_bytes() for p in (broken / "data").iterdir()}
    assert main(["--lang", "en", "import", str(small_book), "--out", str(broken)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert (
        out[0]
        == f"{broken}: the package already in this folder is invalid (below); correct it or import into an empty folder"
    )
    assert {p.name: p.read_bytes() for p in (broken / "data").iterdir()} == before


def test_every_enum_and_foreign_key_has_a_dropdown_reaching_below_the_data(tmp_path):
    package = load_package()
    book = openpyxl.load_workbook(write_workbook(package, tmp_path / "embedded.xlsx"))
    missing = []
    for resource in package.descriptor["resources"]:
        schema = resource["schema"]
        names = [f["name"] for f in schema["fields"]]
        wanted = {f["name"] for f in schema["fields"] if "enum" in f.get("constraints", {})}
        wanted |= {key["fields"][0] for key in schema.get("foreignKeys", [])}
        sheet = book[SHEETS[resource["name"]]]
        lowest = {}
        for validation in sheet.data_validations.dataValidation:
            for cells in str(validation.sqref).split():
                column = cells.split(":")[0].rstrip("0123456789")
                lowest[column] = int(cells.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
        for name in wanted:
            letter = openpyxl.utils.get_column_letter(names.index(name) + 1)
            if lowest.get(letter, 0) < package[resource["name"]].height + 1 + 1000:
                missing.append(f"{resource['name']}.{name}")
    assert missing == []


def test_the_embedded_workbook_has_no_english_sheet_name_nor_dropdown_code(tmp_path):
    package = load_package()
    book = openpyxl.load_workbook(write_workbook(package, tmp_path / "embedded.xlsx"))
    assert not set(book.sheetnames) & {*RESOURCES, "datapackage"}
    codes = {
        "twinning", "friendship", "project", "climate", "solidarity",
        "proposed", "in_preparation", "active", "paused", "lapsed", "declined", "ended",
        "day", "month", "year", "event", "known_by", "Europe", "Asia", "Africa", "North America",
    }  # fmt: skip
    offered = set()
    for sheet in book.worksheets:
        for validation in sheet.data_validations.dataValidation:
            if validation.formula1.startswith('"'):
                offered |= set(validation.formula1.strip('"').split(","))
    assert {"aktiv", "Städtepartnerschaft", "Europa", "Monat", "bekannt seit"} <= offered
    assert not offered & codes
    kinds = {row[3] for row in book["Partnerschaften"].iter_rows(min_row=2, values_only=True)}
    assert "Städtepartnerschaft" in kinds and not kinds & codes
