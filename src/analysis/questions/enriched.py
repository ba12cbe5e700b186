"""The enriched view: one row per partnership that existed at the as-of date."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import polars as pl

from analysis.questions.filters import Filters
from analysis.questions.status import partnership_states

Frames = Mapping[str, pl.DataFrame]  # a package's typed frames by resource name (Package.frames)
EARTH_RADIUS_KM = 6371.0

ENRICHED_COLUMNS = [
    "partnership_id",
    "home_id",
    "home_name",
    "partner_id",
    "partner_name",
    "partner_name_en",
    "partner_country_code",
    "partner_country",
    "partner_continent",
    "kind",
    "status",
    "status_since",
    "founded",
    "themes",
    "distance_km",
    "sources",
]
# how much of the dates is known: their precision and, for status_since, whether it is an event or
# only "known by" then; active_known_since where the founding is unknown (analysis.questions.status)
PRECISION_COLUMNS = [
    "status_since_precision",
    "founded_precision",
    "status_since_basis",
    "active_known_since",
    "active_known_since_precision",
]
COORDINATE_COLUMNS = ["home_lat", "home_lon", "partner_lat", "partner_lon"]


def great_circle_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Haversine distance on a sphere of radius 6,371 km."""
    phi1, phi2 = lat1.radians(), lat2.radians()
    half_dphi = (lat2 - lat1).radians() / 2
    half_dlambda = (lon2 - lon1).radians() / 2
    a = half_dphi.sin() ** 2 + phi1.cos() * phi2.cos() * half_dlambda.sin() ** 2
    return 2 * EARTH_RADIUS_KM * a.sqrt().arcsin()


def _themes_per_partnership(frames: Frames) -> pl.DataFrame:
    return (
        frames["partnership_themes"]
        .group_by("partnership_id")
        .agg(pl.col("theme_id").unique().sort().str.join(";").alias("themes"))
    )


def _sources_per_partnership(frames: Frames, as_of: date) -> pl.DataFrame:
    cited = pl.concat(
        [
            frames["status_history"].filter(pl.col("date") <= as_of).select("partnership_id", "source_id"),
            frames["partnership_themes"].select("partnership_id", "source_id"),
        ]
    )
    return cited.group_by("partnership_id").agg(pl.col("source_id").unique().sort().str.join(";").alias("sources"))


def select_view(
    full: pl.DataFrame, filters: Filters | None = None, with_precision: bool = False, with_coordinates: bool = False
) -> pl.DataFrame:
    """The rows of a full view (see full_enriched_view) that FILTERS keep, with the contract's columns
    and, on request, the precision of the dates and the coordinates."""
    if filters is not None and not filters.is_empty():
        full = full.filter(filters.expression())
    extra = (PRECISION_COLUMNS if with_precision else []) + (COORDINATE_COLUMNS if with_coordinates else [])
    return full.select(ENRICHED_COLUMNS + extra)


def enriched_view(
    frames: Frames,
    as_of: date,
    filters: Filters | None = None,
    with_precision: bool = False,
    with_coordinates: bool = False,
) -> pl.DataFrame:
    """The contract's enriched view as of `as_of`, filtered; sorted by home, then partner name.

    With `with_precision` it also carries the precision of `status_since` and `founded`, with
    `with_coordinates` the latitude and longitude of home and partner. Callers that ask often
    keep full_enriched_view per date and use select_view (the dashboard does).
    """
    return select_view(full_enriched_view(frames, as_of), filters, with_precision, with_coordinates)


def theme_rows_of(full: pl.DataFrame) -> pl.DataFrame:
    """A full view (see full_enriched_view) with one row per partnership and theme (column
    `theme_id`); partnerships without themes drop out."""
    return (
        full.with_columns(pl.col("themes").str.split(";").alias("theme_id"))
        .explode("theme_id")
        .filter(pl.col("theme_id").is_not_null() & (pl.col("theme_id") != ""))
    )


def select_theme_rows(rows: pl.DataFrame, filters: Filters | None = None, with_precision: bool = False) -> pl.DataFrame:
    """The rows of theme_rows_of that FILTERS keep, with the contract's columns and `theme_id`."""
    if filters is not None and not filters.is_empty():
        rows = rows.filter(filters.expression())
    return rows.select(ENRICHED_COLUMNS + (PRECISION_COLUMNS if with_precision else []) + ["theme_id"])


def enriched_theme_rows(
    frames: Frames, as_of: date, filters: Filters | None = None, with_precision: bool = False
) -> pl.DataFrame:
    """The enriched view with one row per partnership and theme (column `theme_id`; partnerships
    without themes drop out), filtered."""
    return select_theme_rows(theme_rows_of(full_enriched_view(frames, as_of)), filters, with_precision)


def full_enriched_view(frames: Frames, as_of: date) -> pl.DataFrame:
    """The unfiltered enriched view as of `as_of` with every column: the contract's, the dates'
    precision and the coordinates of home and partner."""
    places = frames["municipalities"].join(
        frames["countries"].select("country_code", pl.col("name_de").alias("country_name")),
        on="country_code",
        how="left",
    )
    homes = places.select(
        pl.col("municipality_id").alias("home_id"),
        pl.col("name").alias("home_name"),
        pl.col("latitude").alias("home_lat"),
        pl.col("longitude").alias("home_lon"),
    )
    partners = places.select(
        pl.col("municipality_id").alias("partner_id"),
        pl.col("name").alias("partner_name"),
        pl.col("name_en").alias("partner_name_en"),
        pl.col("country_code").alias("partner_country_code"),
        pl.col("country_name").alias("partner_country"),
        pl.col("continent").alias("partner_continent"),
        pl.col("latitude").alias("partner_lat"),
        pl.col("longitude").alias("partner_lon"),
    )
    view = (
        frames["partnerships"]
        .select("partnership_id", "home_id", "partner_id", "kind")
        .join(partnership_states(frames["status_history"], as_of), on="partnership_id", how="inner")
        .join(homes, on="home_id", how="left")
        .join(partners, on="partner_id", how="left")
        .join(_themes_per_partnership(frames), on="partnership_id", how="left")
        .join(_sources_per_partnership(frames, as_of), on="partnership_id", how="left")
        .with_columns(
            great_circle_km(pl.col("home_lat"), pl.col("home_lon"), pl.col("partner_lat"), pl.col("partner_lon"))
            .round(0)
            .cast(pl.Int64)
            .alias("distance_km"),
            pl.col("themes").fill_null(""),
        )
        .sort(["home_name", "partner_name", "kind"])
    )
    return view.select(ENRICHED_COLUMNS + PRECISION_COLUMNS + COORDINATE_COLUMNS)
