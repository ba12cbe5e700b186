"""Reading a resource once, strictly, and casting it to its Table Schema's types.

The one reader is Apache Arrow's CSV reader (pyarrow, which Streamlit and Polars already
bring): it follows the declared delimiter and quote character, keeps quoted line breaks, and
names every row whose number of cells differs from the header, by its row number. What it
cannot follow is refused up front (`reader_problems`) rather than read differently from what
frictionless would check. Casting is one Polars expression per field; a cell that is not a
value of its type is a Problem with resource, row (the header is row 1), field and message.

A package held in memory as text frames (changes made in the dashboard's edit mode) meets the
same rules without a file (`text_frame_in_memory`): the same header check, empty text as the
missing value, blank rows named; casting and everything after it is shared.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv

from analysis.package.dialect import Dialect, dialect_of, dialect_options
from analysis.package.paths import label
from analysis.problems import MAX_PROBLEMS_PER_RULE, Problem, quoted_problems, row_problems, too_many

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
SUPPORTED_CONSTRAINTS = {
    "required",
    "unique",
    "enum",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
}

# What the reader follows besides delimiter and quote: the value it expects ("", [] and null
# count as unset). frictionless follows more, and would then check other cells than the
# dashboard reads, so a package asking for more is refused.
READER_DIALECT = {
    "header": True,
    "headerRows": [1],
    "doubleQuote": True,
    "skipInitialSpace": False,
    "commentChar": None,
    "commentRows": None,
    "escapeChar": None,
    "nullSequence": None,
}
READER_FIELD = {
    "bareNumber": True,
    "decimalChar": ".",
    "groupChar": None,
    "trueValues": None,
    "falseValues": None,
    "missingValues": [""],
}
TRUE_VALUES = ("true", "True", "TRUE", "1")
FALSE_VALUES = ("false", "False", "FALSE", "0")


def _one_char(value: object) -> bool:
    return (
        isinstance(value, str)
        and len(value) == 1
        and (value == "\t" or (value.isascii() and value.isprintable() and not value.isalnum() and value != " "))
    )


def reader_problems(descriptor: dict) -> list[Problem]:
    """What a resource asks of its reader beyond UTF-8 CSV with one header row, a one-character
    delimiter and quote, the Table Schema's default lexical forms and empty cells as the only
    missing values; and field types, formats and constraints the checks do not know."""
    problems = []
    for index, resource in enumerate(descriptor["resources"], start=1):
        if isinstance(resource, dict):
            problems += _resource_problems(label(resource, index), resource)
    return problems


def _resource_problems(name: str, resource: dict) -> list[Problem]:
    problems = []

    def refuse(field: str | None, code: str, **params: object) -> None:
        problems.append(Problem(name, None, field, code=code, params=params))

    encoding = resource.get("encoding")
    if encoding is not None and str(encoding).lower() not in ("utf-8", "utf8", "utf-8-sig"):
        refuse("encoding", "reader_encoding", encoding=encoding)
    if resource.get("format") is not None and str(resource["format"]).lower() != "csv":
        refuse("format", "reader_file_format", format=resource["format"])
    for key in ("compression", "extrapaths"):
        if resource.get(key) not in (None, "", "no", []):
            refuse(key, "reader_one_plain_file", key=key)
    dialect = resource.get("dialect") or {}
    if not isinstance(dialect, dict):
        refuse("dialect", "reader_dialect_inline")
        dialect = {}
    options = dialect_options(resource)
    for key in ("delimiter", "quoteChar"):
        value = options.get(key)
        if value is not None and not _one_char(value):
            refuse("dialect", "reader_dialect_character", key=key)
    chosen = dialect_of(resource)
    if chosen.delimiter == chosen.quote:
        refuse("dialect", "reader_dialect_same_characters")
    for key, expected in READER_DIALECT.items():
        if options.get(key) not in (None, "", [], expected):
            refuse("dialect", "reader_option_unsupported", key=key, value=json.dumps(options[key]))
    schema = resource.get("schema")
    if schema is not None and not isinstance(schema, dict):
        refuse(None, "reader_schema_inline")
        return problems
    if (schema or {}).get("missingValues") not in (None, [""]):
        refuse(None, "reader_missing_values")
    fields = (schema or {}).get("fields")
    names = [f.get("name") for f in fields if isinstance(f, dict)] if isinstance(fields, list) else []
    for duplicate in sorted({n for n in names if isinstance(n, str) and names.count(n) > 1}):
        refuse(duplicate, "reader_field_twice")
    for declared in fields if isinstance(fields, list) else []:
        if isinstance(declared, dict):
            problems += _field_problems(name, declared)
    return problems


def _field_problems(resource: str, declared: dict) -> list[Problem]:
    field = declared.get("name") if isinstance(declared.get("name"), str) else None
    problems = []

    def refuse(code: str, **params: object) -> None:
        problems.append(Problem(resource, None, field, code=code, params=params))

    kind = declared.get("type", "string")
    if not isinstance(kind, str) or kind not in POLARS_TYPES:
        refuse("reader_type_unsupported", type=json.dumps(kind))
    for key, expected in READER_FIELD.items():
        if declared.get(key) not in (None, expected):
            refuse("reader_option_unsupported", key=key, value=json.dumps(declared[key]))
    form = declared.get("format")
    allowed = STRING_FORMATS if kind == "string" else ("default",)
    if form is not None and form not in allowed:
        refuse("reader_format_unsupported", format=json.dumps(form))
    constraints = declared.get("constraints")
    if isinstance(constraints, dict):
        for key in sorted(set(constraints) - SUPPORTED_CONSTRAINTS):
            refuse("reader_constraint_unsupported", constraint=key)
        pattern = constraints.get("pattern")
        if pattern is not None:
            try:
                re.compile(pattern)
            except (re.error, TypeError):
                refuse("reader_pattern_invalid", pattern=json.dumps(pattern))
    return problems


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_text_frame(
    resource: str, file: Path, dialect: Dialect, field_names: list[str]
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The resource as text, one column per field, empty cells as null, file order kept; or
    None with the problems that stop it being read (encoding, structure, header)."""
    try:
        data = file.read_bytes()
    except OSError as error:
        return None, [Problem(resource, None, None, code="reader_unreadable", params={"reason": error.strerror})]
    if not data or (len(data) < 4096 and not data.strip()):
        return None, [Problem(resource, None, None, code="reader_empty_file")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        return None, [Problem(resource, None, None, code="reader_not_utf8", params={"line": line})]
    ragged: list[tuple[int | None, int, int]] = []

    def on_ragged_row(row) -> str:
        ragged.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    try:
        table = _arrow_table(data, dialect, len(field_names), on_ragged_row)
    except (pa.ArrowException, OverflowError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return None, [Problem(resource, None, None, code="reader_not_csv", params={"reason": message})]
    return _checked_text(resource, table, ragged, field_names)


BLOCK_BYTES = 4 * 1024 * 1024  # what Arrow parses at a time; a longer record takes the whole file


def _arrow_table(data: bytes, dialect: Dialect, width: int, on_ragged_row) -> pa.Table:
    """DATA parsed as CSV: every cell as text, the header as the first row."""
    try:
        return _parse(data, dialect, width, on_ragged_row, BLOCK_BYTES)
    except pa.ArrowInvalid as error:
        if "straddl" not in str(error) or len(data) <= BLOCK_BYTES:
            raise
        return _parse(data, dialect, width, on_ragged_row, len(data) + 1)


def _parse(data: bytes, dialect: Dialect, width: int, on_ragged_row, block_size: int) -> pa.Table:
    return pa_csv.read_csv(
        pa.py_buffer(data),
        read_options=pa_csv.ReadOptions(use_threads=False, autogenerate_column_names=True, block_size=block_size),
        parse_options=pa_csv.ParseOptions(
            delimiter=dialect.delimiter,
            quote_char=dialect.quote,
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=on_ragged_row,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types={f"f{i}": pa.string() for i in range(width + 64)},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _checked_text(
    resource: str, table: pa.Table, ragged: list[tuple[int | None, int, int]], field_names: list[str]
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The parsed table as a text frame, once its rows and header are as the schema says."""
    problems = [
        Problem(resource, number, None, code="reader_ragged_row", params={"cells": actual, "header": expected})
        for number, expected, actual in ragged[:MAX_PROBLEMS_PER_RULE]
    ]
    if len(ragged) > MAX_PROBLEMS_PER_RULE:
        problems.append(too_many(resource, None, len(ragged) - MAX_PROBLEMS_PER_RULE))
    if table.num_rows == 0:
        return None, [Problem(resource, None, None, code="reader_no_header")]
    labels = [str(value).strip() for value in table.slice(0, 1).to_pylist()[0].values()]
    if labels != field_names:
        problems += _header_problems(resource, labels, field_names)
    if problems:
        return None, problems
    frame = pl.from_arrow(table.slice(1))
    assert isinstance(frame, pl.DataFrame)
    return _text_cells(resource, frame.rename(dict(zip(frame.columns, field_names, strict=True))))


def _text_cells(resource: str, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """FRAME (text, headed by the schema's field names) with empty text as the missing value, and
    its blank rows as problems."""
    frame = frame.with_columns(pl.when(pl.col(name) != "").then(pl.col(name)).alias(name) for name in frame.columns)
    blank = frame.with_row_index("row", offset=2).filter(pl.all_horizontal(pl.exclude("row").is_null()))
    return frame, row_problems(resource, blank, None, "reader_blank_row")


def text_frame_in_memory(
    resource: str, frame: pl.DataFrame, field_names: list[str]
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """read_text_frame for a resource held in memory as text (one column per field, in file
    order): its column names checked as a file's header is, empty text taken as missing, blank
    rows named; or None with the header's problems. Columns that are not text are taken as the
    text Polars writes for them."""
    labels = [str(name).strip() for name in frame.columns]
    if labels != field_names:
        return None, _header_problems(resource, labels, field_names)
    frame = frame.rename(dict(zip(frame.columns, field_names, strict=True)))
    return _text_cells(resource, frame.with_columns(pl.all().cast(pl.String)))


def _header_problems(resource: str, labels: list[str], fields: list[str]) -> list[Problem]:
    problems = []
    for position, (found, expected) in enumerate(zip(labels, fields, strict=False), start=1):
        if found != expected:
            params = {"position": position, "found": found, "expected": expected}
            problems.append(Problem(resource, 1, expected, code="reader_heading_differs", params=params))
    for missing in fields[len(labels) :]:
        problems.append(Problem(resource, 1, missing, code="reader_column_missing"))
    for extra in labels[len(fields) :]:
        problems.append(Problem(resource, 1, extra or None, code="reader_column_extra", params={"column": extra}))
    return problems


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


def _cast(kind: str, column: pl.Expr) -> pl.Expr:
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
        _cast(field.get("type", "string"), pl.col(field["name"])).alias(field["name"]) for field in fields
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
