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


def to_office_csv_bytes(frame: pl.DataFrame) -> bytes:
    """A CSV as German spreadsheet programs open it with a double click: `;` between fields,
    decimal commas, UTF-8 with BOM. FRAME is already dressed for people (headings, dates as text)."""
    text = neutralise_formulas(frame).write_csv(separator=";", decimal_comma=True)
    return "\ufeff".encode() + text.encode("utf-8")


def to_json_bytes(frame: pl.DataFrame) -> bytes:
    """An array of row objects; dates as ISO text."""

    def default(value: object) -> str:
        if isinstance(value, date | datetime):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return (json.dumps(frame.to_dicts(), ensure_ascii=False, indent=1, default=default) + "\n").encode()


# Excel number formats per date precision: a month-precision date never shows a day.
PRECISION_FORMATS = {"day": "yyyy-mm-dd", "month": "yyyy-mm", "year": "yyyy"}
# as German offices write them, like the "CSV für Excel": 12.06.2014, 05/2013, 1960
OFFICE_FORMATS = {"day": "dd.mm.yyyy", "month": "mm/yyyy", "year": "yyyy"}


def to_xlsx_bytes(
    frame: pl.DataFrame,
    sheet: str = "partnerships",
    about: tuple[str, list[str]] | None = None,
    precisions: dict[str, list[str | None]] | None = None,
    formats: dict[str, str] = PRECISION_FORMATS,
) -> bytes:
    """One worksheet: the heading row frozen, an autofilter, columns as wide as their content
    (within limits); dates as Excel dates shown at their precision (FORMATS), where PRECISIONS
    gives it per date column or a column `X_precision` does for date column X (1950 → "1950",
    05/2024 → "2024-05"; a month or a year never shows a day). With ABOUT (a sheet name and its
    lines: the as-of date, the filters, the source), a second sheet says what the table shows."""
    import xlsxwriter  # polars writes Excel through it

    buffer = io.BytesIO()
    with xlsxwriter.Workbook(buffer, {"in_memory": True}) as workbook:
        safe = neutralise_formulas(frame)
        safe.write_excel(
            workbook,
            worksheet=sheet[:31],
            autofit=True,
            autofilter=True,
            freeze_panes=(1, 0),
            dtype_formats={pl.Date: formats["day"]},
        )
        worksheet = workbook.get_worksheet_by_name(sheet[:31])
        cell_formats = {p: workbook.add_format({"num_format": f}) for p, f in formats.items()}
        for index, name in enumerate(safe.columns):
            given = (precisions or {}).get(name)
            if given is None and f"{name}_precision" in safe.columns:
                given = safe[f"{name}_precision"].to_list()
            if safe.schema[name] == pl.Date and given is not None:
                for row, (value, precision) in enumerate(zip(safe[name].to_list(), given, strict=True), start=1):
                    if value is not None:
                        worksheet.write_datetime(row, index, value, cell_formats.get(precision, cell_formats["day"]))
        for index, name in enumerate(safe.columns):  # autofit leaves long text far too wide
            longest = max([len(name), *(len(str(v)) for v in safe[name].head(500).to_list() if v is not None)])
            worksheet.set_column(index, index, min(max(longest + 2, 8), 60))
        if about is not None:
            name, lines = about
            notes = workbook.add_worksheet(name[:31])
            notes.set_column(0, 0, min(max((len(line) for line in lines), default=8), 120))
            for row, line in enumerate(lines):
                notes.write_string(row, 0, line)  # as text: a line starting with "=" stays text
    return buffer.getvalue()


def write_frame(frame: pl.DataFrame, fmt: str, out: BinaryIO) -> None:
    """Write `frame` to a binary stream in one of FORMATS."""
    writers = {"csv": to_csv_bytes, "json": to_json_bytes, "xlsx": to_xlsx_bytes}
    if fmt not in writers:
        raise ValueError(f"unknown format '{fmt}', choose one of {', '.join(FORMATS)}")
    out.write(writers[fmt](frame))
