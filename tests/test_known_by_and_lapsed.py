"""A date only "known by" (status_history.date_basis known_by) and a term that lapsed (status
lapsed), against a small hand-made package (docs/data-contract.md, "Status as of a date").

The package, counted by hand:
- dortmund-amiens: known active by 2026 (a list; founding unknown), nothing else;
- dortmund-trabzon: in preparation 05/2013, active 12.06.2014, term lapsed 31.12.2025;
- hagen-kartal: known declined by 2008 (a later article), nothing else.
"""

from datetime import date

import polars as pl
import pytest
from conftest import BASE_ROWS, HEADERS, small_package_descriptor, write_package

from analysis.contract import STATUSES, contract_problems
from analysis.package import load_package
from analysis.problems import PackageInvalid
from analysis.questions.aggregates import founded_per_decade
from analysis.questions.comparison import city_figures
from analysis.questions.enriched import enriched_view
from analysis.questions.filter_options import founded_bounds
from analysis.questions.history import changes_between, latest_changes, partnership_history, status_periods
from analysis.questions.network import network_over_time
from analysis.questions.overview import status_tiles
from analysis.questions.status import partnership_states, status_as_of

HISTORY = [
    ["dortmund-amiens", "2026-01-01", "year", "active", "in der Liste der Partnerstädte", "s1", "known_by"],
    ["dortmund-trabzon", "2013-05-01", "month", "in_preparation", "council", "s1", ""],
    ["dortmund-trabzon", "2014-06-12", "day", "active", "signed", "s2", "event"],
    ["dortmund-trabzon", "2025-12-31", "day", "lapsed", "Laufzeit bis 31.12.2025", "s2", ""],
    ["hagen-kartal", "2008-01-01", "year", "declined", "spätestens 2008, laut Artikel", "s2", "known_by"],
]
AS_OF, COMPARE = date(2026, 11, 21), date(2025, 11, 21)


@pytest.fixture
def package(tmp_path):
    return load_package(write_package(tmp_path / "p", {"status_history": HISTORY}))


def test_a_known_by_row_sets_the_status_from_its_date_but_founds_nothing(package):
    states = partnership_states(package["status_history"], AS_OF).sort("partnership_id")
    assert states.select(
        "partnership_id", "status", "status_since", "status_since_basis", "founded", "active_known_since"
    ).rows() == [
        ("dortmund-amiens", "active", date(2026, 1, 1), "known_by", None, date(2026, 1, 1)),
        ("dortmund-trabzon", "lapsed", date(2025, 12, 31), "event", date(2014, 6, 12), None),
        ("hagen-kartal", "declined", date(2008, 1, 1), "known_by", None, None),
    ]
    assert states["active_known_since_precision"].to_list() == ["year", None, None]
    # before its date the known_by row says nothing: Amiens did not exist yet on 31.12.2025
    assert status_as_of(package["status_history"], date(2025, 12, 31)) == {
        "dortmund-trabzon": "lapsed",
        "hagen-kartal": "declined",
    }


def test_the_founding_chart_the_comparison_and_the_slider_count_no_known_by_founding(package):
    view = enriched_view(package, AS_OF, with_precision=True)
    assert founded_per_decade(view).rows() == [(2010, 1)]  # Trabzon only; Amiens' 2026 is no founding
    dortmund = city_figures(view, ["de-dortmund"], {"de-dortmund": "Dortmund"}).row(0, named=True)
    assert (dortmund["oldest"], dortmund["newest"]) == ("Trabzon", "Trabzon")
    assert (dortmund["active"], dortmund["paused"]) == (1, 1)  # lapsed is in the paused group
    assert founded_bounds(package) == (2014, 2015)


def test_the_tiles_count_no_change_at_a_known_by_date(package):
    now = enriched_view(package, AS_OF, with_precision=True)
    before = enriched_view(package, COMPARE)
    tiles = {
        row["group"]: (row["now"], row["before"], row["change"])
        for row in status_tiles(now, before).iter_rows(named=True)
    }
    # now: Amiens active, Trabzon lapsed (paused group), Kartal declined. On 21.11.2025 Trabzon was
    # active; Amiens is counted as it is now (its date only says "known by 2026"): no "+1 active".
    assert tiles == {"active": (1, 2, -1), "paused": (1, 0, 1), "pipeline": (0, 0, 0), "closed": (1, 1, 0)}
    # a view without the basis column (an older caller) counts the plain difference
    plain = {
        row["group"]: row["change"]
        for row in status_tiles(now.drop("status_since_basis"), before).iter_rows(named=True)
    }
    assert plain["active"] == 0


