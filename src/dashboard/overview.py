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
from dashboard.tables import MAX_TABLE_ROWS
from present.labels import at_precision, with_labels
from present.names import localised
from present.readable import link_or_none, partner_with_kind, with_change_text
from present.summary import gap_line, summary_sentence


@dataclass(frozen=True)
class OverviewFrames:
    """What views/overview.py draws: shared read-only by every session that shows these filters."""

    current: pl.DataFrame  # the enriched view as of the date, filtered, names in the language shown
    total: int  # partnerships as of the date without filters
    tiles: pl.DataFrame  # analysis.questions.overview.status_tiles
    gaps: pl.DataFrame  # analysis.questions.overview.home_city_gaps
    gap_text: str  # the gaps as lines of text (at most MAX_TABLE_ROWS), one element on the page
    summary: str  # the first sentence (markdown, numbers in bold)
    lines: pl.DataFrame  # one map line per partnership (current's columns: no copy)
    network: pl.DataFrame  # the network's growth (analysis.questions.network.network_of)
    # the tables as shown (labels, dates at their precision, links): their first MAX_TABLE_ROWS rows,
    # and how many there are (an entry at 100,000 partnerships stays ~30 MB, most of it `current`)
    changes_shown: pl.DataFrame  # changes of status between the two dates
    changes_count: int
    lines_shown: pl.DataFrame
    stale_shown: pl.DataFrame  # open partnerships without an event for STALE_YEARS
    stale_count: int


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
    # a home city's two partnerships with one partner named by their kinds ("Schytomyr (Städtepartnerschaft)")
    changes = changes_between(package.frames, compare, as_of, partner_with_kind(current), partner_with_kind(before))
    lines = partnership_lines(current)
    first = MAX_TABLE_ROWS
    return OverviewFrames(
        current=current,
        total=everything.height,
        tiles=tiles,
        gaps=gaps,
        gap_text="\n".join(gap_line(home) for home in gaps.head(first).iter_rows(named=True)),
        summary=summary_sentence(tiles, gaps, homes, stale.height),
        lines=lines,
        network=network(package, current, as_of),
        changes_shown=with_change_text(
            at_precision(link_or_none(with_labels(changes.head(first))), "date", "date_precision", "date_text")
        ),
        changes_count=changes.height,
        lines_shown=with_labels(lines.head(first)),
        stale_shown=at_precision(
            with_labels(stale.head(first)), "last_event", "last_event_precision", "last_event_text"
        ),
        stale_count=stale.height,
    )
