"""The Streamlit edge shared by the pages. Importing it changes nothing: app.py calls
dashboard.language.follow_session_language() at the start of every run, so that the texts of
present.i18n follow the session's language."""
