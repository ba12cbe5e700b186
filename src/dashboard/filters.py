"""The sidebar: language, the one filter set, the as-of date and the package in use.

Every widget has a stable key and a URL query parameter of the same name (dashboard.url_state);
the choices it offers come from analysis.questions.filter_options.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import streamlit as st

from analysis.package import Package
from analysis.questions import filter_options
from analysis.questions.filters import Filters
from dashboard.data import derived, using_upload
from dashboard.dates import date_field
from dashboard.url_state import (
    DROPPED,
    chosen_before,
    new_run,
    parse_choice,
    parse_multi,
    parse_range,
    show_url_notices,
    store,
    url_widget,
    write_url,
)
from present import i18n
from present.i18n import t

__all__ = ["EARLIEST", "MAX_HOME_CHOICES", "Selection", "founded_bounds", "show_url_notices", "sidebar"]

EARLIEST = date(1900, 1, 1)
MAX_HOME_CHOICES = 1000  # home cities offered in the sidebar list (the largest); the search finds all
MULTI_KEYS = ("home", "status", "continent", "country", "kind", "theme")


@dataclass(frozen=True)
class Selection:
    """What the sidebar chose: the filters and the as-of date."""

    filters: Filters
    as_of: date


def _labels(package: Package) -> dict[str, Callable[[str], str]]:
    names, countries, themes = derived(package, filter_options.option_names, i18n.lang())
    return {
        "home": lambda v: names.get(v, v),
        "status": i18n.status_label,
        "continent": i18n.continent_label,
        "country": lambda v: countries.get(v, v),
        "kind": i18n.kind_label,
        "theme": lambda v: themes.get(v, v),
    }


def founded_bounds(package: Package) -> tuple[int, int]:
    """The first and last year in which a partnership became active (the slider's ends)."""
    return derived(package, filter_options.founded_bounds)


def _reset() -> None:
    st.session_state.pop(DROPPED, None)
    values = store()
    for key in (*MULTI_KEYS, "founded", "q", "asof"):
        values[key] = None


def sidebar(package: Package) -> Selection:
    """Draw the language switch, the filters and the package's name; answer the selection."""
    today = date.today()
    options = derived(package, filter_options.filter_options, MAX_HOME_CHOICES)
    labels = _labels(package)
    lo, hi = founded_bounds(package)
    new_run()
    bar = st.sidebar
    url_widget(
        bar.radio,
        t("language"),
        "lang",
        parse_choice(list(i18n.LANGUAGES)),
        "de",
        options=list(i18n.LANGUAGES),
        format_func=i18n.LANGUAGES.get,
        horizontal=True,
    )
    bar.header(t("filters"))
    as_of = date_field(bar, t("as_of"), "asof", EARLIEST, today, today)
    if store()["asof"] is None:  # keep the date in the URL, so a shared view does not drift
        store()["asof"] = as_of
        write_url()
    offered = dict(options)
    if len(options["home_offered"]) < len(options["home"]):
        # many home cities: offer the largest, and whichever is chosen (by URL too); the search finds the rest
        chosen_homes = chosen_before("home", parse_multi(options["home"]))
        offered["home"] = options["home_offered"] + [
            h for h in chosen_homes or [] if h not in set(options["home_offered"])
        ]
    chosen = {
        key: url_widget(
            bar.multiselect,
            t(key),
            key,
            parse_multi(options[key]),
            [],
            options=offered[key],
            format_func=labels[key],
            placeholder=t("all"),
            select_all=False,  # "Select all" is English only, and nothing chosen already means all
            help=t("home_offered", n=i18n.number(len(offered["home"])), total=i18n.number(len(options["home"])))
            if key == "home" and len(offered["home"]) < len(options["home"])
            else None,
        )
        for key in MULTI_KEYS
    }
    founded = url_widget(
        bar.slider,
        t("founded_between"),
        "founded",
        parse_range(lo, hi),
        (lo, hi),
        min_value=lo,
        max_value=hi,
        help=t("founded_help"),
    )
    search = url_widget(
        bar.text_input, t("search"), "q", lambda raw: raw[-1][:200] or None, "", help=t("search_help"), max_chars=200
    )
    bar.button(t("reset"), on_click=_reset, key="reset")
    bar.caption(t("share_hint"))
    bar.caption(t("print_sidebar"))
    bar.divider()
    created = package.created
    stand = i18n.date_at_precision(created.date(), "day") if created else "?"
    bar.caption(t("using_own") if using_upload() else t("package"))
    bar.text(f"{package.title}\n{t('version')} {package.version} · {t('stand')} {stand}")

    filters = Filters(
        homes=tuple(chosen["home"]),
        statuses=tuple(chosen["status"]),
        continents=tuple(chosen["continent"]),
        countries=tuple(chosen["country"]),
        kinds=tuple(chosen["kind"]),
        themes=tuple(chosen["theme"]),
        founded_from=founded[0] if founded[0] > lo else None,
        founded_to=founded[1] if founded[1] < hi else None,
        search=search or "",
    )
    return Selection(filters, as_of or today)
