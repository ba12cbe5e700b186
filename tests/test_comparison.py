"""Cities side by side: the analysis against a small hand-made view, the page against the small
package of conftest (Dortmund: Amiens active since 1960, Trabzon active since 12.06.2014; Hagen:
Kartal proposed 31.05.2021), its choice in the URL as ids."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal
from streamlit.testing.v1 import AppTest

from analysis.package import ENV_VAR
from analysis.questions.comparison import city_figures, continent_matrix, theme_matrix

APP = Path(__file__).resolve().parents[1] / "app.py"
NAMES = {"a": "Aburg", "b": "Bstadt", "c": "Cdorf"}


def view() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "partnership_id": ["a1", "a2", "a3", "b1"],
            "home_id": ["a", "a", "a", "b"],
            "partner_name": ["P1", "P2", "P3", "Q1"],
            "partner_continent": ["Europe", "Asia", "Europe", "Africa"],
            "status": ["active", "paused", "proposed", "ended"],
            "distance_km": [100, 300, 1000, 50],
            "founded": [date(1960, 1, 1), date(1990, 5, 1), None, date(2001, 1, 1)],
            "founded_precision": ["year", "month", None, "day"],
            "themes": ["culture;youth", "culture", "", ""],
        }
    )


def test_city_figures_count_by_status_group_with_a_city_without_rows():
    figures = city_figures(view(), ["b", "a", "c"], NAMES)
    assert figures["home_name"].to_list() == ["Bstadt", "Aburg", "Cdorf"]  # the order chosen
    assert figures.select("active", "paused", "pipeline", "closed", "partnerships").rows() == [
        (0, 0, 0, 1, 1),
        (1, 1, 1, 0, 3),
        (0, 0, 0, 0, 0),
    ]
    assert figures["median_distance_km"].to_list() == [50.0, 300.0, None]
    # oldest and newest among those with a founded date; precision kept
    assert figures.select("oldest", "oldest_founded", "oldest_precision").row(1) == ("P1", date(1960, 1, 1), "year")
    assert figures.select("newest", "newest_founded", "newest_precision").row(1) == ("P2", date(1990, 5, 1), "month")
    assert figures["oldest"].to_list()[2] is None


def test_continent_matrix_shows_zeros():
    matrix = continent_matrix(view(), ["a", "b"], NAMES)
    assert matrix.height == 2 * 6  # every inhabited continent for each city
    a = dict(matrix.filter(pl.col("home_id") == "a").select("continent", "partnerships").iter_rows())
    assert a == {
        "Europe": 2,
        "Asia": 1,
        "Africa": 0,
        "North America": 0,
        "South America": 0,
        "Oceania": 0,
    }
    assert matrix.filter(pl.col("home_id") == "b")["partnerships"].sum() == 1


def test_theme_matrix_shows_zeros():
    exploded = view().with_columns(pl.col("themes").str.split(";").alias("theme_id")).explode("theme_id")
    exploded = exploded.filter(pl.col("theme_id") != "")
    themes = pl.DataFrame({"theme_id": ["culture", "youth", "sport"]})
    expected = pl.DataFrame(
        {
            "home_id": ["a"] * 3 + ["b"] * 3,
            "home_name": ["Aburg"] * 3 + ["Bstadt"] * 3,
            "theme_id": ["culture", "youth", "sport"] * 2,
            "partnerships": [2, 1, 0, 0, 0, 0],
        }
    )
    assert_frame_equal(theme_matrix(exploded, ["a", "b"], NAMES, themes), expected)


@pytest.fixture
def small(monkeypatch, small_package):
    monkeypatch.setenv(ENV_VAR, str(small_package))


def compare_page(**params) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page("views/compare.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_compare_page_from_the_url(small):
    at = compare_page(cities=["de-hagen", "de-dortmund"], asof="2025-01-01")
    assert at.multiselect(key="cities").value == ["de-hagen", "de-dortmund"]
    frames = {tuple(d.value.columns)[1]: d.value for d in at.dataframe}
    status = frames["Aktiv"]
    assert status.to_dict("records") == [
        {
            "Heimatstadt": "Hagen",
            "Aktiv": 0,
            "Ruhend oder ausgelaufen": 0,
            "In Planung": 1,
            "Abgelehnt/beendet": 0,
            "Summe": 1,
        },
        {
            "Heimatstadt": "Dortmund",
            "Aktiv": 2,
            "Ruhend oder ausgelaufen": 0,
            "In Planung": 0,
            "Abgelehnt/beendet": 0,
            "Summe": 2,
        },
    ]
    continents = frames["Afrika"]
    assert continents.to_dict("records")[0] == {
        "Heimatstadt": "Hagen",
        "Afrika": 0,
        "Asien": 1,
        "Europa": 0,
        "Nordamerika": 0,
        "Ozeanien": 0,
        "Südamerika": 0,
    }
    network = frames["Hagen"]  # active partnerships over time, one column per city in the order chosen
    assert list(network.columns) == ["Zeitpunkt", "Hagen", "Dortmund"]
    rows = {r["Zeitpunkt"]: (r["Hagen"], r["Dortmund"]) for r in network.to_dict("records")}
    assert rows["1960"] == (0, 1) and rows["2014"] == (0, 2) and rows["01.01.2025"] == (0, 2)
    facts = at.dataframe[-1].value
    assert facts["Älteste Partnerschaft"].to_list() == ["", "Amiens (1960)"]
    assert facts["Jüngste Partnerschaft"].to_list() == ["", "Trabzon (12.06.2014)"]


def test_compare_page_asks_for_two_cities_and_keeps_ids_in_the_url(small):
    at = compare_page(cities="de-dortmund", lang="en")
    assert any("Choose two to four home cities" in info.value for info in at.info)
    at.multiselect(key="cities").set_value(["de-dortmund", "de-hagen"]).run()
    assert at.query_params["cities"] == ["de-dortmund", "de-hagen"]
    assert not at.exception


def test_compare_page_drops_unknown_ids_and_more_than_four(small):
    at = compare_page(cities="de-dortmund,nowhere,de-hagen")
    assert at.multiselect(key="cities").value == ["de-dortmund", "de-hagen"]


def test_compare_charts_keep_one_city_order_every_status_and_say_which_filters_apply(small):
    """Hagen then Dortmund chosen: every chart that has the cities on an axis puts them in that
    order; the status legend keeps all seven statuses though these two cities have none "beendet";
    the page says the sidebar's Heimatstadt is replaced by the cities chosen."""
    import json

    at = compare_page(cities=["de-hagen", "de-dortmund"], asof="2025-01-01")
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    orders = []
    for spec in specs:
        for layer in spec.get("layer", [spec]):
            for channel in ("x", "y"):
                encoding = layer.get("encoding", {}).get(channel, {})
                if encoding.get("field") == "home_name":
                    orders.append(encoding["sort"])
    # the status bars, the continent grid (two layers) and the theme grid (two layers)
    assert orders == [["Hagen", "Dortmund"]] * 5
    status = next(s for s in specs if s["title"] == "Status am Stichtag")
    domain = status["encoding"]["color"]["scale"]["domain"]
    assert len(domain) == 7 and "beendet" in domain and "abgelehnt" in domain
    # and the room to show them: two bars (40 px) would clip the legend's 7 entries (18 px each, 24 the title)
    assert status["height"] == 7 * 18 + 24 and status["autosize"]["type"] == "fit-x"
    captions = [c.value for c in at.caption]
    assert any(c.startswith("Alle Filter der Seitenleiste gelten hier außer „Heimatstadt“") for c in captions)
