"""Reading a resource once, strictly, as text.

The one reader is Apache Arrow's CSV reader (pyarrow, which Streamlit and Polars already
bring): it follows the declared delimiter and quote character, keeps quoted line breaks, and
names every row whose number of cells differs from the header, by its row number. What it
cannot follow is refused up front (`analysis.package.support`) rather than read differently
from what frictionless would check; casting the text follows in `analysis.package.casting`.

A package held in memory as text frames (changes made in the dashboard's edit mode) meets the
same rules without a file (`text_frame_in_memory`): the same header check, empty text as the
missing value, blank rows named; casting and everything after it is shared.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv

from analysis.package.dialect import Dialect
from analysis.problems import MAX_PROBLEMS_PER_RULE, Problem, row_problems, too_many


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def read_text_frame(
    resource: str, file: Path, dialect: Dialect, field_names: list[str]
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The resource as text, one column per field, empty cells as null, file order kept; or
    None with the problems that stop it being read (encoding, structure, header)."""
    try:
        data = file.read_bytes()
    except OSError as error:
        return None, [Problem(resource, None, None, code="reader_unreadable", params={"reason": error.strerror})]
    if not data or (len(data) < 4096 and not data.strip()):
        return None, [Problem(resource, None, None, code="reader_empty_file")]
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = _line_of(data, error.start)
        return None, [Problem(resource, None, None, code="reader_not_utf8", params={"line": line})]
    ragged: list[tuple[int | None, int, int]] = []

    def on_ragged_row(row) -> str:
        ragged.append((row.number, row.expected_columns, row.actual_columns))
        return "skip"

    try:
        table = _arrow_table(data, dialect, len(field_names), on_ragged_row)
    except (pa.ArrowException, OverflowError, ValueError) as error:
        message = str(error).splitlines()[0] if str(error) else type(error).__name__
        return None, [Problem(resource, None, None, code="reader_not_csv", params={"reason": message})]
    return _checked_text(resource, table, ragged, field_names)


BLOCK_BYTES = 4 * 1024 * 1024  # what Arrow parses at a time; a longer record takes the whole file


def _arrow_table(data: bytes, dialect: Dialect, width: int, on_ragged_row) -> pa.Table:
    """DATA parsed as CSV: every cell as text, the header as the first row."""
    try:
        return _parse(data, dialect, width, on_ragged_row, BLOCK_BYTES)
    except pa.ArrowInvalid as error:
        if "straddl" not in str(error) or len(data) <= BLOCK_BYTES:
            raise
        return _parse(data, dialect, width, on_ragged_row, len(data) + 1)


def _parse(data: bytes, dialect: Dialect, width: int, on_ragged_row, block_size: int) -> pa.Table:
    return pa_csv.read_csv(
        pa.py_buffer(data),
        read_options=pa_csv.ReadOptions(use_threads=False, autogenerate_column_names=True, block_size=block_size),
        parse_options=pa_csv.ParseOptions(
            delimiter=dialect.delimiter,
            quote_char=dialect.quote,
            double_quote=True,
            escape_char=False,
            newlines_in_values=True,
            ignore_empty_lines=False,
            invalid_row_handler=on_ragged_row,
        ),
        convert_options=pa_csv.ConvertOptions(
            column_types={f"f{i}": pa.string() for i in range(width + 64)},
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )


def _checked_text(
    resource: str, table: pa.Table, ragged: list[tuple[int | None, int, int]], field_names: list[str]
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """The parsed table as a text frame, once its rows and header are as the schema says."""
    problems = [
        Problem(resource, number, None, code="reader_ragged_row", params={"cells": actual, "header": expected})
        for number, expected, actual in ragged[:MAX_PROBLEMS_PER_RULE]
    ]
    if len(ragged) > MAX_PROBLEMS_PER_RULE:
        problems.append(too_many(resource, None, len(ragged) - MAX_PROBLEMS_PER_RULE))
    if table.num_rows == 0:
        return None, [Problem(resource, None, None, code="reader_no_header")]
    labels = [str(value).strip() for value in table.slice(0, 1).to_pylist()[0].values()]
    if labels != field_names:
        problems += _header_problems(resource, labels, field_names)
    if problems:
        return None, problems
    frame = pl.from_arrow(table.slice(1))
    assert isinstance(frame, pl.DataFrame)
    return _text_cells(resource, frame.rename(dict(zip(frame.columns, field_names, strict=True))))


def _text_cells(resource: str, frame: pl.DataFrame) -> tuple[pl.DataFrame, list[Problem]]:
    """FRAME (text, headed by the schema's field names) with empty text as the missing value, and
    its blank rows as problems."""
    frame = frame.with_columns(pl.when(pl.col(name) != "").then(pl.col(name)).alias(name) for name in frame.columns)
    blank = frame.with_row_index("row", offset=2).filter(pl.all_horizontal(pl.exclude("row").is_null()))
    return frame, row_problems(resource, blank, None, "reader_blank_row")


def text_frame_in_memory(
    resource: str, frame: pl.DataFrame, field_names: list[str]
) -> tuple[pl.DataFrame | None, list[Problem]]:
    """read_text_frame for a resource held in memory as text (one column per field, in file
    order): its column names checked as a file's header is, empty text taken as missing, blank
    rows named; or None with the header's problems. Columns that are not text are taken as the
    text Polars writes for them."""
    labels = [str(name).strip() for name in frame.columns]
    if labels != field_names:
        return None, _header_problems(resource, labels, field_names)
    frame = frame.rename(dict(zip(frame.columns, field_names, strict=True)))
    return _text_cells(resource, frame.with_columns(pl.all().cast(pl.String)))


def _header_problems(resource: str, labels: list[str], fields: list[str]) -> list[Problem]:
    problems = []
    for position, (found, expected) in enumerate(zip(labels, fields, strict=False), start=1):
        if found != expected:
            params = {"position": position, "found": found, "expected": expected}
            problems.append(Problem(resource, 1, expected, code="reader_heading_differs", params=params))
    for missing in fields[len(labels) :]:
        problems.append(Problem(resource, 1, missing, code="reader_column_missing"))
    for extra in labels[len(fields) :]:
        problems.append(Problem(resource, 1, extra or None, code="reader_column_extra", params={"column": extra}))
    return problems
