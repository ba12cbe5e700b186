"""Status & Verlauf: what is active or paused now, since when and why; how statuses ran over time."""

import polars as pl
import streamlit as st

from analysis.questions.history import current_status_reasons, latest_changes, status_periods
from dashboard.data import view
from dashboard.page import shown_caption, start
from dashboard.tables import MAX_TABLE_ROWS, chart_with_table, figure, show_table
from present import figures, i18n
from present.i18n import t
from present.labels import at_precision, with_labels
from present.names import localised
from present.readable import change_columns, link_or_none, partnership_labels

MAX_PERIOD_ROWS = 60  # partnerships in the period chart

package, selection = start("page_history")
as_of = selection.as_of
current = localised(view(package, as_of, selection.filters, with_precision=True), package)
shown_caption(current.height, view(package, as_of).height, as_of)

st.header(t("now_active_paused"))
active_or_paused = current.filter(pl.col("status").is_in(["active", "paused"]))
newest_first = active_or_paused.top_k(MAX_TABLE_ROWS, by="status_since").sort("status_since", descending=True)
if active_or_paused.height > MAX_TABLE_ROWS:
    st.caption(t("capped", shown=i18n.number(MAX_TABLE_ROWS), total=i18n.number(active_or_paused.height)))
reasons = link_or_none(with_labels(current_status_reasons(package.frames, newest_first, as_of)))
reasons = at_precision(reasons, "status_since", "status_since_precision", "since_text")
show_table(
    reasons,
    {
        "home_name": i18n.column_label("home_name"),
        "partner_name": i18n.column_label("partner_name"),
        "status_label": t("status"),
        "since_text": i18n.column_label("status_since"),
        "note": t("why"),
        "source_title": i18n.column_label("source"),
        "url": i18n.column_label("link"),
    },
    key="reasons_table",
    link="url",
)

recent = current.top_k(MAX_PERIOD_ROWS, by="status_since")
if recent.height < current.height:
    st.caption(t("periods_capped", n=MAX_PERIOD_ROWS))
labels = partnership_labels(recent)
periods = status_periods(package.frames, as_of, list(labels))
described = t("desc_periods", n=i18n.number(len(labels)))
chart_with_table(*figure(figures.periods_figure, periods, labels, t("periods"), described))

st.header(t("latest_changes"))
changes = link_or_none(with_labels(latest_changes(package.frames, current, as_of)))
changes = at_precision(changes, "date", "date_precision", "date_text")
show_table(
    changes,
    change_columns(),
    key="changes_table",
    link="url",
)
