"""A package as one Excel workbook that people can fill in: a sheet per resource, an "Anleitung"
sheet, the descriptor on a hidden sheet so that an import gives back the same package.

Each heading is "German label (field_name)": the German label is for people, the field name in
brackets is what the import reads, so a heading is never ambiguous. Cells hold the CSV text
exactly (dates of day precision as real date cells, months as "11/2019", years as "2019"), so an
unchanged workbook imports to the same bytes.
"""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path

import polars as pl
import xlsxwriter

from analysis.keeping.workbook_words import DESCRIPTOR_SHEET, as_labels, choices, sheet_name
from analysis.package import Package
from analysis.package.dialect import dialect_of, read_csv_text
from analysis.problems import PackageInvalid, Problem

GUIDE_SHEET = "Anleitung"
ROOM_BELOW = 2000  # dropdowns and lists reach this many rows below the data, for new rows
EXCEL_DATE = "dd.mm.yyyy"
MAX_WIDTH = 60
WIDTH_SAMPLE = 500  # rows looked at to size a column

# German headings; a field not listed here is headed by its name alone
HEADINGS_DE: dict[str, str] = {
    "country_code": "Staat",
    "name_de": "Name deutsch",
    "name_en": "Name englisch",
    "municipality_id": "Kommune-ID",
    "name": "Name",
    "admin_area": "Land/Region",
    "continent": "Kontinent",
    "latitude": "Breite",
    "longitude": "Länge",
    "population": "Einwohner",
    "wikidata_id": "Wikidata",
    "geonames_id": "GeoNames-ID",
    "coordinates_source": "Quelle der Koordinaten",
    "partnership_id": "Partnerschaft-ID",
    "home_id": "Heimatkommune",
    "partner_id": "Partnerkommune",
    "kind": "Art",
    "association": "Verein",
    "notes": "Anmerkungen",
    "date": "Datum",
    "date_precision": "Genauigkeit",
    "status": "Status",
    "note": "Was geschah",
    "source_id": "Quelle-ID",
    "date_basis": "Datumsart",
    "theme_id": "Thema-ID",
    "label_de": "Bezeichnung deutsch",
    "label_en": "Bezeichnung englisch",
    "title": "Titel",
    "publisher": "Herausgeber",
    "published": "Veröffentlicht",
    "url": "URL",
    "document_ref": "Aktenzeichen/Vorlage",
}

