"""The one filter set shared by the dashboard, its downloads and `partnerships export`."""

from __future__ import annotations

from dataclasses import dataclass, fields

import polars as pl

SEARCH_COLUMNS = (
    "partnership_id",
    "home_name",
    "partner_name",
    "partner_name_en",
    "partner_country",
    "partner_country_code",
)


@dataclass(frozen=True)
class Filters:
    """Which rows of the enriched view to keep. Empty selections keep everything."""

    homes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    continents: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    founded_from: int | None = None
    founded_to: int | None = None
    search: str = ""

    def is_empty(self) -> bool:
        return self == Filters()

    def describe(self) -> dict[str, str]:
        """The filters that are set, as readable text (for README files and captions)."""
        described = {}
        for field in fields(self):
            value = getattr(self, field.name)
            if value in ((), None, ""):
                continue
            described[field.name] = ", ".join(value) if isinstance(value, tuple) else str(value)
        return described

    def expression(self) -> pl.Expr:
        """A Polars predicate over enriched-view columns."""
        predicate = pl.lit(True)
        for column, chosen in (
            ("home_id", self.homes),
            ("status", self.statuses),
            ("partner_continent", self.continents),
            ("partner_country_code", self.countries),
            ("kind", self.kinds),
        ):
            if chosen:
                predicate &= pl.col(column).is_in(list(chosen))
        if self.themes:
            theme_list = pl.col("themes").fill_null("").str.split(";")
            predicate &= pl.any_horizontal([theme_list.list.contains(theme) for theme in self.themes])
        # "founded" is the year a partnership first became active; one that never was (proposed,
        # in preparation, declined) has none and is kept, so the years never hide the pipeline
        founded_year = pl.col("founded").dt.year()
        if self.founded_from is not None:
            predicate &= founded_year.is_null() | (founded_year >= self.founded_from)
        if self.founded_to is not None:
            predicate &= founded_year.is_null() | (founded_year <= self.founded_to)
        needle = self.search.strip().lower()
        if needle:
            predicate &= pl.any_horizontal(
                [
                    pl.col(column).fill_null("").str.to_lowercase().str.contains(needle, literal=True)
                    for column in SEARCH_COLUMNS
                ]
            )
        return predicate
