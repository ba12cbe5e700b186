"""Issue 12 in AppTest: words that mean what they say, one language at a time, blank cells.

Figures counted by hand from the small package in conftest.BASE_ROWS (as of 2025-01-01: Dortmund–
Amiens active since 1960, Dortmund–Trabzon in preparation 05/2013 then active 12.06.2014,
Hagen–Kartal proposed 31.05.2021; Amiens in Europe, Trabzon and Kartal in Asia).
"""

from __future__ import annotations

import pytest
from apptest_support import app
from streamlit.testing.v1 import AppTest

from analysis.package import ENV_VAR


@pytest.fixture
def small(monkeypatch, small_package):
    monkeypatch.setenv(ENV_VAR, str(small_package))
    return small_package


def texts(at: AppTest) -> list[str]:
    """Every line of text shown (the overview's gaps are one text element, a line per home city)."""
    return [line for element in at.text for line in element.value.split("\n")]


def test_gaps_per_home_city_do_not_follow_the_status_filter(small):
    # nothing is paused: the status filter empties every figure, yet Dortmund still misses 4
    # continents (active in Europe and Asia) and Hagen 6 (no active partnership at all)
    at = app(asof="2025-01-01", status="paused").run()
    assert [m.value for m in at.metric] == ["0", "0", "0", "0"]
    assert "Dortmund: keine aktive Partnerschaft in Afrika, Nordamerika, Ozeanien, Südamerika" in texts(at)
    assert "Hagen: keine aktive Partnerschaft in Afrika, Asien, Europa, Nordamerika, Ozeanien, Südamerika" in texts(at)
    # the summary counts, per continent, the home cities without an active partnership there
    assert "Afrika 2 von 2, Nordamerika 2 von 2, Ozeanien 2 von 2, Südamerika 2 von 2" in at.markdown[0].value
    # the home filter does apply
    at = app(asof="2025-01-01", home="de-hagen").run()
    assert not any(t.startswith("Dortmund:") for t in texts(at))
    assert any(t.startswith("Hagen: keine aktive Partnerschaft in") for t in texts(at))


def test_gaps_in_english_with_singular(small):
    at = app(asof="2025-01-01", lang="en", home="de-hagen").run()
    assert "Hagen: no active partnership in Africa, Asia, Europe, North America, Oceania, South America" in texts(at)
    assert "Hagen has no active partnership in Africa, Asia" in at.markdown[0].value  # one home city: named


def test_continent_chart_shows_continents_without_partnerships_as_zero(small):
    at = app(asof="2025-01-01").run()
    table = next(d.value for d in at.dataframe if list(d.value.columns) == ["Kontinent", "Status", "Partnerschaften"])
    counts = {(c, s): n for c, s, n in table.itertuples(index=False)}
    assert counts[("Europa", "aktiv")] == 1 and counts[("Asien", "aktiv")] == 1
    assert counts[("Asien", "vorgeschlagen")] == 1
    for continent in ("Afrika", "Nordamerika", "Ozeanien", "Südamerika"):
        assert counts[(continent, "aktiv")] == 0, continent
    spec = at.get("vega_lite_chart")[0].proto.spec
    assert '"Afrika"' in spec  # the axis lists it (the sort order names every inhabited continent)


def test_every_chart_has_a_description(small):
    at = app(asof="2025-01-01").run()
    for chart in at.get("vega_lite_chart"):
        assert '"description"' in chart.proto.spec


def test_founded_between_keeps_partnerships_never_active(small):
    # founded 2000-2025 (slider within the data's 1960-2014): Trabzon (2014) and Kartal (never active)
    at = app(asof="2025-01-01", founded="2000-2014").run()
    assert [m.value for m in at.metric] == ["1", "0", "1", "0"]


def test_changes_between_comparison_date_and_as_of_date(small):
    # since 01.01.2014: Trabzon active (12.06.2014, source s2), Kartal proposed (31.05.2021, s2)
    at = app(asof="2025-01-01", cmp="2014-01-01").run()
    table = next(d.value for d in at.dataframe if "Quelle" in d.value.columns and "Datum" in d.value.columns)
    assert list(table["Datum"]) == ["12.06.2014", "31.05.2021"]
    assert list(table["Partnerstadt"]) == ["Trabzon", "Kartal"]
    assert all(table["Quelle"].str.len() > 0)
    assert at.expander[0].label.startswith("Was sich seit 01.01.2014 geändert hat: 2 Statuswechsel oder neue")
    assert list(table["Statuswechsel"]) == ["in Vorbereitung → aktiv", "neu: vorgeschlagen"]


def test_english_view_uses_english_names_and_decades(small, tmp_path):
    at = app(asof="2025-01-01", lang="en").run()
    at.switch_page("views/partnerships.py").run()
    table = next(d.value for d in at.dataframe if "Partner city" in d.value.columns)
    assert sorted(table["Country"]) == ["France", "Turkey", "Turkey"]  # not Frankreich, Türkei
    assert "None" not in table.astype(str).to_numpy().ravel().tolist()


def test_accessibility_statement(small, monkeypatch):
    at = app(lang="de").run()
    at.switch_page("views/accessibility.py").run()
    assert not at.exception
    assert at.title[0].value == "Barrierefreiheit"
    assert any("nicht erreichbar" in m.value for m in at.markdown)
    assert any("PARTNERSCHAFTSATLAS_ACCESSIBILITY_CONTACT" in w.value for w in at.warning)
    monkeypatch.setenv("PARTNERSCHAFTSATLAS_ACCESSIBILITY_CONTACT", "barrierefrei@example.org")
    at = app(lang="en").run()
    at.switch_page("views/accessibility.py").run()
    assert at.title[0].value == "Accessibility"
    assert "barrierefrei@example.org" in texts(at)
    assert any("22 Nov 2026" in m.value for m in at.markdown)


