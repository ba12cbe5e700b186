"""A synthetic partnerships package of any size, for load and scale tests.

The shape follows the embedded data and what is known about German town twinning: about
one home municipality (in Germany) per ten partnerships, partners on every inhabited
continent with most of them in Europe, one to five status rows per partnership in a
plausible order, zero to four themes, a source for every status and theme row. Countries
are real (ISO codes, German and English names); places and sources are not, and say so
("Partnerstadt 12345", https://example.org/...). Coordinates are drawn inside land boxes
of the country. The same seed gives the same bytes.
"""

from __future__ import annotations

import copy
import csv
import json
import random
from bisect import bisect_right
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl

from analysis.package import EMBEDDED_DESCRIPTOR, read_descriptor

SYNTH_CREATED = "2026-11-01T00:00:00Z"
CREATED_DATE = date(2026, 11, 1)
EARLIEST_EVENT = date(1947, 1, 1)

Box = tuple[float, float, float, float]  # latitude from, to; longitude from, to

# One row per country and land box, in the order the generator draws from (Germany last, one
# row per Land). Boxes lie inland (or nearly so) so that a random point falls on land; where a
# country spans two continents (Turkey), its box decides the continent.
COUNTRY_TABLE = Path(__file__).with_name("synth_countries.csv")


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

KIND_WEIGHTS = {
    "twinning": 56,
    "friendship": 18,
    "project": 10,
    "climate": 5,
    "solidarity": 5,
    "contact": 6,
}

# status -> ((next status or None to stop, weight), ...): the order status rows tend to follow
TRANSITIONS: dict[str, tuple[tuple[str | None, float], ...]] = {
    "proposed": (("in_preparation", 45), ("active", 22), ("declined", 15), (None, 18)),
    "in_preparation": (("active", 68), ("declined", 9), ("paused", 5), (None, 18)),
    "active": (("active", 28), ("paused", 12), ("ended", 8), (None, 52)),
    "paused": (("active", 35), ("ended", 25), (None, 40)),
    "declined": (("proposed", 8), (None, 92)),
    "ended": (("active", 6), (None, 94)),
}
FIRST_STATUS = (("proposed", 35), ("in_preparation", 30), ("active", 35))
# typical time to the next row, in days (from, to), by the status reached
GAP_DAYS = {
    "proposed": (200, 3000),
    "in_preparation": (60, 900),
    "active": (90, 1100),
    "paused": (700, 6000),
    "declined": (90, 1200),
    "ended": (700, 8000),
}
MILESTONE_DAYS = (1500, 9000)  # a repeated "active": an anniversary, a renewed charter
NOTES = {
    "proposed": ("Anfrage der Partnerstadt (synthetisch)", "Vorschlag aus dem Rat (synthetisch)"),
    "in_preparation": (
        "Ratsbeschluss: Gespräche aufnehmen (synthetisch)",
        "Delegationsreise (synthetisch)",
    ),
    "active": (
        "Unterzeichnung der Urkunde (synthetisch)",
        "Ratsbeschluss zur Partnerschaft (synthetisch)",
    ),
    "paused": ("Kontakte ruhen (synthetisch)", "Partnerschaft ausgesetzt (synthetisch)"),
    "declined": ("Rat lehnt ab (synthetisch)",),
    "ended": ("Partnerschaft beendet (synthetisch)",),
}
MILESTONE_NOTES = (
    "Meilenstein: Jubiläum (synthetisch)",
    "Meilenstein: Urkunde erneuert (synthetisch)",
)
PRECISION_WEIGHTS = (("day", 50), ("month", 30), ("year", 20))
THEME_COUNT_WEIGHTS = ((0, 20), (1, 30), (2, 25), (3, 15), (4, 10))
THEME_WEIGHTS = {"culture": 10, "youth": 9, "sport": 7, "education": 7, "economy": 6}  # others: 2
PUBLISHERS = (
    "Stadtverwaltung (synthetisch)",
    "Ratsinformationssystem (synthetisch)",
    "Synthetischer Stadtanzeiger",
    "Partnerschaftsverein (synthetisch)",
    "Synthetische Rundschau",
)
SOURCE_KINDS = (
    "Pressemitteilung",
    "Ratsvorlage",
    "Zeitungsartikel",
    "Webseite der Stadt",
    "Jahresbericht",
)


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


def _picker(weighted: tuple[tuple[object, float], ...] | dict) -> tuple[list, list[float]]:
    pairs = list(weighted.items()) if isinstance(weighted, dict) else list(weighted)
    values = [value for value, _ in pairs]
    cumulative, total = [], 0.0
    for _, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