def test_changes_leave_out_known_by_rows_and_the_story_words_them(package):
    now, before = enriched_view(package, AS_OF), enriched_view(package, COMPARE)
    changes = changes_between(package, COMPARE, AS_OF, now, before)
    assert changes.select("partnership_id", "status").rows() == [("dortmund-trabzon", "lapsed")]
    latest = latest_changes(package, now, AS_OF)
    assert latest["partnership_id"].to_list() == ["dortmund-trabzon"] * 3
    story = partnership_history(package, "dortmund-amiens", AS_OF)
    assert story.select("date", "status", "date_basis").rows() == [(date(2026, 1, 1), "active", "known_by")]
    periods = status_periods(package, AS_OF, ["hagen-kartal", "dortmund-trabzon"])
    assert periods.select("partnership_id", "status", "start_basis").rows() == [
        ("dortmund-trabzon", "in_preparation", "event"),
        ("dortmund-trabzon", "active", "event"),
        ("dortmund-trabzon", "lapsed", "event"),
        ("hagen-kartal", "declined", "known_by"),
    ]


def test_a_lapsed_term_is_counted_with_the_paused_in_the_network(package):
    network = network_over_time(package["status_history"], AS_OF)
    last = network.filter(pl.col("point") == AS_OF)
    assert dict(last.select("group", "partnerships").iter_rows()) == {"active": 1, "paused": 1, "pipeline": 0}
    end_of_2025 = network.filter(pl.col("point") == date(2025, 12, 31))
    assert dict(end_of_2025.select("group", "partnerships").iter_rows()) == {"active": 0, "paused": 1, "pipeline": 0}


def test_lapsed_follows_paused_in_the_contract():
    assert STATUSES.index("lapsed") == STATUSES.index("paused") + 1


def _status_resource(descriptor: dict) -> dict:
    return next(r for r in descriptor["resources"] if r["name"] == "status_history")


def test_a_package_written_before_date_basis_and_lapsed_is_still_read(tmp_path):
    """A 1.1.0 package: no date_basis field, no lapsed in its enum; its rows read as events."""
    descriptor = small_package_descriptor()
    resource = _status_resource(descriptor)
    resource["schema"]["fields"] = [f for f in resource["schema"]["fields"] if f["name"] != "date_basis"]
    status = next(f for f in resource["schema"]["fields"] if f["name"] == "status")
    status["constraints"]["enum"] = [s for s in STATUSES if s != "lapsed"]
    assert contract_problems(descriptor) == []
    path = write_package(tmp_path / "old", descriptor=descriptor)
    lines = [",".join(HEADERS["status_history"][:-1])] + [",".join(row[:-1]) for row in BASE_ROWS["status_history"]]
    (path.parent / "data" / "status_history.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    # the rows of six fields, read as events
    states = partnership_states(load_package(path)["status_history"], AS_OF).sort("partnership_id")
    assert states["founded"].to_list() == [date(1960, 1, 1), date(2014, 6, 12), None]
    assert states["status_since_basis"].to_list() == ["event"] * 3


def test_an_enum_with_a_value_the_contract_does_not_know_is_refused():
    descriptor = small_package_descriptor()
    status = next(f for f in _status_resource(descriptor)["schema"]["fields"] if f["name"] == "status")
    status["constraints"]["enum"] = [*STATUSES, "forgotten"]
    assert [(p.resource, p.field) for p in contract_problems(descriptor)] == [("status_history", "status")]


def test_a_date_basis_outside_its_enum_is_refused_at_its_row(tmp_path):
    rows = [*HISTORY[:4], ["hagen-kartal", "2008-01-01", "year", "declined", "laut Artikel", "s2", "ungefähr"]]
    with pytest.raises(PackageInvalid) as refused:
        load_package(write_package(tmp_path / "bad", {"status_history": rows}))
    assert [(p.resource, p.row, p.field) for p in refused.value.problems] == [("status_history", 6, "date_basis")]


def test_a_subset_keeps_the_status_rows_as_written(package, tmp_path):
    """The subset download copies status rows unchanged: an empty date_basis stays empty, and a package
    written before the field existed gets no column it does not declare."""
    from analysis.outputs.subset import subset_frames

    history = subset_frames(package, AS_OF)["status_history"]
    assert history["date_basis"].to_list() == ["known_by", None, "event", None, "known_by"]
    descriptor = small_package_descriptor()
    resource = _status_resource(descriptor)
    resource["schema"]["fields"] = [f for f in resource["schema"]["fields"] if f["name"] != "date_basis"]
    path = write_package(tmp_path / "old", descriptor=descriptor)
    lines = [",".join(HEADERS["status_history"][:-1])] + [",".join(row[:-1]) for row in BASE_ROWS["status_history"]]
    (path.parent / "data" / "status_history.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    old = load_package(path)
    assert subset_frames(old, AS_OF)["status_history"].columns == old["status_history"].columns


def test_status_and_history_lists_a_lapsed_term_with_the_active_and_paused(package):
    from analysis.questions.filters import Filters
    from dashboard.history import history_frames
    from present import i18n

    with i18n.language("de"):
        frames = history_frames(package, AS_OF, Filters())
    # as of 21.11.2026: Amiens active (known by 2026), Trabzon lapsed since 31.12.2025, Kartal declined
    assert frames.active_or_paused == 2
    assert sorted(frames.reasons["partner_name"].to_list()) == ["Amiens", "Trabzon"]
    assert "Laufzeit abgelaufen" in frames.reasons["status_label"].to_list()
