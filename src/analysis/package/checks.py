"""The Table Schema's constraints, primary keys and foreign keys, checked on typed Polars frames.

Each rule is one expression over a whole column (or a join for foreign keys), never a loop
over rows; the rows that break it become Problems naming resource, row, field and rule. The
rules follow frictionless' semantics (frictionless stays the reference a test compares to):
empty cells pass every constraint but `required`, a primary key whose cells are all empty or
that repeats an earlier row is an error, a foreign key whose cells are all empty is not
checked.
"""

from __future__ import annotations

import json
import re

import polars as pl

from analysis.contract import key_names
from analysis.package.reader import _cast, _shorten, quoted_problems, row_problems
from analysis.problems import Problem

BOUNDS = {
    "minimum": (lambda c, v: c >= v, "less than", "kleiner als"),
    "maximum": (lambda c, v: c <= v, "more than", "größer als"),
    "exclusiveMinimum": (lambda c, v: c > v, "not more than", "nicht größer als"),
    "exclusiveMaximum": (lambda c, v: c < v, "not less than", "nicht kleiner als"),
}


def _typed_constant(kind: str, value: object) -> object:
    """A constraint's value in the field's type (constraints on dates are written as text)."""
    frame = pl.DataFrame({"value": [value if isinstance(value, str) else json.dumps(value)]})
    return frame.select(_cast(kind, pl.col("value"))).item()


def _descriptor_problem(resource: str, field: str, key: str, value: object) -> Problem:
    return Problem(
        resource,
        None,
        field,
        f"constraint {key} {json.dumps(value)} is no value of the field's type",
        f"die Bedingung {key} {json.dumps(value)} ist kein Wert vom Typ des Feldes",
    )


def _matches(column: pl.Series, pattern: str) -> pl.Series:
    """Whether each text matches PATTERN as a whole (frictionless: re.match of ^pattern$)."""
    try:
        return column.str.contains(f"^(?:{pattern})$")
    except pl.exceptions.PolarsError:  # a Python-only construct (look-around, back-reference)
        compiled = re.compile(f"^(?:{pattern})$")
        distinct = column.drop_nulls().unique()
        good = distinct.filter(pl.Series([compiled.match(text) is not None for text in distinct.to_list()]))
        return column.is_null() | column.is_in(good.implode())


def constraint_problems(
    resource: str, text: pl.DataFrame, typed: pl.DataFrame, fields: list[dict], primary_key: list[str]
) -> list[Problem]:
    """Every field's constraints on the typed values (`required` on the text: a cell that failed
    its type is not missing, it was reported as such)."""
    problems = []
    numbered = typed.with_row_index("row", offset=2)
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        constraints = field.get("constraints") if isinstance(field.get("constraints"), dict) else {}
        values = typed[name]

        def report(broken: pl.Series, english, german, name: str = name) -> None:
            rows = numbered.select("row", pl.col(name).cast(pl.String).alias("value")).filter(broken.fill_null(False))
            nonlocal problems
            problems += row_problems(resource, rows, name, english, german)

        if constraints.get("required") is True or name in primary_key:
            report(
                text[name].is_null(),
                lambda _: "a value is required",
                lambda _: "ein Wert ist erforderlich",
            )
        if constraints.get("unique") is True:
            repeated = values.is_not_null() & ~values.is_first_distinct()
            report(
                repeated,
                lambda row: f"'{_shorten(row['value'])}' appears in an earlier row (unique)",
                lambda row: f"'{_shorten(row['value'])}' steht schon in einer früheren Zeile (eindeutig)",
            )
        enum = constraints.get("enum")
        if isinstance(enum, list) and enum:
            allowed = [_typed_constant(kind, item) for item in enum]
            if any(item is None for item in allowed):
                problems.append(_descriptor_problem(resource, name, "enum", enum))
            else:
                listed = ", ".join(str(item) for item in enum)
                report(
                    values.is_not_null() & ~values.is_in(allowed),
                    lambda row, listed=listed: f"'{_shorten(row['value'])}' is not one of: {listed}",
                    lambda row, listed=listed: f"'{_shorten(row['value'])}' ist keiner der Werte {listed}",
                )
        pattern = constraints.get("pattern")
        if isinstance(pattern, str) and values.dtype == pl.String:
            report(
                values.is_not_null() & ~_matches(values, pattern),
                lambda row, p=pattern: f"'{_shorten(row['value'])}' does not match the pattern {p}",
                lambda row, p=pattern: f"'{_shorten(row['value'])}' passt nicht zum Muster {p}",
            )
        for key, (word_en, word_de) in (("minLength", ("shorter", "kürzer")), ("maxLength", ("longer", "länger"))):
            limit = constraints.get(key)
            if isinstance(limit, int) and values.dtype == pl.String:
                length = values.str.len_chars()
                broken = length < limit if key == "minLength" else length > limit
                report(
                    broken,
                    lambda row, w=word_en, n=limit: f"'{_shorten(row['value'])}' is {w} than {n} characters",
                    lambda row, w=word_de, n=limit: f"'{_shorten(row['value'])}' ist {w} als {n} Zeichen",
                )
        for key, (holds, word_en, word_de) in BOUNDS.items():
            if key not in constraints or values.dtype == pl.String or values.dtype == pl.Boolean:
                continue
            bound = _typed_constant(kind, constraints[key])
            if bound is None:
                problems.append(_descriptor_problem(resource, name, key, constraints[key]))
                continue
            # NaN fails every bound, as in frictionless
            nan = values.is_nan() if values.dtype == pl.Float64 else pl.repeat(False, len(values), eager=True)
            broken = values.is_not_null() & (nan | ~holds(values, bound))
            report(
                broken,
                lambda row, w=word_en, b=constraints[key]: f"{row['value']} is {w} {b}",
                lambda row, w=word_de, b=constraints[key]: f"{row['value']} ist {w} {b}",
            )
    return problems


