"""The CSV dialect a resource declares, one answer for every reader and writer: the validator's
reader, the workbook's text frames and the import's writer all follow it.

frictionless accepts the dialect flat (`{"delimiter": ";"}`) or nested under `csv`
(`{"csv": {"delimiter": ";"}}`); a flat key wins where both are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import polars as pl


@dataclass(frozen=True)
class Dialect:
    delimiter: str = ","
    quote: str = '"'


def dialect_options(resource: dict) -> dict:
    """Every dialect key a resource declares, the nested `csv` ones overridden by flat ones."""
    dialect = resource.get("dialect") if isinstance(resource.get("dialect"), dict) else {}
    nested = dialect.get("csv") if isinstance(dialect.get("csv"), dict) else {}
    return {**nested, **dialect}


def dialect_of(resource: dict) -> Dialect:
    """The delimiter and quote character a resource declares (frictionless' defaults otherwise)."""
    options = dialect_options(resource)
    return Dialect(delimiter=options.get("delimiter") or ",", quote=options.get("quoteChar") or '"')


def read_csv_text(path: Path, dialect: Dialect) -> pl.DataFrame:
    """The CSV file at PATH as text, every column a string, empty cells null."""
    return pl.read_csv(path, infer_schema=False, separator=dialect.delimiter, quote_char=dialect.quote, encoding="utf8")


def write_csv_text(frame: pl.DataFrame, path: Path, dialect: Dialect) -> None:
    """FRAME written to PATH as the embedded CSVs are written: the dialect's delimiter and quote,
    a line feed after every row."""
    frame.write_csv(path, line_terminator="\n", separator=dialect.delimiter, quote_char=dialect.quote)
