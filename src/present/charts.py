"""Chart builders: pure functions from an aggregated, labelled frame to an Altair chart.

One palette for status and one for continents, both safe for colour-blind readers
(status: Okabe & Ito; continents: Paul Tol's "bright"), used on every page.
"""

from __future__ import annotations

import altair as alt
import polars as pl

from analysis.contract import CONTINENTS, STATUSES

STATUS_COLORS = {
    "proposed": "#56B4E9",
    "in_preparation": "#0072B2",
    "active": "#009E73",
    "paused": "#E69F00",
    "lapsed": "#CC79A7",  # Okabe & Ito's reddish purple: the palette's last colour not yet used that reads on white
    "declined": "#D55E00",
    "ended": "#7F7F7F",
}
CONTINENT_COLORS = {
    "Europe": "#4477AA",
    "Asia": "#EE6677",
    "Africa": "#228833",
    "North America": "#CCBB44",
    "South America": "#66CCEE",
    "Oceania": "#AA3377",
    "Antarctica": "#BBBBBB",
}


def status_scale(label: callable) -> alt.Scale:
    """The status palette keyed by the labels of the current language."""
    return alt.Scale(domain=[label(s) for s in STATUSES], range=[STATUS_COLORS[s] for s in STATUSES])


def continent_scale(label: callable) -> alt.Scale:
    return alt.Scale(domain=[label(c) for c in CONTINENTS], range=[CONTINENT_COLORS[c] for c in CONTINENTS])


def stacked_bars(
    frame: pl.DataFrame,
    *,
    category: str,
    stack: str,
    value: str,
    title: str,
    category_title: str,
    value_title: str,
    stack_title: str,
    scale: alt.Scale,
    category_order: list[str] | None = None,
    description: str | None = None,
) -> alt.Chart:
    """Horizontal bars per CATEGORY, stacked by STACK (coloured with SCALE)."""
    return (
        alt.Chart(frame, title=title, description=description or title)
        .mark_bar()
        .encode(
            y=alt.Y(
                f"{category}:N",
                title=category_title,
                sort=category_order,
                axis=alt.Axis(labelLimit=220, labelOverlap=False),
            ),
            x=alt.X(f"sum({value}):Q", title=value_title, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(f"{stack}:N", title=stack_title, scale=scale),
            order=alt.Order("stack_order:Q"),
            tooltip=[
                alt.Tooltip(f"{category}:N", title=category_title),
                alt.Tooltip(f"{stack}:N", title=stack_title),
                alt.Tooltip(f"{value}:Q", title=value_title),
            ],
        )
    )


def bars(
    frame: pl.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    category_title: str,
    value_title: str,
    horizontal: bool = True,
    color: str = "#4477AA",
    sort: list[str] | None = None,
    description: str | None = None,
) -> alt.Chart:
    """Plain bars, one per category, in the frame's order unless SORT is given."""
    sort = sort if sort is not None else frame[category].to_list()
    category_channel = (alt.Y if horizontal else alt.X)(
        f"{category}:N",
        title=category_title,
        sort=sort,
        axis=alt.Axis(labelLimit=220, labelAngle=0 if horizontal else -40, labelOverlap=False),
    )
    value_channel = (alt.X if horizontal else alt.Y)(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1))
    return (
        alt.Chart(frame, title=title, description=description or title)
        .mark_bar(color=color)
        .encode(
            category_channel,
            value_channel,
            tooltip=[alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip(f"{value}:Q", title=value_title)],
        )
    )


def heatmap(
    frame: pl.DataFrame,
    *,
    x: str,
    y: str,
    value: str,
    title: str,
    x_title: str,
    y_title: str,
    value_title: str,
    description: str | None = None,
    x_order: list[str] | None = None,
    y_order: list[str] | None = None,
) -> alt.LayerChart:
    """A grid of counts, darker for more, with the number written in each cell; every label shown;
    columns and rows in X_ORDER and Y_ORDER (else ascending)."""
    base = alt.Chart(frame).encode(
        x=alt.X(
            f"{x}:N",
            title=x_title,
            sort=x_order or "ascending",
            axis=alt.Axis(labelAngle=-40, labelOverlap=False, labelLimit=200),
        ),
        y=alt.Y(
            f"{y}:N", title=y_title, sort=y_order or "ascending", axis=alt.Axis(labelOverlap=False, labelLimit=220)
        ),
    )
    cells = base.mark_rect().encode(
        # whole numbers in the legend (it wrote "1.000000")
        color=alt.Color(
            f"{value}:Q",
            title=value_title,
            scale=alt.Scale(scheme="blues"),
            legend=alt.Legend(format="d", tickMinStep=1),
        ),
        tooltip=[
            alt.Tooltip(f"{y}:N", title=y_title),
            alt.Tooltip(f"{x}:N", title=x_title),
            alt.Tooltip(f"{value}:Q", title=value_title),
        ],
    )
    numbers = base.mark_text(fontSize=12).encode(
        text=alt.Text(f"{value}:Q"),
        color=alt.condition(alt.datum[value] > 2, alt.value("white"), alt.value("black")),
    )
    return alt.layer(cells, numbers, title=title, description=description or title).properties(height=alt.Step(24))


