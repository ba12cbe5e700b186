"""Vergleich: two to four home cities side by side (the cities in the URL as ids: ?cities=a,b)."""

from dataclasses import replace

import polars as pl
import streamlit as st

from analysis.aggregates import partnerships_by_home
from analysis.comparison import MAX_CITIES, MIN_CITIES, city_figures, continent_matrix, theme_matrix
from analysis.filter_options import filter_options
from analysis.strategy import STATUS_GROUPS, home_cities
from dashboard import charts, figures, i18n
from dashboard.data import derived, network, theme_rows, view
from dashboard.filters import MAX_HOME_CHOICES
from dashboard.i18n import t
from dashboard.page import start
from dashboard.tables import chart_with_table, theme_names, with_labels, with_theme_labels
from dashboard.url_state import chosen_before, parse_multi, url_widget

package, selection = start("page_compare")
as_of = selection.as_of
homes = home_cities(package.frames)
names = dict(zip(homes["home_id"], homes["home_name"], strict=True))
parse_homes = parse_multi(list(names))
# offer the largest home cities, and whichever are chosen (by the URL too), as the sidebar does
largest = derived(package, filter_options, MAX_HOME_CHOICES)["home_offered"]
already_chosen = chosen_before("cities", parse_homes) or []
offered = sorted(set(largest) | set(already_chosen), key=lambda h: names.get(h, h))
chosen = url_widget(
    st.multiselect,
    t("compare_cities"),
    "cities",
    lambda raw: (parse_homes(raw) or [])[:MAX_CITIES] or None,
    [],
    options=offered,
    format_func=lambda h: names.get(h, h),
    max_selections=MAX_CITIES,
    placeholder=t("compare_choose"),
)
if len(chosen) < MIN_CITIES:
    st.info(t("compare_choose"))
    st.stop()

filters = replace(selection.filters, homes=tuple(chosen))
current = view(package, as_of, filters, with_precision=True)
st.caption(f"{t('as_of')} {i18n.date_at_precision(as_of, 'day')}")

st.subheader(t("compare_status"))
per_city = city_figures(current, chosen, names)
by_home = with_labels(partnerships_by_home(current))
chart_with_table(
    charts.stacked_bars(
        by_home,
        category="home_name",
        stack="status_label",
        value="partnerships",
        title=t("compare_status"),
        category_title=i18n.column_label("home_name"),
        value_title=i18n.column_label("partnerships"),
        stack_title=t("status"),
        scale=charts.status_scale(i18n.status_label),
        category_order=[names[h] for h in chosen],
    ).properties(description=t("compare_status_description")),
    per_city.select(
        pl.col("home_name").alias(i18n.column_label("home_name")),
        *[pl.col(group).alias(i18n.group_label(group)) for group in STATUS_GROUPS],
        pl.col("partnerships").alias(t("total")),
    ),
)

st.subheader(t("compare_matrix"))
matrix = with_labels(continent_matrix(current, chosen, names))
chart_with_table(
    charts.heatmap(
        matrix,
        x="continent_label",
        y="home_name",
        value="partnerships",
        title=t("compare_matrix"),
        x_title=t("continent"),
        y_title=i18n.column_label("home_name"),
        value_title=i18n.column_label("partnerships"),
    ).properties(description=t("compare_matrix_description")),
    matrix.pivot(on="continent_label", index="home_name", values="partnerships").rename(
        {"home_name": i18n.column_label("home_name")}
    ),
)

st.subheader(t("compare_themes"))
labels = theme_names(package)
themes = with_theme_labels(theme_matrix(theme_rows(package, as_of, filters), chosen, names, package["themes"]), labels)
chart_with_table(
    charts.heatmap(
        themes,
        x="theme_label",
        y="home_name",
        value="partnerships",
        title=t("compare_themes"),
        x_title=t("theme"),
        y_title=i18n.column_label("home_name"),
        value_title=i18n.column_label("partnerships"),
    ).properties(description=t("compare_themes_description")),
    themes.pivot(on="theme_label", index="home_name", values="partnerships").rename(
        {"home_name": i18n.column_label("home_name")}
    ),
)

network = network(package, current, as_of, "home_id")
if network.height:
    chart_with_table(*figures.network_by_city_figure(network, names, as_of, chosen))
    st.caption(t("network_caption"))

st.subheader(t("compare_facts"))


def founded_text(name: str | None, day, precision: str | None) -> str:
    return "" if name is None else f"{name} ({i18n.date_at_precision(day, precision)})"


st.dataframe(
    pl.DataFrame(
        {
            i18n.column_label("home_name"): per_city["home_name"],
            t("median_distance"): per_city["median_distance_km"].round(0).cast(pl.Int64),
            t("oldest"): [
                founded_text(*row)
                for row in per_city.select("oldest", "oldest_founded", "oldest_precision").iter_rows()
            ],
            t("newest"): [
                founded_text(*row)
                for row in per_city.select("newest", "newest_founded", "newest_precision").iter_rows()
            ],
        }
    ),
    hide_index=True,
    key="compare_facts",
)
