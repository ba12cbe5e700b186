"""The overview's summary sentence and the gaps in words: composed once here, for the overview page
and the report alike (the report drops the bold marks)."""

from __future__ import annotations

import polars as pl

from analysis.questions.overview import STALE_YEARS, gaps_by_continent
from present import i18n
from present.i18n import plural, t


def gap_line(home: dict) -> str:
    """One row of analysis.questions.overview.gaps_per_home as a sentence: "Dortmund: keine aktive
    Partnerschaft in Afrika, Ozeanien"."""
    return t("gap_line", home=home["home_name"], continents=", ".join(map(i18n.continent_label, home["continents"])))


def gaps_sentence(gaps: pl.DataFrame, homes: int) -> str:
    """What the gaps (gaps_per_home) say, of HOMES home cities: where one city has no active partner,
    or per continent how many of the home cities have none there (most first)."""
    if gaps.is_empty():
        return t("summary_gaps_none")
    if homes == 1:
        row = gaps.row(0, named=True)
        return t(
            "summary_gaps_one",
            home=row["home_name"],
            continents=", ".join(map(i18n.continent_label, row["continents"])),
        )
    per_continent = [
        t("gaps_of", continent=i18n.continent_label(c), n=i18n.number(n), total=i18n.number(homes))
        for c, n in gaps_by_continent(gaps).iter_rows()
    ]
    return t("summary_gaps_many", continents=", ".join(per_continent))


def summary_sentence(tiles: pl.DataFrame, gaps: pl.DataFrame, homes: int, stale: int) -> str:
    """The overview's first sentence (markdown, numbers in bold): partnerships per status group
    (TILES: analysis.questions.overview.status_tiles), the gaps of HOMES home cities and the number
    of STALE quiet partnerships, under the gaps' one rule."""
    counts = {group: i18n.number(n) for group, n in zip(tiles["group"], tiles["now"], strict=True)}
    stale_text = t("summary_stale", stale=plural("open_partnerships", stale), years=STALE_YEARS)
    return t("summary_v3", **counts, gaps=gaps_sentence(gaps, homes), stale=stale_text)
