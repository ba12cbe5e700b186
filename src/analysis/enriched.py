"""The enriched view: one row per partnership that existed at the as-of date."""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis.filters import Filters
from analysis.package import Package
from analysis.status import package_history_until, partnership_states

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
PRECISION_COLUMNS = ["status_since_precision", "founded_precision"]
COORDINATE_COLUMNS = ["home_lat", "home_lon", "partner_lat", "partner_lon"]


def great_circle_km(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Haversine distance on a sphere of radius 6,371 km."""
    phi1, phi2 = lat1.radians(), lat2.radians()
    half_dphi = (lat2 - lat1).radians() / 2
    half_dlambda = (lon2 - lon1).radians() / 2
    a = half_dphi.sin() ** 2 + phi1.cos() * phi2.cos() * half_dlambda.sin() ** 2
    return 2 * EARTH_RADIUS_KM * a.sqrt().arcsin()


def _themes_per_partnership(package: Package) -> pl.DataFrame:
    return (
        package["partnership_themes"]
        .group_by("partnership_id")
        .agg(pl.col("theme_id").unique().sort().str.join(";").alias("themes"))
    )


def _sources_per_partnership(package: Package, as_of: date) -> pl.DataFrame:
    cited = pl.concat(
        [
            package_history_until(package, as_of).select("partnership_id", "source_id"),
            package["partnership_themes"].select("partnership_id", "source_id"),
        ]
    )
    return cited.group_by("partnership_id").agg(pl.col("source_id").unique().sort().str.join(";").alias("sources"))


def enriched_view(
    package: Package,
    as_of: date,
    filters: Filters | None = None,
    with_precision: bool = False,
    with_coordinates: bool = False,
) -> pl.DataFrame:
    """The contract's enriched view as of `as_of`, filtered; sorted by home, then partner name.

    With `with_precision` it also carries the precision of `status_since` and `founded`, with
    `with_coordinates` the latitude and longitude of home and partner. The unfiltered view of a
    date is derived once per package; filters only filter it.
    """
    view = package.memo(("enriched", as_of), lambda: _full_view(package, as_of))
    if filters is not None and not filters.is_empty():
        view = view.filter(filters.expression())
    extra = (PRECISION_COLUMNS if with_precision else []) + (COORDINATE_COLUMNS if with_coordinates else [])
    return view.select(ENRICHED_COLUMNS + extra)


def enriched_theme_rows(
    package: Package, as_of: date, filters: Filters | None = None, with_precision: bool = False
) -> pl.DataFrame:
    """The enriched view with one row per partnership and theme (column `theme_id`; partnerships
    without themes drop out), filtered. Exploded once per date and package, then only filtered."""

    def explode() -> pl.DataFrame:
        full = package.memo(("enriched", as_of), lambda: _full_view(package, as_of))
        return (
            full.with_columns(pl.col("themes").str.split(";").alias("theme_id"))
            .explode("theme_id")
            .filter(pl.col("theme_id").is_not_null() & (pl.col("theme_id") != ""))
        )

    rows = package.memo(("enriched_themes", as_of), explode)
    if filters is not None and not filters.is_empty():
        rows = rows.filter(filters.expression())
    return rows.select(ENRICHED_COLUMNS + (PRECISION_COLUMNS if with_precision else []) + ["theme_id"])


def _full_view(package: Package, as_of: date) -> pl.DataFrame:
    places = package["municipalities"].join(
        package["countries"].select("country_code", pl.col("name_de").alias("country_name")),
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
        package["partnerships"]
        .select("partnership_id", "home_id", "partner_id", "kind")
        .join(partnership_states(package["status_history"], as_of), on="partnership_id", how="inner")
        .join(homes, on="home_id", how="left")
        .join(partners, on="partner_id", how="left")
        .join(_themes_per_partnership(package), on="partnership_id", how="left")
        .join(_sources_per_partnership(package, as_of), on="partnership_id", how="left")
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