GUIDE = """Partnerschaftsatlas: Arbeitsmappe / workbook

Jedes Blatt ist eine Tabelle des Datenpakets. Die Überschrift nennt in Klammern den Feldnamen;
ändern Sie Überschriften und Blattnamen nicht, sonst kann die Mappe nicht eingelesen werden.
Keine Formeln und keine verbundenen Zellen. Leere Zeilen werden übergangen. Art, Status,
Kontinent, Genauigkeit und Datumsart wählen Sie aus der Auswahlliste.

Partnerkommunen: Name und Staat genügen
Im Blatt "Kommunen" eine Zeile mit Name (z. B. Lüttich) und Staat, als Name (Belgien, England,
Frankreich) oder Code (BE). Bleiben Breite und Länge leer, sucht das Einlesen den Ort in
GeoNames (ohne Internet) und füllt Kommune-ID, Breite, Länge, Land/Region, Einwohner,
GeoNames-ID und Kontinent. Gibt es den Namen mehrmals, nennt das Einlesen die Orte mit ihrer
GeoNames-ID: diese ins Feld GeoNames-ID eintragen. Den Kontinent nie eintippen: er folgt aus dem
Staat. Eine leere Kommune-ID wird aus Staat und Name gebildet (be-luettich).

Eine Partnerschaft hinzufügen
1. Im Blatt "Partnerschaften" eine Zeile: Partnerschaft-ID (z. B. dortmund-amiens), Heimatkommune
   und Partnerkommune (ihre ID oder ihr Name wie im Blatt "Kommunen"), Art (Auswahlliste).
2. Jede Partnerschaft braucht mindestens eine Zeile im Blatt "Statusverlauf".

Ein Statusereignis hinzufügen
Im Blatt "Statusverlauf" eine Zeile: Partnerschaft-ID, Datum, Genauigkeit, Status, was geschah
(Anmerkung) und die Quelle-ID. Der Status einer Partnerschaft an einem Tag ist der ihrer letzten
Zeile an oder vor diesem Tag; bei gleichem Datum gilt die weiter unten stehende Zeile.

Besteht seit wann? Unbekannt
Wissen Sie nur, dass eine Partnerschaft besteht (aus einer Liste, einem späteren Artikel), aber
nicht, seit wann: Status "aktiv", als Datum das Jahr (oder den Tag) der Quelle und als Datumsart
"bekannt seit". Sie zählt dann nicht als in diesem Jahr gegründet und nicht als Änderung; die
Seiten zeigen "Gründung unbekannt (aktiv bekannt seit 2026)". "Ereignis" (oder leer) heißt: der
Status begann an diesem Datum.

Eine Quelle hinzufügen
Jede Status- und Themenzeile nennt eine Quelle. Im Blatt "Quellen" eine Zeile: Quelle-ID
(z. B. dortmund-pm-2025-05), Titel, Herausgeber, Veröffentlichungsdatum (falls bekannt), URL.

Genauigkeit eines Datums
Schreiben Sie nur, was die Quelle sagt:
  25.11.2019 (oder eine Datumszelle)  Tag bekannt       -> Genauigkeit Tag
  11/2019                             nur Monat bekannt -> Genauigkeit Monat
  2019                                nur Jahr bekannt  -> Genauigkeit Jahr
Bleibt die Genauigkeit leer, wird sie aus dem Datum abgeleitet. Erfinden Sie keinen Tag: das
Datum eines Zeitungsartikels ist nicht der Tag des Ereignisses.

Einlesen
Im Dashboard: "Daten & Downloads -> Eigene Daten" (ansehen) oder, im Bearbeitungsmodus, die
Seite "Pflege". Das Einlesen prüft alles und schreibt nichts, solange ein Fehler bleibt; es
nennt alle Fehler auf einmal, jeden mit Blatt, Zeile, Spalte und was zu tun ist.
Auf der Kommandozeile: partnerships import DATEI.xlsx --out ORDNER

English: every sheet is one table of the data package; keep sheet names and headings (the field
name in brackets is what the import reads). No formulas, no merged cells. A partner town needs
only its name and country (German or English name, or code): the import looks it up in GeoNames
offline and fills id, coordinates, admin area, population and continent. At least one row per
partnership in "Statusverlauf" (status history), a row in "Quellen" (sources) for every source.
Dates: 25.11.2019 (day), 11/2019 (month), 2019 (year): write only what the source states. A
partnership known to exist but not since when: status "aktiv", the date of the source, and
"bekannt seit" (known by) as Datumsart.
"""


def _is_guide_title(line: str) -> bool:
    """A section title of the guide: short, not indented, no closing punctuation."""
    return bool(line) and len(line) < 45 and not line.startswith(" ") and not line.endswith((".", ":", ",", ";", ")"))


def heading(field: str) -> str:
    """The heading of FIELD's column: German label and field name, "Datum (date)"."""
    label = HEADINGS_DE.get(field)
    return f"{label} ({field})" if label and label != field else f"({field})"


FIELD_IN_HEADING = re.compile(r"\(([A-Za-z0-9_]+)\)\s*$")


def field_of_heading(text: str) -> str | None:
    """The field name a heading names in its closing brackets, or None."""
    match = FIELD_IN_HEADING.search(text.strip())
    return match.group(1) if match else None


def package_text_frames(package: Package) -> dict[str, pl.DataFrame]:
    """Every resource of a loaded (so valid) package as the text its CSV file holds."""
    root = package.descriptor_path.parent
    return {
        resource["name"]: read_csv_text(root / resource["path"], dialect_of(resource))
        for resource in package.descriptor["resources"]
    }


