"""Tab "Themen": a theme added to a partnership (with its source) or taken from it."""

from __future__ import annotations

import streamlit as st

from analysis.keeping.editing import Operation
from analysis.package import Package
from dashboard import editing
from dashboard.edit_forms import at_field, outcome, problem, refuse, source_row, submit
from dashboard.maintain.labels import partnership_labels, theme_labels
from dashboard.maintain.widgets import choose, clear, required, save_bar, source_section
from present.i18n import t

FIELDS = ("th_partnership", "th_theme", "th_source")
SOURCE_FIELDS = tuple(f"th_src_{name}" for name in ("title", "publisher", "document_ref", "published", "url"))


def submit_theme(package: Package) -> None:
    partnership = st.session_state.get("th_partnership") or ""
    theme = st.session_state.get("th_theme") or ""
    action = st.session_state.get("th_action")
    if action is None:
        refuse("th", {"action": [problem("edit_theme_action_missing")]})
        return
    if action == "remove":
        key = {"partnership_id": partnership, "theme_id": theme}
        exists = editing.current_frames()["partnership_themes"].filter(**key).height
        if not exists:
            refuse("th", {"action": [problem("edit_theme_not_there")]})
            return
        done = submit(package, "th", "change_theme", [], (Operation("remove", "partnership_themes", key=key),))
    else:
        source_id, source_rows, found = source_row("th")
        row = {"partnership_id": partnership, "theme_id": theme, "source_id": source_id}
        rows = [*source_rows, ("partnership_themes", row)]
        done = submit(package, "th", "change_theme", rows, found=found, covered=("partnership_themes.source_id",))
    if done:
        clear("th", FIELDS + SOURCE_FIELDS)


def draw(package: Package) -> None:
    frames = editing.current_frames()
    with st.container(border=True):
        choose(t("edit_partnership"), partnership_labels(frames), "th_partnership")
        at_field("th", "partnership_themes.partnership_id")
        choose(t("edit_theme"), theme_labels(frames), "th_theme")
        at_field("th", "partnership_themes.theme_id", "partnership_themes.partnership_id, theme_id")
        st.radio(
            required(t("edit_theme_action")),
            ["add", "remove"],
            index=None,
            format_func=lambda a: t(f"edit_theme_{a}"),
            key="th_action",
            horizontal=True,
        )
        at_field("th", "action")
        if st.session_state.get("th_action") != "remove":
            source_section("th", frames)
        st.button(t("edit_apply"), on_click=submit_theme, args=(package,), key="th_submit")
        outcome("th")
    save_bar(package, "th")
