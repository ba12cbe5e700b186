"""The network over time: how many partnerships were active, paused, or in preparation (or
proposed) at the end of each year, or of each month for short spans, from the status history.

Each status row holds from its date until the next row of the same partnership (the later row in
the file wins on the same day); a partnership is counted at a point in time by the status of its
latest row on or before that point, exactly as `status.partnership_states` reads a single date.
Points are period ends (31 December, or the last day of a month) and, last, the as-of date
itself, so a month-precision row (stored as the 1st) counts from the end of its month on, never
from an invented day.
"""

from __future__ import annotations

from datetime import date, timedelta

import polars as pl

# The three lines of the chart, each a group of statuses (declined and ended are left out).
NETWORK_GROUPS: dict[str, tuple[str, ...]] = {
    "active": ("active",),
    "paused": ("paused", "lapsed"),
    "pipeline": ("proposed", "in_preparation"),
}
MONTHLY_BELOW_YEARS = 3  # spans shorter than this are shown month by month
NETWORK_COLUMNS = ["series", "point", "precision", "group", "partnerships"]


def _month_end(year: int, month: int) -> date:
    first_of_next = date(year + (month == 12), month % 12 + 1, 1)
    return first_of_next - timedelta(days=1)


def time_points(first: date, as_of: date) -> tuple[list[date], str]:
    """The period ends from FIRST's period to AS_OF (which replaces the last, unfinished period's
    end), and their precision: "year", or "month" when the span is under MONTHLY_BELOW_YEARS."""
    if first > as_of:
        return [], "year"
    months = (as_of.year - first.year) * 12 + as_of.month - first.month
    if months < MONTHLY_BELOW_YEARS * 12:
        ends = [
            _month_end(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1) for i in range(months)
        ]
        return [*ends, as_of], "month"
    return [date(year, 12, 31) for year in range(first.year, as_of.year)] + [as_of], "year"


EMPTY_SCHEMA = {
    "series": pl.String,
    "point": pl.Date,
    "precision": pl.String,
    "group": pl.String,
    "partnerships": pl.Int64,
}


def network_periods(history: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """partnership_id, date, until, group: each status row up to AS_OF (HISTORY in file order)
    holds from its date until the next row of its partnership (null: for good); rows whose status
    is in none of NETWORK_GROUPS are left out after `until` is set. On the same day the later row
    in the file wins: the earlier one holds from that day until that day, i.e. never."""
    group_of = {status: group for group, statuses in NETWORK_GROUPS.items() for status in statuses}
    return (
        history.select(pl.col("partnership_id", "status").cast(pl.String), pl.col("date").cast(pl.Date))
        .with_row_index("file_order")
        .filter(pl.col("date") <= as_of)
        .sort("partnership_id", "date", "file_order")
        .with_columns(pl.col("date").shift(-1).over("partnership_id").alias("until"))
        .with_columns(pl.col("status").replace_strict(group_of, default=None, return_dtype=pl.String).alias("group"))
        .filter(pl.col("group").is_not_null())
        .select("partnership_id", "date", "until", "group")
    )


def count_network(periods: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """series, point, precision, group, partnerships from PERIODS (network_periods with a `series`
    column): at each time point, the periods that hold it, per series and group; zeros included."""
    if periods.is_empty():
        return pl.DataFrame(schema=EMPTY_SCHEMA)
    points, precision = time_points(periods["date"].min(), as_of)
    grid = pl.Series("point", points, dtype=pl.Date)
    # a period is counted at the points p with date <= p < until: indices search(date) .. search(until)
    indexed = periods.with_columns(
        pl.Series("from_index", grid.search_sorted(periods["date"], side="left"), dtype=pl.Int64),
        pl.Series("to_index", grid.search_sorted(periods["until"].fill_null(date.max), side="left"), dtype=pl.Int64),
    ).filter(pl.col("from_index") < pl.col("to_index"))
    deltas = (
        pl.concat(
            [
                indexed.select(
                    "series", "group", pl.col("from_index").alias("index"), pl.lit(1, pl.Int64).alias("delta")
                ),
                indexed.select(
                    "series", "group", pl.col("to_index").alias("index"), pl.lit(-1, pl.Int64).alias("delta")
                ),
            ]
        )
        .group_by("series", "group", "index")
        .agg(pl.col("delta").sum())
    )
    keys = periods.select("series").unique().join(pl.DataFrame({"group": list(NETWORK_GROUPS)}), how="cross")
    frame = (
        keys.join(pl.DataFrame({"index": range(len(points)), "point": grid}), how="cross")
        .with_columns(pl.col("index").cast(pl.Int64))
        .join(deltas, on=["series", "group", "index"], how="left")
        .sort("series", "group", "index")
        .with_columns(pl.col("delta").fill_null(0).cum_sum().over("series", "group").alias("partnerships"))
        .with_columns(
            pl.lit(precision).alias("precision"),
            pl.col("group").replace_strict({g: i for i, g in enumerate(NETWORK_GROUPS)}).alias("group_order"),
        )
        .sort("series", "index", "group_order")
    )
    return frame.select(NETWORK_COLUMNS)


def network_over_time(history: pl.DataFrame, as_of: date, series: pl.DataFrame | None = None) -> pl.DataFrame:
    """series, point, precision, group, partnerships: per series (default one, "all"), time point
    and status group, how many partnerships held a status of that group; zeros included.

    HISTORY is status_history rows (partnership_id, date, status) in file order, already limited to
    the partnerships wanted; SERIES, if given, maps partnership_id to a series key (e.g. home_id).
    """
    return count_network(_with_series(network_periods(history, as_of), series), as_of)


def _with_series(periods: pl.DataFrame, series: pl.DataFrame | None) -> pl.DataFrame:
    if series is None:
        return periods.with_columns(pl.lit("all").alias("series"))
    return periods.join(series.select("partnership_id", "series"), on="partnership_id", how="inner")


def network_of(
    frames,
    view: pl.DataFrame,
    as_of: date,
    series_column: str | None = None,
    periods: pl.DataFrame | None = None,
) -> pl.DataFrame:
    """network_over_time for the partnerships in VIEW (an enriched view), optionally one series
    per value of VIEW's SERIES_COLUMN (e.g. home_id). FRAMES are a package's frames; PERIODS are
    network_periods(frames["status_history"], as_of) when the caller keeps them (the dashboard
    caches them per package and date), so that a filter only picks its partnerships from them."""
    if periods is None:
        periods = network_periods(frames["status_history"], as_of)
    key = pl.col(series_column) if series_column else pl.lit("all")
    series = view.select("partnership_id", key.cast(pl.String).alias("series"))
    return count_network(_with_series(periods, series), as_of)
