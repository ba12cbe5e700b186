"""Überblick: where do we stand, what changed, what is missing."""

import polars as pl
import streamlit as st

from analysis.aggregates import founded_per_decade, partnerships_by_continent, partnerships_by_kind
from analysis.filters import Filters
from analysis.geo import gridded_points, map_points, partnership_lines
from analysis.status_changes import changes_between
from analysis.strategy import (
    INHABITED_CONTINENTS,
    continent_gaps,
    gaps_per_home,
    one_year_before,
    stale_partnerships,
    status_tiles,
)
from dashboard import charts, figures, i18n
from dashboard.data import network, view
from dashboard.dates import date_field
from dashboard.filters import EARLIEST
from dashboard.i18n import plural, t
from dashboard.names import blank, localised
from dashboard.page import shown_caption, start
from dashboard.tables import at_precision, cap, chart_downloads, chart_with_table, link_or_none, with_labels
from report.build import build_report

STALE_YEARS = 5
MAX_MAP_LINES = 1500  # more lines than this make an unreadable map and a heavy page

package, selection = start("page_overview")
as_of = selection.as_of
current = localised(view(package, as_of, selection.filters, with_coordinates=True), package)
total = view(package, as_of).height
shown_caption(current.height, total, as_of)

summary = st.container()
default_compare = one_year_before(as_of)
earliest_compare = min(EARLIEST, default_compare)  # the default must lie within the field's bounds
compare = date_field(st.columns([1, 3])[0], t("compare_with"), "cmp", earliest_compare, as_of, default_compare)
before = localised(view(package, compare, selection.filters), package)
tiles = status_tiles(current, before)
since = t("change_since", date=i18n.date_at_precision(compare, "day"))
# two tiles a row: four in one row cut their labels at 1,024 px
tile_columns = [column for _ in range(2) for column in st.columns(2)]
for column, tile in zip(tile_columns, tiles.iter_rows(named=True), strict=True):
    with column, st.container(key=f"tile_{tile['group']}", border=True):
        st.metric(
            i18n.group_label(tile["group"]),
            i18n.number(tile["now"]),
            delta=i18n.signed(tile["change"]),
            delta_color="off"
            if tile["change"] == 0
            else "normal"
            if tile["group"] in ("active", "pipeline")
            else "inverse",
            delta_arrow="off" if tile["change"] == 0 else "auto",
            help=t(f"help_{tile['group']}"),
            delta_description=since,
        )

