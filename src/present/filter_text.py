"""The filters a figure was made with, in words: for the report's first page and for the line every
chart image and table download carries below its title (a chart must not lie about its filter)."""

from __future__ import annotations

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
    homes = dict(zip(package["municipalities"]["municipality_id"], package["municipalities"]["name"], strict=True))
    countries = dict(
        zip(
            package["countries"]["country_code"],
            package["countries"]["name_en" if english else "name_de"],
            strict=True,
        )
    )
    themes = theme_names(package)
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


def source_line(package: Package) -> str:
    """The source below a chart: the package's title (without what follows its colon, which may list
    more than the chart shows, e.g. every home city), version and date."""
    stand = i18n.date_at_precision(package.created.date(), "day") if package.created else "?"
    title = (package.title or "").split(": ")[0]
    return t("chart_source", title=title, version=package.version, stand=stand)
