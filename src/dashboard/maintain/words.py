"""A pending change in the office's words: "Herne – Beşiktaş: ruht seit 12.11.2026 (Ratsbeschluss,
Drucksache 1234/26)", not `status_history: 1 hinzugefügt`. BEFORE are the text frames the change
was made on, AFTER those with it applied (rows it removes are named from BEFORE)."""

from __future__ import annotations

import polars as pl

from analysis.keeping.editing import Change, Operation
from analysis.keeping.meanwhile import RowChanged
from dashboard.maintain.labels import (
    Frames,
    date_text,
    field_label,
    partnership_labels,
    row_label,
    table_label,
    theme_labels,
    value_label,
)
from present.i18n import TEXT, t


def _added(change: Change, resource: str) -> list[dict]:
    return [op.row for op in change.operations if op.action == "add" and op.resource == resource]


def _source_words(source_id: str | None, change: Change, frames: Frames) -> str:
    """The source of an event or theme, the new one of the change or the package's, as its title
    and document reference (else its publisher): "Ratsbeschluss, Drucksache 1234/26"."""
    rows = [row for row in _added(change, "sources") if row.get("source_id") == source_id]
    if not rows:
        found = frames["sources"].filter(pl.col("source_id") == source_id)
        rows = [found.row(0, named=True)] if found.height else [{}]
    row = rows[0]
    return ", ".join(part for part in (row.get("title"), row.get("document_ref") or row.get("publisher")) if part)


def event_words(row: dict, change: Change, frames: Frames) -> str:
    """ "ruht seit 12.11.2026 (Ratsbeschluss, Drucksache 1234/26)"; "bekannt seit" when the date
    only says by when the status was known."""
    when = date_text(row.get("date"), row.get("date_precision"))
    status = row.get("status") or ""
    if row.get("date_basis") == "known_by":
        said = t("words_known_since", status=value_label("status", status), date=when)
    elif f"words_since_{status}" in TEXT:
        said = t(f"words_since_{status}", date=when)
    else:
        said = t("words_since", status=value_label("status", status), date=when)
    source = _source_words(row.get("source_id"), change, frames)
    return f"{said} ({source})" if source else said


def _update_words(op: Operation, before: Frames, after: Frames) -> str:
    """ "Dortmund – Amiens: Anmerkungen „alt“ → „neu“"."""
    frame = before[op.resource]
    for name, value in op.key.items():
        frame = frame.filter(pl.col(name) == value)
    old = frame.row(0, named=True) if frame.height else {}
    changed = {**old, **op.row}
    parts = []
    for name, value in op.row.items():
        if (old.get(name) or None) == (value or None) or name == "date_precision":
            continue
        if name in ("date", "published"):  # an event's date at its precision, a source's to the day
            was = date_text(old.get(name), old.get("date_precision") if name == "date" else "day")
            now = date_text(value, changed.get("date_precision") if name == "date" else "day")
        else:
            was, now = value_label(name, old.get(name)), value_label(name, value)
        parts.append(f"{field_label(name)} „{was}“ → „{now}“")
    label = row_label(op.resource, old or changed, before if old else after)
    return f"{label}: {'; '.join(parts) or t('words_unchanged')}"


def change_words(change: Change, before: Frames, after: Frames) -> str:
    """CHANGE in words, one line per thing it does."""
    if change.kind == "change_event":
        pairs = partnership_labels(after)
        return "\n".join(
            f"{pairs.get(row['partnership_id'], row['partnership_id'])}: {event_words(row, change, after)}"
            for row in _added(change, "status_history")
        )
    if change.kind == "change_partnership":
        lines = []
        for row in _added(change, "partnerships"):
            pair = partnership_labels(after).get(row["partnership_id"], row["partnership_id"])
            lines.append(t("words_new_partnership", pair=pair, kind=value_label("kind", row.get("kind"))))
        lines += [f"  {event_words(row, change, after)}" for row in _added(change, "status_history")]
        lines += [
            f"  {t('words_new_place', place=row_label('municipalities', r, after))}"
            for r in _added(change, "municipalities")
        ]
        return "\n".join(lines)
    if change.kind == "change_theme":
        lines = []
        for op in change.operations:
            if op.resource != "partnership_themes":
                continue
            row = op.row if op.action == "add" else op.key
            frames = after if op.action == "add" else before
            pair = partnership_labels(frames).get(row.get("partnership_id"), "?")
            theme = theme_labels(frames).get(row.get("theme_id"), "?")
            if op.action == "add":
                source = _source_words(row.get("source_id"), change, after)
                lines.append(t("words_theme_added", pair=pair, theme=theme, source=source))
            else:
                lines.append(t("words_theme_removed", pair=pair, theme=theme))
        return "\n".join(lines)
    if change.kind == "change_correct":
        return "\n".join(_update_words(op, before, after) for op in change.operations if op.action == "update")
    if change.kind == "change_delete":
        *depending, last = change.operations
        frame = before[last.resource]
        for name, value in last.key.items():
            frame = frame.filter(pl.col(name) == value)
        label = row_label(last.resource, frame.row(0, named=True), before) if frame.height else "?"
        said = t("words_deleted", table=table_label(last.resource), row=label)
        return f"{said} {t('words_deleted_depending', n=len(depending))}" if depending else said
    return t(change.kind)


def meanwhile_words(row: RowChanged, frames: Frames) -> str:
    """ "Herne – Beşiktaş wurde inzwischen von Erika Muster geändert (Version 1.3.0): Anmerkungen
    „alt“ → „neu“": a row someone else saved since kept changes were made (FRAMES: the version now)."""
    label = row_label(row.resource, row.row, frames)
    who = row.who or t("words_someone")
    if row.what != "changed":
        return t(f"words_{row.what}_meanwhile", row=label, who=who, version=row.version)
    parts = []
    for name, (old, new) in row.fields.items():
        if name == "date_precision":
            continue
        parts.append(f"{field_label(name)} „{value_label(name, old)}“ → „{value_label(name, new)}“")
    return t("words_changed_meanwhile", row=label, who=who, version=row.version, what="; ".join(parts))
