"""The municipalities: home towns in the German Länder, partner towns in real countries, each at a
random point of a land box."""

from __future__ import annotations

import random

from analysis.synth.countries import INHABITED, Box, Country, Region
from analysis.synth.draws import pick, picker

PLACE_COLUMNS = (
    "municipality_id",
    "name",
    "name_en",
    "country_code",
    "admin_area",
    "continent",
    "latitude",
    "longitude",
    "population",
    "coordinates_source",
)


def _point(rng: random.Random, box: Box) -> tuple[str, str]:
    lat_from, lat_to, lon_from, lon_to = box
    return f"{rng.uniform(lat_from, lat_to):.5f}", f"{rng.uniform(lon_from, lon_to):.5f}"


def _population(rng: random.Random, low: float, high: float) -> int:
    return int(10 ** rng.uniform(low, high))


def _place(rng: random.Random, place_id: str, name: str, name_en: str, country: str, region: Region, population: int):
    """A municipalities row (PLACE_COLUMNS) at a random point of REGION's land box."""
    latitude, longitude = _point(rng, region.box)
    return (place_id, name, name_en, country, region.admin_area, region.continent, latitude, longitude,
            str(population), "synthetisch: Zufallspunkt im Landesrahmen")  # fmt: skip


def home_towns(rng: random.Random, count: int, germany: Country) -> list[tuple]:
    """COUNT home towns in German Länder, weighted by how many towns each Land has."""
    land_picker = picker(tuple((region, region.home_weight) for region in germany.regions))
    homes = []
    for number in range(1, count + 1):
        land = pick(rng, land_picker)
        population = _population(rng, 3.7, 6.2)
        place_id = f"de-heimatstadt-{number}"
        homes.append(
            _place(rng, place_id, f"Heimatstadt {number}", f"Home Town {number}", germany.code, land, population)
        )
    return homes


def partner_towns(rng: random.Random, count: int, countries: tuple[Country, ...]) -> list[tuple]:
    """COUNT partner towns in COUNTRIES by their weights; the first ones cover every inhabited continent."""
    country_picker = picker(tuple((country, country.weight) for country in countries))
    first_of_continent = [next(c for c in countries if c.regions[0].continent == continent) for continent in INHABITED]
    partners = []
    for number in range(1, count + 1):
        country = first_of_continent[number - 1] if number <= len(INHABITED) else pick(rng, country_picker)
        region = country.regions[rng.randrange(len(country.regions))]
        population = _population(rng, 3.0, 6.5)
        place_id = f"{country.code.lower()}-partnerstadt-{number}"
        partners.append(
            _place(rng, place_id, f"Partnerstadt {number}", f"Partner Town {number}", country.code, region, population)
        )
    return partners
