"""One rule for formulas in outputs, stated and tested: what is made to be opened in a spreadsheet
is neutralised; a data package for machines keeps every value exactly and says so."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import date
from pathlib import Path

from conftest import BASE_ROWS, write_package

from analysis.outputs.export import to_csv_bytes, to_office_csv_bytes
from analysis.outputs.subset import subset_zip
from analysis.package import load_package
from analysis.questions.enriched import enriched_view

HOSTILE = ['=HYPERLINK("http://example.org";"x")', "+cmd", "-2+3", "@SUM(A1)"]
DOCS = Path(__file__).resolve().parents[1] / "docs" / "datenpflege.md"


def _package(tmp_path: Path):
    """The small package whose three partner towns are named by the first three hostile texts."""
    places = [list(row) for row in BASE_ROWS["municipalities"]]
    for row, text in zip(places[2:], HOSTILE, strict=False):
        row[1] = text  # name
    return load_package(write_package(tmp_path / "p", {"municipalities": places}))


def test_the_filtered_package_keeps_exact_values_and_says_so(tmp_path):
    package = _package(tmp_path)
    with zipfile.ZipFile(io.BytesIO(subset_zip(package, date(2025, 1, 1)))) as archive:
        places = csv.DictReader(io.StringIO(archive.read("data/municipalities.csv").decode()))
        names = [row["name"] for row in places][2:]
        readme = archive.read("README.md").decode()
    assert names == HOSTILE[:3]  # exactly as in the package: a re-import reads the same data
    assert "nicht direkt in einer Tabellenkalkulation öffnen" in readme
    assert "do not open\nthem in a spreadsheet" in readme


def test_spreadsheet_exports_neutralise_the_same_cells(tmp_path):
    view = enriched_view(_package(tmp_path).frames, date(2025, 1, 1), None)
    for data in (to_csv_bytes(view), to_office_csv_bytes(view)):
        text = data.decode("utf-8-sig")
        assert "'+cmd" in text and "'-2+3" in text and "'=HYPERLINK(" in text
        assert ",+cmd" not in text and ";+cmd" not in text


def test_the_rule_is_written_down_once():
    text = DOCS.read_text(encoding="utf-8")
    assert "one rule: outputs made to be opened in a spreadsheet are neutralised" in text
    assert "the filtered data package (zip)" in text
    assert "in every CSV and Excel export" not in text  # the old promise the zip did not keep
