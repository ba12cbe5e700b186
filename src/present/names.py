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
    # (code column, name column, the name in English by code)
    named = [
        ("home_id", "home_name", english),
        ("partner_id", "partner_name", english),
        ("partner_country_code", "partner_country", countries),
    ]
    columns = [
        pl.col(code).replace_strict(names, default=None).fill_null(pl.col(name)).alias(name)
        for code, name, names in named
        if code in view.columns and name in view.columns
    ]
    return view.with_columns(columns)


def blank(frame: pl.DataFrame) -> pl.DataFrame:
    """Empty text cells as blanks, not "None"."""
    return frame.with_columns(pl.col(pl.String).fill_null(""))
