"""Downloads dressed for people: the CSV a German office opens in Excel with a double click."""

from __future__ import annotations

import polars as pl

from analysis.package import Package
from dashboard.names import blank, localised
from dashboard.tables import readable_view
from present import i18n

PRECISION = {"day": ("Tag", "day"), "month": ("Monat", "month"), "year": ("Jahr", "year")}


def office_view(view: pl.DataFrame, package: Package) -> pl.DataFrame:
    """The enriched VIEW (with precision) as the partnerships table shows it (headings in the
    language shown, dates at their precision as text, names in that language, blanks for
    nothing), plus the precision of each date in words."""
    german = i18n.lang() == "de"
    words = {p: pair[0] if german else pair[1] for p, pair in PRECISION.items()}
    readable = readable_view(localised(view, package), package)
    precision = view.select(
        pl.col("status_since_precision").replace_strict(words, default=None),
        pl.col("founded_precision").replace_strict(words, default=None),
    )
    since, founded = i18n.column_label("status_since"), i18n.column_label("founded")
    suffix = " (Genauigkeit)" if german else " (precision)"
    return blank(
        readable.with_columns(
            precision["status_since_precision"].alias(since + suffix),
            precision["founded_precision"].alias(founded + suffix),
        )
    )
