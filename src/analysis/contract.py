"""The data contract (docs/data-contract.md) as data: what every package must declare."""

from __future__ import annotations

import json
import re
from pathlib import Path

from analysis.problems import Problem, shorten

CONTINENTS = ("Africa", "Antarctica", "Asia", "Europe", "North America", "Oceania", "South America")
KINDS = ("twinning", "friendship", "project", "climate", "solidarity", "contact")
# lapsed: an agreement's term ended and neither a renewal nor an end is known (docs/data-contract.md).
STATUSES = ("proposed", "in_preparation", "active", "paused", "lapsed", "declined", "ended")
PRECISIONS = ("day", "month", "year")
# What a status row's date says (status_history.date_basis; empty means "event"): "event", the status
# began then; "known_by", the status is known to hold by then, its beginning is unknown.
DATE_BASES = ("event", "known_by")
KNOWN_BY = "known_by"
# Continents a city can partner on (Antarctica has no municipalities).
INHABITED_CONTINENTS = tuple(c for c in CONTINENTS if c != "Antarctica")

# resource -> field -> (Table Schema type, required by the contract)
CONTRACT: dict[str, dict[str, tuple[str, bool]]] = {
    "countries": {
        "country_code": ("string", True),
        "name_de": ("string", True),
        "name_en": ("string", True),
    },
    "municipalities": {
        "municipality_id": ("string", True),
        "name": ("string", True),
        "name_en": ("string", False),
        "country_code": ("string", True),
        "admin_area": ("string", False),
        "continent": ("string", True),
        "latitude": ("number", True),
        "longitude": ("number", True),
        "population": ("integer", False),
        "wikidata_id": ("string", False),
    },
    "partnerships": {
        "partnership_id": ("string", True),
        "home_id": ("string", True),
        "partner_id": ("string", True),
        "kind": ("string", True),
        "association": ("string", False),
        "notes": ("string", False),
    },
    "status_history": {
        "partnership_id": ("string", True),
        "date": ("date", True),
        "date_precision": ("string", True),
        "status": ("string", True),
        "note": ("string", False),
        "source_id": ("string", True),
        "date_basis": ("string", False),
    },
    "themes": {
        "theme_id": ("string", True),
        "label_de": ("string", True),
        "label_en": ("string", True),
    },
    "partnership_themes": {
        "partnership_id": ("string", True),
        "theme_id": ("string", True),
        "source_id": ("string", True),
    },
    "sources": {
        "source_id": ("string", True),
        "title": ("string", True),
        "publisher": ("string", True),
        "published": ("date", False),
        "url": ("string", False),
        "document_ref": ("string", False),
    },
}

ENUMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("municipalities", "continent"): CONTINENTS,
    ("partnerships", "kind"): KINDS,
    ("status_history", "status"): STATUSES,
    ("status_history", "date_precision"): PRECISIONS,
    ("status_history", "date_basis"): DATE_BASES,
}
# Values a later contract added to an enum: a package written before may leave them out of its
# declared enum (a 1.1.0 package knows no "lapsed") and stays readable; it just cannot use them.
LATER_ENUM_VALUES: dict[tuple[str, str], frozenset[str]] = {
    ("status_history", "status"): frozenset({"lapsed"}),
}

PRIMARY_KEYS: dict[str, list[str]] = {
    "countries": ["country_code"],
    "municipalities": ["municipality_id"],
    "partnerships": ["partnership_id"],
    "status_history": ["partnership_id", "date", "status"],
    "themes": ["theme_id"],
    "partnership_themes": ["partnership_id", "theme_id"],
    "sources": ["source_id"],
}

# resource -> (field, referenced resource, referenced field): declared, so frictionless checks them
FOREIGN_KEYS: dict[str, list[tuple[str, str, str]]] = {
    "municipalities": [("country_code", "countries", "country_code")],
    "partnerships": [
        ("home_id", "municipalities", "municipality_id"),
        ("partner_id", "municipalities", "municipality_id"),
    ],
    "status_history": [
        ("partnership_id", "partnerships", "partnership_id"),
        ("source_id", "sources", "source_id"),
    ],
    "partnership_themes": [
        ("partnership_id", "partnerships", "partnership_id"),
        ("theme_id", "themes", "theme_id"),
        ("source_id", "sources", "source_id"),
    ],
}


# The product's schema, resource -> {fields, primaryKey, foreignKeys}: a package brings data and
# metadata, never the rules it is checked by. A declared field must say what this says (type, format,
# constraints); a field the contract does not name is refused.
CONTRACT_SCHEMAS: dict[str, dict] = json.loads(
    (Path(__file__).resolve().parent / "contract_schema.json").read_text(encoding="utf-8")
)
RESOURCE_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# A constraint set to these is the same as one left out (Table Schema's defaults).
UNSET_CONSTRAINTS = {"required": False, "unique": False}


def contract_path(name: str) -> str:
    """The one file a resource may be read from and written to: data/<name>.csv."""
    return f"data/{name}.csv"


