"""Vergleich: two to four home cities side by side (the cities in the URL as ids: ?cities=a,b)."""

from dataclasses import replace

import streamlit as st

from analysis.questions.comparison import MAX_CITIES, MIN_CITIES, city_figures, continent_matrix, theme_matrix
from analysis.questions.filter_options import filter_options
from analysis.questions.overview import home_cities
from dashboard.data import derived, network, theme_rows, view
from dashboard.filters import MAX_HOME_CHOICES
from dashboard.page import start
from dashboard.tables import chart_with_table, figure, frame_table
from dashboard.url_state import chosen_before, parse_multi, url_widget
from present import figures, i18n
from present.i18n import t
from present.labels import theme_names
from present.readable import city_facts

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
st.caption(t("compare_filters"))  # the cities chosen here take the place of the sidebar's Heimatstadt

st.subheader(t("compare_status"))
per_city = city_figures(current, chosen, names)
order = [names[h] for h in chosen]  # one city order in every chart and table: the order chosen
chart_with_table(*figure(figures.city_status_figure, current, per_city, order))

st.subheader(t("compare_matrix"))
chart_with_table(*figure(figures.continent_matrix_figure, continent_matrix(current, chosen, names), order))

st.subheader(t("compare_themes"))
themes = theme_matrix(theme_rows(package, as_of, filters), chosen, names, package["themes"])
chart_with_table(*figure(figures.theme_matrix_figure, themes, theme_names(package), order))

network = network(package, current, as_of, "home_id")
if network.height:
    chart_with_table(*figure(figures.network_by_city_figure, network, names, as_of, chosen))
    st.caption(t("network_caption"))

st.subheader(t("compare_facts"))
frame_table(city_facts(per_city), key="compare_facts")
