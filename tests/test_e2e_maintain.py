"""End to end in a real browser, edit mode on: a status change is recorded through the Pflege page,
saved, and a second browser session sees the overview's figure change. On a copy of the small test
package; the server is started as in test_e2e_browser."""

from __future__ import annotations

import pytest
from browser_support import TIMEOUT_MS, assert_accessible, open_page, settled
from conftest import write_package

from analysis.package import load_package
from devtools.browser import StreamlitServer

pytestmark = pytest.mark.e2e


def active_tile(page) -> str:
    return page.locator(".st-key-tile_active [data-testid='stMetricValue']").inner_text(timeout=TIMEOUT_MS).strip()


def choose(page, label: str, option: str) -> None:
    """Pick OPTION in the event form's select box LABEL (the sidebar has a form and a "Status" too)."""
    page.get_by_test_id("stMain").get_by_test_id("stForm").first.get_by_role("combobox", name=label).click(
        timeout=TIMEOUT_MS
    )
    page.get_by_role("option", name=option).click(timeout=TIMEOUT_MS)


def test_status_change_recorded_in_the_browser_changes_the_figure(browser, tmp_path, monkeypatch):  # noqa: F811
    folder = tmp_path / "paket"
    write_package(folder)
    monkeypatch.setenv("PARTNERSHIPS_EDIT", "1")
    server = StreamlitServer(folder)
    try:
        reader, foreign = open_page(browser, f"{server.base}/")
        # by hand: dortmund-amiens and dortmund-trabzon active, hagen-kartal only proposed
        assert active_tile(reader) == "2"
        editor, _ = open_page(browser, f"{server.base}/pflege")
        name = editor.get_by_label("Ihr Name (für das Änderungsprotokoll)")
        name.fill("Erika Muster")
        name.press("Enter")
        settled(editor)
        editor.get_by_test_id("stMain").get_by_test_id("stForm").first.wait_for(timeout=TIMEOUT_MS)
        assert_accessible(editor, "Pflege")
        choose(editor, "Partnerschaft", "Hagen – Kartal")
        editor.get_by_label("Datum (25.11.2019, 11/2019 oder 2019)").first.fill("04.03.2025")
        choose(editor, "Status", "aktiv")
        editor.get_by_label("Was geschah").first.fill("Rat beschließt Partnerschaft")
        choose(editor, "Quelle", "s2: Vorlage")
        editor.get_by_role("button", name="Hinzufügen").first.click()
        settled(editor)
        assert editor.get_by_text("1 ungespeicherte Änderung").count() >= 1
        pending_reader, _ = open_page(browser, f"{server.base}/")  # another session: still the saved figure
        assert active_tile(pending_reader) == "2"
        editor.get_by_role("link", name="Überblick").click()
        settled(editor)
        assert active_tile(editor) == "3"  # this session's pages show the pending change at once
        assert_accessible(editor, "Überblick with a pending change")
        editor.get_by_role("link", name="Pflege").click()
        settled(editor)
        editor.get_by_role("tab", name="Ungespeicherte Änderungen").click()
        assert_accessible(editor, "Pflege, unsaved changes")
        editor.get_by_role("button", name="Speichern").click()
        settled(editor)
        editor.get_by_text("Gespeichert als neue Version:").wait_for(state="attached", timeout=TIMEOUT_MS)
        assert load_package(folder)["status_history"].height == 5
        editor.get_by_role("tab", name="Versionen & Protokoll").click()
        assert_accessible(editor, "Pflege, versions and changelog")
        second, _ = open_page(browser, f"{server.base}/")
        assert active_tile(second) == "3"
        assert foreign == []
    finally:
        server.stop()
