"""What changed between two dates: every status event in between, with its source."""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis.enriched import Frames


def changes_between(frames: Frames, since: date, until: date, *views: pl.DataFrame) -> pl.DataFrame:
    """Every status row dated after SINCE and on or before UNTIL of the partnerships in VIEWS (the
    enriched views at both dates, so a partnership that left the filters in between is named
    too), oldest first: date, date_precision, partnership_id, home_name, partner_name, status,
    note, source_title, publisher, url, document_ref."""
    names = (
        pl.concat([v.select("partnership_id", "home_name", "partner_name") for v in views]).unique(
            "partnership_id", keep="first"
        )
        if views
        else pl.DataFrame(schema={"partnership_id": pl.String, "home_name": pl.String, "partner_name": pl.String})
    )
    sources = frames["sources"].select(
        "source_id", pl.col("title").alias("source_title"), "publisher", "url", "document_ref"
    )
    return (
        frames["status_history"]
        .with_row_index("file_order")
        .filter((pl.col("date") > since) & (pl.col("date") <= until))
        .join(names, on="partnership_id", how="inner")
        .join(sources, on="source_id", how="left")
        .sort("date", "file_order")
        .select(
            "date",
            "date_precision",
            "partnership_id",
            "home_name",
            "partner_name",
            "status",
            "note",
            "source_title",
            "publisher",
            "url",
            "document_ref",
        )
    )
