"""What a choice list offers when a view holds more rows than a list can show."""

from __future__ import annotations

import polars as pl


def offered_partnerships(view: pl.DataFrame, wanted: str | None, limit: int) -> pl.DataFrame:
    """The first LIMIT partnerships of VIEW, and WANTED (a partnership_id, e.g. from a link) if it
    lies beyond them, so a shared link's choice stays chosen."""
    beyond = view.slice(limit).filter(pl.col("partnership_id") == pl.lit(wanted or ""))
    return view.head(limit).vstack(beyond)