def test_typed_dates_apply_and_refuse_with_a_message(small):
    at = app(asof="2025-01-01").run()
    assert at.text_input(key="asof").value == "01.01.2025"
    at.text_input(key="asof").set_value("12.06.2014")
    at.button(key="asof_apply").click().run()
    assert at.query_params["asof"] == "2014-06-12"
    assert [m.value for m in at.metric] == ["2", "0", "0", "0"]  # Trabzon active that very day
    at.text_input(key="asof").set_value("31.02.2014")  # no such day
    at.button(key="asof_apply").click().run()
    assert at.query_params["asof"] == "2014-06-12"
    assert any("Kein gültiges Datum" in e.value and "12.06.2014" in e.value for e in at.sidebar.error)
    at.text_input(key="cmp").set_value("2013-06-01")  # ISO is read too
    at.button(key="cmp_apply").click().run()
    assert at.query_params["cmp"] == "2013-06-01"
    assert [m.delta for m in at.metric] == ["+1", "±0", "-1", "±0"]  # Trabzon: in preparation → active


def test_data_dictionary_and_package_information_in_the_language_shown(small):
    at = app(asof="2025-01-01").run()
    at.switch_page("views/data.py").run()
    dictionary = next(d.value for d in at.dataframe if "Pflichtfeld" in d.value.columns)
    assert list(dictionary.columns) == ["Tabelle", "Feld", "Typ", "Pflichtfeld", "Beschreibung", "Regeln"]
    row = dictionary[
        (dictionary["Tabelle"] == "Partnerschaften (partnerships)")
        & (dictionary["Feld"] == "Partnerschaft (partnership_id)")
    ]
    assert list(row["Pflichtfeld"]) == ["ja"]
    assert not any("{" in rules or '"' in rules for rules in dictionary["Regeln"])  # rules in words, no JSON
    meta = next(d.value for d in at.dataframe if list(d.value.columns) == ["Angabe", "Wert"])  # headed, no empty row
    assert list(meta["Angabe"])[:3] == ["Titel", "Name", "Version"]
    for frame in (d.value for d in at.dataframe):
        assert "None" not in frame.astype(str).to_numpy().ravel().tolist()


def test_the_rows_shown_on_the_data_page_are_headed_and_labelled_in_the_language_shown(small):
    at = app(asof="2025-01-01").run()
    at.switch_page("views/data.py").run()
    rows = next(d.value for d in at.dataframe if d.key == "data_view" or "Heimatstadt" in d.value.columns)
    assert "partnership_id" not in rows.columns and "status" not in rows.columns  # no machine columns
    assert {"Heimatstadt", "Partnerstadt", "Status", "Status seit"} <= set(rows.columns)
    assert set(rows["Status"]) <= {"vorgeschlagen", "in Vorbereitung", "aktiv", "ruhend", "beendet", "abgelehnt"}
    assert "aktiv" in set(rows["Status"]) and "active" not in set(rows["Status"])


def test_map_names_roles_right_and_has_a_europe_view(small):
    import json

    at = app(asof="2025-01-01").run()
    maps = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart") if '"geoshape"' in c.proto.spec]
    assert [m["title"] for m in maps] == ["Weltkarte der Partnerschaften", "Partnerschaften innerhalb Europas"]
    world = maps[0]
    assert "2 Heimatstädte mit 3 Partnerorten" in world["description"]
    lines, partners, homes = world["layer"][1:4]
    assert [(t["field"], t["title"]) for t in lines["encoding"]["tooltip"]][:2] == [
        ("home_name", "Heimatstadt"),
        ("partner_name", "Partnerstadt"),
    ]
    assert homes["encoding"]["shape"]["field"] == "home_name"  # one symbol per home city, named in the legend
    assert ("role_label", "Rolle") in [(t["field"], t["title"]) for t in homes["encoding"]["tooltip"]]
    assert maps[1]["layer"][0]["projection"]["type"] == "mercator" and "fit" in maps[1]["layer"][0]["projection"]


def test_map_dots_carry_their_own_role():
    import polars as pl

    from present import charts, maps

    lines = pl.DataFrame(
        {"home_name": ["Dortmund"], "partner_name": ["Amiens"], "status_label": ["aktiv"]}
        | {c: [1.0] for c in ("home_lat", "home_lon", "partner_lat", "partner_lon")}
    )
    points = pl.DataFrame(
        {"name": ["Dortmund", "Amiens"], "role": ["home", "partner"], "latitude": [51.5, 49.9]}
        | {"longitude": [7.5, 2.3], "partnerships": [1, 1]}
    )
    spec = maps.world_map(
        lines,
        points,
        title="Karte",
        status_title="Status",
        scale=charts.status_scale(lambda s: s),
        home_title="Heimatstadt",
        partner_title="Partnerstadt",
        place_title="Ort",
        role_title="Rolle",
        role_labels={"home": "Heimatstadt", "partner": "Partnerort"},
        partnerships_title="Partnerschaften",
        description="Eine Karte.",
    ).to_dict()
    datasets = spec["datasets"]
    partners, homes = spec["layer"][2], spec["layer"][3]
    assert [(r["name"], r["role_label"]) for r in datasets[partners["data"]["name"]]] == [("Amiens", "Partnerort")]
    assert [(r["name"], r["role_label"]) for r in datasets[homes["data"]["name"]]] == [("Dortmund", "Heimatstadt")]
    assert spec["description"] == "Eine Karte."
