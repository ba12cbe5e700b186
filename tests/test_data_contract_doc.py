"""docs/data-contract.md names everything datapackage.json declares, and nothing in the repository
points outside it."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from analysis.outputs.contract_doc import DOCUMENT, document_with_reference
from analysis.package import EMBEDDED_DESCRIPTOR

ROOT = Path(__file__).resolve().parents[1]


def test_reference_is_current():
    descriptor = json.loads(EMBEDDED_DESCRIPTOR.read_text(encoding="utf-8"))
    text = DOCUMENT.read_text(encoding="utf-8")
    assert document_with_reference(text, descriptor) == text, "run: uv run python -m analysis.outputs.contract_doc"


def test_document_names_every_field_enum_and_constraint():
    """Checked on the descriptor itself, not through the generator."""
    descriptor = json.loads(EMBEDDED_DESCRIPTOR.read_text(encoding="utf-8"))
    text = DOCUMENT.read_text(encoding="utf-8")
    missing = []
    for resource in descriptor["resources"]:
        schema = resource["schema"]
        wanted = [f"### `{resource['name']}`"]
        section = text.split(f"### `{resource['name']}`", 1)[-1].split("\n### ", 1)[0]
        for field in schema["fields"]:
            row = next((line for line in section.splitlines() if line.startswith(f"| `{field['name']}` |")), "")
            wanted.append(f"| `{field['name']}` | {field['type']} |")
            constraints = field.get("constraints", {})
            for value in constraints.get("enum", []):
                wanted.append(f"`{value}`")
                missing += [] if f"`{value}`" in row else [f"{resource['name']}.{field['name']} enum {value}"]
            if "pattern" in constraints and constraints["pattern"] not in row:
                missing.append(f"{resource['name']}.{field['name']} pattern")
            for bound in ("minimum", "maximum"):
                if bound in constraints and f"{bound} {constraints[bound]}" not in row:
                    missing.append(f"{resource['name']}.{field['name']} {bound}")
            if constraints.get("required") and "required" not in row:
                missing.append(f"{resource['name']}.{field['name']} required")
            if constraints.get("unique") and "unique" not in row:
                missing.append(f"{resource['name']}.{field['name']} unique")
        wanted.append("Primary key: " + ", ".join(f"`{k}`" for k in schema["primaryKey"]) + ".")
        for key in schema.get("foreignKeys", []):
            wanted.append(f"`{key['fields'][0]}` → `{key['reference']['resource']}`")
        missing += [f"{resource['name']}: {w}" for w in wanted if w not in text]
    assert missing == []


def test_nothing_points_outside_the_repository():
    # spelled in pieces, so that this file does not name the paths it looks for
    outside = ("../" + "shared", "/work/" + "shared", "shared" + "/DATA-CONTRACT", "shared" + "/seeds")
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    offenders = [
        name
        for name in tracked.splitlines()
        if name.endswith((".py", ".md", ".toml", ".json", ".txt", ".cfg"))
        and any(path in (ROOT / name).read_text(encoding="utf-8", errors="replace") for path in outside)
    ]
    assert offenders == []
    assert "docs/data-contract.md" in (ROOT / "README.md").read_text(encoding="utf-8")
