"""Charts to reuse and the overview's additions in AppTest: every chart as SVG and PNG (title, date
and source in the image), the network over time with its table, the report button. Figures are
counted by hand from the small package in conftest.BASE_ROWS (as of 2025-01-01: Dortmund–Amiens
active since 1960, Dortmund–Trabzon in preparation 05/2013 and active 12.06.2014, Hagen–Kartal
proposed 31.05.2021)."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from apptest_support import clicked as made
from PIL import Image
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from analysis.package import ENV_VAR

pytestmark = pytest.mark.usefixtures("recorded_downloads")  # they read what a download button serves

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
    assert {key(b) for b in svgs} == {
        "svg_partnerschaften-nach-kontinent-und-status-2025-01-01",
        "svg_partnerschaften-nach-art-2025-01-01",
        "svg_weltkarte-der-partnerschaften-2025-01-01",
        "svg_europa-ausschnitt-2025-01-01",
        "svg_gruendungen-je-jahrzehnt-2025-01-01",
        "svg_das-netz-ueber-die-zeit-2025-01-01",
    }


def test_svg_download_parses_and_carries_title_date_and_source(small):
    at = run(asof="2025-01-01")
    by_continent = next(b for b in button(at, "svg_") if "kontinent" in b.proto.id)
    texts = svg_texts(made(by_continent))
    assert "Partnerschaften nach Kontinent und Status" in texts
    assert "Stichtag 01.01.2025" in texts
    assert any(text.startswith("Quelle: ") for text in texts)


def test_png_download_parses_and_carries_title_and_date(small):
    at = run(asof="2025-01-01", lang="en")
    by_kind = next(b for b in button(at, "png_") if "by-kind" in b.proto.id)
    image = Image.open(io.BytesIO(made(by_kind)))
    assert image.format == "PNG" and image.width > 600
    assert image.text["Title"] == "Partnerships by kind"
    assert "As of 1 Jan 2025" in image.text["Description"]


def test_map_download_draws_the_outlines_inline(small):
    at = run(asof="2025-01-01")
    world = next(b for b in button(at, "svg_") if "weltkarte" in b.proto.id)
    data = made(world)
    assert b"app/static" not in data
    assert len(re.findall(rb"<path", data)) > 100  # the countries are drawn


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


def test_report_button_gives_the_pdf_of_the_filters(small):
    at = run(asof="2025-01-01", home="de-hagen", lang="en")
    (report,) = button(at, "report_pdf")
    pdf = made(report)
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert reader.trailer["/Root"]["/Lang"] == "en"
    assert "Partnership report" in text and "Home city: Hagen" in text
    assert "Kartal" in text and "Amiens" not in text
