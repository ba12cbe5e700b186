"""The overview's questions against the small package (counted by hand from tests/conftest.py's
BASE_ROWS): at 01.01.2025 Dortmund is active with Amiens (Europe) and Trabzon (Asia); Hagen's
only partnership, Kartal (Asia), is proposed."""

from datetime import date

from analysis.package import load_package
from analysis.questions.enriched import enriched_view
from analysis.questions.filters import Filters
from analysis.questions.overview import home_city_gaps

OTHERS = ["Africa", "North America", "Oceania", "South America"]


def test_home_city_gaps_list_the_continents_without_an_active_partnership(small_package):
    frames = load_package(small_package).frames
    view = enriched_view(frames, date(2025, 1, 1))
    gaps = home_city_gaps(frames, view, Filters())
    assert gaps["home_name"].to_list() == ["Dortmund", "Hagen"]
    assert gaps["missing"].to_list() == [4, 6]
    assert gaps["continents"].to_list() == [OTHERS, ["Africa", "Asia", "Europe", *OTHERS[1:]]]


def test_home_city_gaps_heed_the_home_filter_alone(small_package):
    frames = load_package(small_package).frames
    view = enriched_view(frames, date(2025, 1, 1))
    # a status filter that keeps only Kartal would make Dortmund miss Europe and Asia too: it is ignored
    filters = Filters(homes=("de-dortmund",), statuses=("proposed",), search="Kartal")
    gaps = home_city_gaps(frames, view, filters)
    assert gaps["home_name"].to_list() == ["Dortmund"]
    assert gaps["continents"].to_list() == [OTHERS]
