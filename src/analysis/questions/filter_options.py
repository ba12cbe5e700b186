"""The choices the filters offer: what occurs in a package, and the names to show for them."""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis.contract import CONTINENTS, KINDS, STATUSES
from analysis.package import Package
from analysis.questions.status import is_known_by, with_basis


def filter_options(package: Package, max_home_choices: int) -> dict[str, list[str]]:
    """The ids each multiselect offers (what occurs in the package); `home_offered` holds the
    MAX_HOME_CHOICES home cities with most partnerships, by name."""
    partnerships = package["partnerships"]
    partners = package["municipalities"].join(
        partnerships.select(pl.col("partner_id").alias("municipality_id")).unique(), on="municipality_id"
    )
    counts = partnerships.group_by(pl.col("home_id").alias("municipality_id")).len()
    homes = package["municipalities"].join(counts, on="municipality_id").sort("name")
    offered = homes.top_k(max_home_choices, by=["len", "municipality_id"], reverse=[False, True]).sort("name")
    used_kinds = set(partnerships["kind"])
    used_continents = set(partners["continent"])
    return {
        "home": homes["municipality_id"].to_list(),
        "home_offered": offered["municipality_id"].to_list(),
        "status": list(STATUSES),
        "continent": [c for c in CONTINENTS if c in used_continents],
        "country": sorted(set(partners["country_code"])),
        "kind": [k for k in KINDS if k in used_kinds],
        "theme": package["themes"]["theme_id"].to_list(),
    }


def option_names(package: Package, lang: str) -> tuple[dict, dict, dict]:
    """The names of the home cities, countries and themes by id, in LANG ("de" or "en")."""
    homes = package["municipalities"].join(
        package["partnerships"].select(pl.col("home_id").alias("municipality_id")).unique(), on="municipality_id"
    )
    names = dict(zip(homes["municipality_id"], homes["name"], strict=True))
    name_column = "name_de" if lang == "de" else "name_en"
    countries = dict(zip(package["countries"]["country_code"], package["countries"][name_column], strict=True))
    return names, countries, theme_labels(package, lang)


def theme_labels(package: Package, lang: str) -> dict[str, str]:
    """Each theme's label by id, in LANG ("de" or "en")."""
    themes = package["themes"]
    return dict(zip(themes["theme_id"], themes["label_de" if lang == "de" else "label_en"], strict=True))


def founded_bounds(package: Package) -> tuple[int, int]:
    """The first and last year in which a partnership became active (the founded slider's ends);
    a row only "known by" its date founds nothing."""
    active = with_basis(package["status_history"]).filter((pl.col("status") == "active") & ~is_known_by())["date"]
    if active.is_empty():
        return (date.today().year, date.today().year + 1)
    return (active.min().year, max(active.max().year, active.min().year + 1))
