"""Worked examples of broken descriptors and reading options, each a crash the fuzzing in
tests/test_fuzz.py once found, pinned as a plain example: each gets Problems that say what and
where, never a crash, a hang or a network request."""

from __future__ import annotations

import copy
import csv
import io
import zipfile
from pathlib import Path

import pytest
from calm_answers import BASE_DESCRIPTOR, answer, csv_text, write_descriptor_package
from conftest import BASE_ROWS, HEADERS, write_package

from analysis.package import load_package
from analysis.problems import Problem


def descriptor_with(change) -> dict:
    descriptor = copy.deepcopy(BASE_DESCRIPTOR)
    change(descriptor)
    return descriptor


def resource_named(descriptor: dict, name: str) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == name)


def field_named(descriptor: dict, resource: str, name: str) -> dict:
    return next(f for f in resource_named(descriptor, resource)["schema"]["fields"] if f["name"] == name)


def problems_of(tmp_path: Path, descriptor: dict, files: dict[str, bytes] | None = None) -> list[Problem]:
    path = write_descriptor_package(tmp_path / "p", descriptor)
    for name, raw in (files or {}).items():
        (path.parent / "data" / f"{name}.csv").write_bytes(raw)
    problems = answer(path)
    assert problems, "expected problems"
    return problems


def test_header_labels_with_spaces_are_read_as_frictionless_reads_them(tmp_path):
    # package.py read_text_frames: frictionless strips labels, polars did not (ColumnNotFoundError)
    path = write_package(tmp_path / "p")
    text = csv_text([" " + label + " " for label in HEADERS["partnerships"]], BASE_ROWS["partnerships"])
    (path.parent / "data" / "partnerships.csv").write_text(text, encoding="utf-8")
    assert answer(path) == []
    assert load_package(path)["partnerships"].columns[0] == "partnership_id"


def _set(keys: tuple, value):
    """A change that sets descriptor[keys...] = value; a str key after an int picks a resource by name."""

    def change(descriptor):
        node = descriptor
        for key in keys[:-1]:
            node = resource_named(descriptor, key) if node is descriptor["resources"] else node[key]
        node[keys[-1]] = value

    return change


def _set_field(resource: str, field: str, key: str, value):
    return lambda d: field_named(d, resource, field).__setitem__(key, value)


def _set_schema(resource: str, key: str, value):
    return lambda d: resource_named(d, resource)["schema"].__setitem__(key, value)


def _set_foreign_key(key: str, value, reference: bool = False):
    def change(descriptor):
        foreign_key = resource_named(descriptor, "municipalities")["schema"]["foreignKeys"][0]
        (foreign_key["reference"] if reference else foreign_key)[key] = value

    return change


@pytest.mark.parametrize(
    "change, expected",
    [
        # contract.py contract_problems: names and enums used as dict keys or set members
        (_set(("resources", "countries", "name"), ["countries"]), ("countries", None, None)),
        (_set_field("countries", "name_de", "name", ["name_de"]), ("countries", None, "name_de")),
        (_set_field("municipalities", "continent", "constraints", True), ("municipalities", None, "continent")),
        (
            lambda d: field_named(d, "municipalities", "continent")["constraints"].__setitem__("enum", 5),
            ("municipalities", None, "continent"),
        ),
        (
            lambda d: field_named(d, "municipalities", "continent")["constraints"].__setitem__("enum", [["Asia"]]),
            ("municipalities", None, "continent"),
        ),
        # contract.py _declared_foreign_keys: fields and references of any shape
        (_set_foreign_key("fields", 5), ("municipalities", None, "country_code")),
        (_set_foreign_key("fields", [["country_code"]], reference=True), ("municipalities", None, "country_code")),
        (_set_foreign_key("resource", ["countries"], reference=True), ("municipalities", None, "country_code")),
        # package.py frictionless_problems: frictionless itself raised TypeError on this one
        (_set_schema("municipalities", "foreignKeys", 5), ("municipalities", None, "country_code")),
    ],
)
def test_malformed_descriptor_parts_are_problems(tmp_path, change, expected):
    problems = problems_of(tmp_path, descriptor_with(change))
    assert expected in [(p.resource, p.row, p.field) for p in problems]


