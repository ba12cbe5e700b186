"""Tables and charts drawn with Streamlit: a labelled table, a capped one, a chart with its table and
its SVG/PNG downloads (what they show comes from present), and charts built once for all sessions.

A chart's cost is in Altair, not in drawing it: building the chart objects and validating the spec
against Vega-Lite's JSON schema took ~60 % of an overview rerun (the world map most), and Streamlit
does the conversion under one process-wide lock, so every session waited for the others' charts.
`figure(builder, *args)` builds a chart once per builder, arguments (frames by content) and language
and keeps the converted spec; a rerun with the same filters only sends it.
"""

from __future__ import annotations

import hashlib
import threading
import weakref
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import polars as pl
import streamlit as st
from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

from present import i18n
from present.names import blank

MAX_TABLE_ROWS = 1000  # rows a table sends to the browser; the downloads hold all
# Charts kept for all sessions: a page's few charts × the filter sets and dates in use × 2 languages
# (~150 on the embedded package when every continent is chosen in turn; with 64 kept, 50 users
# clicking rebuilt charts in a fifth of the server's time). Charts of small frames (≤ SMALL_ROWS rows
# in all; on the embedded package a spec of some kB) are kept by the hundreds; charts
# of larger frames (at 100,000 partnerships a map's spec holds its lines, a few MB) by the few.
SMALL_ROWS = 1000
FIGURES_KEPT = 512
LARGE_FIGURES_KEPT = 32


def show_table(frame: pl.DataFrame, columns: dict[str, str], *, key: str, link: str | None = None) -> None:
    """FRAME's COLUMNS (column -> the label shown) as a table: empty text cells blank, the LINK
    column (if any) as a ↗ link; text from data stays text."""
    st.dataframe(
        as_arrow(blank(frame.select(pl.col(column).alias(label) for column, label in columns.items()))),
        hide_index=True,
        column_config={columns[link]: st.column_config.LinkColumn(display_text="↗")} if link else None,
        key=key,
    )


def as_arrow(frame: pl.DataFrame):
    """FRAME as an Arrow table, which st.dataframe sends as it is; a Polars frame it first converts
    to pandas and back (a fifth of an overview rerun). The oldest Arrow types (large_string, not
    string_view), which every Arrow reader in the browser knows."""
    return frame.to_arrow(compat_level=pl.CompatLevel.oldest())


def frame_table(frame: pl.DataFrame, *, key: str | None = None) -> None:
    """FRAME as a table under its own column names, without the row index, sent as Arrow."""
    st.dataframe(as_arrow(frame), hide_index=True, key=key)


def cap(frame: pl.DataFrame, limit: int = MAX_TABLE_ROWS, total: int | None = None) -> pl.DataFrame:
    """The first LIMIT rows; says so (above the table) when rows were left out: of TOTAL rows, when
    FRAME is already the first rows of a longer table (as kept by dashboard.overview)."""
    total = frame.height if total is None else total
    if total > limit:
        st.caption(i18n.t("capped", shown=i18n.number(limit), total=i18n.number(total)))
    return frame.head(limit)


CHART_CONTEXT = "_chart_context"  # session key: (as_of, source line) of this run, set by page.start


def chart_downloads(chart) -> None:
    """SVG and PNG buttons for CHART, with its title, the as-of date and a source line in the image
    and a file name of title and date. The files are rendered (offline, by vl-convert) only when a
    button is clicked, so a rerun costs nothing."""
    from dashboard.uploads import own_package
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
    untrusted = own_package() is not None  # a visitor's own data: rendered in a worker (sandbox)

    def svg() -> bytes:
        return chart_files.to_svg(chart_files.standalone_spec(chart, lines), lang, untrusted=untrusted).encode()

    def png() -> bytes:
        return chart_files.to_png(chart_files.standalone_spec(chart, lines), lang, untrusted=untrusted)

    files = {"svg": ("image/svg+xml", svg), "png": ("image/png", png)}
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


class BuiltChart:
    """A chart converted once (as st.altair_chart converts it: Vega-Lite spec, data as named
    datasets) and shared read-only by all sessions; its title and the Altair chart itself for the
    SVG/PNG downloads, which are rendered from it only when clicked."""

    __slots__ = ("chart", "spec", "title")

    def __init__(self, chart: Any) -> None:
        from present import chart_files  # vl-convert is loaded when a page first draws a chart

        self.chart = chart
        self.spec = _convert_altair_to_vega_lite_spec(chart)
        self.title = chart_files.chart_title(chart)

    def to_dict(self) -> dict:
        return self.chart.to_dict()


