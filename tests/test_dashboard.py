"""The dashboard in AppTest: every page, filters set by widget key and by URL, figures counted
by hand from the small package in conftest.BASE_ROWS. What the download buttons deliver is tested in
test_e2e_downloads (in a browser) and test_exports_office (the functions that build the files).

The small package as of 2025-01-01: Dortmund–Amiens active (1960), Dortmund–Trabzon active
(in preparation 05/2013, signed 12.06.2014), Hagen–Kartal proposed (31.05.2021).
"""

from __future__ import annotations

import pytest
from apptest_support import app
from streamlit.testing.v1 import AppTest

from analysis.package import ENV_VAR

PAGES = [
    "views/overview.py",
    "views/partnerships.py",
    "views/themes.py",
    "views/history.py",
    "views/compare.py",
    "views/data.py",
]


@pytest.fixture
def small(monkeypatch, small_package):
    monkeypatch.setenv(ENV_VAR, str(small_package))
    return small_package


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_page_runs_on_the_embedded_data(lang):
    at = app(lang=lang).run()
    assert not at.exception, [e.value for e in at.exception]
    for page in PAGES[1:]:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title[0].value


def test_overview_tiles_and_change_against_the_comparison_date(small):
    at = app(asof="2014-01-01", cmp="2013-01-01").run()
    assert not at.exception
    # active: Amiens (then and now); in preparation: Trabzon since 05/2013, not yet on 2013-01-01
    assert [m.value for m in at.metric] == ["1", "0", "1", "0"]
    assert [m.delta for m in at.metric] == ["±0", "±0", "+1", "±0"]
    assert at.metric[0].label == "Aktiv"


def test_overview_default_comparison_is_one_year_before(small):
    at = app(asof="2015-01-01").run()
    assert at.text_input(key="cmp").value == "01.01.2014"
    # Trabzon moved from in preparation to active during 2014
    assert [m.delta for m in at.metric] == ["+1", "±0", "-1", "±0"]


def test_overview_filter_by_widget_key(small):
    at = app(asof="2025-01-01").run()
    assert [m.value for m in at.metric] == ["2", "0", "1", "0"]
    at.multiselect(key="home").set_value(["de-hagen"]).run()
    assert [m.value for m in at.metric] == ["0", "0", "1", "0"]
    assert at.query_params["home"] == "de-hagen"  # the URL follows the widget


def test_overview_filter_by_query_parameters_in_english(small):
    at = app(asof="2025-01-01", status="active", lang="en").run()
    assert [m.value for m in at.metric] == ["2", "0", "0", "0"]
    assert at.metric[0].label == "Active"
    assert at.title[0].value == "Overview"


def test_overview_charts_and_gaps(small):
    at = app(asof="2025-01-01").run()
    charts = at.get("vega_lite_chart")
    assert len(charts) == 6  # continent × status, kind, world map, Europe map, decades, network over time
    # the gaps are one text element, a line per home city (not one element each: issue 19)
    gap_texts = [element.value for element in at.text if "keine aktive Partnerschaft" in element.value]
    assert len(gap_texts) == 1
    lines = gap_texts[0].split("\n")
    assert len(lines) == 2  # Dortmund and Hagen, the small package's two home cities
    assert lines[0] == "Dortmund: keine aktive Partnerschaft in Afrika, Nordamerika, Ozeanien, Südamerika"
    assert lines[1].startswith("Hagen: keine aktive Partnerschaft in Afrika, Asien, Europa, ")
    stale = _frame(at, "Letztes Ereignis", "Jahre ohne Ereignis")
    assert sorted(stale.iloc[:, 1]) == ["Amiens", "Trabzon"]  # last events 1960 and 2014