def _pick(rng: random.Random, picker: tuple[list, list[float]]):
    """One value, drawn with the picker's weights (what rng.choices does, without its overhead)."""
    values, cumulative = picker
    return values[bisect_right(cumulative, rng.random() * cumulative[-1], 0, len(values) - 1)]


_FIRST = _picker(FIRST_STATUS)
_PRECISIONS = _picker(PRECISION_WEIGHTS)
_TRANSITIONS = {status: _picker(following) for status, following in TRANSITIONS.items()}
_KINDS = _picker(KIND_WEIGHTS)
_THEME_COUNTS = _picker(THEME_COUNT_WEIGHTS)
_FIRST_DAY, _LAST_DAY = EARLIEST_EVENT.toordinal(), CREATED_DATE.toordinal()


def _point(rng: random.Random, box: Box) -> tuple[str, str]:
    lat_from, lat_to, lon_from, lon_to = box
    return f"{rng.uniform(lat_from, lat_to):.5f}", f"{rng.uniform(lon_from, lon_to):.5f}"


def _population(rng: random.Random, low: float, high: float) -> int:
    return int(10 ** rng.uniform(low, high))


def _written(day: int, precision: str) -> int:
    """The ordinal of DAY as written at PRECISION: months as YYYY-MM-01, years as YYYY-01-01."""
    if precision == "day":
        return day
    value = date.fromordinal(day)
    return date(value.year, value.month if precision == "month" else 1, 1).toordinal()


def _status_sequence(rng: random.Random, start: int, limit: int) -> list[tuple[int, str, str]]:
    """One partnership's status rows as (date ordinal as written, precision, status), date order."""
    rows: list[tuple[int, str, str]] = []
    status = _pick(rng, _FIRST)
    day = start
    while True:
        precision = _pick(rng, _PRECISIONS)
        written = _written(day, precision)
        if rows and written <= rows[-1][0]:
            precision, written = "day", day  # coarser would fall on or before the previous row
        rows.append((written, precision, status))
        if len(rows) == 5:
            return rows
        following = _pick(rng, _TRANSITIONS[status])
        if following is None:
            return rows
        low, high = MILESTONE_DAYS if following == status else GAP_DAYS[status]
        day += rng.randint(low, high)
        if day > limit:
            return rows
        status = following


def _place(rng: random.Random, place_id: str, name: str, name_en: str, country: str, region: Region, population: int):
    """A municipalities row (PLACE_COLUMNS) at a random point of REGION's land box."""
    latitude, longitude = _point(rng, region.box)
    return (place_id, name, name_en, country, region.admin_area, region.continent, latitude, longitude,
            str(population), "synthetisch: Zufallspunkt im Landesrahmen")  # fmt: skip


def _home_towns(rng: random.Random, count: int, germany: Country) -> list[tuple]:
    """COUNT home towns in German Länder, weighted by how many towns each Land has."""
    land_picker = _picker(tuple((region, region.home_weight) for region in germany.regions))
    homes = []
    for number in range(1, count + 1):
        land = _pick(rng, land_picker)
        population = _population(rng, 3.7, 6.2)
        place_id = f"de-heimatstadt-{number}"
        homes.append(
            _place(rng, place_id, f"Heimatstadt {number}", f"Home Town {number}", germany.code, land, population)
        )
    return homes


def _partner_towns(rng: random.Random, count: int, countries: tuple[Country, ...]) -> list[tuple]:
    """COUNT partner towns in COUNTRIES by their weights; the first ones cover every inhabited continent."""
    country_picker = _picker(tuple((country, country.weight) for country in countries))
    first_of_continent = [next(c for c in countries if c.regions[0].continent == continent) for continent in INHABITED]
    partners = []
    for number in range(1, count + 1):
        country = first_of_continent[number - 1] if number <= len(INHABITED) else _pick(rng, country_picker)
        region = country.regions[rng.randrange(len(country.regions))]
        population = _population(rng, 3.0, 6.5)
        place_id = f"{country.code.lower()}-partnerstadt-{number}"
        partners.append(
            _place(rng, place_id, f"Partnerstadt {number}", f"Partner Town {number}", country.code, region, population)
        )
    return partners


