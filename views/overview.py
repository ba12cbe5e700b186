"""Überblick: where do we stand, what changed, what is missing."""

import streamlit as st

from analysis.questions import overview
from analysis.questions.geo import fits_line_map
from dashboard.dates import date_field
from dashboard.filters import EARLIEST
from dashboard.overview import overview_frames
from dashboard.page import shown_caption, start
from dashboard.tables import cap, chart_downloads, chart_with_table, draw_chart, figure, show_table
from dashboard.tiles import show_status_tiles
from present import figures, i18n, maps
from present.i18n import plural, t
from present.readable import change_columns
from report.build import build_report

package, selection = start("page_overview")
as_of = selection.as_of
caption = st.empty()  # above the comparison date, whose value the frames below need first
summary = st.container()
default_compare = overview.one_year_before(as_of)
earliest_compare = min(EARLIEST, default_compare)  # the default must lie within the field's bounds
compare = date_field(st.columns([1, 3])[0], t("compare_with"), "cmp", earliest_compare, as_of, default_compare)
# everything below for these filters and dates, derived once for all sessions (dashboard.overview)
frames = overview_frames(package, as_of, compare, selection.filters)
current = frames.current
with caption.container():
    shown_caption(current.height, frames.total, as_of)
show_status_tiles(frames.tiles, t("change_since", date=i18n.date_at_precision(compare, "day")))

changed = frames.changes_count
with st.expander(plural("changes_title", changed, date=i18n.date_at_precision(compare, "day"))):
    st.caption(t("changes_note"))
    if not changed:
        st.text(t("changes_none"))
    else:
        shown = cap(frames.changes_shown, total=changed)
        show_table(shown, change_columns(change=True), key="changes_since_table", link="url")

lang = i18n.lang()  # the report is made on click, outside this run: it takes the language along
st.download_button(
    t("report_button"),
    lambda: build_report(package, as_of, selection.filters, compare, lang),
    file_name=f"{t('report_title').lower().replace(' ', '-')}-{as_of.isoformat()}.pdf",
    mime="application/pdf",
    key="report_pdf",
    on_click="ignore",
    help=t("report_help"),
    icon=":material/picture_as_pdf:",
)

summary.markdown(frames.summary)

# one chart a row: side by side, the titles and labels are cut at 1,024 px
chart_with_table(*figure(figures.continent_figure, current))
chart_with_table(*figure(figures.kind_figure, current))

lines = frames.lines
for europe in (False, True) if fits_line_map(lines) else (False,):
    map_chart, sentence = figure(maps.map_figure, lines, europe)
    draw_chart(map_chart)
    st.caption(sentence + (" " + t("map_legend_hint") if fits_line_map(lines) else ""))
    chart_downloads(map_chart)
if fits_line_map(lines):
    with st.expander(t("table_of_chart")):
        columns = {key: i18n.column_label(key) for key in ("home_name", "partner_name", "partner_country")}
        shown = cap(frames.lines_shown, total=lines.height)
        show_table(shown, columns | {"status_label": t("status")}, key="map_table")

chart_with_table(*figure(figures.decade_figure, current))

if frames.network.height:
    chart_with_table(*figure(figures.network_figure, frames.network, as_of))
    st.caption(t("network_caption"))

st.header(t("gaps"))
st.caption(t("gaps_filters_note"))
gap_left, gap_right = st.columns(2)
with gap_left:
    st.subheader(t("gaps_continents"))
    if frames.gaps.is_empty():
        st.success(t("gaps_none"))
    else:
        cap(frames.gaps)  # says so when lines were left out (the text holds the first ones)
        st.text(frames.gap_text)  # one element, a line per home city (1,000 elements cost ~0.15 s)
with gap_right:
    st.subheader(t("stale", years=overview.STALE_YEARS))
    st.caption(t("stale_note"))
    if not frames.stale_count:
        st.info(t("stale_none"))
    else:
        show_table(
            cap(frames.stale_shown, total=frames.stale_count),
            {key: i18n.column_label(key) for key in ("home_name", "partner_name")}
            | {"status_label": t("status")}
            | {"last_event_text": i18n.column_label("last_event"), "years_quiet": i18n.column_label("years_quiet")},
            key="stale_table",
        )
