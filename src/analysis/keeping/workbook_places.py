"""Partner towns given by name and country in a workbook, completed on import (offline, GeoNames).

A municipalities row with a name and a country (German or English name, or code) and no
coordinates is looked up in the shipped GeoNames data (analysis.keeping.places): its id (when
empty), coordinates, admin area, population, GeoNames id, the source of the coordinates and the
continent derived from the country are filled in. A row that brings coordinates gets its
continent from the country when empty, and both are checked: coordinates outside the named
country (swapped latitude/longitude named as such) and a continent that contradicts it are
problems. An id that breaks its pattern is a problem that suggests the fix. A partnership's home
or partner may be written as the municipality's name. Every problem names sheet, row and column.
"""

from __future__ import annotations

import re

import polars as pl

from analysis.keeping.place_checks import continent_problems, coordinate_problems
from analysis.keeping.places import (
    PlaceNotFound,
    choose_place,
    continent_of,
    country_code,
    english_name,
    fold,
    german_name,
    id_suggestion,
    municipality_id,
)
from analysis.keeping.workbook import heading
from analysis.keeping.workbook_words import sheet_name
from analysis.problems import Problem

MUNICIPALITIES = "municipalities"
COUNTRY_CODE = re.compile(r"^[A-Z]{2}$")
LOOKED_UP = ("latitude", "longitude", "geonames_id", "admin_area", "population", "coordinates_source")


def _problem(resource: str, row: int, field: str, code: str, params: dict) -> Problem:
    return Problem(sheet_name(resource), row, heading(field), code=code, params=params)


def _number(text: str | None) -> float | None:
    try:
        return float(text) if text is not None else None
    except ValueError:
        return None


def complete_municipalities(frame: pl.DataFrame, excel_rows: list[int]) -> tuple[pl.DataFrame, list[Problem]]:
    """The municipalities sheet (CSV text, field names) with what GeoNames and the country say
    filled in, and a problem for each row that cannot be completed or is implausible."""
    if frame.is_empty() or not {"name", "country_code", "latitude", "longitude"} <= set(frame.columns):
        return frame, []
    from analysis.keeping.starter import municipality_row  # the row a GeoNames place makes

    rows = frame.to_dicts()
    problems: list[Problem] = []
    for row, excel_row in zip(rows, excel_rows, strict=True):
        typed_country = row.get("country_code")
        if typed_country and not COUNTRY_CODE.match(typed_country):
            code = country_code(typed_country)
            if code is None:
                problems.append(
                    _problem(
                        MUNICIPALITIES, excel_row, "country_code", "place_country_unknown", {"country": typed_country}
                    )
                )
                continue
            row["country_code"] = code
        code = row.get("country_code")
        if row.get("latitude") is None and row.get("longitude") is None:
            geonames_id = _number(row.get("geonames_id"))
            if not row.get("name") and geonames_id is None:
                continue  # nothing to look up by: the validator names the required fields
            try:
                place = choose_place(row.get("name") or "", code, int(geonames_id) if geonames_id else None)
            except PlaceNotFound as missing:
                field = "geonames_id" if geonames_id else "name"
                problems.append(_problem(MUNICIPALITIES, excel_row, field, missing.code, missing.params))
                continue
            # the name as typed when GeoNames knows it so ("Kattowitz"), else GeoNames' ("Frankfurt (Oder)")
            row["name"] = german_name(place, row.get("name"))
            found = municipality_row(place, row["name"], english_name(place, row["name"]))
            for field in (*LOOKED_UP, "country_code", "continent", "name_en", "municipality_id"):
                if field in row and row.get(field) is None:
                    row[field] = found.get(field)
            code = row["country_code"]
        elif code and COUNTRY_CODE.match(code):
            latitude, longitude = _number(row.get("latitude")), _number(row.get("longitude"))
            if latitude is not None and longitude is not None:
                problems += [
                    _problem(MUNICIPALITIES, excel_row, "latitude", problem, params)
                    for problem, params in coordinate_problems(code, latitude, longitude)
                ]
        if code and COUNTRY_CODE.match(code):
            if row.get("continent") is None:
                row["continent"] = continent_of(code)
            else:
                problems += [
                    _problem(MUNICIPALITIES, excel_row, "continent", problem, params)
                    for problem, params in continent_problems(code, row["continent"])
                ]
            if row.get("municipality_id") is None and row.get("name"):
                row["municipality_id"] = municipality_id(code, row["name"])
    completed = pl.DataFrame(rows, schema=dict.fromkeys(frame.columns, pl.String), orient="row")
    return completed, problems


def by_name(partnerships: pl.DataFrame, municipalities: pl.DataFrame, typed: list[str | None]) -> pl.DataFrame:
    """PARTNERSHIPS with a home or partner written as a municipality's name (as completed, or as
    TYPED in the sheet; any case) replaced by its id, where the name is that of one municipality."""
    if partnerships.is_empty() or municipalities.is_empty():
        return partnerships
    ids = set(municipalities["municipality_id"].drop_nulls().to_list())
    named: dict[str, list[str]] = {}
    rows = municipalities.select("name", "municipality_id").iter_rows()
    for (name, municipality), as_typed in zip(rows, typed, strict=True):
        for word in {fold(name or ""), fold(as_typed or "")} - {""}:
            if municipality:
                named.setdefault(word, []).append(municipality)
    unique = {name: found[0] for name, found in named.items() if len(found) == 1}

    def resolved(value: str | None) -> str | None:
        if value is None or value in ids:
            return value
        return unique.get(fold(value), value)

    return partnerships.with_columns(
        pl.col(field).map_elements(resolved, return_dtype=pl.String)
        for field in ("home_id", "partner_id")
        if field in partnerships.columns
    )


