"""A rerun costs what it must (issue 19): what a page derives for a set of filters is derived once per
package content, filters, dates and language and shared; a chart's frame is hashed once; the filter
line names only the places chosen. Timing itself is measured by bench/reruns.py, not here."""

from __future__ import annotations

import gc

import polars as pl
import pytest
from apptest_support import app

from analysis.package import ENV_VAR, load_package
from analysis.questions import overview
from analysis.questions.filters import Filters
from dashboard import tables
from present import i18n
from present.filter_text import filters_sentence


@pytest.fixture
def small(monkeypatch, small_package):
    monkeypatch.setenv(ENV_VAR, str(small_package))
    return small_package


@pytest.fixture
def gap_calls(monkeypatch) -> list[Filters]:
    """The filters of each call of the overview's costliest question (home_city_gaps)."""
    calls: list[Filters] = []
    real = overview.home_city_gaps

    def counted(frames, view, filters):
        calls.append(filters)
        return real(frames, view, filters)

    monkeypatch.setattr(overview, "home_city_gaps", counted)
    return calls


def test_overview_derives_once_per_filters_and_language(small, gap_calls):
    at = app(asof="2025-01-01").run()
    assert len(gap_calls) == 1
    at.run()  # a rerun with the same filters: a look-up
    at.run()
    assert len(gap_calls) == 1
    # tiles active, paused, pipeline, closed: Amiens and Trabzon active, Kartal proposed
    assert [m.value for m in at.metric] == ["2", "0", "1", "0"]

    at.multiselect(key="continent").select("Asia").run()  # new filters: derived anew
    assert len(gap_calls) == 2
    assert [m.value for m in at.metric] == ["1", "0", "1", "0"]  # Trabzon active, Kartal proposed

    at.multiselect(key="continent").unselect("Asia").run()  # back to filters already seen
    assert len(gap_calls) == 2
    assert [m.value for m in at.metric] == ["2", "0", "1", "0"]

    at.radio(key="lang").set_value("en").run()  # names and sentences in another language
    assert len(gap_calls) == 3
    assert at.title[0].value == "Overview"


def test_a_second_session_reads_what_the_first_derived(small, gap_calls):
    app(asof="2025-01-01").run()
    other = app(asof="2025-01-01").run()
    assert len(gap_calls) == 1
    assert [m.value for m in other.metric] == ["2", "0", "1", "0"]
    app(asof="2020-01-01").run()  # another date: Kartal not yet proposed (2021-05-31)
    assert len(gap_calls) == 2


def test_history_page_derives_once_per_filters(small, monkeypatch):
    from analysis.questions import history

    calls = []
    real = history.latest_changes

    def counted(frames, view, as_of, limit=15):
        calls.append(view.height)
        return real(frames, view, as_of, limit)

    monkeypatch.setattr("dashboard.history.latest_changes", counted)
    at = app(asof="2025-01-01").run().switch_page("views/history.py").run()
    at.run()
    assert calls == [3]  # the three partnerships of the small package, once
    # newest first: Kartal proposed 31.05.2021, Trabzon active 12.06.2014 (Amiens' 1960 row last)
    changes = at.dataframe[-1].value
    assert list(changes.iloc[:, 0])[:2] == ["31.05.2021", "12.06.2014"]
    at.multiselect(key="continent").select("Europe").run()
    assert calls == [3, 1]  # Amiens only
    at.multiselect(key="continent").unselect("Europe").run()
    assert calls == [3, 1]


def test_frame_digest_follows_content_not_identity():
    first = pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    same = pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", "z"]})
    changed = pl.DataFrame({"a": [1, 2, 4], "b": ["x", "y", "z"]})
    reordered = pl.DataFrame({"a": [3, 2, 1], "b": ["z", "y", "x"]})
    assert tables.frame_digest(first) == tables.frame_digest(same)
    assert tables.frame_digest(first) != tables.frame_digest(changed)
    assert tables.frame_digest(first) != tables.frame_digest(reordered)
    assert tables.frame_digest(first) == tables.frame_digest(first)  # kept: the same bytes again


def test_frame_digests_go_with_their_frames():
    frame = pl.DataFrame({"a": list(range(10))})
    tables.frame_digest(frame)
    key = id(frame)
    assert key in tables._FRAME_DIGESTS
    del frame
    gc.collect()
    assert key not in tables._FRAME_DIGESTS  # nothing grows with the frames a server has seen