changes = changes_between(package, compare, as_of, current, before)
with st.expander(t("changes_title", date=i18n.date_at_precision(compare, "day"), n=i18n.number(changes.height))):
    if changes.is_empty():
        st.text(t("changes_none"))
    else:
        shown_changes = at_precision(link_or_none(with_labels(cap(changes))), "date", "date_precision", "date_text")
        st.dataframe(
            blank(
                shown_changes.select(
                    pl.col("date_text").alias(i18n.column_label("date")),
                    pl.col("home_name").alias(i18n.column_label("home_name")),
                    pl.col("partner_name").alias(i18n.column_label("partner_name")),
                    pl.col("status_label").alias(t("status")),
                    pl.col("note").alias(i18n.column_label("note")),
                    pl.col("source_title").alias(i18n.column_label("source")),
                    pl.col("url").alias(i18n.column_label("link")),
                )
            ),
            hide_index=True,
            column_config={i18n.column_label("link"): st.column_config.LinkColumn(display_text="↗")},
            key="changes_since_table",
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

# Gaps answer "where is this city missing": only the home-city filter applies to them.
home_view = localised(view(package, as_of, Filters(homes=selection.filters.homes)), package)
gaps = gaps_per_home(continent_gaps(package.frames, home_view, selection.filters))
stale = stale_partnerships(package.frames, current, as_of, STALE_YEARS)
counts = dict(zip(tiles["group"], tiles["now"], strict=True))
summary.markdown(
    t(
        "summary_v2",
        **{group: i18n.number(n) for group, n in counts.items()},
        gap_homes=plural("home_cities", gaps.height),
        stale=plural("open_partnerships", stale.height),
        years=STALE_YEARS,
    )
)

# one chart a row: side by side, the titles and labels are cut at 1,024 px
by_continent = with_labels(partnerships_by_continent(current, every_continent=True))
chart_with_table(
    charts.stacked_bars(
        by_continent,
        category="continent_label",
        stack="status_label",
        value="partnerships",
        title=t("by_continent"),
        category_title=t("continent"),
        value_title=i18n.column_label("partnerships"),
        stack_title=t("status"),
        scale=charts.status_scale(i18n.status_label),
        category_order=[i18n.continent_label(c) for c in INHABITED_CONTINENTS],
        description=t("desc_by_continent", n=i18n.number(current.height)),
    ),
    by_continent.select(
        pl.col("continent_label").alias(t("continent")),
        pl.col("status_label").alias(t("status")),
        pl.col("partnerships").alias(i18n.column_label("partnerships")),
    ),
)
by_kind = with_labels(partnerships_by_kind(current))
chart_with_table(
    charts.bars(
        by_kind,
        category="kind_label",
        value="partnerships",
        title=t("by_kind"),
        category_title=t("kind"),
        value_title=i18n.column_label("partnerships"),
        description=t("desc_by_kind", n=i18n.number(current.height)),
    ),
    by_kind.select(
        pl.col("kind_label").alias(t("kind")),
        pl.col("partnerships").alias(i18n.column_label("partnerships")),
    ),
)

lines = partnership_lines(current)
if lines.height <= MAX_MAP_LINES:
    points = map_points(lines)
    homes_n = points.filter(pl.col("role") == "home").height
    partners_n = points.filter(pl.col("role") == "partner").height
    map_args = dict(
        status_title=t("status"),
        scale=charts.status_scale(i18n.status_label),
        home_title=i18n.column_label("home_name"),
        partner_title=i18n.column_label("partner_name"),
        place_title=t("place"),
        role_title=t("role"),
        role_labels={"home": t("role_home_one"), "partner": t("role_partner_one")},
        partnerships_title=i18n.column_label("partnerships"),
    )
    sentence = t("map_sentence", homes=i18n.number(homes_n), partners=i18n.number(partners_n))
    map_chart = charts.world_map(with_labels(lines), points, title=t("map"), description=sentence, **map_args)
    st.altair_chart(map_chart, width="stretch")
    chart_downloads(map_chart)
    map_chart = charts.world_map(
        with_labels(lines), points, title=t("map_europe"), description=sentence, europe=True, **map_args
    )
    st.altair_chart(map_chart, width="stretch")
    st.caption(sentence + " " + t("map_legend_hint"))
    with st.expander(t("table_of_chart")):
        st.dataframe(
            blank(
                with_labels(cap(lines)).select(
                    pl.col("home_name").alias(i18n.column_label("home_name")),
                    pl.col("partner_name").alias(i18n.column_label("partner_name")),
                    pl.col("partner_country").alias(i18n.column_label("partner_country")),
                    pl.col("status_label").alias(t("status")),
                )
            ),
            hide_index=True,
            key="map_table",
        )
else:
    map_chart = charts.world_grid_map(
        gridded_points(lines),
        title=t("map"),
        role_title=t("places"),
        role_labels={"home": t("role_home"), "partner": t("role_partner")},
        partnerships_title=i18n.column_label("partnerships"),
        places_title=t("places"),
        description=t("map_grid_sentence", n=i18n.number(lines.height)),
    )
    st.altair_chart(map_chart, width="stretch")
    st.caption(t("map_grid_sentence", n=i18n.number(lines.height)))
chart_downloads(map_chart)

decades = founded_per_decade(current).with_columns(
    pl.col("decade").cast(pl.String) + ("er" if i18n.lang() == "de" else "s")
)
chart_with_table(
    charts.bars(
        decades,
        category="decade",
        value="partnerships",
        title=t("by_decade"),
        category_title=i18n.column_label("decade"),
        value_title=i18n.column_label("partnerships"),
        horizontal=False,
        description=t("desc_by_decade", n=i18n.number(int(decades["partnerships"].sum()))),
    ),
    decades.select(
        pl.col("decade").alias(i18n.column_label("decade")),
        pl.col("partnerships").alias(i18n.column_label("partnerships")),
    ),
)

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
    st.subheader(t("stale", years=STALE_YEARS))
    st.caption(t("stale_note"))
    if stale.is_empty():
        st.info(t("stale_none"))
    else:
        stale_shown = at_precision(with_labels(cap(stale)), "last_event", "last_event_precision", "last_event_text")
        st.dataframe(
            stale_shown.select(
                pl.col("home_name").alias(i18n.column_label("home_name")),
                pl.col("partner_name").alias(i18n.column_label("partner_name")),
                pl.col("status_label").alias(t("status")),
                pl.col("last_event_text").alias(i18n.column_label("last_event")),
                pl.col("years_quiet").alias(i18n.column_label("years_quiet")),
            ),
            hide_index=True,
            key="stale_table",
        )
