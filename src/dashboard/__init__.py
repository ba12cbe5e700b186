"""The Streamlit edge shared by the pages. Importing any part of it makes the texts of
present.i18n follow the session's language (dashboard.language)."""

from dashboard.language import session_language
from present import i18n

i18n.read_language_with(session_language)
