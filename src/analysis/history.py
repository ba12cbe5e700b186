"""Status history read as periods, changes and one partnership's story, each with its source."""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis.package import Package
from analysis.status import current_runs, package_history_until, with_runs

SOURCE_COLUMNS = ["source_title", "publisher", "url", "document_ref"]


def _with_sources(rows: pl.DataFrame, package: Package) -> pl.DataFrame:
    sources = package["sources"].select(
        "source_id",
        pl.col("title").alias("source_title"),
        "publisher",
        "url",
        "document_ref",
    )
    return rows.join(sources, on="source_id", how="left", maintain_order="left")


def status_periods(package: Package, as_of: date, partnership_ids: list[str] | None = None) -> pl.DataFrame:
    """partnership_id, status, start, start_precision, end: unbroken runs of one status up to `as_of`.

    Milestones that repeat a status stay inside their run; the last run ends at `as_of`.
    """
    rows = package_history_until(package, as_of)
    if partnership_ids is not None:
        rows = rows.filter(pl.col("partnership_id").is_in(partnership_ids))
    runs = (
        with_runs(rows)
        .group_by("partnership_id", "run", maintain_order=True)
        .agg(
            pl.col("status").first(),
            pl.col("date").first().alias("start"),
            pl.col("date_precision").first().alias("start_precision"),
        )
        .sort("partnership_id", "run")
    )
    return runs.with_columns(pl.col("start").shift(-1).over("partnership_id").fill_null(as_of).alias("end")).select(
        "partnership_id", "status", "start", "start_precision", "end"
    )


def latest_changes(package: Package, view: pl.DataFrame, as_of: date, limit: int = 15) -> pl.DataFrame:
    """The newest status rows on or before `as_of` of the partnerships in `view`, newest first."""
    names = view.select("partnership_id", "home_name", "partner_name")
    newest_first = package.memo(
        ("newest_first", as_of),
        lambda: package_history_until(package, as_of).sort(["date", "file_order"], descending=True),
    )
    # Look at the newest rows first and widen the window only while too few belong to the view.
    window = max(limit * 20, 1000)
    while True:
        rows = (
            newest_first.head(window).join(names, on="partnership_id", how="inner", maintain_order="left").head(limit)
        )
        if rows.height >= limit or window >= newest_first.height:
            break
        window *= 8
    return _with_sources(rows, package).select(
        "date",
        "date_precision",
        "partnership_id",
        "home_name",
        "partner_name",
        "status",
        "note",
        "source_id",
        *SOURCE_COLUMNS,
    )


def current_status_reasons(package: Package, view: pl.DataFrame, as_of: date) -> pl.DataFrame:
    """For each partnership in `view`: its status, since when, and the note and source of the row
    that began that status (why it is active or paused)."""
    starts = package.memo(
        ("run_starts", as_of),
        lambda: (
            current_runs(package_history_until(package, as_of))
            .group_by("partnership_id")
            .agg(pl.col("note").first(), pl.col("source_id").first())
        ),
    )
    started = view.select(
        "partnership_id",
        "home_name",
        "partner_name",
        "partner_country",
        "kind",
        "status",
        "status_since",
        "status_since_precision",
    ).join(starts, on="partnership_id", how="left")
    return _with_sources(started, package).sort(
        ["status_since", "home_name", "partner_name"], descending=[True, False, False]
    )


def partnership_history(package: Package, partnership_id: str, as_of: date) -> pl.DataFrame:
    """Every status row of one partnership up to `as_of`, oldest first, with its source."""
    rows = package_history_until(package, as_of).filter(pl.col("partnership_id") == partnership_id)
    return _with_sources(rows, package).select("date", "date_precision", "status", "note", "source_id", *SOURCE_COLUMNS)


def partnership_themes(package: Package, partnership_id: str) -> pl.DataFrame:
    """theme_id, label_de, label_en and the source of each theme of one partnership."""
    rows = package["partnership_themes"].filter(pl.col("partnership_id") == partnership_id)
    labelled = rows.join(package["themes"], on="theme_id", how="left")
    return _with_sources(labelled, package).select("theme_id", "label_de", "label_en", "source_id", *SOURCE_COLUMNS)
