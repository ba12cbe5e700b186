"""The status events of a window of dates, with their sources, against the small package (counted
by hand from tests/conftest.py's BASE_ROWS)."""

from datetime import date

import polars as pl
from conftest import BASE_ROWS, write_package
from polars.testing import assert_frame_equal

from analysis.package import load_package
from analysis.questions.history import changes_between, status_events


def test_events_after_since_up_to_until_oldest_first_with_sources_and_names(small_package):
    frames = load_package(small_package).frames
    names = pl.DataFrame(
        {
            "partnership_id": ["dortmund-trabzon", "hagen-kartal", "dortmund-amiens"],
            "home_name": ["Dortmund", "Hagen", "Dortmund"],
            "kind": ["twinning", "twinning", "twinning"],
        }
    )
    # after 01.05.2013 (Trabzon's first row is on that day: not after it), up to 01.01.2025
    events = status_events(frames, names, date(2025, 1, 1), since=date(2013, 5, 1))
    expected = pl.DataFrame(
        {
            "date": [date(2014, 6, 12), date(2021, 5, 31)],
            "date_precision": ["day", "day"],
            "date_basis": ["event", "event"],
            "partnership_id": ["dortmund-trabzon", "hagen-kartal"],
            "home_name": ["Dortmund", "Hagen"],
            "kind": ["twinning", "twinning"],
            "previous_status": ["in_preparation", None],
            "status": ["active", "proposed"],
            "note": ["signed", "letter"],
            "source_id": ["s2", "s2"],
            "source_title": ["Vorlage", "Vorlage"],
            "publisher": ["Stadt Hagen", "Stadt Hagen"],
            "url": [None, None],
            "document_ref": ["Vorlage 1062/2023-1", "Vorlage 1062/2023-1"],
        },
        schema_overrides={"url": pl.String, "previous_status": pl.String},
    )
    assert_frame_equal(events, expected, check_dtypes=False)


def test_events_from_the_first_and_only_of_the_partnerships_named(small_package):
    frames = load_package(small_package).frames
    names = pl.DataFrame({"partnership_id": ["dortmund-amiens", "dortmund-trabzon"]})
    # up to 31.12.2013: Amiens 1960 (s1), Trabzon 05/2013 (s1); Trabzon's 2014 row comes later
    events = status_events(frames, names, date(2013, 12, 31))
    assert events["partnership_id"].to_list() == ["dortmund-amiens", "dortmund-trabzon"]
    assert events["date_precision"].to_list() == ["year", "month"]
    assert events["source_title"].to_list() == ["Stadt Dortmund: Städtepartnerschaften"] * 2
    assert events["url"].to_list() == ["https://example.org/a"] * 2
    # Kartal is not named: its 2021 row never shows
    assert status_events(frames, names, date(2025, 1, 1))["partnership_id"].to_list() == [
        "dortmund-amiens",
        "dortmund-trabzon",
        "dortmund-trabzon",
    ]


def test_the_newest_events_come_newest_first(small_package):
    frames = load_package(small_package).frames
    names = pl.DataFrame({"partnership_id": ["dortmund-amiens", "dortmund-trabzon", "hagen-kartal"]})
    newest = status_events(frames, names, date(2025, 1, 1), newest=2)
    assert newest["date"].to_list() == [date(2021, 5, 31), date(2014, 6, 12)]
    assert status_events(frames, names, date(2025, 1, 1), newest=0).is_empty()


def test_changes_leave_out_the_entries_that_confirm_the_status_in_force(tmp_path):
    # Amiens (active since 1960) is confirmed 2020 and 2022, then paused 2023; Trabzon's 2014 row
    # ends its preparation; Kartal is new (2021). 2020 and 2022 are confirmations, not changes.
    rows = BASE_ROWS["status_history"] + [
        ["dortmund-amiens", "2020-06-01", "day", "active", "renewed", "s2"],
        ["dortmund-amiens", "2022-06-01", "day", "active", "60 years", "s2"],
        ["dortmund-amiens", "2023-06-01", "day", "paused", "no contact", "s2"],
    ]
    frames = load_package(write_package(tmp_path, {"status_history": rows})).frames
    names = pl.DataFrame({"partnership_id": ["dortmund-amiens", "dortmund-trabzon", "hagen-kartal"]})
    everything = status_events(frames, names, date(2025, 1, 1), since=date(2013, 5, 1))
    assert everything.height == 5  # 2014, 2020, 2021, 2022, 2023
    changes = changes_between(
        frames,
        date(2013, 5, 1),
        date(2025, 1, 1),
        names.with_columns(pl.lit("x").alias("home_name"), pl.lit("y").alias("partner_name")),
    )
    assert changes["date"].to_list() == [date(2014, 6, 12), date(2021, 5, 31), date(2023, 6, 1)]
    assert changes["previous_status"].to_list() == ["in_preparation", None, "active"]
    assert changes["status"].to_list() == ["active", "proposed", "paused"]
    # a window holding only the confirmations has no change
    assert changes_between(
        frames,
        date(2019, 1, 1),
        date(2022, 12, 31),
        names.with_columns(pl.lit("x").alias("home_name"), pl.lit("y").alias("partner_name")),
    )["partnership_id"].to_list() == ["hagen-kartal"]
