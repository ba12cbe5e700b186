"""End to end in a real browser, edit mode on, the international office's day on the page "Pflege":
each task driven as a person would (choose from a list by typing part of a name, type a field,
click a button, open a tab), its actions counted, and the confirmation read on the tab in use.
Then nothing lost: a reload with three pending changes, and a restart of the server.

Counted from the page "Pflege" open with the editor's name typed (once a session, not counted):
pausing a partnership with a new council source 8 actions, a new partnership with a partner from
GeoNames 11, a correction 5; no error round for correct input (no refusal is shown at any step)."""

from __future__ import annotations

import os
import re

import pytest
from browser_support import TIMEOUT_MS, assert_accessible, open_page, settled
from conftest import write_package

from analysis.package import load_package
from devtools.browser import StreamlitServer

pytestmark = pytest.mark.e2e
EDITOR = "Erika Muster"


class Office:
    """A person at the page "Pflege": every step is one action, counted, and waits for the page."""

    def __init__(self, page) -> None:
        self.page = page
        self.actions = 0

    def panel(self):
        """The tab in use (the others are hidden)."""
        return self.page.get_by_role("tabpanel")

    def _done(self) -> None:
        self.actions += 1
        settled(self.page)
        refused = self.page.get_by_text("Nicht übernommen")
        assert refused.count() == 0, refused.first.inner_text()  # no error round for correct input

    def tab(self, name: str) -> None:
        self.page.get_by_role("tab", name=name).click()
        self._done()

    def choose(self, label: str, typed: str, option: str) -> None:
        """Open the list LABEL, type part of a name, pick OPTION: one action."""
        box = self.panel().get_by_role("combobox", name=label, exact=True)
        box.click(timeout=TIMEOUT_MS)
        box.press_sequentially(typed)
        self.page.get_by_role("option", name=option, exact=True).click(timeout=TIMEOUT_MS)
        self._done()

    def type(self, label: str, text: str) -> None:
        field = self.panel().get_by_label(label, exact=True)
        field.fill(text)
        field.press("Tab")  # Streamlit takes a typed value when the field is left
        self._done()

    def click(self, name: str) -> None:
        self.panel().get_by_role("button", name=name, exact=True).click(timeout=TIMEOUT_MS)
        self._done()

    def save(self, folder) -> None:
        """Click "Speichern": one action. The confirmation where the eye is: a toast (read while it
        shows), and the banner on the tab in use, both naming the version now saved."""
        self.panel().get_by_role("button", name="Speichern", exact=True).click(timeout=TIMEOUT_MS)
        toast = self.page.get_by_test_id("stToast").get_by_text(re.compile(r"^Gespeichert: Version \S+$"))
        said = toast.inner_text(timeout=TIMEOUT_MS)
        self._done()
        version = load_package(folder).version
        assert said == f"Gespeichert: Version {version}"
        self.panel().get_by_text(f"Gespeichert als Version {version}.").wait_for(timeout=TIMEOUT_MS)


def give_name(page) -> None:
    name = page.get_by_label("Ihr Name (für das Änderungsprotokoll)")
    name.fill(EDITOR)
    name.press("Enter")
    settled(page)


def editor_page(browser, base: str) -> Office:
    page, foreign = open_page(browser, f"{base}/pflege")
    assert foreign == []
    give_name(page)
    return Office(page)


@pytest.fixture(scope="module")
def office_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("office") / "paket"
    write_package(folder)
    server = StreamlitServer(folder, env={**os.environ, "PARTNERSHIPS_EDIT": "1"})
    yield server, folder
    server.stop()


def active_tile(page) -> str:
    return page.locator(".st-key-tile_active [data-testid='stMetricValue']").inner_text(timeout=TIMEOUT_MS).strip()


def test_pausing_a_partnership_with_a_new_council_source_in_8_actions(browser, office_server):
    server, folder = office_server
    reader, _ = open_page(browser, f"{server.base}/")
    assert active_tile(reader) == "2"  # by hand: dortmund-amiens and dortmund-trabzon active
    office = editor_page(browser, server.base)
    assert_accessible(office.page, "Pflege")
    office.choose("Partnerschaft *", "Trab", "Dortmund – Trabzon")
    office.type("Datum (25.11.2019, 11/2019 oder 2019) *", "12.11.2026")
    office.choose("Status *", "ruh", "ruhend")
    office.type("Titel", "Ratsbeschluss")
    office.type("Herausgeber", "Stadt Dortmund")
    office.type("Aktenzeichen oder Drucksache", "Drucksache 1234/26")
    office.click("Hinzufügen")
    assert office.page.get_by_text("1 ungespeicherte Änderung").count() >= 1
    assert_accessible(office.page, "Pflege, a change accepted")
    office.save(folder)
    assert office.page.get_by_role("tab", selected=True).inner_text() == "Statusereignis"  # still the tab in use
    assert office.actions == 8
    paused = load_package(folder)["status_history"].filter(partnership_id="dortmund-trabzon", status="paused")
    assert paused["source_id"].to_list() == ["stadt-dortmund-drucksache-1234-26"]
    reader.reload()
    settled(reader)
    assert active_tile(reader) == "1"
    office.tab("Versionen & Protokoll")
    office.panel().get_by_text("Frühere Versionen").wait_for(timeout=TIMEOUT_MS)
    assert "Dortmund – Trabzon: ruht seit 12.11.2026 (Ratsbeschluss, Drucksache 1234/26)" in office.panel().inner_text()
    assert_accessible(office.page, "Pflege, versions and changelog")


