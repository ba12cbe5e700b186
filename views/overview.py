"""Überblick: where do we stand, what changed, what is missing."""

import streamlit as st

from analysis.questions import overview
from analysis.questions.geo import fits_line_map, partnership_lines
from analysis.questions.history import changes_between
from dashboard.data import network, view
from dashboard.dates import date_field
from dashboard.filters import EARLIEST
from dashboard.page import shown_caption, start
from dashboard.tables import cap, chart_downloads, chart_with_table, show_table
from dashboard.tiles import show_status_tiles
from present import figures, i18n
from present.i18n import plural, t
from present.labels import at_precision, with_labels
from present.names import localised
from present.readable import change_columns, link_or_none
from report.build import build_report

package, selection = start("page_overview")
as_of = selection.as_of
current = localised(view(package, as_of, selection.filters, with_precision=True, with_coordinates=True), package)
total = view(package, as_of).height
shown_caption(current.height, total, as_of)

summary = st.container()
default_compare = overview.one_year_before(as_of)
earliest_compare = min(EARLIEST, default_compare)  # the default must lie within the field's bounds
compare = date_field(st.columns([1, 3])[0], t("compare_with"), "cmp", earliest_compare, as_of, default_compare)
before = localised(view(package, compare, selection.filters), package)
tiles = overview.status_tiles(current, before)
since = t("change_since", date=i18n.date_at_precision(compare, "day"))
show_status_tiles(tiles, since)

changes = changes_between(package.frames, compare, as_of, current, before)
with st.expander(t("changes_title", date=i18n.date_at_precision(compare, "day"), n=i18n.number(changes.height))):
    if changes.is_empty():
        st.text(t("changes_none"))
    else:
        show_table(
            at_precision(link_or_none(with_labels(cap(changes))), "date", "date_precision", "date_text"),
            change_columns(),
            key="changes_since_table",
            link="url",
        )

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

gaps = overview.home_city_gaps(package.frames, view(package, as_of), selection.filters)
stale = overview.stale_partnerships(package.frames, current, as_of, overview.STALE_YEARS)
counts = dict(zip(tiles["group"], tiles["now"], strict=True))
summary.markdown(
    t(
        "summary_v2",
        **{group: i18n.number(n) for group, n in counts.items()},
        gap_homes=plural("home_cities", gaps.height),
        stale=plural("open_partnerships", stale.height),
        years=overview.STALE_YEARS,
    )
)

# one chart a row: side by side, the titles and labels are cut at 1,024 px
chart_with_table(*figures.continent_figure(current))
chart_with_table(*figures.kind_figure(current))

lines = partnership_lines(current)
map_chart, sentence = figures.map_figure(lines)
st.altair_chart(map_chart, width="stretch")
if fits_line_map(lines):
    chart_downloads(map_chart)
    map_chart = figures.map_figure(lines, europe=True)[0]
    st.altair_chart(map_chart, width="stretch")
    st.caption(sentence + " " + t("map_legend_hint"))
    with st.expander(t("table_of_chart")):
        show_table(
            with_labels(cap(lines)),
            {
                "home_name": i18n.column_label("home_name"),
                "partner_name": i18n.column_label("partner_name"),
                "partner_country": i18n.column_label("partner_country"),
                "status_label": t("status"),
            },
            key="map_table",
        )
else:
    st.caption(sentence)
chart_downloads(map_chart)

chart_with_table(*figures.decade_figure(current))

network = network(package, current, as_of)
if network.height:
    chart_with_table(*figures.network_figure(network, as_of))
    st.caption(t("network_caption"))

st.header(t("gaps"))
st.caption(t("gaps_filters_note"))
gap_left, gap_right = st.columns(2)
with gap_left:
    st.subheader(t("gaps_continents"))
    if gaps.is_empty():
        st.success(t("gaps_none"))
    else:
        for home in cap(gaps).iter_rows(named=True):
            missing = ", ".join(i18n.continent_label(c) for c in home["continents"])
            st.text(f"{home['home_name']}: {plural('continents_without', home['missing'])} ({missing})")
with gap_right:
    st.subheader(t("stale", years=overview.STALE_YEARS))
    st.caption(t("stale_note"))
    if stale.is_empty():
        st.info(t("stale_none"))
    else:
        show_table(
            at_precision(with_labels(cap(stale)), "last_event", "last_event_precision", "last_event_text"),
            {
                "home_name": i18n.column_label("home_name"),
                "partner_name": i18n.column_label("partner_name"),
                "status_label": t("status"),
                "last_event_text": i18n.column_label("last_event"),
                "years_quiet": i18n.column_label("years_quiet"),
            },
            key="stale_table",
        )
