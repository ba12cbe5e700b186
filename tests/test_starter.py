"""`partnerships init`: a starter package for a plain name, a name with umlauts and an ambiguous
name; each validates and opens in the dashboard with "no partnerships recorded yet". Then the
whole way of a new city: init → workbook → filled in → import → dashboard, with a changelog."""

from __future__ import annotations

import io
import re
from datetime import datetime
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from analysis.keeping.starter import StarterRefused, slug, write_starter_package
from analysis.keeping.workbook import write_workbook
from analysis.package import EMBEDDED_DESCRIPTOR, load_package
from console.main import main

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGES = tuple(re.findall(r'st\.Page\("(views/\w+\.py)"', APP.read_text(encoding="utf-8")))  # every registered page
CREATED = "2026-01-01T00:00:00Z"


def test_plain_name(tmp_path):
    package = write_starter_package(tmp_path / "bielefeld", "Bielefeld", CREATED)
    home = package["municipalities"].row(0, named=True)
    # GeoNames 2949186: Bielefeld, Nordrhein-Westfalen (admin1 07), 52.03333 N 8.53333 E
    assert (home["municipality_id"], home["name"], home["admin_area"], home["continent"]) == (
        "de-bielefeld",
        "Bielefeld",
        "Nordrhein-Westfalen",
        "Europe",
    )
    assert (home["geonames_id"], home["latitude"], home["longitude"]) == (2949186, 52.03333, 8.53333)
    assert package["countries"].height == 249  # ISO 3166-1 has 249 entries
    countries = {
        row["country_code"]: (row["name_de"], row["name_en"]) for row in package["countries"].iter_rows(named=True)
    }
    assert countries["CI"] == ("Côte d’Ivoire", "Côte d’Ivoire")
    assert countries["DE"] == ("Deutschland", "Germany")
    assert countries["JP"] == ("Japan", "Japan")
    assert countries["NL"] == ("Niederlande", "Netherlands")
    themes = (tmp_path / "bielefeld" / "data" / "themes.csv").read_bytes()
    assert themes == (EMBEDDED_DESCRIPTOR.parent / "data" / "themes.csv").read_bytes()
    for empty in ("partnerships", "status_history", "partnership_themes", "sources"):
        assert package[empty].height == 0
        assert (tmp_path / "bielefeld" / "data" / f"{empty}.csv").read_text().count("\n") == 1  # the header
    assert package.version == "0.1.0"
    assert "created with `partnerships init`: Bielefeld" in (tmp_path / "bielefeld" / "CHANGELOG.md").read_text()


def test_name_with_umlauts(tmp_path):
    package = write_starter_package(tmp_path / "l", "Lüdenscheid", CREATED)
    home = package["municipalities"].row(0, named=True)
    assert (home["municipality_id"], home["name"], home["geonames_id"]) == ("de-luedenscheid", "Lüdenscheid", 2875457)
    assert slug("Frankfurt (Oder)") == "frankfurt-oder"
    assert slug("Mülheim an der Ruhr") == "muelheim-an-der-ruhr"


def test_german_name_that_geonames_writes_otherwise(tmp_path):
    home = write_starter_package(tmp_path / "m", "München", CREATED)["municipalities"].row(0, named=True)
    assert (home["municipality_id"], home["name"], home["name_en"], home["admin_area"]) == (
        "de-muenchen",
        "München",
        "Munich",
        "Bayern",
    )


