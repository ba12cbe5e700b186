"""Counts the pages chart. Each takes an enriched view that is already filtered
(`enriched_view(frames, as_of, filters)`), so every aggregate obeys the same filter set.
"""

from __future__ import annotations

import polars as pl

from analysis.contract import CONTINENTS, INHABITED_CONTINENTS, KINDS, STATUSES

COUNT = "partnerships"


def _enum_frame(column: str, values: tuple[str, ...]) -> pl.DataFrame:
    return pl.DataFrame({column: list(values), "order": list(range(len(values)))})


def partnerships_by_status(view: pl.DataFrame) -> pl.DataFrame:
    """status, partnerships: every status of the contract, in its order, zero where none."""
    counts = view.group_by("status").agg(pl.len().cast(pl.Int64).alias(COUNT))
    return (
        _enum_frame("status", STATUSES)
        .join(counts, on="status", how="left")
        .with_columns(pl.col(COUNT).fill_null(0))
        .sort("order")
        .drop("order")
    )


def partnerships_by_kind(view: pl.DataFrame) -> pl.DataFrame:
    """kind, partnerships: kinds that occur, in the contract's order."""
    counts = view.group_by("kind").agg(pl.len().cast(pl.Int64).alias(COUNT))
    return _enum_frame("kind", KINDS).join(counts, on="kind", how="inner").sort("order").drop("order")


def partnerships_by_continent(view: pl.DataFrame, every_continent: bool = False) -> pl.DataFrame:
    """partner_continent, status, partnerships: the stacked counts, continents in contract order.
    With EVERY_CONTINENT, each inhabited continent without a partnership is there too, as one
    row (status active, 0 partnerships), so a chart shows it as zero rather than leaving it out."""
    counts = view.group_by("partner_continent", "status").agg(pl.len().cast(pl.Int64).alias(COUNT))
    if every_continent:
        missing = [c for c in INHABITED_CONTINENTS if c not in set(counts["partner_continent"].to_list())]
        counts = pl.concat(
            [
                counts,
                pl.DataFrame(
                    {"partner_continent": missing, "status": ["active"] * len(missing), COUNT: [0] * len(missing)},
                    schema=counts.schema,
                ),
            ]
        )
    status_order = _enum_frame("status", STATUSES).rename({"order": "status_order"})
    return (
        counts.join(_enum_frame("partner_continent", CONTINENTS), on="partner_continent", how="left")
        .join(status_order, on="status", how="left")
        .sort("order", "status_order")
        .drop("order", "status_order")
    )


def partnerships_by_home(view: pl.DataFrame) -> pl.DataFrame:
    """home_id, home_name, status, partnerships."""
    status_order = _enum_frame("status", STATUSES)
    return (
        view.group_by("home_id", "home_name", "status")
        .agg(pl.len().cast(pl.Int64).alias(COUNT))
        .join(status_order, on="status", how="left")
        .sort("home_name", "order")
        .drop("order")
    )


def partnerships_by_theme(exploded: pl.DataFrame, themes: pl.DataFrame) -> pl.DataFrame:
    """theme_id, label_de, label_en, partnerships: most frequent first (from theme rows)."""
    counts = exploded.group_by("theme_id").agg(pl.len().cast(pl.Int64).alias(COUNT))
    return (
        counts.join(themes.select("theme_id", "label_de", "label_en"), on="theme_id", how="left")
        .select("theme_id", "label_de", "label_en", COUNT)
        .sort([COUNT, "theme_id"], descending=[True, False])
    )


def themes_by_home(exploded: pl.DataFrame, top: int | None = None) -> pl.DataFrame:
    """home_id, home_name, theme_id, partnerships: the heatmap's cells (theme rows:
    analysis.questions.enriched.theme_rows_of); with TOP only for the TOP home cities with the most theme mentions."""
    cells = exploded.group_by("home_id", "home_name", "theme_id").agg(pl.len().cast(pl.Int64).alias(COUNT))
    if top is not None:
        leaders = (
            cells.group_by("home_id").agg(pl.col(COUNT).sum()).top_k(top, by=[COUNT, "home_id"], reverse=[False, True])
        )
        cells = cells.join(leaders.select("home_id"), on="home_id", how="semi")
    return cells.sort("home_name", "theme_id")


def themes_by_continent(exploded: pl.DataFrame) -> pl.DataFrame:
    """partner_continent, theme_id, partnerships (theme rows: analysis.questions.enriched.theme_rows_of)."""
    return (
        exploded.group_by("partner_continent", "theme_id")
        .agg(pl.len().cast(pl.Int64).alias(COUNT))
        .sort("partner_continent", "theme_id")
    )


def founded_per_decade(view: pl.DataFrame) -> pl.DataFrame:
    """decade (1960 for 1960–1969), partnerships: partnerships with a founded date."""
    return (
        view.filter(pl.col("founded").is_not_null())
        .group_by((pl.col("founded").dt.year() // 10 * 10).cast(pl.Int64).alias("decade"))
        .agg(pl.len().cast(pl.Int64).alias(COUNT))
        .sort("decade")
    )
