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
import json
import random
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import polars as pl

from analysis.package import EMBEDDED_DESCRIPTOR, read_descriptor

SYNTH_CREATED = "2026-11-01T00:00:00Z"
CREATED_DATE = date(2026, 11, 1)
EARLIEST_EVENT = date(1947, 1, 1)

Box = tuple[float, float, float, float]  # latitude from, to; longitude from, to


@dataclass(frozen=True)
class Country:
    code: str
    name_de: str
    name_en: str
    weight: float  # relative share of partner towns
    regions: tuple[tuple[str, Box], ...]  # (continent, land box); most countries have one


def _country(code: str, name_de: str, name_en: str, weight: float, continent: str, *boxes: Box) -> Country:
    return Country(code, name_de, name_en, weight, tuple((continent, box) for box in boxes))


# Boxes lie inland (or nearly so) so that a random point falls on land.
COUNTRIES: tuple[Country, ...] = (
    # Europe: the bulk of German partnerships (France and Poland first)
    _country("FR", "Frankreich", "France", 22, "Europe", (44.0, 49.0, 0.0, 6.0)),
    _country("PL", "Polen", "Poland", 10, "Europe", (50.5, 53.5, 15.5, 23.0)),
    _country("GB", "Vereinigtes Königreich", "United Kingdom", 6, "Europe", (51.5, 54.5, -2.8, 0.0)),
    _country("IT", "Italien", "Italy", 6, "Europe", (44.5, 45.8, 8.0, 12.0)),
    _country("AT", "Österreich", "Austria", 3, "Europe", (47.0, 48.2, 13.0, 16.0)),
    _country("NL", "Niederlande", "Netherlands", 3, "Europe", (51.6, 52.8, 4.8, 6.8)),
    _country("BE", "Belgien", "Belgium", 2, "Europe", (50.3, 51.0, 3.5, 5.8)),
    _country("CH", "Schweiz", "Switzerland", 1.5, "Europe", (46.6, 47.4, 7.0, 9.2)),
    _country("CZ", "Tschechien", "Czechia", 3, "Europe", (49.2, 50.5, 13.0, 17.5)),
    _country("HU", "Ungarn", "Hungary", 2.5, "Europe", (46.3, 47.8, 17.0, 21.5)),
    _country("ES", "Spanien", "Spain", 2, "Europe", (38.0, 42.5, -6.5, -1.0)),
    _country("PT", "Portugal", "Portugal", 0.6, "Europe", (38.5, 41.5, -8.3, -7.2)),
    _country("IE", "Irland", "Ireland", 0.6, "Europe", (52.3, 53.8, -9.0, -6.6)),
    _country("DK", "Dänemark", "Denmark", 0.8, "Europe", (55.3, 56.8, 8.5, 9.8)),
    _country("SE", "Schweden", "Sweden", 0.7, "Europe", (57.0, 60.5, 13.0, 16.5)),
    _country("NO", "Norwegen", "Norway", 0.4, "Europe", (59.5, 61.5, 9.0, 11.5)),
    _country("FI", "Finnland", "Finland", 0.6, "Europe", (61.0, 64.0, 24.0, 29.0)),
    _country("SK", "Slowakei", "Slovakia", 0.8, "Europe", (48.3, 49.2, 18.0, 21.5)),
    _country("SI", "Slowenien", "Slovenia", 0.4, "Europe", (45.8, 46.5, 14.2, 15.6)),
    _country("HR", "Kroatien", "Croatia", 0.6, "Europe", (45.2, 46.0, 15.5, 18.5)),
    _country("RS", "Serbien", "Serbia", 0.6, "Europe", (43.5, 45.5, 19.5, 21.5)),
    _country("BG", "Bulgarien", "Bulgaria", 0.5, "Europe", (42.2, 43.5, 23.0, 27.0)),
    _country("RO", "Rumänien", "Romania", 1.2, "Europe", (44.5, 47.5, 22.5, 27.0)),
    _country("GR", "Griechenland", "Greece", 0.6, "Europe", (39.5, 41.0, 21.5, 23.5)),
    _country("LT", "Litauen", "Lithuania", 0.5, "Europe", (54.5, 55.8, 22.0, 25.5)),
    _country("LV", "Lettland", "Latvia", 0.4, "Europe", (56.2, 57.3, 22.5, 27.0)),
    _country("EE", "Estland", "Estonia", 0.3, "Europe", (58.0, 59.2, 24.5, 27.0)),
    _country("UA", "Ukraine", "Ukraine", 1.5, "Europe", (47.5, 51.0, 24.0, 36.0)),
    _country("BY", "Belarus", "Belarus", 0.4, "Europe", (52.5, 55.0, 24.5, 30.5)),
    _country("RU", "Russland", "Russia", 1.5, "Europe", (52.0, 58.0, 32.0, 50.0)),
    # Turkey and Russia reach into Asia: the region decides the continent (Kartal vs Beşiktaş)
    _country("TR", "Türkei", "Turkey", 1.2, "Asia", (37.5, 40.5, 29.5, 40.0)),
    # Asia
    _country("CN", "China", "China", 2.5, "Asia", (25.0, 40.0, 103.0, 118.0)),
    _country("JP", "Japan", "Japan", 1.2, "Asia", (35.0, 36.5, 136.5, 139.5)),
    _country("IN", "Indien", "India", 0.8, "Asia", (18.0, 28.0, 74.0, 84.0)),
    _country("IL", "Israel", "Israel", 0.8, "Asia", (31.0, 32.8, 34.9, 35.4)),
    _country("PS", "Palästina", "Palestine", 0.2, "Asia", (31.4, 32.4, 35.0, 35.4)),
    _country("KZ", "Kasachstan", "Kazakhstan", 0.3, "Asia", (44.0, 52.0, 60.0, 80.0)),
    _country("UZ", "Usbekistan", "Uzbekistan", 0.2, "Asia", (39.5, 41.5, 64.0, 71.0)),
    _country("KR", "Südkorea", "South Korea", 0.5, "Asia", (35.5, 37.5, 127.0, 128.8)),
    _country("VN", "Vietnam", "Vietnam", 0.3, "Asia", (20.5, 22.0, 104.0, 106.5)),
    _country("TH", "Thailand", "Thailand", 0.2, "Asia", (14.0, 18.0, 99.5, 103.5)),
    _country("ID", "Indonesien", "Indonesia", 0.2, "Asia", (-7.6, -6.8, 107.0, 111.0)),
    _country("PH", "Philippinen", "Philippines", 0.1, "Asia", (14.5, 17.5, 120.5, 121.8)),
    _country("MN", "Mongolei", "Mongolia", 0.1, "Asia", (45.0, 49.0, 95.0, 110.0)),
    _country("GE", "Georgien", "Georgia", 0.3, "Asia", (41.7, 42.5, 42.0, 45.0)),
    # Africa
    _country("GH", "Ghana", "Ghana", 0.4, "Africa", (6.0, 10.5, -2.5, 0.5)),
    _country("TZ", "Tansania", "Tanzania", 0.4, "Africa", (-9.0, -3.0, 31.0, 38.0)),
    _country("BF", "Burkina Faso", "Burkina Faso", 0.4, "Africa", (11.0, 14.5, -4.5, 1.5)),
    _country("RW", "Ruanda", "Rwanda", 0.2, "Africa", (-2.6, -1.2, 29.3, 30.7)),
    _country("NA", "Namibia", "Namibia", 0.2, "Africa", (-25.0, -18.0, 15.0, 20.0)),
    _country("ZA", "Südafrika", "South Africa", 0.3, "Africa", (-32.0, -24.0, 20.0, 30.0)),
    _country("CM", "Kamerun", "Cameroon", 0.3, "Africa", (3.0, 10.0, 10.5, 15.0)),
    _country("NG", "Nigeria", "Nigeria", 0.2, "Africa", (7.0, 12.5, 4.0, 12.0)),
    _country("KE", "Kenia", "Kenya", 0.2, "Africa", (-3.0, 3.0, 35.0, 39.0)),
    _country("UG", "Uganda", "Uganda", 0.2, "Africa", (0.5, 3.5, 30.5, 34.5)),
    _country("ET", "Äthiopien", "Ethiopia", 0.1, "Africa", (6.0, 12.0, 36.0, 42.0)),
    _country("MZ", "Mosambik", "Mozambique", 0.2, "Africa", (-20.0, -14.0, 33.5, 38.0)),
    _country("SN", "Senegal", "Senegal", 0.2, "Africa", (13.0, 16.0, -16.0, -12.5)),
    _country("ML", "Mali", "Mali", 0.1, "Africa", (12.0, 17.0, -8.0, 0.0)),
    _country("BJ", "Benin", "Benin", 0.2, "Africa", (7.0, 11.0, 1.8, 3.5)),
    _country("GN", "Guinea", "Guinea", 0.1, "Africa", (9.0, 12.0, -13.0, -9.0)),
    _country("MA", "Marokko", "Morocco", 0.2, "Africa", (30.0, 34.0, -8.0, -4.0)),
    _country("TN", "Tunesien", "Tunisia", 0.2, "Africa", (33.5, 36.5, 8.5, 10.0)),
    _country("EG", "Ägypten", "Egypt", 0.1, "Africa", (26.0, 30.5, 30.0, 32.0)),
    # North America (with Central America)
    _country(
        "US",
        "Vereinigte Staaten",
        "United States",
        2.5,
        "North America",
        (33.0, 42.0, -110.0, -80.0),
    ),
    _country("CA", "Kanada", "Canada", 0.6, "North America", (45.0, 53.0, -114.0, -98.0)),
    _country("MX", "Mexiko", "Mexico", 0.3, "North America", (18.5, 22.0, -103.0, -98.0)),
    _country("NI", "Nicaragua", "Nicaragua", 0.3, "North America", (12.0, 13.5, -86.5, -85.0)),
    _country("GT", "Guatemala", "Guatemala", 0.1, "North America", (14.5, 15.8, -91.5, -89.5)),
    _country("SV", "El Salvador", "El Salvador", 0.1, "North America", (13.5, 14.2, -89.5, -88.0)),
    _country("CR", "Costa Rica", "Costa Rica", 0.1, "North America", (9.5, 10.8, -85.0, -83.6)),
    # South America
    _country("BR", "Brasilien", "Brazil", 0.6, "South America", (-23.0, -5.0, -55.0, -42.0)),
    _country("AR", "Argentinien", "Argentina", 0.3, "South America", (-38.0, -27.0, -66.0, -60.0)),
    _country("CL", "Chile", "Chile", 0.2, "South America", (-38.0, -30.0, -71.5, -70.5)),
    _country("PE", "Peru", "Peru", 0.2, "South America", (-14.0, -6.0, -78.0, -73.0)),
    _country("BO", "Bolivien", "Bolivia", 0.2, "South America", (-20.0, -14.0, -68.0, -62.0)),
    _country("CO", "Kolumbien", "Colombia", 0.1, "South America", (2.0, 8.0, -76.0, -72.0)),
    _country("EC", "Ecuador", "Ecuador", 0.1, "South America", (-3.0, 0.5, -79.5, -78.0)),
    _country("UY", "Uruguay", "Uruguay", 0.05, "South America", (-34.0, -31.0, -57.5, -54.0)),
    _country("VE", "Venezuela", "Venezuela", 0.05, "South America", (7.0, 10.0, -70.0, -63.0)),
    # Oceania
    _country("AU", "Australien", "Australia", 0.25, "Oceania", (-31.0, -20.0, 118.0, 148.0)),
    _country(
        "NZ",
        "Neuseeland",
        "New Zealand",
        0.1,
        "Oceania",
        (-39.5, -37.5, 175.0, 176.5),
        (-45.5, -43.0, 169.0, 171.5),
    ),
    _country("FJ", "Fidschi", "Fiji", 0.03, "Oceania", (-18.0, -17.4, 177.5, 178.5)),
    _country("PG", "Papua-Neuguinea", "Papua New Guinea", 0.03, "Oceania", (-7.0, -5.0, 143.0, 146.0)),
)

