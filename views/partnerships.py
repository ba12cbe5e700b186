"""Partnerschaften: the enriched view as a sortable table, and one partnership in detail."""

import altair as alt
import polars as pl
import streamlit as st

from analysis.questions.choices import offered_partnerships
from analysis.questions.history import partnership_history, partnership_themes, status_periods
from dashboard.data import view
from dashboard.full_text import full_texts
from dashboard.page import shown_caption, start
from dashboard.tables import cap, chart_downloads, frame_table, show_table
from dashboard.url_state import parse_choice, remembered, url_widget
from present import figures, i18n
from present.i18n import t
from present.labels import at_precision, theme_names, with_labels
from present.names import blank, localised
from present.readable import link_or_none, partnership_facts, partnership_labels, readable_view

MAX_CHOICES = 1000  # partnerships offered in the detail choice; the search filter narrows the rest

package, selection = start("page_partnerships")
as_of = selection.as_of
current = localised(view(package, as_of, selection.filters, with_precision=True), package)
shown_caption(current.height, view(package, as_of).height, as_of)

if current.is_empty():
    st.info(t("no_rows"))
else:
    frame_table(blank(readable_view(cap(current), package)), key="partnerships_table")

st.header(t("detail"))
choosable = offered_partnerships(current, remembered("p"), MAX_CHOICES)
ids = choosable["partnership_id"].to_list()
labels = partnership_labels(choosable)
chosen = url_widget(
    st.selectbox,
    t("choose_partnership"),
    "p",
    parse_choice(ids),
    None,
    options=ids,
    format_func=labels.get,
    placeholder=t("choose_partnership_placeholder"),
)

if chosen:
    facts = partnership_facts(
        current.filter(pl.col("partnership_id") == chosen).to_dicts()[0],
        package["partnerships"].filter(pl.col("partnership_id") == chosen).to_dicts()[0],
    )
    headed = facts.rename({"field": t("fact_field"), "value": t("fact_value")})  # no empty header row
    frame_table(headed, key="detail_facts")

    timeline = figures.periods_figure(
        status_periods(package.frames, as_of, [chosen]),
        {chosen: labels[chosen]},
        t("history_timeline"),
        t("desc_timeline", name=labels[chosen]),
    )[0].properties(height=alt.Step(40))
    st.altair_chart(timeline, width="stretch")
    chart_downloads(timeline)
    st.subheader(t("history_list"))
    events = link_or_none(with_labels(partnership_history(package.frames, chosen, as_of)))
    events = at_precision(events, "date", "date_precision", "date_text")
    show_table(
        events,
        {
            "date_text": i18n.column_label("date"),
            "status_label": t("status"),
            "url": i18n.column_label("link"),  # before the long texts: seen without scrolling sideways
            "note": i18n.column_label("note"),
            "source_title": i18n.column_label("source"),
            "publisher": t("publisher"),
            "document_ref": t("document_ref"),
        },
        key="detail_events",
        link="url",
    )
    long_texts = {"note": i18n.column_label("note"), "source_title": i18n.column_label("source")}
    full_texts(events, ["date_text", "status_label"], long_texts | {"document_ref": t("document_ref")})
    st.subheader(i18n.column_label("themes"))
    themes = link_or_none(partnership_themes(package.frames, chosen))
    if themes.is_empty():
        st.text(t("themes_none"))
    else:
        show_table(
            themes.with_columns(pl.col("theme_id").replace_strict(theme_names(package)).alias("theme_label")),
            {
                "theme_label": t("theme"),
                "url": i18n.column_label("link"),
                "source_title": i18n.column_label("source"),
            },
            key="detail_themes",
            link="url",
        )
