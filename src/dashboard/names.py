"""One language at a time: names from the data in the language shown, empty cells blank."""

from __future__ import annotations

import polars as pl

from analysis.package import Package
from present import i18n


def localised(view: pl.DataFrame, package: Package) -> pl.DataFrame:
    """The enriched VIEW with home_name, partner_name and partner_country in the language shown:
    in English the names_en the data carries (where a name has none, the name as written)."""
    if i18n.lang() == "de" or view.is_empty():
        return view
    places = package["municipalities"]
    english = {k: v for k, v in zip(places["municipality_id"], places["name_en"], strict=True) if v}
    countries = {
        k: v for k, v in zip(package["countries"]["country_code"], package["countries"]["name_en"], strict=True) if v
    }
    columns = []
    if "home_id" in view.columns and "home_name" in view.columns:
        columns.append(
            pl.col("home_id").replace_strict(english, default=None).fill_null(pl.col("home_name")).alias("home_name")
        )
    if "partner_id" in view.columns and "partner_name" in view.columns:
        columns.append(
            pl.col("partner_id")
            .replace_strict(english, default=None)
            .fill_null(pl.col("partner_name"))
            .alias("partner_name")
        )
    if "partner_country_code" in view.columns and "partner_country" in view.columns:
        columns.append(
            pl.col("partner_country_code")
            .replace_strict(countries, default=None)
            .fill_null(pl.col("partner_country"))
            .alias("partner_country")
        )
    return view.with_columns(columns)


def blank(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty text cells as blanks, not "None"."""
    return frame.with_columns(pl.col(pl.String).fill_null(""))
