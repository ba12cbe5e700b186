"""The reference part of docs/data-contract.md, generated from datapackage.json (the single
source of truth), so that the document can never drift from the descriptor.

    uv run python -m analysis.outputs.contract_doc          # rewrite the reference part in place
    uv run python -m analysis.outputs.contract_doc --check  # exit 1 when it is not current
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analysis.package import EMBEDDED_DESCRIPTOR, read_descriptor

DOCUMENT = Path(__file__).resolve().parents[3] / "docs" / "data-contract.md"
BEGIN = "<!-- reference: generated from datapackage/datapackage.json by `python -m analysis.outputs.contract_doc`; do not edit -->"  # noqa: E501
END = "<!-- end of the generated reference -->"


def _cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _constraint_text(name: str, value: object) -> str:
    if name == "enum":
        return "one of " + ", ".join(f"`{v}`" for v in value)
    if name == "pattern":
        return f"pattern `{value}`"
    if name in ("minimum", "maximum"):
        return f"{name} {json.dumps(value)}"
    return f"{name}: `{json.dumps(value, ensure_ascii=False)}`"


def _keys(value: object) -> list[str]:
    return [value] if isinstance(value, str) else list(value or [])


def reference_markdown(descriptor: dict) -> str:
    """Every resource of DESCRIPTOR: its fields with type, rules, description and example, its
    primary and foreign keys."""
    lines = [BEGIN, ""]
    for resource in descriptor["resources"]:
        schema = resource.get("schema") or {}
        lines += [
            f"### `{resource['name']}`: {resource.get('title', '')}",
            "",
            f"{resource.get('description', '')} File: `{resource.get('path', '')}`.",
            "",
            "| field | type | rules | description | example |",
            "|---|---|---|---|---|",
        ]
        primary = _keys(schema.get("primaryKey"))
        for field in schema.get("fields", []):
            constraints = dict(field.get("constraints") or {})
            rules = []
            if field["name"] in primary:
                rules.append("primary key" if len(primary) == 1 else "part of the primary key")
            rules.append("required" if constraints.pop("required", False) else "optional")
            if constraints.pop("unique", False):
                rules.append("unique")
            rules += [_constraint_text(name, value) for name, value in constraints.items()]
            if field.get("format"):
                rules.append(f"format `{field['format']}`")
            example = field.get("example")
            example_text = _cell(json.dumps(example, ensure_ascii=False)) if example is not None else ""
            lines.append(
                f"| `{field['name']}` | {field.get('type', 'string')} | {_cell('; '.join(rules))} | "
                f"{_cell(field.get('description', ''))} | {example_text} |"
            )
        lines += ["", "Primary key: " + ", ".join(f"`{k}`" for k in primary) + "."]
        for key in schema.get("foreignKeys") or []:
            reference = key.get("reference") or {}
            fields = ", ".join(f"`{f}`" for f in _keys(key.get("fields")))
            target = ", ".join(f"`{f}`" for f in _keys(reference.get("fields")))
            lines.append(f"Foreign key: {fields} → `{reference.get('resource')}` ({target}).")
        lines.append("")
    lines.append(END)
    return "\n".join(lines)


def document_with_reference(document: str, descriptor: dict) -> str:
    """DOCUMENT with the text between the markers replaced by the current reference."""
    start, end = document.index(BEGIN), document.index(END) + len(END)
    return document[:start] + reference_markdown(descriptor) + document[end:]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="generate the reference part of docs/data-contract.md")
    parser.add_argument("--check", action="store_true", help="exit 1 when the document is not current")
    args = parser.parse_args(argv)
    current = DOCUMENT.read_text(encoding="utf-8")
    wanted = document_with_reference(current, read_descriptor(EMBEDDED_DESCRIPTOR))
    if args.check:
        if wanted != current:
            print(f"{DOCUMENT} is not current: run python -m analysis.outputs.contract_doc", file=sys.stderr)
            return 1
        return 0
    DOCUMENT.write_text(wanted, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
