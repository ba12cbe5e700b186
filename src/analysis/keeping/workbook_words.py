"""The workbook in German: its sheet names and the words its dropdowns offer, both ways.

A sheet is named in German ("Statusverlauf" for status_history); a coded value is written as its
German label ("aktiv", "Städtepartnerschaft", "Europa", "Monat", "bekannt seit") and read back to
its code on import, so an unchanged workbook imports to the same bytes. The words are the
phrasebook's (read here as data: analysis imports nothing of present); the import also takes the
codes themselves and the English labels, in any case, since people copy from older workbooks.
"""

from __future__ import annotations

import tomllib
from functools import cache

import polars as pl

from analysis.problems import PHRASEBOOK

DESCRIPTOR_SHEET = "Paketbeschreibung"  # hidden: the descriptor as JSON, one line per row
OLD_DESCRIPTOR_SHEET = "datapackage"  # its name in workbooks written before the German one
# field → phrasebook table of its values' labels
LABELLED_FIELDS = {
    "status": "status",
    "kind": "kind",
    "continent": "continent",
    "date_precision": "precision",
    "date_basis": "date_basis",
}


@cache
def _phrasebook() -> dict:
    with PHRASEBOOK.open("rb") as file:
        return tomllib.load(file)


def sheet_name(resource: str) -> str:
    """The German sheet name of RESOURCE ("status_history" → "Statusverlauf"); its name when
    the phrasebook has none (at most 31 characters, as Excel allows)."""
    return _phrasebook()["sheet"].get(resource, {}).get("de", resource)[:31]


def find_sheet(resource: str, sheets: dict) -> str | None:
    """The name under which RESOURCE's sheet is in SHEETS: German, else the resource's own."""
    for name in (sheet_name(resource), resource[:31]):
        if name in sheets:
            return name
    return None


@cache
def labels(field: str) -> dict[str, str] | None:
    """code → German label for a labelled FIELD ("active" → "aktiv"); None for any other field."""
    table = LABELLED_FIELDS.get(field)
    if table is None:
        return None
    if table == "precision":
        text = _phrasebook()["text"]
        return {p: text[f"precision_{p}"]["de"] for p in ("day", "month", "year")}
    return {code: words["de"] for code, words in _phrasebook()[table].items()}


@cache
def _codes(field: str) -> dict[str, str]:
    """Folded label, English label or code → code, for reading FIELD back."""
    table = LABELLED_FIELDS[field]
    found = {}
    for code, german in (labels(field) or {}).items():
        english = _phrasebook()["text"][f"precision_{code}"]["en"] if table == "precision" else None
        english = english or _phrasebook()[table][code]["en"]
        for word in (code, english, german):
            found[word.lower()] = code
    return found


def choices(field: dict) -> list[str] | None:
    """The dropdown of a field with an enum: German labels where there are, else the codes."""
    values = (field.get("constraints") or {}).get("enum")
    if not isinstance(values, list):
        return None
    words = labels(field["name"]) or {}
    return [words.get(str(v), str(v)) for v in values]


def as_labels(frame: pl.DataFrame) -> pl.DataFrame:
    """FRAME (CSV text) with every labelled column's codes as German labels."""
    return frame.with_columns(pl.col(name).replace(labels(name)) for name in frame.columns if labels(name) is not None)


def as_codes(frame: pl.DataFrame, headings: dict[str, str]) -> pl.DataFrame:
    """FRAME as read (columns named by their HEADINGS) with labels back as codes; a value that is
    no label stays as typed, for the validator to name."""
    columns = []
    for field, heading in headings.items():
        if labels(field) is None or heading not in frame.columns:
            continue
        codes = _codes(field)
        folded = pl.col(heading).str.strip_chars().str.to_lowercase()
        known = folded.replace_strict(codes, default=None)
        columns.append(pl.coalesce(known, pl.col(heading)).alias(heading))
    return frame.with_columns(columns) if columns else frame
