"""Downloads dressed for people: the CSV a German office opens in Excel with a double click."""

from __future__ import annotations

import polars as pl

from analysis.contract import PRECISIONS
from analysis.outputs.export import OFFICE_FORMATS, to_xlsx_bytes
from analysis.package import Package
from present import i18n
from present.names import blank, localised
from present.readable import readable_view


def office_view(view: pl.DataFrame, package: Package) -> pl.DataFrame:
    """The enriched VIEW (with precision) as the partnerships table shows it (headings in the
    language shown, dates at their precision as text, names in that language, blanks for
    nothing), plus the precision of each date in words."""
    words = {p: i18n.t(f"precision_{p}") for p in PRECISIONS}
    readable = readable_view(localised(view, package), package)
    precision = view.select(
        pl.col("status_since_precision").replace_strict(words, default=None),
        pl.col("founded_precision").replace_strict(words, default=None),
    )
    return blank(
        readable.with_columns(
            precision["status_since_precision"].alias(
                i18n.t("with_precision", column=i18n.column_label("status_since"))
            ),
            precision["founded_precision"].alias(i18n.t("with_precision", column=i18n.column_label("founded"))),
        )
    )


def office_xlsx_bytes(view: pl.DataFrame, package: Package, about: tuple[str, list[str]] | None = None) -> bytes:
    """The "Excel" download like the "CSV für Excel": the partnerships table as shown (headings,
    labels and names in the language shown), but dates as Excel dates at their precision
    (12.06.2014, 05/2013, 1960: a month or a year never shows a day)."""
    table = office_view(view, package)
    dates = {i18n.column_label(column): column for column in ("status_since", "founded")}
    table = table.with_columns(view[column].alias(heading) for heading, column in dates.items())
    precisions = {heading: view[f"{column}_precision"].to_list() for heading, column in dates.items()}
    sheet = i18n.t("partnerships_sheet")
    return to_xlsx_bytes(table, sheet=sheet, about=about, precisions=precisions, formats=OFFICE_FORMATS)