def _pairs(rng: random.Random, partnerships: int, home_count: int, partner_count: int) -> list[tuple[int, int, str]]:
    """Which home has which partner, and of what kind, as (home index, partner index, kind), by home.

    Every home has at least one partner, a few big cities many (log-normal weights); popular
    partners (low numbers) are shared by several homes. A negative partner index -1 - i names
    home i: a few partnerships within Germany link two homes.
    """
    home_picker = _picker(tuple(enumerate(rng.lognormvariate(0.0, 0.8) for _ in range(home_count))))
    seen: set[tuple[int, int, str]] = set()
    pairs: list[tuple[int, int, str]] = []
    while len(pairs) < partnerships:
        index = len(pairs)
        home = index if index < home_count else _pick(rng, home_picker)
        if index < len(INHABITED):
            partner = index
        else:
            partner = min(partner_count - 1, int(partner_count * rng.random() ** 1.2))
        kind = _pick(rng, _KINDS)
        if (home, partner, kind) not in seen:
            seen.add((home, partner, kind))
            pairs.append((home, partner, kind))
    if home_count > 1:
        for index in range(len(INHABITED), partnerships, 97):
            home, _, kind = pairs[index]
            other = (home + 1 + rng.randrange(home_count - 1)) % home_count
            key = (home, -1 - other, kind)
            if key not in seen:
                seen.add(key)
                pairs[index] = key
    pairs.sort(key=lambda pair: pair[0])  # files list a home's partnerships together
    return pairs


def _source_id(rng: random.Random, source_count: int) -> str:
    return f"quelle-{rng.randrange(source_count) + 1:04d}"


def _status_rows(rng: random.Random, partnership_id: str, source_count: int) -> list[tuple]:
    """A partnership's status_history rows; the first mostly between the 1960s and the 1990s, some recent."""
    start = _FIRST_DAY + int((_LAST_DAY - _FIRST_DAY) * rng.triangular(0.0, 1.0, 0.45))
    rows = []
    previous = None
    for written, precision, status in _status_sequence(rng, min(start, _LAST_DAY - 30), _LAST_DAY):
        note = rng.choice(MILESTONE_NOTES if status == previous else NOTES[status])
        iso_date = date.fromordinal(written).isoformat()
        rows.append((partnership_id, iso_date, precision, status, note, _source_id(rng, source_count), None))
        previous = status
    return rows


def _theme_rows(rng: random.Random, partnership_id: str, theme_picker: tuple, source_count: int) -> list[tuple]:
    """A partnership's partnership_themes rows: zero to four distinct themes, each with a source."""
    wanted = min(_pick(rng, _THEME_COUNTS), len(theme_picker[0]))
    chosen: list[str] = []
    while len(chosen) < wanted:
        theme = _pick(rng, theme_picker)
        if theme not in chosen:
            chosen.append(theme)
    return [(partnership_id, theme, _source_id(rng, source_count)) for theme in chosen]


def _partnership_rows(
    rng: random.Random, pairs: list[tuple[int, int, str]], home_ids: list[str], partner_ids: list[str],
    theme_ids: list[str], source_count: int,
) -> dict[str, list[tuple]]:  # fmt: skip
    """The rows of partnerships, status_history and partnership_themes, partnership by partnership."""
    width = max(6, len(str(len(pairs))))
    theme_picker = _picker(tuple((theme, THEME_WEIGHTS.get(theme, 2)) for theme in theme_ids))
    rows: dict[str, list[tuple]] = {"partnerships": [], "status_history": [], "partnership_themes": []}
    for number, (home, partner, kind) in enumerate(pairs, start=1):
        partnership_id = f"partnerschaft-{number:0{width}d}"
        partner_id = home_ids[-1 - partner] if partner < 0 else partner_ids[partner]
        association = f"Partnerschaftsverein {number} (synthetisch)" if rng.random() < 0.25 else None
        rows["partnerships"].append((partnership_id, home_ids[home], partner_id, kind, association, None))
        rows["status_history"] += _status_rows(rng, partnership_id, source_count)
        rows["partnership_themes"] += _theme_rows(rng, partnership_id, theme_picker, source_count)
    return rows


def _sources(rng: random.Random, count: int) -> list[tuple]:
    """COUNT made-up sources, named so, with example.org addresses."""
    sources = []
    for number in range(1, count + 1):
        published = date.fromordinal(_LAST_DAY - rng.randrange(_LAST_DAY - _FIRST_DAY)) if rng.random() < 0.7 else None
        reference = f"Vorlage {rng.randint(100, 2999)}/{rng.randint(1990, 2025)}" if rng.random() < 0.3 else None
        sources.append(
            (
                f"quelle-{number:04d}",
                f"Synthetische Quelle {number}: {rng.choice(SOURCE_KINDS)}",
                rng.choice(PUBLISHERS),
                published.isoformat() if published else None,
                f"https://example.org/quellen/{number:04d}",
                reference,
            )
        )
    return sources


