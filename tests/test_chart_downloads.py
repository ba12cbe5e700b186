"""Charts to reuse and the overview's additions in AppTest: every chart offers SVG and PNG, the
network over time with its table. What the files hold (title, date and source in the image, the
report's PDF) is tested where a browser saves them: test_e2e_downloads. Figures are
counted by hand from the small package in conftest.BASE_ROWS (as of 2025-01-01: Dortmund–Amiens
active since 1960, Dortmund–Trabzon in preparation 05/2013 and active 12.06.2014, Hagen–Kartal
proposed 31.05.2021)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from analysis.package import ENV_VAR

APP = Path(__file__).resolve().parents[1] / "app.py"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def small(monkeypatch, small_package):
    monkeypatch.setenv(ENV_VAR, str(small_package))
    return small_package


def run(**params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def key(button) -> str:
    return button.proto.id.split("-", 2)[-1]  # "$$ID-<hash>-<key>"


def button(at: AppTest, key_start: str):
    return [b for b in at.get("download_button") if key(b).startswith(key_start)]


def svg_texts(data: bytes) -> list[str]:
    root = ET.fromstring(data)
    # a text element's own text, or each line (tspan) of a multi-line one
    return [node.text for node in root.iter() if node.tag in (f"{SVG}text", f"{SVG}tspan") and node.text]


def test_every_overview_chart_offers_svg_and_png_made_on_click(small):
    at = run(asof="2025-01-01")
    svgs, pngs = button(at, "svg_"), button(at, "png_")
    # by continent, by kind, the world map, the Europe map, founded per decade, the network over time
    assert len(svgs) == len(pngs) == 6
    assert all(b.proto.deferred_file_id for b in svgs + pngs)  # each file is made when clicked, not every run
    assert {key(b) for b in svgs} == {
        "svg_partnerschaften-nach-kontinent-und-status-2025-01-01",
        "svg_partnerschaften-nach-art-2025-01-01",
        "svg_weltkarte-der-partnerschaften-2025-01-01",
        "svg_partnerschaften-innerhalb-europas-2025-01-01",
        "svg_gruendungen-je-jahrzehnt-2025-01-01",
        "svg_das-netz-ueber-die-zeit-2025-01-01",
    }


def test_network_over_time_on_the_overview(small):
    at = run(asof="2025-01-01", home="de-dortmund")
    titles = [json.loads(c.proto.spec).get("title") for c in at.get("vega_lite_chart")]
    assert "Das Netz über die Zeit" in titles
    frames = [d.value for d in at.dataframe]
    network = next(f for f in frames if "Zeitpunkt" in f.columns)
    # Dortmund from 1960 (year ends) to 01.01.2025: Amiens active throughout; Trabzon in preparation
    # at the end of 2013, active from the end of 2014
    rows = {r["Zeitpunkt"]: (r["Aktiv"], r["In Planung"]) for r in network.to_dict("records")}
    assert rows["1960"] == (1, 0)
    assert rows["2013"] == (1, 1)
    assert rows["2014"] == (2, 0)
    assert rows["01.01.2025"] == (2, 0)


def test_chart_svg_names_its_filters_and_only_the_home_cities_it_shows(tmp_path):
    """Heimatstadt = Dortmund: the image says so, and its source line names Dortmund, not every home
    city the package's title lists (here "Dortmund, Hagen")."""
    from conftest import small_package_descriptor, write_package

    from analysis.package import load_package
    from analysis.questions.enriched import enriched_view
    from analysis.questions.filters import Filters
    from present import chart_files, figures, i18n
    from present.filter_text import about_lines

    descriptor = small_package_descriptor() | {"title": "Testpaket: Dortmund, Hagen"}
    package = load_package(write_package(tmp_path / "p", descriptor=descriptor))
    as_of = date(2025, 1, 1)

    def texts(filters: Filters, lang: str) -> list[str]:
        with i18n.language(lang):
            chart = figures.continent_figure(enriched_view(package.frames, as_of, filters))[0]
            spec = chart_files.standalone_spec(chart, about_lines(package, filters, as_of))
            return svg_texts(chart_files.to_svg(spec, lang).encode())

    dortmund = texts(Filters(homes=("de-dortmund",), statuses=("active",)), "de")
    assert "Stichtag 01.01.2025" in dortmund
    assert "Filter: Heimatstadt Dortmund; Status aktiv" in dortmund
    assert "Quelle: Testpaket (Angaben zu Dortmund), Version 0.0.1-test (Stand 21.11.2026)" in dortmund
    assert not any("Hagen" in text for text in dortmund)

    english = texts(Filters(homes=("de-hagen",)), "en")
    assert "Filters: Home city Hagen" in english
    assert "Source: Testpaket (data on Hagen), version 0.0.1-test (as at 21 Nov 2026)" in english
    assert not any("Dortmund" in text for text in english)

    everything = texts(Filters(), "de")
    assert "Filter: keine (alle Partnerschaften des Datenpakets)" in everything
    assert "Quelle: Testpaket, Version 0.0.1-test (Stand 21.11.2026)" in everything
