"""Casting a resource's text to its Table Schema's types: one Polars expression per field.

A cell that is not a value of its type is a Problem with resource, row (the header is row 1),
field and the text found. The Table Schema's default lexical forms only, ASCII digits, no
surrounding spaces; string formats (uri, email, uuid) checked once per distinct text.
"""

from __future__ import annotations

import polars as pl

from analysis.problems import Problem, quoted_problems

# Table Schema type -> Polars dtype; the one place where CSV text becomes typed data.
POLARS_TYPES: dict[str, pl.DataType] = {
    "string": pl.String(),
    "any": pl.String(),
    "integer": pl.Int64(),
    "number": pl.Float64(),
    "boolean": pl.Boolean(),
    "date": pl.Date(),
    "datetime": pl.Datetime(),
    "year": pl.Int64(),
}
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")


# A cell's text that is a value of its type: the Table Schema's default lexical forms, no
# surrounding spaces, ASCII digits only (frictionless also takes " 5" or "٥"; we do not).
LEXICAL = {
    "integer": r"^[+-]?[0-9]+$",
    "year": r"^[0-9]{4}$",
    "number": r"^([+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?|NaN|INF|-INF)$",
    "date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "datetime": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z?$",
}
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"
UUID = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"


def cast_text(kind: str, column: pl.Expr) -> pl.Expr:
    """The typed value of a text column; null where the text is no value of KIND."""
    if kind in ("integer", "year"):
        return pl.when(column.str.contains(LEXICAL[kind])).then(
            column.str.strip_prefix("+").cast(pl.Int64, strict=False)
        )
    if kind == "number":
        special = {"NaN": float("nan"), "INF": float("inf"), "-INF": float("-inf")}
        return (
            pl.when(column.is_in(list(special)))
            .then(column.replace_strict(special, default=None, return_dtype=pl.Float64))
            .when(column.str.contains(LEXICAL[kind]))
            .then(column.cast(pl.Float64, strict=False))
        )
    if kind == "date":
        return pl.when(column.str.contains(LEXICAL[kind])).then(column.str.to_date("%Y-%m-%d", strict=False))
    if kind == "datetime":
        return pl.when(column.str.contains(LEXICAL[kind])).then(
            column.str.strip_suffix("Z").str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False)
        )
    if kind == "boolean":
        return pl.when(column.is_in(TRUE_VALUES)).then(True).when(column.is_in(FALSE_VALUES)).then(False)
    return column


def _uri_ok(values: pl.Series) -> pl.Series:
    """Whether each text is a URI with a scheme, as frictionless decides it (rfc3986)."""
    import rfc3986
    from rfc3986.exceptions import ValidationError

    validator = rfc3986.validators.Validator().require_presence_of("scheme")

    def ok(text: str) -> bool:
        try:
            validator.validate(rfc3986.uri_reference(text))
        except (ValidationError, ValueError):
            return False
        return True

    return pl.Series([ok(text) for text in values.to_list()], dtype=pl.Boolean)


# The string formats the reader checks, each as a test of distinct texts; "default" is any text.
FORMAT_CHECKS = {
    "uri": _uri_ok,
    "email": lambda texts: texts.str.contains(EMAIL),
    "uuid": lambda texts: texts.str.contains(UUID),
}
STRING_FORMATS = ("default", *FORMAT_CHECKS)


def _format_ok(form: str, column: pl.Series) -> pl.Series:
    """Whether each non-null text of a string field has its FORMAT (one of FORMAT_CHECKS: the field
    plan refuses any other); checked once per distinct text."""
    distinct = column.drop_nulls().unique()
    good = distinct.filter(FORMAT_CHECKS[form](distinct))
    return column.is_null() | column.is_in(good.implode())


def cast_frame(resource: str, text: pl.DataFrame, fields: list[dict]) -> tuple[pl.DataFrame, list[Problem]]:
    """TEXT cast to the types its FIELDS declare; a cell that is no value of its type becomes
    null in the typed frame and a Problem (row, field, the text and the type expected)."""
    typed = text.with_columns(
        cast_text(field.get("type", "string"), pl.col(field["name"])).alias(field["name"]) for field in fields
    )
    problems = []
    numbered_text = text.with_row_index("row", offset=2)
    for field in fields:
        name, kind = field["name"], field.get("type", "string")
        failed = numbered_text["row"].filter(text[name].is_not_null() & typed[name].is_null())
        form = field.get("format")
        if kind == "string" and form not in (None, "default"):
            failed = numbered_text["row"].filter(~_format_ok(form, text[name]))
        if failed.len():
            rows = numbered_text.select("row", pl.col(name).alias("value")).filter(
                pl.col("row").is_in(failed.implode())
            )
            if form in (None, "default"):
                problems += quoted_problems(resource, rows, name, f"cast_{kind}")
            else:
                problems += quoted_problems(resource, rows, name, "cast_format", format=form)
    return typed, problems
