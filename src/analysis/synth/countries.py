"""The real countries partner towns are drawn from, each with land boxes (a table, countries.csv)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path

Box = tuple[float, float, float, float]  # latitude from, to; longitude from, to

# One row per country and land box, in the order the generator draws from (Germany last, one
# row per Land). Boxes lie inland (or nearly so) so that a random point falls on land; where a
# country spans two continents (Turkey), its box decides the continent.
COUNTRY_TABLE = Path(__file__).with_name("countries.csv")


@dataclass(frozen=True)
class Region:
    continent: str
    box: Box
    admin_area: str | None  # the German Länder are named: home towns lie in them
    home_weight: float | None  # relative share of home towns (German Länder only)


@dataclass(frozen=True)
class Country:
    code: str
    name_de: str
    name_en: str
    weight: float  # relative share of partner towns
    regions: tuple[Region, ...]  # most countries have one


@cache
def synth_countries(path: Path = COUNTRY_TABLE) -> tuple[Country, ...]:
    """The countries partner towns are drawn from, each with its regions, in the table's order."""
    countries: dict[str, Country] = {}
    with path.open(encoding="utf-8", newline="") as table:
        for row in csv.DictReader(table):
            region = Region(
                continent=row["continent"],
                box=(float(row["lat_from"]), float(row["lat_to"]), float(row["lon_from"]), float(row["lon_to"])),
                admin_area=row["admin_area"] or None,
                home_weight=float(row["admin_area_weight"]) if row["admin_area_weight"] else None,
            )
            code = row["country_code"]
            if code in countries:
                countries[code] = replace(countries[code], regions=(*countries[code].regions, region))
            else:
                countries[code] = Country(code, row["name_de"], row["name_en"], float(row["weight"]), (region,))
    return tuple(countries.values())


INHABITED = ("Europe", "Asia", "Africa", "North America", "South America", "Oceania")