def _frame(at: AppTest, *columns: str):
    """The (first) table that shows all these columns."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


def test_partnerships_table_search_and_detail_from_url(small):
    at = app(asof="2025-01-01", p="dortmund-trabzon").run()
    at.switch_page("views/partnerships.py").run()
    assert not at.exception
    assert len(_frame(at, "Partnerstadt", "Entfernung (km)")) == 3
    facts = dict(_frame(at, "Angabe", "Wert").itertuples(index=False))  # a heading, not an empty row
    assert facts["Gegründet"] == "12.06.2014"
    assert facts["Status"] == "aktiv"
    events = _frame(at, "Datum", "Quelle")
    assert list(events.iloc[:, 0]) == ["05/2013", "12.06.2014"]
    at.text_input(key="q").set_value("kartal").run()
    assert list(_frame(at, "Partnerstadt", "Entfernung (km)")["Partnerstadt"]) == ["Kartal"]


def test_partnership_dates_in_english(small):
    at = app(asof="2025-01-01", p="dortmund-trabzon", lang="en").run()
    at.switch_page("views/partnerships.py").run()
    events = _frame(at, "Date", "Source")
    assert list(events.iloc[:, 0]) == ["May 2013", "12 Jun 2014"]


def test_themes_page_lists_the_partnerships_behind_a_theme(small):
    at = app(asof="2025-01-01", t="economy").run()
    at.switch_page("views/themes.py").run()
    assert not at.exception
    assert len(at.get("vega_lite_chart")) == 2
    assert list(_frame(at, "Partnerstadt", "Themen")["Partnerstadt"]) == ["Kartal"]


def test_history_page_reasons_and_latest_changes(small):
    at = app(asof="2025-01-01").run()
    at.switch_page("views/history.py").run()
    reasons = _frame(at, "Grund (Anmerkung)")
    assert sorted(reasons["Partnerstadt"]) == ["Amiens", "Trabzon"]
    assert dict(zip(reasons["Partnerstadt"], reasons["Grund (Anmerkung)"], strict=True))["Trabzon"] == "signed"
    changes = _frame(at, "Datum", "Partnerstadt", "Anmerkung")
    assert list(changes["Partnerstadt"]) == ["Kartal", "Trabzon", "Trabzon", "Amiens"]


def test_sidebar_names_the_package_in_use(small):
    at = app().run()
    assert any("Testpaket" in t.value and "Version 0.0.1-test" in t.value for t in at.sidebar.text)


def test_many_home_cities_offer_the_largest_and_keep_the_chosen(small, monkeypatch):
    monkeypatch.setattr("dashboard.filters.MAX_HOME_CHOICES", 1)
    at = app(asof="2025-01-01").run()
    assert at.multiselect(key="home").options == ["Dortmund"]  # two partnerships; Hagen has one
    at = app(asof="2025-01-01", home="de-hagen").run()
    assert at.multiselect(key="home").value == ["de-hagen"]
    assert [m.value for m in at.metric] == ["0", "0", "1", "0"]
    assert at.multiselect(key="home").options == ["Dortmund", "Hagen"]


def test_detail_tables_show_the_link_early_and_every_note_and_source_in_full(small):
    """A table cell is cut at its column's width (at 390 px a note after ~25 characters): the link
    stands before the long texts, and an expander holds each row's note and source title in full
    (the small package: Dortmund–Trabzon's two events, council/s1 and signed/s2)."""
    at = app(asof="2025-01-01", p="dortmund-trabzon").run()
    at.switch_page("views/partnerships.py").run()
    events = _frame(at, "Datum", "Quelle")
    assert list(events.columns)[:4] == ["Datum", "Status", "Link", "Anmerkung"]
    full = next(e for e in at.expander if e.label.startswith("Anmerkungen und Quellen"))
    assert full.label == "Anmerkungen und Quellen in voller Länge (2 Zeilen)"
    assert [t.value for t in full.text] == [
        "05/2013 · in Vorbereitung\nAnmerkung: council\nQuelle: Stadt Dortmund: Städtepartnerschaften",
        "12.06.2014 · aktiv\nAnmerkung: signed\nQuelle: Vorlage\nAktenzeichen/Vorlage: Vorlage 1062/2023-1",
    ]

    at.switch_page("views/history.py").run()
    reasons = _frame(at, "Grund (Anmerkung)")
    assert list(reasons.columns).index("Link") < list(reasons.columns).index("Grund (Anmerkung)")
    first = next(e for e in at.expander if e.label.startswith("Anmerkungen und Quellen"))
    # active or paused on 1 Jan 2025: Trabzon (since 12.06.2014) and Amiens (1960), newest first
    assert first.label.endswith("(2 Zeilen)")
    assert [t.value.split("\n")[0] for t in first.text] == [
        "Dortmund · Trabzon · aktiv · 12.06.2014",
        "Dortmund · Amiens · aktiv · 1960",
    ]


def test_a_pair_with_two_partnerships_names_each_by_its_kind():
    """Embedded data: a home city with two partnerships with one partner is named with each kind, so
    that "aktiv" and "beendet" for Dortmund–Schytomyr on 09.07.2025 read as two partnerships."""
    import csv

    from analysis.package import EMBEDDED_DESCRIPTOR

    with (EMBEDDED_DESCRIPTOR.parent / "data" / "partnerships.csv").open(encoding="utf-8") as rows:
        pairs = [(row["home_id"], row["partner_id"]) for row in csv.DictReader(rows)]
    twice = {pair for pair in pairs if pairs.count(pair) > 1}
    # counted by hand in partnerships.csv: Dortmund with Trabzon, Kumasi and Schytomyr, each twice
    assert twice == {("de-dortmund", "tr-trabzon"), ("de-dortmund", "gh-kumasi"), ("de-dortmund", "ua-zhytomyr")}

    at = app(asof="2025-07-31", home="de-dortmund").run()
    at.switch_page("views/history.py").run()
    assert not at.exception
    changes = _frame(at, "Datum", "Partnerstadt", "Anmerkung")
    on_the_day = changes[changes["Datum"] == "09.07.2025"]
    # status_history.csv rows 43 and 47: the solidarity partnership ended, the twinning became active
    assert sorted(zip(on_the_day["Partnerstadt"], on_the_day["Status"], strict=True)) == [
        ("Schytomyr (Solidaritätspartnerschaft)", "beendet"),
        ("Schytomyr (Städtepartnerschaft)", "aktiv"),
    ]
    reasons = _frame(at, "Grund (Anmerkung)")
    assert "Schytomyr (Städtepartnerschaft)" in set(reasons["Partnerstadt"])
    assert "Amiens" in set(reasons["Partnerstadt"])  # one partnership with Amiens: no kind added

    # the overview's "Was sich geändert hat" since 01.07.2025 names them the same way
    at = app(asof="2025-07-31", cmp="2025-07-01", home="de-dortmund").run()
    named = {name for d in at.dataframe if "Partnerstadt" in d.value.columns for name in d.value["Partnerstadt"]}
    assert {"Schytomyr (Solidaritätspartnerschaft)", "Schytomyr (Städtepartnerschaft)"} <= named
