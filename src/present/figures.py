"""The charts shared by the overview, the comparison page and the report: each answers a chart
(from the builders in present.charts) and the table that says the same, in the current language.
Nothing is drawn here, so the report renders exactly what a page shows."""

from __future__ import annotations

import altair as alt
import polars as pl

from analysis.contract import INHABITED_CONTINENTS
from analysis.questions.aggregates import (
    founded_per_decade,
    partnerships_by_continent,
    partnerships_by_home,
    partnerships_by_kind,
    themes_by_continent,
    themes_by_home,
)
from analysis.questions.network import NETWORK_GROUPS
from analysis.questions.overview import STATUS_GROUPS
from present import charts, i18n
from present.charts import STATUS_COLORS
from present.i18n import t
from present.labels import at_precision, with_labels, with_theme_labels

MAX_HEATMAP_HOMES = 30
# One colour per network line, from the status palette (pipeline: in preparation's blue).
GROUP_COLORS = {"active": STATUS_COLORS["active"], "paused": STATUS_COLORS["paused"], "pipeline": "#0072B2"}

Figure = tuple[alt.TopLevelMixin, pl.DataFrame]


def _status_bars(
    frame: pl.DataFrame, category: str, title: str, category_title: str, order: list[str], description: str
) -> alt.TopLevelMixin:
    """Partnerships per CATEGORY, stacked by status in the status palette."""
    return charts.stacked_bars(
        frame,
        category=category,
        stack="status_label",
        value="partnerships",
        title=title,
        category_title=category_title,
        value_title=i18n.column_label("partnerships"),
        stack_title=t("status"),
        scale=charts.status_scale(i18n.status_label),
        category_order=order,
        description=description,
    )


def continent_figure(view: pl.DataFrame) -> Figure:
    by_continent = with_labels(partnerships_by_continent(view, every_continent=True))
    chart = _status_bars(
        by_continent,
        "continent_label",
        t("by_continent"),
        t("continent"),
        [i18n.continent_label(c) for c in INHABITED_CONTINENTS],
        t("desc_by_continent", n=i18n.number(view.height)),
    )
    table = by_continent.select(
        pl.col("continent_label").alias(t("continent")),
        pl.col("status_label").alias(t("status")),
        pl.col("partnerships").alias(i18n.column_label("partnerships")),
    )
    return chart, table


def kind_figure(view: pl.DataFrame) -> Figure:
    by_kind = with_labels(partnerships_by_kind(view))
    chart = charts.bars(
        by_kind,
        category="kind_label",
        value="partnerships",
        title=t("by_kind"),
        category_title=t("kind"),
        value_title=i18n.column_label("partnerships"),
        description=t("desc_by_kind", n=i18n.number(view.height)),
    )
    table = by_kind.select(
        pl.col("kind_label").alias(t("kind")),
        pl.col("partnerships").alias(i18n.column_label("partnerships")),
    )
    return chart, table


def period_text(network: pl.DataFrame, as_of) -> pl.Expr:
    """Each time point as text: the year (or month) it ends, and the as-of date for the last."""
    return (
        pl.when(pl.col("point") == as_of)
        .then(pl.lit(i18n.date_at_precision(as_of, "day")))
        .otherwise(i18n.precision_text(pl.col("point"), pl.col("precision")))
        .alias("period")
    )


def _over_time(
    frame: pl.DataFrame,
    *,
    series: str,
    columns: tuple[str, dict[str, str]],
    title: str,
    value_title: str,
    series_title: str,
    description: str,
    scale: alt.Scale | None = None,
) -> Figure:
    """FRAME (point, period, precision, partnerships) as one line per SERIES over time, and as a
    table with a row per time point; COLUMNS names the column to spread and each of its values'
    heading, in the table's order (values absent from FRAME are left out)."""
    spread, headings = columns
    chart = charts.lines_over_time(
        frame,
        series=series,
        value="partnerships",
        title=title,
        time_title=t("network_time"),
        value_title=value_title,
        series_title=series_title,
        scale=scale,
        time_unit=frame["precision"][0] if frame.height else "year",
        description=description,
    )
    shown = set(frame[spread].to_list())
    wide = (
        frame.pivot(on=spread, index=["point", "period"], values="partnerships")
        .sort("point")
        .select(
            pl.col("period").alias(t("network_time")),
            *[pl.col(value).alias(heading) for value, heading in headings.items() if value in shown],
        )
    )
    return chart, wide


