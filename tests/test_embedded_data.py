"""The embedded package says what the seed documents say (counts made by hand from the seed documents)."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from analysis.package import load_package
from analysis.questions.enriched import enriched_view
from analysis.questions.filters import Filters


@pytest.fixture(scope="module")
def package():
    return load_package(None)


def statuses(view: pl.DataFrame) -> dict[str, str]:
    return dict(zip(view["partner_id"], view["status"], strict=True))


def test_dortmund_nine_formal_twinnings_and_rostov_rests_as_of_2023_10_31(package):
    # Seed 002: "Die Stadt Dortmund pflegt mit neun Städten eine formelle Partnerschaft ...
    # Angesichts des russischen Angriffskriegs ... ruht der Kontakt nach Rostow am Don."
    view = enriched_view(package, date(2023, 10, 31), Filters(homes=("de-dortmund",), kinds=("twinning",)))
    formal = {p: s for p, s in statuses(view).items() if s in ("active", "paused")}
    assert set(formal) == {
        "fr-amiens",
        "gb-leeds",
        "de-zwickau",
        "rs-novi-sad",
        "tr-trabzon",
        "us-buffalo",
        "il-netanya",
        "cn-xian",
        "ru-rostov-on-don",
    }
    assert [p for p, s in formal.items() if s == "paused"] == ["ru-rostov-on-don"]
    # Schytomyr (council Feb 2023) and Kumasi (to be prepared) are twinnings in the making.
    assert {p: s for p, s in statuses(view).items() if p not in formal} == {
        "ua-zhytomyr": "in_preparation",
        "gh-kumasi": "in_preparation",
    }


def test_dortmund_project_partnerships_and_dura_rests(package):
    # Seed 002: Projektpartnerschaften mit Pittsburgh, Vancouver, Cluj-Napoca, Dabola und Dura;
    # "Die Projektpartnerschaft mit Dura ruht allerdings". dortmund.de also lists Bondo (Kenya),
    # visited by the mayor in May 2019 (see RESEARCH-NOTES.md, "Corrections, November 2026").
    view = enriched_view(package, date(2023, 10, 31), Filters(homes=("de-dortmund",), kinds=("project",)))
    current = {p: s for p, s in statuses(view).items() if s in ("active", "paused")}
    assert current == {
        "us-pittsburgh": "active",
        "ca-vancouver": "active",
        "ro-cluj-napoca": "active",
        "gn-dabola": "active",
        "ps-dura": "paused",
        "ke-bondo": "active",
    }


def test_bochum_tsukuba_signed_25_11_2019_about_9250_km(package):
    # Seed 003: "Der 25.11.2019 war ein historischer Tag" ... "9.250 km Entfernung".
    view = enriched_view(package, date(2019, 11, 25), Filters(homes=("de-bochum",), search="tsukuba"))
    row = view.to_dicts()[0]
    assert (row["status"], row["founded"], row["partner_continent"]) == ("active", date(2019, 11, 25), "Asia")
    assert abs(row["distance_km"] - 9250) <= 25
    # the day before: in preparation since 2019 (year precision), not yet active
    assert enriched_view(package, date(2019, 11, 24), Filters(search="tsukuba"))["status"].to_list() == [
        "in_preparation"
    ]


def test_herne_belgorod_themes_from_the_cooperation_declaration(package):
    # Seed 001: Gesundheitswirtschaft, Energie, Logistik und Wissenschaft; Kultur und Sport.
    themes = set(package["partnership_themes"].filter(pl.col("partnership_id") == "herne-belgorod")["theme_id"])
    assert {"health", "energy", "logistics", "science", "culture", "sport"} <= themes


def test_hagen_kartal_story_from_the_council_papers(package):
    # Seed 004: letter 31.05.2021 ... Ältestenrat 03.02.2022 ... Kartal's letter 05.07.2022: no positive answer now.
    kartal = Filters(homes=("de-hagen",), search="kartal")
    assert enriched_view(package, date(2022, 2, 3), kartal)["status"].to_list() == ["in_preparation"]
    later = enriched_view(package, date(2024, 11, 19), kartal)
    assert later["status"].to_list() == ["paused"]  # since 05.07.2022: "keine positive Antwort"
    assert later["founded"].to_list() == [None]


def test_hattingen_has_no_partner_city_and_the_seed_proposals_were_declined(package):
    # Seed 000: "dass Hattingen keine Partnerstadt hat"; Aliaga, Sheffield, Lens "stets abgelehnt".
    view = enriched_view(package, date(2026, 11, 21), Filters(homes=("de-hattingen",)))
    assert "active" not in set(view["status"])
    declined = set(view.filter(pl.col("status") == "declined")["partner_id"])
    assert {"tr-aliaga", "gb-sheffield", "fr-lens"} <= declined


def test_every_status_and_theme_row_names_a_real_source(package):
    sources = package["sources"].filter(pl.col("url").is_not_null() | pl.col("document_ref").is_not_null())
    for resource in ("status_history", "partnership_themes"):
        unsourced = package[resource].join(sources, on="source_id", how="anti")
        assert unsourced.height == 0, unsourced
    assert package["sources"].filter(pl.col("publisher").str.strip_chars() == "").height == 0
