"""Cities side by side: status figures, partners per continent, themes, distance and age of the
partnerships of a few home cities, each from an enriched view (already filtered)."""

from __future__ import annotations

import polars as pl

from analysis.contract import INHABITED_CONTINENTS
from analysis.questions.overview import STATUS_GROUPS

MIN_CITIES, MAX_CITIES = 2, 4


def _homes(view: pl.DataFrame, home_ids: list[str], names: dict[str, str]) -> pl.DataFrame:
    """The chosen home cities in the order chosen, with their names (also those with no row)."""
    return pl.DataFrame(
        {"home_id": home_ids, "home_name": [names.get(h, h) for h in home_ids], "home_order": range(len(home_ids))},
        schema={"home_id": pl.String, "home_name": pl.String, "home_order": pl.Int64},
    )


def city_figures(view: pl.DataFrame, home_ids: list[str], names: dict[str, str]) -> pl.DataFrame:
    """home_id, home_name, active, paused, pipeline, closed, partnerships, median_distance_km,
    oldest, oldest_founded, oldest_precision, newest, newest_founded, newest_precision: one row
    per chosen home city (zeros and nulls where it has no partnership); oldest and newest by the
    date the partnership became active, among those that did."""
    group_of = {status: group for group, statuses in STATUS_GROUPS.items() for status in statuses}
    rows = view.filter(pl.col("home_id").is_in(home_ids)).with_columns(
        pl.col("status").replace_strict(group_of, default=None).alias("group")
    )
    counts = rows.group_by("home_id").agg(
        *[(pl.col("group") == group).sum().cast(pl.Int64).alias(group) for group in STATUS_GROUPS],
        pl.len().cast(pl.Int64).alias("partnerships"),
        pl.col("distance_km").median().alias("median_distance_km"),
    )
    founded = rows.filter(pl.col("founded").is_not_null()).sort("founded", "partner_name")
    oldest = founded.group_by("home_id", maintain_order=True).first()
    newest = (
        founded.sort("founded", "partner_name", descending=[True, False])
        .group_by("home_id", maintain_order=True)
        .first()
    )

    def ends(frame: pl.DataFrame, prefix: str) -> pl.DataFrame:
        return frame.select(
            "home_id",
            pl.col("partner_name").alias(prefix),
            pl.col("founded").alias(f"{prefix}_founded"),
            pl.col("founded_precision").alias(f"{prefix}_precision"),
        )

    return (
        _homes(view, home_ids, names)
        .join(counts, on="home_id", how="left")
        .join(ends(oldest, "oldest"), on="home_id", how="left")
        .join(ends(newest, "newest"), on="home_id", how="left")
        .with_columns(pl.col([*STATUS_GROUPS, "partnerships"]).fill_null(0))
        .sort("home_order")
        .drop("home_order")
    )


def continent_matrix(view: pl.DataFrame, home_ids: list[str], names: dict[str, str]) -> pl.DataFrame:
    """home_id, home_name, continent, partnerships: every chosen city × inhabited continent, zeros
    included, cities in the order chosen and continents in the contract's order."""
    counts = (
        view.filter(pl.col("home_id").is_in(home_ids))
        .group_by("home_id", pl.col("partner_continent").alias("continent"))
        .agg(pl.len().cast(pl.Int64).alias("partnerships"))
    )
    continents = pl.DataFrame({"continent": list(INHABITED_CONTINENTS), "continent_order": range(6)})
    return (
        _homes(view, home_ids, names)
        .join(continents, how="cross")
        .join(counts, on=["home_id", "continent"], how="left")
        .with_columns(pl.col("partnerships").fill_null(0))
        .sort("home_order", "continent_order")
        .select("home_id", "home_name", "continent", "partnerships")
    )


def theme_matrix(
    exploded: pl.DataFrame, home_ids: list[str], names: dict[str, str], themes: pl.DataFrame
) -> pl.DataFrame:
    """home_id, home_name, theme_id, partnerships: every chosen city × theme of the package, zeros
    included (from the view exploded by theme)."""
    counts = (
        exploded.filter(pl.col("home_id").is_in(home_ids))
        .group_by("home_id", "theme_id")
        .agg(pl.len().cast(pl.Int64).alias("partnerships"))
    )
    return (
        _homes(exploded, home_ids, names)
        .join(themes.select("theme_id").with_row_index("theme_order"), how="cross")
        .join(counts, on=["home_id", "theme_id"], how="left")
        .with_columns(pl.col("partnerships").fill_null(0))
        .sort("home_order", "theme_order")
        .select("home_id", "home_name", "theme_id", "partnerships")
    )