def key_names(value: object) -> list[str]:
    """A key's field names: one name or a list of names; anything else names nothing."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    return []


def _declared_foreign_keys(schema: dict) -> set[tuple[str, str, str]]:
    declared = set()
    keys = schema.get("foreignKeys")
    for key in keys if isinstance(keys, list) else []:
        if not isinstance(key, dict) or not isinstance(key.get("reference"), dict):
            continue
        reference = key["reference"]
        if not isinstance(reference.get("resource"), str):
            continue
        fields, ref_fields = key_names(key.get("fields")), key_names(reference.get("fields"))
        for field, ref_field in zip(fields, ref_fields, strict=False):
            declared.add((field, reference["resource"], ref_field))
    return declared


def _enum_fits(declared: set[str], contract: set[str], later: frozenset[str] | None) -> bool:
    """The declared enum is the contract's, or the contract's without values added later."""
    return declared <= contract and contract - declared <= (later or frozenset())


def _constraint_problems(name: str, field_name: str, field: dict, contract_field: dict) -> list[Problem]:
    """How FIELD's format and constraints differ from the contract's (enums: see contract_problems)."""
    problems = []
    if field.get("format", "default") != contract_field.get("format", "default"):
        params = {"format": field.get("format", "default"), "contract": contract_field.get("format", "default")}
        problems.append(Problem(name, None, field_name, code="contract_format", params=params))
    raw = field.get("constraints")
    declared = {k: v for k, v in (raw if isinstance(raw, dict) else {}).items() if UNSET_CONSTRAINTS.get(k, ...) != v}
    wanted = contract_field.get("constraints") or {}
    checked_apart = {"enum"} if (name, field_name) in ENUMS else set()  # enums may lack later values
    for key in sorted((set(declared) | set(wanted)) - checked_apart):
        value, contract = declared.get(key), wanted.get(key)
        params = {"constraint": shorten(key), "value": _shown(value), "contract": _shown(contract)}
        if key not in declared:
            problems.append(Problem(name, None, field_name, code="contract_constraint_missing", params=params))
        elif key not in wanted:
            problems.append(Problem(name, None, field_name, code="contract_constraint_extra", params=params))
        elif value != contract or isinstance(value, bool) != isinstance(contract, bool):
            problems.append(Problem(name, None, field_name, code="contract_constraint_differs", params=params))
    return problems


def _shown(value: object) -> str:
    """A constraint's value as JSON, shortened: a message stays short whatever a descriptor holds."""
    return shorten(json.dumps(value, ensure_ascii=False))


def _path_problems(descriptor: dict) -> list[Problem]:
    """Every resource's path is the contract's own data/<name>.csv (an extra resource's too, its
    name a plain one): a descriptor never says where a file is read from or written to."""
    problems = []
    for resource in descriptor["resources"]:
        if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
            continue
        name, path = resource["name"], resource.get("path")
        if not RESOURCE_NAME.match(name):
            problems.append(Problem(name[:64], None, "name", code="contract_resource_name"))
        elif path != contract_path(name):
            params = {"path": str(path)[:200], "contract": contract_path(name)}
            problems.append(Problem(name, None, "path", code="contract_path", params=params))
    return problems


def contract_problems(descriptor: dict) -> list[Problem]:
    """What the descriptor leaves out or changes of the contract: resource paths, resources,
    fields, types, formats, constraints, enums, keys."""
    problems = _path_problems(descriptor)
    resources = {
        resource["name"]: resource
        for resource in descriptor["resources"]
        if isinstance(resource, dict) and isinstance(resource.get("name"), str)
    }
    for name, fields in CONTRACT.items():
        resource = resources.get(name)
        if resource is None:
            problems.append(Problem(name, None, None, code="contract_resource_missing"))
            continue
        schema = resource.get("schema")
        if not isinstance(schema, dict) or not isinstance(schema.get("fields"), list):
            problems.append(Problem(name, None, None, code="contract_no_schema"))
            continue
        declared = {
            field["name"]: field
            for field in schema["fields"]
            if isinstance(field, dict) and isinstance(field.get("name"), str)
        }
        for field_name, (kind, required) in fields.items():
            field = declared.get(field_name)
            if field is None:
                if required:
                    problems.append(Problem(name, None, field_name, code="contract_field_missing"))
                continue
            if field.get("type", "string") != kind:
                problems.append(
                    Problem(
                        name,
                        None,
                        field_name,
                        code="contract_type",
                        params={"type": field.get("type", "string"), "contract": kind},
                    )
                )
            enum = ENUMS.get((name, field_name))
            constraints = field.get("constraints")
            declared_enum = key_names(constraints.get("enum")) if isinstance(constraints, dict) else []
            if enum and not _enum_fits(set(declared_enum), set(enum), LATER_ENUM_VALUES.get((name, field_name))):
                problems.append(Problem(name, None, field_name, code="contract_enum", params={"enum": ", ".join(enum)}))
        problems += _field_problems(name, declared)
        key = schema.get("primaryKey")
        key = [key] if isinstance(key, str) else key
        if key != PRIMARY_KEYS[name]:
            problems.append(
                Problem(name, None, None, code="contract_primary_key", params={"key": ", ".join(PRIMARY_KEYS[name])})
            )
        missing_keys = set(FOREIGN_KEYS.get(name, [])) - _declared_foreign_keys(schema)
        problems += [
            Problem(name, None, field, code="contract_foreign_key", params={"target": f"{target}.{target_field}"})
            for field, target, target_field in sorted(missing_keys)
        ]
        extra_keys = _declared_foreign_keys(schema) - set(FOREIGN_KEYS.get(name, []))
        problems += [
            Problem(name, None, field, code="contract_foreign_key_extra", params={"target": f"{target}.{target_field}"})
            for field, target, target_field in sorted(extra_keys)
        ]
    return problems


def _field_problems(name: str, declared: dict[str, dict]) -> list[Problem]:
    """Fields the contract does not know, and the format and constraints of those it does."""
    contract_fields = {field["name"]: field for field in CONTRACT_SCHEMAS[name]["fields"]}
    problems = []
    for field_name, field in declared.items():
        contract_field = contract_fields.get(field_name)
        if contract_field is None:
            problems.append(Problem(name, None, field_name[:100], code="contract_field_unknown"))
        else:
            problems += _constraint_problems(name, field_name, field, contract_field)
    return problems
