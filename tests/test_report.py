"""The Partnerschaftsbericht (PDF): its text, extracted with pypdf, holds figures counted by hand."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BASE_ROWS, write_package
from pypdf import PdfReader

from console.main import main

# A small world, counted by hand (as of 31.10.2023, compared with 31.10.2022):
#   Dortmund–Amiens    active 1960 (year)        -> paused 03/2023 (month)      source s2
#   Dortmund–Trabzon   in preparation 05/2013    -> active 12.06.2014
#   Dortmund–Rostow    active 04.07.1977         -> paused 31.03.2022
#   Hagen–Kartal       proposed 31.05.2021       -> in preparation 15.02.2023   source s1
# now:    active 1 (Trabzon), paused 2 (Amiens, Rostow), pipeline 1 (Kartal), closed 0
# before: active 2 (Amiens, Trabzon), paused 1 (Rostow), pipeline 1 (Kartal), closed 0
# events in between, by date: 15.02.2023 Hagen–Kartal (s1 -> [1]), 03/2023 Dortmund–Amiens (s2 -> [2])
ROWS = {
    "countries": [*BASE_ROWS["countries"], ["RU", "Russland", "Russia"]],
    "municipalities": [
        *BASE_ROWS["municipalities"],
        ["ru-rostov", "Rostow am Don", "Rostov-on-Don", "RU", "", "Europe", "47.2", "39.7", "", "", "", ""],
    ],
    "partnerships": [
        *BASE_ROWS["partnerships"],
        ["dortmund-rostov", "de-dortmund", "ru-rostov", "twinning", "", ""],
    ],
    "status_history": [
        *BASE_ROWS["status_history"][:2],
        ["dortmund-trabzon", "2014-06-12", "day", "active", "signed", "s1"],  # source s1 here, s2 in BASE_ROWS
        *BASE_ROWS["status_history"][3:],
        ["dortmund-rostov", "1977-07-04", "day", "active", "signed", "s1"],
        ["dortmund-rostov", "2022-03-31", "day", "paused", "war", "s2"],
        ["hagen-kartal", "2023-02-15", "day", "in_preparation", "Gespräche aufgenommen", "s1"],
        ["dortmund-amiens", "2023-03-01", "month", "paused", "Kontakt ruht", "s2"],
    ],
}


def pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def make_report(tmp_path: Path, *args: str) -> Path:
    descriptor = write_package(tmp_path / "package", ROWS)
    out = tmp_path / "report.pdf"
    # German unless ARGS ask otherwise (the last --lang wins): the report follows the CLI's language
    assert main(["report", str(descriptor), "--as-of", "2023-10-31", "--lang", "de", *args, "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def german(tmp_path_factory) -> tuple[Path, str]:
    out = make_report(tmp_path_factory.mktemp("de"))
    return out, pdf_text(out)


def test_head_figures_and_changes_in_german(german):
    out, text = german
    assert "Partnerschaftsbericht" in text
    assert "Stichtag 31.10.2023" in text and "Vergleich mit 31.10.2022" in text
    assert "keine (alle Partnerschaften)" in text
    pages = len(PdfReader(out).pages)
    assert pages >= 1
    assert all(f"Seite {n} / {pages}" in text for n in range(1, pages + 1))  # page numbers
    # the four figures: now, before, change
    assert re.search(r"Aktiv 1 2 -1", text), text[:1500]
    assert re.search(r"Ruhend oder ausgelaufen 2 1 \+1", text)
    assert re.search(r"In Planung 1 1 ±0", text)
    assert re.search(r"Abgelehnt/beendet 0 0 ±0", text)
    reader = PdfReader(out)
    assert reader.trailer["/Root"]["/Lang"] == "de"
    assert reader.metadata.title.startswith("Partnerschaftsbericht")
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=0.5)  # A4
    assert reader.pages[0].mediabox.height == pytest.approx(841.89, abs=0.5)


def test_events_between_the_dates_with_precision_and_numbered_sources(german):
    _, text = german
    events = text[text.index("Was sich geändert hat") : text.index("Grafiken")]
    assert re.search(r"15\.02\.2023 Hagen – Kartal vorgeschlagen → in Vorbereitung Gespräche aufgenommen \[1\]", events)
    assert re.search(r"03/2023 Dortmund – Amiens aktiv → ruhend Kontakt ruht \[2\]", events)
    assert "31.03.2022" not in events  # Rostow paused before the comparison date
    assert events.index("15.02.2023") < events.index("03/2023")
    assert "01.03.2023" not in text  # a month never becomes a day
    sources = text[text.rindex("Quellen") :]
    assert re.search(r"\[1\] Stadt Dortmund: Städtepartnerschaften\. Stadt Dortmund https://example\.org/a", sources)
    assert re.search(r"\[2\] Vorlage\. Stadt Hagen\. Vorlage 1062/2023-1", sources)
    # the partnerships table: Rostow paused since 31.03.2022, founded 04.07.1977, source [2]
    assert re.search(r"Dortmund Rostow am Don Russland Städtepartnerschaft ruhend 31\.03\.2022 04\.07\.1977", text)
    assert re.search(r"Dortmund Amiens Frankreich Städtepartnerschaft ruhend 03/2023 1960", text)


def test_english_report_uses_english_names_and_dates(tmp_path):
    text = pdf_text(make_report(tmp_path, "--lang", "en", "--home", "de-dortmund"))
    assert "Partnership report" in text and "As of 31 Oct 2023" in text
    assert "Home city: Dortmund" in text
    assert re.search(r"Dortmund Rostov-on-Don Russia Twinning paused 31 Mar 2022 4 Jul 1977", text)
    assert "Mar 2023 Dortmund – Amiens active → paused" in text
    assert "1 Mar 2023" not in text
    assert "Kartal" not in text  # Hagen is filtered out
    assert re.search(r"Active 1 2 -1", text)
    assert re.search(r"Paused or lapsed 2 1 \+1", text)


def test_comparison_date_can_be_chosen(tmp_path):
    text = pdf_text(make_report(tmp_path, "--compare-with", "2021-01-01"))
    # since 01.01.2021: Kartal proposed (31.05.2021), Rostow paused, Kartal in preparation, Amiens paused
    events = text[text.index("Was sich geändert hat") : text.index("Grafiken")]
    assert [m.group(0) for m in re.finditer(r"31\.05\.2021|31\.03\.2022|15\.02\.2023|03/2023", events)] == [
        "31.05.2021",
        "31.03.2022",
        "15.02.2023",
        "03/2023",
    ]
    assert re.search(r"In Planung 1 0 \+1", text)  # Kartal did not exist yet on 01.01.2021


def test_a_selection_without_partnerships_still_gives_a_report(tmp_path):
    text = pdf_text(make_report(tmp_path, "--search", "nowhere at all"))
    assert "Suche: nowhere at all" in text
    assert "Partnerschaften am Stichtag: 0" in text
    assert "Keine Statuswechsel und keine neuen Partnerschaften in diesem Zeitraum." in text


def test_compare_date_after_as_of_is_refused(tmp_path, capsys):
    descriptor = write_package(tmp_path / "package", ROWS)
    code = main(["report", str(descriptor), "--as-of", "2023-10-31", "--compare-with", "2024-01-01", "--out", "x.pdf"])
    assert code == 2
    assert "lies after the as-of date" in capsys.readouterr().err
    assert not Path("x.pdf").exists()


def test_long_lists_are_capped_with_a_note_naming_the_csv(tmp_path, monkeypatch):
    import report.build

    monkeypatch.setattr(report.build, "MAX_ROWS", 2)
    text = pdf_text(make_report(tmp_path))
    assert "Gezeigt werden die ersten 2 von 4 Zeilen" in text
    assert "partnerschaften-2023-10-31.csv" in text


def test_embedded_dortmund_at_31_10_2023(tmp_path):
    """The embedded data: Dortmund's nine formal twinnings, Rostow paused since 31.03.2022, Dura
    paused since 10/2023, Schytomyr and Kumasi in preparation (README; counted from the seed)."""
    out = tmp_path / "dortmund.pdf"
    assert main(["report", "--as-of", "2023-10-31", "--home", "de-dortmund", "--lang", "de", "--out", str(out)]) == 0
    text = pdf_text(out)
    table = text[text.index("Die Partnerschaften") : text.index("Strategische Lücken")]
    assert len(re.findall(r"(?<!\()Städtepartnerschaft (?:aktiv|ruhend) ", table)) == 9
    assert "Rostow am Don Russland Städtepartnerschaft ruhend 31.03.2022" in table
    assert re.search(r"Dura Palästina Projektpartnerschaft ruhend 10/2023", table)
    assert re.search(r"Schytomyr Ukraine Städtepartnerschaft in Vorbereitung", table)
    assert re.search(r"Kumasi Ghana Städtepartnerschaft in Vorbereitung", table)
    english = tmp_path / "dortmund-en.pdf"
    args = ["report", "--as-of", "2023-10-31", "--home", "de-dortmund", "--lang", "en", "--out", str(english)]
    assert main(args) == 0
    text = pdf_text(english)
    assert "Rostov-on-Don Russia Twinning paused 31 Mar 2022" in text
    assert "Zhytomyr Ukraine Twinning in preparation" in text


def test_text_from_data_is_set_as_text_not_markup(tmp_path):
    rows = {**ROWS, "status_history": [list(r) for r in ROWS["status_history"]]}
    rows["status_history"][-1][4] = '*fett* #pagebreak() $x^2$ <script>alert(1)</script> `raw` #"a"'
    descriptor = write_package(tmp_path / "package", rows)
    out = tmp_path / "report.pdf"
    assert main(["report", str(descriptor), "--as-of", "2023-10-31", "--out", str(out)]) == 0
    text = pdf_text(out)
    assert '*fett* #pagebreak() $x^2$ <script>alert(1)</script> `raw` #"a"' in text


def test_unwritable_out_is_a_clear_error(tmp_path, capsys):
    descriptor = write_package(tmp_path / "package", ROWS)
    out = tmp_path / "no such folder" / "report.pdf"
    assert main(["report", str(descriptor), "--as-of", "2023-10-31", "--out", str(out)]) == 2
    assert f"cannot write '{out}': there is no folder '{out.parent}'" in capsys.readouterr().err


def test_charts_name_their_filter_and_the_europe_view_is_there(tmp_path, monkeypatch):
    """Heimatstadt = Dortmund: both maps (world and Europe) are in the report, every chart says the
    filter, its source line names Dortmund and not Hagen; the capped list names the CSV of that filter."""
    import report.build

    monkeypatch.setattr(report.build, "MAX_ROWS", 2)
    text = pdf_text(make_report(tmp_path, "--home", "de-dortmund"))
    charts = text[text.index("Weltkarte der Partnerschaften") : text.index("Die Partnerschaften")]
    assert "Partnerschaften innerhalb Europas" in charts
    # six charts, each with the filter below its title: by continent, by kind, the network, the themes
    # (Amiens' culture), the world map and the Europe map (the last two in this slice)
    assert charts.count("Filter: Heimatstadt Dortmund") == 2
    assert text.count("Filter: Heimatstadt Dortmund") == 6
    assert "Angaben zu Dortmund" in charts and "Hagen" not in charts
    assert "Gezeigt werden die ersten 2 von 3 Zeilen" in text
    assert "partnerschaften-2023-10-31-heimatstadt-dortmund.csv" in text


def test_a_theme_grid_is_sized_by_its_columns_not_stretched_to_the_page(tmp_path, small_package):
    """Stretched to the page, one home city's theme grid filled its width and its rows half a page:
    the grid keeps the other charts' scale, so one city (one column) takes less width than two."""
    from datetime import date

    from analysis.package import load_package
    from analysis.questions.filters import Filters
    from present import i18n
    from report.build import report_data

    package = load_package(small_package)

    def widths(*homes: str) -> dict[str, float]:
        folder = tmp_path / "-".join(homes)
        folder.mkdir()
        with i18n.language("de"):
            data = report_data(package, date(2025, 1, 1), Filters(homes=homes), date(2024, 1, 1), folder)
        return {chart["file"]: chart["width"] for chart in data["charts"]}

    one, two = widths("de-dortmund"), widths("de-dortmund", "de-hagen")
    assert one["continent.pdf"] == one["kind.pdf"] == one["map.pdf"] == 1.0  # the others: the page's width
    assert 0 < one["themes.pdf"] < two["themes.pdf"] < 1.0
