"""The edit mode's forms between widgets and a change: what a submission typed, read as the
workbook reads cells and checked by the one validator (analysis.keeping.editing), every problem of
one submission at once, each at its field in the office's words ("keine gültige Internetadresse").
Used by the tabs of the page "Pflege" (dashboard.maintain), which keep the layout."""

from __future__ import annotations

import streamlit as st

from analysis.keeping.editing import Change, Operation, existing_source, new_source_id, typed_row
from analysis.package import Package
from analysis.problems import Problem
from dashboard import editing
from present import i18n
from present.i18n import TEXT, plural, t

SOURCE = "source"  # the source section of a form, as one field


def _errors(form: str) -> dict[str, list[Problem]]:
    return st.session_state.get(f"{form}_errors", {})


def form_text(problem: Problem) -> str:
    """A problem in the words of a form: the phrasebook's `form_<code>_<resource>`,
    `form_<code>_<format or field>` or `form_<code>` when there is one, else its own text."""
    code = problem.code or ""
    field = (problem.field or "").split(", ")[0]
    for key in (
        f"form_{code}_{problem.resource}",
        f"form_{code}_{problem.params.get('format', '')}",
        f"form_{code}_{field}",
        f"form_{code}",
    ):
        if code and key in TEXT:
            return t(key, **problem.params)
    return problem.text(i18n.lang())


def problem(code: str, field: str | None = None, **params: object) -> Problem:
    """A problem a form finds itself (no source chosen, no place found): CODE of the phrasebook's
    [problem] table, already in the office's words."""
    return Problem("", None, field, code=code, params=params)


def at_field(form: str, *names: str) -> None:
    """The messages of FORM's last submission that fall on NAMES ("resource.field"), as text;
    what is shown here is not repeated under the form."""
    shown = st.session_state.setdefault(f"_{form}_shown", set())
    for name in names:
        shown.add(name)
        for found in _errors(form).get(name, []):
            st.text(f"⚠ {form_text(found)}")


def outcome(form: str) -> None:
    """Whether FORM's last submission was taken; when not, why, with every problem no field showed."""
    errors = _errors(form)
    shown = st.session_state.pop(f"_{form}_shown", set())
    if st.session_state.get(f"{form}_ok"):
        st.success(t("edit_accepted"))
    elif errors:
        st.error(plural("edit_refused_count", sum(len(found) for found in errors.values())))
        for name, found in errors.items():
            if name not in shown:
                for one in found:
                    st.text(f"⚠ {form_text(one)}")


def refuse(form: str, errors: dict[str, list[Problem]]) -> None:
    st.session_state[f"{form}_errors"] = errors
    st.session_state[f"{form}_ok"] = False


def submit(
    package: Package,
    form: str,
    kind: str,
    rows: list[tuple[str, dict]],
    extra: tuple[Operation, ...] = (),
    found: dict[str, list[Problem]] | None = None,
    covered: tuple[str, ...] = (),
) -> bool:
    """FORM's submission of ROWS (and EXTRA operations) as one change of KIND to PACKAGE, kept when
    nothing is wrong. Every problem at once: FOUND (the form's own), the typed cells' and the
    validator's; a field already said wrong is not said twice, nor the fields in COVERED when a
    problem of the form's own stands for them (the source section for `source_id`). The typed
    values stay in the widgets."""
    errors: dict[str, list[Problem]] = {k: list(v) for k, v in (found or {}).items()}
    ops = []
    for resource, values in rows:
        row, problems = typed_row(package.descriptor, resource, values)
        for one in problems:
            errors.setdefault(f"{resource}.{one.field}", []).append(one)
        ops.append(Operation("add", resource, row=row))
    change = Change(kind, (*extra, *ops))
    checked = editing.trial(package, change)
    for name, problems in checked.at_fields.items():
        if name not in errors and not (found and name in covered):
            errors[name] = problems
    if checked.elsewhere and not errors:
        errors[""] = checked.elsewhere
    if errors:
        refuse(form, errors)
        return False
    editing.take(package, change, checked)
    st.session_state[f"{form}_errors"] = {}
    st.session_state[f"{form}_ok"] = True
    return True


def typed_value(key: str) -> str:
    """What the widget KEY holds, as trimmed text (empty when nothing)."""
    value = st.session_state.get(key)
    return "" if value is None else str(value).strip()


NEW_SOURCE_FIELDS = ("title", "publisher", "document_ref", "published", "url")


def source_row(prefix: str) -> tuple[str, list[tuple[str, dict]], dict[str, list[Problem]]]:
    """The source of PREFIX's form: an existing one chosen, or a new one typed (its id made from
    publisher and reference). Its id, the new source's row, and what is wrong (neither, both, or a
    new source that repeats one the package has)."""
    chosen = st.session_state.get(f"{prefix}_source")
    typed = {name: typed_value(f"{prefix}_src_{name}") for name in NEW_SOURCE_FIELDS}
    if chosen and any(typed.values()):
        return chosen, [], {SOURCE: [problem("edit_source_both")]}
    if chosen:
        return chosen, [], {}
    if not any(typed.values()):
        return "", [], {SOURCE: [problem("edit_source_missing")]}
    frames = editing.current_frames()
    same = existing_source(frames["sources"], typed)
    taken = set(frames["sources"]["source_id"].to_list())
    row = {"source_id": new_source_id(typed["publisher"], typed["document_ref"], typed["title"], taken), **typed}
    if same is not None:
        return row["source_id"], [("sources", row)], {SOURCE: [problem("edit_source_exists")]}
    return row["source_id"], [("sources", row)], {}
