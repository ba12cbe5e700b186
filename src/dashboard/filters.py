"""The sidebar: language, the one filter set, the as-of date and the package in use.

Every widget has a stable key and a URL query parameter. Values live in one session store
that survives page switches; the URL is read into it once and written back on every run,
with ids (not translated labels) as values, so a copied URL opens the same view in either
language. Streamlit's own `bind="query-params"` writes the displayed labels instead, which
would make a German URL fail in English; hence this small module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import polars as pl
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from analysis.contract import CONTINENTS, KINDS, STATUSES
from analysis.filters import Filters
from analysis.package import Package
from dashboard import i18n
from dashboard.data import derived, using_upload
from dashboard.i18n import t

EARLIEST = date(1900, 1, 1)
MAX_HOME_CHOICES = 1000  # home cities offered in the sidebar list (the largest); the search finds all
MULTI_KEYS = ("home", "status", "continent", "country", "kind", "theme")
STORE = "_url_state"  # param -> value; None means "the default"
REGISTERED = "_url_params_this_run"  # the parameters of the widgets drawn in this run
OPENED_WITH = "_url_opened_with"  # the query string the session started with
DROPPED = "_url_dropped"  # param -> what of the URL's value could not be used (shown until changed)
NOTICES = "_url_notices_box"  # this run's container for those notices


def _store() -> dict:
    return st.session_state.setdefault(STORE, {})


def parse_multi(options: Sequence[str]) -> Callable[[list[str]], list[str] | None]:
    """Repeated or comma-separated ids; unknown ones are dropped."""
    allowed = set(options)

    def parse(raw: list[str]) -> list[str] | None:
        values = [v for item in raw for v in item.split(",") if v]
        return [v for v in dict.fromkeys(values) if v in allowed] or None

    return parse


def parse_date(lo: date, hi: date) -> Callable[[list[str]], date | None]:
    def parse(raw: list[str]) -> date | None:
        try:
            value = date.fromisoformat(raw[-1])
        except ValueError:
            return None
        return value if lo <= value <= hi else None

    return parse


def parse_choice(options: Sequence[str]) -> Callable[[list[str]], str | None]:
    return lambda raw: raw[-1] if raw[-1] in options else None


def _parsed(parse: Callable[[list[str]], object], raw: list[str]) -> object:
    """PARSE(RAW), or None when it cannot use it (whatever it raises: a shared link never breaks a page)."""
    try:
        return parse(raw)
    except (ValueError, TypeError, OverflowError, IndexError):
        return None


def _unusable(raw: list[str], value: object) -> str | None:
    """What of the URL's RAW value was not used (the whole value, or the unknown ids of a list)."""
    if value is None:
        return raw[-1]
    if isinstance(value, list):
        kept = {str(v) for v in value}
        unknown = [v for item in raw for v in item.split(",") if v and v not in kept]
        return ",".join(unknown) or None
    return None


def _notice(box, param: str, value: str) -> None:
    box.warning(t("url_dropped", param=param))
    box.text(f"{param}={value}")  # as text: a link's value is never rendered as markup


def _drop(param: str, value: str) -> None:
    st.session_state.setdefault(DROPPED, {})[param] = value
    box = st.session_state.get(NOTICES)
    if box is not None:
        _notice(box, param, value)


def show_url_notices() -> None:
    """Name every value of the link that could not be used (below the page title); values of
    widgets drawn later in this run are named here too."""
    box = st.container(key="url_notices")
    st.session_state[NOTICES] = box
    for param, value in st.session_state.get(DROPPED, {}).items():
        _notice(box, param, value)


def _dump(value: object) -> list[str]:
    if isinstance(value, list | tuple) and value and all(isinstance(v, int) for v in value):
        return [f"{value[0]}-{value[1]}"]
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    if isinstance(value, date):
        return [value.isoformat()]
    return [str(value)] if value not in (None, "") else []


def write_url() -> None:
    """The query string: every widget drawn in this run that is not at its default."""
    params = {}
    for param in st.session_state.get(REGISTERED, []):
        value = _store().get(param)
        if value is not None:
            dumped = _dump(value)
            if dumped:
                params[param] = dumped if len(dumped) > 1 else dumped[0]
    if params != st.query_params.to_dict() or any(isinstance(v, list) for v in params.values()):
        st.query_params.from_dict(params)


def _remember(key: str, default: object) -> None:
    st.session_state.get(DROPPED, {}).pop(key, None)  # the user chose anew: the notice has done its job
    value = st.session_state[key]
    _store()[key] = None if value == default or value in ([], "") else value


def url_widget(widget: Callable, label: str, key: str, parse: Callable, default: object, **kwargs) -> object:
    """Draw WIDGET with KEY bound to the query parameter of the same name; answer its value.

    The URL's value (if PARSE accepts it) seeds the store on first sight; the store seeds the
    widget on every run, so the value follows the user to every page.
    """
    store = _store()
    if key not in store:
        raw = st.session_state[OPENED_WITH].get(key)
        store[key] = _parsed(parse, raw) if raw else None
        unusable = _unusable(raw, store[key]) if raw else None
        if unusable is not None:
            _drop(key, unusable)
    value = store[key]
    if value is not None:  # still valid? (another package or as-of date may have other options)
        dumped = _dump(value)
        value = store[key] = _parsed(parse, dumped) if dumped else None
    st.session_state[key] = default if value is None else value
    registered = st.session_state.setdefault(REGISTERED, [])
    if key not in registered:
        registered.append(key)
    result = widget(label, key=key, on_change=_remember, args=(key, default), **kwargs)
    write_url()
    return result