def month_text(iso: str, precision: str | None) -> str | None:
    """How a date of PRECISION is written in the workbook: None for a day (a date cell), else
    "11/2019" for a month and "2019" for a year (a month never becomes a day)."""
    if precision == "month":
        return f"{iso[5:7]}/{iso[:4]}"
    if precision == "year":
        return iso[:4]
    return None


def _foreign_lists(resource: dict, descriptor: dict) -> dict[str, tuple[str, str]]:
    """field -> (referenced sheet, referenced field) for every single-field foreign key."""
    lists = {}
    for key in (resource.get("schema") or {}).get("foreignKeys") or []:
        fields = key.get("fields")
        fields = [fields] if isinstance(fields, str) else fields
        reference = key.get("reference") or {}
        target = reference.get("fields")
        target = [target] if isinstance(target, str) else target
        if fields and target and len(fields) == 1 and len(target) == 1:
            lists[fields[0]] = (reference.get("resource") or resource["name"], target[0])
    return lists


def _column_letter(index: int) -> str:
    return xlsxwriter.utility.xl_col_to_name(index)


def write_workbook(package: Package, out: str | Path) -> Path:
    """Write PACKAGE as one workbook to OUT; answer OUT."""
    out = Path(out)
    descriptor = package.descriptor
    frames = package_text_frames(package)
    too_long = _too_long_for_a_cell(frames)
    if too_long:
        raise PackageInvalid(too_long, str(out))
    resources = descriptor["resources"]
    heights = {r["name"]: frames[r["name"]].height for r in resources}
    book = xlsxwriter.Workbook(str(out), {"constant_memory": True, "strings_to_numbers": False})
    bold = book.add_format({"bold": True, "bg_color": "#EEEEEE", "text_wrap": True, "valign": "top"})
    date_format = book.add_format({"num_format": EXCEL_DATE})
    text_format = book.add_format({"num_format": "@"})  # new cells typed into a text column stay text

    guide = book.add_worksheet(GUIDE_SHEET)
    guide.set_column(0, 0, 100)
    for row, line in enumerate(GUIDE.splitlines()):
        guide.write_string(row, 0, line, bold if _is_guide_title(line) else None)
    guide.write_string(len(GUIDE.splitlines()) + 1, 0, f"{package.title} · Version {package.version}")

    field_of = {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in resources}
    for resource in resources:
        name = resource["name"]
        fields = resource["schema"]["fields"]
        frame = frames[name]
        sheet = book.add_worksheet(sheet_name(name))
        foreign = _foreign_lists(resource, descriptor)
        has_precision = "date_precision" in frame.columns
        last_row = heights[name] + ROOM_BELOW
        for col, field in enumerate(fields):
            sample = (
                frame[field["name"]].head(WIDTH_SAMPLE).drop_nulls().str.len_chars()
                if field["name"] in frame.columns
                else None
            )
            longest = int(sample.max() or 0) if sample is not None and sample.len() else 0
            width = min(MAX_WIDTH, max(len(heading(field["name"])) * 0.8, longest + 2, 10))
            kind = field.get("type", "string")
            column_format = date_format if kind == "date" and not has_precision else None
            if kind == "string":
                column_format = text_format
            sheet.set_column(col, col, width, column_format)
            sheet.write_string(0, col, heading(field["name"]), bold)
            note = field.get("description") or ""
            constraints = field.get("constraints") or {}
            if constraints.get("required"):
                note += "\nPflichtfeld / required."
            if kind == "date":
                note += "\n25.11.2019, 11/2019 oder/or 2019" if has_precision else "\n25.11.2019"
            sheet.write_comment(0, col, note.strip(), {"x_scale": 2, "y_scale": 1.5})
            offered = choices(field)
            if offered:
                sheet.data_validation(
                    1, col, last_row, col, {"validate": "list", "source": offered, "ignore_blank": True}
                )
            elif field["name"] in foreign:
                target_sheet, target_field = foreign[field["name"]]
                if target_sheet in field_of and target_field in field_of[target_sheet]:
                    letter = _column_letter(field_of[target_sheet].index(target_field))
                    bottom = heights.get(target_sheet, 0) + 1 + ROOM_BELOW
                    sheet.data_validation(
                        1,
                        col,
                        last_row,
                        col,
                        {
                            "validate": "list",
                            "source": f"='{sheet_name(target_sheet)}'!${letter}$2:${letter}${bottom}",
                            "ignore_blank": True,
                            "error_type": "warning",  # a new id may be typed before its row exists
                        },
                    )
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, max(heights[name], 1), len(fields) - 1)
        _write_rows(sheet, frame, fields, date_format)

    hidden = book.add_worksheet(DESCRIPTOR_SHEET)
    for row, line in enumerate(json.dumps(descriptor, ensure_ascii=False, indent=2).splitlines()):
        hidden.write_string(row, 0, line)
    hidden.hide()
    book.close()
    return out


