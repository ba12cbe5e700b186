"""Tab "Berichtigen oder löschen": a row found by its names, shown in full with its current values
in the fields, corrected or deleted (with what depends on it, after a confirmation)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analysis.keeping.editing import Operation, deletion, dependents, primary_keys, typed_row
from analysis.package import Package
from dashboard import editing
from dashboard.edit_forms import at_field, outcome, problem, refuse, submit, typed_value
from dashboard.maintain.labels import (
    REFERENCES,
    date_text,
    field_label,
    reference_labels,
    row_label,
    row_labels,
    table_label,
    value_label,
)
from dashboard.maintain.widgets import MAX_TEXT, choose, enum_labels, save_bar
from present.i18n import t

MAX_ROWS_ALL = 20_000  # rows the picker lists from every table at once; beyond, a table is chosen first


def chosen_row() -> tuple[str | None, tuple | None]:
    """The row chosen in the picker: its table and its primary key values."""
    chosen = st.session_state.get("fix_row")
    return (chosen[0], tuple(chosen[1])) if chosen else (None, None)


def table_chosen() -> None:
    """Another table: the row chosen before is no longer one of the list."""
    st.session_state["fix_row"] = None
    prefill()


def row_options(package: Package, frames, resource: str | None) -> dict | None:
    """The rows to search, (table, key) -> "Table: row in words"; None when all tables hold too many."""
    keys = primary_keys(package.descriptor)
    tables = [resource] if resource else [r["name"] for r in package.descriptor["resources"]]
    if not resource and sum(frames[name].height for name in tables) > MAX_ROWS_ALL:
        return None
    options = {}
    for name in tables:
        prefix = "" if resource else f"{table_label(name)}: "
        options |= {(name, key): prefix + label for key, label in row_labels(name, frames, keys[name]).items()}
    return options


def _key(resource: str, chosen: tuple) -> dict:
    return dict(zip(primary_keys(editing.state().base_descriptor)[resource], chosen, strict=True))


def current_row(resource: str, chosen: tuple) -> dict:
    frame = editing.current_frames()[resource].filter(
        pl.all_horizontal(pl.col(k) == v for k, v in _key(resource, chosen).items())
    )
    return frame.row(0, named=True) if frame.height else {}


def editable(package: Package, resource: str) -> list[str]:
    """The fields a correction may change: not the row's own ids, not a date's precision (it
    follows the date as typed)."""
    key = primary_keys(package.descriptor)[resource]
    own_ids = {f for f in key if f.endswith("_id") or f == "country_code"}
    fields = next(r["schema"]["fields"] for r in package.descriptor["resources"] if r["name"] == resource)
    return [f["name"] for f in fields if f["name"] not in own_ids and f["name"] != "date_precision"]


def prefill() -> None:
    """The chosen row's values into the fields, as the office reads them."""
    resource, chosen = chosen_row()
    st.session_state["fix_errors"], st.session_state["fix_ok"] = {}, False
    if not resource or chosen is None:
        return
    row = current_row(resource, chosen)
    for name, value in row.items():
        shown = date_text(value, row.get("date_precision")) if name in ("date", "published") else value
        st.session_state[f"fix_f_{name}"] = shown if (name in REFERENCES or _is_enum(name)) else (shown or "")


def _is_enum(field: str) -> bool:
    return field in ("status", "kind", "continent", "date_basis")


def submit_correction(package: Package) -> None:
    resource, chosen = chosen_row()
    if not resource or chosen is None:
        refuse("fix", {"row": [problem("edit_row_missing")]})
        return
    key, current = _key(resource, chosen), current_row(resource, chosen)
    fields = editable(package, resource)
    typed = {
        f: (st.session_state.get(f"fix_f_{f}") or "") if (f in REFERENCES or _is_enum(f)) else typed_value(f"fix_f_{f}")
        for f in fields
    }
    if "date" in typed:
        current = {**current, "date_precision": ""}  # derived anew from the date as typed
    row, problems = typed_row(package.descriptor, resource, {**current, **typed})
    if problems:
        errors: dict = {}
        for one in problems:
            errors.setdefault(f"{resource}.{one.field}", []).append(one)
        refuse("fix", errors)
        return
    was = current_row(resource, chosen)
    update = {f: row[f] for f in [*fields, "date_precision"] if f in row and (row[f] or None) != (was.get(f) or None)}
    if not update:
        refuse("fix", {"row": [problem("edit_nothing_changed")]})
        return
    submit(package, "fix", "change_correct", [], (Operation("update", resource, row=update, key=key),))
    if st.session_state.get("fix_ok"):
        st.session_state["fix_row"] = None


def submit_deletion(package: Package) -> None:
    resource, chosen = chosen_row()
    if not st.session_state.get("del_confirm") or chosen is None:
        refuse("del", {"": [problem("edit_delete_unconfirmed")]})
        return
    change = deletion(package.descriptor, editing.current_frames(), resource, _key(resource, chosen))
    checked = editing.propose(package, change)
    st.session_state["del_errors"] = {"": checked.problems} if checked.problems else {}
    st.session_state["del_ok"] = not checked.problems
    st.session_state["del_confirm"] = False
    if not checked.problems:
        st.session_state["fix_row"] = None


def field_widget(package: Package, resource: str, name: str, frames) -> None:
    label, key = field_label(name), f"fix_f_{name}"
    options = reference_labels(name, frames) if name in REFERENCES else None
    if options is None and _is_enum(name):
        options = enum_labels(package, resource, name)
    if options is not None:
        choose(label, options, key, needed=False)
    else:
        st.text_input(label, key=key, max_chars=MAX_TEXT)
    at_field("fix", f"{resource}.{name}")


def draw(package: Package) -> None:
    frames = editing.current_frames()
    with st.container(border=True):
        tables = {r["name"]: table_label(r["name"]) for r in package.descriptor["resources"]}
        only = choose(t("edit_resource_filter"), tables, "fix_resource", needed=False, on_change=table_chosen)
        options = row_options(package, frames, only)
        if options is None:
            st.text(t("edit_choose_table_first"))
            return
        choose(t("edit_row_search"), options, "fix_row", on_change=prefill)
        at_field("fix", "row")
        resource, chosen = chosen_row()
        row = current_row(resource, chosen) if chosen is not None else {}
        if row:
            shown = {
                f: (date_text(v, row.get("date_precision")) if f in ("date", "published") else value_label(f, v))
                for f, v in row.items()
            }
            refs = {f: (reference_labels(f, frames) or {}).get(v, v) for f, v in row.items() if f in REFERENCES}
            st.dataframe(
                pl.DataFrame(
                    {
                        t("edit_field"): [field_label(f) for f in row],
                        t("edit_now"): [refs.get(f, shown[f]) or "" for f in row],
                    }
                ),
                hide_index=True,
                key="fix_row_in_full",
            )
            for name in editable(package, resource):
                field_widget(package, resource, name, frames)
            st.button(t("edit_correct"), on_click=submit_correction, args=(package,), key="fix_correct")
        outcome("fix")
        if row:
            depending = dependents(package.descriptor, frames, resource, _key(resource, chosen))
            st.text(t("edit_depends", n=len(depending)))
            for op in depending[:20]:
                shown = row_label(op.resource, current_row(op.resource, tuple(op.key.values())), frames)
                st.text(f"– {table_label(op.resource)}: {shown}")
            st.checkbox(t("edit_delete_confirm"), key="del_confirm")
            st.button(t("edit_delete"), on_click=submit_deletion, args=(package,), key="del_button")
        outcome("del")
    save_bar(package, "fix")
