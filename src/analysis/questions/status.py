"""Status, status-since and founded date of each partnership as of a date D.

The contract's meaning: the latest status_history row on or before D wins; between rows
of the same date the later row in the file wins. A repeated status is a milestone, not a
change. A partnership with no row on or before D did not exist yet at D.

A row's `date_basis` (empty means "event") says what its date is: "event", the status began
then; "known_by", the status is known to hold by then, its beginning is unknown. A known_by
row sets the status from its date like any other (it is the best we know), but it is no
founding: a partnership whose first active row is known_by has no founded date, only the date
it is known to be active by (`active_known_since`).
"""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis.contract import KNOWN_BY

STATE_COLUMNS = [
    "partnership_id",
    "status",
    "status_since",
    "status_since_precision",
    "founded",
    "founded_precision",
    "status_since_basis",
    "active_known_since",
    "active_known_since_precision",
]


def with_basis(history: pl.DataFrame) -> pl.DataFrame:
    """HISTORY with its `date_basis` filled in: "event" where empty, and for every row of a
    package written before the field existed."""
    if "date_basis" not in history.columns:
        return history.with_columns(pl.lit("event", pl.String).alias("date_basis"))
    return history.with_columns(pl.col("date_basis").cast(pl.String).fill_null("event"))


def is_known_by() -> pl.Expr:
    """True for a row (after with_basis) whose date says "known by then", not "happened then"."""
    return pl.col("date_basis") == KNOWN_BY


def history_until(history: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """The status rows dated on or before `as_of`, per partnership in date then file order
    (with their `file_order`)."""
    return (
        history.with_row_index("file_order")
        .filter(pl.col("date") <= as_of)
        .sort(["partnership_id", "date", "file_order"])
    )


def with_runs(rows: pl.DataFrame) -> pl.DataFrame:
    """Number the unbroken runs of one status per partnership (rows in history_until order);
    a row that repeats the status stays in its run."""
    return rows.with_columns(
        (pl.col("status") != pl.col("status").shift(1).over("partnership_id"))
        .fill_null(True)
        .cast(pl.Int32)
        .cum_sum()
        .over("partnership_id")
        .alias("run")
    )


def current_runs(rows: pl.DataFrame) -> pl.DataFrame:
    """The rows of each partnership's latest run, i.e. of its current status."""
    return with_runs(rows).filter(pl.col("run") == pl.col("run").max().over("partnership_id"))


def partnership_states(history: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """One row per partnership that existed at `as_of`: status, since when (and whether that date
    is an event or only "known by"), founded when (null when the first active row is known_by:
    then `active_known_since` holds its date)."""
    rows = with_basis(history_until(history, as_of))
    current = (
        current_runs(rows)
        .group_by("partnership_id", maintain_order=True)
        .agg(
            pl.col("status").last(),
            pl.col("date").first().alias("status_since"),
            pl.col("date_precision").first().alias("status_since_precision"),
            pl.col("date_basis").first().alias("status_since_basis"),
        )
    )
    first_active = (
        rows.filter(pl.col("status") == "active")
        .group_by("partnership_id")
        .agg(pl.col("date", "date_precision", "date_basis").first())
    )
    known = is_known_by()
    founded = first_active.select(
        "partnership_id",
        pl.when(~known).then(pl.col("date")).alias("founded"),
        pl.when(~known).then(pl.col("date_precision")).alias("founded_precision"),
        pl.when(known).then(pl.col("date")).alias("active_known_since"),
        pl.when(known).then(pl.col("date_precision")).alias("active_known_since_precision"),
    )
    return current.join(founded, on="partnership_id", how="left").select(STATE_COLUMNS)


def status_as_of(history: pl.DataFrame, as_of: date) -> dict[str, str]:
    """Partnership id -> status as of `as_of`, for those that existed then."""
    states = partnership_states(history, as_of)
    return dict(zip(states["partnership_id"], states["status"], strict=True))
