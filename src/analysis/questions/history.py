"""Status history read as periods, events between two dates and one partnership's story, each with its source."""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis.questions.enriched import Frames
from analysis.questions.status import current_runs, history_until, is_known_by, with_basis, with_runs

SOURCE_COLUMNS = ["source_title", "publisher", "url", "document_ref"]


def _with_sources(rows: pl.DataFrame, frames: Frames) -> pl.DataFrame:
    sources = frames["sources"].select(
        "source_id",
        pl.col("title").alias("source_title"),
        "publisher",
        "url",
        "document_ref",
    )
    return rows.join(sources, on="source_id", how="left", maintain_order="left")


def _history_of(frames: Frames, partnership_ids: pl.Series | list[str] | None, as_of: date) -> pl.DataFrame:
    """history_until for these partnerships only (all when None): cut first, then sort."""
    history = frames["status_history"]
    if partnership_ids is not None:
        history = history.filter(pl.col("partnership_id").is_in(pl.Series(partnership_ids, dtype=pl.String).implode()))
    return with_basis(history_until(history, as_of))


def status_periods(frames: Frames, as_of: date, partnership_ids: list[str] | None = None) -> pl.DataFrame:
    """partnership_id, status, start, start_precision, start_basis, end: unbroken runs of one status
    up to `as_of` (start_basis known_by: the status is known by `start`, its beginning is unknown).

    Milestones that repeat a status stay inside their run; the last run ends at `as_of`.
    """
    rows = _history_of(frames, partnership_ids, as_of)
    runs = (
        with_runs(rows)
        .group_by("partnership_id", "run", maintain_order=True)
        .agg(
            pl.col("status").first(),
            pl.col("date").first().alias("start"),
            pl.col("date_precision").first().alias("start_precision"),
            pl.col("date_basis").first().alias("start_basis"),
        )
        .sort("partnership_id", "run")
    )
    return runs.with_columns(pl.col("start").shift(-1).over("partnership_id").fill_null(as_of).alias("end")).select(
        "partnership_id", "status", "start", "start_precision", "start_basis", "end"
    )


def status_events(
    frames: Frames,
    names: pl.DataFrame,
    until: date,
    since: date | None = None,
    newest: int | None = None,
    *,
    changes_only: bool = False,
) -> pl.DataFrame:
    """The status rows dated after SINCE (from the first when None) and on or before UNTIL of the
    partnerships in NAMES, in date then file order (with NEWEST: only that many, newest first),
    with their source: date, date_precision, date_basis, partnership_id, NAMES' other columns,
    previous_status (the status before this row; empty for a partnership's first row), status, note,
    source_id, source_title, publisher, url, document_ref. With CHANGES_ONLY, what remains are new
    partnerships and changes of status: a row that repeats the status in force (a confirmation, a
    milestone) is left out, and so is a row whose date is only "known by" (date_basis known_by): it
    is no change at its date."""
    rows = (
        with_basis(frames["status_history"])
        .with_row_index("file_order")
        .filter(pl.col("date") <= until)
        .sort("date", "file_order")
        .with_columns(pl.col("status").shift(1).over("partnership_id").alias("previous_status"))
    )
    if changes_only:
        rows = rows.filter(pl.col("previous_status").is_null() | (pl.col("previous_status") != pl.col("status")))
    if since is not None:
        rows = rows.filter(pl.col("date") > since)
    if changes_only:
        rows = rows.filter(~is_known_by())
    rows = rows.join(names, on="partnership_id", how="inner")
    if newest is None:
        rows = rows.sort("date", "file_order")
    else:
        rows = rows.top_k(newest, by=["date", "file_order"]).sort(["date", "file_order"], descending=True)
    named = [c for c in names.columns if c != "partnership_id"]
    return _with_sources(rows, frames).select(
        "date",
        "date_precision",
        "date_basis",
        "partnership_id",
        *named,
        "previous_status",
        "status",
        "note",
        "source_id",
        *SOURCE_COLUMNS,
    )


def latest_changes(frames: Frames, view: pl.DataFrame, as_of: date, limit: int = 15) -> pl.DataFrame:
    """The newest status rows on or before `as_of` of the partnerships in `view`, newest first (the
    later row in the file first on the same day); rows only "known by" their date are no change."""
    names = view.select("partnership_id", "home_name", "partner_name")
    return status_events(frames, names, as_of, newest=limit, changes_only=True)


def changes_between(frames: Frames, since: date, until: date, *views: pl.DataFrame) -> pl.DataFrame:
    """Every change of status (and every new partnership) dated after SINCE and on or before UNTIL
    of the partnerships in VIEWS (the enriched views at both dates, so a partnership that left the
    filters in between is named too), oldest first, with its source (see status_events); rows
    that only confirm the status in force, or are only "known by" their date, are no change."""
    names = (
        pl.concat([v.select("partnership_id", "home_name", "partner_name") for v in views]).unique(
            "partnership_id", keep="first"
        )
        if views
        else pl.DataFrame(schema={"partnership_id": pl.String, "home_name": pl.String, "partner_name": pl.String})
    )
    return status_events(frames, names, until, since, changes_only=True)


def current_status_reasons(frames: Frames, view: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """The rows of `view` (its status, since when) with the note and source of the row that began
    that status (why it is active or paused), newest status first."""
    starts = (
        current_runs(_history_of(frames, view["partnership_id"], as_of))
        .group_by("partnership_id")
        .agg(pl.col("note").first(), pl.col("source_id").first())
    )
    return _with_sources(view.join(starts, on="partnership_id", how="left"), frames).sort(
        ["status_since", "home_name", "partner_name"], descending=[True, False, False]
    )


def partnership_history(frames: Frames, partnership_id: str, as_of: date) -> pl.DataFrame:
    """Every status row of one partnership up to `as_of`, oldest first, with its source."""
    rows = _history_of(frames, [partnership_id], as_of)
    return _with_sources(rows, frames).select(
        "date", "date_precision", "date_basis", "status", "note", "source_id", *SOURCE_COLUMNS
    )


def partnership_themes(frames: Frames, partnership_id: str) -> pl.DataFrame:
    """theme_id, label_de, label_en and the source of each theme of one partnership."""
    rows = frames["partnership_themes"].filter(pl.col("partnership_id") == partnership_id)
    labelled = rows.join(frames["themes"], on="theme_id", how="left")
    return _with_sources(labelled, frames).select("theme_id", "label_de", "label_en", "source_id", *SOURCE_COLUMNS)
