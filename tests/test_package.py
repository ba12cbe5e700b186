"""Validation and loading: the embedded package, each business rule, each kind of breakage."""

from __future__ import annotations

import copy
from datetime import date

import polars as pl
import pytest
from conftest import BASE_ROWS, write_package

from analysis.package import (
    EMBEDDED_DESCRIPTOR,
    ENV_VAR,
    load_package,
    parse_created,
    resolve_descriptor,
    validate_package,
)
from analysis.problems import NotADataPackage, PackageInvalid
from analysis.settings import Settings, read_settings


def test_embedded_package_is_valid():
    problems = validate_package(None)
    assert problems == [], "\n".join(str(problem) for problem in problems)


def test_frictionless_itself_accepts_the_embedded_package():
    from frictionless import validate

    report = validate(str(resolve_descriptor(None)))
    assert report.valid, report.flatten(["taskName", "rowNumber", "fieldName", "message"])


def test_loading_types_every_column_from_its_table_schema(small_package):
    package = load_package(small_package)
    assert package["status_history"].schema["date"] == pl.Date
    assert package["municipalities"].schema["latitude"] == pl.Float64
    assert package["municipalities"].schema["population"] == pl.Int64
    assert package["sources"]["published"].to_list() == [None, date(2024, 11, 19)]
    assert len(package["partnerships"]) == 3


def _problems(tmp_path, **rows):
    return validate_package(write_package(tmp_path / "pkg", rows))


# Each business rule, broken by rows added to the small package: a partnership (id, home, partner,
# kind) and an active status row (id, date, precision, source), either may be absent; where the one
# problem is (resource, row, field; header = row 1), and what it says.
BROKEN_RULES = {
    "home_differs_from_partner": (
        ("dortmund-dortmund", "de-dortmund", "de-dortmund", "contact"),
        ("dortmund-dortmund", "2020-01-01", "year", "s1"),
        ("partnerships", 5, "partner_id", "home_id and partner_id are the same"),
    ),
    "every_partnership_has_a_status_row": (
        ("hagen-amiens", "de-hagen", "fr-amiens", "friendship"),
        None,
        ("partnerships", 5, "partnership_id", "'hagen-amiens' has no status_history row"),
    ),
    "no_status_date_after_created": (
        None,
        ("hagen-kartal", "2026-11-22", "day", "s2"),
        ("status_history", 6, "date", "2026-11-22 lies after the package's created date 2026-11-21"),
    ),
    "home_partner_kind_is_unique": (
        ("dortmund-amiens-2", "de-dortmund", "fr-amiens", "twinning"),
        ("dortmund-amiens-2", "1961-01-01", "year", "s1"),
        ("partnerships", 5, "kind", "(de-dortmund, fr-amiens, twinning) is already listed above"),
    ),
}


@pytest.mark.parametrize(("added", "event", "expected"), BROKEN_RULES.values(), ids=BROKEN_RULES.keys())
def test_rule(tmp_path, added, event, expected):
    partnerships = [[*added, "", ""]] if added else []
    history = [[*event[:3], "active", "", event[3]]] if event else []
    *where, message = expected
    problems = _problems(
        tmp_path,
        partnerships=BASE_ROWS["partnerships"] + partnerships,
        status_history=BASE_ROWS["status_history"] + history,
    )
    assert [(p.resource, p.row, p.field) for p in problems] == [tuple(where)]
    assert message in problems[0].message


def test_same_pair_with_another_kind_is_allowed(tmp_path):
    partnerships = BASE_ROWS["partnerships"] + [
        ["dortmund-amiens-project", "de-dortmund", "fr-amiens", "project", "", ""]
    ]
    history = BASE_ROWS["status_history"] + [["dortmund-amiens-project", "1999-01-01", "year", "active", "", "s1"]]
    assert _problems(tmp_path, partnerships=partnerships, status_history=history) == []