def primary_key_problems(resource: str, typed: pl.DataFrame, key: list[str]) -> list[Problem]:
    """Rows whose key cells are all empty, and rows that repeat the key of an earlier row."""
    if not key or any(name not in typed.columns for name in key):
        return []
    numbered = typed.with_row_index("row", offset=2)
    shown = ", ".join(key)
    all_empty = numbered.filter(pl.all_horizontal(pl.col(key).is_null()))
    repeated = numbered.filter(~pl.all_horizontal(pl.col(key).is_null()) & ~pl.struct(key).is_first_distinct()).select(
        "row",
        pl.concat_str([pl.col(name).cast(pl.String) for name in key], separator=", ", ignore_nulls=True).alias("key"),
    )
    field = shown if len(key) > 1 else key[0]
    return row_problems(
        resource,
        all_empty,
        field,
        lambda _: f"the primary key ({shown}) is empty",
        lambda _: f"der Primärschlüssel ({shown}) ist leer",
    ) + row_problems(
        resource,
        repeated,
        field,
        lambda row: f"primary key ({shown}) '{_shorten(row['key'])}' appears in an earlier row",
        lambda row: f"der Primärschlüssel ({shown}) '{_shorten(row['key'])}' steht schon in einer früheren Zeile",
    )


def foreign_key_problems(
    resource: str, schema: dict, frames: dict[str, pl.DataFrame], unread: frozenset[str] = frozenset()
) -> list[Problem]:
    """Rows whose foreign key values are not found in the referenced resource (checked on the
    typed values, so `01` and `1` of an integer key are the same). A key that refers to a
    resource in UNREAD (one whose file could not be read) is named as not checked."""
    problems = []
    keys = schema.get("foreignKeys") if isinstance(schema.get("foreignKeys"), list) else []
    source = frames.get(resource)
    for key in keys:
        if source is None or not isinstance(key, dict) or not isinstance(key.get("reference"), dict):
            continue
        fields, reference = key_names(key.get("fields")), key["reference"]
        target_name = reference.get("resource") or resource  # "" refers to the resource itself
        target_fields = key_names(reference.get("fields"))
        target = frames.get(target_name)
        if target_name in unread:
            problems.append(
                Problem(
                    resource,
                    None,
                    ", ".join(fields) or None,
                    f"foreign key not checked: {target_name} could not be read",
                    f"Fremdschlüssel nicht geprüft: {target_name} konnte nicht gelesen werden",
                )
            )
            continue
        if target is None or not fields or len(fields) != len(target_fields):
            continue
        if any(name not in source.columns for name in fields) or any(
            name not in target.columns for name in target_fields
        ):
            continue  # frictionless' metadata check names a key on fields that do not exist
        shown = ", ".join(fields)
        target_shown = f"{target_name} ({', '.join(target_fields)})"
        if [source[f].dtype for f in fields] != [target[f].dtype for f in target_fields]:
            problems.append(
                Problem(
                    resource,
                    None,
                    shown,
                    f"foreign key ({shown}) and {target_shown} have different types",
                    f"der Fremdschlüssel ({shown}) und {target_shown} haben verschiedene Typen",
                )
            )
            continue
        wanted = source.with_row_index("row", offset=2).filter(~pl.all_horizontal(pl.col(fields).is_null()))
        known = target.select([pl.col(t).alias(f) for f, t in zip(fields, target_fields, strict=True)]).unique()
        missing = wanted.join(known, on=fields, how="anti", nulls_equal=True).select(
            "row",
            pl.concat_str([pl.col(name).cast(pl.String) for name in fields], separator=", ", ignore_nulls=True).alias(
                "value"
            ),
        )
        problems += quoted_problems(
            resource, missing, shown, f"is not found in {target_shown}", f"fehlt in {target_shown}"
        )
    return problems
