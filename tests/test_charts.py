"""The chart builders (src/present/charts.py) through `chart.to_dict()`: each gives the title, the
description and the encodings it promises on a small hand-made frame; every status and continent
has a colour."""

from __future__ import annotations

import re
from datetime import date

import polars as pl
import pytest

from analysis.contract import CONTINENTS, STATUSES
from present import charts, i18n, maps

DE_STATUS = {"active": "aktiv", "paused": "ruhend"}.get


def spec(chart) -> dict:
    return chart.to_dict()


def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def fields(encoding: dict) -> dict[str, str]:
    """Channel -> "field:type" (tooltips left out), as the Vega-Lite spec names them."""
    return {
        channel: f"{value.get('field')}:{value.get('type')}"
        for channel, value in encoding.items()
        if channel != "tooltip" and isinstance(value, dict) and "field" in value
    }


def test_stacked_bars_sum_a_value_per_category_coloured_by_stack():
    frame = pl.DataFrame(
        {"city": ["Dortmund", "Dortmund", "Hagen"], "status": ["aktiv", "ruhend", "aktiv"], "n": [2, 1, 1]}
    )
    frame = frame.with_columns(stack_order=pl.Series([0, 1, 0]))
    scale = charts.status_scale(DE_STATUS)
    chart = spec(
        charts.stacked_bars(
            frame,
            category="city",
            stack="status",
            value="n",
            title="Partnerschaften je Stadt",
            category_title="Stadt",
            value_title="Anzahl",
            stack_title="Status",
            scale=scale,
            description="Dortmund hat 3 Partnerschaften, Hagen 1.",
        )
    )
    assert chart["title"] == "Partnerschaften je Stadt"
    assert chart["description"] == "Dortmund hat 3 Partnerschaften, Hagen 1."
    assert chart["mark"]["type"] == "bar"
    encoding = chart["encoding"]
    assert fields(encoding) == {
        "y": "city:nominal",
        "x": "n:quantitative",
        "color": "status:nominal",
        "order": "stack_order:quantitative",
    }
    assert encoding["x"]["aggregate"] == "sum"
    assert encoding["color"]["scale"]["range"][STATUSES.index("active")] == charts.STATUS_COLORS["active"]
    assert [t["title"] for t in encoding["tooltip"]] == ["Stadt", "Status", "Anzahl"]
    data = next(iter(chart["datasets"].values()))
    assert [(r["city"], r["n"]) for r in data] == [("Dortmund", 2), ("Dortmund", 1), ("Hagen", 1)]


@pytest.mark.parametrize("horizontal", [True, False])
def test_bars_one_per_category_in_the_frames_order(horizontal):
    frame = pl.DataFrame({"decade": ["1960er", "2010er", "2020er"], "n": [1, 1, 1]})
    titles = {"title": "Gründungen", "category_title": "Jahrzehnt", "value_title": "Anzahl"}
    chart = spec(charts.bars(frame, category="decade", value="n", horizontal=horizontal, **titles))
    category, value = ("y", "x") if horizontal else ("x", "y")
    assert chart["title"] == "Gründungen"
    assert chart["description"] == "Gründungen"  # no description given: the title says it
    assert fields(chart["encoding"]) == {category: "decade:nominal", value: "n:quantitative"}
    assert chart["encoding"][category]["sort"] == ["1960er", "2010er", "2020er"]
    assert chart["mark"] == {"type": "bar", "color": "#4477AA"}


def test_heatmap_colours_cells_and_writes_the_number_in_each():
    frame = pl.DataFrame({"theme": ["Kultur", "Wirtschaft"], "city": ["Dortmund", "Hagen"], "n": [1, 1]})
    titles = {"x_title": "Thema", "y_title": "Stadt", "value_title": "Anzahl"}
    description = "Dortmund: Kultur 1; Hagen: Wirtschaft 1."
    chart = spec(
        charts.heatmap(
            frame, x="theme", y="city", value="n", title="Themen je Stadt", description=description, **titles
        )
    )
    assert chart["title"] == "Themen je Stadt"
    assert chart["description"] == "Dortmund: Kultur 1; Hagen: Wirtschaft 1."
    cells, numbers = chart["layer"]
    assert cells["mark"]["type"] == "rect" and numbers["mark"]["type"] == "text"
    assert fields(cells["encoding"]) == {"x": "theme:nominal", "y": "city:nominal", "color": "n:quantitative"}
    assert fields(numbers["encoding"]) == {"x": "theme:nominal", "y": "city:nominal", "text": "n:quantitative"}


