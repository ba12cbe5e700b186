"""Tab "Ungespeicherte Änderungen": each pending change in words, undone one by one or all at
once, saved; what someone else saved meanwhile, and what could not be carried over."""

from __future__ import annotations

from functools import partial

import streamlit as st

from analysis.keeping.editing import in_language
from analysis.package import Package
from dashboard import editing
from dashboard.maintain.widgets import save_bar
from dashboard.maintain.words import change_words, meanwhile_words
from present import i18n
from present.i18n import t


def undo_now(index: int) -> None:
    st.session_state["undo_refused"] = editing.undo(index)


def discard_now() -> None:
    editing.discard_all()
    st.session_state["discard_asked"] = False


def draw(package: Package) -> None:
    state = editing.state()
    if st.session_state.get("undo_refused"):
        st.error(t("edit_undo_refused"))
        for problem in st.session_state["undo_refused"]:
            st.text(f"⚠ {problem.describe(i18n.lang())}")
    if state.not_kept:
        st.warning(t("edit_not_kept"))
    if not state.pending:
        st.text(t("edit_nothing_pending"))
    for index, change in enumerate(state.pending):
        with st.container(border=True):
            st.text(f"{index + 1}. {t(change.kind)}")
            st.text(editing.words(index, change_words))
            st.button(t("edit_undo"), on_click=partial(undo_now, index), key=f"undo_{index}")
    save_bar(package, "pending")
    if state.pending:
        if st.button(t("edit_discard_all"), key="edit_discard_all"):
            st.session_state["discard_asked"] = True
        if st.session_state.get("discard_asked"):
            st.warning(t("edit_discard_ask", n=len(state.pending)))
            st.button(t("edit_discard_yes"), on_click=discard_now, key="edit_discard_yes")
    if state.meanwhile:
        st.subheader(t("edit_meanwhile"))
        st.text(in_language(state.meanwhile, i18n.lang()))
    if state.conflicts:
        st.subheader(t("edit_conflicts_or_misfits"))
        for line in meanwhile_lines():
            st.text(f"⚠ {line}")
        named = [change for change, _ in state.changed_meanwhile]  # said above with who changed the rows
        for change in (change for change in state.conflicts if change not in named):
            st.text(f"{t(change.kind)}: {change_words(change, editing.current_frames(), editing.current_frames())}")

        def drop_conflicts() -> None:
            editing.state().conflicts = []
            editing.state().changed_meanwhile = []

        st.button(t("edit_conflicts_drop"), on_click=drop_conflicts, key="edit_conflicts_drop")


def meanwhile_lines() -> list[str]:
    """The kept changes not carried over because someone else saved their rows since, each with
    what was saved there: "Herne – Beşiktaş wurde inzwischen von B geändert (…): …"."""
    state, frames = editing.state(), editing.current_frames()
    lines = []
    for change, rows in state.changed_meanwhile:
        lines += [meanwhile_words(row, frames) for row in rows]
        lines.append(t("edit_kept_not_carried", change=change_words(change, frames, frames).replace("\n", "; ")))
    return lines


def meanwhile_notice() -> None:
    """Above the tabs, where the eye is after "fortsetzen": what was not carried over, and why."""
    lines = meanwhile_lines()
    if lines:
        with st.container(border=True):
            st.warning(t("edit_kept_meanwhile"))
            for line in lines:  # text from data: shown as text, never as markup
                st.text(f"⚠ {line}")