@pytest.mark.parametrize("pattern", ["[", "(", "*"])
def test_a_pattern_that_is_no_regular_expression_is_a_problem(tmp_path, pattern):
    # package.py frictionless_problems: resource.validate() raised re.error
    change = _set_field("status_history", "note", "constraints", {"pattern": pattern})
    problems = problems_of(tmp_path, descriptor_with(change))
    # the contract has no pattern for note, and this one is no regular expression either
    assert (problems[0].resource, problems[0].field, problems[0].code) == (
        "status_history",
        "note",
        "contract_constraint_extra",
    )
    assert [(p.resource, p.field) for p in problems] == [("status_history", "note")] * 2
    assert "is no regular expression" in problems[1].message


def test_key_cells_frictionless_parses_into_lists_are_problems(tmp_path):
    # package.py frictionless_problems: resource.validate() raised TypeError (unhashable type) on
    # a foreign key cell that a list field had parsed
    problems = problems_of(tmp_path, descriptor_with(_set_field("partnerships", "home_id", "type", "list")))
    assert ("partnerships", None, "home_id") in [(p.resource, p.row, p.field) for p in problems]
    assert any(p.resource == "partnerships" and 'type "list" is not supported' in p.message for p in problems)


@pytest.mark.parametrize(
    "name, path, message",
    [
        (None, "", "no local file path"),  # package.py resource_path_problems: Problem(resource=None)
        (["x"], 5, "no local file path"),
        ("countries", "http://[::1/countries.csv", "is a URL"),  # urlparse raised ValueError
        ("countries", "data/countries.csv\x00", "is not a file name"),  # resolve() raised ValueError
    ],
)
def test_odd_names_and_paths_are_problems(tmp_path, name, path, message):
    def change(descriptor):
        descriptor["resources"][0]["name"] = name
        descriptor["resources"][0]["path"] = path

    problems = problems_of(tmp_path, descriptor_with(change))
    assert problems[0].resource == (name if isinstance(name, str) else "#1")
    assert problems[0].field == "path" and message in problems[0].message


def test_a_path_too_long_for_the_file_system_is_a_problem(tmp_path):
    # package.py file_size_problems: stat() raised OSError (File name too long)
    problems = problems_of(tmp_path, descriptor_with(_set(("resources", "countries", "path"), "data/" + "a" * 300)))
    assert any(p.resource == "countries" and "too long" in p.message for p in problems)


@pytest.mark.parametrize(
    "change, where",
    [
        (_set(("resources", "countries", "schema"), "http://127.0.0.1:9/schema.json"), ("countries", "schema")),
        (_set(("resources", "countries", "dialect"), "https://example.org/dialect.json"), ("countries", "dialect")),
        (_set(("resources", "countries", "profile"), "https://example.org/profile.json"), ("countries", "profile")),
        (_set(("resources", "countries", "extrapaths"), ["http://example.org/x.csv"]), ("countries", "extrapaths")),
        (_set(("profile",), "https://example.org/profile.json"), ("datapackage.json", "profile")),
    ],
)
def test_urls_besides_the_path_are_refused_and_never_fetched(tmp_path, change, where):
    # package.py resource_path_problems: frictionless fetched these (guarded() fails on any attempt)
    descriptor = descriptor_with(change)
    problems = problems_of(tmp_path, descriptor)
    assert [(p.resource, p.field) for p in problems] == [where]
    assert "is a URL" in problems[0].message


def _csv_bytes(resource: str, encoding: str = "utf-8", delimiter: str = ",", prefix: str = "") -> bytes:
    buffer = io.StringIO()
    buffer.write(prefix)
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(HEADERS[resource])
    writer.writerows(BASE_ROWS[resource])
    return buffer.getvalue().encode(encoding)


