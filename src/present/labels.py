"""Frames labelled for a reader: status, kind, continent and theme labels in the current language,
and dates written at their precision."""

from __future__ import annotations

import polars as pl

from analysis.contract import CONTINENTS, KINDS, STATUSES
from analysis.package import Package
from analysis.questions.filter_options import theme_labels
from present import i18n


def with_labels(frame: pl.DataFrame) -> pl.DataFrame:
    """Add status_label, kind_label, continent_label (and stack_order) where the codes are present."""
    columns = []
    if "status" in frame.columns:
        columns.append(
            pl.col("status")
            .replace_strict({s: i18n.status_label(s) for s in STATUSES}, default=pl.col("status"))
            .alias("status_label")
        )
        columns.append(
            pl.col("status").replace_strict({s: i for i, s in enumerate(STATUSES)}, default=99).alias("stack_order")
        )
    if "kind" in frame.columns:
        columns.append(
            pl.col("kind")
            .replace_strict({k: i18n.kind_label(k) for k in KINDS}, default=pl.col("kind"))
            .alias("kind_label")
        )
    for code_column in ("partner_continent", "continent"):
        if code_column in frame.columns:
            columns.append(
                pl.col(code_column)
                .replace_strict({c: i18n.continent_label(c) for c in CONTINENTS}, default=pl.col(code_column))
                .alias("continent_label")
            )
            break
    return frame.with_columns(columns)


def at_precision(frame: pl.DataFrame, column: str, precision_column: str, alias: str | None = None) -> pl.DataFrame:
    """Replace a date column by its text at the row's precision (1950, 05/2024, 25.11.2019);
    PRECISION_COLUMN may instead name one precision for all rows ("day")."""
    precision = pl.col(precision_column) if precision_column in frame.columns else pl.lit(precision_column)
    return frame.with_columns(i18n.precision_text(pl.col(column), precision).alias(alias or column))


def theme_names(package: Package) -> dict[str, str]:
    """Each theme's label by id, in the current language."""
    return theme_labels(package, i18n.lang())


def with_theme_labels(frame: pl.DataFrame, names: dict[str, str]) -> pl.DataFrame:
    """FRAME with `theme_label`: its theme_id's name in NAMES (theme_names), or the id itself."""
    return frame.with_columns(pl.col("theme_id").replace_strict(names, default=pl.col("theme_id")).alias("theme_label"))


def themes_text(column: str, names: dict[str, str]) -> pl.Expr:
    """COLUMN's ";"-joined theme ids as their labels in NAMES (theme_names), joined by ", "."""
    return (
        pl.col(column)
        .str.split(";")
        .list.eval(pl.element().filter(pl.element() != "").replace_strict(names, default=pl.element()))
        .list.join(", ")
        .alias(column)
    )