def test_filter_line_names_the_chosen_places_and_themes(small_package):
    package = load_package(small_package)
    filters = Filters(homes=("de-hagen",), countries=("TR",), themes=("economy",))
    with i18n.language("de"):
        assert filters_sentence(package, filters) == "Filter: Heimatstadt Hagen; Land Türkei; Thema Wirtschaft"
    with i18n.language("en"):
        assert filters_sentence(package, filters) == "Filters: Home city Hagen; Country Turkey; Theme Economy"
    unknown = Filters(homes=("de-nowhere",))  # an id the package lacks stands for itself
    with i18n.language("de"):
        assert filters_sentence(package, unknown) == "Filter: Heimatstadt de-nowhere"


def test_overview_draws_the_gaps_of_the_home_cities_as_of_the_date(small):
    at = app(asof="2020-01-01", lang="en").run()
    gaps = [t.value for t in at.text if "no active partnership" in t.value]
    # 2020: Dortmund has Amiens (Europe) and Trabzon (Asia) active; Hagen none (Kartal from 2021)
    assert len(gaps) == 1
    lines = gaps[0].split("\n")
    assert lines[0].startswith("Dortmund: no active partnership in Africa, North America")
    assert "Europe" not in lines[0] and "Asia" not in lines[0]
    assert lines[1].startswith("Hagen: no active partnership in Africa, Asia, Europe")


def test_a_table_kept_as_its_first_rows_says_how_many_there_are():
    from streamlit.testing.v1 import AppTest

    def page():
        import polars as pl

        from dashboard.tables import cap

        cap(pl.DataFrame({"a": [1, 2, 3]}), limit=3, total=1234)  # the first 3 of 1,234 kept
        cap(pl.DataFrame({"a": [1, 2, 3]}), limit=3)  # all there is: nothing to say

    at = AppTest.from_function(page).run()
    with i18n.language("de"):  # the phrase may change; the numbers are the point
        assert [c.value for c in at.caption] == [i18n.t("capped", shown="3", total="1.234")]


def test_connections_accepted_after_the_first_run_send_without_delay(monkeypatch):
    import socket

    from dashboard import sockets

    monkeypatch.setattr(sockets, "_done", False)
    with socket.socket(socket.AF_INET) as listener, socket.socket(socket.AF_INET) as idle:
        # made as Streamlit 1.67 makes its server socket: protocol 0, so asyncio leaves Nagle on
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        idle.bind(("127.0.0.1", 0))  # bound, not listening: not the server's, left alone
        assert listener.fileno() in sockets.listening_tcp_sockets()
        assert idle.fileno() not in sockets.listening_tcp_sockets()
        with socket.create_connection(listener.getsockname()):
            before, _ = listener.accept()
        sockets.send_without_delay()
        with socket.create_connection(listener.getsockname()):
            after, _ = listener.accept()
        with before, after:
            assert before.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0
            assert after.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert idle.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 0


def _counted_chart(calls: list[int]):
    import altair as alt

    def build(frame: pl.DataFrame) -> tuple:
        calls.append(frame.height)
        return (alt.Chart(frame.head(3)).mark_bar().encode(x="n:Q"), "a sentence")

    return build


def test_charts_of_small_frames_are_kept_by_the_hundreds():
    """Two languages × every continent chosen in turn × a page's charts: ~150 charts; none of a small
    frame's charts is built twice while fewer than FIGURES_KEPT are in use."""
    calls: list[int] = []
    build = _counted_chart(calls)
    frames = [pl.DataFrame({"n": [number, 1, 2]}) for number in range(200)]
    for frame in frames:
        tables.figure(build, frame)
    for frame in frames:  # all asked for again: every one still kept
        tables.figure(build, frame)
    assert len(calls) == 200


def test_charts_of_large_frames_are_kept_by_the_few():
    calls: list[int] = []
    build = _counted_chart(calls)
    rows = tables.SMALL_ROWS + 1
    frames = [pl.DataFrame({"n": [number] * rows}) for number in range(tables.LARGE_FIGURES_KEPT + 8)]
    for frame in frames:
        tables.figure(build, frame)
    tables.figure(build, frames[-1])  # the newest is kept …
    assert len(calls) == tables.LARGE_FIGURES_KEPT + 8
    tables.figure(build, frames[0])  # … the oldest was let go: built again
    assert len(calls) == tables.LARGE_FIGURES_KEPT + 9
