"""Tables and charts drawn with Streamlit: a labelled table, a capped one, a chart with its table and
its SVG/PNG downloads (what they show comes from present)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from present import i18n
from present.names import blank

MAX_TABLE_ROWS = 1000  # rows a table sends to the browser; the downloads hold all


def show_table(frame: pl.DataFrame, columns: dict[str, str], *, key: str, link: str | None = None) -> None:
    """FRAME's COLUMNS (column -> the label shown) as a table: empty text cells blank, the LINK
    column (if any) as a ↗ link; text from data stays text."""
    st.dataframe(
        blank(frame.select(pl.col(column).alias(label) for column, label in columns.items())),
        hide_index=True,
        column_config={columns[link]: st.column_config.LinkColumn(display_text="↗")} if link else None,
        key=key,
    )


def cap(frame: pl.DataFrame, limit: int = MAX_TABLE_ROWS) -> pl.DataFrame:
    """The first LIMIT rows; says so (above the table) when rows were left out."""
    if frame.height > limit:
        st.caption(i18n.t("capped", shown=i18n.number(limit), total=i18n.number(frame.height)))
    return frame.head(limit)


CHART_CONTEXT = "_chart_context"  # session key: (as_of, source line) of this run, set by page.start


def chart_downloads(chart) -> None:
    """SVG and PNG buttons for CHART, with its title, the as-of date and a source line in the image
    and a file name of title and date. The files are rendered (offline, by vl-convert) only when a
    button is clicked, so a rerun costs nothing."""
    from present import chart_files  # vl-convert is loaded when a page first draws a chart

    context = st.session_state.get(CHART_CONTEXT)
    if context is None:
        return
    as_of, source_line = context
    title = chart_files.chart_title(chart)
    stem = chart_files.file_stem(title, as_of)
    lang = i18n.lang()
    # the lines below the as-of date: the filters and the source (one per line)
    lines = [i18n.t("chart_as_of", date=i18n.date_at_precision(as_of, "day")), *source_line.split("\n")]
    files = {
        "svg": ("image/svg+xml", lambda: chart_files.to_svg(chart_files.standalone_spec(chart, lines), lang).encode()),
        "png": ("image/png", lambda: chart_files.to_png(chart_files.standalone_spec(chart, lines), lang)),
    }
    row = st.container(horizontal=True, gap="small")
    for suffix, (mime, render) in files.items():
        row.download_button(
            i18n.t(f"download_{suffix}"),
            render,
            file_name=f"{stem}.{suffix}",
            mime=mime,
            help=i18n.t("download_chart_help", format=suffix.upper()),
            key=f"{suffix}_{stem}",
            on_click="ignore",
            icon=":material/download:",
        )


def chart_with_table(chart, table: pl.DataFrame) -> None:
    """A chart, and below it the same figures as a table for readers who cannot see the chart,
    and the chart as SVG and PNG."""
    st.altair_chart(chart, width="stretch")
    with st.expander(i18n.t("table_of_chart")):
        st.dataframe(table, hide_index=True)
    chart_downloads(chart)
