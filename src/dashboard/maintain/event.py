"""Tab "Statusereignis": a partnership's new status, dated, with its source."""

from __future__ import annotations

import polars as pl
import streamlit as st

from analysis.package import Package
from dashboard import editing
from dashboard.edit_forms import at_field, outcome, source_row, submit, typed_value
from dashboard.maintain.labels import date_text, field_label, partnership_labels, value_label
from dashboard.maintain.widgets import choose, clear, enum_labels, has_field, save_bar, source_section, text_field
from present.i18n import t

FIELDS = ("ev_partnership", "ev_date", "ev_status", "ev_basis", "ev_note", "ev_source")
SOURCE_FIELDS = tuple(f"ev_src_{name}" for name in ("title", "publisher", "document_ref", "published", "url"))


def submit_event(package: Package) -> None:
    source_id, source_rows, found = source_row("ev")
    event = {
        "partnership_id": st.session_state.get("ev_partnership") or "",
        "date": typed_value("ev_date"),
        "status": st.session_state.get("ev_status") or "",
        "note": typed_value("ev_note"),
        "source_id": source_id,
    }
    if has_field(package, "status_history", "date_basis"):
        event["date_basis"] = st.session_state.get("ev_basis") or ""
    covered = ("status_history.source_id",)
    if submit(package, "ev", "change_event", [*source_rows, ("status_history", event)], found=found, covered=covered):
        clear("ev", FIELDS + SOURCE_FIELDS)


def history(frames, partnership: str) -> str:
    """The chosen partnership's events so far, newest first, in words."""
    rows = frames["status_history"].filter(pl.col("partnership_id") == partnership).sort("date", descending=True)
    return "; ".join(
        f"{value_label('status', r['status'])} {date_text(r['date'], r['date_precision'])}"
        for r in rows.head(5).iter_rows(named=True)
    )


def draw(package: Package) -> None:
    frames = editing.current_frames()
    with st.container(border=True):
        chosen = choose(t("edit_partnership"), partnership_labels(frames), "ev_partnership")
        at_field("ev", "status_history.partnership_id")
        if chosen:
            st.caption(t("edit_history_so_far", events=history(frames, chosen) or "–"))
        text_field(t("edit_date"), "ev_date", needed=True)
        at_field("ev", "status_history.date", "status_history.date_precision")
        choose(t("edit_status"), enum_labels(package, "status_history", "status"), "ev_status")
        at_field("ev", "status_history.status", "status_history.partnership_id, date, status")
        if has_field(package, "status_history", "date_basis"):
            bases = enum_labels(package, "status_history", "date_basis")
            choose(field_label("date_basis"), bases, "ev_basis", needed=False)
            at_field("ev", "status_history.date_basis")
        text_field(t("edit_note"), "ev_note")
        at_field("ev", "status_history.note")
        source_section("ev", frames)
        st.button(t("edit_add"), on_click=submit_event, args=(package,), key="ev_submit")
        outcome("ev")
    save_bar(package, "ev")
