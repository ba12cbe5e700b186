"""The enriched view, filters and aggregates on the small hand-made package (conftest.BASE_ROWS)."""

from __future__ import annotations

import math
from datetime import date

import polars as pl
from polars.testing import assert_frame_equal

from analysis.package import load_package
from analysis.questions.aggregates import (
    founded_per_decade,
    partnerships_by_continent,
    partnerships_by_status,
)
from analysis.questions.enriched import ENRICHED_COLUMNS, enriched_view, great_circle_km
from analysis.questions.filters import Filters


def test_columns_are_the_contracts(small_package):
    view = enriched_view(load_package(small_package), date(2025, 1, 1))
    assert view.columns == ENRICHED_COLUMNS


def test_partnerships_not_yet_existing_are_left_out(small_package):
    package = load_package(small_package)
    assert enriched_view(package, date(1959, 12, 31)).height == 0
    assert enriched_view(package, date(2013, 4, 30))["partnership_id"].to_list() == ["dortmund-amiens"]
    assert enriched_view(package, date(2021, 5, 31)).height == 3


def test_row_as_of_a_date(small_package):
    view = enriched_view(load_package(small_package), date(2014, 1, 1))
    row = view.filter(pl.col("partnership_id") == "dortmund-trabzon").to_dicts()[0]
    assert row["status"] == "in_preparation"
    assert row["status_since"] == date(2013, 5, 1)
    assert row["founded"] is None
    assert row["sources"] == "s1"  # s2 signs it only in June 2014
    assert row["partner_country"] == "Türkei" and row["partner_continent"] == "Asia"
    later = enriched_view(load_package(small_package), date(2014, 6, 12))
    assert later.filter(pl.col("partnership_id") == "dortmund-trabzon")["sources"].item() == "s1;s2"


def test_great_circle_on_hand_known_arcs():
    frame = pl.DataFrame({"lat1": [51.5, 0.0], "lon1": [7.5, 0.0], "lat2": [50.5, 0.0], "lon2": [7.5, 90.0]})
    km = frame.select(great_circle_km(pl.col("lat1"), pl.col("lon1"), pl.col("lat2"), pl.col("lon2")))
    one_degree, quarter = 6371 * math.pi / 180, 6371 * math.pi / 2  # 111.19 km, 10,007.5 km
    assert km.to_series().round(2).to_list() == [round(one_degree, 2), round(quarter, 2)]


def test_filters_combine(small_package):
    package = load_package(small_package)
    as_of = date(2025, 1, 1)
    ids = lambda f: enriched_view(package, as_of, f)["partnership_id"].to_list()  # noqa: E731
    assert ids(Filters(homes=("de-dortmund",))) == ["dortmund-amiens", "dortmund-trabzon"]
    assert sorted(ids(Filters(continents=("Asia",)))) == ["dortmund-trabzon", "hagen-kartal"]
    assert ids(Filters(continents=("Asia",), statuses=("active",))) == ["dortmund-trabzon"]
    assert ids(Filters(themes=("economy",))) == ["hagen-kartal"]
    # hagen-kartal was never active (no founding year) and stays: the years never hide the pipeline
    assert ids(Filters(founded_from=1950, founded_to=1969)) == ["dortmund-amiens", "hagen-kartal"]
    assert ids(Filters(founded_from=2000)) == ["dortmund-trabzon", "hagen-kartal"]
    assert ids(Filters(search="TÜRKEI")) == ["dortmund-trabzon", "hagen-kartal"]
    assert ids(Filters(countries=("FR",), kinds=("twinning",))) == ["dortmund-amiens"]


def test_aggregates(small_package):
    view = enriched_view(load_package(small_package), date(2025, 1, 1))
    assert_frame_equal(
        partnerships_by_status(view),
        pl.DataFrame(
            {
                "status": ["proposed", "in_preparation", "active", "paused", "lapsed", "declined", "ended"],
                "partnerships": [1, 0, 2, 0, 0, 0, 0],
            }
        ),
    )
    assert_frame_equal(
        partnerships_by_continent(view),
        pl.DataFrame(
            {
                "partner_continent": ["Europe", "Asia", "Asia"],
                "status": ["active", "proposed", "active"],
                "partnerships": [1, 1, 1],
            }
        ),
        check_row_order=False,
    )
    assert_frame_equal(founded_per_decade(view), pl.DataFrame({"decade": [1960, 2010], "partnerships": [1, 1]}))


def test_theme_aggregates(small_package):
    from analysis.questions.aggregates import partnerships_by_theme, themes_by_continent, themes_by_home
    from analysis.questions.enriched import theme_rows_of

    package = load_package(small_package)
    exploded = theme_rows_of(enriched_view(package, date(2025, 1, 1)))
    # BASE_ROWS: Dortmund–Amiens carries culture, Hagen–Kartal economy, Dortmund–Trabzon none
    assert sorted(themes_by_home(exploded).select("home_name", "theme_id", "partnerships").rows()) == [
        ("Dortmund", "culture", 1),
        ("Hagen", "economy", 1),
    ]
    # one mention each: the tie goes to the smaller id
    assert themes_by_home(exploded, top=1)["home_id"].to_list() == ["de-dortmund"]
    assert sorted(themes_by_continent(exploded).rows()) == [("Asia", "economy", 1), ("Europe", "culture", 1)]
    assert partnerships_by_theme(exploded, package["themes"])["label_de"].sort().to_list() == ["Kultur", "Wirtschaft"]


def test_theme_rows_equal_the_exploded_filtered_view(small_package):
    from analysis.questions.enriched import enriched_theme_rows, theme_rows_of

    package = load_package(small_package)
    for filters in (None, Filters(homes=("de-hagen",)), Filters(themes=("culture",))):
        expected = theme_rows_of(enriched_view(package, date(2025, 1, 1), filters))
        assert_frame_equal(enriched_theme_rows(package, date(2025, 1, 1), filters), expected, check_row_order=False)
    # by hand: Amiens carries culture, Kartal economy
    rows = enriched_theme_rows(package, date(2025, 1, 1))
    assert sorted(zip(rows["partner_name"], rows["theme_id"], strict=True)) == [
        ("Amiens", "culture"),
        ("Kartal", "economy"),
    ]


def test_status_periods_run_from_change_to_change(small_package):
    from analysis.questions.history import status_periods

    periods = status_periods(load_package(small_package), date(2025, 1, 1), ["dortmund-trabzon"])
    assert periods.select("status", "start", "end").rows() == [
        ("in_preparation", date(2013, 5, 1), date(2014, 6, 12)),
        ("active", date(2014, 6, 12), date(2025, 1, 1)),
    ]
