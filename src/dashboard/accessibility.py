"""What BITV 2.0 / WCAG 2.1 AA asks of every page beyond its content: the document's language,
and the operator's feedback contact for the accessibility statement.

Streamlit's index.html declares `<html lang="en">` for every page and offers no setting for it.
A fixed script (no text from data or users; the language is one of i18n.LANGUAGES) sets the
attribute in the browser on every run, so screen readers speak German pages in German.
"""

from __future__ import annotations

import os
from datetime import date

import streamlit as st

from present import i18n

# Where the operator names the feedback contact of the accessibility statement: this
# environment variable, or the key of the same name (lower case) in .streamlit/secrets.toml.
CONTACT_ENV = "PARTNERSCHAFTSATLAS_ACCESSIBILITY_CONTACT"
ENFORCEMENT_ENV = "PARTNERSCHAFTSATLAS_ACCESSIBILITY_ENFORCEMENT"
# The day the statement below was last checked against the app (BITV 2.0 § 7 asks for it).
STATEMENT_DATE = date(2026, 11, 22)


# Streamlit writes "Press Enter to apply" / "Press Enter to submit form" into text fields, in
# English only, over the field's right half (where it also takes clicks). Our own help texts say
# the same in the language shown, so the hint is hidden.
HIDE_ENGLISH_HINTS = '[data-testid="InputInstructions"] { display: none; }'


def declare_language() -> None:
    """Set `<html lang>` to the language shown (de or en) in the user's browser, and hide
    Streamlit's English input hints."""
    language = i18n.lang() if i18n.lang() in i18n.LANGUAGES else "de"
    st.html(
        f"<style>{HIDE_ENGLISH_HINTS}</style>"
        f'<script>document.documentElement.setAttribute("lang", "{language}");</script>',
        unsafe_allow_javascript=True,
    )


def configured(env: str) -> str | None:
    """An operator setting: the environment variable ENV, else the secret of the same name in lower case."""
    value = os.environ.get(env, "").strip()
    if value:
        return value
    try:
        value = str(st.secrets.get(env.lower(), "")).strip()
    except Exception:  # noqa: BLE001 - no secrets file, or one that cannot be read: not configured
        value = ""
    return value or None