def network_figure(network: pl.DataFrame, as_of) -> Figure:
    """The network over time of one set of partnerships: a line per status group."""
    labels = {g: i18n.group_label(g) for g in NETWORK_GROUPS}
    frame = network.with_columns(
        period_text(network, as_of), pl.col("group").replace_strict(labels).alias("group_label")
    )
    return _over_time(
        frame,
        series="group_label",
        columns=("group", labels),
        title=t("network_title"),
        value_title=i18n.column_label("partnerships"),
        series_title=t("status"),
        description=t("network_caption"),
        scale=alt.Scale(domain=list(labels.values()), range=[GROUP_COLORS[g] for g in NETWORK_GROUPS]),
    )


def network_by_city_figure(
    network: pl.DataFrame, names: dict[str, str], as_of, order: list[str] | None = None
) -> Figure:
    """Active partnerships over time, one line per home city (series = home_id; the table's
    columns in ORDER, a list of home ids)."""
    frame = (
        network.filter(pl.col("group") == "active")
        .with_columns(period_text(network, as_of), pl.col("series").replace_strict(names).alias("city"))
        .sort("series", "point")
    )
    cities = [names[s] for s in (order or dict.fromkeys(network["series"].to_list()))]
    return _over_time(
        frame,
        series="city",
        columns=("city", {city: city for city in cities}),
        title=t("network_by_city_title"),
        value_title=i18n.group_label("active"),
        series_title=i18n.column_label("home_name"),
        description=t("network_by_city_description"),
    )


def _grid(frame: pl.DataFrame, *, x: str, x_title: str, y: str, y_title: str, title: str, description: str, **orders):
    """Partnerships per X and Y as a grid, with the number in each cell (ORDERS: x_order, y_order)."""
    return charts.heatmap(
        frame,
        x=x,
        y=y,
        value="partnerships",
        title=title,
        x_title=x_title,
        y_title=y_title,
        value_title=i18n.column_label("partnerships"),
        description=description,
        **orders,
    )


def _themes_by(frame: pl.DataFrame, rows: str, rows_title: str, title: str) -> Figure:
    """Partnerships per ROWS and theme (theme_label) as a grid, and as a table. In the grid the
    themes are its rows and ROWS its columns: seventeen themes side by side left each a few
    pixels at 390 px and their labels overlapped; as rows each label stands whole."""
    description = t("desc_heatmap", rows=rows_title)
    chart = _grid(
        frame, x=rows, x_title=rows_title, y="theme_label", y_title=t("theme"), title=title, description=description
    )
    table = frame.select(
        pl.col(rows).alias(rows_title),
        pl.col("theme_label").alias(t("theme")),
        pl.col("partnerships").alias(i18n.column_label("partnerships")),
    )
    return chart, table


def themes_figure(exploded: pl.DataFrame, theme_names: dict[str, str]) -> Figure:
    """Themes by home city (the largest MAX_HEATMAP_HOMES home cities)."""
    by_home = with_theme_labels(themes_by_home(exploded, top=MAX_HEATMAP_HOMES), theme_names)
    return _themes_by(by_home, "home_name", i18n.column_label("home_name"), t("theme_heatmap"))


def themes_by_continent_figure(exploded: pl.DataFrame, theme_names: dict[str, str]) -> Figure:
    """Themes by the partner's continent."""
    by_continent = with_theme_labels(with_labels(themes_by_continent(exploded)), theme_names)
    return _themes_by(by_continent, "continent_label", t("continent"), t("theme_by_continent"))


