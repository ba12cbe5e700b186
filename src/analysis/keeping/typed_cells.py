"""What people type into a workbook's cells (or a form's fields), as the CSV text a package holds.

Dates in three precisions (25.11.2019, 11/2019, 2019, or a date cell), ids trimmed, numbers typed
as text with spaces or a German decimal comma; every cell that is no date where a date belongs
is a problem naming sheet, the row Excel shows and the column heading.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from analysis.keeping.xlsx_inspection import sheet_problem
from analysis.problems import Problem

# what people type into a date column, and the precision it states
DAY_ISO = r"^(\d{4})-(\d{2})-(\d{2})(?: 00:00:00)?$"  # a date cell (calamine) or ISO text
DAY_GERMAN = r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"  # 25.11.2019
MONTH = r"^(\d{1,2})[/.](\d{4})$"  # 11/2019 or 11.2019
YEAR = r"^(\d{4})$"  # 2019 (text or a number cell)


FIRST_YEAR, LAST_YEAR = 1900, 2100  # the years a date in a workbook may have


@dataclass(frozen=True)
class Sheet:
    """One resource's sheet as read: the text frame and, per row, the row number Excel shows."""

    frame: pl.DataFrame
    excel_rows: list[int]


def _strip(expr: pl.Expr) -> pl.Expr:
    stripped = expr.str.strip_chars()
    return pl.when(stripped == "").then(None).otherwise(stripped)


def _id_like(field: dict, keys: set[str]) -> bool:
    constraints = field.get("constraints") or {}
    return field["name"] in keys or "pattern" in constraints or "enum" in constraints


def _date_columns(value: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(ISO date text, precision) of what was typed; both null when it is no date form."""
    day_iso = value.str.extract_groups(DAY_ISO)
    day_de = value.str.extract_groups(DAY_GERMAN)
    month = value.str.extract_groups(MONTH)
    year = value.str.extract(YEAR, 1)
    iso_day = day_iso.struct.field("1") + "-" + day_iso.struct.field("2") + "-" + day_iso.struct.field("3")
    de_day = (
        day_de.struct.field("3")
        + "-"
        + day_de.struct.field("2").str.zfill(2)
        + "-"
        + day_de.struct.field("1").str.zfill(2)
    )
    month_day = month.struct.field("2") + "-" + month.struct.field("1").str.zfill(2) + "-01"
    text = pl.coalesce(iso_day, de_day, month_day, year + "-01-01")
    precision = (
        pl.when(iso_day.is_not_null() | de_day.is_not_null())
        .then(pl.lit("day"))
        .when(month_day.is_not_null())
        .then(pl.lit("month"))
        .when(year.is_not_null())
        .then(pl.lit("year"))
    )
    parsed = text.str.to_date("%Y-%m-%d", strict=False)
    # a date cell holding -1 is read as 1899-12-30: no date of this register lies outside these years
    real = parsed.dt.year().is_between(FIRST_YEAR, LAST_YEAR).fill_null(False)
    return pl.when(real).then(text), pl.when(real).then(precision)


def _outside_years(value: pl.Expr) -> pl.Expr:
    """Whether what was typed is a date in one of the three forms, but outside FIRST_YEAR–LAST_YEAR."""
    day = value.str.extract_groups(DAY_ISO).struct.field("1")
    german = value.str.extract_groups(DAY_GERMAN).struct.field("3")
    month = value.str.extract_groups(MONTH).struct.field("2")
    year = pl.coalesce(day, german, month, value.str.extract(YEAR, 1)).cast(pl.Int64, strict=False)
    return year.is_not_null() & ~year.is_between(FIRST_YEAR, LAST_YEAR)


def normalise_cells(
    name: str, sheet: Sheet, resource: dict, headings: dict[str, str]
) -> tuple[pl.DataFrame, list[Problem]]:
    """The sheet's cells as the CSV text of RESOURCE; problems for dates that are no dates and
    precisions that do not fit their date."""
    schema = resource.get("schema") or {}
    fields = schema.get("fields") or []
    keys = set(schema.get("primaryKey") or [])
    for key in schema.get("foreignKeys") or []:
        keys |= set([key.get("fields")] if isinstance(key.get("fields"), str) else key.get("fields") or [])
    frame = sheet.frame.rename({text: field for field, text in headings.items()}).select(list(headings))
    has_precision = "date_precision" in frame.columns
    columns = []
    for field in fields:
        column, kind = pl.col(field["name"]), field.get("type", "string")
        if kind in ("integer", "number"):
            cleaned = _strip(column).str.replace_all(r"[\s\u00a0\u202f]", "")
            if kind == "number":  # a German decimal comma, typed as text
                cleaned = (
                    pl.when(cleaned.str.contains(r"^-?\d+,\d+$")).then(cleaned.str.replace(",", ".")).otherwise(cleaned)
                )
            columns.append(cleaned.alias(field["name"]))
        elif kind == "date":
            columns.append(_strip(column).alias(field["name"]))
        elif _id_like(field, keys):
            columns.append(_strip(column).alias(field["name"]))
        else:
            columns.append(pl.when(column.str.strip_chars() == "").then(None).otherwise(column).alias(field["name"]))
    frame = frame.with_columns(columns).with_columns(pl.Series("_row", sheet.excel_rows, dtype=pl.Int64))
    problems = []
    for field in fields:
        if field.get("type") != "date":
            continue
        fname = field["name"]
        iso, precision = _date_columns(pl.col(fname))
        frame = frame.with_columns(iso.alias("_iso"), precision.alias("_precision"))
        bad = frame.filter(pl.col(fname).is_not_null() & pl.col("_iso").is_null()).with_columns(
            _outside_years(pl.col(fname)).alias("_outside")
        )
        code = "workbook_not_a_date" if has_precision else "workbook_not_a_day"
        problems += [
            sheet_problem(
                name,
                row["_row"],
                headings[fname],
                "workbook_date_out_of_range" if row["_outside"] else code,
                value=row[fname],
            )
            for row in bad.select("_row", fname, "_outside").iter_rows(named=True)
        ]
        if has_precision and fname == "date":
            given = pl.col("date_precision")
            fits = (
                given.is_null()
                | (given == pl.col("_precision"))
                # a date cell on the 1st stands for its month or year when the precision says so
                | ((pl.col("_precision") == "day") & (given == "month") & pl.col("_iso").str.ends_with("-01"))
                | ((pl.col("_precision") == "day") & (given == "year") & pl.col("_iso").str.ends_with("-01-01"))
                | ~given.is_in(["day", "month", "year"])  # the validator names an unknown precision
            )
            unfit = frame.filter(pl.col("_iso").is_not_null() & ~fits)
            problems += [
                sheet_problem(
                    name,
                    row["_row"],
                    headings["date_precision"],
                    f"workbook_precision_unfit_{row['_precision']}",
                    precision=row["date_precision"],
                    date=row["date"],
                )
                for row in unfit.iter_rows(named=True)
            ]
            frame = frame.with_columns(
                pl.coalesce(given, pl.col("_precision")).alias("date_precision"),
            )
        else:
            # a date without a precision field (sources.published) must be a whole day
            vague = frame.filter(pl.col("_iso").is_not_null() & (pl.col("_precision") != "day"))
            problems += [
                sheet_problem(name, row["_row"], headings[fname], "workbook_not_whole_day", value=row[fname])
                for row in vague.select("_row", fname).iter_rows(named=True)
            ]
        frame = frame.with_columns(pl.coalesce(pl.col("_iso"), pl.col(fname)).alias(fname)).drop("_iso", "_precision")
    return frame, problems
