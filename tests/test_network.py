"""The network over time, against small hand-made histories (figures counted by hand)."""

from datetime import date

import polars as pl
from polars.testing import assert_frame_equal

from analysis.questions.network import network_over_time, time_points


def history(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "partnership_id": [r[0] for r in rows],
            "date": [date.fromisoformat(r[1]) for r in rows],
            "status": [r[2] for r in rows],
        }
    )


def counts(frame: pl.DataFrame, group: str) -> list[int]:
    return frame.filter(pl.col("group") == group)["partnerships"].to_list()


def assert_points(frame: pl.DataFrame, precision: str, *points: date) -> None:
    """FRAME counts at POINTS, in this order, each at PRECISION."""
    assert frame["point"].unique(maintain_order=True).to_list() == list(points)
    assert set(frame["precision"]) == {precision}


def test_yearly_counts_follow_the_history():
    rows = history(
        [
            ("a", "2018-03-01", "in_preparation"),
            ("a", "2019-06-15", "active"),
            ("a", "2021-02-01", "paused"),
            ("b", "2019-01-01", "proposed"),
            ("b", "2020-12-31", "declined"),
            ("c", "2020-05-05", "active"),
        ]
    )
    frame = network_over_time(rows, date(2021, 10, 31))
    # points: 31.12.2018, .2019, .2020, and the as-of date 31.10.2021
    assert_points(frame, "year", date(2018, 12, 31), date(2019, 12, 31), date(2020, 12, 31), date(2021, 10, 31))
    # 2018: a in preparation; 2019: a active, b proposed; 2020: a, c active, b declined (not counted)
    # 2021: a paused, c active
    assert counts(frame, "active") == [0, 1, 2, 1]
    assert counts(frame, "paused") == [0, 0, 0, 1]
    assert counts(frame, "pipeline") == [1, 1, 0, 0]


def test_same_day_later_row_wins_and_nothing_after_as_of():
    rows = history(
        [
            ("a", "2020-01-01", "active"),
            ("a", "2020-01-01", "paused"),  # later in the file, same day: wins
            ("a", "2024-01-01", "active"),  # after the as-of date: not seen
        ]
    )
    frame = network_over_time(rows, date(2023, 6, 30))
    assert counts(frame, "paused") == [1, 1, 1, 1]
    assert counts(frame, "active") == [0, 0, 0, 0]


def test_short_span_is_shown_by_month_with_month_ends():
    rows = history([("a", "2023-01-01", "proposed"), ("a", "2023-03-01", "active")])
    frame = network_over_time(rows, date(2023, 4, 15))
    assert_points(frame, "month", date(2023, 1, 31), date(2023, 2, 28), date(2023, 3, 31), date(2023, 4, 15))
    assert counts(frame, "pipeline") == [1, 1, 0, 0]
    assert counts(frame, "active") == [0, 0, 1, 1]


def test_one_series_per_home_city_with_zeros():
    rows = history([("x1", "2010-01-01", "active"), ("y1", "2011-01-01", "active"), ("y2", "2012-07-01", "paused")])
    series = pl.DataFrame({"partnership_id": ["x1", "y1", "y2"], "series": ["x", "y", "y"]})
    frame = network_over_time(rows, date(2013, 6, 30), series)
    active = frame.filter(pl.col("group") == "active").select("series", "point", "partnerships")
    expected = pl.DataFrame(
        {
            "series": ["x"] * 4 + ["y"] * 4,
            "point": [date(2010, 12, 31), date(2011, 12, 31), date(2012, 12, 31), date(2013, 6, 30)] * 2,
            "partnerships": [1, 1, 1, 1, 0, 1, 1, 1],
        }
    )
    assert_frame_equal(active, expected)
    assert frame.filter((pl.col("series") == "y") & (pl.col("group") == "paused"))["partnerships"].to_list() == [
        0,
        0,
        1,
        1,
    ]


def test_empty_history_and_points():
    assert network_over_time(history([]), date(2020, 1, 1)).is_empty()
    assert time_points(date(2021, 1, 1), date(2020, 1, 1)) == ([], "year")


def test_network_of_a_package_equals_the_frame_function(small_package):
    """The memoised path (periods once per date, a filter picks from them) answers what the pure
    function answers for the same partnerships."""
    from analysis.package import load_package
    from analysis.questions.enriched import enriched_view
    from analysis.questions.filters import Filters
    from analysis.questions.network import network_of

    package = load_package(small_package)
    as_of = date(2025, 1, 1)
    for filters in (Filters(), Filters(homes=("de-dortmund",)), Filters(statuses=("proposed",))):
        view = enriched_view(package, as_of, filters)
        history = package["status_history"].join(view.select("partnership_id"), on="partnership_id", how="semi")
        assert_frame_equal(network_of(package, view, as_of), network_over_time(history, as_of))
    view = enriched_view(package, as_of)
    by_home = network_of(package, view, as_of, "home_id")
    # Dortmund: Amiens and Trabzon active at the end; Hagen: Kartal proposed
    last = by_home.filter(pl.col("point") == as_of)
    assert dict(last.filter(pl.col("group") == "active").select("series", "partnerships").iter_rows()) == {
        "de-dortmund": 2,
        "de-hagen": 0,
    }
    assert dict(last.filter(pl.col("group") == "pipeline").select("series", "partnerships").iter_rows()) == {
        "de-dortmund": 0,
        "de-hagen": 1,
    }
