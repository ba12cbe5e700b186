"""Status & Verlauf: what is active or paused now, since when and why; how statuses ran over time."""

import streamlit as st

from dashboard.full_text import full_texts
from dashboard.history import MAX_PERIOD_ROWS, history_frames
from dashboard.page import shown_caption, start
from dashboard.tables import MAX_TABLE_ROWS, chart_with_table, figure, show_table
from present import figures, i18n
from present.i18n import t
from present.readable import change_columns

package, selection = start("page_history")
as_of = selection.as_of
# everything below for these filters and this date, derived once for all sessions (dashboard.history)
frames = history_frames(package, as_of, selection.filters)
shown_caption(frames.shown, frames.total, as_of)

st.header(t("now_active_paused"))
if frames.active_or_paused > MAX_TABLE_ROWS:
    st.caption(t("capped", shown=i18n.number(MAX_TABLE_ROWS), total=i18n.number(frames.active_or_paused)))
show_table(
    frames.reasons,
    {
        "home_name": i18n.column_label("home_name"),
        "partner_name": i18n.column_label("partner_name"),
        "status_label": t("status"),
        "since_text": i18n.column_label("status_since"),
        "url": i18n.column_label("link"),  # before the long texts: seen without scrolling sideways
        "note": t("why"),
        "source_title": i18n.column_label("source"),
    },
    key="reasons_table",
    link="url",
)
full_texts(
    frames.reasons,
    ["home_name", "partner_name", "status_label", "since_text"],
    {"note": t("why"), "source_title": i18n.column_label("source")},
)

if frames.periods_capped:
    st.caption(t("periods_capped", n=MAX_PERIOD_ROWS))
described = t("desc_periods", n=i18n.number(len(frames.labels)))
chart_with_table(*figure(figures.periods_figure, frames.periods, frames.labels, t("periods"), described))

st.header(t("latest_changes"))
show_table(
    frames.changes,
    change_columns(),
    key="changes_table",
    link="url",
)
full_texts(
    frames.changes,
    ["date_text", "home_name", "partner_name", "status_label"],
    {"note": i18n.column_label("note"), "source_title": i18n.column_label("source")},
)