def test_invalid_package_raises_one_error_with_every_problem(tmp_path):
    history = BASE_ROWS["status_history"] + [
        ["nobody", "2020-01-01", "year", "active", "", "s1"],
        ["hagen-kartal", "2020-13-01", "day", "maybe", "", "s1"],
    ]
    with pytest.raises(PackageInvalid) as raised:
        load_package(write_package(tmp_path / "pkg", {"status_history": history}))
    found = {(p.resource, p.row, p.field) for p in raised.value.problems}
    assert found == {
        ("status_history", 6, "partnership_id"),
        ("status_history", 7, "date"),
        ("status_history", 7, "status"),
    }
    assert "3 problems" in str(raised.value)


def test_slug_and_code_patterns_are_enforced(tmp_path):
    countries = BASE_ROWS["countries"] + [["tur", "Türkei?", "Turkey?"]]
    problems = _problems(tmp_path, countries=countries)
    assert [(p.resource, p.row, p.field) for p in problems] == [("countries", 5, "country_code")]


def test_contract_break_in_descriptor_is_reported(tmp_path, small_descriptor):
    broken = copy.deepcopy(small_descriptor)
    history = next(r for r in broken["resources"] if r["name"] == "status_history")
    status = next(f for f in history["schema"]["fields"] if f["name"] == "status")
    status["constraints"]["enum"].append("frozen")
    broken["resources"] = [r for r in broken["resources"] if r["name"] != "themes"]
    problems = validate_package(write_package(tmp_path / "pkg", descriptor=broken))
    assert ("themes", None, None) in {(p.resource, p.row, p.field) for p in problems}
    assert any(p.field == "status" and "enum must be exactly" in p.message for p in problems)


def test_resource_path_that_is_a_url_is_refused_and_never_fetched(tmp_path, small_descriptor):
    broken = copy.deepcopy(small_descriptor)
    broken["resources"][0]["path"] = "http://127.0.0.1:9/countries.csv"
    broken["resources"][1]["path"] = "../../etc/passwd"
    problems = validate_package(write_package(tmp_path / "pkg", descriptor=broken))
    assert [(p.resource, p.field) for p in problems] == [("countries", "path"), ("municipalities", "path")]
    assert "is a URL" in problems[0].message and "outside the package" in problems[1].message


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda root: None, "no datapackage.json found"),
        (lambda root: (root / "datapackage.json").write_text("{broken", encoding="utf-8"), "broken JSON at line 1"),
        (lambda root: (root / "datapackage.json").write_text("[1, 2]", encoding="utf-8"), "'resources' list"),
    ],
)
def test_not_a_data_package(tmp_path, make, message):
    root = tmp_path / "nothing"
    root.mkdir()
    make(root)
    with pytest.raises(NotADataPackage, match=message):
        validate_package(root)


def test_environment_variable_names_the_default_package(small_package, monkeypatch):
    settings = read_settings({ENV_VAR: str(small_package.parent), "PARTNERSHIPS_EDIT": "1", "LANG": "de_DE.UTF-8"})
    assert settings == Settings(datapackage=str(small_package.parent), edit=True, lang="de")
    assert resolve_descriptor(settings.datapackage) == small_package.resolve()
    assert len(load_package(settings.datapackage)["partnerships"]) == 3
    # analysis itself reads no environment: without a path it is the embedded package
    monkeypatch.setenv(ENV_VAR, str(small_package.parent))
    assert resolve_descriptor(None) == EMBEDDED_DESCRIPTOR.resolve()
    assert read_settings().datapackage == str(small_package.parent)


def test_content_hash_follows_content(tmp_path):
    first = load_package(write_package(tmp_path / "a")).content_hash
    again = load_package(write_package(tmp_path / "b")).content_hash
    history = BASE_ROWS["status_history"] + [["hagen-kartal", "2022-07-05", "day", "paused", "", "s2"]]
    changed = load_package(write_package(tmp_path / "c", {"status_history": history})).content_hash
    assert first == again != changed


def test_descriptor_json_is_contract_complete(embedded_descriptor):
    for resource in embedded_descriptor["resources"]:
        assert resource["dialect"]["delimiter"] == ","
        for field in resource["schema"]["fields"]:
            assert field.get("description"), f"{resource['name']}.{field['name']} has no description"
            assert "pattern" not in field, "a pattern beside a field is ignored; put it in constraints"
    assert parse_created(embedded_descriptor["created"]) is not None, "created must be an ISO date and time"