def test_periods_one_bar_per_status_period():
    frame = pl.DataFrame(
        {
            "label": ["Dortmund–Trabzon", "Dortmund–Trabzon"],
            "status_label": ["in Vorbereitung", "aktiv"],
            "start": [date(2013, 5, 1), date(2014, 6, 12)],
            "end": [date(2014, 6, 12), date(2025, 1, 1)],
            "start_text": ["05/2013", "12.06.2014"],
            "end_text": ["12.06.2014", "heute"],
        }
    )
    chart = spec(
        charts.periods(
            frame,
            title="Verlauf",
            row_title="Partnerschaft",
            start_title="von",
            end_title="bis",
            status_title="Status",
            scale=charts.status_scale(i18n.status_label),
        )
    )
    assert chart["title"] == "Verlauf" and chart["description"] == "Verlauf"
    bars, labels = chart["layer"]
    assert bars["mark"]["type"] == "bar"
    assert fields(bars["encoding"]) == {
        "y": "label:nominal",
        "x": "start:temporal",
        "x2": "end:None",
        "color": "status_label:nominal",
    }
    # the tooltip shows each date as text at its precision (05/2013), never as a made-up day
    assert [t["field"] for t in bars["encoding"]["tooltip"]] == ["label", "status_label", "start_text", "end_text"]
    # under 700 px the axis labels give way to one label above each row's bars (a row each, not a period)
    narrow = charts.NARROW
    assert bars["encoding"]["y"]["axis"]["labelOpacity"] == {"expr": f"{narrow} ? 0 : 1"}
    assert labels["mark"]["type"] == "text" and labels["mark"]["opacity"] == {"expr": f"{narrow} ? 1 : 0"}
    assert labels["transform"] == [{"aggregate": [], "groupby": ["label"]}]
    assert chart["height"] == {"step": charts.PERIOD_ROW}


@pytest.mark.parametrize("europe", [False, True])
def test_world_map_outlines_lines_partners_and_homes(europe):
    lines = pl.DataFrame(
        {
            "home_name": ["Dortmund"],
            "partner_name": ["Amiens"],
            "status_label": ["aktiv"],
            "home_lat": [51.5],
            "home_lon": [7.5],
            "partner_lat": [49.9],
            "partner_lon": [2.3],
        }
    )
    points = pl.DataFrame(
        [("Dortmund", "home", 51.5, 7.5, 1), ("Amiens", "partner", 49.9, 2.3, 1)],
        schema=["name", "role", "latitude", "longitude", "partnerships"],
        orient="row",
    )
    titles = {"status_title": "Status", "home_title": "Heimatstadt", "partner_title": "Partnerstadt"}
    titles |= {"place_title": "Ort", "role_title": "Rolle", "partnerships_title": "Partnerschaften"}
    description = "1 Linie von Dortmund nach Amiens."
    scale = charts.status_scale(DE_STATUS)
    roles = {"home": "Heimatstadt", "partner": "Partnerort"}
    chart = spec(
        maps.world_map(
            lines,
            points,
            title="Weltkarte",
            scale=scale,
            role_labels=roles,
            description=description,
            europe=europe,
            **titles,
        )
    )
    assert chart["title"] == "Weltkarte"
    assert chart["description"] == "1 Linie von Dortmund nach Amiens."
    outlines, links, partners, homes = chart["layer"][:4]
    assert outlines["data"]["url"] == maps.WORLD_URL  # served by this server, never a CDN
    assert outlines["mark"]["type"] == "geoshape"
    assert links["mark"]["type"] == "rule"
    assert fields(links["encoding"]) == {
        "longitude": "home_lon:quantitative",
        "latitude": "home_lat:quantitative",
        "longitude2": "partner_lon:None",
        "latitude2": "partner_lat:None",
        "color": "status_label:nominal",
    }
    assert fields(partners["encoding"]) == {"longitude": "longitude:quantitative", "latitude": "latitude:quantitative"}
    assert fields(homes["encoding"])["shape"] == "home_name:nominal"
    projections = {layer["projection"]["type"] for layer in chart["layer"]}
    assert projections == ({"mercator"} if europe else {"equalEarth"})


