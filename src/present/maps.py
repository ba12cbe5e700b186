"""The map: builders from map frames to an Altair chart, and map_figure, the map of a view in the
current language (for the overview, the downloads and the report). Offline (the world outline is
served from static/ by this same server; no tile server, no CDN).

The world map zooms (a slider) and centres on the world or on a home city (a list), both Vega-Lite
parameters, so the page, the SVG/PNG download and the report share one builder (a file shows the
parameters' first values). Home cities carry distinct symbols and labels that never collide: as long
as they would overlap, the labels stand stacked beside the home cities, each with its symbol; once the
zoom separates the cities, each label stands at its own city.
"""

from __future__ import annotations

import json
import math
from itertools import combinations

import altair as alt
import polars as pl

from analysis.questions.geo import fits_line_map, gridded_points, map_points
from present import i18n
from present.charts import status_scale
from present.i18n import plural, t
from present.labels import with_labels

# Natural Earth outlines, shipped in static/ and served by this same Streamlit server
# (server.enableStaticServing): the browser loads them from localhost, never from a CDN.
WORLD_URL = "app/static/countries-110m.json"
# Vega's symbol shapes with the character that draws each in a label; a seventh home city repeats the first.
SHAPES = {
    "circle": "●",
    "square": "■",
    "triangle-up": "▲",
    "diamond": "♦",  # ◆ is missing from the renderer's sans-serif font (the label fell back to a serif)
    "triangle-down": "▼",
    "cross": "✚",
}
MAX_LABELLED_HOMES = len(SHAPES)  # more home cities: the legend names them, the map does not
MAX_ZOOM = 64  # the Ruhr's home cities, 10 to 20 km apart, lie 13 to 26 px apart at the end
WORLD_HEIGHT = 400  # px: the world at 790 px wide (a wide page); both legends beside it fit
LABEL_STEP = 15  # px between stacked labels
# Europe's frame, a box of longitude and latitude; the Europe view shows the partnerships inside it
# and fits its projection to them.
EUROPE_BOX = ((-25.0, 34.0), (45.0, 72.0))
# About how many pixels a degree of latitude (longitude at 50° N) spans on the world map at zoom 1
# in a 700 px wide chart: equal Earth's width is 5.4 times its scale.
WORLD_PX_PER_DEGREE = (700 / 5.4 * math.pi / 180, 700 / 5.4 * math.pi / 180 * 0.75)


def countries_layer(projection: dict) -> alt.Chart:
    """Natural Earth 1:110m country outlines as a grey base layer."""
    outlines = alt.UrlData(WORLD_URL, format=alt.DataFormat(feature="countries", type="topojson"))
    # decorative: the chart's description says what the map shows (aria=False keeps it out of the
    # accessibility tree, where every country would otherwise be an unnamed image)
    return (
        alt.Chart(outlines)
        .mark_geoshape(fill="#EEEEEE", stroke="#FFFFFF", strokeWidth=0.5, aria=False, clip=True)
        .project(**projection)
    )


def in_europe(lines: pl.DataFrame) -> pl.DataFrame:
    """The lines whose home and partner both lie in EUROPE_BOX."""
    (west, south), (east, north) = EUROPE_BOX
    inside = lambda lat, lon: pl.col(lat).is_between(south, north) & pl.col(lon).is_between(west, east)  # noqa: E731
    return lines.filter(inside("home_lat", "home_lon") & inside("partner_lat", "partner_lon"))


def separating_zoom(homes: pl.DataFrame, px_per_degree: tuple[float, float], width: int = 120) -> float:
    """The zoom from which no two home labels (LABEL_STEP px high, WIDTH px wide, left-aligned at their
    city) overlap, given the pixels a degree spans at zoom 1 (latitude, longitude)."""
    needed = 1.0
    places = list(zip(homes["latitude"], homes["longitude"], strict=True))
    for (lat1, lon1), (lat2, lon2) in combinations(places, 2):
        above = LABEL_STEP / max(abs(lat1 - lat2) * px_per_degree[0], 1e-9)
        beside = width / max(abs(lon1 - lon2) * px_per_degree[1], 1e-9)
        needed = max(needed, min(above, beside))
    return needed


def home_labels(
    homes: pl.DataFrame, shapes: dict[str, str], visible: str, projection: dict, *, stacked: bool
) -> list[alt.Chart]:
    """The home cities' names, each led by its symbol: STACKED beside the cities' middle, or each at its
    own city; shown while the expression VISIBLE holds. A white halo under black text."""
    ordered = homes.sort("latitude", descending=True).with_row_index("rank")
    n = ordered.height
    frame = ordered.with_columns(
        (pl.col("name").replace_strict(shapes, default="●") + " " + pl.col("name")).alias("label"),
        ((pl.col("rank").cast(pl.Float64) - (n - 1) / 2) * LABEL_STEP).alias("dy"),
        pl.lit(ordered["latitude"].mean() if stacked else None).alias("mid_lat"),
        pl.lit(ordered["longitude"].max() if stacked else None).alias("mid_lon"),
    )
    lat, lon = ("mid_lat", "mid_lon") if stacked else ("latitude", "longitude")
    common = {
        "align": "left",
        "baseline": "middle",
        "dx": 12,
        "fontSize": 12,
        "fontWeight": "bold",
        "clip": True,
        "opacity": alt.ExprRef(f"({visible}) ? 1 : 0"),
        "aria": False,  # the chart's description and the table name the cities
    }
    if stacked:
        common["dy"] = alt.ExprRef("datum.dy")
    base = alt.Chart(frame).encode(longitude=f"{lon}:Q", latitude=f"{lat}:Q", text="label:N")
    return [
        base.mark_text(stroke="#FFFFFF", strokeWidth=3, strokeJoin="round", **common).project(**projection),
        base.mark_text(color="#000000", **common).project(**projection),
    ]


