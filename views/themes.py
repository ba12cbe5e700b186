"""Themen: which themes the partnerships carry, by home city and continent, and who carries one."""

import polars as pl
import streamlit as st

from analysis.questions.aggregates import partnerships_by_theme
from dashboard.data import theme_rows, view
from dashboard.page import shown_caption, start
from dashboard.tables import cap, chart_with_table, figure, frame_table
from dashboard.url_state import parse_choice, url_widget
from present import figures, i18n
from present.i18n import t
from present.labels import theme_names
from present.names import blank, localised
from present.readable import readable_view

package, selection = start("page_themes")
as_of = selection.as_of
current = localised(view(package, as_of, selection.filters, with_precision=True), package)
shown_caption(current.height, view(package, as_of).height, as_of)
names = theme_names(package)

exploded = localised(theme_rows(package, as_of, selection.filters, with_precision=True), package)
if exploded["home_id"].n_unique() > figures.MAX_HEATMAP_HOMES:
    st.caption(t("heatmap_capped", n=figures.MAX_HEATMAP_HOMES))
chart_with_table(*figure(figures.themes_figure, exploded, names))

chart_with_table(*figure(figures.themes_by_continent_figure, exploded, names))

st.header(t("theme_partnerships"))
counts = partnerships_by_theme(exploded, package["themes"])
available = counts["theme_id"].to_list()
counted = dict(zip(counts["theme_id"], counts["partnerships"], strict=True))
chosen = url_widget(
    st.selectbox,
    t("choose_theme"),
    "t",
    parse_choice(available),
    None,
    options=available,
    placeholder=t("choose_theme_placeholder"),
    format_func=lambda v: f"{names.get(v, v)} ({i18n.number(counted[v])})",
)
if chosen:
    carriers = exploded.filter(pl.col("theme_id") == chosen).drop("theme_id")
    frame_table(blank(readable_view(cap(carriers), package)), key="theme_table")
