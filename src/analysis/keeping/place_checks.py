"""Plausibility checks of a municipality's coordinates and continent against its country.

A point lies in a country when GeoNames has a place of that country in the same 1° cell or a
cell up to three cells away (about 300 km: a town in a desert or far north has no
place of 500 inhabitants near it, so the check catches swapped coordinates and a wrong country,
not a slip of a few kilometres; the cells are shipped in country_cells.json, 75 KB, so the
check needs no city list); a point outside whose swapped coordinates lie inside is named as
swapped. A continent must be GeoNames' continent of the country, or either for a country on two.
Answers are (phrasebook code, params) pairs, for a Problem.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections import defaultdict
from functools import cache
from pathlib import Path

from analysis.keeping.places import _geonames, continent_of, tables
from analysis.problems import PHRASEBOOK

NEAR_DEGREES = 3  # a point is in a country when a place of it lies within 3 cells of 1° (some 300 km)
COUNTRY_CELLS = Path(__file__).with_name("country_cells.json")  # made by country_cells_text()


def country_cells_text() -> str:
    """Per country, the 1° cells (floor of latitude and longitude) in which GeoNames has a place,
    as the JSON shipped in country_cells.json: the plausibility check needs 75 KB, not the
    city list's 400 MB (a test compares the file with the city list)."""
    cells: dict[str, set[tuple[int, int]]] = defaultdict(set)
    for city in _geonames()[0].values():
        cells[city["countrycode"]].add((math.floor(city["latitude"]), math.floor(city["longitude"])))
    shipped = {code: " ".join(f"{a},{b}" for a, b in sorted(found)) for code, found in sorted(cells.items())}
    return json.dumps(shipped, separators=(",", ":"), sort_keys=True) + "\n"


@cache
def _cells() -> dict[str, frozenset[tuple[int, int]]]:
    shipped = json.loads(COUNTRY_CELLS.read_text(encoding="utf-8"))
    return {
        code: frozenset(tuple(int(n) for n in cell.split(",")) for cell in text.split())
        for code, text in shipped.items()
    }


def _around(latitude: float, longitude: float) -> list[tuple[int, int]]:
    row, col = math.floor(latitude), math.floor(longitude)
    return [
        (row + i, (col + j + 180) % 360 - 180)
        for i in range(-NEAR_DEGREES, NEAR_DEGREES + 1)
        for j in range(-NEAR_DEGREES, NEAR_DEGREES + 1)
    ]


@cache
def _countries_of_cells() -> dict[tuple[int, int], frozenset[str]]:
    found: dict[tuple[int, int], set[str]] = defaultdict(set)
    for code, cells in _cells().items():
        for cell in cells:
            found[cell].add(code)
    return {cell: frozenset(codes) for cell, codes in found.items()}


def _near(code: str, latitude: float, longitude: float) -> bool:
    cells = _cells().get(code)
    if not cells:
        return True  # a country without places in the list: nothing to compare with
    return any(cell in cells for cell in _around(latitude, longitude))


def countries_near(latitude: float, longitude: float) -> set[str]:
    """The countries with a place within about 300 km of the point."""
    by_cell = _countries_of_cells()
    return {code for cell in _around(latitude, longitude) for code in by_cell.get(cell, ())}


def coordinate_problems(code: str, latitude: float, longitude: float) -> list[tuple[str, dict]]:
    """(phrasebook code, params) when the point lies outside country CODE: no place of it within
    about 300 km, and swapped latitude and longitude lie in it (named as such) or another
    country's places are near. A point far from every place (a desert, the far north) passes:
    nothing says it is wrong."""
    if _near(code, latitude, longitude):
        return []
    params = {"country": code, "latitude": latitude, "longitude": longitude}
    if -90 <= longitude <= 90 and _near(code, longitude, latitude):
        return [("place_coordinates_swapped", params)]
    others = countries_near(latitude, longitude) - {code}
    if others:
        return [("place_outside_country", params | {"near": ", ".join(sorted(others)[:5])})]
    return []


def allowed_continents(code: str) -> set[str]:
    """The continents a place in country CODE may be on: GeoNames' one, both for a country on two."""
    continent = continent_of(code)
    return set(tables()["transcontinental"].get(code, [continent] if continent else []))


def continent_problems(code: str, continent: str) -> list[tuple[str, dict]]:
    """(phrasebook code, params) when CONTINENT contradicts country CODE ("Asia" for a Polish town)."""
    allowed = allowed_continents(code)
    if not allowed or continent in allowed:
        return []
    labels = continent_labels()
    both = [f"{labels.get(c, {}).get('de', c)}/{c}" for c in sorted(allowed)]
    params = {"country": code, "continent": continent, "expected": ", ".join(both)}
    return [("place_continent_contradicts", params)]


@cache
def continent_labels() -> dict[str, dict[str, str]]:
    """The phrasebook's [continent] table (read as data: analysis imports nothing of present)."""
    with PHRASEBOOK.open("rb") as file:
        return tomllib.load(file)["continent"]
