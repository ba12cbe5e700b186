"""Überblick: where do we stand, what changed, what is missing."""

import polars as pl
import streamlit as st

from analysis.aggregates import founded_per_decade, partnerships_by_continent, partnerships_by_kind
from analysis.geo import gridded_points, map_points, partnership_lines
from analysis.strategy import continent_gaps, one_year_before, stale_partnerships, status_tiles
from dashboard import charts, figures, i18n
from dashboard.data import network, view
from dashboard.filters import EARLIEST, parse_date, url_widget
from dashboard.i18n import t
from dashboard.page import shown_caption, start
from dashboard.tables import at_precision, cap, chart_downloads, chart_with_table, with_labels
from report.build import build_report

STALE_YEARS = 5
MAX_MAP_LINES = 1500  # more lines than this make an unreadable map and a heavy page

package, selection = start("page_overview")
as_of = selection.as_of
current = view(package, as_of, selection.filters, with_coordinates=True)
total = view(package, as_of).height
shown_caption(current.height, total, as_of)

summary = st.container()
default_compare = one_year_before(as_of)
earliest_compare = min(EARLIEST, default_compare)  # the default must lie within the widget's bounds
compare = url_widget(
    st.columns([1, 3])[0].date_input,
    t("compare_with"),
    "cmp",
    parse_date(earliest_compare, as_of),
    default_compare,
    min_value=earliest_compare,
    max_value=as_of,
    format="DD.MM.YYYY",
)
before = view(package, compare, selection.filters)
tiles = status_tiles(current, before)
since = t("change_since", date=i18n.date_at_precision(compare, "day"))
for column, tile in zip(st.columns(4), tiles.iter_rows(named=True), strict=True):
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

gaps = continent_gaps(package.frames, current, selection.filters)
stale = stale_partnerships(package.frames, current, as_of, STALE_YEARS)
counts = dict(zip(tiles["group"], tiles["now"], strict=True))
summary.markdown(
    t(
        "summary",
        **{group: i18n.number(n) for group, n in counts.items()},
        gaps=i18n.number(gaps.height),
        homes=i18n.number(gaps["home_id"].n_unique()),
        stale=i18n.number(stale.height),
        years=STALE_YEARS,
    )
)

left, right = st.columns(2)
with left:
    by_continent = with_labels(partnerships_by_continent(current))
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
        ),
        by_continent.select(
            pl.col("continent_label").alias(t("continent")),
            pl.col("status_label").alias(t("status")),
            pl.col("partnerships").alias(i18n.column_label("partnerships")),
        ),
    )
with right:
    by_kind = with_labels(partnerships_by_kind(current))
    chart_with_table(
        charts.bars(
            by_kind,
            category="kind_label",
            value="partnerships",
            title=t("by_kind"),
            category_title=t("kind"),
            value_title=i18n.column_label("partnerships"),
        ),
        by_kind.select(
            pl.col("kind_label").alias(t("kind")),
            pl.col("partnerships").alias(i18n.column_label("partnerships")),
        ),
    )

lines = partnership_lines(current)
if lines.height <= MAX_MAP_LINES:
    points = map_points(lines)
    map_chart = charts.world_map(
        with_labels(lines),
        points,
        title=t("map"),
        status_title=t("status"),
        scale=charts.status_scale(i18n.status_label),
        place_title=i18n.column_label("partner_name"),
        partnerships_title=i18n.column_label("partnerships"),
    )
    st.altair_chart(map_chart, width="stretch")
    st.caption(
        t(
            "map_sentence",
            homes=points.filter(pl.col("role") == "home").height,
            partners=points.filter(pl.col("role") == "partner").height,
        )
    )
else:
    map_chart = charts.world_grid_map(
        gridded_points(lines),
        title=t("map"),
        role_title=t("places"),
        role_labels={"home": t("role_home"), "partner": t("role_partner")},
        partnerships_title=i18n.column_label("partnerships"),
        places_title=t("places"),
    )
    st.altair_chart(map_chart, width="stretch")
    st.caption(t("map_grid_sentence", n=i18n.number(lines.height)))
chart_downloads(map_chart)

decades = founded_per_decade(current).with_columns(pl.col("decade").cast(pl.String) + "er")
chart_with_table(
    charts.bars(
        decades,
        category="decade",
        value="partnerships",
        title=t("by_decade"),
        category_title=i18n.column_label("decade"),
        value_title=i18n.column_label("partnerships"),
        horizontal=False,
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
gap_left, gap_right = st.columns(2)
with gap_left:
    st.subheader(t("gaps_continents"))
    if gaps.is_empty():
        st.success(t("gaps_none"))
    else:
        per_home = cap(
            with_labels(gaps).group_by("home_name", maintain_order=True).agg(pl.col("continent_label").str.join(", "))
        )
        st.dataframe(
            per_home.select(
                pl.col("home_name").alias(i18n.column_label("home_name")),
                pl.col("continent_label").alias(t("continent")),
            ),
            hide_index=True,
            key="gaps_table",
        )
with gap_right:
    st.subheader(t("stale", years=STALE_YEARS))
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
