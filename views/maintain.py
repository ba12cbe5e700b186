"""Pflege: record a status event, a new partnership, themes, corrections and deletions as pending
changes, kept on the server until they are saved as a new version (registered only when
PARTNERSHIPS_EDIT=1). Each tab is a module of dashboard.maintain."""

import streamlit as st

from dashboard import editing
from dashboard.maintain import correct, event, gate, partnership, themes, unsaved, versions
from dashboard.maintain.widgets import plain
from dashboard.page import start
from present.i18n import t

package, selection = start("page_maintain", stop_when_empty=False)
gate.editor_or_stop(package)
editing.base_of(package)
gate.offer_kept_or_stop(package)
unsaved.meanwhile_notice()
st.caption(t("edit_intro"))
st.caption(t("edit_required_mark"))
saved = st.session_state.pop("save_toast", None)
if saved:
    st.toast(t("edit_saved_toast", version=plain(str(saved))), duration="long")

TABS = (
    ("edit_event", event),
    ("edit_new_partnership", partnership),
    ("edit_themes", themes),
    ("edit_correct_delete", correct),
    ("edit_pending", unsaved),
    ("edit_versions_tab", versions),
)
# stateful tabs: a save or any rerun stays on the tab in use
for tab, (_, module) in zip(
    st.tabs([t(label) for label, _ in TABS], key="maintain_tab", on_change="rerun"), TABS, strict=True
):
    with tab:
        module.draw(package)
