"""The data dictionary and the package's metadata, read from datapackage.json."""

from __future__ import annotations

import json
from datetime import date
from typing import NamedTuple

import polars as pl

from analysis.package import Package


def data_dictionary(descriptor: dict) -> pl.DataFrame:
    """resource, field, type, required, description, constraints: one row per declared field."""
    rows = []
    for resource in descriptor.get("resources", []):
        schema = resource.get("schema", {})
        keys = schema.get("primaryKey") or []
        keys = [keys] if isinstance(keys, str) else keys
        for field in schema.get("fields", []):
            constraints = dict(field.get("constraints") or {})
            required = bool(constraints.pop("required", False)) or field["name"] in keys
            if field["name"] in keys:
                constraints["primaryKey"] = True
            rows.append(
                {
                    "resource": resource.get("name", ""),
                    "field": field["name"],
                    "type": field.get("type", "string"),
                    "required": required,
                    "description": field.get("description", ""),
                    "constraints": ", ".join(
                        f"{name}: {json.dumps(value, ensure_ascii=False)}" for name, value in constraints.items()
                    ),
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
            "constraints": pl.String,
        },
    )


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
