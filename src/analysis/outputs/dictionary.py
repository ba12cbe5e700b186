"""The data dictionary and the package's metadata, read from datapackage.json."""

from __future__ import annotations

import json
from datetime import date
from typing import NamedTuple

import polars as pl

from analysis.package import Package

RULE = pl.Struct({"rule": pl.String, "values": pl.List(pl.String)})


def data_dictionary(descriptor: dict) -> pl.DataFrame:
    """resource, field, type, required, description, rules: one row per declared field. RULES are
    the field's constraints and references as codes, for a reader's words to be put on them
    (present.dictionary_words): {"rule": "enum", "values": ["active", …]}, "pattern" with the
    expression, "minimum"/"maximum"/"minLength"/"maxLength" with the bound, "unique", "primaryKey",
    "reference" with "resource.field"."""
    rows = []
    for resource in descriptor.get("resources", []):
        schema = resource.get("schema", {})
        keys = schema.get("primaryKey") or []
        keys = [keys] if isinstance(keys, str) else keys
        references = _references(schema)
        for field in schema.get("fields", []):
            constraints = dict(field.get("constraints") or {})
            required = bool(constraints.pop("required", False)) or field["name"] in keys
            rules = [{"rule": name, "values": _values(value)} for name, value in constraints.items()]
            if field["name"] in keys:
                rules.append({"rule": "primaryKey", "values": list(keys)})
            rules += [{"rule": "reference", "values": [target]} for target in references.get(field["name"], [])]
            rows.append(
                {
                    "resource": resource.get("name", ""),
                    "field": field["name"],
                    "type": field.get("type", "string"),
                    "required": required,
                    "description": field.get("description", ""),
                    "rules": rules,
                }
            )
    return pl.DataFrame(
        rows,
        schema={
            "resource": pl.String,
            "field": pl.String,
            "type": pl.String,
            "required": pl.Boolean,
            "description": pl.String,
            "rules": pl.List(RULE),
        },
    )


def _values(value: object) -> list[str]:
    """A constraint's value as texts: each of a list, a flag as none, anything else as written."""
    if isinstance(value, list):
        return [v if isinstance(v, str) else json.dumps(v, ensure_ascii=False) for v in value]
    if value is True:
        return []
    return [value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)]


def _references(schema: dict) -> dict[str, list[str]]:
    """Field name → the "resource.field" each of its foreign keys points to."""
    found: dict[str, list[str]] = {}
    for key in schema.get("foreignKeys") or []:
        if not isinstance(key, dict):
            continue
        fields = key.get("fields") or []
        reference = key.get("reference") or {}
        targets = reference.get("fields") or []
        fields, targets = (
            ([fields] if isinstance(fields, str) else fields),
            ([targets] if isinstance(targets, str) else targets),
        )
        for name, target in zip(fields, targets, strict=False):
            found.setdefault(name, []).append(f"{reference.get('resource') or ''}.{target}")
    return found


class PackageFacts(NamedTuple):
    """What a package says about itself."""

    title: str
    name: str
    version: str
    created: date | None  # the day; None when missing or not ISO
    licenses: str  # one line: each licence's title (or name) and path


def package_facts(package: Package) -> PackageFacts:
    """The package's title, name, version, day of creation and licences."""
    descriptor = package.descriptor
    return PackageFacts(
        title=package.title,
        name=str(descriptor.get("name", "")),
        version=package.version,
        created=package.created.date() if package.created else None,
        licenses="; ".join(
            f"{lic.get('title') or lic.get('name', '')} {lic.get('path', '')}".strip()
            for lic in descriptor.get("licenses", [])
            if isinstance(lic, dict)
        ),
    )


def package_sources(descriptor: dict) -> pl.DataFrame:
    """title, path: the package-level sources, as given (empty cells where one has none)."""
    sources = [source for source in descriptor.get("sources", []) if isinstance(source, dict)]
    return pl.DataFrame(
        {"title": [s.get("title", "") for s in sources], "path": [s.get("path", "") for s in sources]},
        schema={"title": pl.String, "path": pl.String},
    )
