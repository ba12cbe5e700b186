"""Our one-pass checks against frictionless, the standard: whatever `frictionless validate`
rejects, we reject too, and we point at the same resource and row.

We may be stricter (" 5" is no integer for us, "2099-1-1" no date), never more lenient. The
corpus is the fuzz strategies of tests/strategies.py and the worked cases of the bad-input
tests and of the issue that brought the one reader.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from calm_answers import guarded
from conftest import BASE_ROWS, HEADERS, temporary_package, write_package
from hypothesis import given
from strategies import BROKEN_PACKAGES, fuzz

from analysis.package import validate_package
from analysis.package.paths import read_descriptor, resource_path_problems
from analysis.package.reference import frictionless_problems
from analysis.problems import NotADataPackage, Problem


def assert_agrees(path: Path) -> list[Problem]:
    """OUR problems and frictionless' for the package at PATH: rejected by both or neither (or
    by us alone), and where frictionless names rows of a resource, we name one of them too."""
    with guarded():
        try:
            ours = validate_package(path)
        except NotADataPackage:
            return []
        if resource_path_problems(read_descriptor(path), path.parent):
            assert ours, "a path frictionless must not see was let through"
            return ours  # never handed to frictionless: it would fetch or read outside
        theirs = frictionless_problems(path)
    if theirs:
        assert ours, f"frictionless rejects, we accept: {theirs[:3]}"
    if any(p.row in (None, 1) for p in ours):
        return ours  # we refused the descriptor, a file or its header (row 1) before reading the rows
    their_rows: dict[str, set[int]] = {}
    for problem in theirs:
        if problem.row is not None:
            their_rows.setdefault(problem.resource, set()).add(problem.row)
    for resource, rows in their_rows.items():
        our_rows = {p.row for p in ours if p.resource == resource}
        assert our_rows & rows, (
            f"{resource}: frictionless names rows {sorted(rows)}, we name {sorted(r for r in our_rows if r)}; "
            f"theirs {[str(p) for p in theirs if p.resource == resource][:3]}, ours {[str(p) for p in ours][:3]}"
        )
    return ours


@fuzz(80)  # about half of them of each kind
@given(broken=BROKEN_PACKAGES)
def test_broken_rows_and_csv_bytes_agree_with_frictionless(broken):
    with temporary_package(*broken) as path:
        assert_agrees(path)


def _with_cell(resource: str, row: int, field: str, value: str) -> dict[str, list[list[str]]]:
    rows = copy.deepcopy(BASE_ROWS[resource])
    rows[row][HEADERS[resource].index(field)] = value
    return {resource: rows}


# (resource, row index in BASE_ROWS, field, cell) -> the file row (header = 1) we must name
WORKED_CELLS = [
    ("municipalities", 0, "population", " 5", 2),
    ("municipalities", 1, "population", "99999999999999999999", 3),
    ("municipalities", 2, "latitude", "einundfünfzig", 4),
    ("status_history", 3, "date", "2099-1-1", 5),
    ("status_history", 0, "date", "2020-02-30", 2),
    ("status_history", 1, "status", "Active", 3),
    ("partnership_themes", 1, "theme_id", "music", 3),
    ("sources", 1, "url", "no url at all", 3),
    ("countries", 2, "country_code", "tr", 4),
]


@pytest.mark.parametrize("resource, index, field, cell, row", WORKED_CELLS)
def test_worked_cells_agree_and_name_the_row(tmp_path, resource, index, field, cell, row):
    problems = assert_agrees(write_package(tmp_path / "p", _with_cell(resource, index, field, cell)))
    assert (resource, row, field) in [(p.resource, p.row, p.field) for p in problems]


def test_cr_only_line_endings_are_read_as_frictionless_reads_them(tmp_path):
    path = write_package(tmp_path / "p")
    partnerships = path.parent / "data" / "partnerships.csv"
    partnerships.write_bytes(partnerships.read_bytes().replace(b"\r\n", b"\r"))
    assert assert_agrees(path) == []


@pytest.mark.parametrize("cell", ['x"y', '"x"y', '"x""y"'])
def test_quotes_inside_cells_agree(tmp_path, cell):
    path = write_package(tmp_path / "p")
    notes = path.parent / "data" / "partnerships.csv"
    lines = notes.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rstrip(",") + "," + cell  # notes: the last cell of the first partnership
    notes.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    assert_agrees(path)


def test_the_embedded_package_passes_both(tmp_path):
    from analysis.package.paths import EMBEDDED_DESCRIPTOR

    assert assert_agrees(EMBEDDED_DESCRIPTOR) == []
    assert json.loads(EMBEDDED_DESCRIPTOR.read_text(encoding="utf-8"))["resources"]
