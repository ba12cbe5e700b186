"""Where partnerships lie: home and partner coordinates for the map."""

from __future__ import annotations

import polars as pl

from analysis.package import Package


def partnership_lines(package: Package, view: pl.DataFrame) -> pl.DataFrame:
    """One line per partnership in `view`: home and partner with their coordinates and status."""
    places = package["municipalities"].select("municipality_id", "latitude", "longitude")
    return (
        view.select("partnership_id", "home_id", "home_name", "partner_id", "partner_name", "partner_country",
                    "kind", "status")
        .join(places.rename({"municipality_id": "home_id", "latitude": "home_lat", "longitude": "home_lon"}),
              on="home_id", how="left")
        .join(places.rename({"municipality_id": "partner_id", "latitude": "partner_lat",
                             "longitude": "partner_lon"}), on="partner_id", how="left")
    )


def map_points(lines: pl.DataFrame) -> pl.DataFrame:
    """name, role (home or partner), latitude, longitude, partnerships: each place once."""
    homes = lines.group_by("home_name", "home_lat", "home_lon").agg(pl.len().alias("partnerships")).select(
        pl.col("home_name").alias("name"), pl.lit("home").alias("role"),
        pl.col("home_lat").alias("latitude"), pl.col("home_lon").alias("longitude"), "partnerships",
    )
    partners = lines.group_by("partner_name", "partner_lat", "partner_lon").agg(
        pl.len().alias("partnerships")
    ).select(
        pl.col("partner_name").alias("name"), pl.lit("partner").alias("role"),
        pl.col("partner_lat").alias("latitude"), pl.col("partner_lon").alias("longitude"), "partnerships",
    )
    return pl.concat([homes, partners]).with_columns(pl.col("partnerships").cast(pl.Int64)).sort("role", "name")


def gridded_points(points: pl.DataFrame, degrees: float = 2.0) -> pl.DataFrame:
    """Places summed into cells of DEGREES × DEGREES (for maps of many thousand places):
    role, latitude, longitude (cell centre), places, partnerships."""
    cell = lambda column: ((pl.col(column) / degrees).floor() * degrees + degrees / 2)  # noqa: E731
    return (
        points.group_by("role", cell("latitude").alias("latitude"), cell("longitude").alias("longitude"))
        .agg(pl.len().alias("places"), pl.col("partnerships").sum())
        .with_columns(pl.col("places").cast(pl.Int64), pl.col("partnerships").cast(pl.Int64))
        .sort("role", "latitude", "longitude")
    )