def test_world_grid_map_sizes_cells_by_partnerships():
    cells = pl.DataFrame(
        [("home", 51.0, 7.0, 2, 3), ("partner", 49.0, 2.0, 1, 1)],
        schema=["role", "latitude", "longitude", "places", "partnerships"],
        orient="row",
    )
    chart = spec(
        maps.world_grid_map(
            cells,
            title="Raster",
            role_title="Rolle",
            role_labels={"home": "Heimat", "partner": "Partner"},
            partnerships_title="Partnerschaften",
            places_title="Orte",
        )
    )
    assert chart["title"] == "Raster" and chart["description"] == "Raster"
    outlines, dots = chart["layer"]
    assert outlines["mark"]["type"] == "geoshape" and dots["mark"]["type"] == "circle"
    assert fields(dots["encoding"]) == {
        "longitude": "longitude:quantitative",
        "latitude": "latitude:quantitative",
        "size": "partnerships:quantitative",
        "color": "role_label:nominal",
    }
    assert dots["encoding"]["color"]["scale"]["domain"] == ["Heimat", "Partner"]


@pytest.mark.parametrize(
    ("time_unit", "axis_format", "interpolate"), [("year", "%Y", "linear"), ("month", "%m/%Y", "step-after")]
)
def test_lines_over_time_one_line_per_series(time_unit, axis_format, interpolate):
    titles = {"time_title": "Jahr", "value_title": "Partnerschaften", "series_title": "Status"}
    frame = pl.DataFrame(
        {
            "point": [date(2013, 1, 1), date(2014, 1, 1)],
            "period": ["2013", "2014"],
            "group": ["aktiv", "aktiv"],
            "partnerships": [1, 2],
        }
    )
    chart = spec(
        charts.lines_over_time(
            frame, series="group", value="partnerships", title="Netz über die Zeit", time_unit=time_unit, **titles
        )
    )
    assert chart["title"] == "Netz über die Zeit" and chart["description"] == "Netz über die Zeit"
    assert chart["mark"] == {"type": "line", "point": True, "interpolate": interpolate}
    assert fields(chart["encoding"]) == {
        "x": "point:temporal",
        "y": "partnerships:quantitative",
        "color": "group:nominal",
    }
    assert chart["encoding"]["x"]["axis"]["format"] == axis_format
    assert chart["encoding"]["tooltip"][0]["field"] == "period"  # the point's text at its precision


@pytest.mark.parametrize(
    ("keys", "colours"),
    [(STATUSES, charts.STATUS_COLORS), (CONTINENTS, charts.CONTINENT_COLORS)],
    ids=["status", "continent"],
)
def test_every_status_and_continent_has_a_colour(keys, colours):
    """Their labels in both languages: tests/test_phrasebook.py."""
    assert len(keys) >= 6
    assert set(keys) == set(colours)
    assert all(re.fullmatch(r"#[0-9A-F]{6}", colour) for colour in colours.values())
    assert len(set(colours.values())) == len(keys)  # no two share a colour


def test_the_palettes_are_keyed_by_the_labels_of_the_language_shown():
    with i18n.language("en"):
        english = charts.status_scale(i18n.status_label).to_dict()
    with i18n.language("de"):
        german = charts.continent_scale(i18n.continent_label).to_dict()
    assert english["domain"] == ["proposed", "in preparation", "active", "paused", "term lapsed", "declined", "ended"]
    assert german["domain"] == ["Afrika", "Antarktika", "Asien", "Europa", "Nordamerika", "Ozeanien", "Südamerika"]
    assert english["range"][2] == "#009E73" and german["range"][3] == "#4477AA"  # active green, Europe blue


def test_theme_grids_stand_the_themes_in_rows_and_the_cities_in_columns():
    """Seventeen themes side by side overlapped at 390 px: every theme grid (by home city, by
    continent, the comparison's) has the themes as its rows, so that each label stands whole."""
    from present import figures

    exploded = pl.DataFrame(
        {
            "home_id": ["de-bochum", "de-bochum", "de-herne"],
            "home_name": ["Bochum", "Bochum", "Herne"],
            "theme_id": ["culture", "youth", "culture"],
            "partner_continent": ["Europe", "Asia", "Europe"],
        }
    )
    names = {"culture": "Kultur", "youth": "Jugend"}
    with i18n.language("de"):
        grids = [
            figures.themes_figure(exploded, names)[0],
            figures.themes_by_continent_figure(exploded, names)[0],
            figures.theme_matrix_figure(
                pl.DataFrame(
                    {"home_name": ["Bochum", "Herne"], "theme_id": ["culture", "culture"], "partnerships": [1, 1]}
                ),
                names,
            )[0],
        ]
    for grid in grids:
        spec = grid.to_dict()
        encoding = spec["layer"][0]["encoding"]
        assert encoding["y"]["title"] == "Thema", encoding["y"]
        assert encoding["x"]["title"] in ("Heimatstadt", "Kontinent"), encoding["x"]
        themes = {row[encoding["y"]["field"]] for row in next(iter(spec["datasets"].values()))}
        assert themes == {"Kultur", "Jugend"} or themes == {"Kultur"}