# Rows named by long labels, each shown whole: the axis title stands above them (rotated beside them it
# ran over the longest), and where the labels leave the bars less room than three legend columns need
# (a container under 700 px: a phone, or 1,024 px beside the sidebar; 0 when rendered for a file) the
# legend takes one column (three ran past the chart's right edge).
NARROW = "containerSize()[0] > 0 && containerSize()[0] < 700"
ROW_AXIS = {
    "labelLimit": 260,
    "titleAngle": 0,
    "titleAlign": "right",
    "titleBaseline": "bottom",
    "titleX": 0,
    "titleY": -6,
}
NARROW_LEGEND = {
    "orient": "none",  # placed by hand: a bottom legend starts at the bars, right of the labels
    "columns": alt.ExprRef(f"{NARROW} ? 1 : 3"),
    "legendX": alt.ExprRef(f"{NARROW} ? -150 : 0"),
    "legendY": alt.ExprRef("height + 40"),
}
# room below the bars for that legend (a placed legend is not counted in the chart's size)
NARROW_LEGEND_ROOM = alt.ExprRef(
    f"{NARROW} ? {{top: 5, left: 5, right: 5, bottom: 170}} : {{top: 5, left: 5, right: 5, bottom: 90}}"
)
# Years only, at least a year apart: over a short span Vega wrote English month names ("October")
# into the German view.
YEAR_AXIS = alt.Axis(format="%Y", tickMinStep=365.25 * 24 * 3600 * 1000)


# At a phone's width the labels beside the rows (up to 260 px) left the bars ~60 px and one year tick:
# there each row's label stands above its bar instead, and the bars take the whole width.
PERIOD_ROW = 30  # px a row: a label line above a bar
WIDE_ONLY = alt.ExprRef(f"{NARROW} ? 0 : 1")
NARROW_ONLY = alt.ExprRef(f"{NARROW} ? 1 : 0")


def periods(
    frame: pl.DataFrame,
    *,
    title: str,
    row_title: str,
    start_title: str,
    end_title: str,
    status_title: str,
    scale: alt.Scale,
    description: str | None = None,
) -> alt.LayerChart:
    """One bar per status period (columns label, status_label, start, end), one row per partnership;
    every row labelled (beside the bars, or above each bar where the chart is under 700 px wide),
    PERIOD_ROW px a row, the legend below."""
    row_axis = {
        **ROW_AXIS,
        "labelLimit": alt.ExprRef(f"{NARROW} ? 1 : 260"),
        "labelOpacity": WIDE_ONLY,
        "titleAlign": alt.ExprRef(f"{NARROW} ? 'left' : 'right'"),  # right of the axis: no labels to stand over
    }
    y = alt.Y("label:N", title=row_title, sort=None, axis=alt.Axis(labelOverlap=False, **row_axis))
    legend = {**NARROW_LEGEND, "legendX": 0}  # no labels beside the rows at a narrow width to stand under
    bars = (
        alt.Chart(frame)
        .mark_bar(height=alt.ExprRef(f"{NARROW} ? 12 : 18"), yOffset=alt.ExprRef(f"{NARROW} ? 4 : 0"))
        .encode(
            y=y,
            x=alt.X("start:T", title=start_title, axis=YEAR_AXIS),
            x2="end:T",
            color=alt.Color("status_label:N", title=status_title, scale=scale, legend=alt.Legend(**legend)),
            tooltip=[
                alt.Tooltip("label:N", title=row_title),
                alt.Tooltip("status_label:N", title=status_title),
                alt.Tooltip("start_text:N", title=start_title),
                alt.Tooltip("end_text:N", title=end_title),
            ],
        )
    )
    # one label per row, drawn only at a narrow width (the first period's row carries it)
    labels = (
        alt.Chart(frame)
        .transform_aggregate(groupby=["label"])
        .mark_text(align="left", baseline="bottom", dy=-3, fontSize=11, limit=alt.ExprRef("width"), opacity=NARROW_ONLY)
        .encode(y=y, x=alt.value(0), text="label:N")
    )
    return alt.layer(bars, labels, title=title, description=description or title).properties(
        height=alt.Step(PERIOD_ROW), padding=NARROW_LEGEND_ROOM
    )


def lines_over_time(
    frame: pl.DataFrame,
    *,
    series: str,
    value: str,
    title: str,
    time_title: str,
    value_title: str,
    series_title: str,
    scale: alt.Scale | None = None,
    time_unit: str = "year",
    description: str | None = None,
) -> alt.Chart:
    """One line per SERIES over the time points in `point` (a date), with a dot at each point;
    `period` holds each point's text at its precision for the tooltip."""
    return (
        alt.Chart(frame, title=title, description=description or title)
        .mark_line(point=True, interpolate="step-after" if time_unit == "month" else "linear")
        .encode(
            x=alt.X("point:T", title=time_title, axis=alt.Axis(format="%Y" if time_unit == "year" else "%m/%Y")),
            y=alt.Y(f"{value}:Q", title=value_title, axis=alt.Axis(tickMinStep=1)),
            color=alt.Color(f"{series}:N", title=series_title, scale=scale or alt.Undefined),
            tooltip=[
                alt.Tooltip("period:N", title=time_title),
                alt.Tooltip(f"{series}:N", title=series_title),
                alt.Tooltip(f"{value}:Q", title=value_title),
            ],
        )
    )