def world_map(
    lines: pl.DataFrame,
    points: pl.DataFrame,
    *,
    title: str,
    status_title: str,
    scale: alt.Scale,
    home_title: str,
    partner_title: str,
    place_title: str,
    role_title: str,
    role_labels: dict[str, str],
    partnerships_title: str,
    description: str,
    zoom_title: str = "Zoom",
    centre_title: str = "Mitte",
    world_label: str = "Welt",
    europe: bool = False,
) -> alt.LayerChart:
    """Countries as a grey base, a line per partnership coloured by status, home cities as black symbols
    with their names (one shape per home city, named in the legend too; a click on a name there brings
    out its lines), partner places as white dots; the legends beside the map. The world map zooms and
    centres on a home city; with EUROPE, the partnerships inside Europe, the map fitted to them."""
    suffix = "_eu" if europe else ""
    if europe:
        lines = in_europe(lines)
        points = points.join(
            pl.concat(
                [
                    lines.select(pl.col("home_name").alias("name"), pl.lit("home").alias("role")),
                    lines.select(pl.col("partner_name").alias("name"), pl.lit("partner").alias("role")),
                ]
            ).unique(),
            on=["name", "role"],
            how="semi",
        )
    homes = points.filter(pl.col("role") == "home").sort("name")
    home_names = homes["name"].to_list()
    shape_names = list(SHAPES)
    shapes = {name: SHAPES[shape_names[i % len(shape_names)]] for i, name in enumerate(home_names)}
    params: list = []
    if europe:
        corners = [[float(p["longitude"]), float(p["latitude"])] for p in points.iter_rows(named=True)] or [
            list(EUROPE_BOX[0]),
            list(EUROPE_BOX[1]),
        ]
        lons, lats = [c[0] for c in corners], [c[1] for c in corners]
        frame = [[min(lons) - 2, min(lats) - 1.5], [max(lons) + 2, max(lats) + 1.5]]
        fit = {"type": "Feature", "geometry": {"type": "MultiPoint", "coordinates": frame}, "properties": {}}
        projection = {"type": "mercator", "fit": fit}
        visible_own = "false"
        visible_stack = "true"
    else:
        zoom = alt.param(
            name="zoom",
            value=1,
            bind=alt.binding_range(min=1, max=MAX_ZOOM, step=1, name=zoom_title + " "),
        )
        centre = alt.param(
            name="centre",
            value="world",
            bind=alt.binding_select(
                options=["world", *home_names], labels=[world_label, *home_names], name=centre_title + " "
            ),
        )
        params = [zoom, centre]
        centres = {
            name: [float(lon), float(lat)]
            for name, lat, lon in homes.select("name", "latitude", "longitude").iter_rows()
        }
        names_js, centres_js = json.dumps(list(centres)), json.dumps(list(centres.values()))
        projection = {
            "type": "equalEarth",
            # the whole world fits the frame at zoom 1 (equal Earth is 5.4 scales wide, 2.64 high)
            "scale": alt.ExprRef("zoom * min(width / 5.4, height / 2.64)"),
            "translate": alt.ExprRef("[width / 2, height / 2]"),
            "center": alt.ExprRef(f"centre == 'world' ? [0, 10] : {centres_js}[indexof({names_js}, centre)]"),
        }
        apart = separating_zoom(homes, WORLD_PX_PER_DEGREE) if homes.height > 1 else 1.0
        visible_own = f"zoom >= {apart:.2f}"
        visible_stack = f"zoom < {apart:.2f}"
    countries = countries_layer(projection)
    pick = alt.selection_point(fields=["home_name"], bind="legend", name="home_pick" + suffix)
    links = (
        alt.Chart(lines)
        .mark_rule(strokeWidth=1.5, clip=True)
        .encode(
            longitude="home_lon:Q",
            latitude="home_lat:Q",
            longitude2="partner_lon:Q",
            latitude2="partner_lat:Q",
            color=alt.Color("status_label:N", title=status_title, scale=scale, legend=alt.Legend(orient="right")),
            opacity=alt.condition(pick, alt.value(0.8), alt.value(0.08)),
            tooltip=[
                alt.Tooltip("home_name:N", title=home_title),
                alt.Tooltip("partner_name:N", title=partner_title),
                alt.Tooltip("status_label:N", title=status_title),
            ],
        )
        .project(**projection)
    )
    labelled = points.with_columns(
        pl.col("role").replace_strict(role_labels, default=pl.col("role")).alias("role_label")
    )
    tooltip = [
        alt.Tooltip("name:N", title=place_title),
        alt.Tooltip("role_label:N", title=role_title),
        alt.Tooltip("partnerships:Q", title=partnerships_title),
    ]
    partner_dots = (
        alt.Chart(labelled.filter(pl.col("role") == "partner"))
        .mark_circle(stroke="#333333", strokeWidth=0.5, size=30, color="#FFFFFF", opacity=1, clip=True)
        .encode(longitude="longitude:Q", latitude="latitude:Q", tooltip=tooltip)
        .project(**projection)
    )
    home_dots = (
        alt.Chart(labelled.filter(pl.col("role") == "home").with_columns(pl.col("name").alias("home_name")))
        .mark_point(filled=True, size=110, color="#000000", stroke="#FFFFFF", strokeWidth=1, opacity=1, clip=True)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            shape=alt.Shape(
                "home_name:N",
                title=home_title,
                scale=alt.Scale(
                    domain=home_names, range=[shape_names[i % len(shape_names)] for i in range(len(home_names))]
                ),
                # in black (the marks' white outline ate the smaller symbols in the legend)
                legend=alt.Legend(
                    symbolFillColor="#000000", symbolStrokeColor="#000000", labelLimit=200, orient="right"
                ),
            ),
            tooltip=tooltip,
        )
        .add_params(pick)
        .project(**projection)
    )
    layers = [countries, links, partner_dots, home_dots]
    if 0 < homes.height <= MAX_LABELLED_HOMES:
        layers += home_labels(homes, shapes, visible_stack, projection, stacked=True)
        if not europe:
            layers += home_labels(homes, shapes, visible_own, projection, stacked=False)
    # the world map as high as the world at the page's usual width: no band of white above and below
    chart = alt.layer(*layers, title=title, description=description).properties(height=440 if europe else WORLD_HEIGHT)
    return chart.add_params(*params) if params else chart