# A frame's content digest, kept while the frame lives: frames that come out of the server's caches
# (dashboard.data.derived/selected) are the same objects at every rerun with the same filters, so
# their rows are hashed once, not at every rerun (at 100,000 partnerships ~10 ms a frame).
_FRAME_DIGESTS: dict[int, tuple[weakref.ref, bytes]] = {}
_FRAME_DIGESTS_LOCK = threading.Lock()


def frame_digest(frame: pl.DataFrame) -> bytes:
    """FRAME's content by its schema and every row's hash (in order); computed once per frame object
    (Polars frames are immutable)."""
    kept = _FRAME_DIGESTS.get(id(frame))
    if kept is not None and kept[0]() is frame:
        return kept[1]
    digest = hashlib.blake2b(repr((frame.height, frame.schema)).encode(), digest_size=20)
    try:
        digest.update(frame.hash_rows(seed=19).to_numpy().tobytes())
    except pl.exceptions.PolarsError:  # a type hash_rows does not take: the frame's bytes
        digest.update(frame.write_ipc(None).getvalue())
    key = id(frame)

    def forget(_: weakref.ref) -> None:
        with _FRAME_DIGESTS_LOCK:
            if _FRAME_DIGESTS.get(key, (None,))[0] is reference:
                del _FRAME_DIGESTS[key]

    reference, value = weakref.ref(frame, forget), digest.digest()
    with _FRAME_DIGESTS_LOCK:
        _FRAME_DIGESTS[key] = (reference, value)
    return value


def _fingerprint(value: object, digest: Any) -> None:
    """Feed VALUE into DIGEST by content: a frame by its schema and every row's hash (in order)."""
    if isinstance(value, pl.DataFrame):
        digest.update(frame_digest(value))
    elif value is None or isinstance(value, str | int | float | bool | date | datetime):
        digest.update(repr((type(value).__name__, value)).encode())
    elif isinstance(value, list | tuple):
        digest.update(f"[{len(value)}".encode())
        for item in value:
            _fingerprint(item, digest)
    elif isinstance(value, dict):
        digest.update(f"{{{len(value)}".encode())
        for item in value.items():
            _fingerprint(item, digest)
    else:
        raise TypeError(f"figure() keys its arguments by content and cannot key a {type(value).__name__}")


def _build(build: Callable[[], tuple]) -> tuple:
    chart, *rest = build()
    return (BuiltChart(chart), *rest)


@st.cache_resource(max_entries=FIGURES_KEPT, show_spinner=False)
def _built(key: str, _build_it: Callable[[], tuple]) -> tuple:
    return _build(_build_it)


@st.cache_resource(max_entries=LARGE_FIGURES_KEPT, show_spinner=False)
def _built_large(key: str, _build_it: Callable[[], tuple]) -> tuple:
    return _build(_build_it)


def figure(build: Callable[..., tuple], *args: object) -> tuple:
    """build(*args) -> (chart, table or sentence, …), with the chart built and converted once per
    BUILD, ARGS (frames, dates, texts, …: by content) and the reader's language, for all sessions."""
    digest = hashlib.blake2b(digest_size=20)
    _fingerprint((build.__module__, build.__qualname__, i18n.lang(), args), digest)
    rows = sum(arg.height for arg in args if isinstance(arg, pl.DataFrame))
    return (_built if rows <= SMALL_ROWS else _built_large)(digest.hexdigest(), lambda: build(*args))


def draw_chart(chart) -> None:
    """CHART (a BuiltChart or an Altair chart) the width of the page."""
    if isinstance(chart, BuiltChart):
        st.vega_lite_chart(chart.spec, width="stretch")  # Streamlit copies the spec before it changes it
    else:
        st.altair_chart(chart, width="stretch")


def chart_with_table(chart, table: pl.DataFrame) -> None:
    """A chart, and below it the same figures as a table for readers who cannot see the chart,
    and the chart as SVG and PNG."""
    draw_chart(chart)
    with st.expander(i18n.t("table_of_chart")):
        frame_table(table)
    chart_downloads(chart)