def decade_figure(view: pl.DataFrame) -> Figure:
    """Foundings per decade, labelled "1990er" in German and "1990s" in English."""
    counts = founded_per_decade(view)
    names = {decade: t("decade_name", decade=decade) for decade in counts["decade"].to_list()}
    decades = counts.with_columns(pl.col("decade").replace_strict(names, return_dtype=pl.String))
    chart = charts.bars(
        decades,
        category="decade",
        value="partnerships",
        title=t("by_decade"),
        category_title=i18n.column_label("decade"),
        value_title=i18n.column_label("partnerships"),
        horizontal=False,
        description=t("desc_by_decade", n=i18n.number(int(decades["partnerships"].sum()))),
    )
    table = decades.select(
        pl.col("decade").alias(i18n.column_label("decade")),
        pl.col("partnerships").alias(i18n.column_label("partnerships")),
    )
    return chart, table


def periods_figure(periods: pl.DataFrame, labels: dict[str, str], title: str, description: str) -> Figure:
    """Status periods (analysis.questions.history.status_periods) as bars in time, a row per partnership
    (named by LABELS: partnership_id -> label), and the table that says the same."""
    frame = at_precision(
        at_precision(with_labels(periods), "start", "start_precision", "start_text"), "end", "day", "end_text"
    )
    frame = frame.with_columns(
        pl.col("partnership_id").replace_strict(labels, default=pl.col("partnership_id")).alias("label")
    )
    chart = charts.periods(
        frame,
        title=title,
        row_title=t("page_partnerships"),
        start_title=i18n.column_label("start"),
        end_title=i18n.column_label("end"),
        status_title=t("status"),
        scale=charts.status_scale(i18n.status_label),
        description=description,
    )
    table = frame.select(
        pl.col("label").alias(t("page_partnerships")),
        pl.col("status_label").alias(t("status")),
        pl.col("start_text").alias(i18n.column_label("start")),
        pl.col("end_text").alias(i18n.column_label("end")),
    )
    return chart, table


def city_status_figure(view: pl.DataFrame, per_city: pl.DataFrame, order: list[str]) -> Figure:
    """Partnerships per home city and status (cities in ORDER, their names), and per city and
    status group as a table (PER_CITY: analysis.questions.comparison.city_figures)."""
    by_home = with_labels(partnerships_by_home(view))
    chart = _status_bars(
        by_home,
        "home_name",
        t("compare_status"),
        i18n.column_label("home_name"),
        order,
        t("compare_status_description"),
    )
    table = per_city.select(
        pl.col("home_name").alias(i18n.column_label("home_name")),
        *[pl.col(group).alias(i18n.group_label(group)) for group in STATUS_GROUPS],
        pl.col("partnerships").alias(t("total")),
    )
    return chart, table


def _city_heatmap(
    frame: pl.DataFrame,
    x: str,
    title: str,
    x_title: str,
    description: str,
    order: list[str] | None = None,
    *,
    cities_as_columns: bool = False,
) -> Figure:
    """Partnerships per home city and X as a grid (X its columns, or its rows when CITIES_AS_COLUMNS:
    for the many themes), the cities in ORDER (their names), and as a table with a column per X."""
    home = i18n.column_label("home_name")
    across, down = ("home_name", home, order), (x, x_title, None)
    if not cities_as_columns:
        across, down = down, across
    chart = _grid(
        frame,
        x=across[0],
        x_title=across[1],
        x_order=across[2],
        y=down[0],
        y_title=down[1],
        y_order=down[2],
        title=title,
        description=description,
    )
    table = frame.pivot(on=x, index="home_name", values="partnerships").rename({"home_name": home})
    return chart, table


def continent_matrix_figure(matrix: pl.DataFrame, order: list[str] | None = None) -> Figure:
    """Home cities (in ORDER, their names) by partner continent (analysis.questions.comparison.continent_matrix)."""
    return _city_heatmap(
        with_labels(matrix),
        "continent_label",
        t("compare_matrix"),
        t("continent"),
        t("compare_matrix_description"),
        order,
    )


def theme_matrix_figure(themes: pl.DataFrame, theme_names: dict[str, str], order: list[str] | None = None) -> Figure:
    """Home cities (in ORDER, their names) by theme (analysis.questions.comparison.theme_matrix), themes
    named by THEME_NAMES."""
    return _city_heatmap(
        with_theme_labels(themes, theme_names),
        "theme_label",
        t("compare_themes"),
        t("theme"),
        t("compare_themes_description"),
        order,
        cities_as_columns=True,
    )
