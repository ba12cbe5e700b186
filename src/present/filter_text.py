"""The filters a figure was made with, in words: for the report's first page, for the line every
chart image carries below its title and for the sheet and file name of every table download (a
chart or a table must not lie about its filter)."""

from __future__ import annotations

import re
from datetime import date

import polars as pl

from analysis.contract import CONTINENTS, KINDS, STATUSES
from analysis.package import Package
from analysis.questions.filters import Filters
from present import i18n
from present.i18n import t
from present.labels import theme_names

# Each filter of analysis.questions.filters.Filters, named by its text in the phrasebook.
FILTER_TEXTS = {
    "homes": "home",
    "statuses": "status",
    "continents": "continent",
    "countries": "country",
    "kinds": "kind",
    "themes": "theme",
    "founded_from": "founded_from",
    "founded_to": "founded_to",
    "search": "search",
}


def filter_lines(package: Package, filters: Filters) -> list[dict[str, str]]:
    """The filters that are set (name, value), with names instead of ids, in the current language."""
    english = i18n.lang() == "en"

    def names_of(table: str, key: str, name: str, chosen: tuple[str, ...]) -> dict[str, str]:
        # only the chosen ids: a package of 100,000 partnerships has ~80,000 places (a dict of all
        # took ~50 ms at every rerun of every page)
        rows = package[table].filter(pl.col(key).is_in(chosen))
        return dict(zip(rows[key], rows[name], strict=True))

    homes = names_of("municipalities", "municipality_id", "name", filters.homes) if filters.homes else {}
    countries = (
        names_of("countries", "country_code", "name_en" if english else "name_de", filters.countries)
        if filters.countries
        else {}
    )
    themes = theme_names(package) if filters.themes else {}
    label_of = {
        "homes": lambda v: homes.get(v, v),
        "statuses": lambda v: i18n.status_label(v) if v in STATUSES else v,
        "continents": lambda v: i18n.continent_label(v) if v in CONTINENTS else v,
        "countries": lambda v: countries.get(v, v),
        "kinds": lambda v: i18n.kind_label(v) if v in KINDS else v,
        "themes": lambda v: themes.get(v, v),
    }
    lines = []
    for name, text in FILTER_TEXTS.items():
        value = getattr(filters, name)
        if value in ((), None, ""):
            continue
        shown = ", ".join(label_of[name](v) for v in value) if isinstance(value, tuple) else str(value)
        lines.append({"name": t(text), "value": shown})
    return lines


def filters_sentence(package: Package, filters: Filters) -> str:
    """One line: "Filter: Heimatstadt Dortmund; Status aktiv", or that no filter is set."""
    lines = filter_lines(package, filters)
    if not lines:
        return t("chart_no_filters")
    return t("chart_filters", filters="; ".join(f"{line['name']} {line['value']}" for line in lines))


def source_line(package: Package, filters: Filters | None = None) -> str:
    """The source below a chart: the package's title (without what follows its colon, which may list
    more than the chart shows, e.g. every home city), with the home cities FILTERS keep (the ones the
    chart shows) when they are fewer than all, its version and date."""
    stand = i18n.date_at_precision(package.created.date(), "day") if package.created else "?"
    title = (package.title or "").split(": ")[0]
    if filters is not None and filters.homes:
        names = dict(zip(package["municipalities"]["municipality_id"], package["municipalities"]["name"], strict=True))
        title = t("chart_source_homes", title=title, homes=", ".join(names.get(h, h) for h in filters.homes))
    return t("chart_source", title=title, version=package.version, stand=stand)


def about_lines(package: Package, filters: Filters, as_of: date) -> list[str]:
    """What a chart image or a table download was made with: the as-of date, the filters, the source."""
    return [
        t("chart_as_of", date=i18n.date_at_precision(as_of, "day")),
        filters_sentence(package, filters),
        source_line(package, filters),
    ]


def slug(text: str, limit: int = 60) -> str:
    """TEXT for a file name: "Partnerschaften nach Kontinent" -> "partnerschaften-nach-kontinent"."""
    folded = text.lower()
    for umlaut, plain in (("ä", "ae"), ("ö", "oe"), ("ü", "ue"), ("ß", "ss")):
        folded = folded.replace(umlaut, plain)
    return re.sub(r"[^a-z0-9]+", "-", folded).strip("-")[:limit]


def download_stem(package: Package, filters: Filters, as_of: date, base: str = "partnerschaften") -> str:
    """A table download's file name (without suffix) that names its as-of date and its filters:
    "partnerschaften-2025-01-01-heimatstadt-dortmund" (without filters just BASE and the date)."""
    named = slug(" ".join(f"{line['name']} {line['value']}" for line in filter_lines(package, filters)), 80).strip("-")
    return "-".join(part for part in (base, as_of.isoformat(), named) if part)
