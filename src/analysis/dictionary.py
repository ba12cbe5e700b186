"""The data dictionary and the package's metadata, read from datapackage.json."""

from __future__ import annotations

import json

import polars as pl


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


def package_sources(descriptor: dict) -> list[dict]:
    """The package-level sources and licences, as given."""
    return [dict(source) for source in descriptor.get("sources", []) if isinstance(source, dict)]