def _ruhr_map(europe: bool):
    """Two home cities 0.2° apart (Dortmund, Hagen) with a partner each: Amiens inside Europe's box,
    Kumasi (Ghana, 6.7° N) outside it."""
    lines = pl.DataFrame(
        {
            "home_name": ["Dortmund", "Hagen"],
            "partner_name": ["Amiens", "Kumasi"],
            "status_label": ["aktiv", "vorgeschlagen"],
            "home_lat": [51.5, 51.3],
            "home_lon": [7.5, 7.5],
            "partner_lat": [49.9, 6.7],
            "partner_lon": [2.3, -1.6],
        }
    )
    points = pl.DataFrame(
        [
            ("Dortmund", "home", 51.5, 7.5, 1),
            ("Hagen", "home", 51.3, 7.5, 1),
            ("Amiens", "partner", 49.9, 2.3, 1),
            ("Kumasi", "partner", 6.7, -1.6, 1),
        ],
        schema=["name", "role", "latitude", "longitude", "partnerships"],
        orient="row",
    )
    titles = {"status_title": "Status", "home_title": "Heimatstadt", "partner_title": "Partnerstadt"}
    titles |= {"place_title": "Ort", "role_title": "Rolle", "partnerships_title": "Partnerschaften"}
    return maps.world_map(
        lines,
        points,
        title="Karte",
        scale=charts.status_scale(DE_STATUS),
        role_labels={"home": "Heimatstadt", "partner": "Partnerort"},
        description="Karte",
        europe=europe,
        **titles,
    ).to_dict()


def test_home_cities_carry_their_symbol_in_labels_stacked_until_the_zoom_parts_them():
    chart = _ruhr_map(europe=False)
    datasets = chart["datasets"]
    labels = [layer for layer in chart["layer"] if layer["mark"]["type"] == "text"]
    assert len(labels) == 4  # stacked and at their own city, each a white halo under black text
    stacked = datasets[labels[0]["data"]["name"]]
    # north first: Dortmund (51.5°) above Hagen (51.3°), one LABEL_STEP (15 px) apart around the middle
    assert [(r["label"], r["dy"]) for r in stacked] == [("● Dortmund", -7.5), ("■ Hagen", 7.5)]
    assert {r["mid_lat"] for r in stacked} == {51.4}
    # 0.2° of latitude: 15 px / (0.2 × 700 / 5.4 × π / 180 px) ≈ 33.2 zoom to part them vertically;
    # side by side they never part (same longitude); the slider reaches 64, far enough to part the
    # Ruhr's home cities (10 to 20 km apart)
    assert labels[0]["mark"]["opacity"] == {"expr": "(zoom < 33.15) ? 1 : 0"}
    assert labels[2]["mark"]["opacity"] == {"expr": "(zoom >= 33.15) ? 1 : 0"}
    params = {p["name"]: p for p in chart["params"]}
    assert params["zoom"]["bind"]["input"] == "range" and params["zoom"]["bind"]["max"] == 64
    assert params["centre"]["bind"]["options"] == ["world", "Dortmund", "Hagen"]
    homes = next(layer for layer in chart["layer"] if layer["mark"]["type"] == "point")
    assert homes["encoding"]["shape"]["scale"] == {"domain": ["Dortmund", "Hagen"], "range": ["circle", "square"]}


def test_the_europe_view_keeps_the_lines_inside_europe_and_fits_them():
    chart = _ruhr_map(europe=True)
    links = next(layer for layer in chart["layer"] if layer["mark"]["type"] == "rule")
    assert [r["partner_name"] for r in chart["datasets"][links["data"]["name"]]] == ["Amiens"]
    # fitted to Dortmund, Hagen and Amiens, 2° (longitude) and 1.5° (latitude) around them
    fit = links["projection"]["fit"]["geometry"]["coordinates"]
    assert fit == [[pytest.approx(0.3), pytest.approx(48.4)], [9.5, 53.0]]
    assert "params" not in chart or all(p["name"] != "zoom" for p in chart["params"])


def test_a_heatmap_legend_writes_whole_numbers():
    frame = pl.DataFrame({"home": ["Dortmund"], "theme": ["Kultur"], "partnerships": [1]})
    chart = charts.heatmap(
        frame,
        x="home",
        y="theme",
        value="partnerships",
        title="Themen",
        x_title="Heimatstadt",
        y_title="Thema",
        value_title="Partnerschaften",
    ).to_dict()
    cells = chart["layer"][0]
    assert cells["encoding"]["color"]["legend"] == {"format": "d", "tickMinStep": 1}  # not "1.000000"