def _zipped_csv(resource: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(f"{resource}.csv", _csv_bytes(resource))
    return buffer.getvalue()


def _xlsx_resource(descriptor: dict) -> None:
    """partnerships as a spreadsheet (frictionless reads it when openpyxl is installed)."""
    openpyxl = pytest.importorskip("openpyxl")
    resource = resource_named(descriptor, "partnerships")
    for key in ("dialect", "encoding", "mediatype"):
        resource.pop(key, None)
    resource.update(format="xlsx", path="data/partnerships.csv")
    workbook = openpyxl.Workbook()
    for row in [HEADERS["partnerships"], *BASE_ROWS["partnerships"]]:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    XLSX_FILE["partnerships"] = buffer.getvalue()


XLSX_FILE: dict[str, bytes] = {}


@pytest.mark.parametrize(
    "change, files, where",
    [
        # package.py read_text_frames: polars raised after frictionless had accepted the file
        (
            _set(("resources", "countries", "encoding"), "latin-1"),
            {"countries": _csv_bytes("countries", "latin-1")},
            ("countries", "encoding"),
        ),
        (
            _set(("resources", "partnerships", "dialect"), {"commentChar": "#"}),
            {"partnerships": _csv_bytes("partnerships", prefix="# note, with a comma\n")},
            ("partnerships", "dialect"),
        ),
        (
            _set(("resources", "partnerships", "dialect"), {"delimiter": "§"}),
            {"partnerships": _csv_bytes("partnerships", delimiter="§")},
            ("partnerships", "dialect"),
        ),
        (_set(("resources", "partnerships", "dialect"), {"quoteChar": "\n"}), {}, ("partnerships", "dialect")),
        (
            _set(("resources", "partnerships", "compression"), "zip"),
            {"partnerships": _zipped_csv("partnerships")},
            ("partnerships", "compression"),
        ),
        (_xlsx_resource, {}, ("partnerships", "format")),
    ],
)
def test_what_the_frame_reader_cannot_follow_is_a_problem(tmp_path, change, files, where):
    descriptor = descriptor_with(change)
    problems = problems_of(tmp_path, descriptor, files or XLSX_FILE)
    assert where in [(p.resource, p.field) for p in problems]


def _municipalities_with(column: str, value: str, every_row: bool = False) -> bytes:
    rows = copy.deepcopy(BASE_ROWS["municipalities"])
    for row in rows if every_row else rows[:1]:
        row[HEADERS["municipalities"].index(column)] = value
    return csv_text(HEADERS["municipalities"], rows).encode()


def _sources_published(value: str) -> bytes:
    rows = copy.deepcopy(BASE_ROWS["sources"])
    rows[1][HEADERS["sources"].index("published")] = value
    return csv_text(HEADERS["sources"], rows).encode()


def _dotted_dates(descriptor: dict) -> None:
    field = field_named(descriptor, "sources", "published")
    field.update(format="%d.%m.%Y")
    field.pop("example", None)


@pytest.mark.parametrize(
    "change, files, where",
    [
        # package.py typed_frame (load_package): frictionless accepted what polars could not cast
        (
            _set_schema("municipalities", "missingValues", ["", "NA"]),
            {"municipalities": _municipalities_with("population", "NA")},
            ("municipalities", None),
        ),
        (
            _set_field("municipalities", "latitude", "bareNumber", False),
            {"municipalities": _municipalities_with("latitude", "51.5N")},
            ("municipalities", "latitude"),
        ),
        (
            _set_field("municipalities", "latitude", "decimalChar", ","),
            {"municipalities": _municipalities_with("latitude", "51,5", every_row=True)},
            ("municipalities", "latitude"),
        ),
        (_dotted_dates, {"sources": _sources_published("19.11.2024")}, ("sources", "published")),
    ],
)
def test_reading_options_the_typed_reader_ignores_are_problems(tmp_path, change, files, where):
    problems = problems_of(tmp_path, descriptor_with(change), files)
    assert where in [(p.resource, p.field) for p in problems]
