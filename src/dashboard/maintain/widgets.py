"""What the tabs of the page "Pflege" share: a choice with nothing preselected, required fields
marked, the source section, and the save bar that names the saved version on the tab in use."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from analysis.keeping.pending import record_words
from analysis.keeping.saving import live_folder
from analysis.package import Package
from dashboard import editing
from dashboard.edit_forms import SOURCE, at_field, typed_value
from dashboard.loading import server_location
from dashboard.maintain.labels import Frames, source_labels, value_label
from dashboard.maintain.words import change_words
from present import i18n
from present.i18n import t

MAX_TEXT = 500  # characters of one typed field (what is kept on the server stays small)


def field_of(package: Package, resource: str, field: str) -> dict | None:
    """FIELD of RESOURCE in the package's Table Schema, None when it has no such field."""
    schema = next(r["schema"] for r in package.descriptor["resources"] if r["name"] == resource)
    return next((f for f in schema["fields"] if f["name"] == field), None)


def has_field(package: Package, resource: str, field: str) -> bool:
    return field_of(package, resource, field) is not None


def enum_labels(package: Package, resource: str, field: str) -> dict[str, str]:
    """The values FIELD may take (its enum) with their labels, in the contract's order."""
    found = field_of(package, resource, field) or {}
    return {value: value_label(field, value) for value in (found.get("constraints") or {}).get("enum") or []}


def required(label: str) -> str:
    """A required field's label, marked (the page says once what the mark means)."""
    return f"{label} *"


def choose(
    label: str,
    options: dict,
    key: str,
    *,
    needed: bool = True,
    on_change: Callable[[], None] | None = None,
    only_one: bool = False,
) -> object:
    """A select box that starts empty ("Bitte wählen …"): nothing is chosen that the editor did not
    choose (ONLY_ONE: the one option the editor's own search found is taken)."""
    return st.selectbox(
        required(label) if needed else label,
        list(options),
        index=0 if only_one and len(options) == 1 else None,
        format_func=lambda value: options.get(value, str(value)),
        placeholder=t("edit_choose"),
        key=key,
        on_change=on_change,
    )


def section(label: str, *, needed: bool = False) -> None:
    """A section's heading in bold, marked when it is required."""
    st.markdown(f"**{label}**" + (" \\*" if needed else ""))


def text_field(label: str, key: str, *, needed: bool = False, help_text: str | None = None) -> None:
    st.text_input(required(label) if needed else label, key=key, max_chars=MAX_TEXT, help=help_text)


def source_section(form: str, frames: Frames) -> None:
    """The source: an existing one, or a new one typed (title and publisher required then)."""
    section(t("edit_source"), needed=True)
    choose(t("edit_source_existing"), source_labels(frames), f"{form}_source", needed=False)
    at_field(form, SOURCE, "status_history.source_id", "partnership_themes.source_id")
    st.caption(t("edit_source_or_new"))
    left, right = st.columns(2)
    with left:
        text_field(t("field_title"), f"{form}_src_title")
        at_field(form, "sources.title")
        text_field(t("field_document_ref"), f"{form}_src_document_ref")
        at_field(form, "sources.document_ref")
        text_field(t("field_url"), f"{form}_src_url")
        at_field(form, "sources.url")
    with right:
        text_field(t("field_publisher"), f"{form}_src_publisher")
        at_field(form, "sources.publisher", "sources.source_id")
        text_field(t("edit_source_published"), f"{form}_src_published")
        at_field(form, "sources.published")


def clear(form: str, keys: tuple[str, ...]) -> None:
    """FORM's fields emptied after it was taken (the next entry starts blank)."""
    for key in keys:
        st.session_state[key] = None if key.endswith(("_source", "_status", "_partnership", "_kind")) else ""


def save_now(package: Package) -> None:
    """Save the pending changes; the outcome is shown by every tab's save bar, a toast names the version."""
    name = editing.logged_in_user() if editing.auth_configured() else typed_value("edit_who")
    if not name:
        st.session_state["save_outcome"] = ("no_name", None)
        return
    said = "\n".join(editing.words(i, change_words) for i in range(len(editing.state().pending)))
    st.session_state["save_outcome"] = editing.save_pending(package, name)
    for form in ("ev", "np", "th", "fix", "del"):  # "noted, not saved yet" and old refusals are no longer true
        st.session_state[f"{form}_ok"] = False
        st.session_state[f"{form}_errors"] = {}
    if st.session_state["save_outcome"][0] == "saved":
        version = str(st.session_state["save_outcome"][1])
        st.session_state["save_toast"] = version
        record_words(live_folder(server_location()), version, said)


def save_bar(package: Package, tab: str) -> None:
    """How many changes wait, the button that saves them, and what the last save did, on TAB."""
    count = len(editing.state().pending)
    st.button(
        t("edit_save"),
        on_click=save_now,
        args=(package,),
        key="edit_save" if tab == "pending" else f"{tab}_save",
        disabled=not count,
        type="primary",
    )
    result = st.session_state.get("save_outcome")
    if not result:
        return
    kind, detail = result
    if kind == "saved":
        st.success(t("edit_saved_as", version=plain(str(detail))))
    elif kind == "no_name":
        st.error(t("edit_editor_missing"))
    elif kind == "conflict":
        st.error(t("edit_conflict"))
    elif kind == "invalid":
        st.error(t("edit_save_invalid"))
        for problem in detail:
            st.text(f"⚠ {problem.describe(i18n.lang())}")
    else:
        st.error(t("edit_save_failed"))
        st.text(str(detail))


def plain(text: str) -> str:
    """A value from the data (a version) inside a message: every character that Markdown or
    Streamlit's directives read as markup escaped, so it shows as typed."""
    return "".join(f"\\{c}" if c in MARKUP else c for c in text)[:100]


MARKUP = set("\\`*_{}[]()#+!|<>:~$=^")