# German states with an inland box each: homes, and partners within Germany.
LAENDER: tuple[tuple[str, float, Box], ...] = (
    ("Nordrhein-Westfalen", 22, (50.7, 52.2, 6.2, 8.8)),
    ("Bayern", 15, (47.7, 50.2, 10.0, 13.3)),
    ("Baden-Württemberg", 13, (47.8, 49.5, 8.0, 10.2)),
    ("Niedersachsen", 10, (51.8, 53.3, 7.5, 11.0)),
    ("Hessen", 8, (49.6, 51.5, 8.2, 9.9)),
    ("Rheinland-Pfalz", 5, (49.2, 50.8, 6.6, 8.0)),
    ("Sachsen", 5, (50.5, 51.5, 12.2, 14.6)),
    ("Berlin", 4, (52.40, 52.62, 13.15, 13.65)),
    ("Schleswig-Holstein", 3.5, (53.5, 54.6, 9.2, 10.8)),
    ("Brandenburg", 3, (51.8, 53.3, 12.3, 14.2)),
    ("Sachsen-Anhalt", 2.6, (51.3, 52.8, 11.0, 12.6)),
    ("Thüringen", 2.5, (50.5, 51.4, 10.0, 12.2)),
    ("Hamburg", 2, (53.45, 53.65, 9.85, 10.2)),
    ("Mecklenburg-Vorpommern", 2, (53.4, 53.9, 11.2, 13.6)),
    ("Saarland", 1, (49.2, 49.55, 6.6, 7.3)),
    ("Bremen", 0.8, (53.02, 53.15, 8.6, 8.95)),
)
GERMANY = Country("DE", "Deutschland", "Germany", 2.5, tuple(("Europe", box) for _, _, box in LAENDER))
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


