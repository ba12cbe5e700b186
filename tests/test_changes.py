"""`partnerships diff` on small hand-made pairs, the version bump and the changelog of an import;
every expected output below is written by hand."""

from __future__ import annotations

import copy
import json

import pytest
from conftest import BASE_ROWS, write_package

from analysis.keeping.changes import bumped_version, package_changes, prepend_changelog
from analysis.keeping.workbook import package_text_frames
from analysis.package import load_package
from console.main import main


def _pair(tmp_path, embedded_descriptor):
    old_descriptor = copy.deepcopy(embedded_descriptor) | {"version": "1.0.0", "created": "2025-01-01T00:00:00Z"}
    new_descriptor = copy.deepcopy(embedded_descriptor) | {"version": "1.1.0", "created": "2026-01-01T00:00:00Z"}
    old = write_package(tmp_path / "old", descriptor=old_descriptor)
    rows = copy.deepcopy(BASE_ROWS)
    rows["partnerships"][1][5] = "Vertrag 2014"
    rows["partnerships"].append(["hagen-amiens", "de-hagen", "fr-amiens", "friendship", "", ""])
    rows["status_history"][0][4] = "Urkunde unterzeichnet"
    rows["status_history"].append(["hagen-amiens", "2025-05-01", "month", "active", "signed", "s2"])
    rows["partnership_themes"].pop()  # hagen-kartal, economy
    rows["sources"][1][3] = "2024-11-20"
    new = write_package(tmp_path / "new", rows, descriptor=new_descriptor)
    return str(old.parent), str(new.parent)


def test_diff_text(tmp_path, embedded_descriptor, capsys):
    old, new = _pair(tmp_path, embedded_descriptor)
    assert main(["diff", old, new]) == 0
    assert capsys.readouterr().out == (
        "version: 1.0.0 -> 1.1.0\n"
        "created: 2025-01-01T00:00:00Z -> 2026-01-01T00:00:00Z\n"
        "partnerships: 1 added, 0 removed, 1 changed\n"
        "  + hagen-amiens\n"
        '  ~ dortmund-trabzon: notes: null -> "Vertrag 2014"\n'
        "status_history: 1 added, 0 removed, 1 changed\n"
        "  + hagen-amiens, 2025-05-01, active\n"
        '  ~ dortmund-amiens, 1960-01-01, active: note: "signed" -> "Urkunde unterzeichnet"\n'
        "partnership_themes: 0 added, 1 removed, 0 changed\n"
        "  - hagen-kartal, economy\n"
        "sources: 0 added, 0 removed, 1 changed\n"
        '  ~ s2: published: "2024-11-19" -> "2024-11-20"\n'
    )


def test_diff_json(tmp_path, embedded_descriptor, capsys):
    old, new = _pair(tmp_path, embedded_descriptor)
    assert main(["diff", old, new, "--format", "json"]) == 0
    result = json.loads(capsys.readouterr().out)
    nothing = {"added": [], "removed": [], "changed": []}
    assert result == {
        "version": {"old": "1.0.0", "new": "1.1.0"},
        "created": {"old": "2025-01-01T00:00:00Z", "new": "2026-01-01T00:00:00Z"},
        "countries": nothing,
        "municipalities": nothing,
        "partnerships": {
            "added": [
                {
                    "partnership_id": "hagen-amiens",
                    "home_id": "de-hagen",
                    "partner_id": "fr-amiens",
                    "kind": "friendship",
                    "association": None,
                    "notes": None,
                }
            ],
            "removed": [],
            "changed": [
                {"key": {"partnership_id": "dortmund-trabzon"}, "field": "notes", "old": None, "new": "Vertrag 2014"}
            ],
        },
        "status_history": {
            "added": [
                {
                    "partnership_id": "hagen-amiens",
                    "date": "2025-05-01",
                    "date_precision": "month",
                    "status": "active",
                    "note": "signed",
                    "source_id": "s2",
                    "date_basis": None,
                }
            ],
            "removed": [],
            "changed": [
                {
                    "key": {"partnership_id": "dortmund-amiens", "date": "1960-01-01", "status": "active"},
                    "field": "note",
                    "old": "signed",
                    "new": "Urkunde unterzeichnet",
                }
            ],
        },
        "themes": nothing,
        "partnership_themes": {
            "added": [],
            "removed": [{"partnership_id": "hagen-kartal", "theme_id": "economy", "source_id": "s2"}],
            "changed": [],
        },
        "sources": {
            "added": [],
            "removed": [],
            "changed": [{"key": {"source_id": "s2"}, "field": "published", "old": "2024-11-19", "new": "2024-11-20"}],
        },
    }


