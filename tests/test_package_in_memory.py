"""check_text_frames checks a package held in memory as text frames without writing a file, and
gives exactly what check_package gives for the same frames written as the package's CSV files:
the same problems in the same order, the same typed frames."""

from __future__ import annotations

import tempfile
from pathlib import Path

import polars as pl
from conftest import BASE_ROWS, HEADERS, small_package_descriptor
from hypothesis import given
from polars.testing import assert_frame_equal
from strategies import broken_rows, fuzz

from analysis.keeping.workbook_reading import write_text_package
from analysis.package import check_package, check_text_frames


def text_frames(rows: dict[str, list[list[str]]]) -> dict[str, pl.DataFrame]:
    """ROWS as text frames headed by the schema's fields; a row too short is filled with empty
    text, one too long cut (a frame has no ragged rows; a file does, see test_differential)."""
    frames = {}
    for name, header in HEADERS.items():
        table = [(list(row) + [""] * len(header))[: len(header)] for row in rows.get(name, BASE_ROWS[name])]
        frames[name] = pl.DataFrame(table, schema=dict.fromkeys(header, pl.String), orient="row")
    return frames


def through_files(descriptor: dict, frames: dict[str, pl.DataFrame]):
    """What check_package says of FRAMES written as the package's files (check_text_frames' former way)."""
    with tempfile.TemporaryDirectory() as folder:
        return check_package(write_text_package(descriptor, frames, Path(folder)), descriptor)


def assert_same(descriptor: dict, frames: dict[str, pl.DataFrame]) -> list:
    in_memory, typed = check_text_frames(descriptor, frames)
    from_files, typed_from_files = through_files(descriptor, frames)
    assert in_memory == from_files
    assert set(typed) == set(typed_from_files)
    for name, frame in typed.items():
        assert_frame_equal(frame, typed_from_files[name])
    return in_memory


def test_a_valid_package_checks_the_same_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # any temporary folder would be made here
    frames = text_frames({})
    problems, typed = check_text_frames(small_package_descriptor(), frames)
    assert problems == [] and list(tmp_path.iterdir()) == []
    assert typed["status_history"].height == 4 and typed["status_history"]["date"].dtype == pl.Date
    assert_same(small_package_descriptor(), frames)


def test_broken_cells_give_the_same_problems_at_the_same_rows():
    frames = text_frames(
        {
            "status_history": [
                ["dortmund-amiens", "1960-01-01", "year", "active", "signed", "s1"],
                ["dortmund-trabzon", "31.02.2025", "day", "active", 'says "hi",\nthen; leaves', "s1"],
                ["dortmund-trabzon", "2014-06-12", "day", "sleeping", "", "s9"],
                ["hagen-kartal", "2021-05-31", "day", "proposed", "letter", "s2"],
                ["", "", "", "", "", ""],
            ]
        }
    )
    problems = assert_same(small_package_descriptor(), frames)
    where = {(p.resource, p.row, p.field) for p in problems}
    # by hand: row 3 (the second data row) has no date; row 4 a status and a source that do not
    # exist; row 6 is blank
    assert ("status_history", 3, "date") in where
    assert ("status_history", 4, "status") in where
    assert ("status_history", 4, "source_id") in where
    assert ("status_history", 6, None) in where


def test_empty_text_is_missing_as_an_empty_cell_is():
    frames = text_frames({})
    frames["sources"] = frames["sources"].with_columns(
        pl.when(pl.col("source_id") == "s2").then(pl.lit("")).otherwise(pl.col("title")).alias("title")
    )
    problems = assert_same(small_package_descriptor(), frames)
    assert [(p.resource, p.row, p.field) for p in problems] == [("sources", 3, "title")]  # title is required


def test_a_missing_or_extra_column_is_a_header_problem():
    frames = text_frames({})
    frames["themes"] = frames["themes"].drop("label_en")
    frames["countries"] = frames["countries"].with_columns(pl.lit("x").alias("flag"))
    problems = assert_same(small_package_descriptor(), frames)
    assert {(p.resource, p.row, p.field) for p in problems} >= {("themes", 1, "label_en"), ("countries", 1, "flag")}


def test_an_event_after_created_is_a_business_rule_problem():
    frames = text_frames({})
    late = pl.DataFrame(
        [["hagen-kartal", "2026-11-22", "day", "active", "", "s2", ""]],
        schema=dict.fromkeys(HEADERS["status_history"], pl.String),
        orient="row",
    )
    frames["status_history"] = pl.concat([frames["status_history"], late])
    problems = assert_same(small_package_descriptor(), frames)  # created 2026-11-21
    assert [(p.resource, p.row, p.field) for p in problems] == [("status_history", 6, "date")]


@fuzz(30)
@given(rows=broken_rows())
def test_broken_rows_check_the_same_in_memory_and_from_files(rows):
    assert_same(small_package_descriptor(), text_frames(rows))
