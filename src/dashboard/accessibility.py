"""What BITV 2.0 / WCAG 2.1 AA asks of every page beyond its content: the document's language,
table toolbars that cover nothing and show under the keyboard's focus, chart texts with contrast,
and the operator's feedback contact for the accessibility statement.

Streamlit's index.html declares `<html lang="en">` for every page and offers no setting for it.
A fixed script (no text from data or users; the language is one of i18n.LANGUAGES) sets the
attribute in the browser on every run, so screen readers speak German pages in German.
"""

from __future__ import annotations

import json
from datetime import date

import streamlit as st

from analysis.settings import ACCESSIBILITY_CONTACT, ACCESSIBILITY_ENFORCEMENT, read_settings
from present import i18n

# Where the operator names the feedback contact of the accessibility statement: this
# environment variable, or the key of the same name (lower case) in .streamlit/secrets.toml.
CONTACT_ENV = ACCESSIBILITY_CONTACT
ENFORCEMENT_ENV = ACCESSIBILITY_ENFORCEMENT
# The day the statement below was last checked against the app (BITV 2.0 § 7 asks for it).
STATEMENT_DATE = date(2026, 11, 22)


# Streamlit writes "Press Enter to apply" / "Press Enter to submit form" into text fields, in
# English only, over the field's right half (where it also takes clicks). Our own help texts say
# the same in the language shown, so the hint is hidden.
HIDE_ENGLISH_HINTS = '[data-testid="InputInstructions"] { display: none; }'

# Streamlit's table toolbar (show/hide columns, download, search, full screen) rests invisibly over
# the right end of a table's heading row and, on hover, slides up over whatever stands above the table:
# on a phone (390 px) it covers the table's caption or heading. And it stays invisible while one of its
# buttons has the keyboard focus. So room for it is kept above every table, it always sits in that
# room, and it shows on hover and while the keyboard is in it.
TOOLBAR = '[data-testid="stDataFrame"] > [data-testid="stElementToolbar"]'
TABLE_TOOLBAR_ABOVE = (
    '[data-testid="stElementContainer"]:has(> [data-testid="stFullScreenFrame"] > [data-testid="stDataFrame"])'
    " { padding-top: 2.75rem; }"
    f" {TOOLBAR} {{ top: -2.75rem; transition: opacity 150ms 100ms; }}"
    f" {TOOLBAR}:focus-within {{ opacity: 1; z-index: 1; }}"
)

# Streamlit's chart theme writes axis and legend texts in #808495, 3.7:1 on white (WCAG 2.1 AA asks
# 4.5:1 of text, also in a graphic); CSS outranks the fill attribute Vega gives them. #666666 is the
# grey of Streamlit's own captions under our theme, 5.7:1. (Downloaded SVG/PNG do not use the theme.)
# Selected by vega-embed's and Vega's own classes, not by Streamlit's internal test ids; the toolbar,
# the table and the input hint below have no stable class or key, so their test ids stay.
CHART_TEXT_CONTRAST = (
    ".vega-embed :is(.role-axis-label, .role-axis-title, .role-legend-label, .role-legend-title) text"
    " { fill: #666666; }"
)

# Streamlit cuts a button's label that does not fit on one line ("Filtered data as a data package (z…" in four
# columns): labels wrap instead.
BUTTON_LABELS_WRAP = (
    'button [data-testid="stMarkdownContainer"], button [data-testid="stMarkdownContainer"] p'
    " { white-space: normal; text-overflow: clip; overflow: visible; }"
)


# Printing a page (Ctrl+P) gives the page's content at full width: no sidebar, header, widgets,
# buttons or table toolbars, charts as wide as the paper; at its top, where the PDF report is.
PRINT = (
    "@media print {"
    ' [data-testid="stSidebar"], [data-testid="stHeader"], [data-testid="stToolbar"],'
    ' [data-testid="stSidebarCollapsedControl"], [data-testid="stElementToolbar"], [data-testid="stForm"],'
    ' [data-testid="stDownloadButton"], [data-testid="stButton"], [data-testid="stBaseButton-secondary"],'
    ' [data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stTextInput"],'
    ' [data-testid="stFileUploader"], [data-testid="stExpanderToggleIcon"], .vega-bindings'
    " { display: none !important; }"
    ' [data-testid="stMain"] { margin-left: 0 !important; width: 100% !important; overflow: visible !important; }'
    ' [data-testid="stMainBlockContainer"] { max-width: 100% !important; padding: 0 1rem !important; }'
    ' [data-testid="stAppViewContainer"], .stApp { position: static !important; overflow: visible !important; }'
    ' [data-testid="stVegaLiteChart"], .vega-embed { width: 100% !important; break-inside: avoid; }'
    ' [data-testid="stMainBlockContainer"]::before { content: var(--print-hint); display: block;'
    " font-size: 0.8rem; margin-bottom: 0.5rem; }"
    "}"
)


def declare_language() -> None:
    """Set `<html lang>` to the language shown (de or en) in the user's browser, hide Streamlit's
    English input hints, keep table toolbars off the tables' headings and give chart texts contrast."""
    language = i18n.lang() if i18n.lang() in i18n.LANGUAGES else "de"
    print_hint = json.dumps(i18n.t("print_hint"), ensure_ascii=False)  # our text, a CSS string
    st.html(
        f"<style>{HIDE_ENGLISH_HINTS} {TABLE_TOOLBAR_ABOVE} {CHART_TEXT_CONTRAST}"
        f" {BUTTON_LABELS_WRAP} {PRINT} :root {{ --print-hint: {print_hint}; }}</style>"
        f'<script>document.documentElement.setAttribute("lang", "{language}");</script>',
        unsafe_allow_javascript=True,
    )


def configured(env: str) -> str | None:
    """An operator setting: the environment variable ENV, else the secret of the same name in lower case."""
    settings = read_settings()
    value = {CONTACT_ENV: settings.accessibility_contact, ENFORCEMENT_ENV: settings.accessibility_enforcement}[env]
    if value:
        return value
    try:
        value = str(st.secrets.get(env.lower(), "")).strip()
    except Exception:  # noqa: BLE001 - no secrets file, or one that cannot be read: not configured
        value = ""
    return value or None