def world_grid_map(
    cells: pl.DataFrame,
    *,
    title: str,
    role_title: str,
    role_labels: dict[str, str],
    partnerships_title: str,
    places_title: str,
    description: str | None = None,
) -> alt.LayerChart:
    """For many thousand partnerships: home and partner places summed into grid cells, sized by
    partnerships (columns role, latitude, longitude, places, partnerships)."""
    projection = {"type": "equalEarth"}
    countries = countries_layer(projection)
    labelled = cells.with_columns(
        pl.col("role").replace_strict(role_labels, default=pl.col("role")).alias("role_label")
    )
    dots = (
        alt.Chart(labelled)
        .mark_circle(opacity=0.75, stroke="#333333", strokeWidth=0.3)
        .encode(
            longitude="longitude:Q",
            latitude="latitude:Q",
            size=alt.Size("partnerships:Q", title=partnerships_title, scale=alt.Scale(range=[10, 600])),
            color=alt.Color(
                "role_label:N",
                title=role_title,
                scale=alt.Scale(domain=list(role_labels.values()), range=["#222222", "#4477AA"]),
            ),
            tooltip=[
                alt.Tooltip("role_label:N", title=role_title),
                alt.Tooltip("places:Q", title=places_title),
                alt.Tooltip("partnerships:Q", title=partnerships_title),
            ],
        )
        .project(**projection)
    )
    return alt.layer(countries, dots, title=title, description=description or title).properties(height=460)


def map_figure(lines: pl.DataFrame, europe: bool = False) -> tuple[alt.TopLevelMixin, str]:
    """The world map of LINES (analysis.questions.geo.partnership_lines; a grid of places when they do not
    fit a line map) or its European part, and the sentence beside it."""
    if fits_line_map(lines):
        points = map_points(lines)
        shown = map_points(in_europe(lines)) if europe else points
        sentence = t(
            "map_sentence_v2",
            homes=plural("map_homes", shown.filter(pl.col("role") == "home").height),
            partners=plural("map_partners", shown.filter(pl.col("role") == "partner").height),
        )
        chart = world_map(
            with_labels(lines),
            points,
            title=t("map_europe" if europe else "map"),
            description=sentence,
            europe=europe,
            status_title=t("status"),
            scale=status_scale(i18n.status_label),
            home_title=i18n.column_label("home_name"),
            partner_title=i18n.column_label("partner_name"),
            place_title=t("place"),
            role_title=t("role"),
            role_labels={"home": t("role_home_one"), "partner": t("role_partner_one")},
            partnerships_title=i18n.column_label("partnerships"),
            zoom_title=t("map_zoom"),
            centre_title=t("map_centre"),
            world_label=t("map_world"),
        )
        return chart, sentence
    chart = world_grid_map(
        gridded_points(lines),
        title=t("map"),
        role_title=t("places"),
        role_labels={"home": t("role_home"), "partner": t("role_partner")},
        partnerships_title=i18n.column_label("partnerships"),
        places_title=t("places"),
        description=t("map_grid_sentence", n=i18n.number(lines.height)),
    )
    return chart, t("map_grid_sentence", n=i18n.number(lines.height))