def remembered(key: str) -> str | None:
    """The value of URL widget KEY before it is drawn: as stored, or as the URL opened with."""
    if key in _store():
        value = _store()[key]
        return None if value is None else str(value)
    raw = st.session_state.get(OPENED_WITH, {}).get(key)
    return raw[-1] if raw else None


def new_run() -> None:
    """Forget which widgets the previous run drew (called first on every page); on the session's
    first run, keep the URL it was opened with."""
    st.session_state[REGISTERED] = []
    st.session_state.pop(NOTICES, None)  # the previous run's container is gone
    if OPENED_WITH not in st.session_state:
        st.session_state[OPENED_WITH] = {key: st.query_params.get_all(key) for key in st.query_params}
        unknown = _unknown_page()
        if unknown:
            _drop("page", unknown)


def _unknown_page() -> str | None:
    """The path of the link when it names no page (Streamlit then runs the first page)."""
    url = st.context.url
    if not url:
        return None
    path = urlsplit(url).path.strip("/")
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    if base and path.startswith(base):
        path = path[len(base) :].strip("/")
    run = get_script_run_ctx()
    known = {info.get("url_pathname") for info in run.pages_manager.get_pages().values()} if run else set()
    return f"/{path}" if path and path not in known else None


@dataclass(frozen=True)
class Selection:
    """What the sidebar chose: the filters and the as-of date."""

    filters: Filters
    as_of: date


def _options(package: Package) -> dict[str, list[str]]:
    """The choices of each multiselect: what occurs in the package (derived once per package)."""
    return derived(package, _derive_options)


def _derive_options(package: Package) -> dict[str, list[str]]:
    partnerships = package["partnerships"]
    partners = package["municipalities"].join(
        partnerships.select(pl.col("partner_id").alias("municipality_id")).unique(), on="municipality_id"
    )
    counts = partnerships.group_by(pl.col("home_id").alias("municipality_id")).len()
    homes = package["municipalities"].join(counts, on="municipality_id").sort("name")
    # the home cities offered in the list: all, or the MAX_HOME_CHOICES with most partnerships
    offered = homes.top_k(MAX_HOME_CHOICES, by=["len", "municipality_id"], reverse=[False, True]).sort("name")
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


def _names(package: Package, lang: str) -> tuple[dict, dict, dict]:
    homes = package["municipalities"].join(
        package["partnerships"].select(pl.col("home_id").alias("municipality_id")).unique(), on="municipality_id"
    )
    names = dict(zip(homes["municipality_id"], homes["name"], strict=True))
    name_column = "name_de" if lang == "de" else "name_en"
    countries = dict(zip(package["countries"]["country_code"], package["countries"][name_column], strict=True))
    label_column = "label_de" if lang == "de" else "label_en"
    themes = dict(zip(package["themes"]["theme_id"], package["themes"][label_column], strict=True))
    return names, countries, themes


def _labels(package: Package) -> dict[str, Callable[[str], str]]:
    lang = i18n.lang()
    names, countries, themes = derived(package, _names, lang)
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
    return derived(package, _founded_bounds)


def _founded_bounds(package: Package) -> tuple[int, int]:
    active = package["status_history"].filter(pl.col("status") == "active")["date"]
    if active.is_empty():
        return (date.today().year, date.today().year + 1)
    return (active.min().year, max(active.max().year, active.min().year + 1))


def _reset() -> None:
    st.session_state.pop(DROPPED, None)
    store = _store()
    for key in (*MULTI_KEYS, "founded", "q", "asof"):
        store[key] = None


def parse_range(lo: int, hi: int) -> Callable[[list[str]], tuple[int, int] | None]:
    """founded=1950-2000, clipped to the data's years."""

    def parse(raw: list[str]) -> tuple[int, int] | None:
        years = re.fullmatch(r"([0-9]{1,4})-([0-9]{1,4})", raw[-1])  # ASCII digits only: not "1950-²"
        if years is None:
            return None
        start, end = max(lo, int(years[1])), min(hi, int(years[2]))
        return (start, end) if start <= end else None

    return parse


def sidebar(package: Package) -> Selection:
    """Draw the language switch, the filters and the package's name; answer the selection."""
    today = date.today()
    options = _options(package)
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
    from dashboard.dates import date_field  # dates binds to this module's URL store

    as_of = date_field(bar, t("as_of"), "asof", EARLIEST, today, today)
    if _store()["asof"] is None:  # keep the date in the URL, so a shared view does not drift
        _store()["asof"] = as_of
        write_url()
    offered = dict(options)
    if len(options["home_offered"]) < len(options["home"]):
        # many home cities: offer the largest, and whichever is chosen (by URL too); the search finds the rest
        parse_homes = parse_multi(options["home"])
        raw = st.session_state[OPENED_WITH].get("home")
        chosen_homes = _store().get("home") if "home" in _store() else (parse_homes(raw) if raw else None)
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
