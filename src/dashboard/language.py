"""The language a session reads: its choice in the sidebar, else the link's ?lang=, else German."""

from __future__ import annotations

import streamlit as st

from present import i18n


def session_language() -> str | None:
    """The session's language as the URL state holds it (see dashboard.url_state), else the link's."""
    store = st.session_state.get("_url_state", {})
    return store["lang"] if "lang" in store else st.query_params.get("lang")


def follow_session_language() -> None:
    """From now on, present.i18n answers in the session's language (app.py calls this first)."""
    i18n.read_language_with(session_language)