def test_diff_markdown(tmp_path, embedded_descriptor, capsys):
    old, new = _pair(tmp_path, embedded_descriptor)
    assert main(["diff", old, new, "--format", "markdown"]) == 0
    assert capsys.readouterr().out == (
        "## 1.1.0 (2026-01-01T00:00:00Z)\n"
        "\n"
        "Vorher / before: 1.0.0 (2025-01-01T00:00:00Z)\n"
        "\n"
        "### partnerships: 1 added, 0 removed, 1 changed\n"
        "\n"
        "- hinzugefügt / added: `hagen-amiens`\n"
        '- geändert / changed: `dortmund-trabzon`, notes: `null` → `"Vertrag 2014"`\n'
        "\n"
        "### status_history: 1 added, 0 removed, 1 changed\n"
        "\n"
        "- hinzugefügt / added: `hagen-amiens, 2025-05-01, active`\n"
        '- geändert / changed: `dortmund-amiens, 1960-01-01, active`, note: `"signed"` → `"Urkunde unterzeichnet"`\n'
        "\n"
        "### partnership_themes: 0 added, 1 removed, 0 changed\n"
        "\n"
        "- entfernt / removed: `hagen-kartal, economy`\n"
        "\n"
        "### sources: 0 added, 0 removed, 1 changed\n"
        "\n"
        '- geändert / changed: `s2`, published: `"2024-11-19"` → `"2024-11-20"`\n'
    )


def test_diff_of_equal_packages(tmp_path, capsys):
    path = str(write_package(tmp_path / "a").parent)
    assert main(["diff", path, path]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:] == ["no changes"]


def test_a_removed_row_and_a_date_correction(tmp_path, embedded_descriptor):
    """A corrected date is a removed row and an added one: the date is part of the key."""
    rows = copy.deepcopy(BASE_ROWS)
    rows["status_history"][1][1:3] = ["2013-06-01", "month"]
    old = load_package(write_package(tmp_path / "old"))
    new = load_package(write_package(tmp_path / "new", rows))
    changes = package_changes(old.descriptor, package_text_frames(old), new.descriptor, package_text_frames(new))
    history = changes.resources["status_history"]
    assert [(r["date"], r["status"]) for r in history.added] == [("2013-06-01", "in_preparation")]
    assert [(r["date"], r["status"]) for r in history.removed] == [("2013-05-01", "in_preparation")]
    assert history.changed == []
    assert bumped_version("1.4.2", changes) == "1.5.0"  # a status event added


@pytest.mark.parametrize(
    ("version", "resource", "expected"),
    [("1.4.2", "sources", "1.4.3"), ("1.4.2", "partnerships", "1.5.0"), ("0.0.0-synthetic", "sources", "0.0.1")],
)
def test_bumped_version(tmp_path, version, resource, expected):
    rows = copy.deepcopy(BASE_ROWS)
    if resource == "sources":
        rows["sources"][0][1] = "Stadt Dortmund: Partnerstädte"  # a correction
    else:
        rows["partnerships"].append(["hagen-amiens", "de-hagen", "fr-amiens", "friendship", "", ""])
        rows["status_history"].append(["hagen-amiens", "2025-05-01", "month", "active", "signed", "s2"])
    old = load_package(write_package(tmp_path / "old"))
    new = load_package(write_package(tmp_path / "new", rows))
    changes = package_changes(old.descriptor, package_text_frames(old), new.descriptor, package_text_frames(new))
    assert bumped_version(version, changes) == expected


def test_changelog_newest_first():
    first = prepend_changelog(None, "## 0.1.0 (a)\n\nstart\n")
    second = prepend_changelog(first, "## 0.2.0 (b)\n\nmore\n")
    assert second == (
        "# Änderungen / Changelog\n\nNeueste zuerst / newest first.\n\n## 0.2.0 (b)\n\nmore\n\n## 0.1.0 (a)\n\nstart\n"
    )
