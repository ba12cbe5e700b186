"""Plain Polars expressions against pandera's Polars backend, on one resource: a measurement
behind a design choice (docs/architecture.md, "How a package is checked"), not part of the test suite.

    uv run partnerships synth --partnerships 100000 --out /tmp/synth-100k
    uv run --with "pandera[polars]==0.35.0" python bench/pandera_compare.py /tmp/synth-100k

It checks status_history's types, enums, required cells and primary key both ways, three
times each, and prints the seconds.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pandera.polars as pa
import polars as pl

from analysis.contract import PRECISIONS, STATUSES

KEY = ["partnership_id", "date", "status"]


def main(folder: str) -> None:
    text = pl.read_csv(Path(folder) / "data" / "status_history.csv", infer_schema=False)
    typed = text.with_columns(pl.col("date").str.to_date("%Y-%m-%d", strict=False))
    schema = pa.DataFrameSchema(
        {
            "partnership_id": pa.Column(str, nullable=False),
            "date": pa.Column(pl.Date, nullable=False),
            "date_precision": pa.Column(str, pa.Check.isin(PRECISIONS), nullable=False),
            "status": pa.Column(str, pa.Check.isin(STATUSES), nullable=False),
            "note": pa.Column(str, nullable=True),
            "source_id": pa.Column(str, nullable=False),
        },
        unique=KEY,
    )
    for _ in range(3):
        started = time.perf_counter()
        try:
            schema.validate(typed, lazy=True)
        except pa.errors.SchemaErrors as errors:
            print(f"pandera: {len(errors.failure_cases)} failures")
        pandera_s = time.perf_counter() - started
        started = time.perf_counter()
        broken = typed.with_row_index("row", offset=2).filter(
            pl.any_horizontal(pl.col("partnership_id", "date", "source_id").is_null())
            | ~pl.col("date_precision").is_in(PRECISIONS)
            | ~pl.col("status").is_in(STATUSES)
            | ~pl.struct(KEY).is_first_distinct()
        )
        plain_s = time.perf_counter() - started
        figures = f"pandera {pandera_s:.3f} s, plain expressions {plain_s:.3f} s"
        print(f"{typed.height:,} rows: {figures} ({broken.height} broken)")


if __name__ == "__main__":
    main(sys.argv[1])
