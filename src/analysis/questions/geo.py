"""Where partnerships lie: home and partner coordinates for the map."""

from __future__ import annotations

import polars as pl

MAX_MAP_LINES = 1500  # more lines than this make an unreadable map and a heavy page
LINE_COLUMNS = [
    "partnership_id",
    "home_id",
    "home_name",
    "partner_id",
    "partner_name",
    "partner_country",
    "kind",
    "status",
    "home_lat",
    "home_lon",
    "partner_lat",
    "partner_lon",
]


def partnership_lines(view: pl.DataFrame) -> pl.DataFrame:
    """One line per partnership in `view` (an enriched view with coordinates): home and partner
    with their coordinates and status."""
    return view.select(LINE_COLUMNS)


def fits_line_map(lines: pl.DataFrame) -> bool:
    """Whether LINES are few enough to draw one by one (else the map shows a grid of places)."""
    return lines.height <= MAX_MAP_LINES


def map_points(lines: pl.DataFrame) -> pl.DataFrame:
    """name, role (home or partner), latitude, longitude, partnerships: each place once."""

    def places(role: str) -> pl.DataFrame:
        name, lat, lon = f"{role}_name", f"{role}_lat", f"{role}_lon"
        return (
            lines.group_by(name, lat, lon)
            .agg(pl.len().alias("partnerships"))
            .select(
                pl.col(name).alias("name"),
                pl.lit(role).alias("role"),
                pl.col(lat).alias("latitude"),
                pl.col(lon).alias("longitude"),
                "partnerships",
            )
        )

    return (
        pl.concat([places("home"), places("partner")])
        .with_columns(pl.col("partnerships").cast(pl.Int64))
        .sort("role", "name")
    )


def gridded_points(lines: pl.DataFrame, degrees: float = 2.0) -> pl.DataFrame:
    """Home and partner places summed into cells of DEGREES × DEGREES (for maps of many thousand
    partnerships): role, latitude, longitude (cell centre), places, partnerships."""

    def cells(role: str, lat: str, lon: str, place: str) -> pl.DataFrame:
        return (
            lines.group_by(
                ((pl.col(lat) / degrees).floor() * degrees + degrees / 2).alias("latitude"),
                ((pl.col(lon) / degrees).floor() * degrees + degrees / 2).alias("longitude"),
            )
            .agg(pl.col(place).n_unique().alias("places"), pl.len().alias("partnerships"))
            .with_columns(pl.lit(role).alias("role"))
        )

    return (
        pl.concat(
            [
                cells("home", "home_lat", "home_lon", "home_id"),
                cells("partner", "partner_lat", "partner_lon", "partner_id"),
            ]
        )
        .select("role", "latitude", "longitude", pl.col("places").cast(pl.Int64), pl.col("partnerships").cast(pl.Int64))
        .sort("role", "latitude", "longitude")
    )
