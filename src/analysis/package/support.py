"""What the reader follows, and the refusal of anything else.

frictionless follows more than the one reader does (other encodings, dialect options, missing
values, lexical forms); a package asking for more would be checked on other cells than the
dashboard reads, so it is refused up front, naming resource, field and what was asked.
"""

from __future__ import annotations

import json
import re

from analysis.package.casting import POLARS_TYPES, STRING_FORMATS
from analysis.package.checks import first_not_text
from analysis.package.dialect import dialect_of, dialect_options
from analysis.package.paths import label
from analysis.problems import MAX_PROBLEMS_PER_RULE, Problem, too_many

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
    problems = metadata_text_problems(descriptor)
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


def metadata_text_problems(descriptor: dict) -> list[Problem]:
    """Every text of the descriptor (title, name, description, a resource's or field's metadata,
    and keys) that holds a character that is not text, named by its place ("title",
    "resources[0].title"); at most MAX_PROBLEMS_PER_RULE of them, the rest counted."""
    found: list[tuple[str, str]] = []

    def walk(node: object, place: str) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                inner = f"{place}.{key}" if place else str(key)
                if isinstance(key, str) and (character := first_not_text(key)):
                    found.append((inner, character))
                walk(value, inner)
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{place}[{index}]")
        elif isinstance(node, str) and (character := first_not_text(node)):
            found.append((place, character))

    walk(descriptor, "")
    problems = [
        Problem("datapackage.json", None, place, code="descriptor_control_character", params={"character": character})
        for place, character in found[:MAX_PROBLEMS_PER_RULE]
    ]
    if len(found) > MAX_PROBLEMS_PER_RULE:
        problems.append(too_many("datapackage.json", None, len(found) - MAX_PROBLEMS_PER_RULE))
    return problems
