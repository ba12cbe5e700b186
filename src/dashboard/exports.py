"""Downloads dressed for people: the CSV a German office opens in Excel with a double click."""

from __future__ import annotations

import polars as pl

from analysis.contract import PRECISIONS
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