def synthetic_frames(partnerships: int, seed: int = 1, themes: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """Every resource of a synthetic package with PARTNERSHIPS partnerships, as text frames."""
    if partnerships < 1:
        raise ValueError("a synthetic package needs at least one partnership")
    rng = random.Random(seed)
    if themes is None:
        themes = embedded_themes()
    countries = synth_countries()
    germany = next(country for country in countries if country.code == "DE")
    # about one home per ten partnerships; a pool of about 0.7 partner towns per partnership
    homes = _home_towns(rng, max(1, round(partnerships / 10)), germany)
    partners = _partner_towns(rng, max(len(INHABITED), round(partnerships * 0.7)), countries)
    pairs = _pairs(rng, partnerships, len(homes), len(partners))
    source_count = min(400, max(20, partnerships // 10))
    rows = _partnership_rows(
        rng, pairs, [home[0] for home in homes], [partner[0] for partner in partners], themes["theme_id"].to_list(),
        source_count,
    )  # fmt: skip
    return {
        "countries": _text_frame(
            [(c.code, c.name_de, c.name_en) for c in sorted(countries, key=lambda country: country.code)],
            ("country_code", "name_de", "name_en"),
        ),
        "municipalities": _text_frame(homes + partners, PLACE_COLUMNS),
        "partnerships": _text_frame(
            rows["partnerships"],
            ("partnership_id", "home_id", "partner_id", "kind", "association", "notes"),
        ),
        "status_history": _text_frame(
            rows["status_history"],
            ("partnership_id", "date", "date_precision", "status", "note", "source_id", "date_basis"),
        ),
        "themes": themes,
        "partnership_themes": _text_frame(rows["partnership_themes"], ("partnership_id", "theme_id", "source_id")),
        "sources": _text_frame(
            _sources(rng, source_count), ("source_id", "title", "publisher", "published", "url", "document_ref")
        ),
    }


def _text_frame(rows: list[tuple], columns: tuple[str, ...]) -> pl.DataFrame:
    return pl.DataFrame(rows, schema={column: pl.String for column in columns}, orient="row")


def embedded_themes() -> pl.DataFrame:
    """The embedded package's themes, as text (the synthetic package uses the same theme ids)."""
    descriptor = read_descriptor(EMBEDDED_DESCRIPTOR)
    resource = next(r for r in descriptor["resources"] if r["name"] == "themes")
    return pl.read_csv(EMBEDDED_DESCRIPTOR.parent / resource["path"], infer_schema=False)


def synthetic_descriptor(partnerships: int, seed: int) -> dict:
    """The embedded descriptor, marked as synthetic: name, title, version, created, description,
    and package-level sources (the real documents do not describe made-up rows)."""
    descriptor = copy.deepcopy(read_descriptor(EMBEDDED_DESCRIPTOR))
    count = f"{partnerships:,}".replace(",", ".")  # German thousands separator
    descriptor.update(
        name=f"partnerschaftsatlas-synthetisch-n{partnerships}-s{seed}",
        title=f"Synthetische Städtepartnerschaften ({count} Partnerschaften, Seed {seed})",
        version="0.0.0-synthetic",
        created=SYNTH_CREATED,
        description=(
            "Synthetic data for load tests, written by `partnerships synth "
            f"--partnerships {partnerships} --seed {seed}`: real countries, made-up places, "
            "partnerships and sources. Not a statement about any real town. / Synthetische "
            "Testdaten: Orte, Partnerschaften und Quellen sind erfunden."
        ),
        sources=[
            {
                "title": "Synthetisch erzeugt (analysis.synth); keine realen Quellen",
                "path": "https://example.org/",
            }
        ],
    )
    descriptor["keywords"] = [*descriptor.get("keywords", []), "synthetic"]
    return descriptor


def write_synthetic_package(out: str | Path, partnerships: int, seed: int = 1) -> Path:
    """Write a synthetic package to OUT (created if missing); answer its datapackage.json."""
    out = Path(out)
    descriptor = synthetic_descriptor(partnerships, seed)
    frames = synthetic_frames(partnerships, seed)
    for resource in descriptor["resources"]:
        frame = frames[resource["name"]]
        fields = [field["name"] for field in resource["schema"]["fields"]]
        unknown = set(frame.columns) - set(fields)
        if unknown:
            raise ValueError(f"{resource['name']}: the descriptor has no field {sorted(unknown)}")
        # fields the descriptor declares beyond ours stay empty; the column order is the schema's
        frame = frame.select(
            [pl.col(f) if f in frame.columns else pl.lit(None, dtype=pl.String).alias(f) for f in fields]
        )
        path = out / resource["path"]
        path.parent.mkdir(parents=True, exist_ok=True)
        frame.write_csv(path, line_terminator="\n")
    descriptor_path = out / "datapackage.json"
    descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return descriptor_path