def with_countries(countries: pl.DataFrame, municipalities: pl.DataFrame) -> pl.DataFrame:
    """COUNTRIES with a row (German and English name from CLDR) for every ISO country a
    municipality names that the sheet lacks; appended below, so the sheet's rows keep their order."""
    from analysis.keeping.starter import countries_frame

    if "country_code" not in municipalities.columns or not {"country_code", "name_de", "name_en"} <= set(
        countries.columns
    ):
        return countries
    used = set(municipalities["country_code"].drop_nulls().to_list()) - set(countries["country_code"].to_list())
    missing = countries_frame().filter(pl.col("country_code").is_in(sorted(used)))
    if missing.is_empty():
        return countries
    added = missing.select(
        pl.col(c) if c in missing.columns else pl.lit(None, pl.String).alias(c) for c in countries.columns
    )
    return pl.concat([countries, added])


def _patterns(resource: dict, descriptor: dict) -> dict[str, str]:
    """field → the pattern its ids must match: its own, or that of the field it refers to (a
    status row's partnership_id must be a partnership's id)."""
    schema = resource.get("schema") or {}
    fields = {r.get("name"): (r.get("schema") or {}).get("fields") or [] for r in descriptor["resources"]}
    own = {f["name"]: (f.get("constraints") or {}).get("pattern") for f in schema.get("fields") or []}
    for key in schema.get("foreignKeys") or []:
        names, reference = key.get("fields"), key.get("reference") or {}
        target = reference.get("fields")
        names = names[0] if isinstance(names, list) and len(names) == 1 else names
        target = target[0] if isinstance(target, list) and len(target) == 1 else target
        if isinstance(names, str) and isinstance(target, str) and not own.get(names):
            referred = {f["name"]: f for f in fields.get(reference.get("resource") or resource["name"], [])}
            own[names] = ((referred.get(target) or {}).get("constraints") or {}).get("pattern")
    return {name: pattern for name, pattern in own.items() if pattern and name.endswith("_id")}


def id_problems(resource: dict, descriptor: dict, frame: pl.DataFrame, excel_rows: list[int]) -> list[Problem]:
    """For every id that breaks its pattern (or the pattern of the id it refers to), a problem
    that suggests the fix ("köln-lille" → "koeln-lille"): the validator would quote the pattern."""
    problems = []
    for field, pattern in _patterns(resource, descriptor).items():
        if field not in frame.columns:
            continue
        matches = re.compile(pattern).fullmatch
        for value, excel_row in zip(frame[field].to_list(), excel_rows, strict=True):
            if value is None or matches(value):
                continue
            suggestion = id_suggestion(value)
            code = "workbook_id_suggestion" if matches(suggestion) else "workbook_id_invalid"
            problems.append(
                _problem(resource["name"], excel_row, field, code, {"value": value, "suggestion": suggestion})
            )
    return problems


# a problem at the key's cell leaves the cells of these fields of its row empty or unchecked: the
# validator's word on them would be a second, misleading one
FOLLOWING = {
    "date": ("date_precision",),
    "name": ("municipality_id", "continent", "latitude", "longitude"),
    "geonames_id": ("municipality_id", "continent", "latitude", "longitude"),
    "country_code": ("municipality_id", "continent"),
}


def following(problems: list[Problem]) -> set[tuple[str, int | None, str]]:
    """(sheet, row, heading) of the cells whose validator problems follow from PROBLEMS."""
    return {
        (problem.resource, problem.row, heading(field))
        for problem in problems
        for key, fields in FOLLOWING.items()
        if problem.field == heading(key)
        for field in fields
    }


def complete(descriptor: dict, frames: dict[str, pl.DataFrame], rows: dict[str, list[int]]) -> list[Problem]:
    """Complete FRAMES in place (municipalities from GeoNames, names as ids) and answer the
    problems found on the way, ids that break their pattern included."""
    problems: list[Problem] = []
    if MUNICIPALITIES in frames:
        typed = frames[MUNICIPALITIES]["name"].to_list() if "name" in frames[MUNICIPALITIES].columns else []
        frames[MUNICIPALITIES], found = complete_municipalities(frames[MUNICIPALITIES], rows[MUNICIPALITIES])
        problems += found
        if "partnerships" in frames:
            frames["partnerships"] = by_name(frames["partnerships"], frames[MUNICIPALITIES], typed)
        if "countries" in frames:
            frames["countries"] = with_countries(frames["countries"], frames[MUNICIPALITIES])
    for resource in descriptor["resources"]:
        if resource.get("name") in frames:
            problems += id_problems(resource, descriptor, frames[resource["name"]], rows[resource["name"]])
    return problems
