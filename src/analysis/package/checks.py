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
from analysis.package.casting import cast_text
from analysis.problems import Listed, Named, Problem, quoted_problems, row_problems, shorten

# Each bound holds when the cell C and the bound V compare so; its text is check_<bound>.
BOUNDS = {
    "minimum": lambda c, v: c >= v,
    "maximum": lambda c, v: c <= v,
    "exclusiveMinimum": lambda c, v: c > v,
    "exclusiveMaximum": lambda c, v: c < v,
}


# Not text: C0 and C1 control characters but tab and line feed, DEL, the noncharacters U+FFFE and
# U+FFFF, and (in Python strings, e.g. from a descriptor's JSON escapes) unpaired surrogates. A
# terminal, a chart renderer or a report compiler may act on them; a person never types them.
NOT_TEXT = r"[\x00-\x08\x0B-\x1F\x7F-\x{9F}\x{FFFE}\x{FFFF}]"
NOT_TEXT_PYTHON = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def first_not_text(text: str) -> str | None:
    """The first character of TEXT that is not text, as U+XXXX; None when there is none."""
    found = NOT_TEXT_PYTHON.search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def _control_character_problems(resource: str, text: pl.DataFrame, name: str) -> list[Problem]:
    numbered = text.select(pl.int_range(2, pl.len() + 2).alias("row"), pl.col(name).alias("value"))
    rows = numbered.filter(pl.col("value").str.contains(NOT_TEXT).fill_null(False))
    return row_problems(
        resource, rows, name, "check_control_character", lambda row: {"character": first_not_text(row["value"])}
    )


def _typed_constant(kind: str, value: object) -> object:
    """A constraint's value in the field's type (constraints on dates are written as text)."""
    frame = pl.DataFrame({"value": [value if isinstance(value, str) else json.dumps(value)]})
    return frame.select(cast_text(kind, pl.col("value"))).item()


def _descriptor_problem(resource: str, field: str, key: str, value: object) -> Problem:
    params = {"constraint": key, "value": json.dumps(value)}
    return Problem(resource, None, field, code="check_constraint_not_of_type", params=params)


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
        if kind in ("string", "any") and text[name].dtype == pl.String:
            problems += _control_character_problems(resource, text, name)

        def report(broken: pl.Series, code: str, name: str = name, **params: object) -> None:
            rows = numbered.select("row", pl.col(name).cast(pl.String).alias("value")).filter(broken.fill_null(False))
            nonlocal problems
            problems += quoted_problems(resource, rows, name, code, **params)

        if constraints.get("required") is True or name in primary_key:
            report(text[name].is_null(), "check_required")
        if constraints.get("unique") is True:
            repeated = values.is_not_null() & ~values.is_first_distinct()
            report(repeated, "check_unique")
        enum = constraints.get("enum")
        if isinstance(enum, list) and enum:
            allowed = [_typed_constant(kind, item) for item in enum]
            if any(item is None for item in allowed):
                problems.append(_descriptor_problem(resource, name, "enum", enum))
            else:
                listed = Listed(name, tuple(str(item) for item in enum))  # with labels where values have them
                report(values.is_not_null() & ~values.is_in(allowed), "check_enum", listed=listed)
        pattern = constraints.get("pattern")
        if isinstance(pattern, str) and values.dtype == pl.String:
            report(values.is_not_null() & ~_matches(values, pattern), "check_pattern", pattern=pattern)
        for key in ("minLength", "maxLength"):
            limit = constraints.get(key)
            if isinstance(limit, int) and values.dtype == pl.String:
                length = values.str.len_chars()
                broken = length < limit if key == "minLength" else length > limit
                report(broken, f"check_{key}", limit=limit)
        for key, holds in BOUNDS.items():
            if key not in constraints or values.dtype == pl.String or values.dtype == pl.Boolean:
                continue
            bound = _typed_constant(kind, constraints[key])
            if bound is None:
                problems.append(_descriptor_problem(resource, name, key, constraints[key]))
                continue
            # NaN fails every bound, as in frictionless
            nan = values.is_nan() if values.dtype == pl.Float64 else pl.repeat(False, len(values), eager=True)
            broken = values.is_not_null() & (nan | ~holds(values, bound))
            rows = numbered.select("row", pl.col(name).cast(pl.String).alias("value")).filter(broken.fill_null(False))
            bounded = rows.with_columns(pl.lit(str(constraints[key])).alias("bound"))
            problems += row_problems(resource, bounded, name, f"check_{key}", lambda row: row)
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
    return row_problems(resource, all_empty, field, "check_primary_key_empty", lambda _: {"key": shown}) + row_problems(
        resource,
        repeated,
        field,
        "check_primary_key_repeated",
        lambda row: {"key": shown, "value": shorten(row["key"])},
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
            params = {"target": Named(target_name)}
            problems.append(Problem(resource, None, ", ".join(fields) or None, code="check_key_unread", params=params))
            continue
        if target is None or not fields or len(fields) != len(target_fields):
            continue
        if any(name not in source.columns for name in fields) or any(
            name not in target.columns for name in target_fields
        ):
            continue  # frictionless' metadata check names a key on fields that do not exist
        shown = ", ".join(fields)
        target_shown = Named(target_name, tuple(target_fields))  # in the reader's language
        if [source[f].dtype for f in fields] != [target[f].dtype for f in target_fields]:
            params = {"key": Named(None, tuple(fields)), "target": target_shown}
            problems.append(Problem(resource, None, shown, code="check_key_types_differ", params=params))
            continue
        wanted = source.with_row_index("row", offset=2).filter(~pl.all_horizontal(pl.col(fields).is_null()))
        known = target.select([pl.col(t).alias(f) for f, t in zip(fields, target_fields, strict=True)]).unique()
        missing = wanted.join(known, on=fields, how="anti", nulls_equal=True).select(
            "row",
            pl.concat_str([pl.col(name).cast(pl.String) for name in fields], separator=", ", ignore_nulls=True).alias(
                "value"
            ),
        )
        problems += quoted_problems(resource, missing, shown, "check_key_missing", target=target_shown)
    return problems
