"""URL state: every sidebar and page widget bound to a query parameter of the same name.

Values live in one session store that survives page switches; the URL is read into it once and
written back on every run, with ids (not translated labels) as values, so a copied URL opens the
same view in either language. Streamlit's own `bind="query-params"` writes the displayed labels
instead, which would make a German URL fail in English; hence this small module.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from urllib.parse import urlsplit

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from present.i18n import t

STORE = "_url_state"  # param -> value; None means "the default"
REGISTERED = "_url_params_this_run"  # the parameters of the widgets drawn in this run
OPENED_WITH = "_url_opened_with"  # the query string the session started with
DROPPED = "_url_dropped"  # param -> what of the URL's value could not be used (shown until changed)
NOTICES = "_url_notices_box"  # this run's container for those notices


def store() -> dict:
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


def parsed(parse: Callable[[list[str]], object], raw: list[str]) -> object:
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


def drop(param: str, value: str) -> None:
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
        value = store().get(param)
        if value is not None:
            dumped = _dump(value)
            if dumped:
                params[param] = dumped if len(dumped) > 1 else dumped[0]
    if params != st.query_params.to_dict() or any(isinstance(v, list) for v in params.values()):
        st.query_params.from_dict(params)


def _remember(key: str, default: object) -> None:
    st.session_state.get(DROPPED, {}).pop(key, None)  # the user chose anew: the notice has done its job
    value = st.session_state[key]
    store()[key] = None if value == default or value in ([], "") else value


def url_widget(widget: Callable, label: str, key: str, parse: Callable, default: object, **kwargs) -> object:
    """Draw WIDGET with KEY bound to the query parameter of the same name; answer its value.

    The URL's value (if PARSE accepts it) seeds the store on first sight; the store seeds the
    widget on every run, so the value follows the user to every page.
    """
    values = store()
    if key not in values:
        raw = st.session_state[OPENED_WITH].get(key)
        values[key] = parsed(parse, raw) if raw else None
        unusable = _unusable(raw, values[key]) if raw else None
        if unusable is not None:
            drop(key, unusable)
    value = values[key]
    if value is not None:  # still valid? (another package or as-of date may have other options)
        dumped = _dump(value)
        value = values[key] = parsed(parse, dumped) if dumped else None
    st.session_state[key] = default if value is None else value
    registered = st.session_state.setdefault(REGISTERED, [])
    if key not in registered:
        registered.append(key)
    result = widget(label, key=key, on_change=_remember, args=(key, default), **kwargs)
    write_url()
    return result


def remembered(key: str) -> str | None:
    """The value of URL widget KEY before it is drawn: as stored, or as the URL opened with."""
    if key in store():
        value = store()[key]
        return None if value is None else str(value)
    raw = st.session_state.get(OPENED_WITH, {}).get(key)
    return raw[-1] if raw else None


def chosen_before(key: str, parse: Callable[[list[str]], object]) -> object:
    """The value of URL widget KEY before it is drawn, parsed: as stored, or as the URL opened with."""
    values = store()
    if key in values:
        return values[key]
    raw = st.session_state.get(OPENED_WITH, {}).get(key)
    return parse(raw) if raw else None


def new_run() -> None:
    """Forget which widgets the previous run drew (called first on every page); on the session's
    first run, keep the URL it was opened with."""
    st.session_state[REGISTERED] = []
    st.session_state.pop(NOTICES, None)  # the previous run's container is gone
    if OPENED_WITH not in st.session_state:
        st.session_state[OPENED_WITH] = {key: st.query_params.get_all(key) for key in st.query_params}
        unknown = _unknown_page()
        if unknown:
            drop("page", unknown)


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


def parse_range(lo: int, hi: int) -> Callable[[list[str]], tuple[int, int] | None]:
    """founded=1950-2000, clipped to the data's years."""

    def parse(raw: list[str]) -> tuple[int, int] | None:
        years = re.fullmatch(r"([0-9]{1,4})-([0-9]{1,4})", raw[-1])  # ASCII digits only: not "1950-²"
        if years is None:
            return None
        start, end = max(lo, int(years[1])), min(hi, int(years[2]))
        return (start, end) if start <= end else None

    return parse
