"""analysis.questions.choices: what a capped choice list offers."""

import polars as pl

from analysis.questions.choices import offered_partnerships

VIEW = pl.DataFrame({"partnership_id": ["a", "b", "c", "d", "e"]})


def test_the_first_rows_and_a_wanted_one_beyond_them():
    assert offered_partnerships(VIEW, "e", 2)["partnership_id"].to_list() == ["a", "b", "e"]


def test_a_wanted_one_within_the_limit_or_unknown_adds_nothing():
    assert offered_partnerships(VIEW, "b", 2)["partnership_id"].to_list() == ["a", "b"]
    assert offered_partnerships(VIEW, "zz", 2)["partnership_id"].to_list() == ["a", "b"]
    assert offered_partnerships(VIEW, None, 2)["partnership_id"].to_list() == ["a", "b"]
