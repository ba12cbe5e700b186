"""Writing frames as CSV, JSON and Excel that open cleanly and safely."""

from __future__ import annotations

import io
import json
from datetime import date, datetime
from typing import BinaryIO

import polars as pl

FORMATS = ("csv", "json", "xlsx")
# A spreadsheet treats a cell starting with these as a formula (CSV injection).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(frame: pl.DataFrame) -> pl.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with an apostrophe.

    Only text columns are touched, so numbers stay numbers.
    """
    text_columns = [name for name, dtype in frame.schema.items() if dtype == pl.String]
    pattern = "^[" + "".join("\\" + c if c in "-+" else c for c in FORMULA_TRIGGERS) + "]"
    return frame.with_columns(
        pl.when(pl.col(name).str.contains(pattern)).then(pl.lit("'") + pl.col(name)).otherwise(pl.col(name)).alias(name)
        for name in text_columns
    )


def to_csv_bytes(frame: pl.DataFrame, excel_bom: bool = False) -> bytes:
    """UTF-8 CSV with a header row; with `excel_bom` a BOM so spreadsheets read umlauts right."""
    text = neutralise_formulas(frame).write_csv()
    return ("\ufeff" if excel_bom else "").encode() + text.encode("utf-8")


def to_json_bytes(frame: pl.DataFrame) -> bytes:
    """An array of row objects; dates as ISO text."""

    def default(value: object) -> str:
        if isinstance(value, date | datetime):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return (json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1, default=default) + "\n").encode()


def to_xlsx_bytes(frame: pl.DataFrame, sheet: str = "partnerships") -> bytes:
    """One worksheet with a header row and autofilter; dates as Excel dates."""
    buffer = io.BytesIO()
    neutralise_formulas(frame).write_excel(
        buffer, worksheet=sheet[:31], autofit=True, dtype_formats={pl.Date: "yyyy-mm-dd"}
    )
    return buffer.getvalue()


def write_frame(frame: pl.DataFrame, fmt: str, out: BinaryIO) -> None:
    """Write `frame` to a binary stream in one of FORMATS."""
    writers = {"csv": to_csv_bytes, "json": to_json_bytes, "xlsx": to_xlsx_bytes}
    if fmt not in writers:
        raise ValueError(f"unknown format '{fmt}', choose one of {', '.join(FORMATS)}")
    out.write(writers[fmt](frame))