def workbook_bytes(package: Package) -> bytes:
    """PACKAGE's workbook as bytes, for a download (written in a private temporary folder)."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="partnerschaftsatlas-book-") as folder:
        return write_workbook(package, Path(folder) / "arbeitsmappe.xlsx").read_bytes()


def _write_rows(sheet, frame: pl.DataFrame, fields: list[dict], date_format) -> None:
    """Write the rows in order (constant-memory mode): strings as strings, canonical numbers as
    numbers, day dates as date cells, month and year dates as their text."""
    names = [f["name"] for f in fields]
    kinds = [f.get("type", "string") for f in fields]
    labelled = as_labels(frame)  # codes as the German words the dropdowns offer; dates keep their codes
    columns = [labelled[n].to_list() if n in frame.columns else [None] * frame.height for n in names]
    precision = frame["date_precision"].to_list() if "date_precision" in frame.columns else None
    write_string, write_number, write_datetime = sheet.write_string, sheet.write_number, sheet.write_datetime
    for index in range(frame.height):
        row = index + 1
        for col, kind in enumerate(kinds):
            value = columns[col][index]
            if value is None:
                continue
            if kind == "date":
                written = month_text(value, precision[index]) if precision is not None else None
                if written is None and _is_iso_date(value):
                    write_datetime(row, col, date.fromisoformat(value), date_format)
                else:
                    write_string(row, col, written if written is not None else value)
            elif kind in ("integer", "number") and _number_round_trips(value):
                write_number(row, col, float(value))
            else:
                write_string(row, col, value)


EXCEL_CELL_CHARS = 32_767  # Excel's limit; xlsxwriter would cut a longer text short


def _too_long_for_a_cell(frames: dict[str, pl.DataFrame]) -> list[Problem]:
    """A problem for every text longer than an Excel cell holds (it would not come back whole)."""
    problems = []
    for name, frame in frames.items():
        for column in frame.columns:
            long_rows = frame.with_row_index("row", offset=2).filter(pl.col(column).str.len_chars() > EXCEL_CELL_CHARS)
            problems += [
                Problem(name, row, column, code="workbook_cell_too_long", params={"limit": EXCEL_CELL_CHARS})
                for row in long_rows["row"].to_list()
            ]
    return problems


def _is_iso_date(text: str) -> bool:
    return len(text) == 10 and text[4] == "-" and text[7] == "-" and text.replace("-", "").isdigit()


def number_text(value: float) -> str:
    """A number cell as the import writes it: whole numbers without ".0", others shortest."""
    return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)


def _number_round_trips(text: str) -> bool:
    """Whether a number cell gives back exactly TEXT (else the cell holds the text: trailing zeros
    of a coordinate say how precise it is and are kept)."""
    try:
        return number_text(float(text)) == text
    except ValueError:
        return False
