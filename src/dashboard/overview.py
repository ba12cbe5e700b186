"""The Überblick's frames and sentences for one as-of date, comparison date, set of filters and
language, derived once for all sessions (dashboard.data.selected): a rerun with filters already
seen (a language switch back, another session's link, a click on a download) draws them without
the Polars work, which at 100,000 partnerships was most of the page's 0.6-0.8 s.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from analysis.package import Package
from analysis.questions import overview
from analysis.questions.filters import Filters
from analysis.questions.geo import partnership_lines
from analysis.questions.history import changes_between
from dashboard.data import network, selected, view
from present.labels import at_precision, with_labels
from present.names import localised
from present.readable import link_or_none, with_change_text
from present.summary import gap_line, summary_sentence


@dataclass(frozen=True)
class OverviewFrames:
    """What views/overview.py draws: shared read-only by every session that shows these filters."""

    current: pl.DataFrame  # the enriched view as of the date, filtered, names in the language shown
    total: int  # partnerships as of the date without filters
    before: pl.DataFrame  # the same as of the comparison date
    tiles: pl.DataFrame  # analysis.questions.overview.status_tiles
    changes: pl.DataFrame  # changes of status between the two dates
    gaps: pl.DataFrame  # analysis.questions.overview.home_city_gaps
    gap_text: str  # the gaps as lines of text (at most MAX_GAP_LINES), one element on the page
    stale: pl.DataFrame  # open partnerships without an event for STALE_YEARS
    summary: str  # the first sentence (markdown, numbers in bold)
    lines: pl.DataFrame  # one map line per partnership
    network: pl.DataFrame  # the network's growth (analysis.questions.network.network_of)
    # the tables as shown (labels, dates at their precision, links), each all rows: the page caps them
    changes_shown: pl.DataFrame
    lines_shown: pl.DataFrame
    stale_shown: pl.DataFrame


MAX_GAP_LINES = 1000  # as the tables (dashboard.tables.MAX_TABLE_ROWS); the report holds all


def overview_frames(package: Package, as_of: date, compare: date, filters: Filters) -> OverviewFrames:
    """The overview of PACKAGE as of AS_OF against COMPARE under FILTERS, derived once per package
    content, arguments and language (see dashboard.data.selected)."""
    return selected(package, _overview_frames, as_of, compare, filters)


def _overview_frames(package: Package, as_of: date, compare: date, filters: Filters) -> OverviewFrames:
    everything = view(package, as_of)
    current = localised(view(package, as_of, filters, with_precision=True, with_coordinates=True), package)
    before = localised(view(package, compare, filters), package)
    tiles = overview.status_tiles(current, before)
    # the gaps' one rule: of the filters only the home city applies (overview.home_view)
    gaps = overview.home_city_gaps(package.frames, everything, filters)
    stale = overview.stale_partnerships(
        package.frames, overview.home_view(everything, filters), as_of, overview.STALE_YEARS
    )
    homes = overview.home_cities(package.frames, filters).height
    changes = changes_between(package.frames, compare, as_of, current, before)
    lines = partnership_lines(current)
    return OverviewFrames(
        current=current,
        total=everything.height,
        before=before,
        tiles=tiles,
        changes=changes,
        gaps=gaps,
        gap_text="\n".join(gap_line(home) for home in gaps.head(MAX_GAP_LINES).iter_rows(named=True)),
        stale=stale,
        summary=summary_sentence(tiles, gaps, homes, stale.height),
        lines=lines,
        network=network(package, current, as_of),
        changes_shown=with_change_text(
            at_precision(link_or_none(with_labels(changes)), "date", "date_precision", "date_text")
        ),
        lines_shown=with_labels(lines),
        stale_shown=at_precision(with_labels(stale), "last_event", "last_event_precision", "last_event_text"),
    )