def _status_rows(rng: random.Random, start: int, limit: int) -> list[tuple[int, str, str]]:
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


def synthetic_frames(partnerships: int, seed: int = 1, themes: pl.DataFrame | None = None) -> dict[str, pl.DataFrame]:
    """Every resource of a synthetic package with PARTNERSHIPS partnerships, as text frames."""
    if partnerships < 1:
        raise ValueError("a synthetic package needs at least one partnership")
    rng = random.Random(seed)
    if themes is None:
        themes = embedded_themes()
    theme_ids = themes["theme_id"].to_list()
    limit = CREATED_DATE.toordinal()

    # homes: about one per ten partnerships, in German states weighted by how many towns they have
    home_count = max(1, round(partnerships / 10))
    land_picker = _picker(tuple((name, weight) for name, weight, _ in LAENDER))
    boxes = {name: box for name, _, box in LAENDER}
    places: list[tuple] = []  # the municipalities' rows, in PLACE_COLUMNS order

    def add_place(place_id, name, name_en, country, admin_area, continent, box, population):
        latitude, longitude = _point(rng, box)
        places.append(
            (place_id, name, name_en, country, admin_area, continent, latitude, longitude,
             str(population), "synthetisch: Zufallspunkt im Landesrahmen")
        )  # fmt: skip

    home_ids = []
    for number in range(1, home_count + 1):
        land = _pick(rng, land_picker)
        home_ids.append(f"de-heimatstadt-{number}")
        add_place(
            home_ids[-1],
            f"Heimatstadt {number}",
            f"Home Town {number}",
            "DE",
            land,
            "Europe",
            boxes[land],
            _population(rng, 3.7, 6.2),
        )

    # partners: a pool of about 0.7 per partnership; the first ones cover every inhabited continent
    countries = (*COUNTRIES, GERMANY)
    country_picker = _picker(tuple((country, country.weight) for country in countries))
    first_of_continent = [next(c for c in countries if c.regions[0][0] == continent) for continent in INHABITED]
    partner_count = max(len(INHABITED), round(partnerships * 0.7))
    partner_ids = []
    for number in range(1, partner_count + 1):
        if number <= len(INHABITED):
            country = first_of_continent[number - 1]
        else:
            country = _pick(rng, country_picker)
        region = rng.randrange(len(country.regions))
        continent, box = country.regions[region]
        admin_area = LAENDER[region][0] if country.code == "DE" else None
        partner_ids.append(f"{country.code.lower()}-partnerstadt-{number}")
        add_place(
            partner_ids[-1],
            f"Partnerstadt {number}",
            f"Partner Town {number}",
            country.code,
            admin_area,
            continent,
            box,
            _population(rng, 3.0, 6.5),
        )

    # which home has which partner: every home at least one, a few big cities many (log-normal)
    home_weights = [rng.lognormvariate(0.0, 0.8) for _ in home_ids]
    home_picker = _picker(tuple(enumerate(home_weights)))
    kind_picker = _picker(KIND_WEIGHTS)
    seen: set[tuple[int, int, str]] = set()
    pairs: list[tuple[int, int, str]] = []
    while len(pairs) < partnerships:
        index = len(pairs)
        home = index if index < home_count else _pick(rng, home_picker)
        if index < len(INHABITED):
            partner = index
        else:  # popular partners (low numbers) are shared by several homes
            partner = min(partner_count - 1, int(partner_count * rng.random() ** 1.2))
        kind = _pick(rng, kind_picker)
        if (home, partner, kind) not in seen:
            seen.add((home, partner, kind))
            pairs.append((home, partner, kind))
    # a few partnerships within Germany link two homes (a partner town that is itself a home)
    if home_count > 1:
        for index in range(len(INHABITED), partnerships, 97):
            home, _, kind = pairs[index]
            other = (home + 1 + rng.randrange(home_count - 1)) % home_count
            key = (home, -1 - other, kind)
            if key not in seen:
                seen.add(key)
                pairs[index] = key
    pairs.sort(key=lambda pair: pair[0])  # files list a home's partnerships together

    source_count = min(400, max(20, partnerships // 10))
    width = max(6, len(str(partnerships)))
    theme_picker = _picker(tuple((theme, THEME_WEIGHTS.get(theme, 2)) for theme in theme_ids))
    count_picker = _picker(THEME_COUNT_WEIGHTS)
    rows = {"partnerships": [], "status_history": [], "partnership_themes": []}
    span = limit - EARLIEST_EVENT.toordinal()
    for number, (home, partner, kind) in enumerate(pairs, start=1):
        partnership_id = f"partnerschaft-{number:0{width}d}"
        partner_id = home_ids[-1 - partner] if partner < 0 else partner_ids[partner]
        association = f"Partnerschaftsverein {number} (synthetisch)" if rng.random() < 0.25 else None
        rows["partnerships"].append((partnership_id, home_ids[home], partner_id, kind, association, None))
        # first row: mostly between the 1960s and the 1990s, some recent
        start = EARLIEST_EVENT.toordinal() + int(span * rng.triangular(0.0, 1.0, 0.45))
        previous = None
        for written, precision, status in _status_rows(rng, min(start, limit - 30), limit):
            note = rng.choice(MILESTONE_NOTES if status == previous else NOTES[status])
            source = f"quelle-{rng.randrange(source_count) + 1:04d}"
            rows["status_history"].append(
                (
                    partnership_id,
                    date.fromordinal(written).isoformat(),
                    precision,
                    status,
                    note,
                    source,
                )
            )
            previous = status
        wanted = _pick(rng, count_picker)
        chosen: list[str] = []
        while len(chosen) < min(wanted, len(theme_ids)):
            theme = _pick(rng, theme_picker)
            if theme not in chosen:
                chosen.append(theme)
        for theme in chosen:
            rows["partnership_themes"].append((partnership_id, theme, f"quelle-{rng.randrange(source_count) + 1:04d}"))

    sources = []
    for number in range(1, source_count + 1):
        published = date.fromordinal(limit - rng.randrange(span)) if rng.random() < 0.7 else None
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

    countries_by_code = sorted(countries, key=lambda country: country.code)
    return {
        "countries": _text_frame(
            [(c.code, c.name_de, c.name_en) for c in countries_by_code],
            ("country_code", "name_de", "name_en"),
        ),
        "municipalities": _text_frame(places, PLACE_COLUMNS),
        "partnerships": _text_frame(
            rows["partnerships"],
            ("partnership_id", "home_id", "partner_id", "kind", "association", "notes"),
        ),
        "status_history": _text_frame(
            rows["status_history"],
            ("partnership_id", "date", "date_precision", "status", "note", "source_id"),
        ),
        "themes": themes,
        "partnership_themes": _text_frame(rows["partnership_themes"], ("partnership_id", "theme_id", "source_id")),
        "sources": _text_frame(sources, ("source_id", "title", "publisher", "published", "url", "document_ref")),
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
