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


def test_gaps_by_continent_count_the_home_cities_missing_each(small_package):
    # Dortmund misses Africa, North America, Oceania, South America; Hagen all six: Asia and Europe
    # are missed by Hagen alone
    from analysis.questions.overview import gaps_by_continent

    frames = load_package(small_package).frames
    gaps = home_city_gaps(frames, enriched_view(frames, date(2025, 1, 1)), Filters())
    counts = dict(gaps_by_continent(gaps).iter_rows())
    assert counts == {c: 2 for c in OTHERS} | {"Asia": 1, "Europe": 1}
    assert gaps_by_continent(gaps)["continent"].to_list()[:4] == ["Africa", "North America", "Oceania", "South America"]


def test_the_summary_names_the_gaps_of_one_city_and_counts_those_of_many(small_package):
    from analysis.questions.overview import home_cities, status_tiles
    from present import i18n
    from present.summary import summary_sentence

    frames = load_package(small_package).frames
    view = enriched_view(frames, date(2025, 1, 1))
    tiles = status_tiles(view, view)
    one = home_city_gaps(frames, view, Filters(homes=("de-dortmund",)))
    both = home_city_gaps(frames, view, Filters())
    with i18n.language("de"):
        text = summary_sentence(tiles, one, 1, 0)
        assert "Dortmund hat keine aktive Partnerschaft in Afrika, Nordamerika, Ozeanien, Südamerika." in text
        assert "**0** offene Partnerschaften ohne erfasstes Ereignis seit 5 Jahren" in text
        text = summary_sentence(tiles, both, len(home_cities(frames)), 1)
        assert "Afrika 2 von 2, Nordamerika 2 von 2, Ozeanien 2 von 2, Südamerika 2 von 2, Asien 1 von 2" in text
        assert "**1** offene Partnerschaft ohne" in text
    with i18n.language("en"):
        assert "Dortmund has no active partnership in Africa, North America" in summary_sentence(tiles, one, 1, 0)
