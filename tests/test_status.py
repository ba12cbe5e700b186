"""Status as of a date on hand-written histories: same-day rows, dates before the first row,
each precision, milestones that repeat a status."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analysis.questions.status import partnership_states, status_as_of


def history(*rows: tuple[str, str, str, str]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {"partnership_id": p, "date": date.fromisoformat(d), "date_precision": precision, "status": s}
            for p, d, precision, s in rows
        ]
    )


STORY = history(
    ("a", "1977-01-01", "year", "active"),
    ("a", "2002-05-01", "month", "active"),  # milestone: 25 years
    ("a", "2022-03-02", "day", "paused"),
    ("b", "2021-05-31", "day", "proposed"),
    ("b", "2021-11-25", "day", "in_preparation"),
    ("b", "2022-07-05", "day", "paused"),
    ("b", "2022-07-05", "day", "in_preparation"),  # same day: the later row in the file wins
)


def state(as_of: str, pid: str) -> dict:
    states = partnership_states(STORY, date.fromisoformat(as_of))
    rows = states.filter(pl.col("partnership_id") == pid).to_dicts()
    return rows[0] if rows else {}


def test_before_the_first_row_the_partnership_does_not_exist():
    assert status_as_of(STORY, date(1976, 12, 31)) == {}
    assert status_as_of(STORY, date(2021, 5, 30)) == {"a": "active"}


def test_on_the_day_of_a_row_that_row_counts():
    assert status_as_of(STORY, date(2021, 5, 31)) == {"a": "active", "b": "proposed"}
    assert status_as_of(STORY, date(2022, 3, 2))["a"] == "paused"
    assert status_as_of(STORY, date(2022, 3, 1))["a"] == "active"


def test_same_day_rows_later_in_file_wins():
    assert status_as_of(STORY, date(2022, 7, 5))["b"] == "in_preparation"


def test_status_since_skips_milestones_that_repeat_the_status():
    row = state("2010-01-01", "a")
    assert (row["status"], row["status_since"], row["status_since_precision"]) == ("active", date(1977, 1, 1), "year")


def test_status_since_after_a_change_back():
    # b: in_preparation (2021-11-25) -> paused -> in_preparation, all on 2022-07-05
    row = state("2023-01-01", "b")
    assert (row["status"], row["status_since"], row["status_since_precision"]) == (
        "in_preparation",
        date(2022, 7, 5),
        "day",
    )


def test_founded_is_first_active_row_and_keeps_its_precision():
    row = state("2024-01-01", "a")
    assert (row["status"], row["status_since"]) == ("paused", date(2022, 3, 2))
    assert (row["founded"], row["founded_precision"]) == (date(1977, 1, 1), "year")


def test_founded_is_empty_when_never_active_by_then():
    assert state("2024-01-01", "b")["founded"] is None


@pytest.mark.parametrize("as_of, expected", [("2002-04-30", "year"), ("2002-05-01", "year")])
def test_month_milestone_does_not_change_since(as_of, expected):
    assert state(as_of, "a")["status_since_precision"] == expected


def test_unsorted_history_is_read_by_date_not_by_file_position():
    shuffled = history(
        ("c", "2020-01-01", "year", "ended"),
        ("c", "1990-06-01", "month", "active"),
    )
    assert status_as_of(shuffled, date(2000, 1, 1)) == {"c": "active"}
    assert status_as_of(shuffled, date(2020, 1, 1)) == {"c": "ended"}
