"""Who may edit on the page "Pflege", and who does: edit mode on, the server's own package, the
logged-in user or the name typed (what killed saves left is cleaned once per server); then the
unsaved changes this editor left (a reload, a closed tab, a restart) are offered back before
anything else."""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from analysis.keeping.leftovers import clean_leftovers
from analysis.keeping.versions import live_folder
from analysis.package import Package
from dashboard import editing
from dashboard.data import using_upload
from dashboard.loading import server_location
from present.i18n import t


def editor_or_stop(package: Package) -> str:
    """The editor's name ("" while none is typed); stops the page when editing is not possible here."""
    if not editing.edit_enabled():  # never registered then; a direct run writes nothing either
        st.stop()
    if using_upload():
        st.info(t("edit_upload_in_use"))
        st.stop()
    if editing.is_embedded(package):
        st.error(t("edit_embedded_refused"))
        st.stop()
    cleaned_at_start(server_location())
    if editing.auth_configured():
        who = editing.logged_in_user()
        if who is None:
            st.info(t("edit_login_needed"))
            st.button(t("edit_login"), on_click=st.login, key="edit_login")
            st.stop()
        st.text(who)
        st.button(t("edit_logout"), on_click=st.logout, key="edit_logout")
    else:
        # a widget's value is forgotten on a page without it: the name is kept for the session's next visit
        if "edit_who" not in st.session_state and "_edit_who_kept" in st.session_state:
            st.session_state["edit_who"] = st.session_state["_edit_who_kept"]
        who = st.text_input(t("edit_editor_name"), key="edit_who", max_chars=100) or ""
        st.session_state["_edit_who_kept"] = who
    editing.set_editor(who)
    return who


@st.cache_resource(max_entries=4, show_spinner=False)
def cleaned_at_start(location: str) -> int:
    """What killed saves and imports left beside the package at LOCATION removed, once per editing
    server and location (only edit mode writes there); how many were."""
    return len(clean_leftovers(live_folder(location)))


def when_words(moment: datetime) -> str:
    """ "heute, 16:04", "gestern, 16:04" or "am 02.12.2026, 16:04" (the server's local time)."""
    local, today = moment.astimezone(), datetime.now().astimezone().date()
    clock = local.strftime("%H:%M")
    days = (today - local.date()).days
    if days == 0:
        return t("edit_when_today", time=clock)
    if days == 1:
        return t("edit_when_yesterday", time=clock)
    return t("edit_when_day", date=local.strftime("%d.%m.%Y"), time=clock)


def offer_kept_or_stop(package: Package) -> None:
    """The editor's kept unsaved changes offered back: continue or discard; the forms wait for the
    answer (nothing kept is overwritten unseen)."""
    kept = editing.offered()
    if kept is None:
        return
    n = len(kept.changes)
    counted = t("pending_banner_one") if n == 1 else t("pending_banner", n=n)
    st.warning(t("edit_kept_offer", counted=counted, when=when_words(kept.when)))
    left, right = st.columns(2)
    left.button(t("edit_kept_resume"), on_click=editing.resume, args=(package,), key="edit_resume", type="primary")
    right.button(t("edit_kept_discard"), on_click=editing.discard_kept, key="edit_discard_kept")
    st.stop()
