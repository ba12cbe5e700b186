"""What leadership asks first: where do we stand, what changed, what is missing."""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis.contract import INHABITED_CONTINENTS, KNOWN_BY
from analysis.questions.enriched import Frames, select_view
from analysis.questions.filters import Filters

# The four tiles of the overview, each a group of statuses.
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "active": ("active",),
    "paused": ("paused", "lapsed"),
    "pipeline": ("proposed", "in_preparation"),
    "closed": ("declined", "ended"),
}
STALE_YEARS = 5  # an open partnership without an event for this many years counts as quiet


def one_year_before(day: date) -> date:
    """The default comparison date; 29 February falls back to the 28th."""
    return _years_before(day, 1)


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _group_counts(view: pl.DataFrame) -> dict[str, int]:
    per_status = dict(view.group_by("status").len().iter_rows())
    return {group: sum(per_status.get(s, 0) for s in statuses) for group, statuses in STATUS_GROUPS.items()}


def status_tiles(view_now: pl.DataFrame, view_before: pl.DataFrame) -> pl.DataFrame:
    """group, now, before, change: partnerships per status group in two enriched views of the same
    filters (the as-of date and the comparison date).

    A status only known by a date (date_basis known_by) is no change at that date: when VIEW_NOW
    carries `status_since_basis` (an enriched view with precision), a partnership whose current
    status began with a known_by row counts at the comparison date as it does now."""
    if "status_since_basis" in view_now.columns:
        known_later = view_now.filter(pl.col("status_since_basis") == KNOWN_BY).select("partnership_id", "status")
        view_before = pl.concat(
            [
                view_before.select("partnership_id", "status").join(known_later, on="partnership_id", how="anti"),
                known_later,
            ]
        )
    now, before = _group_counts(view_now), _group_counts(view_before)
    return pl.DataFrame(
        {
            "group": list(STATUS_GROUPS),
            "now": [now[g] for g in STATUS_GROUPS],
            "before": [before[g] for g in STATUS_GROUPS],
        },
        schema={"group": pl.String, "now": pl.Int64, "before": pl.Int64},
    ).with_columns((pl.col("now") - pl.col("before")).alias("change"))


def home_cities(frames: Frames, filters: Filters | None = None) -> pl.DataFrame:
    """home_id, home_name of every municipality that has partnerships (or those chosen)."""
    homes = frames["partnerships"].select("home_id").unique()
    if filters is not None and filters.homes:
        homes = homes.filter(pl.col("home_id").is_in(list(filters.homes)))
    names = frames["municipalities"].select(
        pl.col("municipality_id").alias("home_id"), pl.col("name").alias("home_name")
    )
    return homes.join(names, on="home_id").sort("home_name", "home_id")


def continent_gaps(frames: Frames, view: pl.DataFrame, filters: Filters | None = None) -> pl.DataFrame:
    """home_id, home_name, continent: inhabited continents where a home city has no active
    partnership in `view`. The question is "where is this city missing", so VIEW should be the
    view of the chosen home cities only (status, search or founded filters would invent gaps)."""
    continents = pl.DataFrame({"continent": list(INHABITED_CONTINENTS)})
    active = (
        view.filter(pl.col("status") == "active")
        .select("home_id", pl.col("partner_continent").alias("continent"))
        .unique()
    )
    return (
        home_cities(frames, filters)
        .join(continents, how="cross")
        .join(active, on=["home_id", "continent"], how="anti")
        .sort("home_name", "continent")
    )


def gaps_per_home(gaps: pl.DataFrame) -> pl.DataFrame:
    """home_id, home_name, missing (how many continents), continents (list, in contract order): one
    row per home city with at least one gap, from continent_gaps."""
    order = {c: i for i, c in enumerate(INHABITED_CONTINENTS)}
    return (
        gaps.with_columns(pl.col("continent").replace_strict(order, return_dtype=pl.Int64).alias("order"))
        .sort("home_name", "order")
        .group_by("home_id", "home_name", maintain_order=True)
        .agg(pl.len().cast(pl.Int64).alias("missing"), pl.col("continent").alias("continents"))
    )


def home_view(view: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """The gaps' one rule: of FILTERS, only the home city applies. VIEW is an unfiltered enriched
    view of the as-of date; the gaps and the quiet partnerships both ask "where does this city
    stand", and a status, continent, search or founded filter would invent gaps (or hide them)."""
    return select_view(view, Filters(homes=filters.homes))


def home_city_gaps(frames: Frames, view: pl.DataFrame, filters: Filters) -> pl.DataFrame:
    """gaps_per_home of the home cities FILTERS choose, from VIEW (an unfiltered enriched view of
    the date) under the gaps' rule (home_view)."""
    return gaps_per_home(continent_gaps(frames, home_view(view, filters), filters))


def gaps_by_continent(gaps: pl.DataFrame) -> pl.DataFrame:
    """continent, homes (how many home cities lack an active partnership there): from
    gaps_per_home, the continents missed by most home cities first (ties in contract order)."""
    order = {c: i for i, c in enumerate(INHABITED_CONTINENTS)}
    return (
        gaps.select(pl.col("continents").explode().alias("continent"))
        .drop_nulls()
        .group_by("continent")
        .agg(pl.len().cast(pl.Int64).alias("homes"))
        .with_columns(pl.col("continent").replace_strict(order, return_dtype=pl.Int64).alias("order"))
        .sort(["homes", "order"], descending=[True, False])
        .drop("order")
    )


def stale_partnerships(frames: Frames, view: pl.DataFrame, as_of: date, years: int = 5) -> pl.DataFrame:
    """Open partnerships in `view` (not declined or ended) whose latest recorded event is `years`
    years or more before `as_of`: partnership_id, home_name, partner_name, status, last_event,
    last_event_precision, years_quiet."""
    open_ = view.filter(~pl.col("status").is_in(list(STATUS_GROUPS["closed"]))).select(
        "partnership_id", "home_name", "partner_name", "status"
    )
    # the latest row on or before as_of; on the same day the later row in the file
    last = (
        frames["status_history"]
        .with_row_index("file_order")
        .filter(pl.col("date") <= as_of)
        .join(open_.select("partnership_id"), on="partnership_id", how="semi")
        .group_by("partnership_id")
        .agg(
            pl.col("date").sort_by("date", "file_order").last().alias("last_event"),
            pl.col("date_precision").sort_by("date", "file_order").last().alias("last_event_precision"),
        )
    )
    return (
        open_.join(last, on="partnership_id")
        .with_columns(
            ((pl.lit(as_of) - pl.col("last_event")).dt.total_days() / 365.25)
            .floor()
            .cast(pl.Int64)
            .alias("years_quiet")
        )
        .filter(pl.col("last_event") <= _years_before(as_of, years))
        .sort("last_event")
    )