def test_a_new_partnership_with_a_partner_from_geonames_in_11_actions(browser, office_server):
    server, folder = office_server
    office = editor_page(browser, server.base)
    office.tab("Neue Partnerschaft")
    office.type("In GeoNames suchen: Name der Partnerkommune", "Lille")
    office.type("Land (Name oder Code; leer: alle)", "Frankreich")
    office.click("Suchen")  # one Lille in France: chosen at once, its line shown
    place = office.panel().get_by_role("combobox", name="Gefundener Ort")
    assert re.match(r"Lille, Hauts-de-France, FR \(", place.input_value())
    office.choose("Heimatkommune *", "Hag", "Hagen")
    office.choose("Art *", "freund", "Städtefreundschaft")
    office.type("Datum (25.11.2019, 11/2019 oder 2019) *", "2024")
    office.choose("Status *", "vorg", "vorgeschlagen")
    office.choose("Vorhandene Quelle", "Vorl", "Vorlage (Stadt Hagen, Vorlage 1062/2023-1)")
    office.click("Hinzufügen")
    office.save(folder)
    assert office.page.get_by_role("tab", selected=True).inner_text() == "Neue Partnerschaft"
    assert office.actions == 11
    lille = load_package(folder)["municipalities"].filter(municipality_id="fr-lille").row(0, named=True)
    assert (lille["geonames_id"], round(lille["latitude"], 1), lille["continent"]) == (2998324, 50.6, "Europe")


def test_a_correction_in_5_actions(browser, office_server):
    server, folder = office_server
    office = editor_page(browser, server.base)
    office.tab("Berichtigen oder löschen")
    office.choose(
        "Zeile suchen (nach Namen, Datum, Status …) *",
        "Kartal",
        "Statusereignisse: Hagen – Kartal: 31.05.2021, vorgeschlagen",
    )  # the row shown in full, its values in the fields
    assert office.panel().get_by_label("Was geschah", exact=True).input_value() == "letter"
    office.type("Was geschah", "Brief des Bürgermeisters")
    office.click("Berichtigen")
    office.save(folder)
    assert office.actions == 5
    notes = load_package(folder)["status_history"].filter(partnership_id="hagen-kartal")["note"].to_list()
    assert notes == ["Brief des Bürgermeisters"]


def three_changes(office: Office) -> None:
    """Three pending changes: two status events and a theme."""
    for partnership, typed, date in (("Dortmund – Amiens", "Ami", "01.12.2026"), ("Hagen – Kartal", "Kart", "2026")):
        office.choose("Partnerschaft *", typed, partnership)
        office.type("Datum (25.11.2019, 11/2019 oder 2019) *", date)
        office.choose("Status *", "ruh", "ruhend")
        office.choose("Vorhandene Quelle", "Vorl", "Vorlage (Stadt Hagen, Vorlage 1062/2023-1)")
        office.click("Hinzufügen")
    office.tab("Themen")
    office.choose("Partnerschaft *", "Trab", "Dortmund – Trabzon")
    office.choose("Thema *", "Kul", "Kultur")
    office.page.get_by_role("tabpanel").get_by_text("Thema hinzufügen").click()
    settled(office.page)
    office.choose("Vorhandene Quelle", "Vorl", "Vorlage (Stadt Hagen, Vorlage 1062/2023-1)")
    office.click("Übernehmen")
    assert office.page.get_by_text("3 ungespeicherte Änderungen").count() >= 1


def continue_kept(office: Office) -> None:
    offer = office.page.get_by_text(re.compile(r"^3 ungespeicherte Änderungen von heute, \d\d:\d\d: fortsetzen"))
    offer.wait_for(timeout=TIMEOUT_MS)
    assert_accessible(office.page, "Pflege, kept changes offered")
    office.page.get_by_role("button", name="Fortsetzen").click()
    settled(office.page)
    office.tab("Ungespeicherte Änderungen")
    shown = office.panel().inner_text()
    assert "Dortmund – Amiens: ruht seit 01.12.2026 (Vorlage, Vorlage 1062/2023-1)" in shown
    assert "Hagen – Kartal: ruht seit 2026 (Vorlage, Vorlage 1062/2023-1)" in shown
    assert "Dortmund – Trabzon: Thema „Kultur“ hinzugefügt (Vorlage, Vorlage 1062/2023-1)" in shown


def test_a_reload_with_three_pending_changes_continues_them(browser, office_server):
    server, folder = office_server
    office = editor_page(browser, server.base)
    three_changes(office)
    office.page.reload()
    settled(office.page)
    pending = office.page.get_by_text(re.compile(r"^\d+ ungespeicherte Änderung"))
    assert pending.count() == 0  # a new session: nothing pending in it, nothing offered before the name
    give_name(office.page)  # the same editor
    continue_kept(office)
    office.save(folder)
    assert load_package(folder)["partnership_themes"].filter(partnership_id="dortmund-trabzon").height == 1
    assert not list((folder.parent / "paket.pending").glob("*.json"))  # saved: nothing kept any more


def test_a_server_restart_offers_the_pending_changes_back(browser, tmp_path):
    folder = tmp_path / "paket"
    write_package(folder)
    env = {**os.environ, "PARTNERSHIPS_EDIT": "1"}
    server = StreamlitServer(folder, env=env)
    try:
        three_changes(editor_page(browser, server.base))
    finally:
        server.stop()
    server = StreamlitServer(folder, env=env)
    try:
        office = editor_page(browser, server.base)
        continue_kept(office)
        office.save(folder)
        package = load_package(folder)
        assert package.version == "0.1.0" and package["status_history"].filter(status="paused").height == 2
    finally:
        server.stop()