def test_ambiguous_name_lists_candidates(tmp_path, capsys):
    with pytest.raises(StarterRefused) as refused:
        write_starter_package(tmp_path / "f", "Frankfurt", CREATED)
    assert [(c.name, c.admin_area, c.geonames_id) for c in refused.value.candidates] == [
        ("Frankfurt am Main", "Hessen", 2925533),
        ("Frankfurt (Oder)", "Brandenburg", 2925535),
    ]
    assert not (tmp_path / "f").exists()
    assert main(["--lang", "de", "init", "--home", "Frankfurt", "--out", str(tmp_path / "f")]) == 1
    err = capsys.readouterr().err
    assert "'Frankfurt' ist mehrdeutig: 2 Orte; bitte einen mit --geonames-id wählen" in err
    assert "Frankfurt (Oder), Brandenburg, DE; 57.107 Einwohner; 52.35, 14.55; GeoNames-ID 2925535" in err
    assert main(["--lang", "en", "init", "--home", "Frankfurt", "--out", str(tmp_path / "f")]) == 1
    err = capsys.readouterr().err
    assert "'Frankfurt' is ambiguous: 2 places; choose one with --geonames-id" in err
    assert "Frankfurt (Oder), Brandenburg, DE; 57,107 inhabitants; 52.35, 14.55; GeoNames id 2925535" in err
    assert main(["init", "--home", "Frankfurt", "--geonames-id", "2925535", "--out", str(tmp_path / "f")]) == 0
    home = load_package(tmp_path / "f")["municipalities"].row(0, named=True)
    assert (home["municipality_id"], home["name"]) == ("de-frankfurt-oder", "Frankfurt (Oder)")


def test_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("mine")
    assert main(["--lang", "en", "init", "--home", "Bielefeld", "--out", str(tmp_path / "full")]) == 1
    assert "is not an empty folder" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["notes.txt"]


def test_unknown_place(tmp_path):
    with pytest.raises(StarterRefused, match="no place called 'Nirgendwohausen' in DE"):
        write_starter_package(tmp_path / "n", "Nirgendwohausen", CREATED)


