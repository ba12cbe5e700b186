"""Partnerschaftsatlas: the frame. Page config and navigation, nothing else."""

import streamlit as st

from dashboard.admission import turn
from dashboard.editing import edit_enabled
from dashboard.language import follow_session_language
from dashboard.sockets import send_without_delay
from present.i18n import t

send_without_delay()  # once per server: no ~40 ms wait between a run's messages (see dashboard.sockets)
follow_session_language()  # every text below and on the page in the session's language
st.set_page_config(page_title="Partnerschaftsatlas", page_icon="🌍", layout="wide")

pages = [
    # Streamlit serves the default page at / and answers its url_path with "Page not found": the
    # overview is a page of its own at /ueberblick (the path links and the docs name), and / opens it
    # too, as a hidden default page
    st.Page("views/overview.py", title=t("page_overview"), url_path="start", default=True, visibility="hidden"),
    st.Page("views/overview.py", title=t("page_overview"), url_path="ueberblick"),
    st.Page("views/partnerships.py", title=t("page_partnerships"), url_path="partnerschaften"),
    st.Page("views/themes.py", title=t("page_themes"), url_path="themen"),
    st.Page("views/history.py", title=t("page_history"), url_path="status-verlauf"),
    st.Page("views/compare.py", title=t("page_compare"), url_path="vergleich"),
    st.Page("views/data.py", title=t("page_data"), url_path="daten"),
    st.Page("views/accessibility.py", title=t("page_accessibility"), url_path="barrierefreiheit"),
]
if edit_enabled():  # the operator's choice: PARTNERSHIPS_EDIT=1 (see README)
    pages.append(st.Page("views/maintain.py", title=t("page_maintain"), url_path="pflege"))
with turn():  # page runs take turns (see dashboard.admission)
    st.navigation(pages).run()
