"""The edit mode's forms between widgets and a change: what a submission typed, read as the
workbook reads cells and checked by the one validator (analysis.keeping.editing), and its messages shown
at the fields it concerns. Used by the page "Pflege" (views/maintain.py), which keeps the layout."""

from __future__ import annotations

import streamlit as st

from analysis.keeping.editing import Change, Operation, new_source_id, typed_row
from analysis.package import Package
from dashboard import editing
from present import i18n
from present.i18n import t

NEW = "__new__"  # the choice "a new one" in a select box


def _errors(form: str) -> dict:
    return st.session_state.get(f"{form}_errors", {})


def at_field(form: str, name: str) -> None:
    """The messages of FORM's last submission that fall on NAME ("resource.field"), as text."""
    for problem in _errors(form).get(name, []):
        st.text(f"⚠ {problem.text(i18n.lang())}")


def outcome(form: str) -> None:
    """Whether FORM's last submission was taken, and its problems that belong to no field."""
    errors = _errors(form)
    if st.session_state.get(f"{form}_ok"):
        st.success(t("edit_accepted"))
    elif errors:
        st.error(t("edit_refused"))
        shown_at_fields = () if form == "fix" else [k for k in errors if k]  # fix draws one field only
        for name, problems in errors.items():
            if name not in shown_at_fields:
                for problem in problems:
                    st.text(f"⚠ {problem.describe(i18n.lang())}")


def submit(
    package: Package, form: str, kind: str, rows: list[tuple[str, dict]], extra: tuple[Operation, ...] = ()
) -> None:
    """FORM's submission of ROWS (and EXTRA operations) as one change of KIND to PACKAGE: the typed
    rows read as the workbook reads cells, then the change checked by the validator; kept when
    nothing is wrong, else each problem put at its field. The typed values stay."""
    errors: dict[str, list] = {}
    ops = []
    for resource, values in rows:
        row, problems = typed_row(package.descriptor, resource, values)
        for problem in problems:
            errors.setdefault(f"{resource}.{problem.field}", []).append(problem)
        ops.append(Operation("add", resource, row=row))
    if not errors:
        checked = editing.propose(package, Change(kind, (*extra, *ops)))
        errors = dict(checked.at_fields)
        if checked.elsewhere:
            errors[""] = checked.elsewhere
    st.session_state[f"{form}_errors"] = errors
    st.session_state[f"{form}_ok"] = not errors


def typed_value(key: str) -> str:
    """What the widget KEY holds, as trimmed text (empty when nothing)."""
    value = st.session_state.get(key)
    return "" if value is None else str(value).strip()


def source_row(prefix: str) -> tuple[str, list[tuple[str, dict]]]:
    """The source chosen in PREFIX's form: its id, and the new source's row when one was typed."""
    chosen = st.session_state.get(f"{prefix}_source")
    if chosen != NEW:
        return chosen or "", []
    taken = set(editing.current_frames()["sources"]["source_id"].to_list())
    made = new_source_id(
        typed_value(f"{prefix}_src_publisher"),
        typed_value(f"{prefix}_src_ref"),
        typed_value(f"{prefix}_src_title"),
        taken,
    )
    row = {
        "source_id": typed_value(f"{prefix}_src_id") or made,
        "title": typed_value(f"{prefix}_src_title"),
        "publisher": typed_value(f"{prefix}_src_publisher"),
        "url": typed_value(f"{prefix}_src_url"),
        "published": typed_value(f"{prefix}_src_published"),
        "document_ref": typed_value(f"{prefix}_src_ref"),
    }
    return row["source_id"], [("sources", row)]
