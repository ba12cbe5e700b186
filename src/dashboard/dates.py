"""The date fields (Stichtag, Vergleich mit) as plain text fields bound to the URL.

Streamlit 1.67's st.date_input is a segmented field (react-aria) with a calendar popover. In
Chromium, Enter does not apply a typed date, and a click on a page link right after typing is
lost (3 of 3 in the browser test), as the field commits on blur and that run swallows the click;
its segments are also announced in English ("day, Stichtag"). A plain st.text_input still
commits on blur (a click after typing was lost 2 of 3 times). A text field in a form does not:
Enter or the "Übernehmen" button applies the date, leaving the field starts no run, so the
click that left it is taken as it is (the typed, unapplied text then gives way to the date in
force). Every word is ours. A date that cannot be read, or lies outside the allowed range, is
refused with a message in the user's language and the previous date stays.
"""

from __future__ import annotations

import re
from datetime import date

import streamlit as st

from dashboard import url_state
from present import i18n
from present.i18n import t

GERMAN = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$")
ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
ERRORS = "_date_field_errors"  # field key -> True while the typed text is refused
RUNS = "_date_field_runs"  # field key -> how many runs drew it


def read_date(text: str) -> date | None:
    """25.11.2019, 1.5.2024 or 2019-11-25 as a date; anything else None."""
    german, iso = GERMAN.match(text or ""), ISO.match(text or "")
    try:
        if german:
            return date(int(german[3]), int(german[2]), int(german[1]))
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
    except ValueError:
        return None
    return None


def shown(value: date) -> str:
    return value.strftime("%d.%m.%Y")


def _take(key: str, lo: date, hi: date, default: date) -> None:
    """on_change: keep a readable date in range, else remember that the text was refused."""
    value = read_date(st.session_state[key])
    errors = st.session_state.setdefault(ERRORS, {})
    if value is None or not lo <= value <= hi:
        errors[key] = True
        return
    errors.pop(key, None)
    st.session_state.get(url_state.DROPPED, {}).pop(key, None)  # chosen anew: the link's notice has done its job
    url_state.store()[key] = None if value == default else value


def date_field(container, label: str, key: str, lo: date, hi: date, default: date) -> date:
    """A text field for a date between LO and HI, bound to the query parameter KEY (ISO in the
    URL, TT.MM.JJJJ on the page); answers the date in force."""
    values = url_state.store()
    if key not in values:  # first sight: the URL's value, or a visible notice that it was not used
        raw = st.session_state[url_state.OPENED_WITH].get(key)
        values[key] = url_state.parsed(url_state.parse_date(lo, hi), raw) if raw else None
        if raw and values[key] is None:
            url_state.drop(key, raw[-1])
    value = values[key]
    if value is not None and not lo <= value <= hi:  # another as-of date may narrow the range
        value = values[key] = None
    current = default if value is None else value
    refused = st.session_state.get(ERRORS, {}).get(key, False)
    if not refused:
        st.session_state[key] = shown(current)
    # A typed date left unapplied (another filter or a link clicked instead of Enter) is visibly
    # reset to the date in force: the browser keeps its typed text while the field's description
    # is the same as in the run before, so every run describes it a little differently (an
    # invisible zero-width space, on every other run).
    runs = st.session_state.setdefault(RUNS, {})
    runs[key] = runs.get(key, 0) + 1
    hint = t("date_help", lo=shown(lo), hi=shown(hi)) + ("\u200b" * (runs[key] % 2))
    registered = st.session_state.setdefault(url_state.REGISTERED, [])
    if key not in registered:
        registered.append(key)
    # A form: Enter (or the button) applies the date; leaving the field does not start a run, so
    # the click that left it (on a page link, another filter) is the only thing that happens.
    form = container.form(f"{key}_form", border=False, enter_to_submit=True)
    form.text_input(
        label,
        key=key,
        placeholder=t("date_placeholder"),
        help=hint,
        max_chars=10,
    )
    form.form_submit_button(t("date_apply"), on_click=_take, args=(key, lo, hi, default), key=f"{key}_apply")
    if refused:
        container.error(t("date_refused", lo=shown(lo), hi=shown(hi), now=i18n.date_at_precision(current, "day")))
        st.session_state[ERRORS].pop(key, None)  # the next run shows the date in force again
    url_state.write_url()
    return current