def _run_page(package_dir: Path, page: str, monkeypatch, lang: str = "de") -> AppTest:
    monkeypatch.setenv("PARTNERSHIPS_DATAPACKAGE", str(package_dir))
    monkeypatch.setenv("PARTNERSHIPS_EDIT", "1")  # so that every page of app.py is registered
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.query_params["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize(("home", "geonames_id"), [("Bielefeld", None), ("Lüdenscheid", None), ("Frankfurt", 2925535)])
def test_starter_package_opens_on_every_page(tmp_path, monkeypatch, home, geonames_id):
    assert len(PAGES) >= 6
    write_starter_package(tmp_path / "p", home, CREATED, geonames_id=geonames_id)
    for page in PAGES:
        at = _run_page(tmp_path / "p", page, monkeypatch)
        assert any(i.value.startswith("Noch keine Partnerschaften erfasst.") for i in at.info), page
        assert len(at.get("vega_lite_chart")) == 0, page
    at = _run_page(tmp_path / "p", "views/overview.py", monkeypatch, lang="en")
    assert any(i.value.startswith("No partnerships recorded yet.") for i in at.info)


def _fill(book: Path) -> bytes:
    """What an international office types: a partner town by name and country only, a
    partnership naming it, two status events with a month and a day (statuses as the dropdown
    offers them), a source, a theme."""
    workbook = openpyxl.load_workbook(book)
    workbook["Kommunen"].append([None, "Nancy", None, "Frankreich"])
    workbook["Partnerschaften"].append(["luedenscheid-nancy", "de-luedenscheid", "Nancy", "Städtepartnerschaft"])
    workbook["Quellen"].append(["stadt-2024", "Partnerstädte", "Stadt Lüdenscheid", None, None, None])
    workbook["Statusverlauf"].append(["luedenscheid-nancy", "05/1989", None, "in Vorbereitung", "Rat", "stadt-2024"])
    workbook["Statusverlauf"].append(
        ["luedenscheid-nancy", datetime(1990, 6, 23), None, "aktiv", "Urkunde", "stadt-2024"]
    )
    workbook["Themen je Partnerschaft"].append(["luedenscheid-nancy", "culture", "stadt-2024"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_new_city_from_init_to_dashboard(tmp_path, monkeypatch):
    folder = tmp_path / "luedenscheid"
    assert main(["init", "--home", "Lüdenscheid", "--out", str(folder)]) == 0
    assert main(["workbook", str(folder), "--out", str(tmp_path / "l.xlsx")]) == 0
    (tmp_path / "filled.xlsx").write_bytes(_fill(tmp_path / "l.xlsx"))
    assert main(["import", str(tmp_path / "filled.xlsx"), "--out", str(folder)]) == 0

    package = load_package(folder)
    assert package.version == "0.2.0"  # a partnership was added
    assert (folder / "data" / "status_history.csv").read_text().splitlines()[1:] == [
        "luedenscheid-nancy,1989-05-01,month,in_preparation,Rat,stadt-2024,",
        "luedenscheid-nancy,1990-06-23,day,active,Urkunde,stadt-2024,",
    ]
    # Nancy from GeoNames (2990999 in cities500.json: 48.68439 N 6.18496 E, admin1 44, 105,058)
    nancy = package["municipalities"].filter(pl.col("name") == "Nancy").row(0, named=True)
    assert (nancy["municipality_id"], nancy["country_code"], nancy["continent"], nancy["admin_area"]) == (
        "fr-nancy",
        "FR",
        "Europe",
        "Grand Est",
    )
    assert (nancy["latitude"], nancy["longitude"], nancy["population"], nancy["geonames_id"]) == (
        48.68439,
        6.18496,
        105058,
        2990999,
    )
    assert package["partnerships"]["partner_id"].to_list() == ["fr-nancy"]
    changelog = (folder / "CHANGELOG.md").read_text()
    assert changelog.index("## 0.2.0") < changelog.index("## 0.1.0")  # newest first
    assert "- hinzugefügt / added: `luedenscheid-nancy`" in changelog

    # a correction later: patch version, one more entry on top
    book = write_workbook(package, tmp_path / "again.xlsx")
    workbook = openpyxl.load_workbook(book)
    workbook["Quellen"]["B2"] = "Partnerstädte der Stadt Lüdenscheid"
    workbook.save(tmp_path / "again.xlsx")
    assert main(["import", str(tmp_path / "again.xlsx"), "--out", str(folder)]) == 0
    assert load_package(folder).version == "0.2.1"
    changelog = (folder / "CHANGELOG.md").read_text()
    assert changelog.index("## 0.2.1") < changelog.index("## 0.2.0") < changelog.index("## 0.1.0")
    assert '`stadt-2024`, title: `"Partnerstädte"` → `"Partnerstädte der Stadt Lüdenscheid"`' in changelog

    at = _run_page(folder, "views/partnerships.py", monkeypatch)
    assert not any(i.value.startswith("Noch keine") for i in at.info)
    shown = at.dataframe[0].value
    assert shown.shape[0] == 1


def test_the_empty_state_of_a_new_town_needs_no_command_line(tmp_path, monkeypatch):
    """It names the workbook to download, the upload and the Pflege page; no command."""
    write_starter_package(tmp_path / "p", "Bielefeld", CREATED)
    at = _run_page(tmp_path / "p", "views/overview.py", monkeypatch)  # edit mode on: the Pflege page is named
    [info] = [i.value for i in at.info if i.value.startswith("Noch keine Partnerschaften erfasst.")]
    assert "„Pflege“" in info and "Eigene Daten" in info
    assert "partnerships " not in info  # no CLI command
    assert at.get("download_button")[0].proto.label == "Arbeitsmappe zum Ausfüllen herunterladen"
    monkeypatch.setenv("PARTNERSHIPS_EDIT", "0")
    monkeypatch.setenv("PARTNERSHIPS_DATAPACKAGE", str(tmp_path / "p"))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    [info] = [i.value for i in at.info if i.value.startswith("Noch keine Partnerschaften erfasst.")]
    assert "Arbeitsmappe herunter" in info and "Eigene Daten" in info and "Pflege" not in info
