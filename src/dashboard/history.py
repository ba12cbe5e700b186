"""The page Status & Verlauf's tables for one as-of date, set of filters and language, derived once
for all sessions (dashboard.data.selected): at 100,000 partnerships its newest changes alone took
~0.2 s of Polars work at every rerun.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from analysis.package import Package
from analysis.questions.filters import Filters
from analysis.questions.history import current_status_reasons, latest_changes, status_periods
from analysis.questions.overview import STATUS_GROUPS
from dashboard.data import selected, view
from dashboard.tables import MAX_TABLE_ROWS
from present.labels import at_precision, with_labels
from present.names import localised
from present.readable import link_or_none, partner_with_kind, partnership_labels

MAX_PERIOD_ROWS = 60  # partnerships in the period chart


@dataclass(frozen=True)
class HistoryFrames:
    """What views/history.py draws: shared read-only by every session that shows these filters."""

    shown: int  # partnerships the filters keep
    total: int  # partnerships as of the date without filters
    active_or_paused: int  # of those shown
    reasons: pl.DataFrame  # the newest MAX_TABLE_ROWS active or paused, with why and since when, as shown
    periods_capped: bool  # the period chart shows only MAX_PERIOD_ROWS partnerships
    labels: dict[str, str]  # partnership id -> its label in the period chart
    periods: pl.DataFrame  # analysis.questions.history.status_periods of those
    changes: pl.DataFrame  # the newest changes, as shown


def history_frames(package: Package, as_of: date, filters: Filters) -> HistoryFrames:
    """Status & Verlauf of PACKAGE as of AS_OF under FILTERS, derived once per package content,
    arguments and language (see dashboard.data.selected)."""
    return selected(package, _history_frames, as_of, filters)


def _history_frames(package: Package, as_of: date, filters: Filters) -> HistoryFrames:
    current = localised(view(package, as_of, filters, with_precision=True), package)
    named = partner_with_kind(current)  # the tables name a pair's partnerships apart by their kind
    # the overview's tiles "Aktiv" and "Ruhend oder ausgelaufen": a lapsed term counts with the paused
    active_or_paused = named.filter(pl.col("status").is_in([*STATUS_GROUPS["active"], *STATUS_GROUPS["paused"]]))
    newest_first = active_or_paused.top_k(MAX_TABLE_ROWS, by="status_since").sort("status_since", descending=True)
    reasons = link_or_none(with_labels(current_status_reasons(package.frames, newest_first, as_of)))
    recent = current.top_k(MAX_PERIOD_ROWS, by="status_since")
    labels = partnership_labels(recent)
    changes = link_or_none(with_labels(latest_changes(package.frames, named, as_of)))
    return HistoryFrames(
        shown=current.height,
        total=view(package, as_of).height,
        active_or_paused=active_or_paused.height,
        reasons=at_precision(reasons, "status_since", "status_since_precision", "since_text"),
        periods_capped=recent.height < current.height,
        labels=labels,
        periods=status_periods(package.frames, as_of, list(labels)),
        changes=at_precision(changes, "date", "date_precision", "date_text"),
    )
