"""The contract is the product's: a descriptor (datapackage.json or a workbook's hidden sheet) may
bring metadata, never a resource path other than data/<resource>.csv nor a schema of its own; a
workbook is checked in memory before a single file is written."""

from __future__ import annotations

import copy
import io
import json
from pathlib import Path

import openpyxl
import pytest
from conftest import small_package_descriptor, write_package

from analysis.keeping.importing import import_workbook
from analysis.keeping.workbook import DESCRIPTOR_SHEET, write_workbook
from analysis.keeping.workbook_reading import workbook_to_package
from analysis.package import load_package, validate_package
from analysis.problems import PackageInvalid
from console.main import main


def _resource(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def _field(descriptor: dict, resource: str, name: str) -> dict:
    return next(f for f in _resource(descriptor, resource)["schema"]["fields"] if f["name"] == name)


def _problems(tmp_path: Path, change) -> list[tuple[str, str | None, str]]:
    descriptor = copy.deepcopy(small_package_descriptor())
    change(descriptor)
    path = write_package(tmp_path / "p", descriptor=descriptor)
    return [(p.resource, p.field, p.describe("de")) for p in validate_package(path)]


def test_a_dropped_minimum_is_named(tmp_path):
    problems = _problems(tmp_path, lambda d: _field(d, "municipalities", "population").pop("constraints"))
    assert problems == [
        (
            "municipalities",
            "population",
            "Kommunen (municipalities), Feld Einwohner (population): minimum fehlt (der Vertrag verlangt 0)",
        )
    ]


def test_a_relaxed_pattern_a_new_constraint_and_an_unknown_field_are_named(tmp_path):
    def change(descriptor):
        _field(descriptor, "sources", "source_id")["constraints"]["pattern"] = ".*"
        _field(descriptor, "themes", "label_en")["constraints"]["maxLength"] = 3
        _field(descriptor, "sources", "publisher")["constraints"]["required"] = False
        _field(descriptor, "municipalities", "latitude")["format"] = "odd"

    problems = _problems(tmp_path, change)
    assert [(resource, field) for resource, field, _ in problems] == [
        ("municipalities", "latitude"),
        ("themes", "label_en"),
        ("sources", "source_id"),
        ("sources", "publisher"),
        ("municipalities", "latitude"),  # and the reader cannot follow it either
    ]
    assert (
        problems[2][2]
        == 'Quellen (sources), Feld Quelle (source_id): pattern ist ".*", der Vertrag sagt "^[a-z0-9]+(-[a-z0-9]+)*$"'
    )
    assert (
        problems[3][2] == "Quellen (sources), Feld Herausgeber (publisher): required fehlt (der Vertrag verlangt true)"
    )


def test_a_field_the_contract_does_not_know_is_refused(tmp_path):
    def change(descriptor):
        _resource(descriptor, "themes")["schema"]["fields"].append({"name": "secret", "type": "string"})

    assert ("themes", "secret", "Themen (themes), Feld secret: das Feld steht nicht im Vertrag") in _problems(
        tmp_path, change
    )


def test_a_resource_elsewhere_in_the_package_is_refused(tmp_path):
    # the file exists inside the package: only the contract's own path is accepted
    descriptor = small_package_descriptor()
    _resource(descriptor, "themes")["path"] = "themes.csv"
    path = write_package(tmp_path / "p", descriptor=descriptor)
    (path.parent / "themes.csv").write_bytes((path.parent / "data" / "themes.csv").read_bytes())
    problems = validate_package(path)
    assert [(p.resource, p.field, p.code) for p in problems] == [("themes", "path", "contract_path")]
    assert problems[0].message == "path is 'themes.csv'; a resource always lies in data/themes.csv"


def _workbook_with(tmp_path: Path, change) -> bytes:
    """The small package's workbook whose hidden descriptor sheet was changed by CHANGE(descriptor)."""
    book = write_workbook(load_package(write_package(tmp_path / "small")), tmp_path / "small.xlsx")
    workbook = openpyxl.load_workbook(book)
    sheet = workbook[DESCRIPTOR_SHEET]
    descriptor = json.loads("\n".join(str(row[0] or "") for row in sheet.iter_rows(values_only=True)))
    change(descriptor)
    sheet.delete_rows(1, sheet.max_row)
    for index, line in enumerate(json.dumps(descriptor, indent=2).splitlines(), start=1):
        sheet.cell(index, 1, line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("where", ["absolute", "climbing"])
def test_a_workbook_cannot_write_outside_its_folder(tmp_path, where):
    target = tmp_path / "elsewhere" / "planted.csv"
    target.parent.mkdir()
    path = str(target) if where == "absolute" else "../../elsewhere/planted.csv"
    data = _workbook_with(tmp_path, lambda d: _resource(d, "themes").__setitem__("path", path))
    out = tmp_path / "import" / "package"
    with pytest.raises(PackageInvalid) as caught:
        workbook_to_package(data, out)
    problems = [(p.resource, p.field, p.code) for p in caught.value.problems]
    assert ("Themen", "path", "contract_path") in problems  # the sheet named as people see it
    assert not target.exists()  # written before the check on the old main
    assert not out.exists()  # checked in memory: not even the folder is made
    with pytest.raises(PackageInvalid):
        import_workbook(data, tmp_path / "cli-out")
    assert not target.exists() and list(tmp_path.glob("*import-*")) == []
    assert main(["import", str(_saved(tmp_path, data)), "--out", str(tmp_path / "cli-out")]) == 1
    assert not target.exists() and not (tmp_path / "cli-out").exists()


def _saved(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    return path


def test_a_workbook_whose_descriptor_relaxes_the_schema_is_refused(tmp_path):
    # population -5 would have been stored: the hidden sheet dropped the minimum
    def change(descriptor):
        _field(descriptor, "municipalities", "population").pop("constraints")

    data = _workbook_with(tmp_path, change)
    with pytest.raises(PackageInvalid) as caught:
        workbook_to_package(data, tmp_path / "out")
    assert [p.describe("de") for p in caught.value.problems] == [
        "Kommunen, Feld Einwohner (population): minimum fehlt (der Vertrag verlangt 0)"
    ]


def test_a_workbook_may_change_metadata(tmp_path):
    def change(descriptor):
        descriptor["title"] = "Unsere Partnerschaften"
        descriptor["description"] = "Gepflegt im Rathaus"
        descriptor["contributors"] = [{"title": "Amt für Internationales"}]

    package = workbook_to_package(_workbook_with(tmp_path, change), tmp_path / "out")
    assert package.title == "Unsere Partnerschaften"
    assert load_package(tmp_path / "out").descriptor["contributors"] == [{"title": "Amt für Internationales"}]
    assert sorted(p.name for p in (tmp_path / "out" / "data").iterdir()) == sorted(
        f"{r['name']}.csv" for r in small_package_descriptor()["resources"]
    )


def test_the_contract_s_schema_and_its_table_agree():
    """contract_schema.json (constraints, keys) and contract.CONTRACT (types, required) say the same."""
    from analysis.contract import CONTRACT, CONTRACT_SCHEMAS, PRIMARY_KEYS

    assert set(CONTRACT_SCHEMAS) == set(CONTRACT)
    for name, fields in CONTRACT.items():
        schema = {f["name"]: f for f in CONTRACT_SCHEMAS[name]["fields"]}
        for field, (kind, required) in fields.items():
            assert schema[field]["type"] == kind, (name, field)
            assert (schema[field].get("constraints") or {}).get("required", False) == required, (name, field)
        assert CONTRACT_SCHEMAS[name]["primaryKey"] == PRIMARY_KEYS[name]
